"""Naming concerns: the terms most distinctive of a cluster, and known concerns' labels.

Split from ``concerns.py``, which decides who belongs together; this module decides what the
group is called and which words lead its top terms (quotes are picked by them).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from .concern_catalogue import KnownConcern

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


def said_terms(tokens: list[list[str]], member: np.ndarray, seeds: list[KnownConcern],
                top: int = 3) -> list[str]:
    """The catalogue terms the concern's units say most (at least twice), to lead its top terms:
    quotes are picked by top terms, and these are the words that name the concern."""
    texts = ["".join(tokens[j]) for j in np.flatnonzero(member)]
    terms = dict.fromkeys(t for k in seeds for t in k.terms)
    counts = {t: sum(t in x for x in texts) for t in terms}
    ranked = sorted((t for t in terms if counts[t] >= 2), key=lambda t: (-counts[t], -len(t), t))
    return ranked[:top]


def labelable(term: str) -> bool:
    return len(term) >= 2 and term not in LABEL_STOPWORDS and not _COUNT_WORD.match(term)


def ctfidf_terms(tokens: list[list[str]], labels: np.ndarray, global_idf=None, top: int = 8
                  ) -> list[list[str]]:
    """Per cluster, the terms most distinctive of it against the theme's other clusters.

    Class-based tf-idf, times the term's idf over the whole corpus when ``global_idf`` is given,
    so that words common everywhere (希望, 一年) do not name a concern.
    """
    clusters = sorted(c for c in set(labels.tolist()) if c >= 0)
    counts = {c: Counter() for c in clusters}
    for toks, c in zip(tokens, labels):
        if c >= 0:
            counts[c].update(set(toks))  # document frequency: one talkative unit is one voice
    total = Counter()
    for cnt in counts.values():
        total.update(cnt)
    avg = np.mean([sum(cnt.values()) for cnt in counts.values()]) if counts else 1.0
    out: list[list[str]] = [[] for _ in range(max(clusters, default=-1) + 1)]
    for c in clusters:
        scored = _distinctive(counts[c], total, avg, global_idf)
        scored.sort(key=lambda x: (-x[0], x[1]))
        out[c] = [t for _, t in scored[:top]] or top_terms_single(
            [tok for tok, lab in zip(tokens, labels) if lab == c], top)
    return out


def top_term_against_rest(tokens: list[list[str]], rows: np.ndarray, theme_df: Counter[str],
                           global_idf) -> str | None:
    """The first term ``ctfidf_terms`` would give the units ``rows`` against the rest of the
    theme, from the theme's document frequencies computed once: asked for every candidate new
    concern, the full computation made clustering a large theme quadratic in practice."""
    inside: Counter[str] = Counter()
    for j in rows:
        inside.update(set(tokens[j]))
    sums = [sum(inside.values())]
    if len(rows) < len(tokens):
        sums.insert(0, sum(theme_df.values()) - sums[0])
    scored = _distinctive(inside, theme_df, np.mean(sums), global_idf)
    if scored:
        return min(scored, key=lambda x: (-x[0], x[1]))[1]
    single = top_terms_single([tokens[j] for j in rows], 1)
    return single[0] if single else None


def _distinctive(counts: Counter[str], total: Counter[str], avg: float, global_idf
                 ) -> list[tuple[float, str]]:
    """(class-based tf-idf, term) for a cluster's labelable terms said by at least two units:
    the term's share of the cluster, times log(1 + average cluster size / its frequency in the
    theme), times its corpus idf when given."""
    size = max(sum(counts.values()), 1)
    return [(cnt / size * np.log(1 + avg / total[t]) * (global_idf(t) if global_idf else 1.0), t)
            for t, cnt in counts.items() if cnt >= 2 and labelable(t)]


def top_terms_single(tokens: list[list[str]], top: int = 8) -> list[str]:
    df = Counter(t for toks in tokens for t in set(toks) if labelable(t))
    return [t for t, _ in sorted(df.items(), key=lambda x: (-x[1], x[0]))[:top]]
