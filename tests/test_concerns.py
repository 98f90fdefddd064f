import pandas as pd
import pytest

from voiceminer.concerns import ConcernFinder, find_concerns


def _coded(rows):
    """A code-stage table from (respondent, tokens, themes) triples."""
    return pd.DataFrame({
        "unit_id": [f"u{i}" for i in range(len(rows))],
        "respondent_id": [r for r, _, _ in rows],
        "skip_reason": [""] * len(rows),
        "tokens": [t for _, t, _ in rows],
        "themes": [th for _, _, th in rows],
        # columns of earlier stages that check_units expects
        **{c: [""] * len(rows) for c in ("doc_id", "source", "province", "group", "origin",
                                          "speaker", "question", "text", "skip_detail", "clean")},
        "evidence": [[] for _ in rows], "spans": [[] for _ in rows],
    })


FEES = [["工资", "抽成", "太高"], ["工资", "抽成", "单价", "降"], ["工资", "单价", "低", "抽成"],
        ["收入", "抽成", "单价"], ["抽成", "单价", "工资", "越来越"], ["单价", "抽成", "收入", "少"]]
ARREARS = [["工资", "拖欠", "老板"], ["拖欠", "工资", "三个月"], ["老板", "拖欠", "收入"],
           ["工资", "拖欠", "要不到"], ["拖欠", "老板", "跑路", "工资"], ["拖欠", "工资", "老板"]]


def test_two_concerns_inside_a_theme_are_separated_and_labelled():
    rows = [(f"a{i}", t, ["pay"]) for i, t in enumerate(FEES)] + \
           [(f"b{i}", t, ["pay"]) for i, t in enumerate(ARREARS)]
    units, concerns = find_concerns(_coded(rows), min_respondents=3)
    assert sorted(concerns["concern_id"]) == ["pay.01", "pay.02"]
    by_unit = units["concerns"].map(lambda c: c[0]).tolist()
    assert len(set(by_unit[:6])) == 1 and len(set(by_unit[6:])) == 1 and by_unit[0] != by_unit[6]
    labels = dict(zip(concerns["concern_id"], concerns["top_terms"]))
    fee_label, arrears_label = labels[by_unit[0]], labels[by_unit[6]]
    assert {"抽成", "单价"} <= set(fee_label[:3])
    assert "拖欠" in arrears_label[:2]
    assert concerns["respondents"].sum() == 12


def test_small_theme_is_one_concern_and_multi_label_units_get_one_per_theme():
    rows = [(f"r{i}", ["社保", "没交", "抽成"], ["social_insurance", "platform_rules"]) for i in range(3)]
    units, concerns = find_concerns(_coded(rows))
    assert units["concerns"].iat[0] == ["platform_rules.01", "social_insurance.01"]
    assert set(concerns["theme"]) == {"platform_rules", "social_insurance"}


def test_uncoded_units_form_other_concerns_only_when_coherent():
    rows = [(f"p{i}", ["充电", "电瓶", t], []) for i, t in enumerate("甲乙丙丁戊己")] + \
           [(f"q{i}", [w], []) for i, w in enumerate(["天气", "孩子", "吃饭", "回家", "过年", "朋友"])]
    units, concerns = find_concerns(_coded(rows), min_respondents=3)
    other = concerns.loc[concerns["theme"] == "other"]
    assert len(other) == 1 and "充电" in other["top_terms"].iat[0][:2]
    assert units["concerns"].iloc[6:].map(len).sum() == 0


def test_same_inputs_same_concerns():
    rows = [(f"a{i}", t, ["pay"]) for i, t in enumerate(FEES + ARREARS)]
    a = ConcernFinder(random_state=1).fit(_coded(rows))
    b = ConcernFinder(random_state=1).fit(_coded(rows))
    assert a.assignments_ == b.assignments_
    pd.testing.assert_frame_equal(a.concerns_, b.concerns_)


def _mixed_study():
    """Three themes, a unit coded into two, and uncoded units, big enough to cluster in each."""
    overtime = [["加班", "加班费", "没给"], ["加班费", "不给", "加班"], ["天天", "加班", "加班费"],
                ["加班费", "少", "加班"], ["加班", "没有", "加班费"], ["加班费", "加班", "周末"]]
    rows = [(f"a{i}", t, ["pay"]) for i, t in enumerate(FEES + ARREARS + overtime)]
    rows += [(f"b{i}", t, ["social_insurance"]) for i, t in enumerate(
        [["社保", "断缴", "补缴"], ["社保", "补缴", "养老"], ["养老", "社保", "断缴"],
         ["社保", "没交", "补缴"], ["断缴", "养老", "社保"], ["医保", "报销", "看病"],
         ["医保", "看病", "住院"], ["报销", "医保", "住院"]])]
    rows += [(f"c{i}", ["工资", "拖欠", "社保", "没交"], ["pay", "social_insurance"])
             for i in range(3)]
    rows += [(f"d{i}", ["充电", "电瓶", t], []) for i, t in enumerate("甲乙丙丁戊己")]
    return _coded(rows)


@pytest.mark.parametrize("fork", [True, False], ids=["processes", "threads"])
@pytest.mark.parametrize("known", [True, False], ids=["catalogue", "discovery-only"])
def test_workers_do_not_change_the_concerns(known, fork, monkeypatch):
    """Themes side by side, on forked processes or (where the system cannot fork) threads,
    give what one worker gives."""
    from voiceminer import concerns

    forks = []
    if fork:
        real = concerns.forked_map
        monkeypatch.setattr(concerns, "forked_map", lambda *a: forks.append(a[1:]) or real(*a))
    else:
        monkeypatch.setattr(concerns, "can_fork", lambda: False)
    units = _mixed_study()
    one = ConcernFinder(n_jobs=1, known_concerns=known).fit(units)
    two = ConcernFinder(n_jobs=2, known_concerns=known).fit(units)
    assert len(forks) == (1 if fork and concerns.can_fork() else 0)
    assert one._threads == 1 and two._threads == 2
    assert one.assignments_ == two.assignments_
    pd.testing.assert_frame_equal(one.concerns_, two.concerns_)


