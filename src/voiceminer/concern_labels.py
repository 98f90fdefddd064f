"""Naming concerns: the terms most distinctive of a cluster, and known concerns' labels.

Split from ``concerns.py``, which decides who belongs together; this module decides what the
group is called and which words lead its top terms (quotes are picked by them).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

import numpy as np

from .codebook import OTHER_THEME
from .concern_catalogue import KnownConcern
from .framing import without_framing

# Words that frame a request or count something rather than name a concern: fine inside a
# cluster, useless in its label (希望、解决、一年).
LABEL_STOPWORDS = frozenset("""希望 能不能 不能 不要 应该 争取 允许 解决 帮助 帮忙 帮 提高 增加 减少 取消
    多点 一点 不是 只能 可以 能够 需要 一下 一些 现在 以前 之前 时候 还是 还有 已经 一直 经常 总是
    每天 每次 每个 一般 主要 问题 事情 东西 情况 方面 感觉 觉得 知道 不知道 不管 管 说 讲 想 太 很
    真的 实在 特别 非常 老是 根本 直接 多建 设个 提供 给 让 被 没 没有 不 有 要 能 会 去 来 做 搞""".split())
_COUNT_WORD = re.compile(r"^[一二三四五六七八九十两几半百千万\d.]+[个年天次件批块元单月日号点分秒趟回遍人家条]?[多半]?$")


def known_label(seeds: list[KnownConcern]) -> str:
    """The catalogue label; a cluster standing for several known concerns (a pooled catalogue cut
    at theme level) is named by its two largest."""
    return "；".join(k.label for k in seeds[:2])


# A new concern is named by a clause its own people wrote (``phrase_label``): up to the first
# length when one says its leading term, else up to the second, else by its terms.
PHRASE_CHARS = (16, 24)
# A new concern's label is looked for in at most this many of its units (its first, in table
# order): enough to count which wording recurs, and a million-post concern costs no more than a
# small one (``new_label``).
PHRASE_SAMPLE = 5000
# A new concern's label names a second wording when at least this share of its units does not
# say its leading term (``new_label``).
SECOND_WORDING_SHARE = 0.3
_PAIR = "，"  # joins two neighbouring clauses into one phrase
_CLAUSE_BREAK = re.compile(r"[，,。！？!?；;：:\s~～…]+")
_CLAUSE_EDGE = re.compile(r"^[的了吧啊呀呢哦嘛啦就还也都又]+|[吧啊呀呢了哦嘛啦的]+$")


def phrase_label(texts: Iterable[str], terms: Sequence[str], taken: Collection[str] = ()
                 ) -> str | None:
    """A clause of the concern's own units that says its leading terms, or None.

    A concern no catalogue foresaw used to be named by its first three c-TF-IDF terms
    (一口价、三十公里、算下来), which a report writer reads as keywords, not as an issue. The
    workers' own clause (取消一口价) says what the issue is. Candidates are each clause of a
    unit and each two neighbouring clauses that contain the first term; the one chosen is said
    by most units (a clause under four characters counting half: 没入 says less than 听说过，没入),
    then says most of the first three terms (earlier ones weigh more), then is shortest. A
    wording said by four people does not name a concern that 28 put another way. ``taken``:
    labels already given, so that two concerns (the same units clustered in two themes) are
    not called the same.
    """
    if not terms:
        return None
    weights = {t: 1.0 / (k + 1) for k, t in enumerate(terms[:3])}
    lead = terms[0]
    said: Counter[str] = Counter()
    for text in texts:
        if lead not in text:
            continue
        parts = [p for p in (_CLAUSE_EDGE.sub("", p) for p in _CLAUSE_BREAK.split(text)) if p]
        found = {*parts, *(f"{a}{_PAIR}{b}" for a, b in zip(parts, parts[1:]))}
        said.update(c for c in found if lead in c and len(c) <= PHRASE_CHARS[-1])
    for limit in PHRASE_CHARS:
        fits = [c for c in said if len(c) <= limit and c not in taken]
        if fits:
            return max(fits, key=lambda c: (said[c] * (1.0 if len(c) >= 4 else 0.5),
                                            round(sum(w for t, w in weights.items() if t in c), 6),
                                            -len(c), c))
    return None


def new_label(texts: Iterable[str], terms: Sequence[str], taken: Collection[str]) -> str:
    """A new concern's name: a clause its units wrote (``phrase_label``), in quotation marks as
    the workers' words and followed by 等, since the concern's people put it in other words too
    (“小区开放给骑手进”等); else its first three terms. ``taken``: the labels given so far.

    A cluster may hold two issues that share words: when at least ``SECOND_WORDING_SHARE`` of
    its units do not say its leading term, and most of those say another of its terms, their
    own clause is named too (“快递柜费用不要让快递员出”“给三轮车一个合法身份”等), so that the
    label does not hide the second issue. A post's framing (求助，…) is no part of it."""
    texts = [text[slice(*without_framing(text))] for text in islice(texts, PHRASE_SAMPLE)]
    given = {p for label in taken for p in quoted_phrases(label)}
    first = phrase_label(texts, terms, given)
    if not first:
        return "、".join(terms[:3])
    rest = [t for t in texts if terms[0] not in t]
    second = None
    if len(rest) >= max(2, SECOND_WORDING_SHARE * len(texts)):
        lead = next((t for t in terms[1:] if 2 * sum(t in x for x in rest) >= len(rest)), None)
        if lead is not None:
            second = phrase_label(rest, [lead, *(t for t in terms if t != lead)],
                                  given | {first})
    return f"“{first}”“{second}”等" if second else f"“{first}”等"


