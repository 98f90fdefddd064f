"""Forum exports: jsonl (with a bad line) and csv, long-post splitting, author as respondent."""

from __future__ import annotations

import pytest

from voiceminer.ingest.forum import forum_respondent, is_forum_header, read_forum, split_post


def test_jsonl_posts_and_bad_line(write_jsonl):
    path = write_jsonl("论坛/posts.jsonl", [
        {"id": "p1", "title": "跑单太难了", "content": "今天被罚了三单", "author": "骑手小王",
         "location": "IP属地：江苏", "board": "外卖骑手交流"},
        '{"id": "p2", "content": "没写完',
        {"title": "只有标题", "content": "", "author": "老李"},
        {"content": "货车过路费太贵了", "board": "卡友之家"},
        "[1, 2]",
    ])
    records = read_forum(path, "论坛/posts.jsonl")
    assert len(records) == 5
    post, bad, title_only, anonymous, not_object = records
    assert (post.doc_id, post.respondent_id, post.question, post.text) == (
        "论坛/posts.jsonl:p1", forum_respondent("骑手小王"), "跑单太难了", "今天被罚了三单")
    assert (post.source, post.province, post.group, post.origin) == (
        "forum", "江苏", "外卖骑手", "论坛/posts.jsonl:1")
    assert (bad.skip_reason, bad.doc_id, bad.text) == ("unreadable_file", "论坛/posts.jsonl:2", "")
    assert bad.skip_detail.startswith("论坛/posts.jsonl:2: line 2 is not valid JSON")
    assert (title_only.skip_reason, title_only.question) == ("empty", "只有标题")
    assert anonymous.respondent_id == anonymous.doc_id == "论坛/posts.jsonl:4"
    assert (anonymous.group, anonymous.province) == ("货车司机", "未知")
    assert not_object.skip_reason == "unreadable_file" and "line 5" in not_object.skip_detail


def test_long_post_is_split_into_paragraphs(write_jsonl):
    para1 = "平台抽成越来越高。" * 20  # 180 chars
    para2 = "我们每天工作十二个小时！" * 30  # 360 chars, split on ！
    path = write_jsonl("p.jsonl", [{"id": 7, "content": f"{para1}\n\n{para2}", "author": "a"}])
    records = read_forum(path, "p.jsonl")
    assert len(records) == 3
    assert records[0].text == para1
    assert "".join(r.text for r in records[1:]) == para2
    assert all(len(r.text) <= 300 for r in records)
    assert {r.doc_id for r in records} == {"p.jsonl:7"}
    assert {r.respondent_id for r in records} == {forum_respondent("a")}


def test_split_post_keeps_short_posts_and_overlong_sentences():
    assert split_post("短帖子") == ["短帖子"]
    sentence = "没" * 400
    assert split_post(sentence) == [sentence]


def test_forum_csv(write_csv):
    rows = [["标题", "正文", "作者", "发布时间", "IP属地", "版块"],
            ["求助", "顺丰派件超时怎么申诉", "张三", "2024-05-01", "广东", "快递"],
            ["吐槽", "滴滴又降价", "", "2024-05-02", "", "司机之家"]]
    path = write_csv("四川/论坛.csv", rows)
    records = read_forum(path, "四川/论坛.csv")
    assert [(r.doc_id, r.respondent_id, r.origin, r.province, r.group, r.question, r.text)
            for r in records] == [
        ("四川/论坛.csv:2", forum_respondent("张三"), "四川/论坛.csv:2", "广东", "快递员", "求助", "顺丰派件超时怎么申诉"),
        ("四川/论坛.csv:3", "四川/论坛.csv:3", "四川/论坛.csv:3", "四川", "未知", "吐槽", "滴滴又降价"),
    ]


def test_is_forum_header():
    assert is_forum_header(["标题", "内容"]) and is_forum_header(["title", "Content"])
    assert not is_forum_header(["序号", "12、您的建议？"])


def test_forum_csv_rows_with_wrong_field_count_are_reported(write_text):
    path = write_text("帖子.csv", "标题,内容,作者,地区\n"
                                  "吐槽,平台抽成太高了，一单才挣三块钱,u1,云南\n"
                                  "多字段,罚款太多,u3,云南,多余,更多\n"
                                  "缺字段,u5\n")
    records = read_forum(path, "帖子.csv")
    assert [(r.origin, r.skip_reason, r.text) for r in records] == [
        ("帖子.csv:2", "", "平台抽成太高了，一单才挣三块钱"),
        ("帖子.csv:3", "unreadable_file", ""), ("帖子.csv:4", "unreadable_file", "")]
    assert records[1].skip_detail.startswith("帖子.csv:3: 6 fields, header has 4 — quote")
    assert records[2].skip_detail.startswith("帖子.csv:4: 2 fields, header has 4 — ")


@pytest.mark.parametrize(("content", "kind"), [
    (12345, "a number"), (True, "true/false"), (["没有社保"], "a list [...]"),
    ({"text": "被拖欠工资"}, "an object {…}"),
], ids=["number", "bool", "list", "object"])
def test_jsonl_content_that_is_not_text_is_skipped_in_plain_words(write_jsonl, content, kind):
    path = write_jsonl("p.jsonl", [{"id": "p1", "content": content, "author": "u1"}])
    [record] = read_forum(path, "p.jsonl")
    assert (record.skip_reason, record.text) == ("unreadable_file", "")
    assert record.skip_detail.startswith(f"p.jsonl:1: line 1: “content” is {kind}, not text — ")


def test_jsonl_line_that_is_not_an_object_is_named_in_plain_words(write_jsonl):
    path = write_jsonl("p.jsonl", ["null", '"just a string"'])
    assert [r.skip_detail for r in read_forum(path, "p.jsonl")] == [
        "p.jsonl:1: line 1 is null (empty), not an object {…} — fix or delete that line",
        "p.jsonl:2: line 2 is a string, not an object {…} — fix or delete that line"]


def test_jsonl_two_content_keys_are_both_kept(write_jsonl):
    path = write_jsonl("p.jsonl", [
        {"id": "p1", "content": "正文", "内容": "平台抽成太高，罚款太多"},
        {"id": "p2", "content": None, "Content": "大写键：罚款太多"},
        {"id": "p3", "content": "一样", "内容": "一样"},
    ])
    assert [r.text for r in read_forum(path, "p.jsonl")] == [
        "正文\n平台抽成太高，罚款太多", "大写键：罚款太多", "一样"]


def test_double_escaped_html_is_unescaped_and_stripped(write_jsonl):
    path = write_jsonl("p.jsonl", [
        {"content": "<p>&lt;b&gt;罚款&lt;/b&gt; 太多&nbsp;了</p><script>alert(1)</script>"}])
    assert [r.text for r in read_forum(path, "p.jsonl")] == ["罚款 太多 了"]


def test_a_handle_becomes_a_stable_pseudonym_in_every_table(write_jsonl):
    path = write_jsonl("论坛/p.jsonl", [{"author": "张哥的半挂", "content": "高速罚款太多"},
                                      {"author": "张哥的半挂", "content": "运费又降了"},
                                      {"author": "小黄_网点", "content": "派件费太低"}])
    records = read_forum(path, "论坛/p.jsonl")
    ids = [r.respondent_id for r in records]
    assert ids[0] == ids[1] != ids[2]  # one poster, one voice
    assert all(i.startswith("forum:") and "张哥" not in i and "小黄" not in i for i in ids)
    assert forum_respondent("张哥的半挂") == ids[0]  # the same in every run
