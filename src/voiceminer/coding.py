"""Theme coding: codebook rules run over spaCy Docs built from jieba tokens.

Building the Doc from the segmenter's full token list (whitespace and stopwords included, no
spaces between tokens) makes ``doc.text == clean``, so every match is a span whose character
offsets point into ``clean`` and a notebook can draw it with displacy's span view.

Two passes per text: a spaCy PhraseMatcher for terms as whole token sequences, and one regular
expression per theme for terms sitting inside a longer token (jieba may keep "超时罚款" whole, and
"罚款" must still count) — tried on the tokens only when it occurs in the text at all, which is
what keeps coding fast (a spaCy token Matcher ran every theme's expression on every token). Matches inside an exclusion phrase, and matches
followed in the same clause by a "that is fine" cue (社保还行) or preceded by a denial
(从来没被罚款), are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .codebook import Codebook
from .schema import analysed_mask, check_units
from .segment import Segmenter

_CLAUSE_END = re.compile(r"[，,。．.！!？?；;：:\n]")
_SENTENCE_END = re.compile(r"[。！!？?；;\n]")
_EXCLUDE = "__exclude__"


@dataclass(frozen=True)
class Evidence:
    """One matched term: theme, the words, and its character offsets in ``clean``."""

    theme: str
    term: str
    start: int
    end: int


class ThemeCoder:
    """Codes texts against a codebook; built once per analysis, then called per unit."""

    def __init__(self, codebook: Codebook, segmenter: Segmenter) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc
        from spacy.vocab import Vocab

        self.codebook = codebook
        self.segmenter = segmenter
        self.vocab = Vocab()
        self._Doc = Doc
        self.phrases = PhraseMatcher(self.vocab)
        self._regex: dict[str, re.Pattern[str]] = {}
        self._satisfied = {
            t.id: tuple(dict.fromkeys((*codebook.satisfied, *t.satisfied))) for t in codebook.themes
        }
        self._denied = codebook.denied
        every = (*codebook.themes, *codebook.outside)
        self._satisfied.update({t.id: codebook.satisfied for t in codebook.outside})
        self._study = frozenset(codebook.ids)
        self._no_compete = frozenset(t.id for t in every if not t.compete)
        self._context = {t.id: t.exclude_context for t in every if t.exclude_context}
        for theme in every:
            self.phrases.add(theme.id, [self._doc(term) for term in theme.terms])
            if theme.exclude:
                self.phrases.add(theme.id + _EXCLUDE, [self._doc(p) for p in theme.exclude])
            alternatives = sorted(theme.terms, key=len, reverse=True)
            pattern = "|".join(re.escape(t) for t in alternatives if len(t) >= 2)
            if pattern:
                self._regex[theme.id] = re.compile(pattern)

    def _doc(self, text: str):
        words = self.segmenter.words(text) or [text]
        return self._Doc(self.vocab, words=words, spaces=[False] * len(words))

    def doc(self, clean: str):
        """The spaCy Doc the rules run on (``doc.text == clean``)."""
        return self._doc(clean) if clean else self._Doc(self.vocab, words=[])

    def evidence(self, clean: str) -> list[Evidence]:
        """Every rule match kept after exclusion and context rules, in text order."""
        self._dropped: set[str] = set()
        if not clean:
            return []
        doc = self.doc(clean)
        strings = self.vocab.strings
        excluded: list[tuple[str, int, int]] = []
        found: dict[tuple[str, int, int], Evidence] = {}
        for match_id, s, e in self.phrases(doc):
            label = strings[match_id]
            span = doc[s:e]
            if label.endswith(_EXCLUDE):
                excluded.append((label[: -len(_EXCLUDE)], span.start_char, span.end_char))
            else:
                found[(label, span.start_char, span.end_char)] = Evidence(
                    label, span.text, span.start_char, span.end_char)
        # Terms inside longer tokens (拖欠 in 拖欠款项): a theme whose pattern occurs nowhere in
        # the text cannot occur inside one of its tokens, so most themes skip the token loop.
        for label, rx in self._regex.items():
            if rx.search(clean) is None:
                continue
            for token in doc:
                for m in rx.finditer(token.text):
                    start = token.idx + m.start()
                    key = (label, start, start + len(m.group()))
                    found.setdefault(key, Evidence(label, m.group(), *key[1:]))
        kept, self._dropped = [], set()
        for ev in found.values():
            if any(t == ev.theme and a <= ev.start and ev.end <= b for t, a, b in excluded):
                continue
            if self._fine_or_denied(clean, ev):
                self._dropped.add(ev.theme)
            else:
                kept.append(ev)
        return sorted(kept, key=lambda ev: (ev.start, ev.end, ev.theme))

    def suppressed(self, clean: str) -> set[str]:
        """Themes whose terms occur in ``clean`` but were dropped by a context rule (还行,
        从来没, a traffic-police sentence): a learned model must not add them back."""
        self.evidence(clean)
        return set(self._dropped)

    def _fine_or_denied(self, clean: str, ev: Evidence) -> bool:
        if ev.theme in self._context:
            a, b = sentence_bounds(clean, ev.start, ev.end)
            if any(cue in clean[a:b] for cue in self._context[ev.theme]):
                return True
        window = max(self.codebook.window, 0) * 3  # ~3 characters a token in spoken Chinese
        after = _CLAUSE_END.split(clean[ev.end: ev.end + window + 1], maxsplit=1)[0]
        if any(cue in after for cue in self._satisfied[ev.theme]):
            return True
        before = _CLAUSE_END.split(clean[max(0, ev.start - 6): ev.start])[-1]
        return any(cue in before for cue in self._denied)

    def salient(self, clean: str, evs: list[Evidence]) -> list[Evidence]:
        """In a long text, keep only themes matched at least ``salience`` times as often as the
        most-matched one: a letter about pensions that mentions a wage in passing raises
        pensions. Short answers keep every theme they touch."""
        share = self.codebook.salience
        if not evs or share <= 0 or len(clean) < self.codebook.salience_min_chars:
            return evs
        # An out-of-scope word in the same clause as a study term is that concern's setting
        # (在医院看病医保不给报销), not a competing topic: only outside matches in clauses of
        # their own compete.
        study_clauses = {clause_bounds(clean, ev.start, ev.end) for ev in evs
                         if ev.theme in self._study}
        hits: dict[str, int] = {}
        for ev in evs:
            if ev.theme in self._study or clause_bounds(clean, ev.start, ev.end) not in study_clauses:
                hits[ev.theme] = hits.get(ev.theme, 0) + 1
        top = max((n for t, n in hits.items() if t not in self._no_compete), default=0)
        top = top or max(hits.values())
        return [ev for ev in evs if hits.get(ev.theme, 0) >= share * top]

    def code(self, clean: str) -> tuple[list[str], list[str], list[tuple[str, int, int]]]:
        """(themes in codebook order, evidence strings ``theme:term``, spans ``(theme, start, end)``)."""
        evs = [ev for ev in self.salient(clean, self.evidence(clean)) if ev.theme in self._study]
        hit = {ev.theme for ev in evs}
        themes = [t for t in self.codebook.ids if t in hit]
        evidence = list(dict.fromkeys(f"{ev.theme}:{ev.term}" for ev in evs))
        spans = [(ev.theme, ev.start, ev.end) for ev in evs]
        return themes, evidence, spans


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the clause (between ，。；… marks) around ``text[start:end]``."""
    a = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    m = _CLAUSE_END.search(text, end)
    return a, (m.start() if m else len(text))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the sentence(s) around ``text[start:end]``."""
    a = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    m = _SENTENCE_END.search(text, end)
    return a, (m.end() if m else len(text))


def code_themes(
    units: pd.DataFrame, codebook: Codebook | None = None, segmenter: Segmenter | None = None,
    *, coder: ThemeCoder | None = None,
) -> pd.DataFrame:
    """Add ``themes``, ``evidence`` and ``spans`` to every analysed unit (empty lists elsewhere)."""
    check_units(units, "segment")
    if coder is None:
        codebook = codebook or Codebook.default()
        coder = ThemeCoder(codebook, segmenter or Segmenter(extra_terms=codebook.all_terms()))
    ok = analysed_mask(units).to_numpy()
    coded = [coder.code(c) if keep else ([], [], []) for c, keep in zip(units["clean"], ok)]
    out = units.copy()
    out["themes"] = [c[0] for c in coded]
    out["evidence"] = [c[1] for c in coded]
    out["spans"] = [c[2] for c in coded]
    return out


def displacy_spans(coder: ThemeCoder, clean: str):
    """A Doc with ``doc.spans["sc"]`` set, ready for ``displacy.render(doc, style="span")``."""
    from spacy.tokens import Span

    doc = coder.doc(clean)
    spans = []
    for ev in coder.evidence(clean):
        span = doc.char_span(ev.start, ev.end, label=ev.theme, alignment_mode="expand")
        if span is not None:
            spans.append(Span(doc, span.start, span.end, label=ev.theme))
    doc.spans["sc"] = spans
    return doc
