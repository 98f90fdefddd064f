"""Clusterers for short, segmented texts, alternatives to k-means on tf-idf.

Both follow the scikit-learn estimator rules: ``__init__`` stores parameters, ``fit`` takes a list of
token lists (what ``Segmenter.tokens`` returns) and returns ``self``, learned state ends in ``_``.

``DMMClusterer``
    A Dirichlet-multinomial mixture fitted by collapsed Gibbs sampling (GSDMM; Yin & Wang, KDD 2014,
    "A Dirichlet multinomial mixture model-based approach for short text clustering"). Each unit is
    assumed to speak of one concern, which suits answers of one or two sentences. ``n_clusters`` is
    an upper bound: clusters empty themselves during sampling, and ``n_clusters_`` says how many
    are left.
``CooccurrenceKMeans``
    Term vectors from the corpus' own co-occurrence statistics (positive PMI of two terms in the
    same unit, reduced by truncated SVD), a unit's vector the tf-idf-weighted mean of its terms'
    vectors, concatenated with the unit's LSA vector, then k-means. Two answers that share no word
    but use words that keep the same company land close together.

Measured against BERTopic, NMF, LDA and k-means in ``benchmarks/bench_concerns.py``; the figures
are in ``benchmarks/README.md`` ("Concern discovery"). On 8-token headlines the mixture scores
ARI 0.34 where the LSA + k-means of ``concerns.py`` scores 0.08; on longer sentences and letters it
is behind, and the co-occurrence embeddings are within a few hundredths of LSA + k-means. So
``ConcernFinder`` keeps LSA + k-means by default and offers ``clusterer="dmm"`` / ``"auto"``; with
the known-concern catalogue (its default) these cluster only the units no known concern took.

Example
-------
>>> docs = [["工资", "拖欠", "老板"]] * 3 + [["社保", "断缴", "补缴"]] * 2
>>> DMMClusterer(n_clusters=4, random_state=0).fit(docs).labels_.tolist()
[0, 0, 0, 1, 1]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


_GREEDY_SWEEPS = 10


def _identity(tokens):  # module level, so fitted vectorizers stay deterministic and inspectable
    return tokens


def _check_int(name: str, owner: str, value, low: int) -> None:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < low:
        raise ValueError(f"The '{name}' parameter of {owner} must be an int in the range "
                         f"[{low}, inf). Got {value!r} instead.")


def _check_positive(name: str, owner: str, value) -> None:
    if not isinstance(value, (int, float, np.floating)) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"The '{name}' parameter of {owner} must be a float in the range "
                         f"(0, inf). Got {value!r} instead.")


def _relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Cluster ids 0..m-1, largest cluster first (ties by first occurrence), so runs compare."""
    ids, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(ids)), key=lambda i: (-counts[i], first[i]))
    remap = {int(ids[i]): rank for rank, i in enumerate(order)}
    return np.array([remap[int(c)] for c in labels], dtype=int)


