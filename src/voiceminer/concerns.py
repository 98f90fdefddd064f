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

A new concern that only repeats another theme's line — the same people saying both themes in one
clause (工会能不能帮忙解决社保问题 beside 希望工会帮忙解决实际困难) — is not listed
(``_without_copies``).

What happens inside one theme is ``theme_clusters.ThemeClusterer``; this module splits the units
by theme and assembles the concerns table.

Themes are independent and are clustered side by side (``n_jobs``): on forked processes where
``forked.can_fork`` allows (Linux), else on threads, as are the candidate numbers of concerns
inside a theme that is clustered alone. Every worker runs BLAS and OpenMP on one core, so the
concerns are the same on any machine and with any number of workers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import OTHER_THEME
from .coding import clause_finder
from .concern_catalogue import ConcernCatalogue
from .concern_labels import SAME_UNITS_SHARE, ConcernNames
from .concern_order import main_first
from .concern_threads import CorePool, one_core_each
from .concern_tokens import ThemeTokens
from .forked import can_fork, cores, forked_map
from .prompting import background_answers
from .schema import ASKED_EVIDENCE, analysed_mask, check_units
from .segment import Segmenter
from .theme_clusters import SHORT_UNIT_TOKENS, Clustered, ThemeClusterer

__all__ = ["CLUSTERERS", "CONCERN_COLUMNS", "SHORT_UNIT_TOKENS", "ConcernFinder", "find_concerns"]

