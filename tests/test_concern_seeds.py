"""Seeded concern clustering (concern_seeds.py, and how ConcernFinder uses it); the catalogue
itself is tested in test_concern_catalogue.py."""

import numpy as np
import pytest

from voiceminer.codebook import Codebook
from voiceminer.concern_catalogue import ConcernCatalogue, KnownConcern
from voiceminer.concern_seeds import give_way, seeds_from_scores
from voiceminer.concerns import ConcernFinder

from .test_concerns import _coded

ARREARS = KnownConcern("arrears", "拖欠工资", ("pay",), ("拖欠", "欠薪"))
FEES = KnownConcern("fees", "平台抽成", ("pay",), ("抽成",))
MINI = ConcernCatalogue((ARREARS, FEES))

OWED = [["老板", "拖欠", "工资"], ["拖欠", "工资", "三个月"], ["欠薪", "老板", "跑路"],
        ["工资", "拖欠", "要不到"], ["拖欠", "老板", "工资"], ["欠薪", "工资", "老板"]]
CUT = [["抽成", "太高", "平台"], ["平台", "抽成", "越来越"], ["抽成", "比例", "平台"],
       ["抽成", "太高", "收入"], ["平台", "抽成", "涨"], ["抽成", "平台", "不透明"]]
CHARGING = [["充电", "电瓶", "排队"], ["电瓶", "充电", "没地方"], ["充电", "电瓶", "太贵"],
            ["充电", "排队", "电瓶"], ["电瓶", "充电", "难"], ["充电", "电瓶", "半夜"]]


def _pay_units(*groups):
    rows = [(f"{g}{i}", toks, ["pay"]) for g, block in zip("abcdef", groups)
            for i, toks in enumerate(block)]
    return _coded(rows)


def test_a_unit_seeds_the_concern_it_names_most_and_ties_wait():
    seed, cand = seeds_from_scores(np.array([[2.0, 1.0], [1.0, 1.0], [0.0, 0.0]]))
    assert seed.tolist() == [0, -1, -1]
    assert cand.tolist() == [[True, False], [True, True], [False, False]]


def test_known_concerns_take_catalogue_labels_and_new_ones_are_still_found():
    units = _pay_units(OWED, CUT, CHARGING)
    finder = ConcernFinder(catalogue=MINI).fit(units)
    table = finder.concerns_.set_index("concern_id")
    by_unit = [a[0] for a in finder.assignments_]
    owed, cut, charging = by_unit[0], by_unit[6], by_unit[12]
    assert len(set(by_unit[:6])) == len(set(by_unit[6:12])) == len(set(by_unit[12:])) == 1
    assert table.loc[owed, "label"] == "拖欠工资" and table.loc[cut, "label"] == "平台抽成"
    assert finder.known_ == {owed: ["arrears"], cut: ["fees"]}
    assert charging not in finder.known_  # no catalogue foresaw it: a new concern
    assert "充电" in table.loc[charging, "top_terms"][:3]  # its label: c-TF-IDF terms
    assert "充电" in table.loc[charging, "label"]
    assert table.loc[owed, "top_terms"][0] == "拖欠"  # the catalogue's word leads, for quotes


def test_without_the_catalogue_every_concern_is_discovered():
    units = _pay_units(OWED, CUT)
    finder = ConcernFinder(known_concerns=False).fit(units)
    assert finder.known_ == {}
    assert not set(finder.concerns_["label"]) & {c.label for c in ConcernCatalogue.load().concerns}


def test_a_unit_naming_two_known_concerns_equally_raises_both_led_by_its_other_words():
    """It goes where its other words are (that concern comes first and its centre takes it in)
    and is counted in the other too: a long answer about 外地牌照 and then 运管查双证 raised
    both."""
    both = [["拖欠", "抽成", "老板", "跑路", "工资"]]  # words of the arrears answers
    units = _pay_units(OWED, CUT, both)
    finder = ConcernFinder(catalogue=MINI).fit(units)
    owed, cut = finder.assignments_[0][0], finder.assignments_[6][0]
    assert finder.assignments_[-1] == [owed, cut]
    counts = finder.concerns_.set_index("concern_id")["respondents"]
    assert counts[owed] == 7 and counts[cut] == 7


