"""workbooks.load_xlsx: calamine and openpyxl give the same rows; formulas, error cells and what
calamine cannot read go to openpyxl."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest

from voiceminer.errors import InputFileError
from voiceminer.ingest import workbooks
from voiceminer.ingest.workbooks import load_xlsx

# number formats of Chinese questionnaire exports and Excel's own, each on the same serial
FORMATS = ['yyyy"年"m"月"d"日"', "yyyy年m月d日", "m月d日", '[DBNum1][$-804]yyyy"年"m"月"d"日"',
           "yyyy-mm-dd hh:mm:ss", '上午/下午h"时"mm"分"', "mm:ss", "[h]:mm:ss", "0.00", "@",
           "General", "#,##0", "0.0%", '"¥"#,##0.00', "d-mmm-yy"]


def _both(path) -> tuple[list, list]:
    """The sheets as calamine reads them and as openpyxl does."""
    return workbooks._calamine_sheets(path), workbooks._openpyxl_sheets(path)


@pytest.fixture
def typed_workbook(tmp_path):
    """Every kind of cell value, away from A1, with a hidden sheet, a chart sheet and an empty
    sheet beside it."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    workbook = Workbook()
    ws = workbook.active
    ws.title = "数据"
    ws["C3"], ws["D3"], ws["E3"], ws["F3"], ws["G3"] = "标题", 1, 2.5, 12345678901234567890, True
    ws["C5"], ws["D5"] = dt.datetime(2024, 1, 5), dt.datetime(2024, 1, 5, 13, 30)
    ws["E5"], ws["F5"], ws["G5"] = dt.date(2024, 2, 1), dt.time(8, 15), dt.timedelta(hours=30)
    ws["C6"], ws["D6"], ws["E6"], ws["F6"], ws["G6"] = "  两头空格  ", 0.1 + 0.2, 1e-7, -0.0, 3.0
    ws["C7"] = "第一行\n第二行"
    for row, fmt in enumerate(FORMATS, start=10):
        ws.cell(row=row, column=2, value=45292.6).number_format = fmt
        ws.cell(row=row, column=3, value=fmt)
    ws.merge_cells("B30:D30")
    ws["B30"] = "合并"
    hidden = workbook.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "藏着的"
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=4, min_row=3, max_row=3))
    workbook.create_chartsheet("图表").add_chart(chart)
    workbook.create_sheet("空")
    path = tmp_path / "问卷.xlsx"
    workbook.save(path)
    return path


def test_calamine_reads_what_openpyxl_reads(typed_workbook):
    fast, reference = _both(typed_workbook)
    assert fast == reference
    assert [s.name for s in fast] == ["数据", "隐藏", "空"]  # no chart sheet
    rows = dict(fast[0].rows)
    assert rows[3][:5] + rows[3][6:] == ["", "", "标题", "1", "2.5", "TRUE"]
    assert rows[3][5].startswith("123456789012345")  # a double keeps 15 digits, in both
    assert rows[5][2:] == ["2024-01-05", "2024-01-05 13:30:00", "2024-02-01", "08:15:00",
                           "1 day, 6:00:00"]
    assert rows[6][2:] == ["两头空格", "0.3", "1e-07", "0", "3"]
    assert rows[10][1] == "2024-01-01 14:24:00" and rows[18][1] == "45292.6"

def test_a_plain_workbook_is_read_by_calamine_alone(typed_workbook, monkeypatch):
    expected = workbooks._calamine_sheets(typed_workbook)

    def refuse(_path):
        raise AssertionError("openpyxl was asked")

    monkeypatch.setattr(workbooks, "_openpyxl_sheets", refuse)
    assert load_xlsx(typed_workbook) == expected


def test_a_carriage_return_escape_is_a_line_break_in_both_readers(tmp_path):
    """Excel stores a carriage return in a cell as _x000D_; openpyxl leaves it in the text."""
    # written as the file format has it
    path = _saved(tmp_path / "s.xlsx", [["序号", "意见"], [1, "罚款太多_x000D_\n抽成太高"]])
    fast, reference = _both(path)
    assert fast == reference
    assert fast[0].rows[1] == (2, ["1", "罚款太多\r\n抽成太高"])