def test_large_runs_use_one_thread(monkeypatch):
    """Above PARALLEL_MAX_UNITS (unit, theme) pairs, themes go one at a time (memory)."""
    from voiceminer import concerns

    units = _mixed_study()
    monkeypatch.setattr(concerns, "PARALLEL_MAX_UNITS", 10)
    finder = ConcernFinder(n_jobs=2).fit(units)
    assert finder._threads == 1
    assert finder.assignments_ == ConcernFinder(n_jobs=1).fit(units).assignments_


def test_n_jobs_must_be_a_count():
    with pytest.raises(ValueError, match=r"'n_jobs' parameter of ConcernFinder must be an int "
                                         r"in the range \[0, inf\)\. Got -1 instead"):
        ConcernFinder(n_jobs=-1).fit(_mixed_study())


def test_new_concerns_are_named_by_a_clause_their_units_wrote():
    gates = [("小区开放给骑手进", ["小区", "开放", "骑手", "进"]),
             ("小区开放给骑手进吧", ["小区", "开放", "骑手", "进"]),
             ("小区给骑手开个门", ["小区", "骑手", "开个", "门"]),
             ("保安不让进，小区开放一下", ["保安", "不让", "进", "小区", "开放", "一下"]),
             ("小区开放给骑手进！", ["小区", "开放", "骑手", "进"])]
    # the same five answers coded into two themes: one concern in each, the second pointing to
    # the first, whose words it may share
    table = _coded([(f"r{i}", toks, ["living", "enforcement"]) for i, (_, toks) in enumerate(gates)])
    table["clean"] = [text for text, _ in gates]
    _, concerns = find_concerns(table, min_respondents=3, known_concerns=False)
    by_theme = concerns.set_index("theme")
    assert by_theme.loc["enforcement", "label"] == "“小区开放给骑手进”等"  # first in order
    assert by_theme.loc["living", "label"] == "“小区开放给骑手进”等"
    assert by_theme.loc["living", "see_also"] == "enforcement.01"
    assert by_theme.loc["enforcement", "see_also"] == ""
    assert all(terms for terms in concerns["top_terms"])  # the terms stay beside the label


def test_a_new_concern_over_other_units_is_not_named_like_an_earlier_one():
    gates = [("小区开放给骑手进", ["小区", "开放", "骑手", "进"])] * 4
    rows = [(f"e{i}", toks, ["enforcement"]) for i, (_, toks) in enumerate(gates)] + \
           [(f"l{i}", toks, ["living"]) for i, (_, toks) in enumerate(gates)]
    table = _coded(rows)
    table["clean"] = [text for text, _ in gates * 2]
    _, concerns = find_concerns(table, min_respondents=3, known_concerns=False)
    by_theme = concerns.set_index("theme")
    # other people: no pointer, and the taken words are not given again
    assert by_theme.loc["living", "see_also"] == ""
    assert by_theme.loc["living", "label"] != by_theme.loc["enforcement", "label"]


def test_a_known_concerns_key_terms_come_from_the_units_that_name_it():
    import numpy as np

    from voiceminer.concern_catalogue import KnownConcern
    from voiceminer.concern_labels import naming_core

    deposits = KnownConcern("deposits", "押金", ("pay",), ("押金",))
    arrears = KnownConcern("arrears", "拖欠工资", ("pay",), ("拖欠",))
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 2])
    named = np.array([[1, 0], [1, 0], [0, 0], [0, 0], [0, 1], [0, 0], [0, 0], [0, 0]], dtype=bool)
    core = naming_core(labels, [[deposits], [arrears], []], (deposits, arrears), named)
    # 押金: two units name it, the two only nearest to it leave; 拖欠工资: one unit names it,
    # too few to name it by, so all stay; the new concern (2) is left as it is
    assert core.tolist() == [0, 0, -1, -1, 1, 1, 1, 2]
    assert labels.tolist() == [0, 0, 0, 0, 1, 1, 1, 2]


def test_uncoded_answers_may_report_twice_max_concerns_and_none_is_lost_in_a_mixed_cluster():
    """其他 holds unrelated matters: with max_concerns=2 four blocks of one answer each are four
    concerns, where two clusters had each mixed two blocks and named them by one."""
    blocks = [["充电", "电瓶"], ["机场", "排队"], ["电费", "涨价"], ["三轮车", "身份"]]
    rows = [(f"{b}{i}", [*words, t], []) for b, words in enumerate(blocks)
            for i, t in enumerate("甲乙丙丁")]
    rows += [(f"q{i}", [w], []) for i, w in enumerate(["天气", "孩子", "吃饭", "回家", "过年"])]
    units, concerns = find_concerns(_coded(rows), min_respondents=3, max_concerns=2)
    other = concerns.loc[concerns["theme"] == "other"]
    assert len(other) == 4
    first = units["concerns"].map(lambda c: c[0] if c else "").tolist()
    for b in range(4):
        block = first[4 * b:4 * b + 4]
        assert block[0] and len(set(block)) == 1
    assert len(set(first[:16])) == 4 and not any(first[16:])