# A new concern most of whose units (this share) a new concern of an earlier theme holds already
# is the same people saying the same thing, coded into two themes: it may take that concern's
# words for a label and points to it (``see_also``).
SAME_UNITS_SHARE = 0.8
# A concern of uncoded answers whose leading word this share of its units say, and which is one
# of the first ``LEAD_TERMS`` terms of a theme's concern, points to that concern: the same issue
# said in words the codebook does not know (夏天送清凉挺好 beside 工会活动与慰问帮扶).
SAME_WORD_SHARE = 0.5
LEAD_TERMS = 3


class ConcernNames:
    """Names the concerns of one analysis in order, remembering what it gave: no two concerns
    found by clustering are called the same, unless one holds most of the other's units (then
    the later one points to it). ``texts``: every unit's clean text, by unit index;
    ``assigned``: every unit's concern ids so far, which the caller fills as it goes."""

    def __init__(self, texts: Sequence[str], assigned: Sequence[list[str]]) -> None:
        self.texts, self.assigned = texts, assigned
        self.taken: set[str] = set()
        self.found: dict[str, str] = {}  # new concerns so far: id -> label, in order
        self.leads: dict[str, tuple[set[str], int]] = {}  # theme concerns: lead terms, units

    def name(self, concern_id: str, members: list[int], terms: Sequence[str],
             seeds: list[KnownConcern]) -> tuple[str, str]:
        """(label, see_also) of a concern: a known one's catalogue label, a new one's
        ``new_label``; ``see_also`` is the earlier new concern holding ``SAME_UNITS_SHARE`` of
        its units (counted from ``assigned``), or for uncoded answers the theme concern their
        leading word leads (``SAME_WORD_SHARE``), or ""."""
        host = ""
        uncoded = concern_id.startswith(f"{OTHER_THEME}.")
        if seeds:
            label = known_label(seeds)
        else:
            shared = Counter(c for i in members for c in self.assigned[i] if c in self.found)
            host = next((c for c in self.found
                         if shared[c] >= SAME_UNITS_SHARE * len(members)), "")
            label = new_label((self.texts[i] for i in members), terms,
                              self.taken - {self.found[host]} if host else self.taken)
            self.found[concern_id] = label
            if uncoded and not host:
                host = self._led_by(members, terms)
        if not uncoded:
            self.leads[concern_id] = (set(_leading(terms)), len(members))
        self.taken.add(label)
        return label, host

    def _led_by(self, members: list[int], terms: Sequence[str]) -> str:
        """The largest theme concern led by one of the first ``LEAD_TERMS`` words of
        ``members`` that most of them say, or ""."""
        texts = [self.texts[i] for i in members]
        words = {t for t in _leading(terms)
                 if sum(t in x for x in texts) >= SAME_WORD_SHARE * len(texts)}
        hosts = [(n, cid) for cid, (lead, n) in self.leads.items() if words & lead]
        return max(hosts)[1] if hosts else ""


def _leading(terms: Sequence[str]) -> list[str]:
    """A concern's first ``LEAD_TERMS`` terms that could name it (``labelable``)."""
    return list(islice((t for t in terms if labelable(t)), LEAD_TERMS))


def quoted_phrases(label: str) -> list[str]:
    """The clauses quoted in a label made by ``new_label`` (none in a catalogue label)."""
    return re.findall(r"“([^”]*)”", label)


def phrase_said(phrase: str, text: str) -> bool:
    """Whether ``text`` says a ``phrase_label`` phrase: each of its clauses, since a pair is
    joined with "，" after particles were trimmed (驾驶室都变形了，心里堵得慌 says
    驾驶室都变形，心里堵得慌)."""
    return all(part in text for part in phrase.split(_PAIR))


