"""Streamed sheet rows are the XML openpyxl's write-only mode writes, byte for byte."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

openpyxl = pytest.importorskip("openpyxl")

TRICKY = [
    ["", None, "a&b<c>d\"e'f", " lead", "trail ", "   ", "tab\there", "nl\nx", "cr\rx"],
    ["中文😀", 1, 0, -5, 12345678901234567890, 1.5, 0.1, True, False],
    [float("nan"), float("inf"), 1e20, "=1+1", "#N/A", "#x", "\x85next", "ok", dt.date(2026, 1, 2)],
]


def _openpyxl_bytes(rows, path):
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    from voiceminer.report.writers._atomic import normalize_zip

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.freeze_panes = "A2"
    ws.append([f"c{i}" for i in range(9)])
    for row in rows:
        ws.append(row)
    ExcelWriter(wb, ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)).save()
    normalize_zip(path)
    return path.read_bytes()


def _spliced_bytes(rows, path):
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    from voiceminer.report.writers.xlsx_rows import RowWriter, splice_rows

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.freeze_panes = "A2"
    ws.append([f"c{i}" for i in range(9)])
    out = RowWriter(ws, 9, 2, path.parent)
    out.add(rows[:1])
    out.add(rows[1:])
    ExcelWriter(wb, ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)).save()
    splice_rows(path, out)
    return path.read_bytes()


def test_spliced_rows_equal_openpyxl_write_only(tmp_path):
    assert _spliced_bytes(TRICKY, tmp_path / "a.xlsx") == _openpyxl_bytes(TRICKY, tmp_path / "b.xlsx")


def test_spliced_rows_read_back(tmp_path):
    path = tmp_path / "a.xlsx"
    _spliced_bytes(TRICKY, path)
    ws = openpyxl.load_workbook(path).active
    got = [list(r) for r in ws.iter_rows(min_row=2, max_col=3, values_only=True)]
    assert got[0] == ["", None, "a&b<c>d\"e'f"] or got[0][2] == "a&b<c>d\"e'f"
    assert got[1][:2] == ["中文😀", 1]
    assert zipfile.ZipFile(path).testzip() is None
    assert not list(tmp_path.glob(".rows-*"))  # the row file is gone


def test_export_sheet_stops_at_excel_row_limit(tmp_path, monkeypatch):
    import pandas as pd

    from voiceminer import exports

    monkeypatch.setattr(exports, "EXCEL_MAX_ROWS", 6)  # header + 5 rows
    df = pd.DataFrame({"unit_id": [f"u{i}" for i in range(9)], "pay": range(9)})
    ws = openpyxl.load_workbook(exports._write_xlsx(df, tmp_path / "m.xlsx", "matrix")).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 6
    assert rows[1:5] == [(f"u{i}", i) for i in range(4)]
    assert rows[5] == ("…", "5 more rows: see m.csv")
    df5 = df.iloc[:5]
    ws = openpyxl.load_workbook(exports._write_xlsx(df5, tmp_path / "n.xlsx", "matrix")).active
    assert len(list(ws.iter_rows(values_only=True))) == 6  # exactly full: no note
