"""Tables researchers ask for beside the issue lists: a unit × code 0/1 matrix and the quotes
grouped by code.

The matrix is what SPSS, Stata or R take for cross-tabulating codes against province and group
(one row per analysed unit, one 0/1 column per theme and per concern). The quote list is what a
report writer reads through when drafting a section: every coded segment, one row each, under
its theme and concern, with where it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import OTHER_LABEL, OTHER_THEME, Codebook
from .schema import analysed_mask, evidence_terms

ID_COLUMNS = ("unit_id", "doc_id", "respondent_id", "source", "province", "group")
QUOTE_COLUMNS = ("theme", "theme_label", "concern", "concern_label", "unit_id", "respondent_id",
                 "source", "province", "group", "origin", "evidence", "text")


def _themes(units: pd.DataFrame, codebook: Codebook | None) -> list[str]:
    ids = list(codebook.ids) if codebook else []
    used = sorted({t for ts in units["themes"] for t in ts} - set(ids))
    return ids + used


def _label(codebook: Codebook | None, theme: str) -> str:
    if theme == OTHER_THEME:
        return OTHER_LABEL
    return codebook.theme(theme).label if codebook and theme in codebook.ids else theme


def _concerns_of(v: object) -> list[str]:
    """Concern ids of one unit as a list (a single id, a list of ids, or nothing)."""
    if isinstance(v, str):
        return [v] if v else []
    return list(v) if v is not None else []


def _concern_column(units: pd.DataFrame) -> list[list[str]]:
    """Concern ids per unit as lists (the units table calls the column ``concerns``)."""
    col = "concerns" if "concerns" in units.columns else "concern"
    if col not in units.columns:
        return [[] for _ in range(len(units))]
    # a list (nearly every cell) is used as it is, not copied: only read
    return [v if type(v) is list else _concerns_of(v) for v in units[col].to_numpy(dtype=object)]


def _analysed_rows(units: pd.DataFrame) -> np.ndarray:
    """Positions of the analysed units (selecting by position copies nothing yet)."""
    return np.flatnonzero(analysed_mask(units).to_numpy())


def _matrix_codes(rows: pd.DataFrame, codebook: Codebook | None,
                  concerns: pd.DataFrame | None) -> tuple[list[str], list[str]]:
    """The matrix's code columns: themes in codebook order, then concerns by theme and id."""
    themes = _themes(rows, codebook)
    concern_ids: list[str] = []
    if concerns is not None and len(concerns):
        order = {t: i for i, t in enumerate(themes)}
        concern_ids = sorted(dict.fromkeys(concerns["concern_id"].astype(str)),
                             key=lambda c: (order.get(c.rsplit(".", 1)[0], len(order)), c))
    return themes, concern_ids


def _matrix_slice(part: pd.DataFrame, themes: list[str], concern_ids: list[str]
                  ) -> pd.DataFrame:
    """The matrix rows of ``part`` (analysed units): id columns, then one 0/1 column per code."""
    ids = part.loc[:, [c for c in ID_COLUMNS if c in part.columns]].reset_index(drop=True)
    cells = np.zeros((len(part), len(themes) + len(concern_ids)), dtype="int64")
    # one pass over the codes each unit has, rather than one pass over all units per code
    for col_of, values in (
            ({t: j for j, t in enumerate(themes)}, part["themes"].to_numpy(dtype=object)),
            ({c: len(themes) + j for j, c in enumerate(concern_ids)},
             _concern_column(part) if concern_ids else ())):
        for i, codes in enumerate(values):
            for code in codes:
                j = col_of.get(code)
                if j is not None:
                    cells[i, j] = 1
    frame = pd.DataFrame(cells, index=ids.index, columns=[*themes, *concern_ids])
    return pd.concat([ids, frame], axis=1)


def _matrix_slices(units: pd.DataFrame, codebook: Codebook | None,
                   concerns: pd.DataFrame | None, rows: int) -> Iterator[pd.DataFrame]:
    pos = _analysed_rows(units)
    themes, concern_ids = _matrix_codes(units.iloc[pos, [units.columns.get_loc("themes")]],
                                        codebook, concerns)
    for start in range(0, max(len(pos), 1), rows):  # one slice of the table copied at a time
        yield _matrix_slice(units.iloc[pos[start:start + rows]], themes, concern_ids)


