"""Sheet rows as SpreadsheetML text, for streamed sheets of hundreds of thousands of rows.

openpyxl's write-only mode still builds a cell object per value and serialises it through lxml:
about 20 µs a cell, so the million-unit code matrix (16 million cells) took longer than the
whole analysis. ``RowWriter`` writes the same XML text openpyxl writes for a write-only sheet
(inline strings, ``t="n"`` numbers as ``%.16g``, ``t="b"`` booleans), byte for byte, with
plain string operations into a temporary file; ``splice_sheets`` then puts those rows into the
sheet openpyxl wrote (header only) while fixing the ZIP timestamps as ``normalize_zip`` does.
Any value outside the plain cases (dates, formulas, error codes, unusual characters) is
serialised by openpyxl's own cell writer, so the file is always what openpyxl would write.

Rows are turned into XML a column at a time: a cell is ``<c r="`` + letter + row number + the
rest (its *tail*), and the tail depends on the value alone, so a column's tails are worked out
once per distinct value (a province, a 0/1 code, a status), the text of a column escaped and
encoded in one call, and each row is one ``%``-format of a row template. Cell by cell, in
Python, this was most of the time a run spent writing workbooks.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from io import BytesIO
from pathlib import Path
from typing import IO, Any, Final

from ._atomic import ZIP_EPOCH

_ESCAPE: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_SPECIAL: Final = re.compile("[&<>\r]")
# characters left to openpyxl/lxml: XML-illegal ones, C1 controls, surrogates, non-characters
_UNUSUAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MAX_CHARS: Final = 32767
# value types whose tails can be looked up by value: ``True == 1`` and ``-0.0 == 0`` would
# share a dict entry with a different tail, so bools and floats are worked out cell by cell
_BY_VALUE: Final = frozenset({str, int, type(None)})


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

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        """Append ``rows`` (sequences of values as ``excel_cell`` returns them)."""
        batch: list[Sequence[Any]] = []
        for values in rows:
            if batch and len(values) != len(batch[0]):  # a short note row: its own batch
                self._add_batch(batch)
                batch = []
            batch.append(values)
        if batch:
            self._add_batch(batch)

    def _add_batch(self, rows: list[Sequence[Any]]) -> None:
        self.add_columns([list(col) for col in zip(*rows)], len(rows))

    def add_columns(self, columns: Sequence[Sequence[Any]], n_rows: int | None = None) -> None:
        """Append rows given as columns (equal-length lists of values, first column first);
        ``n_rows`` is needed only when there are no columns."""
        columns = columns[: len(self.letters)]
        n = len(columns[0]) if columns else (n_rows or 0)
        if not n:
            return
        first = self.row
        numbers = [b"%d" % r for r in range(first, first + n)]
        # each row is one %-format of a row template: a cell is ``<c r="A`` %s (row) %s (tail)
        template, args = [b'<row r="%s">'], [numbers]
        whole: dict[int, list[bytes]] = {}  # columns given as whole cells, by column
        slow: list[tuple[int, int]] = []  # (row offset, column) of cells left to openpyxl
        for j, (letter, values) in enumerate(zip(self.letters, columns)):
            style = self.styles.get(letter)
            tails = _column_tails(values, b' s="%s"' % style.encode() if style else b"")
            start = b'<c r="' + letter.encode()
            if b"" not in tails and None not in tails:
                template.append(start + b"%s%s")
                args += [numbers, tails]
                continue
            # an empty tail: an empty unstyled cell, which openpyxl leaves out
            whole[j] = [start + r + t if t else b"" for r, t in zip(numbers, tails)]
            template.append(b"%s")
            args.append(whole[j])
            slow.extend((i, j) for i, t in enumerate(tails) if t is None)
        # in row order, as openpyxl meets them: a date cell registers its number format
        for i, j in sorted(slow):
            ref = f"{self.letters[j]}{first + i}"
            whole[j][i] = self._slow_cell(ref, columns[j][i]).encode("ascii")
        template.append(b"</row>")
        data = b"".join(map(b"".join(template).__mod__, zip(*args)))
        self.file.write(data)
        self.size += len(data)
        self.row += n

    def _slow_cell(self, ref: str, v: Any) -> str:
        """A cell openpyxl writes, with the column's style id put in openpyxl's attribute
        order (r, s, t) unless openpyxl gave it one (a date's number format: the style of a
        column of dates, whose row 2 registered it)."""
        style = self.styles.get(ref.rstrip("0123456789"))
        text = self._openpyxl_cell(ref, v)
        if style is None or text.startswith(f'<c r="{ref}" s="'):
            return text
        return text.replace(f'<c r="{ref}"', f'<c r="{ref}" s="{style}"', 1)

    def _openpyxl_cell(self, ref: str, v: Any) -> str:
        """``v`` serialised by openpyxl itself (the rare value the fast path does not cover)."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell._writer import write_cell
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
        from openpyxl.xml.functions import xmlfile

        letter, row = coordinate_from_string(ref)
        cell = WriteOnlyCell(self.ws, v)
        cell.row, cell.column = row, column_index_from_string(letter)
        buf = BytesIO()
        with xmlfile(buf) as xf:
            write_cell(xf, self.ws, cell, cell.has_style)
        return buf.getvalue().decode("ascii")


