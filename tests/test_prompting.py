"""Prompted mentions: the themes a unit's question asked about, and the unprompted counts."""

import numpy as np

from voiceminer.coding import ThemeCoder
from voiceminer.compare import prevalence
from voiceminer.prompting import question_themes
from voiceminer.report.model import NATIONAL


def test_a_question_prompts_the_themes_it_names(mini_codebook, mini_segmenter, units_factory):
    coder = ThemeCoder(mini_codebook, mini_segmenter)
    units = units_factory([
        {"question": "9、您对平台派单和社保有什么意见？", "text": "派单不公平"},
        {"question": "9、您对平台派单和社保有什么意见？", "text": "没有社保"},  # coded once
        {"question": "先聊聊您的基本情况吧", "source": "interview", "text": "跑了三年"},
        {"question": "您觉得现在的工资还行吗？", "source": "interview", "text": "少发了"},
        {"question": "罚款太狠了", "source": "forum", "text": "又被罚款"},  # a post's own title
        {"question": "", "text": "限行"},
        {"question": "您對進小區有什麼看法？", "text": "进不去"},  # traditional script
    ])
    asked = question_themes(units, coder)
    assert asked.tolist() == [
        ("social_insurance", "platform_rules"), ("social_insurance", "platform_rules"), (),
        ("pay",),  # the satisfied cue drops it from an answer, not from a question
        (), (), ("enforcement",),
    ]


def test_a_short_follow_up_asks_about_what_the_question_before_it_named(
        mini_codebook, mini_segmenter, units_factory):
    """还有别的吗？ after a question about dispatch draws out more of it; a longer question that
    names no theme opens a new topic; another interview does not inherit the topic."""
    coder = ThemeCoder(mini_codebook, mini_segmenter)
    rows = [("d1", "平台派单对您影响大吗？"), ("d1", "还有别的吗？"), ("d1", "那您具体说说？"),
            ("d1", "最后您对我们的调查还有什么想说的吗？"), ("d1", "还有别的吗？"),
            ("d2", "还有别的吗？"), ("s1", "还有别的吗？")]
    units = units_factory([{"doc_id": doc, "question": q, "text": "又被罚了",
                            "source": "survey" if doc == "s1" else "interview"}
                           for doc, q in rows])
    assert question_themes(units, coder).tolist() == [
        ("platform_rules",), ("platform_rules",), ("platform_rules",), (), (), (), ()]


def test_unprompted_counts_people_who_raised_a_theme_where_no_question_named_it(units_factory):
    units = units_factory([
        # r1 speaks of pay only under the pay question; r2 under it and elsewhere; r3 elsewhere
        {"respondent_id": "r1", "question": "Q-pay"}, {"respondent_id": "r2", "question": "Q-pay"},
        {"respondent_id": "r2", "question": "Q-open"}, {"respondent_id": "r3", "group": "快递员"},
    ]).assign(themes=[["pay"], ["pay"], ["pay", "hours"], ["hours"]],
              concerns=[["pay.01"], ["pay.01"], ["pay.01"], []],
              clean=["a", "b", "c", "d"], tokens=[["a"], ["b"], ["c"], ["d"]],
              evidence=[[]] * 4, spans=[[]] * 4)
    asked = np.empty(4, dtype=object)
    asked[:] = [("pay",), ("pay",), (), ()]
    prev = prevalence(units, asked=asked)
    rows = prev.set_index(["province", "group", "level", "key"])
    pay = rows.loc[(NATIONAL, "全部", "theme", "pay")]
    assert (pay["respondents"], pay["unprompted"], pay["base"]) == (2, 1, 3)
    assert pay["unprompted_share"] == round(1 / 3, 6)
    assert rows.loc[(NATIONAL, "全部", "concern", "pay.01"), "unprompted"] == 1
    assert rows.loc[(NATIONAL, "全部", "theme", "hours"), "unprompted"] == 2
    # without the questions' themes the count is not known, not zero
    unknown = prevalence(units)
    assert unknown["unprompted"].isna().all() and unknown["unprompted_share"].isna().all()
    assert unknown["respondents"].tolist() == prev["respondents"].tolist()


def test_a_short_answer_naming_no_theme_answers_the_one_theme_its_question_asks_about(
        mini_codebook, mini_segmenter, units_factory):
    """说了也没用 under a questionnaire's question about dispatch is a view of dispatch; an answer
    that names a theme of its own keeps it, a question naming two themes or none passes none on,
    a long answer that names none has moved on; an interview turn (我先接个电话) and a post's
    title are left alone."""
    from voiceminer.pipeline import analyze
    from voiceminer.prompting import ANSWER_CHARS, answered_themes

    long_answer = "我们家里老人身体不好，" * 5
    assert len(long_answer) > ANSWER_CHARS
    rows = [("平台派单对您影响大吗？", "说了也没用", "survey"),
            ("平台派单对您影响大吗？", "社保没交过", "survey"),
            ("您对平台派单和社保有什么意见？", "说了也没用", "survey"),
            ("先聊聊您的基本情况吧", "说了也没用", "survey"),
            ("平台派单对您影响大吗？", long_answer, "survey"),
            ("平台派单对您影响大吗？", "我先接个电话", "interview"),
            ("派单太少了", "说了也没用", "forum")]
    units = units_factory([{"respondent_id": f"r{i}", "question": q, "text": t, "source": s}
                           for i, (q, t, s) in enumerate(rows)])
    run = analyze(units, codebook=mini_codebook)
    assert [list(t) for t in run.units["themes"]] == [
        ["platform_rules"], ["social_insurance"], [], [], [], [], []]
    assert "platform_rules:question" in run.units["evidence"].iat[0]
    # the inherited theme was asked about: nobody raised it unprompted
    prev = run.prevalence
    row = prev[(prev["level"] == "theme") & (prev["key"] == "platform_rules")
               & (prev["province"] == NATIONAL) & (prev["group"] == "全部")]
    assert row["respondents"].iat[0] == 1 and row["unprompted"].iat[0] == 0
    # the step alone, on a coded table: only the study's themes are passed on
    coded = run.units.assign(themes=[[] for _ in rows], evidence=[[] for _ in rows])
    asked = np.empty(len(rows), dtype=object)
    asked[:] = [("platform_rules",)] * len(rows)
    assert answered_themes(coded, asked, ["pay"])["themes"].map(len).sum() == 0
