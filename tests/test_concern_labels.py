"""Naming concerns (concern_labels.py): c-TF-IDF counted from tokens or from a TermPresence, and\nnew concerns named by a clause their units wrote."""

from collections import Counter

import numpy as np
import pytest

from voiceminer.latent_space import tfidf_matrix
from voiceminer.concern_labels import (
    TermPresence,
    coherent_labels,
    ctfidf_terms,
    phrase_label,
    top_term_against_rest,
)

FEES = [["工资", "抽成", "太高"], ["工资", "抽成", "单价", "降"], ["工资", "单价", "低", "抽成"],
        ["收入", "抽成", "单价"], ["抽成", "单价", "工资", "越来越"], ["单价", "抽成", "收入", "少"]]
ARREARS = [["工资", "拖欠", "老板"], ["拖欠", "工资", "三个月"], ["老板", "拖欠", "收入"],
           ["工资", "拖欠", "要不到"], ["拖欠", "老板", "跑路", "工资"], ["拖欠", "工资", "老板"]]


def _random_theme(seed: int, n: int) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    words = [f"词{i}" for i in range(30)] + ["工资", "拖欠", "社保", "希望", "一年", "抽成"]
    p = np.linspace(2, 0.2, len(words))
    p /= p.sum()
    return [[str(w) for w in rng.choice(words, rng.integers(1, 10), p=p)] for _ in range(n)]


def _idf(term: str) -> float:  # stands in for the corpus idf: any deterministic function
    return 1.0 + (sum(map(ord, term)) % 7) / 10


def _presence(tokens):
    X, terms = tfidf_matrix(tokens, min_df=2)
    return TermPresence.of(X, terms, tokens)


def test_ctfidf_names_two_concerns_by_hand():
    tokens = FEES + ARREARS
    labels = np.array([0] * 6 + [1] * 6)
    terms = ctfidf_terms(tokens, labels, presence=_presence(tokens))
    assert {"抽成", "单价"} == set(terms[0][:2]) and terms[1][0] == "拖欠"
    assert terms == ctfidf_terms(tokens, labels)


@pytest.mark.parametrize("seed, n, k", [(0, 200, 5), (1, 60, 3), (2, 400, 9)],
                         ids=["200-units", "60-units", "400-units"])
def test_presence_gives_the_terms_the_token_counts_give(seed, n, k):
    tokens = _random_theme(seed, n)
    rng = np.random.default_rng(seed)
    labels = rng.integers(-1, k, n)  # -1: units in no cluster
    labels[labels == 1] = -1  # a gap in the cluster numbers, as after folding
    presence = _presence(tokens)
    for idf in (None, _idf):
        assert ctfidf_terms(tokens, labels, idf, presence=presence) == \
            ctfidf_terms(tokens, labels, idf)
    theme_df = Counter(t for toks in tokens for t in set(toks))
    for rows in (np.flatnonzero(labels == 0), np.flatnonzero(labels >= 2), np.arange(n)):
        assert top_term_against_rest(tokens, rows, None, _idf, presence) == \
            top_term_against_rest(tokens, rows, theme_df, _idf)


def test_presence_of_a_subset_keeps_the_theme_terms():
    tokens = FEES + ARREARS
    presence = _presence(tokens)
    part = presence.take(np.arange(6, 12))
    assert part.matrix.shape == (6, presence.matrix.shape[1])
    assert (part.matrix != presence.matrix[6:12]).nnz == 0
    assert part.distinct.tolist() == [len(set(t)) for t in ARREARS]
    labels = np.zeros(6, dtype=int)
    assert ctfidf_terms(ARREARS, labels, presence=part) == ctfidf_terms(ARREARS, labels)


def test_only_clusters_that_hang_together_keep_their_units():
    tokens = [["抽成", "高"], ["抽成", "单价"], ["抽成", "太高"], ["天气", "热"],  # 0: one stray
              ["吃饭", "了"], ["下雨", "了"], ["睡觉", "了"], ["休息", "了"],  # 1: top term rare
              ["封号", "申诉"], ["封号", "没用"], ["封号", "了"]]  # 2: one person only
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2])
    top = [["抽成", "单价", "高"], ["吃饭", "下雨", "睡觉"], ["封号"]]
    people = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "i", "i"]
    kept = coherent_labels(labels, top, tokens, people, coherence=0.4, min_respondents=3)
    # a unit without any of its cluster's first three terms leaves it (天气, 休息); 吃饭 is said
    # by 1 of the 3 left in its cluster (33 % < 40 %);
    # 封号 is one person's
    assert kept.tolist() == [0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1]
    assert labels.tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]  # the input is left as it was


