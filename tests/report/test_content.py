"""The shared wording rules: percentages, numerals, which group a concern is "mainly" from."""

from __future__ import annotations

import datetime as dt

import pytest

from voiceminer.report import raised_by
from voiceminer.report.model import NATIONAL, GroupShare
from voiceminer.report.writers import _content as c
from voiceminer.report.writers._safe import neutralize_cell


@pytest.mark.parametrize(
    ("share", "text"),
    [(0.23, "23%"), (0.004, "<1%"), (0.0049, "<1%"), (0.005, "1%"), (0.0, "0%"),
     (0.285, "29%"), (0.125, "13%"), (0.996, ">99%"), (1.0, "100%"), (float("nan"), "—")],
)
def test_format_pct(share: float, text: str) -> None:
    assert c.format_pct(share) == text


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (2, "二"), (10, "十"), (11, "十一"),
                                         (20, "二十"), (23, "二十三"), (100, "100")])
def test_chinese_numeral(n: int, text: str) -> None:
    assert c.chinese_numeral(n) == text


def test_lead_phrase_single_double_many_unknown() -> None:
    g = GroupShare
    assert raised_by.lead_phrase([g("快递员", 30, 0.2), g("外卖骑手", 10, 0.4)]) == "外卖骑手中比例最高"
    assert raised_by.lead_phrase([g("外卖骑手", 10, 0.40), g("快递员", 8, 0.36)]) == "外卖骑手、快递员中比例较高"
    assert raised_by.lead_phrase([g("外卖骑手", 10, 0.40), g("快递员", 8, 0.35)]) == "外卖骑手、快递员中比例较高"
    assert raised_by.lead_phrase([g("外卖骑手", 10, 0.40), g("快递员", 8, 0.34)]) == "外卖骑手中比例最高"
    three = [g("外卖骑手", 5, 0.40), g("快递员", 5, 0.39), g("货车司机", 5, 0.38)]
    assert raised_by.lead_phrase(three) == "多个群体均有提及"
    assert raised_by.lead_phrase([g("未知", 50, 0.9), g("快递员", 6, 0.1)]) == "快递员中比例最高"
    # below five people nobody raises anything "mainly"
    assert raised_by.lead_phrase([g("快递员", 2, 0.1)]) == "" and raised_by.lead_groups([g("快递员", 4, 0.5)]) == ()
    assert raised_by.lead_phrase([]) == ""
    # a group of two in the line is not named, however high its rate, and then none is: the
    # next group's rate is not the highest
    assert raised_by.lead_phrase([g("外卖骑手", 2, 0.5), g("货车司机", 7, 0.2)]) == "多个群体均有提及"
    assert raised_by.lead_phrase([g("外卖骑手", 2, 0.1), g("货车司机", 7, 0.2)]) == "货车司机中比例最高"
    # nor is a runner-up named past a small group with a higher share than its own
    assert raised_by.lead_phrase([g("快递员", 9, 0.07), g("货车司机", 2, 0.06), g("外卖骑手", 5, 0.04)]) \
        == "快递员中比例最高"
    assert raised_by.lead_phrase([g("外卖骑手", 2, 0.5), g("货车司机", 2, 0.2), g("快递员", 1, 0.1)]) == \
        "多个群体均有提及"


def test_titles(issues) -> None:
    from dataclasses import replace

    assert c.title(issues) == "云南新就业形态劳动者反映问题清单"
    assert c.title(replace(issues, province=NATIONAL)) == "全国新就业形态劳动者反映问题汇总"


def test_basis_and_group_lines(issues) -> None:
    assert c.basis_line(issues) == (
        "依据 300 名受访者的 500 条有效表述（访谈 100 条、问卷 300 条、网帖 100 条）。"
    )
    assert c.group_line(issues) == (
        "受访者构成：货车司机 30 人、网约车司机 60 人、快递员 90 人、外卖骑手 120 人。"
    )


def test_other_theme_last(issues) -> None:
    assert [t.theme_id for t in c.ordered_themes(issues)] == ["pay", "other"]


def test_run_datetime_fixed_without_meta() -> None:
    assert c.run_datetime({}) == c.run_datetime({"run_date": "not a date"})
    assert c.run_datetime({"run_date": dt.date(2024, 5, 1)}).date() == dt.date(2024, 5, 1)


