"""Seeded concern clustering: known concerns from the catalogue first, new ones from what is left.

Unsupervised clustering of one theme's units splits them by whatever vocabulary differs most,
which is often not what a concern is (benchmarks/README.md, "Concern discovery"). Here the
catalogue (``concern_catalogue.py``) says which concerns are expected and which words name them:

1. **Seeds.** A unit that names one known concern with more of its terms than any other is a
   seed of it; a unit naming two concerns equally is held back for step 3. A known concern
   becomes a cluster when its seeds come from at least ``min_respondents`` people. Before that,
   **a concern at home elsewhere gives way** (``give_way``): a concern the catalogue lists first
   under another theme does not count, in a unit that names one of this theme's own concerns
   and was also coded into that other theme — the unit carries it there. A labour-relations
   sentence about 确认劳动关系 that also names the arbitration committee is a 劳动关系 matter
   here, and an arbitration matter under the rights theme, instead of arbitration twice.
2. **Budget.** At most ``max_concerns`` known concerns: the ones with most respondents. When the
   catalogue was pooled over themes (units not coded, as in the benchmark), concerns of one theme
   are reported together first, i.e. the catalogue's own two levels are cut where they fit.
3. **Seeded k-means** in the theme's LSA space: centres start as the seeds' means; seeds stay
   where they are; a unit that named several known concerns equally goes to the one among them
   its other words are closest to, and is counted in the others too (``Seeded.also``: it raised
   each of them), without moving their centres; a unit naming none goes to the nearest centre,
   unless it is closer to the theme's own centre (the mean of all its units) than to any
   concern: then it says nothing more specific than the theme, and is left for
4. **New concerns**: the left-over units are clustered as before (``discover``); a new cluster is
   kept when it has ``min_respondents`` people and its top term is shared by enough of it, so
   the product still finds concerns no catalogue foresaw. Everything else joins the nearest
   concern. Over budget, known and new concerns compete by respondents (``_trim``); who named
   a dropped known concern keeps no concern.

Some units of a theme join a known concern only by naming it (``loose``): an answer coded into
the theme only because of the question it answers (听说过，没入 under the union question), and an
answer of one word (收入！！). They say nothing that places them near one concern rather than
another, yet seeded k-means put them by the nearest centre: 听说过，没入 filled a third of
入会门槛与手续, and a bare 收入 joined 成本自担. They may still form new concerns (step 4);
otherwise they stay in the theme's count and in no line. Answers to a question that asks people
to introduce themselves (``background``: 之前在电子厂流水线上, 两口子一起跑) are loose and never
part of a new concern either: they tell who is speaking, not what troubles them.

With ``strict=True`` (units that no theme caught, ``ConcernFinder``'s "other"), only units that
name a known concern join it: such units are small talk or off-topic as often as not, and a unit
near a concern without saying its words is no evidence of it. The rest may still form new concerns
(step 4), but nothing is joined to the nearest concern, and the units of concerns dropped over
budget keep no concern.

All steps are linear in the number of units (no unit × unit matrix) and deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from .concern_catalogue import KnownConcern

_ITERATIONS = 20


@dataclass
class Seeded:
    """Result of ``seeded_partition``: a cluster per unit (-1: none) and, per cluster, the known
    concerns it stands for (empty for a new concern)."""

    labels: np.ndarray
    known: list[list[KnownConcern]]
    also: dict[int, list[int]] = field(default_factory=dict)  # cluster -> units it holds too


def seeds_from_scores(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(seed concern per unit or -1, candidate mask): the concerns a unit names most often."""
    top = scores.max(axis=1, keepdims=True) if scores.shape[1] else np.zeros((len(scores), 1))
    cand = (scores > 0) & (scores >= top - 1e-9)
    seed = np.where(cand.sum(axis=1) == 1, cand.argmax(axis=1), -1)
    return seed, cand