def naming_core(labels: np.ndarray, clusters: list[list[KnownConcern]],
                known: Sequence[KnownConcern], named: np.ndarray) -> np.ndarray:
    """``labels`` with -1 for the units of a known concern that do not name it (``named``: units
    × ``known``, the concerns each unit names most), so that its key terms come from the units
    that say what it is: units only nearest to 押金 brought 流水线、电子厂 into its terms."""
    core = labels.copy()
    where = {k.id: j for j, k in enumerate(known)}
    for c, seeds in enumerate(clusters):
        if seeds:
            member = labels == c
            naming = named[:, [where[k.id] for k in seeds]].any(axis=1)
            if np.count_nonzero(member & naming) >= 2:  # c-TF-IDF wants a term said twice
                core[member & ~naming] = -1
    return core


def said_terms(tokens: list[list[str]], member: np.ndarray, seeds: list[KnownConcern],
                top: int = 3) -> list[str]:
    """The catalogue terms the concern's units say most (at least twice), to lead its top terms:
    quotes are picked by top terms, and these are the words that name the concern."""
    texts = ["".join(tokens[j]) for j in np.flatnonzero(member)]
    terms = dict.fromkeys(t for k in seeds for t in k.terms)
    counts = {t: sum(t in x for x in texts) for t in terms}
    ranked = sorted((t for t in terms if counts[t] >= 2), key=lambda t: (-counts[t], -len(t), t))
    return ranked[:top]


@lru_cache(maxsize=1 << 18)
def labelable(term: str) -> bool:
    """Whether ``term`` could name a concern; asked again for the same terms cluster after
    cluster, so remembered."""
    return len(term) >= 2 and term not in LABEL_STOPWORDS and not _COUNT_WORD.match(term)


@dataclass(frozen=True, eq=False)
class TermPresence:
    """Which units say which of a theme's terms, so that c-TF-IDF counts with ``numpy.bincount``
    over a sparse matrix instead of a ``Counter`` update per unit (most of its time on a large
    theme).

    ``matrix`` is the theme's tf-idf matrix itself (units × ``terms``; only where it is nonzero
    matters, so nothing is copied), whose columns are every term said by at least two of the
    theme's units (``min_df=2``). That is all c-TF-IDF can name: it wants a term said by two units
    of one cluster. ``distinct`` is each unit's number of distinct tokens, every one counted, which
    sets the cluster sizes as before. Counts, sums and the formula are those of the token path, so
    the terms and their order are the same (``tests/test_concern_labels.py`` checks both paths).
    Memory beyond the matrix: a byte or two per stored entry while counting, so that a
    million-post theme does not pay for a second copy of its matrix.
    """

    matrix: Any  # scipy.sparse CSR: units × terms
    terms: Sequence[str]
    distinct: np.ndarray

    @classmethod
    def of(cls, X, terms: Sequence[str], tokens: Sequence[Sequence[str]]) -> TermPresence:
        """From a theme's document-term matrix ``X`` (CSR, nonnegative, columns ``terms``) and
        the same units' tokens."""
        distinct = np.fromiter((len(set(t)) for t in tokens), dtype=np.int64, count=len(tokens))
        return cls(X, terms, distinct)

    def take(self, rows: np.ndarray) -> TermPresence:
        """The units ``rows``; ``.matrix`` is then ``matrix[rows]``, the terms stay the theme's."""
        return TermPresence(self.matrix[rows], self.terms, self.distinct[rows])

    def said_by(self, units: np.ndarray) -> np.ndarray:
        """Per term, how many of the units in the boolean mask ``units`` say it."""
        entries = np.repeat(units, np.diff(self.matrix.indptr))
        return np.bincount(self.matrix.indices[entries], minlength=self.matrix.shape[1])


def ctfidf_terms(tokens: list[list[str]], labels: np.ndarray, global_idf=None, top: int = 8,
                 presence: TermPresence | None = None) -> list[list[str]]:
    """Per cluster, the terms most distinctive of it against the theme's other clusters.

    Class-based tf-idf, times the term's idf over the whole corpus when ``global_idf`` is given,
    so that words common everywhere (希望, 一年) do not name a concern. ``presence``: the same
    units' ``TermPresence``, to count from it rather than from the tokens (same result, faster).
    """
    clusters = sorted(c for c in set(labels.tolist()) if c >= 0)
    out: list[list[str]] = [[] for _ in range(max(clusters, default=-1) + 1)]
    if presence is not None:
        total = presence.said_by(labels >= 0)
        sizes = [int(presence.distinct[labels == c].sum()) for c in clusters]
        avg = np.mean(sizes) if clusters else 1.0
        for c, size in zip(clusters, sizes):
            counts = presence.said_by(labels == c)
            said = ((presence.terms[j], int(counts[j]), int(total[j]))
                    for j in np.flatnonzero(counts >= 2).tolist())  # what _distinctive keeps
            out[c] = _top(_distinctive(said, size, avg, global_idf), top) or \
                top_terms_single([tok for tok, lab in zip(tokens, labels) if lab == c], top)
        return out
    df = {c: Counter() for c in clusters}
    for toks, c in zip(tokens, labels):
        if c >= 0:
            df[c].update(set(toks))  # document frequency: one talkative unit is one voice
    totals = Counter()
    for cnt in df.values():
        totals.update(cnt)
    avg = np.mean([sum(cnt.values()) for cnt in df.values()]) if df else 1.0
    for c in clusters:
        said = ((t, cnt, totals[t]) for t, cnt in df[c].items())
        out[c] = _top(_distinctive(said, sum(df[c].values()), avg, global_idf), top) or \
            top_terms_single([tok for tok, lab in zip(tokens, labels) if lab == c], top)
    return out


