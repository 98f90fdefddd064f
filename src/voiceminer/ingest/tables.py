"""Load spreadsheets and CSV files as rows of strings, each with the row number a person sees.

Surveys and forum exports are both tables; keeping the loading here means the row numbers in
``origin`` (Excel row, or CSV file line) are computed once and the same way for both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ..errors import InputFileError

_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XLSX_HINT: Final = "open it in Excel/WPS and save it again as .xlsx, or export it as UTF-8 .csv"


@dataclass(frozen=True)
class Sheet:
    """One sheet (or a whole CSV); ``rows`` are ``(row_number, cells)``, blank rows left out."""

    name: str
    rows: list[tuple[int, list[str]]]


def cell_text(value: object) -> str:
    """A cell as the text a person sees: 3.0 → "3", dates as ISO, None → ""."""
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


def load_xlsx(path: Path) -> list[Sheet]:
    """Every worksheet of an .xlsx/.xlsm, with cached formula values rather than formulas."""
    import zipfile

    from openpyxl import load_workbook

    from .zipguard import check_zip, is_encrypted_office

    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
        if magic == _OLE_MAGIC and is_encrypted_office(path):
            raise InputFileError(path, "the workbook is password-protected",
                                 hint="open it in Excel/WPS, remove the password (文件 → 信息 → "
                                      "保护工作簿) and save it again as .xlsx")
        if magic == _OLE_MAGIC:
            raise InputFileError(path, "this is an old Excel .xls file (or an encrypted workbook) "
                                       "with an .xlsx name", hint=_XLSX_HINT)
        check_zip(path, hint=_XLSX_HINT)
        workbook = load_workbook(str(path), read_only=True, data_only=True)
    except InputFileError:
        raise
    except OSError as exc:
        raise InputFileError(path, f"cannot open the file ({exc.strerror or exc})",
                             hint="check that you may read it") from exc
    except zipfile.BadZipFile as exc:
        raise InputFileError(path, f"not a valid .xlsx ({exc})", hint=_XLSX_HINT) from exc
    except Exception as exc:  # openpyxl raises many types for broken workbooks
        raise InputFileError(path, f"not a valid .xlsx ({type(exc).__name__}: {exc})",
                             hint=_XLSX_HINT) from exc
    sheets: list[Sheet] = []
    try:
        for ws in workbook.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # some exporters write a wrong <dimension>, hiding rows
            rows: list[tuple[int, list[str]]] = []
            for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                if any(cells):
                    rows.append((number, _trim(cells)))
            sheets.append(Sheet(ws.title, rows))
    except Exception as exc:
        raise InputFileError(path, f"the workbook is damaged ({type(exc).__name__}: {exc})",
                             hint=_XLSX_HINT) from exc
    finally:
        workbook.close()
    return sheets


def load_csv(path: Path) -> Sheet:
    """A CSV file in any Chinese encoding; row numbers are the file line each record starts on."""
    from .encoding import read_text

    text, _encoding = read_text(path)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            cells = [c.strip() for c in record]
            if any(cells):
                rows.append((start, _trim(cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputFileError(path, f"broken CSV near line {reader.line_num} ({exc})",
                             line=reader.line_num,
                             hint="check for an unclosed quote, or re-export the file") from exc
    return Sheet("", rows)


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