def test_a_wrong_dimension_hides_no_row(tmp_path):
    """Some exporters declare the sheet's size as A1:B1 whatever it holds."""
    path = _saved(tmp_path / "s.xlsx", [["序号", "意见"], [1, "罚款太多"], [2, "抽成太高"]],
                  lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:B1"/>', xml))
    fast, reference = _both(path)
    assert fast == reference
    assert [n for n, _ in fast[0].rows] == [1, 2, 3]


def test_error_cells_are_read_by_openpyxl(tmp_path):
    """calamine reads #DIV/0! as an empty cell; openpyxl gives its text, as before."""
    path = _saved(tmp_path / "s.xlsx", [["序号", "意见"], [1, "罚款太多"], [2, "x"]],
                  lambda xml: re.sub(r'<c r="B3"[^>]*>.*?</c>',
                                     '<c r="B3" t="e"><v>#DIV/0!</v></c>', xml))
    assert workbooks._calamine_sheets(path)[0].rows[2] == (3, ["2"])
    assert load_xlsx(path)[0].rows[2] == (3, ["2", "#DIV/0!"])


def test_a_workbook_calamine_cannot_read_goes_to_openpyxl(tmp_path, monkeypatch):
    path = _saved(tmp_path / "s.xlsx", [["序号", "意见"], [1, "罚款太多"]])

    def refuse(_path):
        raise ValueError("calamine refuses")

    monkeypatch.setattr(workbooks, "_calamine_sheets", refuse)
    assert load_xlsx(path)[0].rows == [(1, ["序号", "意见"]), (2, ["1", "罚款太多"])]


def test_a_stray_cell_far_away_is_left_to_openpyxl(tmp_path, monkeypatch):
    """calamine builds a sheet dense from A1 to its last cell: one value at XFD1 beside 2,000
    rows made it 1.4 GB."""
    path = _saved(tmp_path / "s.xlsx", [["序号", "意见"], *([n, "罚款太多"] for n in range(2000))],
                  lambda xml: xml.replace("</row>", '<c r="XFD1" t="inlineStr"><is><t>备注</t>'
                                                    "</is></c></row>", 1))

    def refuse(_path):
        raise AssertionError("calamine was asked")

    monkeypatch.setattr(workbooks, "_calamine_sheets", refuse)
    rows = load_xlsx(path)[0].rows
    assert len(rows) == 2001 and rows[0][1][-1] == "备注" and len(rows[0][1]) == 16384


def test_error_cells_in_single_quotes_are_found(tmp_path):
    path = _saved(tmp_path / "s.xlsx", [["序号", "意见"], [1, "x"]], lambda xml: re.sub(
        r'<c r="B2"[^>]*>.*?</c>', "<c r='B2' t='e'><v>#N/A</v></c>", xml))
    assert load_xlsx(path)[0].rows[1] == (2, ["1", "#N/A"])


def test_only_control_character_escapes_are_decoded(tmp_path):
    """A surrogate's escape is kept as written by both readers: a lone surrogate cannot be
    written out."""
    path = _saved(tmp_path / "s.xlsx",
                  [["序号", "意见"], [1, "笑_xD83D__xDE00_"], [2, "a_x0009_b"]])
    fast, reference = _both(path)
    assert fast == reference
    assert [cells[1] for _, cells in fast[0].rows[1:]] == ["笑_xD83D__xDE00_", "a\tb"]


def test_a_damaged_archive_is_named_by_file(tmp_path):
    """Corrupt compressed data in the sheet, and a package without its workbook part."""
    path = _saved(tmp_path / "s.xlsx", [["序号", "意见"], *([n, "罚款太多"] for n in range(300))])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10: start + 40] = bytes(30)  # inside the deflated sheet
    corrupt = tmp_path / "坏.xlsx"
    corrupt.write_bytes(bytes(data))
    with pytest.raises(InputFileError, match="坏.xlsx.*not a valid .xlsx"):
        load_xlsx(corrupt)
    partless = tmp_path / "缺.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(partless, "w") as out:
        for item in src.infolist():
            if item.filename != "xl/workbook.xml":
                out.writestr(item, src.read(item.filename))
    with pytest.raises(InputFileError, match="缺.xlsx.*not a valid .xlsx"):
        load_xlsx(partless)


def test_a_broken_workbook_is_named_by_file(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04 this is no workbook")
    with pytest.raises(InputFileError, match="坏.xlsx.*not a valid .xlsx"):
        load_xlsx(path)


def _saved(path, rows, edit=None):
    """A workbook of ``rows`` saved at ``path``, its sheet's XML passed through ``edit``."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    if edit is None:
        workbook.save(path)
        return path
    plain = path.with_suffix(".plain.xlsx")
    workbook.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            out.writestr(item, data)
    return path


def test_a_formula_without_saved_value_is_marked(tmp_path):
    path = _saved(tmp_path / "s.xlsx", [["序号", "7、您最大的困难是什么？"],
                                        [1, '="平台抽成太高了"'],  # by a script: no saved result
                                        [2, "罚款太多"]])
    [sheet] = load_xlsx(path)
    assert sheet.uncached == {(2, 1)}
    assert [n for n, _ in sheet.rows] == [1, 2, 3]


def test_a_workbook_without_formulas_has_none_marked(tmp_path):
    path = _saved(tmp_path / "s.xlsx", [["序号", "意见"], [1, None]])
    assert load_xlsx(path)[0].uncached == frozenset()
