"""The known-concern catalogue (concern_catalogue.py): loading, validation, and finding its terms
in a unit's tokens."""

import random
import re

import numpy as np
import pytest

from voiceminer.codebook import Codebook
from voiceminer.concern_catalogue import (
    ConcernCatalogue,
    KnownConcern,
    TermMatcher,
    load_catalogue,
    trie_pattern,
    unmatchable,
)
from voiceminer.errors import CodebookError


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
    assert _matcher(TRICKY).found(text) == found


def _matcher(terms):
    return TermMatcher([KnownConcern("t", "t", ("pay",), tuple(dict.fromkeys(terms)))])


def test_trie_pattern_and_matcher_agree_with_the_alternation_on_random_texts():
    """The trie's expression and the matcher's automaton find what the plain alternation
    finds, on texts full of overlapping and nested terms."""
    rng = random.Random(0)
    alphabet = "加班费劳动合同解除关系工伤认定二倍资补缴"
    for _ in range(20):
        terms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5)))
                 for _ in range(rng.randint(1, 60))]
        trie, plain, matcher = re.compile(trie_pattern(terms)), _plain_alternation(terms), \
            _matcher(terms)
        for _ in range(100):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
            assert trie.findall(text) == plain.findall(text) == matcher.found(text), text


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
