"""Known-concern catalogue and seeded concern clustering (concern_catalogue.py, concern_seeds.py)."""

import random
import re

import numpy as np
import pytest

from voiceminer.codebook import Codebook
from voiceminer.concern_catalogue import (ConcernCatalogue, KnownConcern, TermMatcher,
                                          load_catalogue, trie_pattern, unmatchable)
from voiceminer.concern_seeds import give_way, seeds_from_scores
from voiceminer.concerns import ConcernFinder
from voiceminer.errors import CodebookError

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


def test_bundled_catalogue_loads_and_names_only_codebook_themes():
    cat = ConcernCatalogue.load()
    themes = {t.id for t in Codebook.load().themes}
    assert len(cat.concerns) >= 40
    assert {t for c in cat.concerns for t in c.themes} <= themes
    assert all(len(cat.for_theme(t)) >= 2 for t in themes)
    assert len({c.label for c in cat.concerns}) == len(cat.concerns)


def test_every_bundled_catalogue_term_can_be_found_in_the_tokens():
    """Terms are looked for in a unit's content tokens joined. The analysis's segmenter keeps them
    whole, so 不知道工会 (知道 is a stopword) and 个小时 (个 is one) are found as written; a bare
    number never is, and is reported."""
    from voiceminer.pipeline import make_segmenter
    from voiceminer.settings import Settings

    seg = make_segmenter(Codebook.default(), Settings())
    assert unmatchable(ConcernCatalogue.load(), seg) == []
    assert "不知道工会" in "".join(seg.tokens("我不知道工会是干什么的"))
    assert "个小时" in "".join(seg.tokens("一天跑十二个小时"))
    custom = ConcernCatalogue((KnownConcern("hotline", "热线", ("rights",), ("12345", "热线")),))
    assert unmatchable(custom, seg) == [("hotline", "12345")]


@pytest.mark.parametrize("text, named", [
    ("顺丰这边是交了社保的，五险都有，公积金没有。", False),  # paid: 了 must not drop out
    ("跟租车公司签的合同写着违约金五千", False),
    ("公司一直不给交社保", True),
    ("干了两年也没签合同", True),
])
def test_a_dropped_particle_does_not_turn_a_statement_into_its_complaint(text, named):
    """With 了/的 dropped as stopwords, 交了社保 would read 交社保 (单位未缴社保) and 签的合同
    签合同 (未签劳动合同); the user dictionary keeps such phrases whole."""
    from voiceminer.pipeline import make_segmenter
    from voiceminer.settings import Settings

    seg = make_segmenter(Codebook.default(), Settings())
    catalogue = ConcernCatalogue.load()
    ids = [c.id for c in catalogue.concerns]
    scores = TermMatcher(catalogue.concerns).scores([seg.tokens(text)])[0]
    said = {ids[j] for j in np.flatnonzero(scores)}
    assert bool(said & {"insurance_unpaid", "no_contract"}) == named, said


@pytest.mark.parametrize("text, message", [
    ('[[concern]]\nid = "a"\nthemes = ["pay"]\nlabel = "甲"\nterms = ["x"]\nterm = ["y"]\n',
     "unknown key"),
    ('[[concern]]\nid = "a"\nthemes = ["pay"]\nlabel = "甲"\nterms = ["x"]\n'
     '[[concern]]\nid = "a"\nthemes = ["pay"]\nlabel = "乙"\nterms = ["y"]\n', "used twice"),
    ('[[concern]]\nid = "a"\nthemes = ["pay"]\nlabel = "甲"\nterms = []\n', "at least one"),
    ('[[concern]]\nid = "A b"\nthemes = ["pay"]\nlabel = "甲"\nterms = ["x"]\n', "lowercase"),
    ('[concerns]\n', "unknown section"),
], ids=["unknown-key", "repeated-id", "no-terms", "bad-id", "unknown-section"])
def test_catalogue_errors_name_the_problem(tmp_path, text, message):
    path = tmp_path / "concerns.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError, match=message):
        load_catalogue(path)


def test_matcher_prefers_the_longest_term_and_finds_split_terms():
    overtime_pay = KnownConcern("overtime_pay", "加班费", ("hours",), ("加班费",))
    overtime = KnownConcern("overtime", "强制加班", ("hours",), ("加班", "加班加点"))
    contract = KnownConcern("contract", "二倍工资", ("hours",), ("二倍工资",))
    scores = TermMatcher([overtime_pay, overtime, contract]).scores(
        [["没有", "加班费"], ["天天", "加班", "加班"], ["要", "二倍", "工资"], ["休息"],
         ["加班", "又", "加班加点"]])
    # a term said again counts once; two different terms of one concern count twice
    assert scores.tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0], [0, 2, 0]]


