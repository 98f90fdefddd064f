"""Flatten a .docx into located lines so Word notes parse exactly like text notes.

Paragraph N is the N-th paragraph of the document body (what a reader counts scrolling down,
ignoring tables); table rows are located as 表k行r. A header table (字段 | 值) becomes
"字段：值" lines and a 问题 | 回答 table becomes 问/答 lines, so ``turns.parse_turns`` needs no
Word-specific rules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..errors import InputFileError
from .markers import HEADER_KEYS, is_label
from .turns import Line

if TYPE_CHECKING:
    from docx.table import Table

_MC: Final = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_HINT: Final = "re-save it from Word/WPS as .docx, or export it as .txt"
_QUESTION_HEADS: Final = ("问题", "提问", "访谈问题", "问", "访谈员", "Q")
_ANSWER_HEADS: Final = ("回答", "答", "受访者回答", "受访者", "回复", "A")


def docx_lines(path: Path) -> list[Line]:
    """Body paragraphs and table rows of a .docx, in document order.

    Paragraphs are numbered as a reader counts them, skipping empty ones: a notes file that
    opens with a header table and an empty paragraph had every quote placed one paragraph after
    where a reader counting the visible ones looked.

    Raises ``InputFileError`` naming the reason and the fix when the file is not a readable
    .docx (truncated zip, an old .doc renamed, a WPS file with a wrong extension).
    """
    document = _open(path)
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[Line] = []
    n_par = n_table = 0
    # whether a style id is a heading's, worked out once per id: python-docx resolves a
    # paragraph's style by reading every style of the document, 3 ms a paragraph, which made
    # reading 400 interviews of 29 paragraphs take 20 s
    headings: dict[str | None, bool] = {}
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            boxes = _text_box_paragraphs(block)  # drawn boxes anchored in it
            n_par += bool(block.text.strip() or any(t.strip() for t in boxes))
            style_id = block._p.style
            heading = headings.get(style_id)
            if heading is None:
                heading = headings[style_id] = _is_heading(block)
            for part in block.text.split("\n"):  # Shift+Enter line breaks inside a paragraph
                lines.append(Line(str(n_par), part, heading))
            for text in boxes:
                lines.extend(Line(str(n_par), part) for part in text.split("\n"))
        elif isinstance(block, Table):
            n_table += 1
            lines.extend(_table_lines(block, n_table))
    return lines


def _open(path: Path) -> Any:
    """``docx.Document(path)`` with every failure mode turned into an ``InputFileError``."""
    import zipfile

    import docx

    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise InputFileError(path, f"cannot open the file ({exc.strerror or exc})",
                             hint="check that you may read it") from exc
    from .zipguard import OLE_MAGIC, check_zip, is_encrypted_office, zip_without

    if magic == OLE_MAGIC and is_encrypted_office(path):
        raise InputFileError(path, "the document is password-protected",
                             hint="open it in Word/WPS, remove the password and save it as .docx")
    if magic == OLE_MAGIC:
        raise InputFileError(path, "this is an old Word .doc file with a .docx name",
                             hint="open it in Word/WPS and save it as .docx")
    check_zip(path, hint=_HINT)
    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx/zipfile/lxml raise many types for broken packages
        from docx.opc.exceptions import PackageNotFoundError

        other = zip_without(path, "word/", "a Word document") if magic[:2] == b"PK" else None
        if other:  # a plain zip renamed (notes.txt zipped up): say what it holds
            raise InputFileError(path, other, hint="unzip it and put the files it holds in the "
                                 "corpus folder, or open it in Word/WPS and save it as .docx"
                                 ) from exc
        if magic[:2] != b"PK":
            reason = "not a zip archive, so not a Word document"
        elif isinstance(exc, (zipfile.BadZipFile, PackageNotFoundError)):
            reason = "zip is truncated"
        else:
            reason = f"{type(exc).__name__}: {exc}"
        raise InputFileError(path, f"not a valid .docx ({reason})", hint=_HINT) from exc


def _text_box_paragraphs(paragraph: Any) -> list[str]:
    """Texts of the paragraphs inside text boxes anchored in ``paragraph``, which python-docx's
    ``Paragraph.text`` leaves out: notes typed into a text box would otherwise vanish.

    Word stores a box twice, as a drawing (mc:Choice) and as a VML fallback; the fallback is
    read only when there is no drawing version, and a box inside a box only through its outer one.
    """
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    box_tag, p_tag = qn("w:txbxContent"), qn("w:p")
    texts = []
    for box in paragraph._p.iter(box_tag):
        if any(True for _ in box.iterancestors(box_tag)) or _fallback_with_choice(box, box_tag):
            continue
        texts.extend(Paragraph(p, paragraph._parent).text for p in box.iter(p_tag))
    return texts


def _fallback_with_choice(box: Any, box_tag: str) -> bool:
    for ancestor in box.iterancestors(f"{{{_MC}}}Fallback"):
        alternate = ancestor.getparent()
        return any(True for choice in alternate.iterchildren(f"{{{_MC}}}Choice")
                   for _ in choice.iter(box_tag))
    return False


def _is_heading(paragraph: Any) -> bool:
    """Word "Heading n"/"标题 n"/"Title" styles mark section titles, not speech."""
    try:
        name = paragraph.style.name if paragraph.style is not None else ""
    except Exception:  # a style id with no definition in styles.xml
        return False
    return bool(re.match(r"(?i)^(heading|title|标题)", name or ""))


def _row_cells(row: Any) -> list[str]:
    """Cell texts of a row, with horizontally merged cells (repeated by python-docx) once.

    A cell's text includes the tables nested in it, one line per paragraph (``cell.text`` leaves
    them out)."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    out: list[str] = []
    previous = None
    for cell in row.cells:
        if cell._tc is previous:
            continue
        previous = cell._tc
        if cell._tc.find(f".//{qn('w:tbl')}") is None:
            out.append(cell.text.strip())
        else:
            out.append("\n".join(Paragraph(p, cell).text
                                  for p in cell._tc.iter(qn("w:p"))).strip())
    return out


def _table_lines(table: Table, k: int) -> list[Line]:
    """Lines for one table: header fields, question/answer pairs, or joined cells."""
    rows = [_row_cells(r) for r in table.rows]
    lines: list[Line] = []
    first = [c.strip("：: ") for c in rows[0]] if rows else []
    qa = (len(first) >= 2 and first[0] in _QUESTION_HEADS and first[1] in _ANSWER_HEADS)
    for r, cells in enumerate(rows, start=1):
        loc = f"表{k}行{r}"
        if qa:
            if r > 1 and any(cells[:2]):
                lines.append(Line(loc, f"问：{cells[0]}"))
                lines.append(Line(loc, f"答：{cells[1] if len(cells) > 1 else ''}"))
            continue
        pairs = [(cells[i].strip("：: "), cells[i + 1]) for i in range(0, len(cells) - 1, 2)]
        if pairs and all(key in HEADER_KEYS for key, _ in pairs if key):
            lines.append(Line(loc, "  ".join(f"{key}：{value}" for key, value in pairs if key)))
            continue
        if len(cells) == 2 and is_label(cells[0]):  # | 问 | 您每天… | rows
            lines.append(Line(loc, f"{cells[0].rstrip('：: ')}：{cells[1]}"))
            continue
        for text in (t for t in cells if t):
            for part in text.split("\n"):
                lines.append(Line(loc, part))
    return lines
