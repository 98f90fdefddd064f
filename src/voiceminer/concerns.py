"""Concern discovery: recurring concerns inside each theme, and among units no theme caught.

Inside a theme the units share vocabulary by construction (every pay unit says 工资 or 收入), so
clusters are sought in a latent space (tf-idf → truncated SVD → unit length) where the shared
theme words weigh little, and the number of concerns is the one with the best silhouette in a
small range rather than a fixed k. Labels come from class-based tf-idf: terms frequent in one
cluster and rare in the theme's other clusters.

Known concerns come first (``known_concerns=True``, the default): the catalogue
(``resources/concerns.toml``, ``concern_catalogue.py``) lists the concerns expected inside each
theme and the words that name them; units naming one seed it, the rest are assigned to the nearest
known concern or, when far from all of them, clustered into new concerns (``concern_seeds.py``).
Known concerns carry the catalogue's label; new ones a clause their units wrote that says their
leading c-TF-IDF terms (``concern_labels.phrase_label``), else those terms. On CAIL labour-judgment
sentences pooled in one theme this raised ARI from 0.21 (clustering alone) to 0.34; the product
end to end scores 0.41 on CAIL and 0.26 on the teddy dev letters against BERTopic's best 0.27 and
0.16 (benchmarks/README.md, "Concern discovery"); ``known_concerns=False`` gives the clustering
alone. A known concern listed under several themes is at home in the first: inside another theme
it gives way to that theme's own concerns in units also coded into its home
(``concern_seeds.give_way``), so a unit carries it once, where it belongs.

Units that no theme caught are clustered the same way, but only clusters that hang together (one
term shared by a large part of the cluster) are reported, as "other recurring concerns"; the rest
is small talk and stays without a concern. The catalogue applies to them strictly, through the
terms that in this corpus mostly occur inside their concern's themes
(``ConcernCatalogue.trusted_outside``): a unit that names a known concern by such a term joins it,
whatever theme the catalogue lists it under, since the codebook missed it, not the worker; a unit
that names none never joins one.

A unit's concerns are listed its main one first (``concern_order.main_first``; the benchmark scores exactly the
first): a concern of a theme raised in the text's opening sentence before one raised only later;
then the concern people more often raise on its own, since one mostly raised alongside another
(the route taken, 仲裁 and 投诉; a consequence) is rarely what a unit is about; then the one whose
catalogue words it says most, the theme with most evidence, codebook order.

Themes are independent and are clustered side by side on threads (``n_jobs``), as are the
candidate numbers of concerns inside a theme; every thread runs BLAS and OpenMP on one core, so
the concerns are the same on any machine and with any number of threads.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import OTHER_THEME
from .concern_catalogue import ConcernCatalogue, KnownConcern, TermMatcher
from .concern_labels import (
    ConcernNames,
    TermPresence,
    coherent_labels,
    ctfidf_terms,
    naming_core,
    said_terms,
    top_term_against_rest,
    top_terms_single,
)
from .concern_order import main_first
from .concern_threads import CorePool, cores, one_core_each
from .concern_tokens import ThemeTokens
from .latent_space import dmm_partition, kmeans_partition, lsa, lsa_dims, tfidf_matrix
from .other_concerns import OTHER_BUDGET, in_rounds
from .schema import analysed_mask, check_units
from .segment import Segmenter

CLUSTERERS = ("kmeans", "dmm", "auto")
# clusterer="auto" uses the Dirichlet-multinomial mixture for themes whose units have at most this
# many tokens at the median: on 20k news headlines (8 tokens) it scored ARI 0.31 against 0.08 for
# LSA + k-means; on CAIL sentences (17 tokens) it was behind (benchmarks/README.md).
SHORT_UNIT_TOKENS = 12
# catalogue_ids: the known concerns (resources/concerns.toml ids) a concern stands for; empty for
# a concern clustering found that no catalogue entry foresaw. see_also: for such a concern, the
# one of an earlier theme that holds most of its units (``SAME_UNITS_SHARE``), or for one of
# uncoded answers the theme concern its leading word leads (``SAME_WORD_SHARE``), else ""
CONCERN_COLUMNS = ("concern_id", "theme", "label", "top_terms", "units", "respondents",
                   "catalogue_ids", "see_also")
# Above this many (unit, theme) pairs to cluster, themes and candidate k are worked on one at a
# time whatever ``n_jobs`` says: side by side they hold two themes' matrices at once, and a
# million-post run peaks in this stage (3.2-3.5 GiB of its 4 GiB budget; benchmarks/README.md).
PARALLEL_MAX_UNITS = 200_000

@dataclass
class _Clustered:
    labels: np.ndarray  # cluster index per unit, -1 for none
    top_terms: list[list[str]]
    known: list[list[KnownConcern]] = field(default_factory=list)  # per cluster; [] = new
    also: dict[int, list[int]] = field(default_factory=dict)  # cluster -> further members

    def members(self, c: int) -> np.ndarray:
        """The units of cluster ``c``: those labelled ``c`` and those it holds ``also``."""
        rows = np.flatnonzero(self.labels == c)
        extra = self.also.get(c)
        return np.union1d(rows, extra) if extra else rows


class ConcernFinder:
    """Clusters the units of each theme into concerns (scikit-learn estimator conventions).

    Parameters
    ----------
    max_concerns : the most concerns reported inside one theme.
    min_respondents : a concern needs at least this many distinct respondents; smaller clusters
        are folded into the nearest larger one.
    other_coherence : share of an uncoded cluster's units that must contain its top term.
    random_state : seed for SVD and k-means, so the same inputs give the same concerns.
    clusterer : ``"kmeans"`` (LSA + k-means, k by silhouette), ``"dmm"`` (a Dirichlet-multinomial
        mixture, ``cluster_models.DMMClusterer``, which empties the clusters it does not need) or
        ``"auto"`` (``"dmm"`` when a theme's units have at most ``SHORT_UNIT_TOKENS`` tokens at
        the median, else ``"kmeans"``). See benchmarks/README.md, "Concern discovery". With
        known concerns it clusters only the units far from all of them.
    known_concerns : seed clusters with the catalogue's known concerns (``concern_seeds.py``);
        ``False`` clusters every theme from scratch, as before the catalogue.
    catalogue : a ``ConcernCatalogue`` or the path of a concerns TOML file; ``None`` is the
        bundled ``resources/concerns.toml``.
    n_jobs : threads for independent work (``concern_threads``) — the themes, and the candidate
        numbers of concerns of one theme; 0 is one per core, 1 none. Each thread keeps BLAS and
        OpenMP to one core, so the arithmetic and the concerns are the same whatever the number. Above
        ``PARALLEL_MAX_UNITS`` (unit, theme) pairs one thread is used, to bound memory.

    Attributes
    ----------
    assignments_ : concern ids per unit.
    concerns_ : the concerns table (``CONCERN_COLUMNS``).
    known_ : concern id -> catalogue ids it stands for (known concerns only).
    """

    def __init__(self, max_concerns: int = 8, min_respondents: int = 3,
                 other_coherence: float = 0.4, random_state: int = 0,
                 segmenter: Segmenter | None = None, clusterer: str = "kmeans",
                 known_concerns: bool = True,
                 catalogue: ConcernCatalogue | str | Path | None = None, n_jobs: int = 0) -> None:
        self.max_concerns = max_concerns
        self.min_respondents = min_respondents
        self.other_coherence = other_coherence
        self.random_state = random_state
        self.segmenter = segmenter
        self.clusterer = clusterer
        self.known_concerns = known_concerns
        self.catalogue = catalogue
        self.n_jobs = n_jobs

    def fit(self, units: pd.DataFrame) -> ConcernFinder:
        check_units(units, "code")
        if self.max_concerns < 1:
            raise ValueError(f"The 'max_concerns' parameter of ConcernFinder must be an int in the "
                             f"range [1, inf). Got {self.max_concerns!r} instead.")
        if self.clusterer not in CLUSTERERS:
            raise ValueError(f"The 'clusterer' parameter of ConcernFinder must be one of "
                             f"{', '.join(map(repr, CLUSTERERS))}. Got {self.clusterer!r} instead.")
        if not isinstance(self.n_jobs, (int, np.integer)) or isinstance(self.n_jobs, bool) \
                or self.n_jobs < 0:
            raise ValueError(f"The 'n_jobs' parameter of ConcernFinder must be an int in the range "
                             f"[0, inf). Got {self.n_jobs!r} instead.")
        # plain lists, read once: a column lookup per unit deep-copies the table's attrs each
        # time, which made this step quadratic-looking on large corpora
        cols = {c: units[c].tolist()
                for c in ("tokens", "themes", "respondent_id", "clean", "spans", "evidence")}
        ok = analysed_mask(units).to_numpy() & np.array([len(t) > 0 for t in cols["tokens"]],
                                                         dtype=bool)
        assigned: list[list[str]] = [[] for _ in range(len(units))]
        rows = []
        groups: dict[str, list[int]] = {}
        for i in np.flatnonzero(ok):
            themes = cols["themes"][i]
            for theme in (themes if len(themes) else [OTHER_THEME]):
                groups.setdefault(theme, []).append(int(i))
        live = [cols["tokens"][i] for i in np.flatnonzero(ok)]
        self._df = Counter(chain.from_iterable(map(set, live)))  # counted in C, not per token
        self._n = len(live)
        self._idf: dict[str, float] = {}  # term -> _global_idf; the same value from any thread
        del live
        catalogue = self._catalogue()
        outside = catalogue
        if OTHER_THEME in groups:
            live = np.flatnonzero(ok)
            outside = catalogue.trusted_outside([cols["tokens"][i] for i in live],
                                                [cols["themes"][i] for i in live])
        known_ids: dict[str, list[str]] = {}
        names = ConcernNames(cols["clean"], assigned)
        themes = sorted(groups, key=lambda t: (t == OTHER_THEME, t))
        clustered = self._cluster_themes(themes, groups, cols, catalogue, outside)
        for theme, (idx, people, result) in zip(themes, clustered):
            order = self._rank(result, people)
            for rank, c in enumerate(order, 1):
                cid = f"{theme}.{rank:02d}"
                members = [idx[j] for j in result.members(c)]
                for i in members:
                    assigned[i].append(cid)
                terms = result.top_terms[c]
                seeds = result.known[c] if c < len(result.known) else []
                if seeds:
                    known_ids[cid] = [k.id for k in seeds]
                label, see_also = names.name(cid, members, terms, seeds)
                rows.append({
                    "concern_id": cid, "theme": theme, "label": label,
                    "top_terms": terms, "units": len(members),
                    "respondents": len({cols["respondent_id"][i] for i in members}),
                    "catalogue_ids": [k.id for k in seeds], "see_also": see_also,
                })
        self.assignments_ = main_first(assigned, cols, catalogue, known_ids)
        self.known_ = known_ids
        self.concerns_ = pd.DataFrame(rows, columns=list(CONCERN_COLUMNS))
        return self

    def transform(self, units: pd.DataFrame) -> pd.DataFrame:
        if not hasattr(self, "assignments_"):
            raise RuntimeError("This ConcernFinder is not fitted yet; call fit(units) first.")
        if len(self.assignments_) != len(units):
            raise ValueError("transform() needs the same units table that fit() saw.")
        out = units.copy()
        out["concerns"] = [list(a) for a in self.assignments_]
        return out

    # -- internals -------------------------------------------------------------------------
    def _cluster_themes(self, themes: list[str], groups: dict[str, list[int]],
                        cols: dict[str, list], catalogue: ConcernCatalogue,
                        outside: ConcernCatalogue
                        ) -> list[tuple[list[int], list[str], _Clustered]]:
        """(units, respondents, clusters) of each theme, in the order of ``themes``; the units
        no theme caught are seeded from ``outside`` (``ConcernCatalogue.trusted_outside``).

        Themes are independent, so with several threads (``n_jobs``, ``concern_threads``) they
        are clustered side by side, the largest first. Each theme's tokens
        (``concern_tokens.ThemeTokens``) are prepared in the calling thread, as its turn comes:
        mostly slices of the units' tokens at the sentence cuts coding left, but where those are
        missing the sentences are segmented again, and ``Segmenter`` memos are not safe to
        share. Preparing every theme before the threads start would hold every theme's tokens
        at once.
        """
        if not themes:
            return []
        size = sum(len(groups[t]) for t in themes)
        threads = (self.n_jobs or cores()) if size <= PARALLEL_MAX_UNITS else 1
        theme_tokens = ThemeTokens(cols, self.segmenter)

        def prepare(theme: str) -> tuple:
            idx = groups[theme]
            other = theme == OTHER_THEME
            tokens = [theme_tokens(i, theme) for i in idx]
            asked = f"{theme}:question"
            # one word in all (收入！！), or coded here only by the question it answers: such a
            # unit joins a known concern only by naming it (concern_seeds)
            loose = np.array([len(cols["tokens"][i]) <= 1 or asked in cols["evidence"][i]
                              for i in idx], dtype=bool)
            return (theme, idx, tokens, [cols["respondent_id"][i] for i in idx],
                    outside.concerns if other else catalogue.for_theme(theme),
                    [cols["themes"][i] for i in idx], loose)

        def cluster(job: tuple) -> tuple[list[int], list[str], _Clustered]:
            theme, idx, tokens, people, known, coded, loose = job
            return idx, people, self._cluster(tokens, people, other=theme == OTHER_THEME,
                                              known=known, theme=theme, coded=coded,
                                              loose=loose)

        clustering = any(len(groups[t]) >= 2 * self.min_respondents for t in themes)
        largest_first = sorted(themes, key=lambda t: -len(groups[t]))
        with one_core_each(load=clustering) as controller:
            self._pool = CorePool(threads, controller)
            done = dict(zip(largest_first,
                            self._pool.map(cluster, map(prepare, largest_first))))
        return [done[t] for t in themes]

    @property
    def _threads(self) -> int:
        """Threads the last ``fit`` clustered with."""
        return self._pool.threads

    def _catalogue(self) -> ConcernCatalogue:
        if not self.known_concerns:
            return ConcernCatalogue.empty()
        if isinstance(self.catalogue, ConcernCatalogue):
            return self.catalogue
        return ConcernCatalogue.load(self.catalogue)

    def _rank(self, result: _Clustered, people: list[str]) -> list[int]:
        sizes = {c: len({people[j] for j in result.members(c)})
                 for c in set(result.labels.tolist()) if c >= 0}
        return sorted(sizes, key=lambda c: (-sizes[c], c))

    def _cluster(self, tokens: list[list[str]], people: list[str], *, other: bool,
                 known: tuple[KnownConcern, ...] = (), theme: str = "",
                 coded: list[list[str]] | None = None,
                 loose: np.ndarray | None = None) -> _Clustered:
        """Concerns of one theme's units. ``coded``: each unit's themes, so that a known concern
        at home in another of them gives way to this theme's own (``concern_seeds.give_way``).
        ``loose``: units that join a known concern only by naming it (``seeded_partition``)."""
        n = len(tokens)
        single = _Clustered(np.zeros(n, dtype=int), [])
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
                                loose=loose)
        if other:
            return self._other(X, tokens, people, presence)
        labels = self._partition(X, tokens, people)
        return _Clustered(labels, ctfidf_terms(tokens, labels, self._global_idf,
                                               presence=presence))

    def _other(self, X, tokens: list[list[str]], people: list[str],
               presence: TermPresence) -> _Clustered:
        """Uncoded units: only clusters that hang together (``_coherent``) are concerns, found in
        rounds (``other_concerns.in_rounds``). ``presence``: the same units' ``TermPresence``
        (of ``X``), to name them."""
        labels = in_rounds(X, tokens, people, presence, partition=self._partition,
                           global_idf=self._global_idf, max_concerns=self.max_concerns,
                           min_respondents=self.min_respondents, coherence=self.other_coherence)
        result = _Clustered(labels, ctfidf_terms(tokens, labels, self._global_idf,
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
                presence: TermPresence, loose: np.ndarray | None = None) -> _Clustered:
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
            return self._other(X, tokens, people, presence)
        if dims < 2:
            labels = self._partition(X, tokens, people)
            result = _Clustered(labels, ctfidf_terms(tokens, labels, self._global_idf,
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
                return self._other(part.matrix, [tokens[j] for j in rows],
                                   [people[j] for j in rows], part).labels
            return self._partition(X[rows], [tokens[j] for j in rows], [people[j] for j in rows])

        def coherent(rows: np.ndarray) -> bool:
            term = top_term_against_rest(tokens, rows, None, self._global_idf, presence)
            return term is not None and np.mean([term in tokens[j] for j in rows]) >= \
                self.other_coherence

        result = seeded_partition(Z, seeding, known, people,
                                  max_concerns=self.max_concerns * (OTHER_BUDGET if other else 1),
                                  min_respondents=self.min_respondents,
                                  discover=discover, coherent=coherent, strict=other,
                                  loose=loose)
        if not result.known and other:
            return self._other(X, tokens, people, presence)
        if not result.known:
            labels = self._partition(X, tokens, people)
            return _Clustered(labels, ctfidf_terms(tokens, labels, self._global_idf,
                                                   presence=presence))
        labels = result.labels
        terms = ctfidf_terms(tokens, naming_core(labels, result.known, known, seeding[1]),
                             self._global_idf, presence=presence)
        terms += [[] for _ in range(len(result.known) - len(terms))]
        for c, seeds in enumerate(result.known):
            if seeds:
                said = said_terms(tokens, labels == c, seeds)
                terms[c] = (said + [t for t in terms[c] if t not in said])[:8]
        return _Clustered(labels, terms, result.known, result.also)

    def _name_single(self, result: _Clustered, tokens: list[list[str]], people: list[str],
                     known: tuple[KnownConcern, ...], said: np.ndarray) -> _Clustered:
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
        return _Clustered(result.labels, [terms], [[known[best]]])

    def _global_idf(self, term: str) -> float:
        """The term's idf over all analysed units, remembered: naming clusters asks for it
        about 160,000 times on a 45,000-unit study, and ``np.log`` of one float is slow."""
        idf = self._idf.get(term)
        if idf is None:
            idf = self._idf[term] = float(np.log((1 + self._n) / (1 + self._df.get(term, 0))))
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
                                random_state=self.random_state, pool=self._pool)

    def _coherent(self, result: _Clustered, tokens: list[list[str]], people: list[str]) -> _Clustered:
        """Keep only uncoded clusters whose top term is shared widely enough to name an issue."""
        return _Clustered(coherent_labels(result.labels, result.top_terms, tokens, people,
                                          self.other_coherence, self.min_respondents),
                          result.top_terms)


def find_concerns(units: pd.DataFrame, **params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Function twin of ``ConcernFinder``: returns (units with ``concerns``, the concerns table)."""
    finder = ConcernFinder(**params).fit(units)
    return finder.transform(units), finder.concerns_
