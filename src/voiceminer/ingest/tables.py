"""Load CSV files as rows of strings, each with the row number a person sees (the file line).

Surveys and forum exports are both tables; keeping the loading here means the row numbers in
``origin`` are computed once and the same way for both. Workbooks are read by ``workbooks``
into the same ``Sheet``, numbered by Excel row, with the same ``cell_text``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from ..errors import InputFileError

_LINE: Final = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_MAX_FIELD: Final = 2**31 - 1  # csv.field_size_limit takes a C long, 32 bits on Windows
_DELIMITER_NAMES: Final = {",": "commas", "\t": "tabs", ";": "semicolons", "|": "bars (|)"}


@dataclass(frozen=True)
class Sheet:
    """One sheet (or a whole CSV); ``rows`` are ``(row_number, cells)``, blank rows left out.

    The extra fields let readers explain rows rather than mis-read them: ``widths`` is the raw
    field count of each CSV row (so a row with one comma too many is reported, not shifted into
    an invented column), ``problems`` holds rows that could not be split into cells at all (row
    number -> what is wrong, they are not in ``rows``), and ``uncached`` the ``(row, column)``
    of .xlsx formulas that have no saved value, which read as empty cells.
    """

    name: str
    rows: list[tuple[int, list[str]]]
    widths: dict[int, int] = field(default_factory=dict)
    problems: dict[int, str] = field(default_factory=dict)
    uncached: frozenset[tuple[int, int]] = frozenset()
    delimiter: str = ","


def cell_text(value: object) -> str:
    """A cell as the text a person sees: 3.0 → "3", dates as ISO, None → ""."""
    if type(value) is str:  # nearly every cell, and every forum post's fields
        return value.strip()
    if type(value) is float:  # a questionnaire's closed answers, as calamine reads them
        return str(int(value)) if value.is_integer() else str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def load_csv(path: Path) -> Sheet:
    """A CSV file in any Chinese encoding; row numbers are the file line each record starts on.

    A stray opening quote makes the csv module read every following line into one cell, which
    would silently merge many respondents into one; such a row is listed in ``problems`` and the
    lines it swallowed are read again as rows of their own.
    """
    from .encoding import read_text

    text, _encoding = read_text(path)
    delimiter = _delimiter(text)
    lines = _LINE.findall(text)
    with _field_limit(len(text)):
        return _parse_csv(path, lines, delimiter)


@contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let one cell be as long as the whole file for this read, then restore the old limit.

    The default limit (131,072 characters) rejects a file with one pasted essay as "broken";
    such a cell is read and later ledgered as too long instead.
    """
    old = csv.field_size_limit()
    csv.field_size_limit(min(max(old, size + 1), _MAX_FIELD))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _parse_csv(path: Path, lines: list[str], delimiter: str) -> Sheet:
    """Records of ``lines``, restarting after a row whose unclosed quote swallowed other rows."""
    rows: list[tuple[int, list[str]]] = []
    widths: dict[int, int] = {}
    problems: dict[int, str] = {}
    expected = 0  # field count of the header (first record with two filled cells)
    pos = 0  # index of the first line not parsed yet
    while pos < len(lines):
        reader = csv.reader(iter(lines[pos:]), delimiter=delimiter)
        done, resume = 0, None
        try:
            for record in reader:
                start, end = pos + done + 1, pos + reader.line_num
                done = reader.line_num
                if not expected and sum(1 for c in record if c.strip()) >= 2:
                    expected = len(record)
                if end > start and _swallowed(lines[start:end], delimiter, expected):
                    problems[start] = _unclosed_message(record, end - start)
                    resume = start
                    break
                cells = [c.strip() for c in record]
                if any(cells):
                    rows.append((start, _trim(cells)))
                    widths[start] = len(record)
        except csv.Error as exc:
            line = pos + reader.line_num
            raise InputFileError(path, f"broken CSV near line {line} ({exc})", line=line,
                                 hint="check for an unclosed quote, or re-export the file") from exc
        if resume is None:
            break
        pos = resume
    return Sheet("", rows, widths=widths, problems=problems, delimiter=delimiter)


def _swallowed(continuation: list[str], delimiter: str, expected: int) -> bool:
    """Whether the extra physical lines of one record look like data rows of their own.

    A real multi-line answer continues with prose; lines that split into exactly the header's
    field count and hold no quote mark are rows read into a cell by an unclosed quote.
    """
    if expected < 2:
        return False
    filled = [ln for ln in continuation if ln.strip()]
    rowlike = sum(1 for ln in filled if '"' not in ln
                  and len(next(csv.reader([ln], delimiter=delimiter), [])) == expected)
    return rowlike > 0 and 2 * rowlike >= len(filled)


def _unclosed_message(record: list[str], swallowed: int) -> str:
    """What went wrong on a row whose quote never closed, and what to do about it."""
    field_no = next((j for j, c in enumerate(record, start=1) if "\n" in c or "\r" in c),
                    len(record))
    return (f"unclosed quote in field {field_no}: the next {swallowed} line(s) were read into "
            f"this one answer — they were read again as rows of their own and this row was "
            f"skipped; add the closing \" (or delete the stray one) and run again")


def ragged_rows(sheet: Sheet, header_at: int) -> dict[int, str]:
    """Data rows of a CSV whose field count differs from the header's, with what to do.

    Such a row cannot be mapped onto the questions: an unquoted comma inside an answer shifts
    the rest of the row into a column that does not exist (and the author name into the post
    content), so it is reported instead. Trailing empty fields are allowed either way.
    """
    if not sheet.widths or header_at >= len(sheet.rows):
        return {}
    head_number, head_cells = sheet.rows[header_at]
    head_width = sheet.widths.get(head_number, len(head_cells))
    separator = _DELIMITER_NAMES.get(sheet.delimiter, repr(sheet.delimiter))
    out: dict[int, str] = {}
    for number, cells in sheet.rows[header_at + 1:]:
        width = sheet.widths.get(number, len(cells))
        if len(cells) > head_width:
            out[number] = (f"{width} fields, header has {head_width} — quote answers that "
                           f"contain {separator} (\"…\"), or re-export the file; row skipped")
        elif width < len(head_cells):
            out[number] = (f"{width} fields, header has {head_width} — the row is cut short "
                           f"(a line break inside an unquoted answer?); join it with the next "
                           f"line or re-export the file; row skipped")
    return out


def _delimiter(text: str) -> str:
    """The separator used in the first non-blank line: comma unless tab/semicolon/| dominate."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _trim(cells: list[str]) -> list[str]:
    """Drop trailing empty cells so ragged rows compare equal."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]
