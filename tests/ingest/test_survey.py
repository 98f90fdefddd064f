"""Questionnaire exports: header detection, open-column detection, text_cols, metadata columns."""

from __future__ import annotations

from voiceminer.ingest.survey import read_survey
from voiceminer.ingest.survey_columns import match_text_cols

HEADER = ["序号", "提交答卷时间", "来自IP", "1、您的职业是？", "2、您的性别", "3、您每月收入",
          "12、您目前最希望解决的问题是？", "13、您对平台有什么建议？"]
ROWS = [
    [1, "2024/5/1 10:00:00", "36.1.2.3(云南-昆明)", "外卖骑手", "男", "5000-8000",
     "平台抽成太高，单价一直降", "希望取消超时罚款"],
    [2, "2024/5/1 10:05:00", "112.1.2.3(广西壮族自治区-南宁)", "快递员", "男", "3000-5000",
     "派件费太低了，一件才几毛钱", ""],
    [3, "2024/5/1 10:09:00", "58.1.2.3(上海)", "网约车司机", "女", "5000-8000",
     "没有社保，生病了没人管", "降低抽成比例，透明计价"],
    [4, "2024/5/1 10:12:00", "1.1.1.1(湖北-武汉)", "货车", "男", "8000以上",
     "高速罚款太多，信息费贵", "无"],
]


def test_xlsx_ip_column_and_auto_detected_open_columns(make_xlsx):
    path = make_xlsx("问卷/survey.xlsx", [HEADER, *ROWS])
    records = read_survey(path, "问卷/survey.xlsx")
    assert len(records) == 8  # 4 respondents x 2 open questions
    assert {r.question for r in records} == {HEADER[6], HEADER[7]}
    first = records[0]
    assert first.doc_id == "问卷/survey.xlsx:2" == first.respondent_id
    assert first.origin == "问卷/survey.xlsx:Sheet1:2"
    assert (first.source, first.speaker, first.text) == ("survey", "respondent",
                                                        "平台抽成太高，单价一直降")
    assert [r.province for r in records[::2]] == ["云南", "广西", "上海", "湖北"]
    assert [r.group for r in records[::2]] == ["外卖骑手", "快递员", "网约车司机", "货车司机"]


def test_empty_open_cell_is_an_empty_record(make_xlsx):
    path = make_xlsx("s.xlsx", [HEADER, *ROWS])
    records = read_survey(path, "s.xlsx")
    empty = [r for r in records if r.skip_reason == "empty"]
    assert [(r.doc_id, r.question, r.text) for r in empty] == [("s.xlsx:3", HEADER[7], "")]
    assert "s.xlsx:Sheet1:3" in empty[0].skip_detail


def test_title_row_above_header(make_xlsx):
    path = make_xlsx("s.xlsx", [HEADER, *ROWS], title="新就业形态劳动者调查问卷")
    records = read_survey(path, "s.xlsx")
    assert len(records) == 8
    assert records[0].origin == "s.xlsx:Sheet1:3"  # title row 1, header row 2
    assert records[0].question == HEADER[6]


def test_text_cols_override_by_number_header_and_substring(make_xlsx):
    path = make_xlsx("s.xlsx", [HEADER, *ROWS])
    by_number = read_survey(path, "s.xlsx", text_cols=["13"])
    assert {r.question for r in by_number} == {HEADER[7]} and len(by_number) == 4
    by_header = read_survey(path, "s.xlsx", text_cols=[HEADER[6]])
    assert {r.question for r in by_header} == {HEADER[6]}
    by_substring = read_survey(path, "s.xlsx", text_cols=["性别"])
    assert [r.text for r in by_substring] == ["男", "男", "女", "男"]


def test_match_text_cols_prefers_exact_then_number():
    headers = ["1、问题", "12、收入", "112、其他", "备注12"]
    assert match_text_cols(headers, ["12"]) == [1]
    assert match_text_cols(headers, ["Q12"]) == [1]
    assert match_text_cols(headers, ["备注12"]) == [3]
    assert match_text_cols(headers, ["其他", "1"]) == [0, 2]


def test_unmatched_text_cols_give_one_file_row(make_xlsx):
    path = make_xlsx("s.xlsx", [HEADER, *ROWS])
    [record] = read_survey(path, "s.xlsx", text_cols=["99"])
    assert record.skip_reason == "unreadable_file"
    assert "--text-col 99" in record.skip_detail and "12、您目前最希望解决的问题是？" in record.skip_detail


