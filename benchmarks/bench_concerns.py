"""Concern-discovery benchmark: clustering scored against known labels, every method on the same
tokens in the same run.

    python benchmarks/bench_concerns.py                 # all sets; prints tables, writes JSON
    python benchmarks/bench_concerns.py --sets cail,gold   # 3 seeds on CAIL, 10 on the dev gold

Needs ../shared/data (see its README) and the bench extra plus BERTopic without torch:

    pip install -e ".[bench]" && pip install --no-deps "bertopic==0.17.*"

Sets (read from ../shared/data, never copied):
  cail    cail2019_labor sentences with exactly one of the 20 labels (single-label rows only)
  gold    teddy2020/labor_gold_dev.csv, the `primary` theme, retirement scored as social_insurance
  toutiao a random subsample (default 20,000, seed 0) of the toutiao headlines, 15 categories

Every text is segmented once with voiceminer's Segmenter (`Segmenter().tokens`); every method
but the product row gets those tokens. Methods that take k get the true number of classes;
BERTopic (HDBSCAN) and voiceminer's ConcernFinder choose k themselves.

Two kinds of voiceminer rows:
- "as the product runs it, end to end": the texts go through normalize, segmentation and coding
  with the default codebook exactly as ``pipeline.analyze`` does, then ``find_concerns`` with
  analyze's arguments and default settings (≤ 8 concerns per theme); each unit's cluster is its
  first concern, a unit with no concern is noise (-1), scored like BERTopic's outliers. This is
  the product's figure.
- "pooled": ConcernFinder on the shared tokens with every unit in ONE theme and the whole
  catalogue pooled under it, ≤ true k concerns. Not what the product does: on gold, whose labels
  are themes, the pooled catalogue's theme level acts as a theme classifier.
The catalogue (resources/concerns.toml) is written from labour-law knowledge, not from these sets.
Each method runs with seeds 0..seeds-1 and the table shows means (sd of ARI in the JSON).
Writes benchmarks/results/concerns.json (sets not run keep their earlier figures there). Timings
are for the machine it runs on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from concern_sets import DATA, load_sets, score  # noqa: E402

from voiceminer.cluster_models import CooccurrenceKMeans, DMMClusterer  # noqa: E402
from voiceminer.concern_catalogue import ConcernCatalogue  # noqa: E402
from voiceminer.concerns import ConcernFinder  # noqa: E402


def _identity(tokens):
    return tokens


# -- methods: (tokens, k, seed, data) -> labels ------------------------------------------------
def _tfidf(tokens):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True).fit_transform(tokens)


def _lsa(tokens, dims: int, seed: int):
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    X = _tfidf(tokens)
    return normalize(TruncatedSVD(min(dims, X.shape[1] - 1), random_state=seed).fit_transform(X))


def m_concernfinder_dmm(tokens, k, seed, data):
    return m_concernfinder(tokens, k, seed, data, clusterer="dmm", known_concerns=False)


def m_concernfinder_plain(tokens, k, seed, data):
    """ConcernFinder without the catalogue: every concern discovered (the default until 2026-11)."""
    return m_concernfinder(tokens, k, seed, data, known_concerns=False)


def m_concernfinder_flat(tokens, k, seed, data):
    """Ablation: the pooled catalogue without its theme level, so that over budget only the
    largest known concerns are kept (no grouping of one theme's concerns)."""
    flat = ConcernCatalogue.load().pooled("x")
    flat = replace(flat, concerns=tuple(replace(c, family="") for c in flat.concerns))
    return m_concernfinder(tokens, k, seed, data, catalogue=flat)


def m_concernfinder(tokens, k, seed, data, clusterer="kmeans", known_concerns=True,
                    catalogue=None):
    """voiceminer's ConcernFinder with all units pooled in one theme (not the product path; see
    ``m_product``): up to k concerns, clusters of fewer than 3 respondents folded into the
    nearest. With the catalogue (the default), every known concern of resources/concerns.toml is
    pooled under that one theme (``ConcernCatalogue.pooled``); without it, k by silhouette in
    2..k."""
    n = len(tokens)
    units = pd.DataFrame({
        "unit_id": [f"u{i}" for i in range(n)], "respondent_id": data["people"],
        "skip_reason": [""] * n, "tokens": tokens, "themes": [["x"]] * n,
        **{c: [""] * n for c in ("doc_id", "source", "province", "group", "origin", "speaker",
                                  "question", "text", "skip_detail", "clean")},
        "evidence": [[] for _ in range(n)], "spans": [[] for _ in range(n)]})
    finder = ConcernFinder(max_concerns=k, random_state=seed, clusterer=clusterer,
                           known_concerns=known_concerns,
                           catalogue=catalogue or ConcernCatalogue.load().pooled("x")).fit(units)
    ids = [a[0] if a else "" for a in finder.assignments_]
    codes = {c: i for i, c in enumerate(sorted(set(ids) - {""}))}
    return np.array([codes.get(c, -1) for c in ids])


def product_units(data: dict) -> pd.DataFrame:
    """The set's texts as an ingested units table, then normalised, segmented and coded exactly as
    ``pipeline.analyze`` does (default codebook and settings; one process). Done once per set:
    nothing here depends on the seed."""
    from voiceminer.codebook import Codebook
    from voiceminer.coding import ThemeCoder
    from voiceminer.engine import segment_and_code
    from voiceminer.normalize import normalize
    from voiceminer.pipeline import add_learned_labels, make_segmenter
    from voiceminer.settings import Settings

    if "units" not in data:
        n = len(data["text"])
        units = pd.DataFrame({
            "unit_id": [f"u{i}" for i in range(n)], "doc_id": [f"d{i}" for i in range(n)],
            "respondent_id": data["people"], "source": [data["source"]] * n,
            "province": ["未知"] * n, "group": ["未知"] * n,
            "origin": [f"bench:{i}" for i in range(n)], "speaker": ["respondent"] * n,
            "question": [""] * n, "text": data["text"], "skip_reason": [""] * n,
            "skip_detail": [""] * n})
        settings = Settings(n_jobs=1)
        codebook = Codebook.load(settings.codebook)
        segmenter = make_segmenter(codebook, settings)
        coder = ThemeCoder(codebook, segmenter)
        units = segment_and_code(normalize(units), codebook, settings, segmenter, coder)
        data["units"], _notes = add_learned_labels(units, coder, settings)
        data["segmenter"] = segmenter
    return data["units"]


def m_product(tokens, k, seed, data):
    """The product end to end: units coded into the default codebook's themes (uncoded units in
    'other'), then ``find_concerns`` with analyze's arguments and default settings (at most 8
    concerns per theme, 3 respondents, the bundled catalogue), random_state = seed. Each unit's
    cluster is its first concern (its first theme's); a unit with no concern (an uncoded unit in
    no coherent cluster, or one normalise skipped) is noise, -1, scored as BERTopic's outliers
    are: one more cluster for ARI and NMI, never coherent for purity."""
    from voiceminer.concerns import find_concerns
    from voiceminer.settings import Settings

    settings = Settings()
    units, _ = find_concerns(product_units(data), max_concerns=settings.max_concerns,
                             min_respondents=settings.min_respondents, random_state=seed,
                             segmenter=data["segmenter"], catalogue=settings.concern_catalogue)
    ids = [c[0] if len(c) else "" for c in units["concerns"]]
    codes = {c: i for i, c in enumerate(sorted(set(ids) - {""}))}
    return np.array([codes.get(c, -1) for c in ids])


def m_lsa_kmeans(tokens, k, seed, data):
    """ConcernFinder's representation (tf-idf, SVD 64, unit length) with k-means at the true k."""
    from sklearn.cluster import KMeans

    return KMeans(k, n_init=4, random_state=seed).fit_predict(_lsa(tokens, 64, seed))


def m_cooc(tokens, k, seed, data):
    return CooccurrenceKMeans(k, random_state=seed).fit(tokens).labels_


def m_dmm(tokens, k, seed, data):
    n_iter = 30 if len(tokens) <= 5000 else 15
    return DMMClusterer(k, min_df=2, n_iter=n_iter, random_state=seed).fit(tokens).labels_


def m_kmeans_tfidf(tokens, k, seed, data):
    from sklearn.cluster import KMeans, MiniBatchKMeans

    X = _tfidf(tokens)
    km = (KMeans(k, n_init=4, random_state=seed) if len(tokens) <= 5000 else
          MiniBatchKMeans(k, n_init=3, batch_size=4096, random_state=seed))
    return km.fit_predict(X)


def m_nmf(tokens, k, seed, data):
    from sklearn.decomposition import NMF

    W = NMF(k, init="nndsvda", max_iter=400, random_state=seed).fit_transform(_tfidf(tokens))
    return W.argmax(axis=1)


def m_lda(tokens, k, seed, data):
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    C = CountVectorizer(analyzer=_identity, min_df=2).fit_transform(tokens)
    big = len(tokens) > 5000
    lda = LatentDirichletAllocation(k, learning_method="online" if big else "batch",
                                    max_iter=10 if big else 30, random_state=seed)
    return lda.fit_transform(C).argmax(axis=1)


PRODUCT = "voiceminer as the product runs it, end to end (coded into themes, ≤ 8 concerns a theme)"
METHODS = {  # name -> (function, takes the true k)
    PRODUCT: (m_product, False),
    "voiceminer ConcernFinder pooled: all units in one theme, whole catalogue (≤ true k)":
        (m_concernfinder, False),
    "voiceminer ConcernFinder pooled, catalogue without its theme level (≤ true k)":
        (m_concernfinder_flat, False),
    "voiceminer ConcernFinder pooled, no catalogue (k by silhouette ≤ true k)":
        (m_concernfinder_plain, False),
    "voiceminer ConcernFinder pooled, no catalogue, clusterer='dmm' (≤ true k)":
        (m_concernfinder_dmm, False),
    "voiceminer LSA + k-means (true k)": (m_lsa_kmeans, True),
    "voiceminer co-occurrence embeddings + k-means (true k)": (m_cooc, True),
    "voiceminer DMM / GSDMM (≤ true k)": (m_dmm, False),
    "k-means on tf-idf (true k)": (m_kmeans_tfidf, True),
    "NMF (true k)": (m_nmf, True),
    "LDA (true k)": (m_lda, True),
}


def bertopic_runs(tokens, seed, grid) -> dict[str, np.ndarray]:
    """BERTopic 0.17 on tf-idf + SVD(100) embeddings (no sentence-transformers), UMAP + HDBSCAN
    with each (n_components, min_cluster_size); each fit also scored after
    ``reduce_outliers(strategy="embeddings")``, BERTopic's documented way to assign outliers."""
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    docs = [" ".join(t) for t in tokens]
    emb = _lsa(tokens, 100, seed)
    out = {}
    for nc, mcs in grid:
        model = BERTopic(
            umap_model=UMAP(n_neighbors=15, n_components=nc, min_dist=0.0, metric="cosine",
                            random_state=seed),
            hdbscan_model=HDBSCAN(min_cluster_size=mcs, metric="euclidean",
                                  cluster_selection_method="eom", prediction_data=True),
            vectorizer_model=CountVectorizer(tokenizer=str.split, token_pattern=None,
                                             lowercase=False))
        topics = np.array(model.fit_transform(docs, embeddings=emb)[0])
        out[f"BERTopic n_components={nc} min_cluster_size={mcs}"] = topics
        if (topics < 0).any() and (topics >= 0).any():
            reduced = model.reduce_outliers(docs, topics, strategy="embeddings", embeddings=emb)
            topics = np.array(reduced)
        out[f"BERTopic n_components={nc} min_cluster_size={mcs} +reduce_outliers"] = topics
    return out


# -- run --------------------------------------------------------------------------------------
def run_set(name: str, data: dict, seeds: int, bertopic: bool) -> dict:
    tokens, y, k = data["tokens"], data["y"], data["k"]
    n_seeds = 1 if len(tokens) > 5000 else seeds
    grid = ([(5, 100), (5, 300), (5, 1000)] if len(tokens) > 5000 else
            [(nc, mcs) for nc in (5, 10) for mcs in (5, 10, 15, 30)])
    runs: dict[str, list[dict]] = {}
    for method, (fn, _) in METHODS.items():
        for seed in range(n_seeds):
            t0 = time.perf_counter()
            labels = fn(tokens, k, seed, data)
            s = score(y, labels, tokens) | dict(seconds=time.perf_counter() - t0)
            runs.setdefault(method, []).append(s)
            print(f"  {name} {method} seed {seed}: ARI {s['ari']:.3f}", file=sys.stderr, flush=True)
    if bertopic:
        for seed in range(n_seeds):
            t0 = time.perf_counter()
            fits = bertopic_runs(tokens, seed, grid)
            per = (time.perf_counter() - t0) / len(grid)
            for method, labels in fits.items():
                runs.setdefault(method, []).append(score(y, labels, tokens) | dict(seconds=per))
            print(f"  {name} BERTopic seed {seed} done", file=sys.stderr, flush=True)
    summary = {m: {key: float(np.mean([r[key] for r in rs])) for key in rs[0]} |
               {"ari_sd": float(np.std([r["ari"] for r in rs])), "seeds": len(rs)}
               for m, rs in runs.items()}
    bt = {m: s for m, s in summary.items() if m.startswith("BERTopic")}
    best_bt = max(bt, key=lambda m: bt[m]["ari"]) if bt else None
    vm = {m: s for m, s in summary.items() if m.startswith("voiceminer")}
    best_vm = max(vm, key=lambda m: vm[m]["ari"])
    def met(m):
        return None if best_bt is None else summary[m]["ari"] >= summary[best_bt]["ari"] + 0.10

    return dict(note=data["note"], units=len(tokens), classes=k, seeds=n_seeds,
                methods=summary, best_bertopic=best_bt, best_voiceminer=best_vm,
                target_met=met(best_vm), target_met_product=met(PRODUCT))


def table(name: str, res: dict) -> str:
    rows = [f"### {name}: {res['note']} — {res['units']} units, {res['classes']} classes, "
            f"{res['seeds']} seed(s)", "",
            "| method | ARI | NMI | top-term purity | clusters | outliers | s/run |",
            "|---|---|---|---|---|---|---|"]
    shown = [m for m in res["methods"] if not m.startswith("BERTopic")]
    raw = [m for m in res["methods"] if m.startswith("BERTopic") and "reduce" not in m]
    best_raw = max(raw, key=lambda m: res["methods"][m]["ari"]) if raw else None
    for m in (best_raw, res["best_bertopic"]):
        if m and m not in shown:
            shown.insert(7, m)
    for m in shown:
        s = res["methods"][m]
        label = f"best {m}" if m == res["best_bertopic"] else (
            f"best without reduce_outliers: {m}" if m == best_raw else m)
        rows.append(f"| {label} | {s['ari']:.3f} ± {s['ari_sd']:.3f} | {s['nmi']:.3f} | "
                    f"{s['purity']:.2f} | {s['clusters']:.1f} | {s['outliers']:.0%} | "
                    f"{s['seconds']:.1f} |")
    if res["best_bertopic"]:
        bt, vm = res["methods"][res["best_bertopic"]], res["methods"][res["best_voiceminer"]]
        pr = res["methods"][PRODUCT]
        rows += ["", f"Target (ARI ≥ best BERTopic ARI + 0.10): the product end to end "
                     f"{pr['ari']:.3f} vs {bt['ari']:.3f} + 0.10 → "
                     f"{'met' if res['target_met_product'] else 'missed'}; best voiceminer row "
                     f"{vm['ari']:.3f} → {'met' if res['target_met'] else 'missed'}"]
    return "\n".join(rows)


# Seeds per set by default. The dev gold has 250 units: one BERTopic configuration's ARI moves by
# ±0.06 from seed to seed, and the best of 16 configurations, each averaged over three seeds,
# ranged 0.155-0.187 between two runs of the same code. Ten seeds (a few seconds a run there)
# make the comparison a property of the methods rather than of the draw.
SEEDS = {"gold": 10}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="cail,gold,toutiao")
    ap.add_argument("--seeds", type=int, default=None,
                    help="seeds per method (default: %s per set, 3 elsewhere)" % SEEDS)
    ap.add_argument("--toutiao-n", type=int, default=20_000)
    ap.add_argument("--no-bertopic", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "concerns.json"))
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: this benchmark reads ../shared/data.")
    if not args.no_bertopic:
        try:
            import bertopic  # noqa: F401
            import hdbscan  # noqa: F401
            import umap  # noqa: F401
        except ImportError as exc:
            sys.exit(f"{exc}. Install the bench extra and BERTopic without torch: "
                     f'pip install -e ".[bench]" && pip install --no-deps "bertopic==0.17.*" '
                     f"(or pass --no-bertopic).")
    warnings.filterwarnings("ignore")
    sets = load_sets(args.sets.split(","), args.toutiao_n)
    results = {name: run_set(name, d, args.seeds or SEEDS.get(name, 3), not args.no_bertopic)
               for name, d in sets.items()}
    for name, res in results.items():
        print(table(name, res), end="\n\n")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # sets not run this time keep the figures of their last run
    kept = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    kept = {name: res for name, res in kept.items() if name not in results}
    out.write_text(json.dumps(results | kept, ensure_ascii=False, indent=1), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