# answers of one new concern, as the questionnaire gives them (clean text)
GATES = ["小区开放给骑手进！！", "小区给骑手开个门。。", "希望小区开放给骑手进", "小区开放给骑手进吧",
         "保安不让进，小区太难进了", "送餐进小区要登记，耽误时间"]


def test_phrase_label_is_the_recurring_clause_that_says_the_leading_terms():
    # the clause said most among those naming 小区 and 开放; a trailing 吧 and !! do not count
    assert phrase_label(GATES, ["小区", "开放", "开个"]) == "小区开放给骑手进"


def test_phrase_label_is_what_most_say_then_what_says_most_terms():
    texts = ["一口价订单跑了三十公里给二十五块", "取消一口价", "取消一口价", "取消一口价"]
    assert phrase_label(texts, ["一口价", "三十公里", "算下来"]) == "取消一口价"
    texts = ["一口价订单跑了三十公里", "一口价太坑"]  # as many say each: the one with more terms
    assert phrase_label(texts, ["一口价", "三十公里", "算下来"]) == "一口价订单跑了三十公里"


def test_phrase_label_joins_a_short_answer_to_the_clause_before_it():
    # "没入" alone says nothing a reader can place; with the clause before it, it does
    assert phrase_label(["听说过，没入"] * 3 + ["没入"], ["没入"]) == "听说过，没入"


def test_phrase_label_skips_labels_taken_and_gives_up_without_the_lead_term():
    taken = {"小区开放给骑手进"}
    assert phrase_label(GATES, ["小区", "开放"], taken) not in taken
    assert phrase_label(GATES, ["快递柜"]) is None
    assert phrase_label(GATES, []) is None
    long_clause = "希望工会能够多关心一下我们这些一年到头都在外面风吹日晒跑的人"  # over 24 characters
    assert phrase_label([long_clause] * 3, ["关心"]) is None



def test_new_label_names_a_second_wording_the_leading_term_misses():
    from voiceminer.concern_labels import new_label

    lockers = ["快递柜费用不要让快递员出"] * 5 + ["快递柜费用高"] * 2
    trikes = ["给三轮车一个合法身份"] * 4
    terms = ["快递柜", "合法", "费用", "三轮车"]
    assert new_label(lockers + trikes, terms, ()) == "“快递柜费用不要让快递员出”“给三轮车一个合法身份”等"
    # a few units without the leading term are not a second issue
    assert new_label(lockers + trikes[:2], terms, ()) == "“快递柜费用不要让快递员出”等"
    # a label already given is not given again, in either place
    assert new_label(lockers + trikes, terms, ["“快递柜费用不要让快递员出”“别的”等"]) == \
        "“快递柜费用高”“给三轮车一个合法身份”等"
    assert new_label(["没有"] * 3, ["快递柜", "费用"], ()) == "快递柜、费用"  # no clause: terms


def test_uncoded_answers_point_to_the_theme_concern_their_leading_word_leads():
    """送清凉 said by most of a 其他 concern's people, and leading a union concern: the same issue
    in words the codebook does not know, so the list points there. A theme's own concern and
    uncoded answers sharing no leading word get no pointer."""
    from voiceminer.concern_labels import ConcernNames

    texts = ["工会送清凉，慰问品挺好", "送清凉很贴心", "夏天送清凉挺好，希望能坚持",
             "夏天送清凉挺好，希望能坚持！", "说了也没用", "说了也没用啊", "送清凉挺好"]
    names = ConcernNames(texts, [[] for _ in texts])
    assert names.name("organization.01", [0, 1], ["送清凉", "慰问品"], [])[1] == ""
    assert names.name("living.01", [6], ["送清凉"], [])[1] == ""  # a theme's: never by word
    assert names.name("other.01", [2, 3], ["坚持", "送清凉", "挺好"], [])[1] == "organization.01"
    assert names.name("other.02", [4, 5], ["没用"], [])[1] == ""