def test_no_open_column_suggests_text_col(make_xlsx):
    path = make_xlsx("s.xlsx", [["序号", "1、性别", "2、职业"], [1, "男", "骑手"], [2, "女", "骑手"]])
    [record] = read_survey(path, "s.xlsx")
    assert (record.doc_id, record.skip_reason, record.text) == ("s.xlsx", "unreadable_file", "")
    assert record.skip_detail.startswith("s.xlsx: no open-answer column")
    assert "--text-col" in record.skip_detail


def test_province_column_wins_over_ip_and_path(make_xlsx):
    rows = [["所在省份", "IP地址", "您的职业", "您最大的困难是什么？"],
            ["四川省", "1.2.3.4(云南-昆明)", "滴滴司机", "每天跑十几个小时还挣不到钱"],
            ["", "1.2.3.4(浙江-杭州)", "", "平台规则经常变，看不懂"],
            ["火星", "", "", "车辆租金太高了，负担很重"]]
    path = make_xlsx("云南/s.xlsx", rows)
    records = read_survey(path, "云南/s.xlsx")
    assert [(r.province, r.group) for r in records] == [
        ("四川", "网约车司机"), ("浙江", "未知"), ("云南", "未知")]


def test_csv_survey_rows_are_file_lines(write_csv):
    rows = [["编号", "城市", "您遇到的最大问题？"], [1, "杭州", "超时罚款\n一次扣二十"],
            [2, "深圳", "电动车充电不方便，换电太贵"], [3, "南京", ""]]
    path = write_csv("问卷/外卖/s.csv", rows, encoding="gbk")
    records = read_survey(path, "问卷/外卖/s.csv")
    assert [(r.doc_id, r.origin, r.province, r.group, r.text) for r in records] == [
        ("问卷/外卖/s.csv:2", "问卷/外卖/s.csv:2", "浙江", "外卖骑手", "超时罚款\n一次扣二十"),
        ("问卷/外卖/s.csv:4", "问卷/外卖/s.csv:4", "广东", "外卖骑手", "电动车充电不方便，换电太贵"),
        ("问卷/外卖/s.csv:5", "问卷/外卖/s.csv:5", "江苏", "外卖骑手", ""),
    ]
    assert records[2].skip_reason == "empty"
    lines = path.read_bytes().decode("gbk").split("\n")
    assert lines[3].startswith("2,深圳")


def test_multiple_sheets_name_the_sheet_in_doc_id(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    first.title = "骑手"
    for row in (["您的建议？"], ["希望增加高温补贴和休息点"], ["取消差评扣款制度"]):
        first.append(row)
    second = workbook.create_sheet("司机")
    for row in (["您的建议？"], ["降低平台抽成，公开计价规则"]):
        second.append(row)
    path = tmp_path / "s.xlsx"
    workbook.save(path)
    records = read_survey(path, "s.xlsx")
    assert [r.doc_id for r in records] == ["s.xlsx:骑手:2", "s.xlsx:骑手:3", "s.xlsx:司机:2"]
    assert len({r.respondent_id for r in records}) == 3


def test_broken_xlsx_is_unreadable(tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    [record] = read_survey(path, "s.xlsx")
    assert record.skip_reason == "unreadable_file"
    assert record.skip_detail.startswith("s.xlsx: not a valid .xlsx")
    assert "save it again as .xlsx" in record.skip_detail


def test_large_export_with_repeated_open_answers(make_xlsx):
    """120 respondents: the open question repeats answers (distinct share < 30%) but still has
    many distinct values; the long-option choice question has only four."""
    options = ["每天工作十二小时以上", "每天工作十到十二小时", "每天工作八到十小时", "每天工作八小时以内"]
    answers = [f"第{i % 35}个问题：平台罚款太重" for i in range(120)]
    rows = [["1、工作时长", "2、您最大的困难？"]]
    rows += [[options[i % 4], answers[i]] for i in range(120)]
    records = read_survey(make_xlsx("s.xlsx", rows), "s.xlsx")
    assert {r.question for r in records} == {"2、您最大的困难？"}
    assert len(records) == 120
