from pathlib import Path

import numpy as np
import pytest

from voiceminer.cluster_models import (CooccurrenceKMeans, DMMClusterer, cooccurrence_kmeans,
                                       dmm_cluster)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# Two concerns a person can tell apart at a glance: unpaid wages and lapsed social insurance.
ARREARS = [["工资", "拖欠", "老板"], ["拖欠", "工资", "三个月"], ["老板", "拖欠", "跑路"],
           ["工资", "拖欠", "要不到"], ["拖欠", "老板", "工资"]]
INSURANCE = [["社保", "断缴", "补缴"], ["社保", "补缴", "养老"], ["养老", "社保", "断缴"],
             ["社保", "没交", "补缴"], ["断缴", "养老", "社保"]]


def _two_groups(labels):
    labels = list(labels)
    return len(set(labels[:5])) == 1 and len(set(labels[5:])) == 1 and labels[0] != labels[5]


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["seed0", "seed1", "seed2"])
def test_dmm_separates_two_obvious_concerns_and_empties_spare_clusters(seed):
    model = DMMClusterer(n_clusters=6, random_state=seed).fit(ARREARS + INSURANCE)
    assert _two_groups(model.labels_)
    assert model.n_clusters_ == 2
    assert sorted(model.labels_.tolist()) == [0] * 5 + [1] * 5
    # term counts per cluster, binary: 拖欠 is in all five arrears units and in no insurance unit
    col = model.vocabulary_["拖欠"]
    assert sorted(model.cluster_term_counts_[:, col].tolist()) == [0.0, 5.0]


def test_dmm_largest_cluster_is_zero_and_empty_units_join_it():
    docs = ARREARS + INSURANCE[:3] + [[]]
    labels = DMMClusterer(n_clusters=4, random_state=0).fit_predict(docs)
    assert labels[:5].tolist() == [0] * 5 and labels[5:8].tolist() == [1] * 3
    assert labels[8] == 0


def test_dmm_same_seed_same_labels():
    docs = ARREARS + INSURANCE + [["工资", "社保"], ["补缴", "工资"]]
    a = dmm_cluster(docs, n_clusters=5, random_state=7)
    b = dmm_cluster(docs, n_clusters=5, random_state=7)
    assert a.tolist() == b.tolist()


def test_dmm_counts_repeated_terms_when_not_binary():
    model = DMMClusterer(n_clusters=2, binary=False, random_state=0).fit(
        [["拖欠", "拖欠", "工资"]] + ARREARS + INSURANCE)
    assert model.cluster_term_counts_[:, model.vocabulary_["拖欠"]].max() == 7.0  # 2 + 5
    assert _two_groups(model.labels_[1:])


@pytest.mark.parametrize(
    "params, match",
    [({"n_clusters": 0}, r"'n_clusters' parameter of DMMClusterer must be an int in the range "
                         r"\[1, inf\)\. Got 0 instead"),
     ({"alpha": 0}, r"'alpha' parameter of DMMClusterer must be a float in the range \(0, inf\)"),
     ({"beta": -1.0}, r"'beta' parameter"),
     ({"n_iter": 2.5}, r"'n_iter' parameter")],
    ids=["k0", "alpha0", "beta-neg", "iter-float"])
def test_dmm_rejects_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        DMMClusterer(**params).fit(ARREARS)


def test_dmm_needs_units():
    with pytest.raises(ValueError, match="at least one unit"):
        DMMClusterer().fit([])


def test_dmm_with_no_term_surviving_min_df_is_one_cluster():
    model = DMMClusterer(n_clusters=3, min_df=2).fit([["甲"], ["乙"], ["丙"]])
    assert model.labels_.tolist() == [0, 0, 0] and model.n_clusters_ == 1


def test_cooccurrence_kmeans_separates_two_obvious_concerns():
    model = CooccurrenceKMeans(n_clusters=2, n_components=3, lsa_components=2,
                               random_state=0).fit(ARREARS + INSURANCE)
    assert _two_groups(model.labels_)
    assert model.embedding_.shape == (10, 3 + 2)
    assert model.term_vectors_.shape[0] == len(model.vocabulary_)
    assert np.allclose(np.linalg.norm(model.term_vectors_, axis=1), 1.0)


def test_cooccurrence_kmeans_is_deterministic_and_checks_k():
    docs = ARREARS + INSURANCE
    a = cooccurrence_kmeans(docs, n_clusters=2, n_components=3, random_state=3)
    b = cooccurrence_kmeans(docs, n_clusters=2, n_components=3, random_state=3)
    assert a.tolist() == b.tolist()
    with pytest.raises(ValueError, match="at least n_clusters=20 units; got 10"):
        CooccurrenceKMeans(n_clusters=20).fit(docs)
    with pytest.raises(ValueError, match=r"'lsa_components' parameter of CooccurrenceKMeans"):
        CooccurrenceKMeans(lsa_components=-1).fit(docs)


@pytest.mark.skipif(not (DATA / "cail2019_labor").is_dir(), reason="../shared/data is absent")
def test_clusterers_find_label_structure_in_real_labour_sentences():
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    from voiceminer.segment import Segmenter

    df = pd.read_csv(DATA / "cail2019_labor" / "cail2019_labor_sentences.csv", dtype=str,
                     keep_default_na=False)
    df = df[df["labels"].isin(["支付经济补偿金", "签订劳动合同", "支付加班工资"])]
    seg = Segmenter()
    tokens = [seg.tokens(t) for t in df["text"]]
    for labels in (dmm_cluster(tokens, n_clusters=3, min_df=2, n_iter=15, random_state=0),
                   cooccurrence_kmeans(tokens, n_clusters=3, n_components=50, random_state=0)):
        assert len(labels) == len(df)
        assert adjusted_rand_score(df["labels"], labels) > 0.05  # chance is 0


@pytest.mark.parametrize("clusterer", ["dmm", "auto"], ids=["dmm", "auto-short-units"])
def test_concern_finder_with_dmm_separates_two_concerns(clusterer):
    from tests.test_concerns import ARREARS as PAY_ARREARS, FEES, _coded

    from voiceminer.concerns import find_concerns

    rows = [(f"a{i}", t, ["pay"]) for i, t in enumerate(FEES)] + \
           [(f"b{i}", t, ["pay"]) for i, t in enumerate(PAY_ARREARS)]
    units, concerns = find_concerns(_coded(rows), min_respondents=3, clusterer=clusterer)
    assert sorted(concerns["concern_id"]) == ["pay.01", "pay.02"]
    by_unit = units["concerns"].map(lambda c: c[0]).tolist()
    assert _two_groups([by_unit[i] for i in (0, 1, 2, 3, 4, 6, 7, 8, 9, 10)])
    assert len(set(by_unit[:6])) == 1 and len(set(by_unit[6:])) == 1
    labels = dict(zip(concerns["concern_id"], concerns["top_terms"]))
    assert "拖欠" in labels[by_unit[6]][:2]


def test_concern_finder_rejects_unknown_clusterer():
    from tests.test_concerns import FEES, _coded

    from voiceminer.concerns import ConcernFinder

    with pytest.raises(ValueError, match=r"'clusterer' parameter of ConcernFinder must be one of "
                                         r"'kmeans', 'dmm', 'auto'\. Got 'hdbscan' instead"):
        ConcernFinder(clusterer="hdbscan").fit(_coded([(f"a{i}", t, ["pay"])
                                                       for i, t in enumerate(FEES)]))
