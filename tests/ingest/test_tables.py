"""tables.load_csv: unclosed quotes, field counts and huge cells."""

from __future__ import annotations

import csv

from voiceminer.ingest.tables import load_csv, ragged_rows

HEADER = "序号,来自IP,1、您的职业,7、您工作中遇到的最大困难是什么？\n"


def _csv(tmp_path, text: str, name: str = "s.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_stray_quote_does_not_swallow_the_rows_after_it(tmp_path):
    path = _csv(tmp_path, HEADER
                + '1,1.2.3.0(云南-昆明),快递员,平台抽成太高了\n'
                + '2,1.2.3.1(云南-昆明),快递员,"没有社保，受伤了只能自己扛着\n'
                + '3,1.2.3.2(云南-昆明),快递员,超时罚款太狠\n'
                + '4,1.2.3.3(云南-昆明),快递员,进小区难\n')
    sheet = load_csv(path)
    assert [n for n, _ in sheet.rows] == [1, 2, 4, 5]
    assert [cells[3] for _, cells in sheet.rows[1:]] == ["平台抽成太高了", "超时罚款太狠", "进小区难"]
    assert list(sheet.problems) == [3]
    assert sheet.problems[3].startswith("unclosed quote in field 4: the next 2 line(s)")


def test_a_quoted_answer_spanning_lines_is_one_cell(tmp_path):
    path = _csv(tmp_path, HEADER + '1,1.2.3.0(云南-昆明),快递员,"平台抽成太高了\n一单才三块, 真少"\n'
                                   '2,1.2.3.1(云南-昆明),快递员,"罚款多\n'
                                   '超时扣五十"\n')
    sheet = load_csv(path)
    assert sheet.problems == {}
    assert [(n, cells[3]) for n, cells in sheet.rows[1:]] == [
        (2, "平台抽成太高了\n一单才三块, 真少"), (4, "罚款多\n超时扣五十")]


def test_rows_with_another_field_count_are_reported_with_the_header_count(tmp_path):
    path = _csv(tmp_path, "标题,内容,作者,地区\n"
                          "吐槽,罚款太多,u1,云南\n"
                          "多字段,罚款太多,u3,云南,多余,更多\n"
                          "缺字段,u5\n"
                          "尾逗号,单价低,u6,云南,,\n")
    sheet = load_csv(path)
    problems = ragged_rows(sheet, 0)
    assert sorted(problems) == [3, 4]
    assert problems[3].startswith("6 fields, header has 4 — quote answers that contain commas")
    assert problems[4].startswith("2 fields, header has 4 — the row is cut short")


def test_a_cell_larger_than_the_csv_module_limit_is_read(tmp_path):
    huge = "罚款太多" * 50_000  # 200,000 characters, over csv's default 131,072
    path = _csv(tmp_path, f"{HEADER}1,1.2.3.0(云南-昆明),快递员,{huge}\n")
    before = csv.field_size_limit()
    sheet = load_csv(path)
    assert sheet.rows[1][1][3] == huge
    assert csv.field_size_limit() == before  # the raised limit is undone after the read