def give_way(scores: np.ndarray, concerns: Sequence[KnownConcern], theme: str,
             unit_themes: Sequence[Collection[str]]) -> np.ndarray:
    """``scores`` with the concerns at home in another theme cleared where they give way.

    A concern's home is the first theme the catalogue lists it under (the file is laid out by
    home theme). In a unit that names one of ``theme``'s own concerns, a concern at home in
    another theme the unit was also coded into (``unit_themes``, one collection per row) does
    not count here: the unit meets it again when that theme is clustered, so nothing is lost,
    and the same concern is not reported for the unit under two themes while what it said about
    this theme goes unreported. Elsewhere the catalogue's extra themes keep doing their job,
    catching units the coding did not put in the concern's home. The input is not modified.

    >>> own = KnownConcern("status", "劳动关系认定", ("labor_relations",), ("劳动关系",))
    >>> guest = KnownConcern("arb", "劳动仲裁", ("rights", "labor_relations"), ("仲裁",))
    >>> s = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 1.0]])
    >>> coded = [{"labor_relations", "rights"}, {"labor_relations"}, {"labor_relations", "rights"}]
    >>> give_way(s, [own, guest], "labor_relations", coded).tolist()
    [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
    """
    home = np.array([bool(c.themes) and c.themes[0] == theme for c in concerns], dtype=bool)
    if not len(home) or home.all() or not home.any():
        return scores
    out = scores.copy()
    names_own = (scores[:, home] > 0).any(axis=1)
    for j in np.flatnonzero(~home):
        elsewhere = concerns[j].themes[0]
        there = np.fromiter((elsewhere in t for t in unit_themes), dtype=bool,
                            count=len(unit_themes))
        out[names_own & there, j] = 0
    return out


def seeded_partition(Z: np.ndarray, seeds: tuple[np.ndarray, np.ndarray],
                     concerns: Sequence[KnownConcern],
                     people: Sequence[str], *, max_concerns: int, min_respondents: int,
                     discover: Callable[[np.ndarray], np.ndarray],
                     coherent: Callable[[np.ndarray], bool], strict: bool = False,
                     loose: np.ndarray | None = None,
                     background: np.ndarray | None = None) -> Seeded:
    """Cluster units (rows of the unit-length LSA matrix ``Z``) around the known concerns.

    Parameters
    ----------
    seeds : ``seeds_from_scores`` of the units' ``TermMatcher.scores``: the caller takes them
        and lets the dense score matrix go before the LSA it computes ``Z`` with.
    discover : clusters a subset of rows (given their indices) into new concerns; returns a label
        per row (-1 for none), as ``ConcernFinder`` does without a catalogue.
    coherent : whether a set of rows (indices) hangs together enough to be a new concern.
    strict : only units naming a known concern join it; nothing joins the nearest concern
        (module docstring).
    loose : per unit, whether it joins a known concern only by naming it (module docstring);
        ``strict`` is that for every unit.
    background : per unit, whether it is background (an answer to an introduction question):
        ``loose``, and never part of a new concern.
    """
    n = len(Z)
    seed, cand = seeds
    groups = _known_clusters(seed, concerns, people, max_concerns, min_respondents)
    if not groups:
        return Seeded(np.full(n, -1), [])
    col = np.full(len(concerns), -1)
    for g, members in enumerate(groups):
        col[members] = g
    k = len(groups)
    A = np.zeros((n, k), dtype=bool)  # the known clusters each unit named (most often)
    for c in np.flatnonzero(col >= 0):
        A[:, col[c]] |= cand[:, c]
    named = A.sum(axis=1)
    fixed = np.where(named == 1, A.argmax(axis=1), -1)
    loose = np.full(n, strict) if loose is None else (np.asarray(loose, dtype=bool) | strict)
    background = np.zeros(n, dtype=bool) if background is None else np.asarray(background, bool)
    loose = loose | background
    # a unit naming only known concerns that got no slot says what it is about: it is not put
    # in another concern for being near it (站点突然降补贴 had joined 找货难 when 奖金、补贴 was
    # ninth of a theme's eight)
    loose = loose | (cand.any(axis=1) & (named == 0))
    labels, centres = _seeded_kmeans(Z, fixed, A, named, k, loose)
    # step 4: units far from every known concern may form new ones
    pool = np.flatnonzero((labels < 0) & ~background)
    new_labels = np.full(n, -1)
    if len(pool) >= 2 * min_respondents:
        sub = discover(pool)
        for c in sorted(set(sub.tolist()) - {-1}):
            rows = pool[sub == c]
            if len({people[j] for j in rows}) >= min_respondents and coherent(rows):
                new_labels[rows] = c
    new_ids = sorted(set(new_labels.tolist()) - {-1})
    for i, c in enumerate(new_ids, start=k):
        labels[new_labels == c] = i
    known = [[concerns[c] for c in members] for members in groups] + [[] for _ in new_ids]
    # leftovers join the nearest concern, known or new
    left = np.flatnonzero((labels < 0) & ~loose)  # none when strict: every unit is loose
    if len(left):
        all_centres = np.vstack([centres] + [_centre(Z[labels == i]) for i in range(k, len(known))])
        labels[left] = np.argmax(Z[left] @ all_centres.T, axis=1)
    labels = _trim(labels, Z, people, max_concerns, k, loose, A)
    return Seeded(labels, known, _named_too(labels, A))


