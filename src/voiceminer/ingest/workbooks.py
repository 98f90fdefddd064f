"""Load .xlsx/.xlsm workbooks as ``tables.Sheet`` rows of strings, numbered as Excel numbers them.

A season's questionnaires arrive as exports of 20,000 rows and 40 columns. openpyxl, even in its
read-only mode, builds a Python object per cell and read such a sheet in 6.9 s; python-calamine
(the Rust calamine crate) read it in 0.7 s. So calamine reads the values, and openpyxl is kept
for the workbooks where it tells more:

- a workbook with formulas: a formula written by a script (never opened in Excel) has no saved
  result, and openpyxl tells that apart from a saved empty result, so the reader can say "open
  and save it" instead of "no answer" (``Sheet.uncached``); calamine reads both as empty;
- a workbook with error cells (#DIV/0!, #N/A), which calamine reads as empty and openpyxl as
  their text;
- a workbook whose cells would be a much larger grid than they are (one stray cell at XFD1
  beside 2,000 rows: calamine builds every sheet dense from A1, 1.4 GB; see ``workbook_scan``);
- a workbook calamine cannot read, or finds no sheet in: openpyxl then reads it, or says what
  is wrong with it in the words the rest of the readers use.

Both give the same strings for every other cell (``tables.cell_text``: numbers, dates in custom
number formats, Chinese ones included, times, booleans), which
``tests/ingest/test_workbooks.py`` checks on one workbook of each kind. Both decode the file
format's escapes of control characters: a carriage return that Excel stored as ``_x000D_`` had
been quoted as those seven characters. A review found where they still part, all on files no
export writes or on dates no answer holds: calamine reads the built-in locale date formats
(ids 27-36 and 50-58, 2024年1月1日) as dates where openpyxl gives the serial number; it parses
an integer of more than 15 digits written without a decimal point as a double (Excel cannot
store one); it reads negative and out-of-range date serials as times or numbers.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from ..errors import InputFileError
from .tables import Sheet, _trim, cell_text
from .workbook_scan import scan
from .zipguard import OLE_MAGIC

XLSX_HINT: Final = "open it in Excel/WPS and save it again as .xlsx, or export it as UTF-8 .csv"
_ESCAPE: Final = re.compile(r"_x([0-9A-Fa-f]{4})_")


def load_xlsx(path: Path) -> list[Sheet]:
    """Every worksheet of an .xlsx/.xlsm (chart sheets left out), with formulas' saved values."""
    _check_container(path)
    try:
        found = scan(path)
    except Exception:  # noqa: BLE001 - a damaged archive: openpyxl says what is wrong
        found = None
    if found is not None and not (found.formulas or found.errors) and found.dense():
        try:
            sheets = _calamine_sheets(path)
        except Exception:  # noqa: BLE001 - openpyxl reads it, or names what is wrong
            sheets = []
        if sheets:  # none: no workbook part at all, say, which openpyxl names
            return sheets
    return _openpyxl_sheets(path, None if found is None else found.formulas)


def _check_container(path: Path) -> None:
    """Raise ``InputFileError`` for a password-protected or old .xls workbook, a zip bomb, or a
    file that is no zip archive at all."""
    from .zipguard import check_zip, is_encrypted_office

    with _named_failures(path):
        with path.open("rb") as fh:
            magic = fh.read(8)
        if magic == OLE_MAGIC and is_encrypted_office(path):
            raise InputFileError(path, "the workbook is password-protected",
                                 hint="open it in Excel/WPS, remove the password (文件 → 信息 → "
                                      "保护工作簿) and save it again as .xlsx")
        if magic == OLE_MAGIC:
            raise InputFileError(path, "this is an old Excel .xls file (or an encrypted "
                                       "workbook) with an .xlsx name", hint=XLSX_HINT)
        check_zip(path, hint=XLSX_HINT)


