"""Interview notes: header fields, every turn-marker style, .md and .docx, metadata fallbacks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from voiceminer.ingest.interview import read_interview


def read(path: Path, rel: str | None = None):
    return read_interview(path, rel or path.name)


def answers(records):
    return [r for r in records if r.speaker == "respondent"]


FIVE_QA = """访谈对象：王师傅
省份：云南省
群体：货车司机
访谈员：李明

问：您开货车几年了？
答：八年了。
问：每天开多久？
答：十二个小时左右。
问：收入怎么样？
答：运费一直在降，油价又涨。
问：平台有什么问题？
答：满帮上的信息费太贵。
问：最希望解决什么？
答：希望罚款少一点。
"""


def test_five_questions_five_answers_give_ten_records(write_text):
    records = read(write_text("a.txt", FIVE_QA))
    assert len(records) == 10
    assert [r.speaker for r in records] == ["interviewer", "respondent"] * 5
    assert [r.skip_reason for r in records] == ["interviewer", ""] * 5
    assert records[1].text == "八年了。"
    assert records[1].question == "您开货车几年了？"
    assert records[9].question == "最希望解决什么？"
    assert {r.province for r in records} == {"云南"}
    assert {r.group for r in records} == {"货车司机"}
    assert {r.doc_id for r in records} == {"a.txt"} == {r.respondent_id for r in records}
    assert all(r.source == "interview" for r in records)
    assert "王师傅" not in "".join(r.text + r.question + r.origin for r in records)


def test_origin_points_at_the_real_line(write_text):
    path = write_text("云南/访谈/a.txt", FIVE_QA)
    records = read(path, "云南/访谈/a.txt")
    lines = path.read_text(encoding="utf-8").split("\n")
    for record in records:
        rel, line = record.origin.rsplit(":", 1)
        assert rel == "云南/访谈/a.txt"
        assert record.text in lines[int(line) - 1]
    assert records[1].origin == "云南/访谈/a.txt:7"


@pytest.mark.parametrize(("q", "a"), [
    ("问：", "答："), ("问:", "答:"), ("Q:", "A:"), ("Q：", "A："), ("q:", "a:"), ("Q1:", "A1:"),
    ("访谈员：", "受访者："), ("采访者：", "被访者："), ("问 ：", "答 ："),
], ids=["full-width", "half-width", "QA", "QA-full-width", "qa-lower", "numbered",
        "访谈员-受访者", "采访者-被访者", "space-before-colon"])
def test_turn_marker_styles(write_text, q, a):
    records = read(write_text("a.txt", f"{q}您跑几年了？\n{a}三年。\n{q}累吗？\n{a}很累。"))
    assert [(r.speaker, r.text) for r in records] == [
        ("interviewer", "您跑几年了？"), ("respondent", "三年。"),
        ("interviewer", "累吗？"), ("respondent", "很累。")]


def test_continuation_lines_join_the_previous_turn(write_text):
    text = "问：有什么困难？\n答：第一是收入低。\n比如：上个月才挣四千。\n\n第二是没有保险。\n问：还有吗？\n答：没了。"
    records = read(write_text("a.txt", text))
    assert len(records) == 4
    assert records[1].text == "第一是收入低。\n比如：上个月才挣四千。\n第二是没有保险。"
    # every line the answer is on, around the blank line 4 that holds none of it
    assert records[1].origin == "a.txt:2-3,5"
    assert records[3].origin == "a.txt:7"


def test_name_colon_turns_use_the_interviewer_from_the_header(write_text):
    text = ("受访者：王师傅\n调研员：张三\n\n张三：您好，您送外卖多久了？\n王师傅：两年。\n"
            "张三：站长会罚款吗？\n王师傅：经常罚。\n他说：超时就扣钱。")
    records = read(write_text("a.txt", text))
    assert [r.speaker for r in records] == ["interviewer", "respondent"] * 2
    assert records[3].text == "经常罚。\n他说：超时就扣钱。"
    assert records[3].question == "站长会罚款吗？"


def test_pseudonym_header_and_honorific_interviewer(write_text):
    text = ("受访者：邓某某（化名）\n省份：天津\n访谈员：陈老师\n\n"
            "陈老师：干这行多久了？\n邓师傅：十年。\n陈老师：收入呢？\n邓师傅：不稳定。")
    records = read(write_text("a.txt", text))
    assert [(r.speaker, r.text) for r in records] == [
        ("interviewer", "干这行多久了？"), ("respondent", "十年。"),
        ("interviewer", "收入呢？"), ("respondent", "不稳定。")]
    assert records[0].province == "天津"


def test_ambiguous_key_with_long_value_is_header_when_fields_follow(write_text):
    text = "受访者：王某某，男，45岁，跑车十年\n省份：河北\n问：好吗？\n答：还行。"
    records = read(write_text("a.txt", text))
    assert [(r.speaker, r.text, r.province) for r in records] == [
        ("interviewer", "好吗？", "河北"), ("respondent", "还行。", "河北")]


def test_recurring_short_names_are_speakers_without_header(write_text):
    text = "访谈员：您好。\n老刘：你好。\n访谈员：收入呢？\n老刘：不行。"
    records = read(write_text("a.txt", text))
    assert [(r.speaker, r.text) for r in records] == [
        ("interviewer", "您好。"), ("respondent", "你好。"),
        ("interviewer", "收入呢？"), ("respondent", "不行。")]


@pytest.mark.parametrize(("line", "field", "expected"), [
    ("省份：广西壮族自治区", "province", "广西"), ("地点: 昆明市", "province", "云南"),
    ("所在地：浙江杭州", "province", "浙江"), ("地区：五华区，昆明", "province", "云南"),
    ("省市：Shanghai", "province", "上海"), ("职业：美团骑手", "group", "外卖骑手"),
    ("身份：快递员", "group", "快递员"), ("工种：滴滴", "group", "网约车司机"),
    ("群体：家政", "group", "家政"),
], ids=["省份", "地点", "所在地", "地区-embedded", "省市-pinyin", "职业", "身份", "工种", "群体-other"])
def test_header_field_variants(write_text, line, field, expected):
    records = read(write_text("a.txt", f"访谈对象：李姐\n{line}\n\n问：好吗？\n答：还行。"))
    assert getattr(records[1], field) == expected


def test_several_header_fields_on_one_line(write_text):
    records = read(write_text("a.txt", "被访者：王师傅  省份：湖北  职业：货车司机\n问：好吗？\n答：好。"))
    assert (records[1].province, records[1].group) == ("湖北", "货车司机")


def test_fields_separated_by_single_space(write_text):
    records = read(write_text("a.txt", "时间：2024年5月1日 地点：昆明\n问：好吗？\n答：好。"))
    assert records[1].province == "云南"


def test_short_greeting_after_ambiguous_key_is_a_turn(write_text):
    records = read(write_text("a.txt", "访谈员：您好\n受访者：你好。\n访谈员：跑了几年？\n受访者：三年。"))
    assert [(r.speaker, r.text) for r in records] == [
        ("interviewer", "您好"), ("respondent", "你好。"),
        ("interviewer", "跑了几年？"), ("respondent", "三年。")]


def test_path_fallback_for_province_and_group(write_text):
    path = write_text("云南/外卖/访谈01.txt", "问：好吗？\n答：还行。")
    records = read(path, "云南/外卖/访谈01.txt")
    assert {(r.province, r.group) for r in records} == {("云南", "外卖骑手")}


def test_header_beats_path(write_text):
    path = write_text("云南/外卖/x.txt", "省份：四川\n群体：快递员\n问：好吗？\n答：还行。")
    records = read(path, "云南/外卖/x.txt")
    assert (records[1].province, records[1].group) == ("四川", "快递员")


def test_no_metadata_anywhere_is_unknown(write_text):
    records = read(write_text("访谈/x.txt", "问：好吗？\n答：还行。"), "访谈/x.txt")
    assert (records[1].province, records[1].group) == ("未知", "未知")


def test_markdown_markup_around_markers(write_text):
    text = ("# 访谈记录\n\n- **访谈对象**：王师傅\n- **省份**：河南\n\n## 第一部分\n\n"
            "**问：** 每天几点出车？\n**答**：早上五点。\n- 晚上十点收工\n> Q: 休息吗？\n> A: 不休。")
    records = read(write_text("a.md", text))
    assert [(r.speaker, r.text) for r in records] == [
        ("", "访谈记录"), ("", "第一部分"),  # headings: listed, not coded
        ("interviewer", "每天几点出车？"), ("respondent", "早上五点。\n- 晚上十点收工"),
        ("interviewer", "休息吗？"), ("respondent", "不休。")]
    assert {r.skip_reason for r in records[:2]} == {"not_a_turn"}
    assert records[0].province == "河南"


def test_question_and_answer_on_one_line(write_text):
    records = read(write_text("a.txt", "问：您几点出车？答：早上五点。"))
    assert [(r.speaker, r.text, r.origin) for r in records] == [
        ("interviewer", "您几点出车？", "a.txt:1"), ("respondent", "早上五点。", "a.txt:1")]


def test_empty_answer_is_an_empty_record(write_text):
    records = read(write_text("a.txt", "问：收入？\n答：\n问：保险？\n答：没有。"))
    assert [(r.text, r.skip_reason) for r in records][:2] == [("收入？", "interviewer"),
                                                              ("", "empty")]
    assert "a.txt:2" in records[1].skip_detail


def test_notes_without_markers_become_one_answer_per_paragraph(write_text):
    records = read(write_text("a.txt", "省份：江苏\n\n他说平台抽成太高。\n一天跑不到三百。\n\n站长经常罚款。"))
    assert [(r.speaker, r.text, r.origin) for r in records] == [
        ("respondent", "他说平台抽成太高。\n一天跑不到三百。", "a.txt:3-4"),
        ("respondent", "站长经常罚款。", "a.txt:6")]
    assert records[0].province == "江苏"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_interview_in_any_encoding(write_text, encoding):
    records = read(write_text("a.txt", FIVE_QA, encoding))
    assert len(records) == 10 and records[1].text == "八年了。" and records[0].province == "云南"


def test_big5_interview(write_text):
    text = "受訪者：陳先生\n問：您開車幾年了？\n答：十年了，收入越來越少。"
    records = read(write_text("a.txt", text, "big5"))
    assert [r.text for r in records] == ["您開車幾年了？", "十年了，收入越來越少。"]


def test_empty_and_header_only_files(write_text):
    assert read(write_text("a.txt", "  \n\n"))[0].skip_reason == "empty_file"
    header_only = read(write_text("b.txt", "访谈对象：王师傅\n省份：云南\n"))
    assert [(r.skip_reason, r.text) for r in header_only] == [("empty_file", "")]
    assert header_only[0].skip_detail.startswith("b.txt: ")


# --- .docx ----------------------------------------------------------------------------------


def test_docx_paragraphs_and_header_table(make_docx):
    path = make_docx("广西/访谈/d.docx", [
        ("Heading 1", "快递员访谈"),
        [["访谈对象", "小周"], ["省份", "广西壮族自治区"], ["职业", "顺丰快递员"], ["访谈员", "陈"]],
        "",
        "问：每天派多少件？",
        "答：两百多件。",
        "",
        "旺季更多。",
        "陈：有投诉吗？",
        "小周：经常被投诉。",
    ])
    records = read(path, "广西/访谈/d.docx")
    assert records[0].skip_reason == "not_a_turn" and records[0].text == "快递员访谈"
    records = records[1:]
    assert [(r.speaker, r.text) for r in records] == [
        ("interviewer", "每天派多少件？"), ("respondent", "两百多件。\n旺季更多。"),
        ("interviewer", "有投诉吗？"), ("respondent", "经常被投诉。")]
    # body paragraphs a reader sees: 1 heading, 2 问, 3 答, 4 continuation, 5 陈, 6 小周 (tables
    # and empty paragraphs not counted)
    assert [r.origin for r in records] == ["广西/访谈/d.docx:2", "广西/访谈/d.docx:3-4",
                                           "广西/访谈/d.docx:5", "广西/访谈/d.docx:6"]
    assert {(r.province, r.group) for r in records} == {("广西", "快递员")}


def test_docx_header_as_paragraphs_and_four_column_table(make_docx):
    path = make_docx("d.docx", [
        [["受访者", "老马", "地点", "郑州"], ["工种", "网约车", "日期", "2024-05-01"]],
        "访谈员：平台派单公平吗？",
        "受访者：不公平。",
    ])
    records = read(path)
    assert [(r.speaker, r.text, r.province, r.group) for r in records] == [
        ("interviewer", "平台派单公平吗？", "河南", "网约车司机"),
        ("respondent", "不公平。", "河南", "网约车司机")]


def test_docx_question_answer_table(make_docx):
    path = make_docx("d.docx", ["省份：湖南", [["问题", "回答"], ["收入如何？", "一般。"],
                                               ["保险呢？", "没有。"]]])
    records = read(path)
    assert [(r.speaker, r.text, r.origin) for r in records] == [
        ("interviewer", "收入如何？", "d.docx:表1行2"), ("respondent", "一般。", "d.docx:表1行2"),
        ("interviewer", "保险呢？", "d.docx:表1行3"), ("respondent", "没有。", "d.docx:表1行3")]


def test_docx_questions_styled_as_headings(make_docx):
    path = make_docx("d.docx", [("Heading 2", "您每天工作多久？"), "十四个小时。", "很累。",
                                ("Heading 2", "一、收入情况"), ("Heading 2", "收入稳定吗？"), "不稳定。"])
    records = read(path)
    assert [(r.speaker, r.text) for r in records] == [
        ("interviewer", "您每天工作多久？"), ("respondent", "十四个小时。\n很累。"),
        ("", "一、收入情况"), ("interviewer", "收入稳定吗？"), ("respondent", "不稳定。")]


def test_docx_of_random_bytes_is_unreadable(tmp_path):
    path = tmp_path / "云南" / "访谈" / "x.docx"
    path.parent.mkdir(parents=True)
    path.write_bytes(os.urandom(2048))
    [record] = read(path, "云南/访谈/x.docx")
    assert record.skip_reason == "unreadable_file"
    assert record.skip_detail.startswith("云南/访谈/x.docx: not a valid .docx")
    assert "re-save it from Word/WPS as .docx" in record.skip_detail
    assert (record.doc_id, record.text, record.province) == ("云南/访谈/x.docx", "", "云南")


def test_truncated_docx_says_so(make_docx):
    path = make_docx("x.docx", ["问：好吗？", "答：好。"])
    path.write_bytes(path.read_bytes()[:600])
    [record] = read(path)
    assert "zip is truncated" in record.skip_detail


def test_old_doc_renamed_to_docx(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    [record] = read(path)
    assert record.skip_reason == "unreadable_file"
    assert ".doc" in record.skip_detail and "save it as .docx" in record.skip_detail


def test_text_before_the_first_marker_is_listed_not_lost(write_text):
    text = ("受访者：赵师傅\n省份：云南\n\n赵师傅一开始就说：平台抽成太高，挣不到钱。\n"
            "他的电动车被交警扣了两次。\n\n问：您每天跑多久？\n答：十二个小时。\n")
    records = read(write_text("a.txt", text))
    note = records[0]
    assert (note.skip_reason, note.origin, note.speaker) == ("not_a_turn", "a.txt:4-5", "")
    assert note.text == "赵师傅一开始就说：平台抽成太高，挣不到钱。\n他的电动车被交警扣了两次。"
    assert "a.txt:4" in note.skip_detail and "答：" in note.skip_detail
    assert [(r.speaker, r.text) for r in records[1:]] == [
        ("interviewer", "您每天跑多久？"), ("respondent", "十二个小时。")]


@pytest.mark.parametrize("asker, teller", [("调查员", "被调查者"), ("记者", "小王"),
                                           ("老周", "小王")])
def test_the_side_that_only_asks_is_the_interviewer(write_text, asker, teller):
    text = (f"{asker}：您觉得平台的罚款规则合理吗？社保有没有交？\n{teller}：罚款太多了，社保没交。\n"
            f"{asker}：一个月收入多少？\n{teller}：六千左右，扣完就剩五千。\n"
            f"{asker}：有什么希望？\n{teller}：希望少罚款。\n")
    records = read(write_text("a.txt", text))
    assert [r.speaker for r in records] == ["interviewer", "respondent"] * 3
    assert records[1].question == "您觉得平台的罚款规则合理吗？社保有没有交？"


def test_notes_with_only_questions_say_no_answer_was_found(write_text):
    records = read(write_text("a.txt", "问：您每天跑多久？\n问：收入怎么样？\n"))
    assert [r.skip_reason for r in records] == ["interviewer", "interviewer"]
    assert all("no respondent turn" in r.skip_detail for r in records)
    normal = read(write_text("b.txt", FIVE_QA))
    assert not any("no respondent turn" in r.skip_detail for r in normal)


def _docx_with(tmp_path: Path, build) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("受访者：李师傅")
    build(document)
    path = tmp_path / "d.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize("with_choice", [False, True])
def test_docx_text_boxes_are_read_once(tmp_path, with_choice):
    from docx.oxml import parse_xml

    box = ('<w:txbxContent><w:p><w:r><w:t>问：您每天跑多久？</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>答：每天十二个小时，罚款太多。</w:t></w:r></w:p></w:txbxContent>')
    choice = (f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing>'
              f'</mc:Choice>' if with_choice else "")
    xml = (f'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           f'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           f'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           f'xmlns:v="urn:schemas-microsoft-com:vml">{choice}<mc:Fallback><w:pict><v:shape>'
           f'<v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>')

    def build(document):
        document.add_paragraph().add_run()._r.append(parse_xml(xml))

    records = read(_docx_with(tmp_path, build))
    assert [(r.speaker, r.text, r.origin) for r in records] == [
        ("interviewer", "您每天跑多久？", "d.docx:2"), ("respondent", "每天十二个小时，罚款太多。", "d.docx:2")]


def test_docx_tables_nested_in_a_cell_are_read(tmp_path):
    def build(document):
        cell = document.add_table(rows=1, cols=1).cell(0, 0)
        cell.paragraphs[0].text = "问：您每天跑多久？"
        cell.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].text = "答：嵌套表格里的回答。"
        document.add_paragraph("问：社保呢？")
        document.add_paragraph("答：没有社保。")

    records = read(_docx_with(tmp_path, build))
    assert [(r.speaker, r.text) for r in records] == [
        ("interviewer", "您每天跑多久？"), ("respondent", "嵌套表格里的回答。"),
        ("interviewer", "社保呢？"), ("respondent", "没有社保。")]