class DMMClusterer:
    """Dirichlet-multinomial mixture for short texts (GSDMM), fitted by collapsed Gibbs sampling.

    Parameters
    ----------
    n_clusters : upper bound on the number of clusters; empty ones are dropped.
    alpha : prior weight of a cluster; larger keeps more clusters alive.
    beta : prior weight of a term in a cluster; smaller makes clusters stricter about vocabulary.
    n_iter : Gibbs sweeps over all units (followed by greedy sweeps until no unit moves).
    binary : count a term once per unit (a unit repeating a word is still one voice).
    min_df : terms in fewer units than this are ignored.
    n_init : independent chains; the one whose final assignment has the highest collapsed log
        posterior wins (a single chain can stay stuck with everything in one cluster).
    random_state : seed of the sampler.

    Attributes
    ----------
    labels_ : cluster per unit, 0 = largest; units with no known term go to the largest cluster.
    n_clusters_ : clusters left non-empty.
    vocabulary_ : term -> column.
    cluster_term_counts_ : (n_clusters_, n_terms) term counts per cluster.
    log_posterior_ : collapsed log p(assignment, terms) of the chain kept, up to a constant.
    """

    def __init__(self, n_clusters: int = 20, alpha: float = 0.1, beta: float = 0.1,
                 n_iter: int = 30, binary: bool = True, min_df: int = 1, n_init: int = 3,
                 random_state: int | None = 0) -> None:
        self.n_clusters = n_clusters
        self.alpha = alpha
        self.beta = beta
        self.n_iter = n_iter
        self.binary = binary
        self.min_df = min_df
        self.n_init = n_init
        self.random_state = random_state

    def fit(self, tokens: Sequence[Sequence[str]], y=None) -> DMMClusterer:
        from scipy.special import gammaln
        from sklearn.feature_extraction.text import CountVectorizer

        _check_int("n_clusters", "DMMClusterer", self.n_clusters, 1)
        _check_int("n_iter", "DMMClusterer", self.n_iter, 1)
        _check_int("min_df", "DMMClusterer", self.min_df, 1)
        _check_int("n_init", "DMMClusterer", self.n_init, 1)
        _check_positive("alpha", "DMMClusterer", self.alpha)
        _check_positive("beta", "DMMClusterer", self.beta)
        n = len(tokens)
        if n == 0:
            raise ValueError("DMMClusterer.fit() needs at least one unit; got none.")
        vec = CountVectorizer(analyzer=_identity, min_df=self.min_df)
        try:
            counts = vec.fit_transform([list(t) for t in tokens]).tocsr()
        except ValueError:  # no term survives min_df
            self.vocabulary_ = {}
            self.labels_ = np.zeros(n, dtype=int)
            self.n_clusters_ = 1
            self.cluster_term_counts_ = np.zeros((1, 0))
            self.log_posterior_ = 0.0
            return self
        if self.binary:
            counts.data[:] = 1
        docs = [(counts.indices[counts.indptr[i]:counts.indptr[i + 1]],
                 counts.data[counts.indptr[i]:counts.indptr[i + 1]].astype(float)) for i in range(n)]
        rng = np.random.default_rng(self.random_state)
        best = None
        for _ in range(self.n_init):
            chain = self._chain(docs, counts.shape[1], rng, gammaln)
            if best is None or chain[0] > best[0] + 1e-9:
                best = chain
        self.log_posterior_, z, nkw = best
        empty = np.array([not len(u) for u, _ in docs])
        if empty.any() and (~empty).any():  # no evidence: join the largest cluster
            z[empty] = np.bincount(z[~empty], minlength=self.n_clusters).argmax()
        labels = _relabel_by_size(z)
        old_for_new = {int(new): int(old) for old, new in zip(z, labels)}
        self.vocabulary_ = dict(vec.vocabulary_)
        self.labels_ = labels
        self.n_clusters_ = int(labels.max()) + 1
        self.cluster_term_counts_ = nkw[[old_for_new[c] for c in range(self.n_clusters_)]]
        return self

    def _chain(self, docs, V: int, rng, gammaln) -> tuple[float, np.ndarray, np.ndarray]:
        """One Gibbs chain: (log posterior, assignment, term counts per cluster)."""
        n, K = len(docs), self.n_clusters
        a, b = float(self.alpha), float(self.beta)
        z = rng.integers(K, size=n)
        m = np.bincount(z, minlength=K).astype(float)  # units per cluster
        nkw = np.zeros((K, V))  # term counts per cluster
        nk = np.zeros(K)  # all term counts per cluster
        for i, (u, c) in enumerate(docs):
            nkw[z[i], u] += c
            nk[z[i]] += c.sum()
        vb = V * b
        # n_iter Gibbs sweeps, then greedy sweeps (each unit to its most probable cluster) until
        # nothing moves, so that the answer is a mode rather than the last random draw
        sweeps = [True] * self.n_iter + [False] * _GREEDY_SWEEPS
        for sample in sweeps:
            draws = rng.random(n)
            moved = 0
            for i in rng.permutation(n):
                u, c = docs[i]
                if not len(u):
                    continue
                k0, size = z[i], c.sum()
                m[k0] -= 1
                nkw[k0, u] -= c
                nk[k0] -= size
                sub = nkw[:, u] + b
                logp = np.log(m + a)
                if c.max() == 1:
                    logp += np.log(sub).sum(axis=1)
                else:  # rising factorial: prod_j (n_kw + beta + j), j < count
                    logp += (gammaln(sub + c) - gammaln(sub)).sum(axis=1)
                logp -= gammaln(nk + vb + size) - gammaln(nk + vb)
                if sample:
                    p = np.exp(logp - logp.max())
                    k = int(np.searchsorted(np.cumsum(p), draws[i] * p.sum(), side="right"))
                    k = min(k, K - 1)
                else:
                    k = int(np.argmax(logp))
                moved += k != k0
                z[i] = k
                m[k] += 1
                nkw[k, u] += c
                nk[k] += size
            if not sample and not moved:
                break
        live = m > 0
        logpost = (gammaln(m[live] + a).sum() - live.sum() * gammaln(a)
                   + (gammaln(nkw[live] + b).sum() - live.sum() * V * gammaln(b))
                   + live.sum() * gammaln(vb) - gammaln(nk[live] + vb).sum())
        return float(logpost), z, nkw

    def fit_predict(self, tokens: Sequence[Sequence[str]], y=None) -> np.ndarray:
        return self.fit(tokens).labels_


