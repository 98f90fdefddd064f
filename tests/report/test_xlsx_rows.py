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

    wb = _fixed_dates(Workbook(write_only=True))
    ws = wb.create_sheet("s")
    ws.freeze_panes = "A2"
    ws.append([f"c{i}" for i in range(9)])
    for row in rows:
        ws.append(row)
    ExcelWriter(wb, ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)).save()
    normalize_zip(path)
    return path.read_bytes()


def _fixed_dates(wb):
    """One creation time for both workbooks a test compares: each takes "now" when made, and
    two made either side of a second boundary would differ in docProps/core.xml."""
    import datetime as dt

    wb.properties.created = wb.properties.modified = dt.datetime(2024, 5, 1)
    return wb


def _spliced_bytes(rows, path):
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    from voiceminer.report.writers.xlsx_rows import RowWriter, splice_sheets

    wb = _fixed_dates(Workbook(write_only=True))
    ws = wb.create_sheet("s")
    ws.freeze_panes = "A2"
    ws.append([f"c{i}" for i in range(9)])
    out = RowWriter(ws, 9, 2, path.parent)
    out.add(rows[:1])
    out.add(rows[1:])
    ExcelWriter(wb, ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)).save()
    splice_sheets(path, {"xl/worksheets/sheet1.xml": out})
    return path.read_bytes()


def _members(path):
    """Each member's name and unzipped bytes, in order (the deflate level may differ)."""
    with zipfile.ZipFile(path) as z:
        return [(i.filename, i.date_time, z.read(i)) for i in z.infolist()]


def test_spliced_rows_equal_openpyxl_write_only(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _spliced_bytes(TRICKY, a)
    _openpyxl_bytes(TRICKY, b)
    assert _members(a) == _members(b)


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


# Columns as the fast path meets them: repeated and unique text, text that only openpyxl may
# write, numbers as text, ints next to bools and floats that compare equal (1 == True == 1.0,
# 0 == -0.0: a lookup by value must not mix them up), gaps, and a date.
AWKWARD_COLUMNS = [
    ["广东", "广东", "广东", "云南", "广东", "云南"],
    ["=SUM(A1)", "#REF!", "'=1+1", "+1", "-2", "@x"],
    [" 前导", "后随 ", "\u3000全角空格", "\t制表", "行\n换", "回车\r"],
    ["007", "1e5", "0x1F", "3.14", "-0", "TRUE"],
    ["a&b", "<t>", "x>y", "&amp;", "\x85C1", "\x7fdel"],
    ["长" * 40000, "😀表情", "\x9fC1", "", None, "ok"],
    [1, True, 1.0, 0, -0.0, False],
    [0, 1, 1, 0, None, 12345678901234567890],
    [0.1, float("nan"), float("inf"), 1e20, -0.0, None],
    [dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4), None, "x", 5, 2.5],
]


def test_columns_equal_openpyxl_write_only(tmp_path):
    """``add_columns`` (values worked out per column and per distinct value) writes the sheet
    openpyxl writes cell by cell."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    from voiceminer.report.writers.xlsx_rows import RowWriter, splice_sheets

    rows = [list(r) for r in zip(*AWKWARD_COLUMNS)]
    wb = _fixed_dates(Workbook(write_only=True))
    ws = wb.create_sheet("s")
    ws.append([f"c{i}" for i in range(len(AWKWARD_COLUMNS))])
    out = RowWriter(ws, len(AWKWARD_COLUMNS), 2, tmp_path)
    out.add_columns([col[:2] for col in AWKWARD_COLUMNS])
    out.add_columns([col[2:] for col in AWKWARD_COLUMNS])
    out.add([["…", "a note row, shorter than the others"]])
    path = tmp_path / "a.xlsx"
    ExcelWriter(wb, ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)).save()
    splice_sheets(path, {"xl/worksheets/sheet1.xml": out})

    wb = _fixed_dates(Workbook(write_only=True))
    ws = wb.create_sheet("s")
    ws.append([f"c{i}" for i in range(len(AWKWARD_COLUMNS))])
    for row in [*rows, ["…", "a note row, shorter than the others"]]:
        ws.append(row)
    plain = tmp_path / "b.xlsx"
    ExcelWriter(wb, ZipFile(plain, "w", ZIP_DEFLATED, allowZip64=True)).save()
    with ZipFile(path) as a, ZipFile(plain) as b:
        assert a.read("xl/worksheets/sheet1.xml") == b.read("xl/worksheets/sheet1.xml")
        assert a.read("xl/styles.xml") == b.read("xl/styles.xml")


def test_styled_columns_carry_the_style_of_row_two(tmp_path):
    """Every cell of a styled column gets ``s`` after ``r``, an empty one included; an empty
    unstyled cell is left out, as openpyxl leaves it."""
    from openpyxl import Workbook

    from voiceminer.report.writers.xlsx_rows import RowWriter

    out = RowWriter(Workbook().active, 3, 3, None, styles={"B": "4"})
    out.add_columns([["x", None], [None, "中"], [1, 2.5]])
    out.file.seek(0)
    assert out.file.read() == (
        b'<row r="3"><c r="A3" t="inlineStr"><is><t>x</t></is></c>'
        b'<c r="B3" s="4" t="n"></c><c r="C3" t="n"><v>1</v></c></row>'
        b'<row r="4"><c r="B4" s="4" t="inlineStr"><is><t>&#20013;</t></is></c>'
        b'<c r="C4" t="n"><v>2.5</v></c></row>')
    assert out.row == 5 and out.size == out.file.tell()
