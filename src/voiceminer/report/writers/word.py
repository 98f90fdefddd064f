"""Word issue list: the file report writers actually edit into the 专题报告.

It uses Word's own structure (Heading 1/2 styles, a real numbered list, the Quote style) rather
than bold text and typed numbers, so the navigation pane, table of contents and renumbering all
work after the writer moves or deletes items, in Word and in WPS.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..model import IssueList
from . import _content as c
from ._atomic import atomic_path, normalize_zip

if TYPE_CHECKING:  # python-docx is imported lazily; these are for type checkers only.
    from docx.document import Document as DocxDocument
    from docx.styles.style import BaseStyle

BODY_FONT: Final = "宋体"
HEADING_FONT: Final = "黑体"
LIST_STYLE: Final = "List Number"
QUOTE_STYLE: Final = "Quote"


def write_docx(issues: IssueList, path: Path) -> Path:
    """Write the Word issue list atomically; same IssueList → same bytes (fixed dates and ZIP times)."""
    import docx
    from docx.shared import Cm, Pt

    path = Path(path)
    document = docx.Document()
    _setup_styles(document)
    _set_core_properties(document, issues)

    document.add_heading(c.title(issues), level=1)
    document.add_paragraph(c.basis_line(issues))
    _add_group_table(document, issues)
    _add_theme_overview(document, issues)

    # python-docx resolves a style name by scanning every style on each paragraph; resolving the
    # three list/quote styles once keeps a 50-concern report from taking seconds.
    style_ids = {name: document.styles[name].style_id
                 for name in (LIST_STYLE, "List Continue", QUOTE_STYLE)}

    def paragraph(text: str, style: str):
        para = document.add_paragraph(text)
        para._p.style = style_ids[style]
        return para

    themes = c.numbered_themes(issues)
    if not themes:
        document.add_paragraph("（本次材料中没有发现反复出现的问题。）")
    for numeral, theme in themes:
        document.add_heading(c.theme_heading(numeral, theme), level=2)
        num_id = _new_numbering(document, LIST_STYLE)  # restart at 1. in every theme
        for concern in theme.concerns:
            item = paragraph(c.concern_text(concern), LIST_STYLE)
            _set_num_id(item, num_id)
            if terms := c.terms_line(concern):
                paragraph(terms, "List Continue")
            for quote in concern.quotes:
                para = paragraph("", QUOTE_STYLE)
                para.paragraph_format.left_indent = Cm(1.27)
                para.add_run(c.quote_body(quote))
                source = para.add_run(c.quote_attribution(quote))
                source.italic = False
                source.font.size = Pt(9)

    if issues.keyness:
        document.add_heading(c.keyness_heading(issues), level=2)
        document.add_paragraph(c.keyness_line(issues.keyness))

    note = document.add_paragraph()
    note.add_run(c.METHOD_NOTE).font.size = Pt(9)
    if meta := c.meta_line(issues.meta):
        document.add_paragraph().add_run(meta).font.size = Pt(9)

    with atomic_path(path) as tmp:
        document.save(str(tmp))
        normalize_zip(tmp)
    return path


def _setup_styles(document: DocxDocument) -> None:
    """Give body and heading styles an explicit East-Asian font and the zh-CN language.

    The default template leaves Chinese text to the theme's East-Asian font, which WPS and Word
    on non-Chinese systems resolve to something unsuitable; naming 宋体/黑体 in ``w:eastAsia``
    (and dropping ``w:eastAsiaTheme``, which would win) makes the document look right everywhere.
    """
    styles = document.styles
    _east_asian_font(styles["Normal"], BODY_FONT, lang=True)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _east_asian_font(styles[name], HEADING_FONT)


def _east_asian_font(style: BaseStyle, font: str, *, lang: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), font)
    rfonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    if lang:
        el = rpr.find(qn("w:lang"))
        if el is None:
            el = OxmlElement("w:lang")
            rpr.append(el)
        el.set(qn("w:eastAsia"), "zh-CN")


def _set_core_properties(document: DocxDocument, issues: IssueList) -> None:
    """Title and fixed dates/authors, so the file does not change with the clock or the user."""
    props = document.core_properties
    stamp = c.run_datetime(issues.meta)
    props.title = c.title(issues)
    props.subject = "新就业形态劳动者反映问题（专题报告素材）"
    props.author = "voiceminer"
    props.last_modified_by = "voiceminer"
    props.comments = c.meta_line(issues.meta)
    props.language = "zh-CN"
    props.revision = 1
    props.created = stamp
    props.modified = stamp


def _add_group_table(document: DocxDocument, issues: IssueList) -> None:
    """Respondents by group (count and share of all respondents), with a total row."""
    counts = c.group_counts(issues)
    if not counts:
        return
    total = issues.respondents_total
    table = document.add_table(rows=1, cols=3)
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, ("群体", "受访者（人）", "占比")):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for group, n in counts:
        _table_row(table, group, str(n), c.format_pct(n / total) if total else "—")
    _table_row(table, "合计", str(total), "100%" if total else "—")
    document.add_paragraph()


def _add_theme_overview(document: DocxDocument, issues: IssueList) -> None:
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
    document.add_paragraph("图：各主题提及比例（占受访者）", style="Caption")
    groups = [g for g, _n in c.group_counts(issues)]
    themes = c.ordered_themes(issues)
    table = document.add_table(rows=1, cols=2 + len(groups))
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, ("主题", "全部", *groups)):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    peak = max([t.share for t in themes] + [g.share for t in themes for g in t.groups] + [0.0])
    for theme in themes:
        by_group = {g.group: g.share for g in theme.groups}
        # a group of the province missing from theme.groups had nobody raising it: 0%
        shares = [theme.share, *(by_group.get(g, 0.0) for g in groups)]
        _table_row(table, theme.label, *(c.format_pct(s) for s in shares))
        for cell, share in zip(table.rows[-1].cells[1:], shares):
            _shade(cell, share, peak)
    # a theme label on one line: wide first column, narrow share columns (grid and cells, as
    # Word reads the cell widths and LibreOffice/WPS the grid)
    table.autofit = False
    for i, column in enumerate(table.columns):
        column.width = Cm(3.8) if i == 0 else Cm(2.2)
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Cm(3.8) if i == 0 else Cm(2.2)
    document.add_paragraph("表：各主题在各群体受访者中的提及比例（颜色越深比例越高）", style="Caption")


def _shade(cell: Any, share: float | None, peak: float) -> None:
    """Fill a cell from white to dark blue by ``share / peak``; dark cells get white text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    from ..html.svg import heat_colour

    fill = heat_colour(share, peak).lstrip("#").upper()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)
    if share is not None and peak > 0 and share / peak > 0.55:
        for run in cell.paragraphs[0].runs:
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _table_row(table: Any, *texts: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cells = table.add_row().cells
    for i, (cell, text) in enumerate(zip(cells, texts)):
        cell.text = text
        if i:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _new_numbering(document: DocxDocument, style_name: str) -> int:
    """A fresh ``w:num`` on the list style's abstract numbering that starts again at 1.

    All "List Number" paragraphs share one counter by default, so the second theme would
    continue at 4.; a new num with ``startOverride`` keeps Word's real list but restarts it.
    """
    numbering = document.part.numbering_part.element
    style_num_id = document.styles[style_name].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def _set_num_id(paragraph: Any, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id