def _top(scored: list[tuple[float, str]], top: int) -> list[str]:
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [t for _, t in scored[:top]]


def top_term_against_rest(tokens: list[list[str]], rows: np.ndarray, theme_df: Counter[str] | None,
                          global_idf, presence: TermPresence | None = None) -> str | None:
    """The first term ``ctfidf_terms`` would give the units ``rows`` against the rest of the
    theme, from the theme's document frequencies computed once (``theme_df``, or the theme's
    ``presence``): asked for every candidate new concern, the full computation made clustering
    a large theme quadratic in practice."""
    if presence is not None:
        member = np.zeros(len(tokens), dtype=bool)
        member[rows] = True
        inside = presence.said_by(member)
        theme = presence.said_by(np.ones(len(tokens), dtype=bool))
        said = [(presence.terms[j], int(inside[j]), int(theme[j]))
                for j in np.flatnonzero(inside >= 2).tolist()]
        sums = [int(presence.distinct[member].sum())]
        theme_total = int(presence.distinct.sum())
    else:
        counted: Counter[str] = Counter()
        for j in rows:
            counted.update(set(tokens[j]))
        said = [(t, cnt, theme_df[t]) for t, cnt in counted.items()]
        sums = [sum(counted.values())]
        theme_total = sum(theme_df.values())
    if len(rows) < len(tokens):
        sums.insert(0, theme_total - sums[0])
    scored = _distinctive(said, sums[-1], np.mean(sums), global_idf)
    if scored:
        return min(scored, key=lambda x: (-x[0], x[1]))[1]
    single = top_terms_single([tokens[j] for j in rows], 1)
    return single[0] if single else None


def _distinctive(said: Iterable[tuple[str, int, int]], size: int, avg: float, global_idf
                 ) -> list[tuple[float, str]]:
    """(class-based tf-idf, term) for a cluster's labelable terms said by at least two units,
    from (term, units of the cluster saying it, units of the theme's clusters saying it): the
    term's share of the cluster (``size``: the cluster's distinct tokens, summed over its units),
    times log(1 + average cluster size / its frequency in the theme), times its corpus idf when
    given. Worked out on arrays: a large theme's clusters are scored for thousands of terms
    each, round after round, and ``np.log`` of one float at a time was most of naming them."""
    kept = [(t, cnt, total) for t, cnt, total in said if cnt >= 2 and labelable(t)]
    if not kept:
        return []
    terms, counts, totals = zip(*kept)
    scores = np.array(counts, dtype=np.float64) / max(size, 1) * np.log(
        1 + avg / np.array(totals, dtype=np.float64))
    if global_idf:
        scores *= np.array([global_idf(t) for t in terms], dtype=np.float64)
    return list(zip(scores.tolist(), terms))


def top_terms_single(tokens: list[list[str]], top: int = 8) -> list[str]:
    df = Counter(t for toks in tokens for t in set(toks) if labelable(t))
    return [t for t, _ in sorted(df.items(), key=lambda x: (-x[1], x[0]))[:top]]


def coherent_labels(labels: np.ndarray, top_terms: list[list[str]], tokens: list[list[str]],
                    people: list[str], coherence: float, min_respondents: int,
                    held_by: int = 3) -> np.ndarray:
    """``labels`` with -1 for the units of clusters that do not hang together: a unit sharing
    none of its cluster's first ``held_by`` top terms leaves it, and a cluster whose top term
    fewer than ``coherence`` of the rest say, or that fewer than ``min_respondents`` people make
    up, names no issue (how uncoded units become "other recurring concerns")."""
    labels = labels.copy()
    for c, terms in enumerate(top_terms):
        members = np.flatnonzero(labels == c)
        if not terms or not len(members):
            labels[members] = -1
            continue
        strays = [j for j in members if not set(terms[:held_by]) & set(tokens[j])]
        labels[strays] = -1
        members = np.flatnonzero(labels == c)
        if not len(members):
            continue
        share = np.mean([terms[0] in tokens[j] for j in members])
        if share < coherence or len({people[j] for j in members}) < min_respondents:
            labels[members] = -1
    return labels
