import pandas as pd

from voiceminer.compare import keyness, prevalence
from voiceminer.report.model import NATIONAL


def _units(rows):
    return pd.DataFrame({
        "unit_id": [f"u{i}" for i in range(len(rows))],
        "respondent_id": [r[0] for r in rows], "province": [r[1] for r in rows],
        "group": [r[2] for r in rows], "themes": [r[3] for r in rows],
        "concerns": [[f"{t}.01" for t in r[3]] for r in rows],
        "tokens": [r[4] if len(r) > 4 else list(r[3]) for r in rows],
        "skip_reason": [r[5] if len(r) > 5 else "" for r in rows],
        **{c: [""] * len(rows) for c in ("doc_id", "source", "origin", "speaker", "question",
                                          "text", "skip_detail", "clean")},
        "evidence": [[] for _ in rows], "spans": [[] for _ in rows],
    })


def test_prevalence_counts_people_once():
    units = _units([
        ("r1", "云南", "快递员", ["pay"]), ("r1", "云南", "快递员", ["pay"]),  # one person, twice
        ("r1", "云南", "快递员", ["pay", "hours"]),
        ("r2", "云南", "快递员", []),
        ("r3", "云南", "外卖骑手", ["pay"]),
        ("r4", "上海", "外卖骑手", ["hours"]),
        ("r5", "上海", "外卖骑手", ["hours"], [], "non_answer"),  # skipped: not in any base
    ])
    prev = prevalence(units)
    th = prev.loc[prev["level"] == "theme"].set_index(["province", "group", "key"])
    assert th.loc[("云南", "快递员", "pay"), ["respondents", "base"]].tolist() == [1, 2]
    assert th.loc[("云南", "全部", "pay"), ["respondents", "base"]].tolist() == [2, 3]
    assert th.loc[("云南", "全部", "pay"), "share"] == round(2 / 3, 6)
    assert th.loc[(NATIONAL, "全部", "hours"), ["respondents", "base"]].tolist() == [2, 4]
    assert th.loc[(NATIONAL, "外卖骑手", "hours"), ["respondents", "base"]].tolist() == [1, 2]
    con = prev.loc[prev["level"] == "concern"].set_index(["province", "group", "key"])
    assert con.loc[("云南", "全部", "pay.01"), "respondents"] == 2


def test_keyness_finds_what_is_distinctive_of_a_province():
    rows = [(f"y{i}", "云南", "货车司机", [], ["山路", "运费"]) for i in range(30)] + \
           [(f"s{i}", "上海", "外卖骑手", [], ["小区", "运费"]) for i in range(30)]
    keys = keyness(_units(rows), min_count=3)
    top = keys.groupby("province")["term"].first().to_dict()
    assert top == {"上海": "小区", "云南": "山路"}
    assert "运费" not in set(keys["term"])  # equally common everywhere: not distinctive


def test_keyness_leaves_out_single_characters_and_the_provinces_own_name():
    rows = [(f"y{i}", "云南", "货车司机", [], ["山路", "门", "云南"]) for i in range(30)] + \
           [(f"s{i}", "上海", "外卖骑手", [], ["小区", "运费", "上海市"]) for i in range(30)]
    terms = set(keyness(_units(rows), min_count=3)["term"])
    assert {"山路", "小区"} <= terms and not {"门", "云南", "上海市"} & terms


def test_unit_term_counts_match_a_binary_count_vectoriser_across_chunks():
    """The direct count (chunked codes, one bincount) against scikit-learn's binary counts
    summed per province, with terms repeated inside units and a chunk size that splits them."""
    import random

    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    from voiceminer.compare import _units_with_term

    rng = random.Random(3)
    words = ["工资", "抽成", "派单", "超时罚款", "五险一金", "a", "B", "山路", "运费", "小区"]
    tokens = pd.Series([[rng.choice(words) for _ in range(rng.randint(1, 8))]
                        for _ in range(500)])
    keys = np.array([rng.choice(["云南", "上海", "广东"]) for _ in range(500)])
    values = sorted(set(keys))
    counts, terms = _units_with_term(tokens, keys, values, chunk=37)
    vec = CountVectorizer(analyzer=lambda toks: toks, binary=True)
    X = vec.fit_transform(tokens).toarray()
    expected = np.vstack([X[keys == v].sum(axis=0) for v in values])
    assert terms == list(vec.get_feature_names_out())
    assert (counts == expected).all()


def test_recurring_uncoded_concerns_count_as_the_other_theme():
    """Uncoded units carry no theme; the people in their recurring concerns still make a theme
    row, which the issue lists' 其他反复出现的问题 section reads."""
    units = _units([("r1", "云南", "快递员", []), ("r2", "云南", "快递员", []),
                    ("r3", "云南", "快递员", ["pay"])])
    units["concerns"] = [["other.01"], ["other.02"], ["pay.01"]]
    prev = prevalence(units)
    th = prev.loc[prev["level"] == "theme"].set_index(["province", "group", "key"])
    assert th.loc[("云南", "全部", "other"), "respondents"] == 2
    assert th.loc[("云南", "全部", "pay"), "respondents"] == 1