CLUSTERERS = ("kmeans", "dmm", "auto")
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
    introductions : cues of interview questions that ask people to introduce themselves
        (``Codebook.introductions``; a unit's ``question`` holding one): the answers are
        background, and join a known concern only by naming it and never form a new one.
    n_jobs : workers for independent work — the themes (forked processes, ``forked``, else
        threads), and the candidate numbers of concerns of a theme clustered alone (threads,
        ``concern_threads``); 0 is one per core, 1 none. Each keeps BLAS and OpenMP to one core,
        so the arithmetic and the concerns are the same whatever the number. Above
        ``PARALLEL_MAX_UNITS`` (unit, theme) pairs one worker is used, to bound memory.

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
                 catalogue: ConcernCatalogue | str | Path | None = None,
                 introductions: Sequence[str] = (), n_jobs: int = 0) -> None:
        self.max_concerns = max_concerns
        self.min_respondents = min_respondents
        self.other_coherence = other_coherence
        self.random_state = random_state
        self.segmenter = segmenter
        self.clusterer = clusterer
        self.known_concerns = known_concerns
        self.catalogue = catalogue
        self.introductions = introductions
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
        cols["background"] = background_answers(units, self.introductions)
        assigned: list[list[str]] = [[] for _ in range(len(units))]
        rows = []
        groups: dict[str, list[int]] = {}
        for i in np.flatnonzero(ok):
            themes = cols["themes"][i]
            for theme in (themes if len(themes) else [OTHER_THEME]):
                groups.setdefault(theme, []).append(int(i))
        live = [cols["tokens"][i] for i in np.flatnonzero(ok)]
        df = Counter(chain.from_iterable(map(set, live)))  # counted in C, not per token
        n_live = len(live)
        del live
        catalogue = self._catalogue()
        outside = catalogue
        if OTHER_THEME in groups:
            live = np.flatnonzero(ok)
            outside = catalogue.trusted_outside([cols["tokens"][i] for i in live],
                                                [cols["themes"][i] for i in live])
        known_ids: dict[str, list[str]] = {}
        member_ids: dict[str, list[int]] = {}
        names = ConcernNames(cols["clean"], assigned)
        themes = sorted(groups, key=lambda t: (t == OTHER_THEME, t))
        clustered = self._cluster_themes(themes, groups, cols, catalogue, outside, df, n_live)
        for theme, (idx, people, result) in zip(themes, clustered):
            order = self._rank(result, people)
            for rank, c in enumerate(order, 1):
                cid = f"{theme}.{rank:02d}"
                members = member_ids[cid] = [idx[j] for j in result.members(c)]
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
        rows, assigned, known_ids = _without_copies(rows, assigned, known_ids, member_ids, cols)
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
                        outside: ConcernCatalogue, df: Counter[str], n_live: int
                        ) -> list[tuple[list[int], list[str], Clustered]]:
        """(units, respondents, clusters) of each theme, in the order of ``themes``; the units
        no theme caught are seeded from ``outside`` (``ConcernCatalogue.trusted_outside``).
        ``df`` and ``n_live``: every analysed unit's document frequencies and their number, for
        the corpus idf that names clusters (``ThemeClusterer``).

        Themes are independent, so with several workers (``n_jobs``) they are clustered side by
        side, the largest first: on forked processes (``forked``) where ``can_fork`` allows,
        since most of the work is Python and two threads took as long as one; else on threads
        (``concern_threads``). A forked worker prepares and clusters whole themes, with one
        thread for the candidate numbers of concerns; the results are the same either way.
        Each theme's tokens (``concern_tokens.ThemeTokens``) are prepared as its turn comes:
        mostly slices of the units' tokens at the sentence cuts coding left, but where those are
        missing the sentences are segmented again, and ``Segmenter`` memos are not safe to
        share between threads. Preparing every theme first would hold every theme's tokens at
        once.
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
            asked = f"{theme}:{ASKED_EVIDENCE}"
            # one word in all (收入！！), or coded here only by the question it answers: such a
            # unit joins a known concern only by naming it (concern_seeds)
            loose = np.array([len(cols["tokens"][i]) <= 1 or asked in cols["evidence"][i]
                              for i in idx], dtype=bool)
            return (theme, idx, tokens, [cols["respondent_id"][i] for i in idx],
                    outside.concerns if other else catalogue.for_theme(theme),
                    [cols["themes"][i] for i in idx], loose, cols["background"][idx])

        def cluster(job: tuple) -> tuple[list[int], list[str], Clustered]:
            theme, idx, tokens, people, known, coded, loose, background = job
            return idx, people, clusterer.cluster(tokens, people, other=theme == OTHER_THEME,
                                                  known=known, theme=theme, coded=coded,
                                                  loose=loose, background=background)

        clustering = any(len(groups[t]) >= 2 * self.min_respondents for t in themes)
        largest_first = sorted(range(len(themes)), key=lambda j: -len(groups[themes[j]]))
        forking = threads > 1 and len(themes) > 1 and can_fork()
        with one_core_each(load=clustering) as controller:
            self._pool = CorePool(threads, controller)
            clusterer = ThemeClusterer(
                max_concerns=self.max_concerns, min_respondents=self.min_respondents,
                other_coherence=self.other_coherence, random_state=self.random_state,
                clusterer=self.clusterer, pool=CorePool(1, controller) if forking else self._pool,
                df=df, n_units=n_live)
            if forking:
                return forked_map(lambda j: cluster(prepare(themes[j])), len(themes), threads,
                                  largest_first)
            done = dict(zip(largest_first, self._pool.map(
                cluster, (prepare(themes[j]) for j in largest_first))))
        return [done[j] for j in range(len(themes))]

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

    def _rank(self, result: Clustered, people: list[str]) -> list[int]:
        sizes = {c: len({people[j] for j in result.members(c)})
                 for c in set(result.labels.tolist()) if c >= 0}
        return sorted(sizes, key=lambda c: (-sizes[c], c))


def _without_copies(rows: list[dict], assigned: list[list[str]], known: dict[str, list[str]],
                    members: dict[str, list[int]], cols: dict[str, list]
                    ) -> tuple[list[dict], list[list[str]], dict[str, list[str]]]:
    """The concerns less the new ones that copy a line of another theme, renumbered.

    A new concern (no catalogue entry) is a copy when most of its units (``SAME_UNITS_SHARE``)
    are in lines of one other theme (known concerns, or earlier new ones) and say both themes
    in one clause: one matter coded into two themes, as 工会能不能帮忙解决社保问题 is the union
    wish 希望工会帮忙解决实际困难 again, under 社会保险, and 没地方停车休息 / 没地方吃饭休息 under
    工作时间 are 停车难 and 吃饭难 under 生活保障. Reviewers counted such lines as duplicates.
    Units that say two themes in separate clauses (社保没交，抽成太高) raise two matters, and a
    concern of each theme stays. A copy's units stay in the theme's count, in no line of it."""
    theme_of = {r["concern_id"]: r["theme"] for r in rows}
    order = {r["concern_id"]: n for n, r in enumerate(rows)}
    dropped: set[str] = set()
    for r in rows:
        cid, theme = r["concern_id"], r["theme"]
        if cid in known or theme == OTHER_THEME:
            continue
        elsewhere: Counter[str] = Counter()
        for i in members[cid]:
            others = {theme_of[d] for d in assigned[i] if theme_of[d] != theme and d not in dropped
                      and (d in known or order[d] < order[cid])}
            if others:
                elsewhere.update(_in_one_clause(cols["clean"][i], cols["spans"][i], theme, others))
        if elsewhere and max(elsewhere.values()) >= SAME_UNITS_SHARE * len(members[cid]):
            dropped.add(cid)
    if not dropped:
        return rows, assigned, known
    new_id: dict[str, str] = {}
    rank: Counter[str] = Counter()
    for r in rows:
        if r["concern_id"] not in dropped:
            rank[r["theme"]] += 1
            new_id[r["concern_id"]] = f"{r['theme']}.{rank[r['theme']]:02d}"
    kept = [{**r, "concern_id": new_id[r["concern_id"]],
             "see_also": new_id.get(r["see_also"], "")} for r in rows
            if r["concern_id"] not in dropped]
    return (kept, [[new_id[c] for c in a if c in new_id] for a in assigned],
            {new_id[c]: ids for c, ids in known.items()})


def _in_one_clause(clean: str, spans: Sequence[tuple[str, int, int]], theme: str,
                   others: set[str]) -> set[str]:
    """Those of ``others`` that ``clean`` says in a clause where it says ``theme`` too
    (coding's spans); the clause marks are found once per answer."""
    clause = clause_finder(clean)
    here = {clause(a, b) for t, a, b in spans if t == theme}
    return {t for t, a, b in spans if t in others and clause(a, b) in here}


def find_concerns(units: pd.DataFrame, **params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Function twin of ``ConcernFinder``: returns (units with ``concerns``, the concerns table)."""
    finder = ConcernFinder(**params).fit(units)
    return finder.transform(units), finder.concerns_
