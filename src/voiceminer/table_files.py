"""Writing big tables to files in slices: CSV (UTF-8 with BOM, formula-safe) and Parquet.

Split from ``output.py``, which decides what a run folder holds; this module decides how a table
becomes bytes. A million-row table is never flattened, redacted or converted whole: each slice of
``CSV_CHUNK_ROWS`` rows is, and the files are the same as if written in one go.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TextIO

import numpy as np
import pandas as pd

from .privacy import redact, redact_frame
from .report.writers import neutralize_cell
from .report.writers._atomic import atomic_path
from .report.writers._safe import FORMULA_PREFIXES

# a formula start right after a NUL: in strings joined by NUL, one starting a string
_AFTER_NUL = re.compile("\0(?:" + "|".join(map(re.escape, FORMULA_PREFIXES)) + ")")


def _flat(df: pd.DataFrame, *, redact_text: bool, neutralize: bool,
          redactor: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Lists joined with ";", personal data masked, formula starts neutralised (CSV safety).

    Works column by column on the values (numbers are left alone: only strings can start a
    formula), which is several times faster than ``DataFrame.map`` over every cell.
    """
    df = redact_frame(df, redactor) if redactor is not None else df
    cols: dict[object, object] = {}
    for i, col in enumerate(df.columns):
        series = df.iloc[:, i]
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
            cols[col] = series
            continue
        values = series.to_numpy(dtype=object)
        changed = False
        if any(issubclass(kind, (list, tuple)) for kind in set(map(type, values))):
            values, changed = [_joined(v) if isinstance(v, (list, tuple)) else v
                               for v in values], True
        if redact_text and col in ("text", "clean"):
            values, changed = [redact(v) if isinstance(v, str) else v for v in values], True
        if neutralize and _formula_start(values):
            values, changed = [neutralize_cell(v) for v in values], True
        cols[col] = (pd.Series(_object_array(values), index=df.index, dtype=object)
                     if changed else series)
    return pd.DataFrame(cols, index=df.index, columns=df.columns, copy=False)


def _formula_start(values: Sequence[object]) -> bool:
    """True when a string in ``values`` starts like a formula (``FORMULA_PREFIXES``).

    Almost none does, which the strings joined by NUL tell for the whole column at once: a
    prefix right after a NUL starts a string, or, rarely, follows a NUL inside one (then each
    string is checked)."""
    strings = (values if set(map(type, values)) <= {str}
               else [v for v in values if isinstance(v, str)])
    if _AFTER_NUL.search("\0" + "\0".join(strings)) is None:
        return False
    return any(v.startswith(FORMULA_PREFIXES) for v in strings)


def _object_array(values: list):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def _joined(cell: list | tuple) -> str:
    """A list cell as text: items joined with ";", a span ``(theme, start, end)`` as
    ``theme:start:end``. A list of plain strings (tokens, themes) is joined in one call."""
    try:
        return ";".join(cell)
    except TypeError:  # not all plain strings: spans, numbers
        return ";".join(map(_span_str, cell))


def _span_str(v) -> str:
    return ":".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)


class CsvSlices:
    """A CSV file written slice by slice: ``add(frame)`` flattens, redacts and appends it.

    The file is the same as one ``to_csv`` of the whole table, but only one slice's flattened,
    redacted copy exists at a time, so a million-row table is never copied whole.
    """

    def __init__(self, f, *, redact_text: bool = False,
                 redactor: Callable[[str], str] | None = None) -> None:
        self.f, self.redact_text, self.redactor = f, redact_text, redactor
        self.header = True

    def add(self, df: pd.DataFrame, *, redacted: bool = False) -> None:
        """Append ``df`` (``redacted``: the redactor already ran over it)."""
        flat = _flat(df, redact_text=self.redact_text, neutralize=True,
                     redactor=None if redacted else self.redactor)
        flags = _flag_columns(flat)
        if flags:
            _write_with_flags(flat, flags, self.f, header=self.header)
        elif _text_only(flat):
            _write_text(flat, self.f, header=self.header)
        else:
            flat.to_csv(self.f, index=False, header=self.header, lineterminator="\n")
        self.header = False


def _is_text(dtype) -> bool:
    return dtype == object or isinstance(dtype, pd.StringDtype)


def _text_only(df: pd.DataFrame) -> bool:
    """Columns, all of text (object or string dtype): see ``_write_text``."""
    return df.shape[1] >= 1 and all(map(_is_text, df.dtypes))


def _csv_columns(df: pd.DataFrame, n: int) -> list[np.ndarray]:
    """The first ``n`` columns' values as ``csv`` takes them from pandas: missing ones empty."""
    columns = []
    for i in range(n):
        values = df.iloc[:, i].to_numpy(dtype=object)  # may be the table's own array: not set
        columns.append(np.where(pd.isna(values), "", values))
    return columns


def _write_header(df: pd.DataFrame, f: TextIO) -> None:
    """The header line as ``to_csv`` writes it (column names of any type, quoted alike)."""
    df.iloc[:0].to_csv(f, index=False, lineterminator="\n")


def _write_text(df: pd.DataFrame, f: TextIO, *, header: bool) -> None:
    """``df.to_csv`` for a table of text columns only (``_text_only``), byte for byte: the rows
    go to the ``csv`` module straight from the columns, with pandas' settings (missing values
    empty, minimal quoting), where pandas first formats each cell (half the time of writing
    units.csv)."""
    if header:
        _write_header(df, f)
    csv.writer(f, lineterminator="\n").writerows(zip(*_csv_columns(df, df.shape[1])))


