"""The Word file's settings, apart from its content: A4 pages, Chinese fonts and proofing
language, fixed document properties, and the python-docx template's leftovers dropped.

``word.write_docx`` calls ``prepare`` on a new document before adding the report and ``finish``
before saving it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ..model import IssueList
from . import _content as c

if TYPE_CHECKING:  # python-docx is imported lazily; these are for type checkers only.
    from docx.document import Document as DocxDocument
    from docx.styles.style import BaseStyle

BODY_FONT: Final = "宋体"
HEADING_FONT: Final = "黑体"


def prepare(document: DocxDocument, issues: IssueList) -> None:
    """A4 pages, the fonts and language of the styles, and the document's properties."""
    _a4(document)
    _setup_styles(document)
    _set_core_properties(document, issues)


def finish(document: DocxDocument) -> None:
    """What is done just before saving."""
    _drop_template_leftovers(document)


def _a4(document: DocxDocument) -> None:
    """A4 with 2.5 cm margins: python-docx's template is US Letter, which a Chinese report would
    have to be re-set from before printing."""
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)


def _setup_styles(document: DocxDocument) -> None:
    """Give body and heading styles an explicit East-Asian font and the zh-CN language.

    The default template leaves Chinese text to the theme's East-Asian font, which WPS and Word
    on non-Chinese systems resolve to something unsuitable; naming 宋体/黑体 in ``w:eastAsia``
    (and dropping ``w:eastAsiaTheme``, which would win) makes the document look right everywhere.
    """
    styles = document.styles
    _east_asian_font(styles["Normal"], BODY_FONT, lang=True)
    # the template's document defaults say en-US for East-Asian text, which styles not based on
    # Normal (tables, footnotes) inherit: Word would proof their Chinese as English
    from docx.oxml.ns import qn

    for lang in styles.element.iterfind(f"{qn('w:docDefaults')}//{qn('w:lang')}"):
        lang.set(qn("w:eastAsia"), "zh-CN")
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


def _drop_template_leftovers(document: DocxDocument) -> None:
    """Leave out two parts python-docx's template carries: its thumbnail, a picture of a blank
    page that file browsers showed as the report's preview (national review), and
    ``stylesWithEffects.xml``, a second copy of the styles only Word 2010 reads (it falls back to
    ``styles.xml``). A part no relationship points to is not written."""
    for rels, kind in ((document.part.package.rels, "/thumbnail"),
                       (document.part.rels, "/stylesWithEffects")):
        for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith(kind)]:
            del rels[rid]
