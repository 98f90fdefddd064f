"""The unit of distributable work: segment and code one batch of texts.

The same function runs in-process, in a local process pool and on Dask workers, so every engine
gives the same results by construction. A worker builds its segmenter and coder once per spec and
keeps them (building takes seconds; a batch takes less).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import Codebook

_BUILT: dict[str, tuple] = {}  # spec.key -> (segmenter, coder, prefilter), per process


@dataclass(frozen=True)
class WorkSpec:
    """Everything a worker needs to rebuild the segmenter and coder of an analysis."""

    codebook: Codebook
    userdicts: tuple[Path, ...] = ()
    stopwords: tuple[Path, ...] = ()
    hmm: bool = True
    backend: str = "auto"
    key: str = field(default="", compare=False)  # fingerprint + codebook hash: the memo key


def adopt(spec: WorkSpec, segmenter, coder) -> None:
    """Register an already built segmenter/coder (forked workers inherit it for free)."""
    _BUILT[spec.key] = (segmenter, coder, term_filter(spec.codebook))


def built(spec: WorkSpec) -> tuple:
    if spec.key not in _BUILT:
        from ..coding import ThemeCoder
        from ..segment import Segmenter

        seg = Segmenter(spec.userdicts, spec.stopwords, spec.codebook.all_terms(), hmm=spec.hmm,
                        backend=spec.backend)
        _BUILT.clear()
        adopt(spec, seg, ThemeCoder(spec.codebook, seg))
    return _BUILT[spec.key]


def term_filter(codebook: Codebook) -> re.Pattern[str] | None:
    """Any codebook term as a substring. Every match the coder can make is a term occurring in
    the text, so a text without one codes to nothing and skips the spaCy matchers."""
    terms = sorted({t for th in codebook.themes for t in th.terms if t}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, terms))) if terms else None


def code_batch(spec: WorkSpec, texts: list[str], known: list[list[str] | None]
               ) -> list[tuple[list[str] | None, list[str], list[str], list[tuple[str, int, int]]]]:
    """Per text: (words if newly segmented else None, themes, evidence, spans).

    ``known`` holds cached words (or None) per text; ``texts`` already coded are not sent here.
    """
    seg, coder, prefilter = built(spec)
    out = []
    try:
        for text, words in zip(texts, known):
            new = None
            if words is None:
                new = words = seg.words(text)
            else:
                seg.remember([text], [words])
            if not text or (prefilter is not None and not prefilter.search(text)):
                out.append((new, [], [], []))
            else:
                themes, evidence, spans = coder.code(text)
                out.append((new, themes, evidence, spans))
    finally:
        seg.forget()
    return out


def segment_batch(spec: WorkSpec, texts: list[str]) -> list[list[str]]:
    """Words of each text (for coded-but-not-segmented cache states)."""
    seg, _coder, _ = built(spec)
    try:
        return [seg.words(t) for t in texts]
    finally:
        seg.forget()