def code_matrix(units: pd.DataFrame, codebook: Codebook | None = None,
                concerns: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per analysed unit; one 0/1 column per theme (codebook order, every theme even if
    unused, so matrices of two runs line up), then one per concern in ``concerns``.

    Example: a unit coded ``pay`` with concern ``pay.01`` has 1 under ``pay`` and ``pay.01``.
    """
    parts = list(_matrix_slices(units, codebook, concerns, max(len(units), 1)))
    return parts[0]


def quote_list(units: pd.DataFrame, codebook: Codebook | None = None,
               concerns: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every coded segment (a unit under one of its themes), grouped by theme and concern.

    Sorted by theme (codebook order), concern (segments of no concern last), province, group and
    unit id, so the file reads as a codebook with its quotes underneath.
    """
    needed = [c for c in ("themes", "concerns", "concern", "evidence", "unit_id",
                          "respondent_id", "source", "province", "group", "origin", "text")
              if c in units.columns]
    rows = units[needed].iloc[_analysed_rows(units)]
    labels = {}
    concern_theme = {}
    if concerns is not None and len(concerns):
        labels = dict(zip(concerns["concern_id"].astype(str), concerns["label"].astype(str)))
        concern_theme = dict(zip(concerns["concern_id"].astype(str), concerns["theme"].astype(str)))
    order = {t: i for i, t in enumerate(_themes(rows, codebook))}
    theme_labels: dict[str, str] = {}
    n = len(rows)
    evidence_col = (rows["evidence"].to_numpy(dtype=object) if "evidence" in rows.columns
                    else [None] * n)
    fields = ("unit_id", "respondent_id", "source", "province", "group", "origin", "text")
    columns = [rows[f].to_numpy(dtype=object) for f in fields]
    records = []
    # plain arrays rather than iterrows: a Series per row (and a copy of units.attrs with it)
    # made this the slowest part of writing a run
    for i, (themes, cs, evidence) in enumerate(zip(rows["themes"].to_numpy(dtype=object),
                                                   _concern_column(rows), evidence_col)):
        if not len(themes):
            continue
        evidence = list(evidence or [])
        unit_id, respondent_id, source, province, group, origin, text = (c[i] for c in columns)
        for theme in themes:
            concern = next((c for c in cs
                            if concern_theme.get(c, c.rsplit(".", 1)[0]) == theme), "")
            terms = evidence_terms(evidence, theme)
            label = theme_labels.get(theme)
            if label is None:
                label = theme_labels[theme] = _label(codebook, theme)
            records.append((theme, label, concern, labels.get(concern, ""), unit_id,
                            respondent_id, source, province, group, origin, ";".join(terms), text))
    out = pd.DataFrame(records, columns=list(QUOTE_COLUMNS))
    if len(out):
        out["_o"] = out["theme"].map(lambda t: order.get(t, len(order)))
        out["_none"] = out["concern"].eq("")  # segments of no concern close their theme
        out = out.sort_values(["_o", "_none", "concern", "province", "group", "unit_id"],
                              kind="stable")
        out = out.drop(columns=["_o", "_none"]).reset_index(drop=True)
    return out


# Excel's last row (1,048,576), header included: a longer sheet does not open.
EXCEL_MAX_ROWS = 1_048_576


def write_exports(units: pd.DataFrame, codebook: Codebook | None, concerns: pd.DataFrame | None,
                  out: str | Path, *, redactor: Callable[[str], str] | None = None,
                  formats: Sequence[str] = ("csv", "xlsx")) -> list[Path]:
    """``code_matrix`` and ``quotes_by_code`` as CSV, and as XLSX when ``xlsx`` is in ``formats``.

    ``redactor`` (the run's ``privacy.Redactor``) masks personal data in every string cell, as in
    the other tables of the run, so ids and quotes match ``units.csv``. Cells a spreadsheet would
    run as formulas are neutralised. The XLSX matrix keeps the theme columns only: a full corpus
    has a hundred concern columns, and writing those 600,000 cells through openpyxl took longer
    than coding the corpus; the CSV has them all. An XLSX sheet stops at Excel's row limit with
    a last row pointing to the CSV.

    Both tables are built, redacted and written in slices of ``table_files.CSV_CHUNK_ROWS`` rows, the
    CSV and the XLSX from the same slice, so a million-unit run never holds either whole.
    """
    written = [*write_code_matrix(units, codebook, concerns, out, redactor=redactor,
                                  formats=formats),
               *write_quotes(units, codebook, concerns, out, redactor=redactor, formats=formats)]
    return [w for w in written if w.suffix == ".csv"] + [w for w in written if w.suffix == ".xlsx"]


def write_code_matrix(units: pd.DataFrame, codebook: Codebook | None,
                      concerns: pd.DataFrame | None, out: str | Path, *,
                      redactor: Callable[[str], str] | None = None,
                      formats: Sequence[str] = ("csv", "xlsx")) -> list[Path]:
    """``code_matrix.csv`` (and ``.xlsx``): the first half of ``write_exports``, on its own so
    that a run can write it on one core while the quote list is written on another."""
    from .table_files import CSV_CHUNK_ROWS

    pos = _analysed_rows(units)
    keep = {*ID_COLUMNS, *_themes(units.iloc[pos, [units.columns.get_loc("themes")]], codebook)}
    return _write_both(_matrix_slices(units, codebook, concerns, CSV_CHUNK_ROWS),
                       Path(out) / "code_matrix", "matrix", len(pos), redactor,
                       "xlsx" in formats, lean=lambda cols: [c for c in cols if c in keep])


def write_quotes(units: pd.DataFrame, codebook: Codebook | None, concerns: pd.DataFrame | None,
                 out: str | Path, *, redactor: Callable[[str], str] | None = None,
                 formats: Sequence[str] = ("csv", "xlsx")) -> list[Path]:
    """``quotes_by_code.csv`` (and ``.xlsx``): the second half of ``write_exports``."""
    from .table_files import row_slices

    quotes = quote_list(units, codebook, concerns)
    return _write_both(row_slices(quotes), Path(out) / "quotes_by_code", "quotes", len(quotes),
                       redactor, "xlsx" in formats)


def _write_both(parts: Iterable[pd.DataFrame], stem: Path, sheet: str, total: int,
                redactor: Callable[[str], str] | None, xlsx: bool,
                lean: Callable[[list], list] | None = None) -> list[Path]:
    """``stem.csv`` (and ``stem.xlsx``) from the slices ``parts``, each redacted once."""
    from .table_files import CsvSlices, open_csv
    from .privacy_frames import redact_frame
    from .report.writers._atomic import atomic_path

    csv_path, xlsx_path = stem.with_suffix(".csv"), stem.with_suffix(".xlsx")
    with atomic_path(csv_path) as tmp, open_csv(tmp) as f:
        csv = CsvSlices(f)
        book = None
        for part in parts:
            if redactor is not None:
                part = redact_frame(part, redactor)
            csv.add(part, redacted=True)
            if xlsx:
                if book is None:
                    book = _XlsxSheet(sheet, lean(list(part.columns)) if lean else part.columns,
                                      total, csv_path.parent)
                book.add(part.loc[:, book.columns] if lean else part)
        if xlsx:
            book = book or _XlsxSheet(sheet, [], 0, csv_path.parent)
            book.save(xlsx_path, csv_path.name)
    return [csv_path, *([xlsx_path] if xlsx else [])]


class _XlsxSheet:
    """One sheet streamed as openpyxl's write-only mode writes it: openpyxl writes the header
    and the package, ``xlsx_rows.RowWriter`` the data rows (the same XML, many times faster),
    which go to a temporary file rather than memory."""

    def __init__(self, sheet: str, columns: Sequence, total: int, folder: Path) -> None:
        from openpyxl import Workbook

        from .report.writers.xlsx_rows import RowWriter

        self.columns = list(columns)
        self.wb = Workbook(write_only=True)
        self.wb.properties.creator = self.wb.properties.lastModifiedBy = "voiceminer"
        self.wb.properties.created = self.wb.properties.modified = dt.datetime(2000, 1, 1)
        self.ws = self.wb.create_sheet(sheet)
        self.ws.freeze_panes = "A2"
        self.ws.append([str(c) for c in self.columns])
        self.out = RowWriter(self.ws, max(len(self.columns), 2), 2, folder)
        self.rows = 1  # written so far, header included
        self.left_out = 0
        # data rows the sheet takes: all that fit, else all but one, which says where the rest are
        fit = EXCEL_MAX_ROWS - 1
        self.limit = total if total <= fit else fit - 1

    def add(self, df: pd.DataFrame) -> None:
        from .report.writers.excel_cells import excel_column

        room = max(self.limit - (self.rows - 1), 0)
        if len(df) > room:
            self.left_out += len(df) - room
            df = df.iloc[:room]
        # the issue-list workbooks' cell rule: numbers stay numbers; text loses characters XML
        # cannot hold (a scraped headline may carry a control character), cannot start a formula
        columns = [df[c].tolist() if pd.api.types.is_numeric_dtype(df[c])  # plain Python ints
                   else excel_column(df[c].to_numpy(dtype=object)) for c in df.columns]
        self.out.add_columns(columns, len(df))
        self.rows += len(df)

    def save(self, path: Path, csv_name: str) -> Path:
        """Fixed document dates and zip times: the same run gives the same bytes."""
        from io import BytesIO
        from zipfile import ZIP_STORED, ZipFile

        from openpyxl.writer.excel import ExcelWriter

        from .report.writers._atomic import atomic_path
        from .report.writers.xlsx_rows import splice_sheets

        if self.left_out:
            self.out.add([["…", f"{self.left_out:,} more rows: see {csv_name}"]])
        with atomic_path(path) as tmp:
            # the package (header row only) to memory uncompressed; splice_sheets compresses
            # every member once, rows included
            package = BytesIO()
            ExcelWriter(self.wb, ZipFile(package, "w", ZIP_STORED, allowZip64=True)).save()
            splice_sheets(tmp, {"xl/worksheets/sheet1.xml": self.out},
                          package=package.getvalue())
        return path


def _write_xlsx(df: pd.DataFrame, path: Path, sheet: str) -> Path:
    """``df`` as a one-sheet workbook (streamed; fixed dates and zip times)."""
    book = _XlsxSheet(sheet, df.columns, len(df), Path(path).parent)
    book.add(df)
    return book.save(path, path.with_suffix(".csv").name)
