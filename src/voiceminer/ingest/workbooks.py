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
- a workbook calamine cannot read: openpyxl then reads it, or says what is wrong with it in the
  words the rest of the readers use.

Both give the same strings for every other cell (``tables.cell_text``: numbers, dates in any
format, times, booleans), which ``tests/ingest/test_workbooks.py`` checks on one workbook of
each kind. Both decode the file format's ``_xHHHH_`` escapes: a carriage return that Excel
stored as ``_x000D_`` had been quoted as those seven characters.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Final

from ..errors import InputFileError
from .tables import Sheet, _trim, cell_text

_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_HINT: Final = "open it in Excel/WPS and save it again as .xlsx, or export it as UTF-8 .csv"
_FORMULA_TAG: Final = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMULA_OR_ERROR: Final = re.compile(rb"<(?:\w+:)?f[\s>/]|\st=\"e\"")
_ESCAPE: Final = re.compile(r"_x([0-9A-Fa-f]{4})_")


def load_xlsx(path: Path) -> list[Sheet]:
    """Every worksheet of an .xlsx/.xlsm (chart sheets left out), with formulas' saved values."""
    _check_container(path)
    if not _any_sheet_holds(path, _FORMULA_OR_ERROR):
        try:
            return _calamine_sheets(path)
        except Exception:  # noqa: BLE001 - openpyxl reads it, or names what is wrong
            pass
    return _openpyxl_sheets(path)


def _check_container(path: Path) -> None:
    """Raise ``InputFileError`` for a password-protected or old .xls workbook, a zip bomb, or a
    file that is no zip archive at all."""
    from .zipguard import check_zip, is_encrypted_office

    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
        if magic == _OLE_MAGIC and is_encrypted_office(path):
            raise InputFileError(path, "the workbook is password-protected",
                                 hint="open it in Excel/WPS, remove the password (文件 → 信息 → "
                                      "保护工作簿) and save it again as .xlsx")
        if magic == _OLE_MAGIC:
            raise InputFileError(path, "this is an old Excel .xls file (or an encrypted "
                                       "workbook) with an .xlsx name", hint=XLSX_HINT)
        check_zip(path, hint=XLSX_HINT)
    except InputFileError:
        raise
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    except zipfile.BadZipFile as exc:
        raise InputFileError(path, f"not a valid .xlsx ({exc})", hint=XLSX_HINT) from exc
    except Exception as exc:  # noqa: BLE001 - reported as what it is
        raise InputFileError(path, f"not a valid .xlsx ({type(exc).__name__}: {exc})",
                             hint=XLSX_HINT) from exc


def _unreadable(path: Path, exc: OSError) -> InputFileError:
    return InputFileError(path, f"cannot open the file ({exc.strerror or exc})",
                          hint="check that you may read it")


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


def _openpyxl_sheets(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(str(path), read_only=True, data_only=True)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    except zipfile.BadZipFile as exc:
        raise InputFileError(path, f"not a valid .xlsx ({exc})", hint=XLSX_HINT) from exc
    except Exception as exc:  # openpyxl raises many types for broken workbooks
        raise InputFileError(path, f"not a valid .xlsx ({type(exc).__name__}: {exc})",
                             hint=XLSX_HINT) from exc
    sheets: list[Sheet] = []
    try:
        formulas = _formula_cells(path)
        for ws in workbook.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # some exporters write a wrong <dimension>, hiding rows
            rows: list[tuple[int, list[str]]] = []
            uncached: set[tuple[int, int]] = set()
            in_sheet = formulas.get(ws.title, frozenset())
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
    """``text`` with the ``_xHHHH_`` escapes of the file format decoded, as calamine decodes
    them: Excel stores a carriage return in a cell as ``_x000D_``, which openpyxl leaves in the
    text, and a quote would show it. (openpyxl has already turned ``_x005F_``, an escaped
    underscore, into ``_``, so a worker who typed ``_x000D_`` would get a line break here; no
    answer does.)"""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _formula_cells(path: Path) -> dict[str, frozenset[tuple[int, int]]]:
    """``(row, column)`` of every formula cell, per sheet title; {} for a workbook without any.

    openpyxl reads a formula's saved result, and a formula written by a script (never opened in
    Excel) has none, so its cell reads as empty. Knowing where the formulas are lets the reader
    say "open and save it" instead of "no answer". The sheet XML is scanned for ``<f>`` first so
    ordinary exports are not parsed twice.
    """
    from openpyxl import load_workbook

    if not _any_sheet_holds(path, _FORMULA_TAG):
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


def _any_sheet_holds(path: Path, pattern: re.Pattern[bytes]) -> bool:
    """Whether any worksheet part's XML matches ``pattern`` (read in 1 MB chunks); False for an
    archive that cannot be read, which the reader then reports."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = [n for n in zf.namelist()
                     if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            return any(_part_holds(zf, n, pattern) for n in parts)
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


def _part_holds(zf: zipfile.ZipFile, name: str, pattern: re.Pattern[bytes]) -> bool:
    """Whether the part matches ``pattern``; a chunk is searched only where it holds ``f`` after
    ``<`` or ``:`` or an error cell's ``t="e"``, which the byte search finds far faster than
    the expression, which stops at every tag (0.9 s for 20 MB of sheet)."""
    tail = b""
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            if (b"<f" in window or b":f" in window or b't="e"' in window) \
                    and pattern.search(window):
                return True
            tail = chunk[-16:]
    return False