def _named_too(labels: np.ndarray, A: np.ndarray) -> dict[int, list[int]]:
    """Per known cluster, the units that named it as often as the one they were put in: each
    of these concerns is theirs. A long interview answer about 外地牌照 and then 运管查双证
    had been counted for one of them only, whichever its other words were nearer."""
    also: dict[int, list[int]] = {}
    for j in np.flatnonzero(A.sum(axis=1) > 1):
        for g in np.flatnonzero(A[j]).tolist():
            if g != labels[j]:
                also.setdefault(g, []).append(int(j))
    return also


def _known_clusters(seed: np.ndarray, concerns: Sequence[KnownConcern], people: Sequence[str],
                    max_concerns: int, min_respondents: int) -> list[list[int]]:
    """Catalogue indices per known cluster: concerns with enough seeded respondents, the largest
    first; over budget, concerns pooled from one theme (``family``) are taken together."""
    resp: dict[int, set[str]] = {}
    for j, c in enumerate(seed.tolist()):
        if c >= 0:
            resp.setdefault(c, set()).add(people[j])
    live = sorted((c for c in resp if len(resp[c]) >= min_respondents),
                  key=lambda c: (-len(resp[c]), c))
    if len(live) <= max_concerns or not all(concerns[c].family for c in live):
        return [[c] for c in live[:max_concerns]]
    fam: dict[str, list[int]] = {}
    for c in live:
        fam.setdefault(concerns[c].family, []).append(c)
    size = {f: len(set().union(*(resp[c] for c in cs))) for f, cs in fam.items()}
    order = sorted(fam, key=lambda f: (-size[f], f))[:max_concerns]
    return [fam[f] for f in order]


def _centre(rows: np.ndarray) -> np.ndarray:
    c = rows.mean(axis=0) if len(rows) else np.zeros(rows.shape[1])
    return c / max(float(np.linalg.norm(c)), 1e-12)


def _seeded_kmeans(Z: np.ndarray, fixed: np.ndarray, A: np.ndarray, named: np.ndarray, k: int,
                   loose: np.ndarray | bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Constrained k-means (Basu et al., ICML 2002, "seeded" variant with seeds held fixed):
    returns labels (-1: left for new concerns) and the known concerns' centres. ``loose`` (per
    unit, or for all): such a unit naming no known concern is always left over, so it never
    moves a centre either."""
    centres = np.vstack([_centre(Z[fixed == g]) for g in range(k)])
    labels = fixed.copy()
    free = fixed < 0
    theme = _centre(Z)  # a unit closer to the theme as a whole than to any concern is left over
    for _ in range(_ITERATIONS):
        sim = Z @ centres.T
        restricted = np.where(A, sim, -np.inf)
        new = np.where(named > 1, restricted.argmax(axis=1), sim.argmax(axis=1))
        new[~free] = fixed[~free]
        far = free & (named == 0) & (loose | (sim[np.arange(len(Z)), new] < Z @ theme))
        new[far] = -1
        if np.array_equal(new, labels):
            break
        labels = new
        centres = np.vstack([_centre(Z[labels == g]) for g in range(k)])
    return labels, centres


def _trim(labels: np.ndarray, Z: np.ndarray, people: Sequence[str], max_concerns: int,
          n_known: int, loose: np.ndarray, A: np.ndarray) -> np.ndarray:
    """Over budget, the concerns with fewest respondents, known or new, are dropped. Cluster
    numbers are kept (empty ones are simply not reported).

    Who named a dropped known concern (``A``: the known clusters each unit named) says what
    they are about, and keeps no concern rather than joining a near one: otherwise their words
    would pass to that concern's keyword label. So do ``loose`` units, which join a concern
    only by naming it. The rest are emptied into the nearest remaining concern. Known concerns
    used to be kept first, whatever their size; then a 3-person 住房公积金 line pushed out a
    23-person one the catalogue had not foreseen (孩子在这边上学要社保年限), whose answers went
    to 退休 for being near it."""
    ids = sorted(set(labels.tolist()) - {-1})
    if len(ids) <= max_concerns:
        return labels
    size = {c: len({people[j] for j in np.flatnonzero(labels == c)}) for c in ids}
    keep = sorted(sorted(ids, key=lambda c: (-size[c], c))[:max_concerns])
    gone = [c for c in ids if c < n_known and c not in keep]
    out = labels.copy()
    drop = np.flatnonzero(~np.isin(labels, keep) & (labels >= 0))
    alone = loose[drop] | (A[np.ix_(drop, gone)].any(axis=1) if gone else False)
    out[drop[alone]] = -1
    drop = drop[~alone]
    if len(drop):
        centres = np.vstack([_centre(Z[labels == c]) for c in keep])
        out[drop] = np.array(keep)[np.argmax(Z[drop] @ centres.T, axis=1)]
    return out
