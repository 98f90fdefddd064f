"""What a workbook's XML holds, found by scanning its bytes before any reader parses it.

``workbooks.load_xlsx`` chooses its reader from this. calamine is fast, but it reads a formula
without a saved result and an error cell as empty, and it builds each sheet as a dense grid
from A1 to its last cell: one stray cell at XFD1 beside 2,000 rows of five columns took it
6.7 s and 1.4 GB, against openpyxl's 0.14 s. The scan reads each part once, in 1 MB chunks.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

FORMULA_TAG: Final = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMULA_OR_ERROR: Final = re.compile(rb"<(?:\w+:)?f[\s>/]|\st\s*=\s*[\"']e[\"']")
# where Excel, WPS and openpyxl put them: ``r`` first (another writer's cells are still read,
# only perhaps by the slower reader)
_ROW: Final = re.compile(rb'<row r="(\d+)"')
_WIDE_COLUMN: Final = re.compile(rb'<c r="([A-Z]{2,3})\d')
# a dense grid this much larger than the cells, or more, is left to openpyxl
DENSE_SLACK: Final = 1_000_000


@dataclass
class Scan:
    """``formulas_or_errors``: any ``<f>`` or error cell. ``cells``: ``<c>`` elements (a tag
    split between two chunks is missed). ``grid``: rows × columns from A1 to the last row and
    column of each part, summed."""

    formulas_or_errors: bool = False
    cells: int = 0
    grid: int = 0

    def dense(self) -> bool:
        """Whether a dense grid of the sheets costs not much more than their cells."""
        return self.grid <= 4 * self.cells + DENSE_SLACK


def scan(path: Path) -> Scan:
    """The worksheet parts, ``xl/worksheets/*.xml`` as Excel, WPS and openpyxl name them (a
    chart's ``<c:f>`` elsewhere is no formula of a cell). Raises what ``zipfile`` and ``zlib``
    raise for a damaged archive."""
    found = Scan()
    with zipfile.ZipFile(path) as zf:
        for name in _sheet_parts(zf):
            _scan_part(zf, name, found)
    return found


def _sheet_parts(zf: zipfile.ZipFile) -> list[str]:
    return [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def _scan_part(zf: zipfile.ZipFile, name: str, found: Scan) -> None:
    tail, rows, columns = b"", 0, 26
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            if not found.formulas_or_errors and _may_hold(window) \
                    and _FORMULA_OR_ERROR.search(window):
                found.formulas_or_errors = True
            found.cells += chunk.count(b"<c ") + chunk.count(b":c ")
            rows = max([rows, *map(int, _ROW.findall(window))])
            wide = set(_WIDE_COLUMN.findall(window))  # a few distinct column names a chunk
            if wide:
                columns = max(columns, *map(_column_number, wide))
            tail = chunk[-32:]
    if rows:
        found.grid += rows * columns


def _may_hold(window: bytes) -> bool:
    """A byte search, far faster than the expression, which stops at every tag (0.9 s for
    20 MB of sheet): ``f`` after ``<`` or ``:``, or an error cell's quoted ``e``."""
    return b"<f" in window or b":f" in window or b'"e"' in window or b"'e'" in window


def _column_number(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + c - 64
    return n


def any_sheet_holds(path: Path, pattern: re.Pattern[bytes]) -> bool:
    """Whether any ``xl/worksheets/`` part's XML matches ``pattern``."""
    with zipfile.ZipFile(path) as zf:
        for name in _sheet_parts(zf):
            tail = b""
            with zf.open(name) as fh:
                while chunk := fh.read(1 << 20):
                    window = tail + chunk
                    if _may_hold(window) and pattern.search(window):
                        return True
                    tail = chunk[-32:]
    return False