@pytest.mark.parametrize("text", ["=1+1", "+86", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralize_formula_strings(text: str) -> None:
    assert neutralize_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["抽成高", "", "a=b", 3, -1, 0.5, None])
def test_neutralize_leaves_the_rest(value) -> None:
    assert neutralize_cell(value) == value
    assert type(neutralize_cell(value)) is type(value)


def test_prompted_note_names_the_themes_raised_mostly_where_asked():
    from voiceminer.report.model import ThemeSection

    def theme(label, respondents, unprompted):
        return ThemeSection(label, label, respondents, respondents / 100, (), (),
                            unprompted, None if unprompted is None else unprompted / 100)

    union, pay = theme("组织与入会", 47, 1), theme("工资收入", 33, 32)
    assert c.prompted_note([union, pay]) == "注：组织与入会（未经提问主动提及 1%）多为回答专门提问时提及。"
    assert c.prompted_note([pay, theme("劳动安全", 9, None)]) == ""  # a tenth or less; not known


@pytest.mark.parametrize(("source", "text", "question", "body"), [
    ("interview", "没有，老板说交了", "社保有交吗？", "（问：社保有交吗？）“没有，老板说交了”"),
    ("interview", "老板说交了，后来一查根本没交，问他也不说", "社保有交吗？",
     "“老板说交了，后来一查根本没交，问他也不说”"),  # long enough to be read alone
    ("survey", "收入", "7、您在工作中遇到的最主要困难是什么？",
     "（问：您在工作中遇到的最主要困难是什么？）“收入”"),  # the number goes, the words stay
    ("survey", "平台抽成太高了", "7、您在工作中遇到的最主要困难是什么？", "“平台抽成太高了”"),
    ("interview", "没有", "", "“没有”"),  # no question known
])
def test_a_short_answer_is_quoted_after_its_question(source, text, question, body) -> None:
    from voiceminer.report.model import Quote

    quote = Quote(unit_id="u", text=text, origin="a.txt:3", province="云南", group="快递员",
                  source=source, question=question)
    assert c.quote_body(quote) == body


@pytest.mark.parametrize(("approving", "respondents", "marked"),
                         [(30, 50, True), (20, 50, False), (4, 6, True), (4, 4, True),
                          (3, 4, True), (2, 2, True), (1, 1, True), (1, 2, False), (3, 6, False),
                          (5, 10, False), (6, 10, True), (0, 3, False), (None, 50, False)])
def test_a_concern_most_people_approve_of_says_so(approving, respondents, marked) -> None:
    from voiceminer.report.model import ConcernItem

    concern = ConcernItem(concern_id="organization.08", label="工会活动与慰问帮扶", top_terms=(),
                          respondents=respondents, share=0.03, groups=(), quotes=(),
                          approving=approving)
    assert c.concern_text(concern).endswith("；多为肯定性评价）") is marked


@pytest.mark.parametrize(("approving", "respondents", "said"),
                         [(8, 88, "88 人；其中 8 人为肯定性评价）"), (1, 3, "3 人；其中 1 人为肯定性评价）"),
                          (0, 88, "88 人）"), (None, 88, "88 人）")])
def test_a_minority_of_approving_people_is_counted_in_the_line(approving, respondents, said):
    """Praise from a few of a concern's people is part of its count; the line says how much."""
    from voiceminer.report.model import ConcernItem

    concern = ConcernItem(concern_id="living.03", label="吃饭、喝水、如厕不便", top_terms=(),
                          respondents=respondents, share=0.05, groups=(),
                          quotes=(), approving=approving)
    assert c.concern_text(concern).endswith(said)


# a national sample of 1,000 people: 广东 200 (a fifth), 云南 100, 河北 50, the rest elsewhere
BASES = {"广东": 200, "云南": 100, "河北": 50, "江苏": 650}


@pytest.mark.parametrize(("by_province", "by_source", "said"), [
    ((("广东", 18),), (("survey", 18),), "18 人；均来自广东）"),
    ((("云南", 26), ("河北", 20), ("江苏", 14)), (), "60 人；集中在云南（60 人中 26 人））"),
    # a third of the line from 广东 is what a fifth of the sample gives: not concentrated
    ((("广东", 20), ("江苏", 40)), (), "60 人）"),
    ((("河北", 2), ("江苏", 4)), (), "6 人）"),  # two people are no concentration
    ((("未知", 9), ("江苏", 1)), (), "10 人）"),  # nobody knows where 未知 is
    ((), (("forum", 8),), "8 人；均为网帖）"),
    ((), (("forum", 9), ("survey", 3)), "12 人；多为网帖（12 人中 9 人））"),
    ((), (("forum", 3), ("survey", 3)), "6 人）"),
    ((("广东", 3),), (("forum", 3),), "3 人）"),  # below five people the quotes say it
])
def test_a_national_line_says_where_its_people_come_from(by_province, by_source, said) -> None:
    from voiceminer.report.model import NATIONAL, ConcernItem, IssueList

    n = sum(k for _p, k in by_province) or sum(k for _s, k in by_source)
    concern = ConcernItem(concern_id="hours.06", label="机场排队", top_terms=(), respondents=n,
                          share=n / 1000, groups=(), quotes=(), by_province=by_province,
                          by_source=by_source)
    national = IssueList(province=NATIONAL, respondents_total=1000, respondents_by_group={},
                         units_analysed=1000, sources={}, themes=(),
                         respondents_by_province=BASES)
    assert c.concern_text(concern, national).endswith(said)


def test_the_national_summary_says_why_the_province_lists_add_up_to_more_people(issues):
    from dataclasses import replace

    from voiceminer.report.model import NATIONAL

    national = replace(issues, province=NATIONAL, respondents_total=100,
                       respondents_by_province={"云南": 60, "广东": 38, "未知": 5})
    assert c.province_line(national) == (
        "受访者分布于 2 个省份，另有 5 人省份不详（单列为“省份不详”清单）。"
        "其中 3 人的表述标注了不同省份（或部分未标注），在各省清单中各计一次，"
        "因此各省清单人数之和（103）多于全国人数（100）。")
    exact = replace(national, respondents_by_province={"云南": 60, "广东": 40})
    assert c.province_line(exact) == "受访者分布于 2 个省份。"
    assert c.province_line(issues) == ""  # a province's list


def test_a_list_on_few_respondents_warns_that_its_shares_move_with_one_person(issues):
    from dataclasses import replace

    from voiceminer.report.model import NATIONAL

    assert issues.respondents_total >= c.SMALL_BASE and c.small_base_line(issues) == ""
    small = replace(issues, respondents_total=57)
    assert c.small_base_line(small).startswith("注意：本清单只依据 57 名受访者")
    assert c.small_base_line(replace(small, province=NATIONAL)) == ""


def test_the_basis_line_counts_what_no_line_holds(issues) -> None:
    from dataclasses import replace

    line = c.basis_line(replace(issues, unplaced=12))
    assert line.startswith("依据 300 名受访者的 500 条有效表述（")
    assert "其中 12 条未归入下列任何一条问题" in line and "units.csv" in line
