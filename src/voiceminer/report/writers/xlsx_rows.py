"""Sheet rows as SpreadsheetML text, for streamed sheets of hundreds of thousands of rows.

openpyxl's write-only mode still builds a cell object per value and serialises it through lxml:
about 20 µs a cell, so the million-unit code matrix (16 million cells) took longer than the
whole analysis. ``RowWriter`` writes the same XML text openpyxl writes for a write-only sheet
(inline strings, ``t="n"`` numbers as ``%.16g``, ``t="b"`` booleans), byte for byte, with
plain string operations into a temporary file; ``splice_rows`` then puts those rows into the
sheet openpyxl wrote (header only) while fixing the ZIP timestamps as ``normalize_zip`` does.
Any value outside the plain cases (dates, formulas, error codes, unusual characters) is
serialised by openpyxl's own cell writer, so the file is always what openpyxl would write.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from io import BytesIO
from typing import IO, Any, Final

from ._atomic import ZIP_EPOCH

_ESCAPE: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_SPECIAL: Final = re.compile("[&<>\r]")
# characters left to openpyxl/lxml: XML-illegal ones, C1 controls, surrogates, non-characters
_UNUSUAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MAX_CHARS: Final = 32767


def column_letters(n: int) -> list[str]:
    """Excel column names for columns 1..n (A, B, …, Z, AA, …)."""
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, n + 1)]


class RowWriter:
    """Rows of a write-only sheet as XML text in a temporary file (next to the target)."""

    def __init__(self, ws: Any, n_columns: int, first_row: int, folder: Path | None,
                 styles: dict[str, str] | None = None) -> None:
        self.ws = ws  # the openpyxl sheet, for values only openpyxl can write
        self.letters = column_letters(n_columns)
        self.row = first_row
        # a temporary file next to the target, or memory when ``folder`` is None
        self.file: IO[bytes] = (tempfile.TemporaryFile(dir=folder, prefix=".rows-")
                                if folder is not None else BytesIO())
        self.size = 0
        # style id per column letter (cells of a styled column carry ``s="id"``)
        self.styles = styles or {}

    def add(self, rows: Any) -> None:
        """Append ``rows`` (sequences of values as ``excel_cell`` returns them)."""
        parts: list[str] = []
        for values in rows:
            r = str(self.row)
            parts.append(f'<row r="{r}">')
            for letter, v in zip(self.letters, values):
                style = self.styles.get(letter)
                if style is None:
                    parts.append(self._cell(letter + r, v))
                elif v is None:
                    parts.append(f'<c r="{letter}{r}" s="{style}" t="n"></c>')
                else:  # attributes in openpyxl's order: r, s, t
                    parts.append(self._cell(letter + r, v).replace(
                        f'<c r="{letter}{r}"', f'<c r="{letter}{r}" s="{style}"', 1))
            parts.append("</row>")
            self.row += 1
        # non-ASCII text becomes character references here, once for the whole batch, as
        # openpyxl's ASCII serialisation writes it (cell by cell it cost more than the rest)
        data = "".join(parts).encode("ascii", "xmlcharrefreplace")
        self.file.write(data)
        self.size += len(data)

    def _cell(self, ref: str, v: Any) -> str:
        kind = type(v)
        if kind is str:
            if not v:
                return f'<c r="{ref}" t="inlineStr"></c>'
            if len(v) <= _MAX_CHARS and v[0] not in "=#" and not _UNUSUAL.search(v):
                # escaped only when needed: translating every Chinese string through a dict
                # is slow, and most hold none of & < > \r
                text = v.translate(_ESCAPE) if _SPECIAL.search(v) else v
                # leading or trailing whitespace, which is what ``v != v.strip()`` tells
                space = ' xml:space="preserve"' if v[0].isspace() or v[-1].isspace() else ""
                return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
        elif v is None:
            return ""
        elif kind is int:
            return f'<c r="{ref}" t="n"><v>{"%.16g" % v}</v></c>'
        elif kind is bool:
            return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
        elif kind is float and v == v and v not in (float("inf"), float("-inf")):
            return f'<c r="{ref}" t="n"><v>{"%.16g" % v}</v></c>'
        return self._openpyxl_cell(ref, v)

    def _openpyxl_cell(self, ref: str, v: Any) -> str:
        """``v`` serialised by openpyxl itself (the rare value the fast path does not cover)."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell._writer import write_cell
        from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
        from openpyxl.xml.functions import xmlfile

        letter, row = coordinate_from_string(ref)
        cell = WriteOnlyCell(self.ws, v)
        cell.row, cell.column = row, column_index_from_string(letter)
        buf = BytesIO()
        with xmlfile(buf) as xf:
            write_cell(xf, self.ws, cell, cell.has_style)
        return buf.getvalue().decode("ascii")


def splice_rows(path: Path, rows: RowWriter, sheet_member: str = "xl/worksheets/sheet1.xml"
                ) -> None:
    """Rewrite the workbook at ``path`` with ``rows`` added at the end of the sheet's data and
    every member stamped 1980-01-01 (as ``normalize_zip``); the rows are streamed, not read
    into memory."""
    splice_sheets(path, {sheet_member: rows})


def splice_sheets(path: Path, sheets: dict[str, Any]) -> None:
    """``splice_rows`` for several sheets: ``sheets`` maps a member name to a ``RowWriter``, or
    to a function that gets the member's XML (as openpyxl wrote it) and returns the
    ``RowWriter`` and the corrected ``<dimension ref>`` (normal-mode sheets record one)."""
    tmp = path.with_name(path.name + ".splice")
    opened: list[RowWriter] = []
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
            for info in src.infolist():
                fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
                fixed.compress_type = info.compress_type
                fixed.external_attr = 0o600 << 16
                fixed.create_system = 0
                data = src.read(info)
                rows = sheets.get(info.filename)
                if rows is None:
                    dst.writestr(fixed, data)
                    continue
                if callable(rows):
                    rows, ref = rows(data)
                    if ref:
                        data = _DIMENSION.sub(f'<dimension ref="{ref}"/>'.encode(), data, 1)
                opened.append(rows)
                if b"</sheetData>" not in data:  # a sheet with no rows at all
                    data = data.replace(b"<sheetData/>", b"<sheetData></sheetData>", 1)
                cut = data.rindex(b"</sheetData>")
                head, tail = data[:cut], data[cut:]
                rows.file.seek(0)
                fixed.file_size = len(head) + rows.size + len(tail)  # as writestr sets it
                with dst.open(fixed, "w") as out:
                    out.write(head)
                    shutil.copyfileobj(rows.file, out, 1 << 20)
                    out.write(tail)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
        for rows in opened:
            rows.file.close()


_DIMENSION: Final = re.compile(rb'<dimension ref="[^"]*"/>')
_ROW2_CELL: Final = re.compile(rb'<c r="([A-Z]+)2"(?: s="(\d+)")?')


def row_styles(sheet_xml: bytes) -> dict[str, str]:
    """Style ids of the cells in row 2 of a sheet openpyxl wrote, by column letter: every later
    row of a table sheet is styled as its row 2."""
    start = sheet_xml.find(b'<row r="2"')
    if start < 0:
        return {}
    end = sheet_xml.find(b"</row>", start)
    return {m.group(1).decode(): m.group(2).decode()
            for m in _ROW2_CELL.finditer(sheet_xml, start, end) if m.group(2)}