class CooccurrenceKMeans:
    """k-means on term co-occurrence (PPMI) embeddings of units, joined with their LSA vectors.

    Parameters
    ----------
    n_clusters : number of clusters.
    n_components : dimensions of the term vectors (SVD of the PPMI matrix).
    lsa_components : dimensions of the units' LSA part; 0 leaves it out.
    min_df : terms in fewer units than this are ignored.
    n_init : k-means restarts.
    random_state : seed of SVD and k-means.

    Attributes
    ----------
    labels_ : cluster per unit, 0 = largest.
    n_clusters_ : clusters found (``n_clusters`` unless there are fewer distinct units).
    embedding_ : (n_units, dims) unit vectors that were clustered.
    term_vectors_ : (n_terms, n_components) unit-length term vectors.
    vocabulary_ : term -> row of ``term_vectors_``.
    """

    def __init__(self, n_clusters: int = 8, n_components: int = 200, lsa_components: int = 50,
                 min_df: int = 2, n_init: int = 4, random_state: int | None = 0) -> None:
        self.n_clusters = n_clusters
        self.n_components = n_components
        self.lsa_components = lsa_components
        self.min_df = min_df
        self.n_init = n_init
        self.random_state = random_state

    def fit(self, tokens: Sequence[Sequence[str]], y=None) -> CooccurrenceKMeans:
        import warnings

        import scipy.sparse as sp
        from sklearn.cluster import KMeans
        from sklearn.decomposition import TruncatedSVD
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        for name, low in (("n_clusters", 1), ("n_components", 1), ("lsa_components", 0),
                          ("min_df", 1), ("n_init", 1)):
            _check_int(name, "CooccurrenceKMeans", getattr(self, name), low)
        n = len(tokens)
        if n < self.n_clusters:
            raise ValueError(f"CooccurrenceKMeans needs at least n_clusters={self.n_clusters} "
                             f"units; got {n}.")
        vec = TfidfVectorizer(analyzer=_identity, min_df=self.min_df, sublinear_tf=True)
        X = vec.fit_transform([list(t) for t in tokens])
        self.vocabulary_ = dict(vec.vocabulary_)
        W = self._term_vectors(X, sp, TruncatedSVD, normalize)
        self.term_vectors_ = W
        parts = [normalize(X @ W)]
        dims = min(self.lsa_components, X.shape[1] - 1, n - 1)
        if dims >= 1:
            parts.append(normalize(TruncatedSVD(dims, random_state=self.random_state)
                                   .fit_transform(X)))
        Z = np.hstack(parts)
        with warnings.catch_warnings():  # duplicate units: fewer distinct points than k
            warnings.simplefilter("ignore", ConvergenceWarning)
            labels = KMeans(self.n_clusters, n_init=self.n_init,
                            random_state=self.random_state).fit_predict(Z)
        self.embedding_ = Z
        self.labels_ = _relabel_by_size(labels)
        self.n_clusters_ = int(self.labels_.max()) + 1
        return self

    def fit_predict(self, tokens: Sequence[Sequence[str]], y=None) -> np.ndarray:
        return self.fit(tokens).labels_

    def _term_vectors(self, X, sp, TruncatedSVD, normalize) -> np.ndarray:
        """Positive PMI of two terms occurring in the same unit (context distribution smoothed
        with exponent 0.75, as word2vec does), factorised by SVD with singular values ** 0.5."""
        B = (X > 0).astype(float)
        co = (B.T @ B).tocsr()
        co.setdiag(0)
        co.eliminate_zeros()
        V = co.shape[0]
        total = co.sum()
        if total == 0 or V < 3:
            return np.eye(V, max(1, min(self.n_components, V)))
        rows = np.asarray(co.sum(axis=1)).ravel()
        ctx = rows ** 0.75
        ctx /= ctx.sum()
        co = co.tocoo()
        pmi = np.log(co.data / total) - np.log(rows[co.row] / total) - np.log(ctx[co.col])
        keep = pmi > 0
        P = sp.csr_matrix((pmi[keep], (co.row[keep], co.col[keep])), shape=(V, V))
        dims = min(self.n_components, V - 1)
        svd = TruncatedSVD(dims, random_state=self.random_state).fit(P)
        W = svd.transform(P) / np.sqrt(np.maximum(svd.singular_values_, 1e-12))
        return normalize(W)


def dmm_cluster(tokens: Sequence[Sequence[str]], **params) -> np.ndarray:
    """Function twin of ``DMMClusterer``: the cluster of each unit."""
    return DMMClusterer(**params).fit(tokens).labels_


def cooccurrence_kmeans(tokens: Sequence[Sequence[str]], **params) -> np.ndarray:
    """Function twin of ``CooccurrenceKMeans``: the cluster of each unit."""
    return CooccurrenceKMeans(**params).fit(tokens).labels_
