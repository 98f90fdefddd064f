"""The concerns of one theme's units: clustering, seeding from the catalogue, naming.

``ConcernFinder`` (``concerns.py``) splits the units by theme, runs one ``ThemeClusterer.cluster``
per theme (side by side on threads) and assembles the concerns table; this module holds what
happens inside a theme. Known concerns seed it (``concern_seeds.seeded_partition``), what is far
from them is clustered into new concerns (``latent_space``), the uncoded units in rounds
(``other_concerns``), and clusters are named by class-based tf-idf (``concern_labels``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .codebook import OTHER_THEME
from .concern_catalogue import KnownConcern, TermMatcher
from .concern_labels import (
    TermPresence,
    coherent_labels,
    ctfidf_terms,
    naming_core,
    said_terms,
    top_term_against_rest,
    top_terms_single,
)
from .concern_threads import CorePool
from .latent_space import dmm_partition, kmeans_partition, lsa, lsa_dims, tfidf_matrix
from .other_concerns import OTHER_BUDGET, in_rounds

# clusterer="auto" uses the Dirichlet-multinomial mixture for themes whose units have at most this
# many tokens at the median: on 20k news headlines (8 tokens) it scored ARI 0.31 against 0.08 for
# LSA + k-means; on CAIL sentences (17 tokens) it was behind (benchmarks/README.md).
SHORT_UNIT_TOKENS = 12


@dataclass
class Clustered:
    """One theme's concerns: a cluster per unit, each cluster's top terms and the known
    concerns it stands for."""

    labels: np.ndarray  # cluster index per unit, -1 for none
    top_terms: list[list[str]]
    known: list[list[KnownConcern]] = field(default_factory=list)  # per cluster; [] = new
    also: dict[int, list[int]] = field(default_factory=dict)  # cluster -> further members

    def members(self, c: int) -> np.ndarray:
        """The units of cluster ``c``: those labelled ``c`` and those it holds ``also``."""
        rows = np.flatnonzero(self.labels == c)
        extra = self.also.get(c)
        return np.union1d(rows, extra) if extra else rows


class ThemeClusterer:
    """Clusters one theme's units at a time, with the finder's settings (``ConcernFinder``'s
    parameters of the same names). ``df`` and ``n_units``: document frequencies over every
    analysed unit and their number, for the corpus idf that keeps words common everywhere
    (希望, 一年) from naming a concern; ``pool``: the threads the candidate numbers of concerns
    are fitted on."""

    def __init__(self, *, max_concerns: int, min_respondents: int, other_coherence: float,
                 random_state: int, clusterer: str, pool: CorePool, df: Counter[str],
                 n_units: int) -> None:
        self.max_concerns = max_concerns
        self.min_respondents = min_respondents
        self.other_coherence = other_coherence
        self.random_state = random_state
        self.clusterer = clusterer
        self.pool = pool
        self._df = df
        self.n_units = n_units
        self._idf: dict[str, float] = {}  # term -> _global_idf; the same value from any thread

    def cluster(self, tokens: list[list[str]], people: list[str], *, other: bool,
                 known: tuple[KnownConcern, ...] = (), theme: str = "",
                 coded: list[list[str]] | None = None,
                 loose: np.ndarray | None = None,
                 background: np.ndarray | None = None) -> Clustered:
        """Concerns of one theme's units. ``coded``: each unit's themes, so that a known concern
        at home in another of them gives way to this theme's own (``concern_seeds.give_way``).
        ``loose``: units that join a known concern only by naming it; ``background``: those
        and never part of a new concern either (``seeded_partition``)."""
        n = len(tokens)
        single = Clustered(np.zeros(n, dtype=int), [])
        if n < 2 * self.min_respondents or self.max_concerns == 1:
            single.top_terms = [top_terms_single(tokens)]
            return self._coherent(single, tokens, people) if other else \
                self._name_single(single, tokens, people, known,
                                  self._said(tokens, known, theme, coded))
        try:  # TfidfVectorizer(min_df=2, sublinear_tf=True), to the last bit, but faster
            X, vocabulary = tfidf_matrix(tokens, min_df=2)
        except ValueError:  # no term occurs twice
            single.top_terms = [top_terms_single(tokens)]
            return self._coherent(single, tokens, people) if other else single
        presence = TermPresence.of(X, vocabulary, tokens)
        if known:
            return self._seeded(X, tokens, people, known, other=other,
                                said=self._said(tokens, known, theme, coded), presence=presence,
                                loose=loose, background=background)
        if other:
            return self._other(tokens, people, presence, background)
        labels = self._partition(X, tokens, people)
        return Clustered(labels, ctfidf_terms(tokens, labels, self._global_idf,
                                               presence=presence))

    def _other(self, tokens: list[list[str]], people: list[str], presence: TermPresence,
               background: np.ndarray | None = None) -> Clustered:
        """Uncoded units: only clusters that hang together (``_coherent``) are concerns, found in
        rounds (``other_concerns.in_rounds``). ``presence``: the same units' ``TermPresence``,
        whose matrix is their tf-idf matrix, to cluster and name them. ``background`` units
        (``seeded_partition``) are left out."""
        labels = np.full(len(tokens), -1)
        rows = np.flatnonzero(~background) if background is not None else np.arange(len(tokens))
        part = presence if len(rows) == len(tokens) else presence.take(rows)
        if len(rows) >= 2 * self.min_respondents:  # part.matrix is the rows' tf-idf matrix
            labels[rows] = in_rounds(part.matrix, [tokens[j] for j in rows],
                                     [people[j] for j in rows], part, partition=self._partition,
                                     global_idf=self._global_idf, max_concerns=self.max_concerns,
                                     min_respondents=self.min_respondents,
                                     coherence=self.other_coherence)
        result = Clustered(labels, ctfidf_terms(tokens, labels, self._global_idf,
                                                 presence=presence))
        return self._coherent(result, tokens, people)

    @staticmethod
    def _said(tokens: list[list[str]], known: tuple[KnownConcern, ...], theme: str,
              coded: list[list[str]] | None) -> np.ndarray:
        """(units × known concerns) terms said, after concerns at home elsewhere give way."""
        from .concern_seeds import give_way

        said = TermMatcher(known).scores(tokens)
        if theme and theme != OTHER_THEME and coded is not None:
            said = give_way(said, known, theme, coded)
        return said

    def _seeded(self, X, tokens: list[list[str]], people: list[str],
                known: tuple[KnownConcern, ...], *, other: bool, said: np.ndarray,
                presence: TermPresence, loose: np.ndarray | None = None,
                background: np.ndarray | None = None) -> Clustered:
        """Known concerns seeded from the catalogue, new ones from what is far from all of them
        (``concern_seeds.seeded_partition``); without enough seeds, plain discovery. ``other``:
        uncoded units, seeded strictly, and new concerns only where they hang together.
        ``said``: the units' catalogue term counts (``_said``); ``presence``: the units'
        ``TermPresence`` (of ``X``), which also gives the theme's document frequencies for
        judging new concerns."""

        from .concern_seeds import seeded_partition, seeds_from_scores

        n, n_terms = X.shape
        dims = lsa_dims(X)
        if dims < 2 and other:
            return self._other(tokens, people, presence, background)
        if dims < 2:
            labels = self._partition(X, tokens, people)
            result = Clustered(labels, ctfidf_terms(tokens, labels, self._global_idf,
                                                     presence=presence))
            return self._name_single(result, tokens, people, known, said)
        # the seeds are all that is needed of the dense (units × concerns) counts: let them go
        # before the LSA, which is where a million posts' concern stage peaks in memory
        seeding = seeds_from_scores(said)
        del said
        Z = lsa(X, dims, self.random_state)

        def discover(rows: np.ndarray) -> np.ndarray:
            if other:  # presence.take(rows).matrix is X[rows]
                part = presence.take(rows)
                return self._other([tokens[j] for j in rows], [people[j] for j in rows],
                                   part).labels
            return self._partition(X[rows], [tokens[j] for j in rows], [people[j] for j in rows])

        def coherent(rows: np.ndarray) -> bool:
            # answers of one word that name no known concern say only their theme: twenty
            # bare 收入 are not a pay concern of their own
            if 2 * sum(len(tokens[j]) <= 1 for j in rows) >= len(rows):
                return False
            term = top_term_against_rest(tokens, rows, None, self._global_idf, presence)
            return term is not None and np.mean([term in tokens[j] for j in rows]) >= \
                self.other_coherence

        result = seeded_partition(Z, seeding, known, people,
                                  max_concerns=self.max_concerns * (OTHER_BUDGET if other else 1),
                                  min_respondents=self.min_respondents,
                                  discover=discover, coherent=coherent, strict=other,
                                  loose=loose, background=background)
        if not result.known and other:
            return self._other(tokens, people, presence, background)
        if not result.known:
            labels = self._partition(X, tokens, people)
            return Clustered(labels, ctfidf_terms(tokens, labels, self._global_idf,
                                                   presence=presence))
        labels = result.labels
        terms = ctfidf_terms(tokens, naming_core(labels, result.known, known, seeding[1]),
                             self._global_idf, presence=presence)
        terms += [[] for _ in range(len(result.known) - len(terms))]
        for c, seeds in enumerate(result.known):
            if seeds:
                said = said_terms(tokens, labels == c, seeds)
                terms[c] = (said + [t for t in terms[c] if t not in said])[:8]
        return Clustered(labels, terms, result.known, result.also)

    def _name_single(self, result: Clustered, tokens: list[list[str]], people: list[str],
                     known: tuple[KnownConcern, ...], said: np.ndarray) -> Clustered:
        """A theme too small or too uniform to cluster is one concern; when most of its units
        name the same known concern, from enough people, it takes that concern's label."""
        from .concern_seeds import seeds_from_scores

        if not known or len(set(result.labels.tolist())) != 1 or result.labels[0] < 0:
            return result
        seed, _ = seeds_from_scores(said)
        counts = np.bincount(seed[seed >= 0], minlength=len(known))
        if not counts.any():
            return result
        best = int(counts.argmax())
        who = {people[j] for j in np.flatnonzero(seed == best)}
        if counts[best] * 2 < len(tokens) or len(who) < self.min_respondents:
            return result
        said = said_terms(tokens, np.ones(len(tokens), dtype=bool), [known[best]])
        terms = (said + [t for t in result.top_terms[0] if t not in said])[:8]
        return Clustered(result.labels, [terms], [[known[best]]])

    def _global_idf(self, term: str) -> float:
        """The term's idf over all analysed units, remembered: naming clusters asks for it
        about 160,000 times on a 45,000-unit study, and ``np.log`` of one float is slow."""
        idf = self._idf.get(term)
        if idf is None:
            idf = self._idf[term] = float(np.log((1 + self.n_units) / (1 + self._df.get(term, 0))))
        return idf

    def _partition(self, X, tokens: list[list[str]], people: list[str],
                   most: int | None = None) -> np.ndarray:
        kind = self.clusterer
        if kind == "auto":
            short = np.median([len(t) for t in tokens]) <= SHORT_UNIT_TOKENS
            kind = "dmm" if short else "kmeans"
        k_max = min(most or self.max_concerns, len(tokens) // max(2 * self.min_respondents, 1))
        if kind == "dmm":
            return dmm_partition(X, tokens, people, max_k=k_max,
                                 min_respondents=self.min_respondents,
                                 random_state=self.random_state)
        return kmeans_partition(X, people, max_k=k_max, min_respondents=self.min_respondents,
                                random_state=self.random_state, pool=self.pool)

    def _coherent(self, result: Clustered, tokens: list[list[str]], people: list[str]) -> Clustered:
        """Keep only uncoded clusters whose top term is shared widely enough to name an issue."""
        return Clustered(coherent_labels(result.labels, result.top_terms, tokens, people,
                                          self.other_coherence, self.min_respondents),
                          result.top_terms)

