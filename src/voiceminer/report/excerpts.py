"""Cutting a quote out of an answer: the sentences about its concern, without a post's framing.

An issue list quotes people. A long answer or a forum post holds more than the concern it is
quoted under, and posts open and close with words for other readers (家人们，… 求支招). Both are
cut, and every cut is marked with …, so that a reader knows the quote is not the whole answer.
The same sentence posted with two different openings is then one quote, not two.
"""

from __future__ import annotations

import re

from ..normalize import clean_text

MAX_QUOTE_CHARS = 200
WHOLE_QUOTE_CHARS = 30  # after framing is cut, answers up to this long are quoted whole

# Clauses that address the forum or stall for time rather than say anything (this team's list,
# from how posts and transcripts open and close); cut at either end of a quote.
OPENERS = frozenset("""嗯 嗯嗯 额 呃 咋说呢 怎么说呢 这么说吧 家人们 兄弟们 姐妹们 老铁们 各位 大家好 说个事
    说一下 问一下 问一下大家 请问大家 求助 记录一下 记录一下今天 刚收工 吐槽一下 唉 哎 上来说两句
    有没有懂的老哥""".split())
CLOSERS = frozenset("""求支招 大家怎么看 有同样遭遇的吗 说多了都是泪 就这样吧 睡了 唉 哎 你们呢 大家呢 谁懂啊
    求解答 在线等 有没有人知道 求指点 就这样""".split())

# a forum post often ends a sentence with emoji instead of a mark (挺贴心👍双十一还没到)
_EMOJI = "\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\uFE0F\u200D"
_SENTENCE = re.compile(f"[^。！？!?；;\n{_EMOJI}]+[。！？!?；;{_EMOJI}]*")
_CLAUSE = re.compile(f"[^，,。！？!?；;：:…~～\\s{_EMOJI}]+")
_CLOSING = re.compile(f"[。！？!?；;…~～{_EMOJI}]*")


def without_framing(text: str) -> tuple[int, int]:
    """Where ``text`` is left once opening and closing framing is cut: (start, end).

    Clauses in ``OPENERS`` at the start and ``CLOSERS`` at the end go, and so does a whole first
    sentence that ends in an opener (大半夜睡不着，上来说两句。): it says why the post was
    written, not what about. Nothing is cut when fewer than four characters would be left."""
    clauses = [(m.start(), m.end(), m.group()) for m in _CLAUSE.finditer(text)]
    lo, hi = 0, len(clauses)
    while lo < hi and clauses[lo][2] in OPENERS:
        lo += 1
    first = _SENTENCE.match(text)
    if first is not None:
        inside = [k for k, (a, b, _) in enumerate(clauses) if b <= first.end()]
        if inside and clauses[inside[-1]][2] in OPENERS and len(inside) < len(clauses):
            lo = max(lo, inside[-1] + 1)
    while hi > lo and clauses[hi - 1][2] in CLOSERS:
        hi -= 1
    if lo >= hi:
        return 0, len(text)
    start = clauses[lo][0] if lo else 0
    end = _end_of(text, clauses[hi - 1][1]) if hi < len(clauses) else len(text)
    if sum(len(c) for _, _, c in clauses[lo:hi]) < 4:
        return 0, len(text)
    return start, end


def _end_of(text: str, stop: int) -> int:
    """``stop`` moved past the marks that close its clause (。！？ and emoji)."""
    return _CLOSING.match(text, stop).end()


def sentences(text: str) -> list[str]:
    """``text``'s sentences, each with its closing marks (emoji count as one)."""
    return _SENTENCE.findall(text)


def excerpt(text: str, terms: tuple[str, ...], *, limit: int = 90) -> str:
    """The sentences of ``text`` that carry the concern's terms, marked with … where cut.

    Framing is cut first (``without_framing``). A short answer is then quoted whole. In a longer
    one (a post, an interview turn) the sentences around the concern that carry none of its terms
    are left out, even when the whole would fit: a post quoted whole under every concern it
    touched made the reader find the concern inside it. When no sentence carries a term, the
    text is quoted from its start up to ``limit``.
    """
    lo, hi = without_framing(text)
    quote = _cut(text[lo:hi].strip(), terms, limit, hi < len(text))
    return quote if lo == 0 or quote.startswith("…") else "…" + quote


def _cut(text: str, terms: tuple[str, ...], limit: int, cut_after: bool) -> str:
    """``text`` (already without framing) cut to its sentences about ``terms``; ``cut_after``:
    framing was cut after it, so it ends in … whatever is kept."""
    tail = "…" if cut_after else ""
    if len(text) <= WHOLE_QUOTE_CHARS:
        return text + tail
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    if not sentences:
        return text[:MAX_QUOTE_CHARS] + "…" if len(text) > limit else text + tail
    simple = [clean_text(text[a:b]) for a, b in sentences]
    scores = [sum(1.0 / (r + 1) for r, t in enumerate(terms) if t in s) for s in simple]
    carried = [score > 0 for score in scores]
    if len(text) <= limit and (all(carried) or not any(carried)):
        return text + tail
    best = max(range(len(sentences)), key=lambda k: (scores[k], -k))
    first = last = best
    if carried[best]:  # the neighbours that carry terms too, while the quote stays short
        while first > 0 and carried[first - 1] and \
                sentences[last][1] - sentences[first - 1][0] <= limit:
            first -= 1
        while last + 1 < len(sentences) and carried[last + 1] and \
                sentences[last + 1][1] - sentences[first][0] <= limit:
            last += 1
    if not carried[best] or sentences[last][1] - sentences[first][0] < 8:
        # nothing to go by, or too little to read alone: the following sentences as context
        while last + 1 < len(sentences) and sentences[last + 1][1] - sentences[first][0] <= limit:
            last += 1
            if carried[best]:
                break
    a, b = sentences[first][0], sentences[last][1]
    quote = text[a:b].strip()
    if len(quote) > MAX_QUOTE_CHARS:
        quote = quote[:MAX_QUOTE_CHARS]
        b = len(text) + 1
    return ("…" if a > 0 else "") + quote + ("…" if b < len(text) or cut_after else "")
