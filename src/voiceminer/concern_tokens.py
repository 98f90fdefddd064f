"""What a unit says about one theme: the content tokens of the sentences where it was found.

A long answer touching four themes is clustered in each by what it says about that theme, so
``ConcernFinder`` wants, per (unit, theme), the tokens of the sentences around the theme's
evidence spans: by definition, those sentences, less a post's framing (``framing.py``), joined
with "。" and segmented again. Each text's
sentence marks are found once and a span's sentences by binary search (``coding.sentence_bounds``
searched the text once per mark, for every span).

Segmenting again is not needed when the coding step left the text's ``sentence_cuts`` with the
segmenter: how many content tokens start before each mark. No token holds a sentence mark, and
jieba and jieba-rs cut the runs of Chinese, letters and digits between such characters each on
its own, so a sentence's tokens are the same cut alone or inside its text; slicing the unit's
tokens at the cuts gives what segmenting again gives (tested on the demo). On a 45,000-unit
study preparing the themes' tokens took 4.5 s under cProfile, and 0.5 s this way.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from .codebook import OTHER_THEME
from .coding import _SENTENCE_MARKS
from .framing import without_framing
from .segment import Segmenter

_MARKS = re.compile(f"[{re.escape(_SENTENCE_MARKS)}]")


def sentence_marks(text: str) -> list[int]:
    """Offsets of the sentence marks in ``text``, in order."""
    return [m.start() for m in _MARKS.finditer(text)]


def sentence_bounds(text: str, marks: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """``coding.sentence_bounds(text, start, end)`` given ``text``'s ``sentence_marks``: just
    after the last mark before ``start``, and just after the first mark at or after ``end``."""
    first, last = bisect_left(marks, start), bisect_left(marks, end)
    return (marks[first - 1] + 1 if first else 0), (marks[last] + 1 if last < len(marks)
                                                    else len(text))


def sentence_cuts(marks: Sequence[int], content_starts: Sequence[int]) -> tuple[int, ...]:
    """For each sentence mark (``sentence_marks``), how many content tokens start before it,
    given the content tokens' character offsets (``Segmenter.content_with_starts``)."""
    return tuple(bisect_left(content_starts, m) for m in marks)


class ThemeTokens:
    """``theme_tokens(i, theme)``: the content tokens of unit ``i``'s sentences where ``theme``
    was found; all its tokens when that is every sentence, for uncoded units (``OTHER_THEME``)
    and without a ``segmenter``.

    ``cols`` holds the units' ``tokens``, ``clean`` and ``spans`` as lists. Not thread-safe: the
    segmenter's memo is not."""

    def __init__(self, cols: dict[str, list], segmenter: Segmenter | None) -> None:
        self.cols = cols
        self.segmenter = segmenter

    def __call__(self, i: int, theme: str) -> list[str]:
        tokens = self.cols["tokens"][i]
        if self.segmenter is None or theme == OTHER_THEME:
            return tokens
        clean = self.cols["clean"][i]
        marks = sentence_marks(clean)
        bounds = sorted({sentence_bounds(clean, marks, a, b) for t, a, b in self.cols["spans"][i]
                         if t == theme})
        if not bounds or (len(bounds) == 1 and bounds[0] == (0, len(clean))):
            return tokens
        cuts = self.segmenter.cuts_of(clean)
        if cuts is None:  # the sentences without a post's framing, as the unit's tokens are
            lo, hi = without_framing(clean)
            local = self.segmenter.tokens("。".join(clean[max(a, lo):min(b, hi)]
                                                    for a, b in bounds))
        else:  # a sentence runs from just after a mark to just after the next one
            n = len(tokens)
            local = [w for a, b in bounds for w in tokens[
                cuts[bisect_left(marks, a - 1)] if a else 0:
                n if b == len(clean) else cuts[bisect_left(marks, b - 1)]]]
        return local or tokens
