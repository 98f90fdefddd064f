"""Workbook cells converted a column at a time give what converting cell by cell gives."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile

import numpy as np
import pandas as pd
import pytest

from voiceminer.report.writers import excel, excel_cells

from .conftest import make_issues

COLUMNS = {
    "plain text, repeated": ["广东", "广东", "云南", "", "广东"],
    "formula starts": ["=1+1", "+1", "-2", "@SUM(A1)", "ok"],
    "tab and carriage return starts": ["\tx", "\rx", "x\t", "x\r", "x"],
    "control characters": ["坏\x01字符", "\x00", "ok\x1f", "fine\n", "\x0b"],
    "too long": ["长" * 40000, "短", "=" + "长" * 40000, "x" * 32767, "y" * 32768],
    "numbers as text": ["007", "1e5", "-0", "TRUE", "#N/A"],
    "ints": [1, 0, -5, 12345678901234567890, 3],
    "ints and text": [1, "1", "=1", 2, "二"],
    "text and gaps": ["a", None, float("nan"), pd.NA, "b"],
    "mixed": [True, 1.5, float("inf"), np.int64(4), dt.datetime(2026, 1, 2, tzinfo=dt.UTC)],
    "sequences": [["a", "b"], {"y", "x"}, ("=z",), {"k": 1}, np.array([1, 2])],
}


@pytest.mark.parametrize("values", COLUMNS.values(), ids=COLUMNS.keys())
def test_excel_column_equals_excel_cell(values):
    got = excel_cells.excel_column(values)
    want = [excel_cells.excel_cell(v) for v in values]
    assert [type(v) for v in got] == [type(v) for v in want]
    assert got == want


@pytest.mark.parametrize("text", ["", "abc", "a\nlonger line", "中文", "中文\nab", "ｱｲｳ全角ＡＢ",
                                  "😀表情", "\U00020000\u4e00", "混合 mixed　text", "\u2028行"])
def test_display_width_counts_wide_characters_twice(text):
    lines = text.splitlines() or [""]
    want = max(len(line) + sum(unicodedata.east_asian_width(ch) in "WF" for ch in line)
               for line in lines)
    assert excel_cells.display_width(text) == want


@pytest.mark.parametrize("column", [
    ["a", "bb", "a"],
    ["\x0b\u2028\x0b\u4c32", "x"],  # a last line of wide characters only
    ["中文\n", "\n\n", "", "ab\r\ncd"],
    ["😀😀", "中"],
    [1, 1.0, True, None, "wide 中"],
], ids=["ascii", "wide last line", "line ends", "astral", "mixed types"])
def test_column_width_is_the_widest_cell(column):
    assert excel_cells.column_width(column) == max(map(excel_cells.display_width, column))


def _members(path):
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_streamed_workbook_with_awkward_cells_equals_openpyxl(tmp_path, monkeypatch):
    """All five sheets past their first row go through xlsx_rows; with streaming off,
    openpyxl writes every cell: the XML is the same."""
    ledger = pd.DataFrame({name: values for name, values in COLUMNS.items()
                           if name not in ("mixed", "sequences")})
    ledger["text"] = ["引语 ", "#REF! 引语", "=HYPERLINK(1)", "a&b<c>", "换\n行"]  # wrapped
    ledger.loc[2, "text"] = None
    prevalence = pd.DataFrame({"theme": ["pay", "rules", "x"], "share": [0.5, 0.25, None],
                               "n": [3, 2, 1]})
    streamed = excel.write_xlsx(make_issues(), tmp_path / "a.xlsx", prevalence=prevalence,
                                ledger=ledger)
    monkeypatch.setattr(excel, "STREAM_TABLE_ROWS", False)
    plain = excel.write_xlsx(make_issues(), tmp_path / "b.xlsx", prevalence=prevalence,
                             ledger=ledger)
    assert _members(streamed) == _members(plain)
    assert streamed.read_bytes() == plain.read_bytes()  # one ZIP step for both


def test_streamed_date_column_has_one_style_attribute(tmp_path, monkeypatch):
    """A column of dates: openpyxl gives each cell the date format's style itself (streamed
    rows once got a second ``s``, which is not XML)."""
    ledger = pd.DataFrame({"when": [dt.datetime(2026, 1, d) for d in (1, 2, 3)],
                           "skip_detail": ["a", "b", "c"]})
    streamed = excel.write_xlsx(make_issues(), tmp_path / "a.xlsx", ledger=ledger)
    monkeypatch.setattr(excel, "STREAM_TABLE_ROWS", False)
    plain = excel.write_xlsx(make_issues(), tmp_path / "b.xlsx", ledger=ledger)
    assert _members(streamed) == _members(plain)


def test_non_characters_xml_cannot_hold_are_dropped_not_fatal(tmp_path):
    """U+FFFE/U+FFFF in a ledger text (text pasted from a mis-decoded file) used to make the
    whole workbook fail; they are dropped like control characters."""
    import openpyxl

    ledger = pd.DataFrame({"text": ["工资\ufffe拖欠", "罚款\uffff", "正常"]})
    path = excel.write_xlsx(make_issues(), tmp_path / "a.xlsx", ledger=ledger)
    sheet = openpyxl.load_workbook(path).worksheets[-1]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "工资拖欠" in texts and "罚款" in texts
    assert not any("\ufffe" in t or "\uffff" in t for t in texts)
