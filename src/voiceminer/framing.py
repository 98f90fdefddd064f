"""A post's framing: the words at either end that address the forum or stall for time.

Posts open and close with words for other readers (家人们，… 求支招；大半夜睡不着，上来说两句). They
say why a post was written, not what it is about, so they are neither coded nor counted (a
sleepless night is not a complaint about hours), and quotes leave them out. The text itself is
kept whole: two people who post the same sentence with different openings are still two posts.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Clauses that address the forum or stall for time rather than say anything (this team's list,
# from how posts and transcripts open and close); cut at either end of a quote.
OPENERS = frozenset("""嗯 嗯嗯 额 呃 咋说呢 怎么说呢 这么说吧 家人们 兄弟们 姐妹们 老铁们 各位 大家好 说个事
    说一下 问一下 问一下大家 请问大家 求助 记录一下 记录一下今天 刚收工 吐槽一下 唉 哎 上来说两句
    有没有懂的老哥""".split())
# Of those, the ones that say a first sentence was only why the post was written, so that the
# whole sentence goes (大半夜睡不着，上来说两句。). Not 求助 or 吐槽一下: what comes before them
# in a sentence is the problem itself (工资拖了三个月，求助！).
WHY_POSTING = frozenset("上来说两句 来说两句 上来说说 随便说两句".split())
CLOSERS = frozenset("""求支招 大家怎么看 有同样遭遇的吗 说多了都是泪 就这样吧 睡了 唉 哎 你们呢 大家呢 谁懂啊
    求解答 在线等 有没有人知道 求指点 就这样""".split())

# a forum post often ends a sentence with emoji instead of a mark (挺贴心👍双十一还没到)
_EMOJI = "\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\uFE0F\u200D"
SENTENCE = re.compile(f"[^。！？!?；;\n{_EMOJI}]+[。！？!?；;{_EMOJI}]*")
CLAUSE = re.compile(f"[^，,。！？!?；;：:…~～\\s{_EMOJI}]+")
_CLOSING = re.compile(f"[。！？!?；;…~～{_EMOJI}]*")
_ANY_OPENER = re.compile("|".join(map(re.escape, sorted(OPENERS | WHY_POSTING, key=len,
                                                       reverse=True))))
_ANY_CLOSER = re.compile("|".join(map(re.escape, sorted(CLOSERS, key=len, reverse=True))))
_TAIL = 24  # a closing clause lies within this many characters of the end (with its marks)


@lru_cache(maxsize=1)  # coding asks for a text's span, then the kernel again for its tokens
def without_framing(text: str) -> tuple[int, int]:
    """Where ``text`` is left once opening and closing framing is cut: (start, end).

    Clauses in ``OPENERS`` at the start and ``CLOSERS`` at the end go, and so does a whole first
    sentence that ends in one of ``WHY_POSTING`` (大半夜睡不着，上来说两句。): it says why the
    post was written, not what about. Nothing is cut when fewer than four characters would be
    left. Most texts have no framing; they are told apart by a substring search or two before
    any clause is listed."""
    first = SENTENCE.match(text)
    head = first.end() if first is not None else len(text)
    if _ANY_OPENER.search(text, 0, head) is None and \
            _ANY_CLOSER.search(text, max(0, len(text) - _TAIL)) is None:
        return 0, len(text)
    clauses = [(m.start(), m.end(), m.group()) for m in CLAUSE.finditer(text)]
    lo, hi = 0, len(clauses)
    while lo < hi and clauses[lo][2] in OPENERS:
        lo += 1
    if first is not None:
        inside = [k for k, (a, b, _) in enumerate(clauses) if b <= first.end()]
        if inside and clauses[inside[-1]][2] in WHY_POSTING and len(inside) < len(clauses):
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


def unframed(tokens: list[str], starts: list[int], lo: int, hi: int
             ) -> tuple[list[str], list[int]]:
    """The tokens (and their character offsets) that start inside ``text[lo:hi]``, the span
    ``without_framing`` leaves."""
    kept = [k for k, s in enumerate(starts) if lo <= s < hi]
    return [tokens[k] for k in kept], [starts[k] for k in kept]