def test_pooled_catalogue_reports_one_themes_concerns_together_when_over_budget():
    a1 = KnownConcern("a1", "甲一", ("a",), ("拖欠",))
    a2 = KnownConcern("a2", "甲二", ("a",), ("欠薪",))
    b1 = KnownConcern("b1", "乙一", ("b",), ("抽成",))
    pooled = ConcernCatalogue((a1, a2, b1)).pooled("pay")
    assert [c.family for c in pooled.concerns] == ["a", "a", "b"]
    owed = [OWED[i] for i in (0, 1, 3)] + [["欠薪", "老板", f"x{i}"] for i in range(3)]
    finder = ConcernFinder(catalogue=pooled, max_concerns=2).fit(_pay_units(owed, CUT))
    assert sorted(finder.concerns_["label"]) == ["乙一", "甲一；甲二"]


def test_same_inputs_same_seeded_concerns():
    units = _pay_units(OWED, CUT, CHARGING)
    a = ConcernFinder(catalogue=MINI, random_state=3).fit(units)
    b = ConcernFinder(catalogue=MINI, random_state=3).fit(units)
    assert a.assignments_ == b.assignments_ and a.known_ == b.known_
    assert a.concerns_.equals(b.concerns_)


def test_uncoded_units_naming_a_known_concern_join_it_and_the_rest_do_not():
    chat = [["天气", "老板", "工资"], ["孩子", "老板", "工资"], ["吃饭", "老板", "工资"],
            ["回家", "老板", "工资"], ["过年", "老板", "工资"], ["朋友", "老板", "工资"]]
    rows = [(f"o{i}", t, []) for i, t in enumerate(OWED)] + \
           [(f"c{i}", t, []) for i, t in enumerate(chat)] + \
           [(f"p{i}", t, ["pay"]) for i, t in enumerate(OWED * 2)]  # where 拖欠/欠薪 are at home
    finder = ConcernFinder(catalogue=MINI).fit(_coded(rows))
    owed = {a[0] for a in finder.assignments_[:6]}
    assert len(owed) == 1 and owed <= set(finder.known_)
    table = finder.concerns_.set_index("concern_id")
    assert table.loc[owed.pop(), ["theme", "label"]].tolist() == ["other", "拖欠工资"]
    # near the arrears answers (老板、工资) but naming no known concern: not pulled into it
    assert not any(owed & set(a) for a in finder.assignments_[6:12])


def test_uncoded_units_do_not_join_a_known_concern_by_a_term_said_mostly_elsewhere():
    # 诉讼 names a rights concern inside that theme, but here it is mostly news about lawsuits
    suits = KnownConcern("litigation", "劳动仲裁与诉讼", ("rights",), ("诉讼", "仲裁"))
    news = [["苹果", "集体", "诉讼"], ["明星", "离婚", "诉讼"], ["专利", "诉讼", "公告"],
            ["诉讼", "公司", "公告"], ["集体", "诉讼", "产品"], ["离婚", "诉讼", "费"]]
    rights = [["仲裁", "诉讼", "工资"], ["申请", "仲裁", "诉讼"]]
    rows = [(f"n{i}", t, []) for i, t in enumerate(news)] + \
           [(f"r{i}", t, ["rights"]) for i, t in enumerate(rights)]
    catalogue = ConcernCatalogue((suits,))
    assert catalogue.trusted_outside([t for _, t, _ in rows], [th for _, _, th in rows]) \
        .concerns[0].terms == ("仲裁",)  # 诉讼: 2 of 8 units at home; 仲裁: 2 of 2
    finder = ConcernFinder(catalogue=catalogue).fit(_coded(rows))
    joined = [cid for a in finder.assignments_[:6] for cid in a if cid in finder.known_]
    assert joined == []


def test_a_units_concerns_list_the_one_it_says_most_first_when_nothing_else_decides():
    arrears = KnownConcern("arrears", "拖欠工资", ("pay",), ("拖欠", "欠薪"))
    overtime = KnownConcern("overtime", "强制加班", ("hours",), ("加班",))
    rows = [(f"r{i}", ["拖欠", "欠薪", "又", "加班", "加班", f"x{i}"], ["hours", "pay"])
            for i in range(3)]
    finder = ConcernFinder(catalogue=ConcernCatalogue((arrears, overtime))).fit(_coded(rows))
    # both concerns always come together (same share raised alone); two arrears terms against
    # one overtime term, said twice
    assert finder.assignments_[0] == ["pay.01", "hours.01"]


