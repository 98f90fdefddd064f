import sys

import pandas as pd
import pytest

from voiceminer.normalize import clean_text, is_non_answer, normalize


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("這個月工資又少發了", "这个月工资又少发了"),
        ("ＡＢＣ１２３元", "ABC123元"),
        ("  多个   空格\t和\r\n换行  ", "多个 空格 和\n换行"),
        ("全角，标点。保留！", "全角，标点。保留！"),
        ("", ""),
    ],
    ids=["traditional", "fullwidth", "whitespace", "cjk-punct", "empty"],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize("text", ["无", "没有", "暂无", "不知道", "。。。", "/", "无。", "没有！", "N/A", "无无",
                                  "没什么建议，挺好", "挺好的", "没有，挺好的，谢谢", "这个不太清楚",
                                  "我也不知道", "不太了解啊", "哎，你等一下，我先接个电话。", "嗯。"])
def test_non_answers(text):
    assert is_non_answer(clean_text(text))


@pytest.mark.parametrize("text", ["没有社保", "无人管", "不知道找谁维权", "工资低", "听说过，没入",
                                  "没有，挺好的，谢谢，就是工资低", "可以的，希望涨工资",
                                  "我没有", "这个不太清楚，工资太低", "没接触过这个"])
def test_answers_with_content_are_kept(text):
    assert not is_non_answer(clean_text(text))


def test_normalize_marks_reasons_and_keeps_every_row(units_factory):
    units = units_factory([
        {"text": "工资太低了", "doc_id": "r1"},
        {"text": "无", "doc_id": "r2"},
        {"text": "   ", "doc_id": "r3"},
        {"text": "工资太低了", "doc_id": "r1"},  # same person says it again
        {"text": "工资太低了", "doc_id": "r4"},  # another person, same words: a second voice
        {"text": "x", "doc_id": "r5", "skip_reason": "unreadable_file", "skip_detail": "bad"},
    ])
    out = normalize(units)
    assert len(out) == len(units)
    assert out["skip_reason"].tolist() == ["", "non_answer", "empty", "duplicate", "", "unreadable_file"]
    assert out["clean"].tolist()[:3] == ["工资太低了", "", ""]
    assert "repeats" in out["skip_detail"].iat[3]
    assert units["text"].tolist() == out["text"].tolist()  # text kept as written


def test_forum_reposts_and_duplicate_survey_rows(units_factory):
    long_a, long_b = "平台抽成太高了，一单只剩三块钱", "希望工会能帮我们维权，讨个说法"
    units = units_factory([
        {"text": "进小区太难了保安不让进", "source": "forum", "doc_id": "p1", "respondent_id": "forum:a"},
        {"text": "进小区太难了保安不让进", "source": "forum", "doc_id": "p2", "respondent_id": "forum:b"},
        {"text": long_a, "doc_id": "row2"}, {"text": long_b, "doc_id": "row2"},
        {"text": long_a, "doc_id": "row3"}, {"text": long_b, "doc_id": "row3"},
    ])
    out = normalize(units)
    assert out["skip_reason"].tolist() == ["", "duplicate", "", "", "duplicate", "duplicate"]


def test_a_copied_interview_file_counts_once(units_factory):
    said = ["平台抽成太高了，一单只剩三块钱", "社保没交，出了事只能自己扛"]

    def interview(doc, answers):
        rows = []
        for a in answers:
            rows += [{"doc_id": doc, "source": "interview", "speaker": "interviewer",
                      "text": "收入怎么样？", "skip_reason": "interviewer"},
                     {"doc_id": doc, "source": "interview", "text": a}]
        return rows

    units = units_factory([*interview("a.txt", said), *interview("a - 副本.txt", said),
                           *interview("b.txt", said[:1]),  # one answer in common: another person
                           *interview("c.txt", ["好"]), *interview("d.txt", ["好"])])
    out = normalize(units)
    answers = out.loc[out["speaker"].eq("respondent")]
    reasons = answers["skip_reason"].tolist()
    assert reasons[:5] == ["", "", "duplicate", "duplicate", ""]
    assert "duplicate" not in reasons[5:]  # too short to tell a copy from two people saying 好
    copy = answers.loc[answers["doc_id"].eq("a - 副本.txt"), "skip_detail"]
    assert copy.str.contains("repeat a.txt word for word").all()
    assert (out.loc[out["speaker"].eq("interviewer"), "skip_reason"] == "interviewer").all()


def test_non_answer_shortcut_agrees_with_the_full_rule_on_generated_answers():
    """The opening-of-the-answer shortcut gives what stripping the whole answer gives."""
    import random
    import re

    from voiceminer.normalize import NON_ANSWERS, is_non_answer

    strip = re.compile(r"[\s\W_]+", re.UNICODE)

    def says_nothing(part: str) -> bool:
        bare = re.sub(r"^(?:这个|那个|这|那|(?:我也|我们|我)(?=不))", "", part).replace("不太", "不")
        return any(p in NON_ANSWERS or p.rstrip("的了啊吧呀呢哦啦嘛") in NON_ANSWERS
                   for p in (part, bare))

    def full_rule(clean: str) -> bool:
        core = strip.sub("", clean).lower()
        parts = [p for p in strip.split(clean.lower()) if p]
        return (not core or core in NON_ANSWERS
                or (len(set(core)) == 1 and core[0] in "无没略")
                or (len(parts) <= 3 and all(map(says_nothing, parts))))

    rng = random.Random(5)
    pieces = [*sorted(NON_ANSWERS), "无", "没", "略", "工资", "N", "o", "。", "！", " ", "…", "_", "\n",
              "这个", "我也", "不太清楚", "啊", "这个没什么建议啊"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) * rng.choice([1, 1, 2, 9, 30])
                       for _ in range(rng.randint(1, 6)))
        assert is_non_answer(text) == full_rule(text), text


def test_an_engines_workers_clean_the_texts_as_this_process_does(units_factory, monkeypatch):
    """Cleaned in batches on a process pool, the table is the one cleaned here: every reason,
    clean text and detail, in row order across the batches' edges. Above ENGINE_MAX_TEXTS
    texts the engine is not used."""
    from voiceminer.engine import LocalEngine

    monkeypatch.setattr(sys.modules["voiceminer.normalize"], "BATCH", 7)
    said = ["工資太低了！", "无", "  ", "平台抽成太高，一单只剩三块钱", "没有，挺好的，谢谢",
            "ＡＢＣ　跑单", "社保没交"]
    units = units_factory([{"text": said[i % len(said)], "doc_id": f"r{i % 5}"}
                           for i in range(60)])
    pieces = []
    with LocalEngine(2) as engine:
        pool_map = engine.map

        def counted(fn, tasks, size=0):
            pieces.extend(tasks := list(tasks))
            return pool_map(fn, tasks, size=10**6)  # past the pool's threshold: real workers

        engine.map = counted
        on_workers = normalize(units, engine)
        assert len(pieces) == 9  # 60 texts, 7 a piece
        monkeypatch.setattr(sys.modules["voiceminer.normalize"], "ENGINE_MAX_TEXTS", 59)
        here = normalize(units, engine)  # too many texts for the workers: cleaned here
        assert len(pieces) == 9
    plain = normalize(units)
    pd.testing.assert_frame_equal(on_workers, plain)
    pd.testing.assert_frame_equal(here, plain)
    assert set(plain["skip_reason"]) == {"", "non_answer", "empty", "duplicate"}
