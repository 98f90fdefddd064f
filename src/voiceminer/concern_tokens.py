"""What a unit says about one theme: the content tokens of the sentences where it was found.

A long answer touching four themes is clustered in each by what it says about that theme, so
``ConcernFinder`` wants, per (unit, theme), the tokens of the sentences around the theme's
evidence spans, segmented again after joining them with "。". Each text's sentence marks are
found once and a span's sentences by binary search (``coding.sentence_bounds`` searched the text
once per mark, for every span).

Cutting the sentences again is cheaper than finding the unit's own tokens in them: on a
45,000-unit study jieba-rs cuts 1.6 million characters in 0.15 s, while placing tokens in
their texts from both ends, so that each token's sentence is certain, took longer.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from .codebook import OTHER_THEME
from .coding import _SENTENCE_MARKS
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
        local = self.segmenter.tokens("。".join(clean[a:b] for a, b in bounds))
        return local or tokens