ARBITRATION = KnownConcern("arbitration", "劳动仲裁", ("rights", "labor_relations"),
                           ("仲裁", "仲裁委", "起诉"))
STATUS = KnownConcern("status", "劳动关系认定", ("labor_relations",), ("劳动关系",))


def test_a_concern_at_home_elsewhere_gives_way_to_the_themes_own():
    scores = np.array([[1.0, 2.0], [1.0, 2.0], [0.0, 2.0]])
    coded = [["labor_relations", "rights"], ["labor_relations"], ["labor_relations", "rights"]]
    out = give_way(scores, [STATUS, ARBITRATION], "labor_relations", coded)
    # row 0 names the theme's own concern and was coded into arbitration's home: cleared;
    # row 1 was not coded into rights, row 2 names no labour-relations concern: kept
    assert out.tolist() == [[1.0, 0.0], [1.0, 2.0], [0.0, 2.0]]
    assert scores[0, 1] == 2.0  # the input is left alone
    # a pooled catalogue puts every concern at home in the one theme: nothing gives way
    pooled = ConcernCatalogue((STATUS, ARBITRATION)).pooled("x").concerns
    assert give_way(scores, pooled, "x", coded).tolist() == scores.tolist()


def test_a_unit_carries_each_known_concern_once_in_its_home_theme():
    owned = [(f"s{i}", ["确认", "劳动关系", f"x{i}"], ["labor_relations"]) for i in range(6)]
    both = [(f"b{i}", ["仲裁委", "仲裁", "确认", "劳动关系", f"y{i}"],
             ["labor_relations", "rights"]) for i in range(3)]
    finder = ConcernFinder(catalogue=ConcernCatalogue((STATUS, ARBITRATION))).fit(
        _coded(owned + both))
    labels = dict(zip(finder.concerns_["concern_id"], finder.concerns_["label"]))
    # two arbitration terms against one: without give_way arbitration would seed these three
    # units under labour relations too, and be reported there as well as under rights
    assert sorted(labels[c] for c in finder.assignments_[-1]) == ["劳动仲裁", "劳动关系认定"]
    assert {labels[c] for c in finder.concerns_["concern_id"]
            if c.startswith("labor_relations.")} == {"劳动关系认定"}


ARREARS_ONLY = ConcernCatalogue((KnownConcern("arrears", "拖欠工资", ("pay",), ("拖欠",)),
                                 KnownConcern("arbitration", "劳动仲裁", ("rights",),
                                              ("仲裁", "仲裁委", "起诉"))))


def test_the_concern_more_often_raised_alone_comes_first():
    alone = [(f"p{i}", ["拖欠", "工资", f"x{i}"], ["pay"]) for i in range(6)]
    both = [(f"b{i}", ["拖欠", "工资", "仲裁", "仲裁委", "起诉"], ["pay", "rights"])
            for i in range(3)]
    finder = ConcernFinder(catalogue=ARREARS_ONLY).fit(_coded(alone + both))
    # arrears: 6 of its 9 units raise nothing else, (6+1)/(9+2); arbitration: 0 of 3, 1/5.
    # Arbitration's three terms against one would have put it first before.
    assert finder.assignments_[-1] == ["pay.01", "rights.01"]


def test_a_theme_raised_in_the_opening_sentence_comes_first():
    alone = [(f"r{i}", ["申请", "仲裁", f"x{i}"], ["rights"]) for i in range(6)]
    both = [(f"b{i}", ["拖欠", "工资", "仲裁", "仲裁委"], ["pay", "rights"]) for i in range(3)]
    units = _coded(alone + both)
    clean = "老板拖欠工资。后来去申请仲裁，仲裁委不受理。"
    units.loc[6:, "clean"] = clean
    units["spans"] = [[("rights", 2, 4)]] * 6 + [[("pay", 2, 4), ("rights", 11, 13)]] * 3
    finder = ConcernFinder(catalogue=ARREARS_ONLY).fit(units)
    # arbitration is raised alone far more often, but the letter opens with the unpaid wage
    assert finder.assignments_[-1] == ["pay.01", "rights.01"]
    units.loc[6:, "clean"] = "后来去申请仲裁，仲裁委不受理。老板拖欠工资。"
    units["spans"] = [[("rights", 2, 4)]] * 6 + [[("rights", 5, 7), ("pay", 17, 19)]] * 3
    assert ConcernFinder(catalogue=ARREARS_ONLY).fit(units).assignments_[-1] == \
        ["rights.01", "pay.01"]