@contextmanager
def _named_failures(path: Path) -> Iterator[None]:
    """Whatever opening the workbook raises, as an ``InputFileError`` naming the file and what
    to do (zipfile and openpyxl raise many types for broken packages)."""
    try:
        yield
    except InputFileError:
        raise
    except OSError as exc:
        raise InputFileError(path, f"cannot open the file ({exc.strerror or exc})",
                             hint="check that you may read it") from exc
    except zipfile.BadZipFile as exc:
        raise InputFileError(path, f"not a valid .xlsx ({exc})", hint=XLSX_HINT) from exc
    except Exception as exc:  # noqa: BLE001 - reported as what it is
        raise InputFileError(path, f"not a valid .xlsx ({type(exc).__name__}: {exc})",
                             hint=XLSX_HINT) from exc


def _calamine_sheets(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            # from A1 whatever the used range, so that list index + 1 is the row's number
            values = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            rows = []
            for i, row in enumerate(values):
                values[i] = None  # each row's values go as its strings come: one copy at a time
                cells = [cell_text(v) for v in row]
                if any(cells):
                    rows.append((i + 1, _trim(cells)))
            sheets.append(Sheet(meta.name, rows))
        return sheets
    finally:
        workbook.close()


def _openpyxl_sheets(path: Path, formulas: bool | None = None) -> list[Sheet]:
    """``formulas``: whether the sheets hold any, when a scan has said (None: look)."""
    from openpyxl import load_workbook

    with _named_failures(path):
        workbook = load_workbook(str(path), read_only=True, data_only=True)
    sheets: list[Sheet] = []
    try:
        formula_cells = _formula_cells(path, formulas)
        for ws in workbook.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # some exporters write a wrong <dimension>, hiding rows
            rows: list[tuple[int, list[str]]] = []
            uncached: set[tuple[int, int]] = set()
            in_sheet = formula_cells.get(ws.title, frozenset())
            for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                cells = [cell_text(_unescaped(v) if type(v) is str else v) for v in values]
                missing = [(number, j) for j, v in enumerate(values)
                           if v is None and (number, j) in in_sheet] if in_sheet else []
                uncached.update(missing)
                if any(cells) or missing:
                    rows.append((number, _trim(cells)))
            sheets.append(Sheet(ws.title, rows, uncached=frozenset(uncached)))
    except Exception as exc:
        raise InputFileError(path, f"the workbook is damaged ({type(exc).__name__}: {exc})",
                             hint=XLSX_HINT) from exc
    finally:
        workbook.close()
    return sheets


def _unescaped(text: str) -> str:
    """``text`` with the file format's escapes of control characters decoded, as calamine
    decodes them: Excel stores a carriage return in a cell as ``_x000D_``, which openpyxl
    leaves in the text, and a quote would show it. Only control characters, the ones Excel
    escapes: openpyxl has already turned ``_x005F_`` (an escaped underscore) into ``_``, so a
    decoded ``_xD83D_`` could be half of a typed ``_x005F_xD83D_``, and a lone surrogate cannot
    be written out. (A worker who typed ``_x000D_`` gets a line break here; no answer does.)"""
    return _ESCAPE.sub(_control, text) if "_x" in text else text


def _control(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    return chr(code) if code < 0x20 else m.group(0)


def _formula_cells(path: Path, formulas: bool | None) -> dict[str, frozenset[tuple[int, int]]]:
    """``(row, column)`` of every formula cell, per sheet title; {} for a workbook without any.

    openpyxl reads a formula's saved result, and a formula written by a script (never opened in
    Excel) has none, so its cell reads as empty. Knowing where the formulas are lets the reader
    say "open and save it" instead of "no answer". Whether there are any comes from the byte
    scan (``formulas``, or the scan made here), so ordinary exports are not parsed twice.
    """
    from openpyxl import load_workbook

    if not (scan(path).formulas if formulas is None else formulas):
        return {}
    workbook = load_workbook(str(path), read_only=True, data_only=False)
    found: dict[str, frozenset[tuple[int, int]]] = {}
    try:
        for ws in workbook.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()
            found[ws.title] = frozenset((cell.row, cell.column - 1) for row in ws.iter_rows()
                                        for cell in row if getattr(cell, "data_type", "") == "f")
        return found
    finally:
        workbook.close()
