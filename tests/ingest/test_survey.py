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


IP_HEADER = ["序号", "来自IP", "1、您的职业", "7、您工作中遇到的最大困难是什么？"]
IP_ROWS = [[i + 1, f"1.2.3.{i}(云南-昆明)", "快递员", answer] for i, answer in enumerate(
    ["平台抽成太高了，一单才挣三块钱", "没有社保，受伤了只能自己扛着", "超时罚款太狠，一次扣五十元"])]


def test_csv_unclosed_quote_is_reported_and_later_rows_read(write_text):
    path = write_text("s.csv", "序号,来自IP,1、您的职业,7、您工作中遇到的最大困难是什么？\n"
                               '1,1.2.3.0(云南-昆明),快递员,平台抽成太高了，一单才挣三块钱\n'
                               '2,1.2.3.1(云南-昆明),快递员,"没有社保，受伤了只能自己扛着\n'
                               '3,1.2.3.2(云南-昆明),快递员,超时罚款太狠，一次扣五十元\n'
                               '4,1.2.3.3(云南-昆明),快递员,进小区难，保安不让电动车进去\n')
    records = read_survey(path, "s.csv")
    assert [(r.origin, r.skip_reason) for r in records] == [
        ("s.csv:2", ""), ("s.csv:3", "unreadable_file"), ("s.csv:4", ""), ("s.csv:5", "")]
    assert records[1].skip_detail.startswith("s.csv:3: unclosed quote in field 4")
    assert records[3].text == "进小区难，保安不让电动车进去"


def test_csv_ragged_rows_are_reported_not_shifted_into_new_columns(write_text):
    path = write_text("s.csv", "序号,来自IP,1、您的职业,7、您工作中遇到的最大困难是什么？\n"
                               "1,1.2.3.0(云南-昆明),外卖骑手,平台抽成太高了，一单才挣三块钱\n"
                               "2,1.2.3.1(云南-昆明),外卖骑手,没有社保,受伤了只能自己扛着\n"
                               "3,1.2.3.2(云南-昆明)\n"
                               "4,1.2.3.3(云南-昆明),外卖骑手,超时罚款太狠，一次扣五十元\n")
    records = read_survey(path, "s.csv")
    assert [(r.origin, r.skip_reason) for r in records] == [
        ("s.csv:2", ""), ("s.csv:3", "unreadable_file"), ("s.csv:4", "unreadable_file"),
        ("s.csv:5", "")]
    assert records[1].skip_detail.startswith("s.csv:3: 5 fields, header has 4 — quote answers")
    assert records[2].skip_detail.startswith("s.csv:4: 2 fields, header has 4")
    assert not any("列" in r.question for r in records)


def test_a_second_sheet_without_open_column_gets_its_own_ledger_row(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "问卷"
    for row in [IP_HEADER, *IP_ROWS]:
        workbook.active.append(row)
    extra = workbook.create_sheet("统计")
    for row in (["省份", "人数"], ["云南", 3], ["贵州", 5]):
        extra.append(row)
    path = tmp_path / "s.xlsx"
    workbook.save(path)
    records = read_survey(path, "s.xlsx")
    assert [r.skip_reason for r in records] == ["", "", "", "unreadable_file"]
    sheet_row = records[-1]
    assert (sheet_row.doc_id, sheet_row.origin) == ("s.xlsx:统计", "s.xlsx:统计")
    assert sheet_row.skip_detail.startswith("s.xlsx:统计: no open-answer column found "
                                            "(columns: “省份”、“人数”)")
    assert "--text-col" in sheet_row.skip_detail


def test_short_free_answers_to_an_open_question_are_analysed(make_xlsx):
    rows = [["序号", "来自IP", "您的职业是？", "7、您最大的困难是什么？"],
            [1, "1.2.3.0(云南-昆明)", "外卖骑手", "工资低"],
            [2, "1.2.3.1(云南-昆明)", "快递员", "没社保"],
            [3, "1.2.3.2(云南-昆明)", "网约车", "罚款多"],
            [4, "1.2.3.3(云南-昆明)", "货车", "太累了"]]
    records = read_survey(make_xlsx("s.xlsx", rows), "s.xlsx")
    assert [(r.question, r.text) for r in records] == [
        ("7、您最大的困难是什么？", "工资低"), ("7、您最大的困难是什么？", "没社保"),
        ("7、您最大的困难是什么？", "罚款多"), ("7、您最大的困难是什么？", "太累了")]


def test_short_repeated_options_stay_closed(make_xlsx):
    rows = [["序号", "3、您最希望改进什么？", "7、您的建议？"]]
    rows += [[i, ["抽成", "罚款", "派单"][i % 3], f"第{i}条：希望平台降低抽成比例"]
             for i in range(1, 13)]
    records = read_survey(make_xlsx("s.xlsx", rows), "s.xlsx")
    assert {r.question for r in records} == {"7、您的建议？"}


def test_note_row_above_the_header_is_not_the_header(make_xlsx):
    rows = [["注：数据已脱敏", "仅供内部使用"], IP_HEADER, *IP_ROWS]
    records = read_survey(make_xlsx("s.xlsx", rows), "s.xlsx")
    assert {r.question for r in records} == {IP_HEADER[3]}
    assert [r.origin for r in records] == ["s.xlsx:Sheet1:3", "s.xlsx:Sheet1:4", "s.xlsx:Sheet1:5"]
    assert {r.province for r in records} == {"云南"}


def test_without_header_ip_strings_are_not_answers(make_xlsx):
    records = read_survey(make_xlsx("s.xlsx", IP_ROWS), "s.xlsx")
    assert [r.text for r in records] == [row[3] for row in IP_ROWS]
    assert {r.province for r in records} == {"云南"}  # the IP column is found by its values


def test_header_without_rows_says_so(write_text):
    path = write_text("s.csv", ",".join(IP_HEADER) + "\n")
    [record] = read_survey(path, "s.csv")
    assert record.skip_reason == "empty_file"
    assert record.skip_detail.startswith("s.csv: there is a header row (“序号”")
    assert "but no answers below it — " in record.skip_detail


def test_an_open_column_empty_for_everyone_lists_every_respondent(make_xlsx):
    rows = [IP_HEADER, *[[*row[:3], None] for row in IP_ROWS]]
    records = read_survey(make_xlsx("s.xlsx", rows), "s.xlsx")
    assert [(r.doc_id, r.skip_reason, r.question) for r in records] == [
        (f"s.xlsx:{n}", "empty", IP_HEADER[3]) for n in (2, 3, 4)]


def test_a_formula_without_saved_value_is_not_called_no_answer(make_xlsx):
    rows = [IP_HEADER, [*IP_ROWS[0][:3], '="平台抽成太高了"'], *IP_ROWS[1:]]
    records = read_survey(make_xlsx("s.xlsx", rows), "s.xlsx")
    first = records[0]
    assert (first.skip_reason, first.text) == ("unreadable_file", "")
    assert first.skip_detail == (f"s.xlsx:Sheet1:2: “{IP_HEADER[3]}” is a formula with no saved "
                                 f"value — open and save the file in Excel/WPS, then run again")
    assert [r.skip_reason for r in records[1:]] == ["", ""]
