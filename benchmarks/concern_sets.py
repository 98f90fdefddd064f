"""The labelled sets the concern-discovery benchmark clusters, and how a clustering is scored.

Split from ``bench_concerns.py``, which runs the methods: this module reads the sets from
../shared/data (never copied), segments each text once, and scores labels against the truth
(ARI, NMI, top-term purity).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from voiceminer.segment import Segmenter

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

MIN_CLUSTER = 3  # clusters smaller than this never count as coherent (ConcernFinder's default)


# -- data -------------------------------------------------------------------------------------
def load_sets(names: list[str], toutiao_n: int) -> dict[str, dict]:
    seg = Segmenter()
    out = {}
    if "cail" in names:
        df = pd.read_csv(DATA / "cail2019_labor" / "cail2019_labor_sentences.csv", dtype=str,
                         keep_default_na=False)
        df = df[df["n_labels"] == "1"]
        out["cail"] = dict(text=df["text"].tolist(), y=df["labels"].tolist(),
                           people=("j" + df["doc_idx"]).tolist(), source="interview",
                           note="CAIL2019 labour sentences with exactly one label")
    if "gold" in names:
        df = pd.read_csv(DATA / "teddy2020" / "labor_gold_dev.csv", dtype=str, keep_default_na=False)
        out["gold"] = dict(text=df["text"].tolist(),
                           y=df["primary"].replace({"retirement": "social_insurance"}).tolist(),
                           people=df["uid"].tolist(), source="forum",
                           note="teddy2020 dev gold, primary theme (retirement -> social_insurance)")
    if "toutiao" in names:
        df = pd.read_csv(DATA / "toutiao" / "toutiao_subset_83k.csv", dtype=str,
                         keep_default_na=False)
        df = df.sample(min(toutiao_n, len(df)), random_state=0)
        out["toutiao"] = dict(text=df["text"].tolist(), y=df["label"].tolist(),
                              people=[f"t{i}" for i in range(len(df))], source="forum",
                              note=f"toutiao headlines, random {len(df)} (seed 0)")
    for d in out.values():
        d["tokens"] = [seg.tokens(t) for t in d["text"]]
        d["k"] = len(set(d["y"]))
    return out


# -- metrics ----------------------------------------------------------------------------------
def top_term_purity(tokens: list[list[str]], labels: np.ndarray) -> float:
    """Share of all units that sit in a coherent cluster.

    A cluster (not the outliers, -1) is coherent when it has at least MIN_CLUSTER units and its top
    term occurs in at least half of its units. The top term is the term with the highest
    class-based tf-idf, df_c(t) / |c| * log(1 + A / df(t)), where df_c(t) counts the cluster's
    units containing t, df(t) the clustered units containing t and A the mean cluster size; ties
    go to the alphabetically first term.
    """
    clusters = sorted(c for c in set(labels.tolist()) if c >= 0)
    if not clusters:
        return 0.0
    dfc = {c: Counter() for c in clusters}
    for toks, c in zip(tokens, labels):
        if c >= 0:
            dfc[c].update(set(toks))
    df = Counter()
    for cnt in dfc.values():
        df.update(cnt)
    sizes = {c: int((labels == c).sum()) for c in clusters}
    A = np.mean(list(sizes.values()))
    covered = 0
    for c in clusters:
        if sizes[c] < MIN_CLUSTER or not dfc[c]:
            continue
        top = min(dfc[c], key=lambda t: (-dfc[c][t] / sizes[c] * np.log(1 + A / df[t]), t))
        if dfc[c][top] >= 0.5 * sizes[c]:
            covered += sizes[c]
    return covered / len(labels)


def score(y: list[str], labels: np.ndarray, tokens: list[list[str]]) -> dict:
    """Outliers (-1: BERTopic's outliers, units the product gives no concern) are kept as one more
    cluster for ARI and NMI, not dropped, and never count as coherent for purity."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return dict(ari=adjusted_rand_score(y, labels), nmi=normalized_mutual_info_score(y, labels),
                purity=top_term_purity(tokens, labels),
                clusters=len(set(labels.tolist()) - {-1}), outliers=float(np.mean(labels < 0)))