def test_a_one_word_answer_or_one_coded_only_by_its_question_joins_a_concern_only_by_naming_it():
    """Near a known concern without naming it: a unit with more to say joins it by proximity;
    a bare 老板 (one word), or 老板 工资 coded into the theme only by the question it answers,
    keeps no concern (it stays in the theme's count) unless it names the concern."""
    near = [["老板", "工资"], ["老板", "工资", "好久"]]
    rows = [(f"o{i}", t, ["pay"]) for i, t in enumerate(OWED)] + \
           [(f"c{i}", t, ["pay"]) for i, t in enumerate(CUT)] + \
           [("bare", ["老板"], ["pay"]), ("asked", near[0], ["pay"]),
            ("asked_named", ["老板", "拖欠"], ["pay"]), ("told", near[1], ["pay"])]
    units = _coded(rows)
    units.at[13, "evidence"] = ["pay:question"]
    units.at[14, "evidence"] = ["pay:question"]
    finder = ConcernFinder(catalogue=MINI).fit(units)
    owed = finder.assignments_[0]
    assert owed and all(finder.assignments_[i] == owed for i in range(6))
    assert finder.assignments_[12] == [] and finder.assignments_[13] == []  # bare, asked
    assert finder.assignments_[14] == owed  # asked, but names 拖欠
    assert finder.assignments_[15] == owed  # says more: joins by its words


def test_a_unit_naming_a_known_concern_without_a_slot_is_not_put_in_another():
    """Over budget, a known concern with too few people gets no line; its units said what they
    are about, so none is moved into another concern for being near it."""
    charge = KnownConcern("charge", "充电难", ("pay",), ("充电",))
    catalogue = ConcernCatalogue((ARREARS, FEES, charge))
    few = [["充电", "老板", "工资"], ["充电", "工资", "老板", "拖"], ["充电", "电瓶", "工资"]]
    units = _pay_units(OWED, CUT, few)
    finder = ConcernFinder(catalogue=catalogue, max_concerns=2).fit(units)
    assert sorted(finder.concerns_["label"]) == ["平台抽成", "拖欠工资"]
    assert [finder.assignments_[i] for i in range(12, 15)] == [[], [], []]
    roomy = ConcernFinder(catalogue=catalogue, max_concerns=3).fit(units)
    assert "充电难" in set(roomy.concerns_["label"])


def test_over_budget_known_and_new_concerns_compete_by_respondents():
    """A new concern of six people keeps its line over a known one of three; the three named
    the dropped concern, so they keep no concern rather than joining a near one."""
    from voiceminer.concern_seeds import seeded_partition

    axes = np.eye(3)
    Z = np.vstack([axes[0]] * 6 + [axes[1]] * 3 + [axes[2]] * 6)  # arrears, fees, new
    said = np.zeros((15, 2))
    said[:6, 0] = 1
    said[6:9, 1] = 1
    people = [f"p{i}" for i in range(15)]
    result = seeded_partition(Z, seeds_from_scores(said), MINI.concerns, people,
                              max_concerns=2, min_respondents=3,
                              discover=lambda rows: np.zeros(len(rows), dtype=int),
                              coherent=lambda rows: True)
    labels = result.labels.tolist()
    assert labels[:6] == [0] * 6 and labels[6:9] == [-1] * 3
    assert len(set(labels[9:])) == 1 and labels[9] >= 2 and result.known[labels[9]] == []
    roomy = seeded_partition(Z, seeds_from_scores(said), MINI.concerns, people,
                             max_concerns=3, min_respondents=3,
                             discover=lambda rows: np.zeros(len(rows), dtype=int),
                             coherent=lambda rows: True)
    assert roomy.labels.tolist()[6:9] == [1] * 3


def test_one_word_answers_naming_no_known_concern_form_no_concern():
    """Twenty bare 收入 say only their theme: they stay in its count and in no line."""
    bare = [["收入"] for _ in range(8)]
    units = _pay_units(OWED, CUT, bare)
    finder = ConcernFinder(catalogue=MINI).fit(units)
    assert [finder.assignments_[i] for i in range(12, 20)] == [[]] * 8
    assert not any("收入" in label for label in finder.concerns_["label"])