def _plain_alternation(terms):
    """The matcher's former pattern: every term, longest first, one alternation."""
    return re.compile("|".join(map(re.escape, sorted(set(terms), key=lambda t: (-len(t), t)))))


TRICKY = ["加班", "加班费", "加班加点", "劳动合同", "解除劳动合同", "解除劳动关系", "劳动关系",
          "工伤", "工伤认定", "认定工伤", "二倍工资", "工资", "补缴", "缴费", "a.b", "12345"]


@pytest.mark.parametrize("text, found", [
    ("没给加班费还天天加班", ["加班费", "加班"]),
    ("公司违法解除劳动合同不认劳动关系", ["解除劳动合同", "劳动关系"]),
    ("先工伤认定再认定工伤", ["工伤认定", "认定工伤"]),
    ("要二倍工资和工资", ["二倍工资", "工资"]),
    ("补缴费用", ["补缴"]),  # leftmost wins over the overlapping 缴费
    ("加班加点加班费", ["加班加点", "加班费"]),
    ("axb 12345 a.b", ["12345", "a.b"]),  # regex characters are literal: axb is no a.b
    ("什么都没有", []),
], ids=["overtime", "dismissal", "injury", "double-pay", "overlap", "adjacent", "escaped", "none"])
def test_trie_pattern_matches_like_the_longest_first_alternation(text, found):
    trie = re.compile(trie_pattern(TRICKY))
    assert trie.findall(text) == found
    assert trie.findall(text) == _plain_alternation(TRICKY).findall(text)


def test_trie_pattern_agrees_with_the_alternation_on_random_texts():
    rng = random.Random(0)
    alphabet = "加班费劳动合同解除关系工伤认定二倍资补缴"
    terms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(60)]
    trie, plain = re.compile(trie_pattern(terms)), _plain_alternation(terms)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert trie.findall(text) == plain.findall(text), text


def test_matcher_counts_like_the_plain_alternation_on_the_bundled_catalogue():
    concerns = ConcernCatalogue.load().concerns
    units = [["公司", "违法", "解除", "劳动合同"], ["没有", "加班费", "天天", "加班"],
             ["没", "签", "劳动合同", "要", "二倍", "工资"], ["工伤", "认定", "不", "给", "报销"],
             ["平台", "抽成", "高", "超时", "罚款"], [], ["你好"]]
    plain = _plain_alternation([t for c in concerns for t in c.terms])
    expected = np.zeros((len(units), len(concerns)))
    for i, toks in enumerate(units):
        for term in set(plain.findall("".join(toks))):
            for j, c in enumerate(concerns):
                expected[i, j] += term in c.terms
    scores = TermMatcher(concerns).scores(units)
    assert scores.dtype == np.float32 and np.array_equal(scores, expected)
    assert TermMatcher(concerns).scores([]).shape == (0, len(concerns))
    assert TermMatcher([]).scores([["加班"]]).shape == (1, 0)


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


def test_a_concerns_exclude_phrases_hold_text_no_concern_counts(tmp_path):
    """入会了 says the worker has joined: inside it 入会 names no barrier to joining, and the
    phrase itself names nothing; elsewhere 入会 still counts."""
    path = tmp_path / "concerns.toml"
    path.write_text('[[concern]]\nid = "joining"\nthemes = ["organization"]\nlabel = "入会门槛"\n'
                    'terms = ["入会"]\nexclude = ["入会了"]\n\n'
                    '[[concern]]\nid = "useless"\nthemes = ["organization"]\nlabel = "没用"\n'
                    'terms = ["没参加过活动"]\n', encoding="utf-8")
    catalogue = load_catalogue(path)
    assert catalogue.concerns[0].exclude == ("入会了",)
    matcher = TermMatcher(catalogue.concerns)
    assert matcher.terms_in(["入会了", "没参加过活动"]) == {"没参加过活动"}
    assert matcher.scores([["入会了", "没参加过活动"], ["不知道", "怎么", "入会"]]).tolist() == \
        [[0.0, 1.0], [1.0, 0.0]]
    # a pooled catalogue keeps them
    assert catalogue.pooled("x").concerns[0].exclude == ("入会了",)


def test_a_knee_cut_open_in_a_fall_is_an_injury_not_wear():
    """The bundled catalogue: 膝盖 names 职业病与身体劳损, but not in 膝盖全破了."""
    safety = ConcernCatalogue.load().for_theme("safety")
    ids = [c.id for c in safety]
    matcher = TermMatcher(safety)
    fell, sore = matcher.scores([["下大雨", "摔了一跤", "膝盖", "全破"], ["爬楼", "膝盖", "疼"]])
    assert fell[ids.index("injury_on_job")] == 1 and fell[ids.index("occupational_health")] == 0
    assert sore[ids.index("occupational_health")] == 1


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
