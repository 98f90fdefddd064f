"""Word issue list: the file report writers actually edit into the 专题报告.

It uses Word's own structure (Heading 1/2 styles, a real numbered list, the Quote style) rather
than bold text and typed numbers, so the navigation pane, table of contents and renumbering all
work after the writer moves or deletes items, in Word and in WPS.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..model import IssueList
from . import _content as c
from . import word_document
from ._atomic import atomic_path, normalize_zip

if TYPE_CHECKING:  # python-docx is imported lazily; these are for type checkers only.
    from docx.document import Document as DocxDocument
    from docx.styles.style import BaseStyle

LIST_STYLE: Final = "List Number"
QUOTE_STYLE: Final = "Quote"
TABLE_STYLE: Final = "Table Grid"


def write_docx(issues: IssueList, path: Path) -> Path:
    """Write the Word issue list atomically; same IssueList → same bytes (fixed dates and ZIP times)."""
    import docx
    from docx.shared import Pt

    path = Path(path)
    document = docx.Document()
    word_document.prepare(document, issues)
    body = _Body(document)

    body.paragraph(c.title(issues), "Heading 1")
    for line in c.basis_lines(issues):
        body.paragraph(line)
    _add_group_table(document, body, issues)
    _add_theme_overview(document, body, issues)

    themes = c.numbered_themes(issues)
    if not themes:
        body.paragraph("（本次材料中没有发现反复出现的问题。）")
    for numeral, theme in themes:
        body.paragraph(c.theme_heading(numeral, theme), "Heading 2")
        num_id = _new_numbering(document, body.list_abstract_id)  # restart at 1. in every theme
        findings, singles = c.findings_and_singles(issues, theme)
        for concern in findings:
            body.list_item(c.concern_text(concern, issues), num_id)
            if terms := c.terms_line(concern):
                body.paragraph(terms, "List Continue")
            for quote in concern.quotes:
                body.quote(c.quote_body(quote), c.quote_attribution(quote))
        if singles:
            body.paragraph(c.SINGLES_HEADING)
            for concern in singles:
                body.paragraph(c.single_line(concern), "List Continue")

    if c.shows_keyness(issues):
        body.paragraph(c.keyness_heading(issues), "Heading 2")
        body.paragraph(c.keyness_line(issues.keyness))

    note = document.add_paragraph()
    note.add_run(c.METHOD_NOTE).font.size = Pt(9)
    if meta := c.meta_line(issues.meta):
        document.add_paragraph().add_run(meta).font.size = Pt(9)

    word_document.finish(document)
    with atomic_path(path) as tmp:
        document.save(str(tmp))
        normalize_zip(tmp)
    return path


class _Body:
    """Adds the report's many similar paragraphs to the document body, quickly.

    python-docx places every new child element by searching the schema's list of elements that
    may follow it (up to ~40 names for a run property), and resolves a style name by scanning
    all styles: about a millisecond per styled paragraph, most of the Word writer's time on a
    report with hundreds of quotes. So each kind of paragraph (one per style, a list item, a
    quote) is built once per document with the python-docx API, deep-copied (in C, by lxml) for
    every further one, and given its text through python-docx's run methods. The XML is exactly
    what ``document.add_paragraph(text, style)``, ``add_run`` and the formatting setters produce.
    """

    STYLES: Final = ("Heading 1", "Heading 2", "Caption", LIST_STYLE, "List Continue",
                     QUOTE_STYLE, TABLE_STYLE)

    def __init__(self, document: DocxDocument) -> None:
        styles = document.styles
        self._style_ids = {name: styles[name].style_id for name in self.STYLES}
        body = document.element.body
        # where document.add_paragraph puts a paragraph: before the closing section properties
        sect_pr = body.sectPr
        self._insert = body.append if sect_pr is None else sect_pr.addprevious
        self._templates: dict[tuple[str, object], Any] = {}
        self.list_abstract_id = _abstract_num_id(document, styles[LIST_STYLE])

    def style_id(self, name: str) -> str:
        """The id of one of :attr:`STYLES`, looked up once per document."""
        return self._style_ids[name]

    def paragraph(self, text: str, style: str | None = None) -> Any:
        """Like ``document.add_paragraph(text, style)``: one run holding ``text``, if any."""
        p = self._copy(("p", style),
                       lambda: _styled_p(None if style is None else self._style_ids[style]))
        if text:
            _set_run_text(p.add_r(), text)
        self._insert(p)
        return p

    def list_item(self, text: str, num_id: int) -> Any:
        """A "List Number" paragraph counted in the list ``num_id`` (see :func:`_new_numbering`)."""
        def build() -> Any:
            p = _styled_p(self._style_ids[LIST_STYLE])
            _set_num_id(p, num_id)
            return p

        p = self._copy(("list", None), build)
        p.pPr.numPr.numId.val = num_id  # the template holds the first list's id
        if text:
            _set_run_text(p.add_r(), text)
        self._insert(p)
        return p

    def quote(self, body: str, source: str) -> Any:
        """An indented Quote paragraph: the quote, then its source in upright 9 pt."""
        p = self._copy(("quote", None), lambda: _quote_p(self._style_ids[QUOTE_STYLE]))
        body_run, source_run = p.r_lst
        _set_run_text(body_run, body)
        _set_run_text(source_run, source)
        self._insert(p)
        return p

    def _copy(self, key: tuple[str, object], build: Callable[[], Any]) -> Any:
        """A fresh copy of the template ``key``, which ``build()`` makes the first time."""
        template = self._templates.get(key)
        if template is None:
            template = self._templates[key] = build()
        return copy.deepcopy(template)


def _styled_p(style_id: str | None) -> Any:
    """An empty detached ``w:p`` with paragraph style ``style_id`` (none: Normal)."""
    from docx.oxml import OxmlElement

    p = OxmlElement("w:p")
    if style_id is not None:
        p.style = style_id
    return p


def _quote_p(style_id: str) -> Any:
    """The quote paragraph's shape: indented, an empty run for the quote, and one for its source
    (not italic, 9 pt), as the Quote style alone would italicise and enlarge the attribution."""
    from docx.shared import Cm, Pt
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    p = _styled_p(style_id)
    Paragraph(p, None).paragraph_format.left_indent = Cm(1.27)
    p.add_r()
    source = Run(p.add_r(), None)
    source.italic = False
    source.font.size = Pt(9)
    return p


def _set_run_text(r: Any, text: str) -> None:
    """Put ``text`` into the empty run ``r`` as ``Run.text = text`` would.

    Text without tabs or line breaks becomes a single ``w:t`` (python-docx's own ``add_t``, which
    also marks leading/trailing spaces as preserved); anything else goes through the library's
    character-by-character setter, which turns those characters into ``w:tab``/``w:br``.
    """
    if not _SPECIAL_CHARS.intersection(text):
        if text:
            r.add_t(text)
    else:
        r.text = text


_SPECIAL_CHARS: Final = frozenset("\t\r\n")


def _add_group_table(document: DocxDocument, body: _Body, issues: IssueList) -> None:
    """Respondents by group (count and share of all respondents), with a total row."""
    counts = c.group_counts(issues)
    if not counts:
        return
    total = issues.respondents_total
    table = document.add_table(rows=1, cols=3)
    table._tbl.tblStyle_val = body.style_id(TABLE_STYLE)  # as table.style = ..., minus lookups
    for cell, text in zip(table.rows[0].cells, ("群体", "受访者（人）", "占比")):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _add_rows(table, [*((group, str(n), c.format_pct(n / total) if total else "—")
                        for group, n in counts),
                      ("合计", str(total), "100%" if total else "—")])
    document.add_paragraph()


def _add_theme_overview(document: DocxDocument, body: _Body, issues: IssueList) -> None:
    """The prevalence chart (a picture) and the theme × group table shaded as a heatmap.

    The table is a real Word table, not a picture, so a report writer can delete a row, reword
    a theme or restyle it; the shading is plain cell fill that survives copy-paste into WPS.
    """
    import io

    from docx.shared import Cm

    from ..charts import theme_chart_png

    png = theme_chart_png(issues)
    if png is None:
        return
    # captions, not headings: the navigation pane keeps listing only the numbered themes
    document.add_picture(io.BytesIO(png), width=Cm(15.5))
    body.paragraph("图：各主题提及比例（占受访者）", "Caption")
    caveat = c.prompted_note(c.ordered_themes(issues))
    if caveat:
        body.paragraph(caveat, "Caption")
    groups = [g for g, _n in c.group_counts(issues)]
    themes = c.ordered_themes(issues)
    table = document.add_table(rows=1, cols=2 + len(groups))
    table._tbl.tblStyle_val = body.style_id(TABLE_STYLE)  # as table.style = ..., minus lookups
    header = table.rows[0].cells
    for cell, text in zip(header, ("主题", "全部", *groups)):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    # a theme label on one line: wide first column, narrow share columns (grid and cells, as
    # Word reads the cell widths and LibreOffice/WPS the grid); rows added later take their
    # cell widths from the grid
    table.autofit = False
    for i, (column, cell) in enumerate(zip(table.columns, header)):
        column.width = cell.width = Cm(3.8) if i == 0 else Cm(2.2)
    peak = max([t.share for t in themes] + [g.share for t in themes for g in t.groups] + [0.0])
    rows = []
    for theme in themes:
        by_group = {g.group: g.share for g in theme.groups}
        # a group of the province missing from theme.groups had nobody raising it: 0%
        rows.append([theme.share, *(by_group.get(g, 0.0) for g in groups)])
    trs = _add_rows(table, [(t.label, *(c.format_pct(s) for s in shares))
                            for t, shares in zip(themes, rows)])
    for tr, shares in zip(trs, rows):
        for tc, share in zip(tr.tc_lst[1:], shares):
            _shade(tc, share, peak)
    body.paragraph("表：各主题在各群体受访者中的提及比例（颜色越深比例越高）", "Caption")


def _shade(tc: Any, share: float | None, peak: float) -> None:
    """Fill a table cell (``w:tc``) from white to dark blue by ``share / peak``; dark cells get
    white text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor
    from docx.text.run import Run

    from ..html.svg import heat_colour

    fill = heat_colour(share, peak).lstrip("#").upper()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc.get_or_add_tcPr().append(shd)
    if share is not None and peak > 0 and share / peak > 0.55:
        for r in tc.p_lst[0].r_lst:
            Run(r, None).font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _add_rows(table: Any, rows: Sequence[Sequence[str]]) -> list[Any]:
    """Append a row per item of ``rows``, numbers right-aligned; return the rows' ``w:tr``.

    The XML is that of ``table.add_row()`` and ``cell.text = ...`` per cell, but python-docx
    builds each cell element by element, searching the schema for each child's place. So the
    first row's empty shape (cell widths from the grid, right alignment after the first column)
    is built with the library and deep-copied for every row, then given its texts.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not rows:
        return []
    shape = table.add_row()
    for i, cell in enumerate(shape.cells):
        cell.text = ""
        if i:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    tbl, template = table._tbl, shape._tr
    tbl.remove(template)
    added = []
    for texts in rows:
        tr = copy.deepcopy(template)
        for tc, text in zip(tr.tc_lst, texts):
            _set_run_text(tc.p_lst[0].r_lst[0], text)
        tbl.append(tr)
        added.append(tr)
    return added


def _abstract_num_id(document: DocxDocument, style: BaseStyle) -> int:
    """The abstract numbering (list definition) behind a numbered paragraph style."""
    numbering = document.part.numbering_part.element
    style_num_id = style.element.pPr.numPr.numId.val
    return numbering.num_having_numId(style_num_id).abstractNumId.val


def _new_numbering(document: DocxDocument, abstract_id: int) -> int:
    """A fresh ``w:num`` on the list style's abstract numbering that starts again at 1.

    All "List Number" paragraphs share one counter by default, so the second theme would
    continue at 4.; a new num with ``startOverride`` keeps Word's real list but restarts it.
    """
    num = document.part.numbering_part.element.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def _set_num_id(p: Any, num_id: int) -> None:
    """Make the paragraph element ``p`` an item (level 0) of the list ``num_id``."""
    num_pr = p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id
