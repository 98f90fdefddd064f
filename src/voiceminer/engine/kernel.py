"""The unit of distributable work: segment and code one batch of texts.

The same function runs in-process, in a local process pool and on Dask workers, so every engine
gives the same results by construction. A worker builds its segmenter and coder once per spec and
keeps them (building takes seconds; a batch takes less).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import Codebook
from ..concern_tokens import sentence_cuts, sentence_marks

_BUILT: dict[str, tuple] = {}  # spec.key -> (segmenter, coder), per process

# The version of what ``coded_text`` makes of a text, for the cache's key: raise it with any
# change to coding or to the content tokens that gives other results for the same text and
# settings (2: a post's framing is neither coded nor counted; 3: a list of what might happen is
# not coded; 4: a hotline number inside a phone or plate number is not one; 5: a theme's matches
# are dropped where it is only the setting of another's term, Theme.setting_for).
RULES = 5


@dataclass(frozen=True)
class WorkSpec:
    """Everything a worker needs to rebuild the segmenter and coder of an analysis."""

    codebook: Codebook
    userdicts: tuple[Path, ...] = ()
    stopwords: tuple[Path, ...] = ()
    hmm: bool = True
    backend: str = "auto"
    key: str = field(default="", compare=False)  # segmenter, stopwords, codebook: the memo key


def adopt(spec: WorkSpec, segmenter, coder) -> None:
    """Register an already built segmenter/coder (forked workers inherit it for free)."""
    _BUILT[spec.key] = (segmenter, coder)


def built(spec: WorkSpec) -> tuple:
    if spec.key not in _BUILT:
        from ..coding import ThemeCoder
        from ..segment import Segmenter

        seg = Segmenter(spec.userdicts, spec.stopwords, spec.codebook.all_terms(), hmm=spec.hmm,
                        backend=spec.backend)
        _BUILT.clear()
        adopt(spec, seg, ThemeCoder(spec.codebook, seg))
    return _BUILT[spec.key]


Coded = tuple[list[str] | None, list[str], list[str], list[str], list[tuple[str, int, int]],
              tuple[int, ...] | None]


def coded_text(seg, coder, text: str, words: list[str]) -> tuple:
    """(content tokens, themes, evidence, spans, sentence cuts or None) of one segmented text.

    The cuts (``concern_tokens.sentence_cuts``) are worked out only for a coded text with a
    sentence mark: the concern stage slices only those by sentence."""
    themes, evidence, spans = coder.code(text) if text else ([], [], [])
    marks = sentence_marks(text) if spans else ()
    content, starts = seg.unit_content(text, words, with_starts=bool(marks))
    return content, themes, evidence, spans, (sentence_cuts(marks, starts) if marks else None)


def code_batch(spec: WorkSpec, texts: list[str], known: list[list[str] | None],
               keep_words: bool = True) -> list[Coded]:
    """Per text: (words if newly segmented and ``keep_words`` else None, content tokens, themes,
    evidence, spans, sentence cuts or None).

    ``known`` holds cached words (or None) per text; ``texts`` already coded are not sent here.
    The content tokens are picked here, on the workers, rather than by the caller; words travel
    back only when a cache will store them. A text without any codebook term codes to nothing,
    which the coder finds out as cheaply as a substring search would.
    """
    seg, coder = built(spec)
    out: list[Coded] = []
    try:
        for text, words in zip(texts, known):
            new = None
            if words is None:
                words = seg.words(text)
                if keep_words:
                    new = words
            else:
                seg.remember([text], [words])
            out.append((new, *coded_text(seg, coder, text, words)))
    finally:
        seg.forget()
    return out


def segment_batch(spec: WorkSpec, texts: list[str]) -> list[list[str]]:
    """Words of each text (for coded-but-not-segmented cache states)."""
    seg, _coder = built(spec)
    try:
        return [seg.words(t) for t in texts]
    finally:
        seg.forget()