def test_answers_introducing_the_speaker_join_a_concern_only_by_naming_it():
    """Answers to 您先说说自己的情况吧 are background: eight people saying they drove for a
    factory before make no concern of their own (they do without the introduction cue), and
    one who names 拖欠 there still joins that concern."""
    factory = [["以前", "电子厂", "流水线", "太闷"], ["电子厂", "流水线", "以前", "上班"],
               ["以前", "电子厂", "流水线", "辞职"], ["电子厂", "流水线", "太闷", "出来"],
               ["流水线", "电子厂", "以前", "干过"], ["电子厂", "以前", "流水线", "两年"],
               ["电子厂", "流水线", "以前", "工资低"], ["以前", "流水线", "电子厂", "后来"]]
    rows = [(f"o{i}", t, ["pay"]) for i, t in enumerate(OWED)] + \
           [(f"c{i}", t, ["pay"]) for i, t in enumerate(CUT)] + \
           [(f"f{i}", t, ["pay"]) for i, t in enumerate(factory)] + \
           [("named", ["以前", "电子厂", "拖欠", "工资"], ["pay"])]
    units = _coded(rows)
    plain = ConcernFinder(catalogue=MINI, introductions=["自己的情况"]).fit(units)
    factory_line = {c for a in plain.assignments_[12:20] for c in a} - set(plain.known_)
    assert factory_line  # no introduction question asked: a new concern of its own
    units.loc[12:, "question"] = "您先说说自己的情况吧。"
    units["source"] = "interview"
    finder = ConcernFinder(catalogue=MINI, introductions=["自己的情况"]).fit(units)
    assert [finder.assignments_[i] for i in range(12, 20)] == [[]] * 8
    assert finder.assignments_[20] == finder.assignments_[0]  # names 拖欠
    assert len(finder.concerns_) == 2


def test_background_answers_are_those_whose_question_holds_an_introduction_cue():
    from voiceminer.prompting import background_answers

    units = _coded([("a", ["x"], ["pay"])] * 3)
    units["question"] = ["您先简单介绍一下自己吧，干这行多久了？", "您现在有社保吗？", ""]
    units["source"] = "interview"
    cues = Codebook.default().introductions
    assert "介绍一下自己" in cues
    assert background_answers(units, cues).tolist() == [True, False, False]
    assert background_answers(units, ()).tolist() == [False] * 3
    # a forum post's question is its own title: the writer chose to introduce themselves
    units["source"] = ["forum", "forum", "forum"]
    assert background_answers(units, cues).tolist() == [False] * 3


@pytest.mark.parametrize("clean, copy", [("老板拖欠工资去投诉", True), ("老板拖欠工资。去投诉", False)])
def test_a_new_concern_that_copies_another_themes_line_is_not_listed(clean, copy):
    """Six arrears answers coded into pay and rights are 拖欠工资 under pay; under rights,
    clustering finds the same six again as a new concern. Said in one clause, it is one matter:
    the rights line is not listed (their rights count stays), and a rights concern of other
    people is, numbered from 01. Said in two clauses, they raised two, and both are listed."""
    rows = [(f"o{i}", t, ["pay", "rights"]) for i, t in enumerate(OWED)] + \
           [(f"c{i}", t, ["pay"]) for i, t in enumerate(CUT)] + \
           [(f"e{i}", t, ["rights"]) for i, t in enumerate(CHARGING)]
    units = _coded(rows)
    stop = clean.index("去")
    for i in range(6):
        units.at[i, "clean"] = clean
        units.at[i, "spans"] = [("pay", 2, 4), ("rights", stop, stop + 3)]
    finder = ConcernFinder(catalogue=MINI).fit(units)
    table = finder.concerns_.set_index("concern_id")
    owed = [c for c in finder.assignments_[0] if c.startswith("pay.")]
    assert len(owed) == 1 and table.loc[owed[0], "label"] == "拖欠工资"
    rights = table[table["theme"] == "rights"]
    charging = finder.assignments_[12]
    assert charging[0] == "rights.01" and "充电" in rights.loc["rights.01", "label"]
    if copy:
        assert list(rights.index) == ["rights.01"]
        assert all(finder.assignments_[i] == owed for i in range(6))
    else:
        assert len(rights) == 2
        assert all(len(finder.assignments_[i]) == 2 for i in range(6))
