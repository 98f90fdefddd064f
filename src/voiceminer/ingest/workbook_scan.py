"""What a workbook's XML holds, found by scanning its bytes before any reader parses it.

``workbooks.load_xlsx`` chooses its reader from this. calamine is fast, but it reads a formula
without a saved result and an error cell as empty, and it builds each sheet as a dense grid
from A1 to its last cell: one stray cell at XFD1 beside 2,000 rows of five columns took it
6.7 s and 1.4 GB, against openpyxl's 0.14 s. The scan reads each part once, in 1 MB chunks,
and what it found about formulas spares the openpyxl reader a second scan.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

_FORMULA: Final = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ERROR_CELL: Final = re.compile(rb"\st\s*=\s*[\"']e[\"']")
# where Excel, WPS and openpyxl put them: ``r`` first (another writer's cells are still read,
# only perhaps by the slower reader)
_ROW: Final = re.compile(rb'<row r="(\d+)"')
_WIDE_COLUMN: Final = re.compile(rb'<c r="([A-Z]{2,3})\d')
# a dense grid this much larger than the cells, or more, is left to openpyxl
DENSE_SLACK: Final = 1_000_000


@dataclass
class Scan:
    """``formulas``: any ``<f>``; ``errors``: any error cell. ``cells``: ``<c>`` elements (a
    tag split between two chunks is missed). ``grid``: rows × columns from A1 to the last row
    and column of each part, summed."""

    formulas: bool = False
    errors: bool = False
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
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _scan_part(zf, name, found)
    return found


def _scan_part(zf: zipfile.ZipFile, name: str, found: Scan) -> None:
    tail, rows, columns = b"", 0, 26
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            # a byte search first, far faster than the expressions, which stop at every tag
            # (0.9 s for 20 MB of sheet): f after < or :, an error cell's quoted e
            if not found.formulas and (b"<f" in window or b":f" in window) \
                    and _FORMULA.search(window):
                found.formulas = True
            if not found.errors and (b'"e"' in window or b"'e'" in window) \
                    and _ERROR_CELL.search(window):
                found.errors = True
            found.cells += chunk.count(b"<c ") + chunk.count(b":c ")
            rows = max([rows, *map(int, _ROW.findall(window))])
            wide = set(_WIDE_COLUMN.findall(window))  # a few distinct column names a chunk
            if wide:
                columns = max(columns, *map(_column_number, wide))
            tail = chunk[-32:]
    if rows:
        found.grid += rows * columns


def _column_number(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + c - 64
    return n
