"""Source texts and unit spans, worked out by hand on a units table built in the test."""

from __future__ import annotations

from voiceminer.qda.layout import build_sources
from voiceminer.qda import guids

from ..conftest import make_units


def test_interview_turns_are_marked_and_spans_cover_only_the_words():
    units = make_units([
        {"doc_id": "a.txt", "source": "interview", "speaker": "interviewer", "text": "收入怎么样？",
         "skip_reason": "interviewer"},
        {"doc_id": "a.txt", "source": "interview", "text": "抽成太高。"},
        {"doc_id": "b.csv:2", "source": "survey", "question": "8、最希望解决的问题？", "text": "无",
         "skip_reason": "non_answer"},
        {"doc_id": "c.jsonl:p1", "source": "forum", "question": "封号", "text": "被封号了"},
        {"doc_id": "c.jsonl:p1", "source": "forum", "question": "封号", "text": "申诉没人理"},
        {"doc_id": "d.docx", "source": "interview", "text": ""},  # unreadable file: no source
    ])
    a, b, c = build_sources(units)
    assert (a.doc_id, b.doc_id, c.doc_id) == ("a.txt", "b.csv:2", "c.jsonl:p1")
    assert a.text == "问：收入怎么样？\n\n答：抽成太高。"
    # "问：" is 2 characters, the question 6, the blank line 2, "答：" 2 → the answer starts at 12
    assert [(s.unit_id, s.start, s.end, s.codable) for s in a.spans] == [
        ("a.txt#1", 2, 8, False), ("a.txt#2", 12, 17, True)]
    assert b.text == "8、最希望解决的问题？\n无"
    assert c.text == "封号\n被封号了\n\n申诉没人理"  # the title once per post
    assert [a.text[s.start:s.end] for s in a.spans] == ["收入怎么样？", "抽成太高。"]
    assert [c.text[s.start:s.end] for s in c.spans] == ["被封号了", "申诉没人理"]


def test_guids_are_uuid5_of_stable_names():
    assert guids.theme_guid("pay") == guids.theme_guid("pay")
    assert guids.theme_guid("pay") != guids.theme_guid("hours")
    assert guids.concern_guid("pay.01", "运费") != guids.concern_guid("pay.01", "单价")
    g = guids.source_guid("问卷/export.csv:2")
    assert len(g) == 36 and g == g.upper() and g[14] == "5"  # version-5 UUID