def _flag_columns(df: pd.DataFrame) -> int:
    """How many of the last columns of ``df`` hold integers 0 and 1 only (the code matrix's
    code columns), provided at least two columns of text come before them; else 0."""
    k = 0
    for dtype in reversed(df.dtypes.tolist()):
        if not (isinstance(dtype, np.dtype) and dtype.kind in "iu"):
            break
        k += 1
    lead = df.dtypes.iloc[:df.shape[1] - k]
    if not k or len(lead) < 2 or not all(map(_is_text, lead)):
        return 0
    block = df.iloc[:, -k:].to_numpy()
    return k if ((block == 0) | (block == 1)).all() else 0


def _write_with_flags(df: pd.DataFrame, k: int, f: TextIO, *, header: bool) -> None:
    """``df.to_csv`` for a table whose last ``k`` columns hold 0 and 1 only (``_flag_columns``),
    byte for byte.

    pandas turns every cell into a Python object for the ``csv`` module, which for the code
    matrix's hundred-odd 0/1 columns took most of writing it; here the 0/1 block of each row is
    cut from one array of characters, and only the text columns before it go through ``csv``,
    with pandas' settings (missing values empty, minimal quoting). At least two text columns
    lead, so no row of them is a lone empty field (which ``csv`` writes as ``""``).
    """
    if header:
        _write_header(df, f)
    lines: list[str] = []  # csv.writer writes each row in one call
    csv.writer(SimpleNamespace(write=lines.append), lineterminator="\n").writerows(
        zip(*_csv_columns(df, df.shape[1] - k)))
    width = 2 * k + 1  # ",0,1,…,0\n"
    chars = np.empty((len(df), width), dtype=np.uint8)
    chars[:, 0:-1:2] = ord(",")
    chars[:, 1::2] = df.iloc[:, -k:].to_numpy(dtype=np.uint8) + ord("0")
    chars[:, -1] = ord("\n")
    block = chars.tobytes().decode("ascii")
    f.writelines(line[:-1] + block[i * width:(i + 1) * width] for i, line in enumerate(lines))


def write_table(df: pd.DataFrame, path: Path, *, redact_text: bool = False,
                redactor: Callable[[str], str] | None = None) -> Path:
    """``df`` as UTF-8 CSV; ``redactor`` masks personal data in every string cell.

    Written in slices of ``CSV_CHUNK_ROWS`` so that the flattened copy of a million-row table
    never exists whole (the file is the same as in one go).
    """
    with atomic_path(path) as tmp, open_csv(tmp) as f:
        out = CsvSlices(f, redact_text=redact_text, redactor=redactor)
        for part in row_slices(df):
            out.add(part)
    return path


def open_csv(path: Path) -> TextIO:
    """``path`` opened for writing a CSV file as UTF-8 with a BOM (without one, Excel on
    Chinese Windows reads it as GBK). The BOM is written here rather than by the ``utf-8-sig``
    codec, whose encoder is Python code run on every row pandas writes (a quarter of the time
    ``to_csv`` took for units.csv); the bytes are the same."""
    f = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - the caller closes it
    f.write("\ufeff")
    return f


CSV_CHUNK_ROWS = 100_000


def row_slices(df: pd.DataFrame, redactor: Callable[[str], str] | None = None
               ) -> Iterator[pd.DataFrame]:
    """``df`` in slices of ``CSV_CHUNK_ROWS`` rows (one empty slice for an empty table, so the
    header is still written), each redacted when a ``redactor`` is given: large tables are
    written slice by slice and never copied whole."""
    for start in range(0, max(len(df), 1), CSV_CHUNK_ROWS):
        part = df.iloc[start:start + CSV_CHUNK_ROWS]
        yield redact_frame(part, redactor) if redactor is not None else part


class ParquetSlices:
    """The units table as Parquet, one row group per slice, spans as ``theme:start:end``.

    The schema comes from the first slice (a column empty there takes its type from its first
    value further down), so every slice converts alike; a table of one slice gives the same
    file as ``DataFrame.to_parquet``. ``DataFrame.attrs`` are not written: they hold the
    personal names the readers found in interview headers, unredacted.
    """

    def __init__(self, path: Path, whole: pd.DataFrame) -> None:
        self.path, self.whole = path, whole
        self.writer = None

    def add(self, df: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        df = _parquet_frame(df)
        if self.writer is None:
            table = pa.Table.from_pandas(self._probe(df), preserve_index=False)
            self.writer = pq.ParquetWriter(self.path, table.schema, compression="snappy")
        self.writer.write_table(pa.Table.from_pandas(df, schema=self.writer.schema,
                                                     preserve_index=False))

    def _probe(self, first: pd.DataFrame) -> pd.DataFrame:
        """``first``, plus one row per column that is all missing in it but not in the table."""
        empty = [c for c in first.columns if first[c].isna().all()]
        extra = []
        for col in empty:
            where = self.whole[col].first_valid_index() if col in self.whole.columns else None
            if where is not None:
                extra.append(_parquet_frame(self.whole.loc[[where]]))
        return pd.concat([first, *extra], ignore_index=True) if extra else first

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _parquet_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy(deep=False)
    out.attrs = {}
    if "spans" in out.columns:
        out["spans"] = _object_array(
            [[f"{t}:{a}:{b}" for t, a, b in spans] for spans in out["spans"]])
    return out


def write_parquet(units: pd.DataFrame, path: Path, *,
                  redactor: Callable[[str], str] | None = None) -> Path:
    """The units table as Parquet, spans as ``theme:start:end`` strings; ``redactor`` masks
    personal data slice by slice."""
    with atomic_path(path) as tmp:
        pq = ParquetSlices(tmp, units)
        try:
            for part in row_slices(units, redactor):
                pq.add(part)
        finally:
            pq.close()
    return path