def _column_tails(values: Sequence[Any], style: bytes) -> list[bytes | None]:
    """Each value's cell XML after its row number (``None``: openpyxl must write it), worked
    out once per distinct value where values of equal value always have the same XML."""
    tail = _Tails(style)
    kinds = set(map(type, values))
    if not kinds <= _BY_VALUE:
        return [tail(v) for v in values]
    distinct = list(dict.fromkeys(values))
    if kinds == {str} and len(distinct) == len(values):  # ids, quotes: nothing to share
        return _text_tails(distinct, tail)
    texts = distinct if kinds == {str} else [v for v in distinct if type(v) is str]
    table = dict(zip(texts, _text_tails(texts, tail)))
    if kinds != {str}:
        table.update((v, tail(v)) for v in distinct if type(v) is not str)
    return list(map(table.__getitem__, values))


def _text_tails(texts: list[str], tail: _Tails) -> list[bytes | None]:
    """``tail(v)`` for each of ``texts`` (distinct strings), the common case (text openpyxl
    writes plainly) done for all of them at once by ``_plain_tails``."""
    unusual = _UNUSUAL.search("\n".join(texts)) is not None  # "\n" is not unusual
    plain = [v for v in texts if v and len(v) <= _MAX_CHARS and v[0] not in "=#"
             and not (unusual and _UNUSUAL.search(v))]
    if len(plain) == len(texts):
        return _plain_tails(plain, tail.head)
    table = dict(zip(plain, _plain_tails(plain, tail.head))) if plain else {}
    return [table[v] if v in table else tail(v) for v in texts]


def _plain_tails(plain: list[str], head: bytes) -> list[bytes]:
    """Inline-string tails of ``plain`` strings: escaped, encoded and wrapped as one string,
    then split (per string, the calls cost more than the work)."""
    # plain text holds no NUL (it is unusual), so NUL separates the strings
    joined = "\x00".join(plain)
    if _SPECIAL.search(joined):  # what _ESCAPE does, a replacement at a time
        joined = (joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                  .replace("\r", "&#13;"))
    start, end = head + b' t="inlineStr"><is><t>', b"</t></is></c>"
    encoded = joined.encode("ascii", "xmlcharrefreplace")
    done = (start + encoded.replace(b"\x00", end + b"\x00" + start) + end).split(b"\x00")
    # leading or trailing whitespace (``v != v.strip()``): kept by xml:space="preserve"
    for i in [i for i, v in enumerate(plain) if v[0].isspace() or v[-1].isspace()]:
        done[i] = done[i].replace(b"<t>", b'<t xml:space="preserve">', 1)
    return done


