"""The space concerns are found in, and plain partitions of it: tf-idf of a theme's units, LSA
coordinates, k-means with k by silhouette, a Dirichlet-multinomial mixture, and folding
clusters with too few respondents into the nearest one that has enough.

Split from ``cluster_models.py``, which holds the alternative clusterers measured against
k-means (DMM, co-occurrence embeddings); these are the pieces ``concerns.py`` runs on every theme,
so their speed and memory decide the concern stage at scale (benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .concern_threads import CorePool

# Themes with more units than this get their LSA basis from a fixed sample of this size
LSA_SAMPLE = 10_000
# The LSA basis is fitted on at most this many terms, the most widespread
LSA_TERMS = 10_000
# Above this many units in a theme, k is chosen and centres are fitted on a sample of this size.
FIT_SAMPLE = 5_000
# Below this silhouette, one concern is the honest answer.
MIN_SILHOUETTE = 0.02


def tfidf_matrix(tokens: Sequence[Sequence[str]], min_df: int = 2) -> tuple[object, list[str]]:
    """``TfidfVectorizer(analyzer=identity, min_df=min_df, sublinear_tf=True).fit_transform`` of
    ``tokens`` and the names of its columns, equal to it to the last bit, in a fraction of the time.

    The vectorizer counts with a dictionary lookup per token in Python, which was most of the
    time a theme's matrix took. Here the tokens get ids in order of first appearance with
    ``pandas.factorize`` and (unit, id) pairs are counted with ``numpy.unique``; the count
    matrix is then laid out exactly as ``CountVectorizer`` leaves it — columns in alphabetical
    order, but each row's entries in order of the terms' first appearance, since it sorts the
    rows before renaming the columns — because the l2 norm and the SVD's products add a row's
    entries in stored order. The same ``TfidfTransformer`` then weighs it.
    ``tests/test_cluster_models.py`` compares both, array by array.

    Raises ``ValueError`` where the vectorizer does: no tokens, or no term in ``min_df`` units.
    """
    import pandas as pd
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfTransformer

    n = len(tokens)
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=n)
    flat = np.fromiter(chain.from_iterable(tokens), dtype=object, count=int(lengths.sum()))
    # ids in order of first appearance, as the vectorizer's dictionary gives them
    codes, uniques = pd.factorize(flat, use_na_sentinel=False)
    del flat
    n_ids = len(uniques)
    if not n_ids:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    # (unit, id) pairs sorted by unit, then by first appearance, and counted; in place, since a
    # million posts make these arrays a few hundred MB each
    key = np.repeat(np.arange(n, dtype=np.int64), lengths)
    key *= n_ids
    key += codes
    del codes
    key.sort()
    first = np.empty(len(key), dtype=bool)
    first[:1] = True
    np.not_equal(key[1:], key[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(key)))
    pairs = key[first]
    del key, first, starts
    rows, ids = np.divmod(pairs, n_ids)
    del pairs
    kept = np.bincount(ids, minlength=n_ids) >= min_df
    if not kept.any():
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    first_seen = np.asarray(uniques, dtype=object)[kept].tolist()
    alphabetical = sorted(range(len(first_seen)), key=first_seen.__getitem__)
    column = np.full(n_ids, -1, dtype=np.int64)
    column[np.flatnonzero(kept)[alphabetical]] = np.arange(len(first_seen))
    keep = kept[ids]
    index = np.int32 if keep.sum() <= np.iinfo(np.int32).max else np.int64  # as the vectorizer
    indptr = np.zeros(n + 1, dtype=index)
    np.cumsum(np.bincount(rows[keep], minlength=n), out=indptr[1:])
    X = sparse.csr_matrix((counts[keep].astype(np.float64), column[ids[keep]].astype(index),
                           indptr), shape=(n, len(first_seen)))
    weigh = TfidfTransformer(sublinear_tf=True).fit(X)
    return weigh.transform(X, copy=False), [first_seen[j] for j in alphabetical]


def lsa_dims(X) -> int:
    """LSA dimensions for a units × terms matrix: at most 64, fewer than its rows and columns;
    below 2 there is nothing to separate."""
    n, n_terms = X.shape
    return min(64, n_terms - 1, n - 1)


def lsa(X, dims: int, random_state: int) -> np.ndarray:
    """Unit-length LSA coordinates of the rows of ``X``.

    Small themes (the demo's, a province's) get the plain SVD of all their rows and terms. A
    large one gets a basis fitted on a fixed random sample of ``LSA_SAMPLE`` rows and the
    ``LSA_TERMS`` terms most units say, and every row is projected slice by slice into float32.
    The randomized SVD costs in proportion to rows plus columns: on the seed-scale study's
    24,947 uncoded posts, 40,766 terms made it 1.2 s a call, and the uncoded units are
    partitioned in up to three rounds, each with its own basis. The terms left out are said by
    two or three units each; they could not lead any of 64 directions. Before the sample, a
    million-post run also peaked in memory here, on several n × dims float64 matrices.
    """
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    n, n_terms = X.shape
    svd = TruncatedSVD(dims, random_state=random_state)
    if n <= LSA_SAMPLE and n_terms <= LSA_TERMS:
        return normalize(svd.fit_transform(X))
    rng = np.random.default_rng(random_state)
    rows = np.sort(rng.choice(n, LSA_SAMPLE, replace=False)) if n > LSA_SAMPLE else slice(None)
    terms = widespread_terms(X, LSA_TERMS)
    X = X[:, terms] if len(terms) < n_terms else X
    svd.fit(X[rows])
    Z = np.empty((n, dims), dtype=np.float32)
    for a in range(0, n, LSA_SAMPLE):
        Z[a:a + LSA_SAMPLE] = normalize(svd.transform(X[a:a + LSA_SAMPLE]))
    return Z


def widespread_terms(X, most: int) -> np.ndarray:
    """Columns of the ``most`` terms that the most rows of ``X`` hold (ties: the earlier
    column), in column order; all columns when there are no more than that."""
    n_terms = X.shape[1]
    if n_terms <= most:
        return np.arange(n_terms)
    df = np.bincount(X.indices, minlength=n_terms)
    return np.sort(np.argsort(-df, kind="stable")[:most])


def sampled_silhouette(Z: np.ndarray, sample_size: int, random_state: int
                       ) -> Callable[[np.ndarray], float]:
    """A scorer ``labels -> silhouette_score(Z, labels, sample_size=sample_size,
    random_state=random_state)``, equal to it to the last bit, for many labelings of one ``Z``.

    Choosing k scores one partition per candidate k on the same sample of the same rows, and
    ``silhouette_score`` computed the sample's distances again each time: here they are computed
    once, by the same call (``pairwise_distances_chunked``) that ``silhouette_samples`` makes,
    and every partition is scored on them as a precomputed metric, which reduces each row
    exactly as before (``tests/test_cluster_models.py`` checks the equality bit for bit).
    """
    from sklearn.metrics import pairwise_distances_chunked, silhouette_score
    from sklearn.utils import check_random_state

    rows = check_random_state(random_state).permutation(Z.shape[0])[:sample_size]
    sample = Z[rows]
    D = np.vstack(list(pairwise_distances_chunked(sample)))

    def score(labels: np.ndarray) -> float:
        return float(silhouette_score(D, np.asarray(labels)[rows], metric="precomputed"))

    return score


def fold_small(labels: np.ndarray, Z: np.ndarray, people: list[str], min_resp: int) -> np.ndarray:
    """Move units of clusters with too few respondents to the nearest cluster that has enough."""
    labels = labels.copy()
    ids = sorted(set(labels.tolist()))
    size = {c: len({people[j] for j in np.flatnonzero(labels == c)}) for c in ids}
    big = [c for c in ids if size[c] >= min_resp]
    if not big:
        return np.zeros_like(labels)
    small = [c for c in ids if size[c] < min_resp]
    if small:
        centres = np.vstack([Z[labels == c].mean(axis=0) for c in big])
        for c in small:
            rows = np.flatnonzero(labels == c)
            labels[rows] = np.array(big)[np.argmax(Z[rows] @ centres.T, axis=1)]
    remap = {c: i for i, c in enumerate(sorted(set(labels.tolist())))}
    return np.array([remap[c] for c in labels])


def kmeans_partition(X, people: list[str], *, max_k: int, min_respondents: int,
                     random_state: int, pool: CorePool) -> np.ndarray:
    """LSA + k-means for each k from 2 to ``max_k``, small clusters folded; the partition with
    the best silhouette wins (ties: the smaller k), all zeros when none reaches
    ``MIN_SILHOUETTE``. The candidate k are independent and fitted side by side on ``pool``'s
    threads, then compared in order of k."""
    from sklearn.cluster import KMeans

    n = X.shape[0]
    dims = lsa_dims(X)
    if dims < 2 or max_k < 2:
        return np.zeros(n, dtype=int)
    Z = lsa(X, dims, random_state)
    # Large themes: choose k and fit the centres on a fixed random sample, then assign every
    # unit to its nearest centre — one linear pass instead of max_k fits over all units.
    Zfit = (Z[np.sort(np.random.default_rng(random_state).choice(n, FIT_SAMPLE, False))]
            if n > FIT_SAMPLE else Z)
    silhouette = sampled_silhouette(Z, min(n, 3000), random_state)

    def candidate(k: int) -> tuple[np.ndarray, float] | None:
        # ConvergenceWarning (duplicate answers: fewer distinct points than k) is silenced
        # around the whole fit, once (concern_threads.one_core_each): not thread-safe here
        km = KMeans(k, n_init=4, random_state=random_state).fit(Zfit)
        labels = fold_small(km.predict(Z), Z, people, min_respondents)
        if len(set(labels.tolist())) < 2:
            return None
        return labels, silhouette(labels)

    best, best_score = np.zeros(n, dtype=int), MIN_SILHOUETTE
    for found in pool.map(candidate, range(2, max_k + 1)):
        if found is not None and found[1] > best_score + 1e-9:
            best, best_score = found
    return best


def dmm_partition(X, tokens: list[list[str]], people: list[str], *, max_k: int,
                  min_respondents: int, random_state: int) -> np.ndarray:
    """A Dirichlet-multinomial mixture with at most ``max_k`` clusters; clusters with too few
    respondents are folded into the nearest larger one in LSA space."""
    from .cluster_models import DMMClusterer

    n = X.shape[0]
    dims = lsa_dims(X)
    if dims < 2 or max_k < 2:
        return np.zeros(n, dtype=int)
    labels = DMMClusterer(max_k, min_df=2, n_iter=30 if n <= 5000 else 15,
                          random_state=random_state).fit(tokens).labels_
    return fold_small(labels, lsa(X, dims, random_state), people, min_respondents)
