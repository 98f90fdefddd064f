"""Tables researchers ask for beside the issue lists: a unit × code 0/1 matrix and the quotes
grouped by code.

The matrix is what SPSS, Stata or R take for cross-tabulating codes against province and group
(one row per analysed unit, one 0/1 column per theme and per concern). The quote list is what a
report writer reads through when drafting a section: every coded segment, one row each, under
its theme and concern, with where it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from .codebook import OTHER_LABEL, OTHER_THEME, Codebook
from .schema import analysed_mask

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


def _concern_column(units: pd.DataFrame) -> pd.Series:
    """Concern ids per unit as lists (the units table calls the column ``concerns``)."""
    col = "concerns" if "concerns" in units.columns else "concern"
    if col not in units.columns:
        return pd.Series([[] for _ in range(len(units))], index=units.index)
    return units[col].map(lambda v: [v] if isinstance(v, str) and v else list(v)
                          if not isinstance(v, str) and v is not None else [])


def code_matrix(units: pd.DataFrame, codebook: Codebook | None = None,
                concerns: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per analysed unit; one 0/1 column per theme (codebook order, every theme even if
    unused, so matrices of two runs line up), then one per concern in ``concerns``.

    Example: a unit coded ``pay`` with concern ``pay.01`` has 1 under ``pay`` and ``pay.01``.
    """
    rows = units.loc[analysed_mask(units)]
    ids = rows.loc[:, [c for c in ID_COLUMNS if c in rows.columns]].reset_index(drop=True)
    themes = rows["themes"].map(set).tolist()
    columns = {t: [int(t in ts) for ts in themes] for t in _themes(rows, codebook)}
    if concerns is not None and len(concerns):
        have = _concern_column(rows).map(set).tolist()
        order = {t: i for i, t in enumerate(_themes(rows, codebook))}
        for cid in sorted(concerns["concern_id"].astype(str),
                          key=lambda c: (order.get(c.rsplit(".", 1)[0], len(order)), c)):
            columns[cid] = [int(cid in cs) for cs in have]
    return pd.concat([ids, pd.DataFrame(columns, index=ids.index, dtype="int64")], axis=1)


def quote_list(units: pd.DataFrame, codebook: Codebook | None = None,
               concerns: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every coded segment (a unit under one of its themes), grouped by theme and concern.

    Sorted by theme (codebook order), concern (segments of no concern last), province, group and
    unit id, so the file reads as a codebook with its quotes underneath.
    """
    rows = units.loc[analysed_mask(units)]
    labels = {}
    concern_theme = {}
    if concerns is not None and len(concerns):
        labels = dict(zip(concerns["concern_id"].astype(str), concerns["label"].astype(str)))
        concern_theme = dict(zip(concerns["concern_id"].astype(str), concerns["theme"].astype(str)))
    order = {t: i for i, t in enumerate(_themes(rows, codebook))}
    records = []
    for (_, row), cs in zip(rows.iterrows(), _concern_column(rows)):
        evidence = list(row.get("evidence", []) or [])
        for theme in row["themes"]:
            concern = next((c for c in cs
                            if concern_theme.get(c, c.rsplit(".", 1)[0]) == theme), "")
            terms = [e.split(":", 1)[1] for e in evidence if e.startswith(f"{theme}:")]
            records.append((theme, _label(codebook, theme), concern, labels.get(concern, ""),
                            row["unit_id"], row["respondent_id"], row["source"], row["province"],
                            row["group"], row["origin"], ";".join(terms), row["text"]))
    out = pd.DataFrame(records, columns=list(QUOTE_COLUMNS))
    if len(out):
        out["_o"] = out["theme"].map(lambda t: order.get(t, len(order)))
        out["_none"] = out["concern"].eq("")  # segments of no concern close their theme
        out = out.sort_values(["_o", "_none", "concern", "province", "group", "unit_id"],
                              kind="stable")
        out = out.drop(columns=["_o", "_none"]).reset_index(drop=True)
    return out


def write_exports(units: pd.DataFrame, codebook: Codebook | None, concerns: pd.DataFrame | None,
                  out: str | Path, *, redactor: Callable[[str], str] | None = None,
                  formats: Sequence[str] = ("csv", "xlsx")) -> list[Path]:
    """``code_matrix`` and ``quotes_by_code`` as CSV, and as XLSX when ``xlsx`` is in ``formats``.

    ``redactor`` (the run's ``privacy.Redactor``) masks personal data in every string cell, as in
    the other tables of the run, so ids and quotes match ``units.csv``. Cells a spreadsheet would
    run as formulas are neutralised. The XLSX matrix keeps the theme columns only: a full corpus
    has a hundred concern columns, and writing those 600,000 cells through openpyxl took longer
    than coding the corpus; the CSV has them all.
    """
    from .output import write_table

    out = Path(out)
    matrix = code_matrix(units, codebook, concerns)
    quotes = quote_list(units, codebook, concerns)
    if redactor is not None:
        from .privacy import redact_frame

        matrix, quotes = redact_frame(matrix, redactor), redact_frame(quotes, redactor)
    written = [write_table(matrix, out / "code_matrix.csv"),
               write_table(quotes, out / "quotes_by_code.csv")]
    if "xlsx" in formats:
        keep = {*ID_COLUMNS, *_themes(units.loc[analysed_mask(units)], codebook)}
        lean = matrix.loc[:, [c for c in matrix.columns if c in keep]]
        written += [_write_xlsx(lean, out / "code_matrix.xlsx", "matrix"),
                    _write_xlsx(quotes, out / "quotes_by_code.xlsx", "quotes")]
    return written


def _write_xlsx(df: pd.DataFrame, path: Path, sheet: str) -> Path:
    """One sheet, streamed; fixed document dates and zip times so the same run gives the same
    bytes (as the issue-list workbooks do)."""
    import datetime as dt
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    from .report.writers._atomic import atomic_path, normalize_zip
    from .report.writers.excel import excel_cell

    # the issue-list workbooks' cell rule: numbers stay numbers; text loses characters XML
    # cannot hold (a scraped headline may carry a control character) and cannot start a formula
    columns = [df[c].tolist() if pd.api.types.is_numeric_dtype(df[c])  # plain Python ints
               else df[c].map(excel_cell).tolist() for c in df.columns]
    # write-only mode streams rows: several times faster than pandas' to_excel
    wb = Workbook(write_only=True)
    wb.properties.creator = wb.properties.lastModifiedBy = "voiceminer"
    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    ws = wb.create_sheet(sheet)
    ws.freeze_panes = "A2"
    ws.append([str(c) for c in df.columns])
    for row in zip(*columns):
        ws.append(row)
    with atomic_path(path) as tmp:
        ExcelWriter(wb, ZipFile(tmp, "w", ZIP_DEFLATED, allowZip64=True)).save()
        normalize_zip(tmp)
    return path