class _Tails:
    """The cell XML after the row number for one column's values: the fast path's text, as
    bytes with non-ASCII characters as character references (openpyxl's ASCII output)."""

    def __init__(self, style: bytes) -> None:
        self.head = b'"' + style
        # a styled empty cell is written; an unstyled one is left out (b"")
        self.none = self.head + b' t="n"></c>' if style else b""

    def __call__(self, v: Any) -> bytes | None:
        kind = type(v)
        if kind is str:
            return self.text(v)
        if v is None:
            return self.none
        if kind is int or (kind is float and math.isfinite(v)):
            return self.head + b' t="n"><v>' + ("%.16g" % v).encode() + b"</v></c>"
        if kind is bool:
            return self.head + b' t="b"><v>%d</v></c>' % v
        return None

    def text(self, v: str) -> bytes | None:
        if not v:
            return self.head + b' t="inlineStr"></c>'
        if len(v) > _MAX_CHARS or v[0] in "=#" or _UNUSUAL.search(v):
            return None
        # escaped only when needed: translating every Chinese string through a dict is slow
        text = v.translate(_ESCAPE) if _SPECIAL.search(v) else v
        # leading or trailing whitespace, which is what ``v != v.strip()`` tells
        space = b' xml:space="preserve"' if v[0].isspace() or v[-1].isspace() else b""
        return (self.head + b' t="inlineStr"><is><t' + space + b">"
                + text.encode("ascii", "xmlcharrefreplace") + b"</t></is></c>")


# Deflate level of the finished workbooks. Level 1 compresses five times faster than zlib's
# default (6) for files about a third larger (quotes_by_code.xlsx of the seed-scale study: 8.4
# instead of 6.1 MB); the XML inside is the same.
ZIP_LEVEL: Final = 1


def splice_sheets(path: Path, sheets: dict[str, Any], package: bytes | None = None) -> None:
    """Rewrite the workbook at ``path`` with rows added at the end of sheets' data and every
    member stamped 1980-01-01 (as ``normalize_zip``); the rows are streamed, not read into
    memory. ``sheets`` maps a member name to a ``RowWriter``, or
    to a function that gets the member's XML (as openpyxl wrote it) and returns the
    ``RowWriter`` and the corrected ``<dimension ref>`` (normal-mode sheets record one).

    ``package``: the workbook as openpyxl wrote it, when it was written to memory (best
    uncompressed: it is read once) rather than to ``path``; ``path`` is then written directly.
    Members are stored deflated at ``ZIP_LEVEL`` with fixed dates, so a workbook is compressed
    once, here."""
    if package is not None:
        with zipfile.ZipFile(BytesIO(package)) as src:
            _copy_package(src, path, sheets)
        return
    tmp = path.with_name(path.name + ".splice")
    try:
        with zipfile.ZipFile(path) as src:
            _copy_package(src, tmp, sheets)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _copy_package(src: zipfile.ZipFile, target: Path, sheets: dict[str, Any]) -> None:
    """Every member of ``src`` into a new ZIP at ``target``, the rows of ``sheets`` added."""
    opened: list[RowWriter] = []
    try:
        with zipfile.ZipFile(target, "w") as dst:
            for info in src.infolist():
                fixed = _fixed_info(info.filename)
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
                _write_sheet(dst, fixed, data, rows)
    finally:
        for rows in opened:
            rows.file.close()


def _fixed_info(name: str) -> zipfile.ZipInfo:
    """A member header with the fixed date and attributes ``normalize_zip`` gives."""
    fixed = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    fixed.compress_type = zipfile.ZIP_DEFLATED
    # the level is read from the header (ZipInfo.compress_level on Python >= 3.13, which
    # keeps this name as an alias)
    fixed._compresslevel = ZIP_LEVEL
    fixed.external_attr = 0o600 << 16
    fixed.create_system = 0
    return fixed


def _write_sheet(dst: zipfile.ZipFile, fixed: zipfile.ZipInfo, data: bytes,
                 rows: RowWriter) -> None:
    """The sheet ``data`` with the rows streamed in before ``</sheetData>``."""
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
