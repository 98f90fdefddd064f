"""Theme coding: codebook rules run over the segmenter's full token list of ``clean``.

The tokens (whitespace and stopwords included) concatenate back to ``clean``, so every match has
character offsets that point into ``clean``; ``ThemeCoder.doc`` turns the same tokens into a
spaCy Doc (``doc.text == clean``) for displacy's span view in a notebook.

Two passes per text: whole terms as token sequences (``TokenPhrases``, what spaCy's
PhraseMatcher does on exact token text), and one regular expression per theme for terms sitting
inside a longer token (jieba may keep "超时罚款" whole, and "罚款" must still count), whose
matches are worked out once per distinct token and remembered. Coding needs no spaCy Doc: building
one per text, and running the regular expressions on every token again, cost more than all the
rest of coding. Matches inside an exclusion phrase, matches followed in the same clause by a
"that is fine" cue (社保还行) or preceded by a denial (从来没被罚款), matches in a post's
framing (大半夜睡不着，上来说两句。: ``framing.py``), and a clause's list of what might happen
(遇到欠薪、罚款、受伤这些事的时候) are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

import pandas as pd

from .codebook import Codebook
from .framing import without_framing
from .schema import analysed_mask, check_units
from .segment import Segmenter

_CLAUSE_MARKS = "，,。．.！!？?；;：:\n"
_SENTENCE_MARKS = "。！!？?；;\n"
_CLAUSE_END = re.compile(f"[{_CLAUSE_MARKS}]")
# A clause that lists problems of two themes or more after one of these cues names what might
# happen, not what did: 遇到欠薪、罚款、受伤这些事的时候，工会能站出来 is a wish about the union,
# not three complaints.
_SUPPOSING = re.compile("遇到|碰到|万一|如果|一旦|要是|假如|出了")
_SENTENCE_END = re.compile(f"[{_SENTENCE_MARKS}]")
_EXCLUDE = "__exclude__"
# what a hotline number (12345, 12333) is not part of: a phone number (13812345678), a plate
# (云A·12345), an amount (112345元)
_NUMBER_PART = re.compile(r"[0-9A-Za-z·.\-]")
_WORD_MEMO_LIMIT = 200_000  # distinct words whose possible matches are remembered


@dataclass(frozen=True)
class Evidence:
    """One matched term: theme, the words, and its character offsets in ``clean``."""

    theme: str
    term: str
    start: int
    end: int


class TokenPhrases:
    """Find patterns (token sequences) in a token list by exact token text: every occurrence of
    every pattern, overlapping ones included — what spaCy's ``PhraseMatcher`` finds on ``ORTH``,
    without building a Doc per text."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}

    def add(self, label: str, patterns: Iterable[Sequence[str]]) -> None:
        """Add token sequences under ``label``; empty sequences never match."""
        for pattern in patterns:
            tokens = tuple(pattern)
            if tokens:
                self._by_first.setdefault(tokens[0], []).append((tokens, label))

    def starting_with(self, word: str) -> list[tuple[tuple[str, ...], str]]:
        """``(tokens, label)`` of the patterns whose first token is ``word``."""
        return self._by_first.get(word, [])

    def __call__(self, words: Sequence[str]) -> list[tuple[str, int, int]]:
        """``(label, start, end)`` token indices of every match, by start then pattern order."""
        return [(label, i, i + len(tokens)) for i, word in enumerate(words)
                for tokens, label in self.starting_with(word)
                if tuple(words[i:i + len(tokens)]) == tokens]


class ThemeCoder:
    """Codes texts against a codebook; built once per analysis, then called per unit."""

    def __init__(self, codebook: Codebook, segmenter: Segmenter) -> None:
        self.codebook = codebook
        self.segmenter = segmenter
        self.phrases = TokenPhrases()
        self._regex: dict[str, re.Pattern[str]] = {}
        # per distinct word: (phrases starting with it, (theme, offset, term) inside it), and
        # the words with either (``_hot``)
        self._word_memo: tuple[dict[str, tuple[list, tuple]], set[str]] = ({}, set())
        self._spacy: tuple | None = None  # (Vocab, Doc class), built for ``doc`` only
        # cue lists as one expression each: "does any cue occur in this stretch" in one call
        self._satisfied = {
            t.id: _any_of(dict.fromkeys((*codebook.satisfied, *t.satisfied)))
            for t in codebook.themes
        }
        self._denied = _any_of(codebook.denied)
        every = (*codebook.themes, *codebook.outside)
        self._satisfied.update({t.id: _any_of(codebook.satisfied) for t in codebook.outside})
        self._ids = codebook.ids
        self._study = frozenset(self._ids)
        self._no_compete = frozenset(t.id for t in every if not t.compete)
        self._context = {t.id: _any_of(t.exclude_context) for t in every if t.exclude_context}
        # theme -> the other themes' terms it is only the setting of (Theme.setting_for)
        self._setting_for = {t.id: frozenset(t.setting_for) for t in every if t.setting_for}
        self._window = max(codebook.window, 0) * 3  # ~3 characters a token in spoken Chinese
        for theme in every:
            self.phrases.add(theme.id, [self._pattern(term) for term in theme.terms])
            if theme.exclude:
                self.phrases.add(theme.id + _EXCLUDE, [self._pattern(p) for p in theme.exclude])
            alternatives = sorted(theme.terms, key=len, reverse=True)
            pattern = "|".join(re.escape(t) for t in alternatives if len(t) >= 2)
            if pattern:
                self._regex[theme.id] = re.compile(pattern)
        # one screen for "holds any of those terms": most words hold none
        self._any_term = _any_of(sorted({t for th in every for t in th.terms if len(t) >= 2}))

    def _pattern(self, text: str) -> list[str]:
        return self.segmenter.words(text) or [text]

    def doc(self, clean: str):
        """The spaCy Doc of ``clean``'s tokens (``doc.text == clean``), for displacy."""
        if self._spacy is None:
            from spacy.tokens import Doc
            from spacy.vocab import Vocab

            self._spacy = (Vocab(), Doc)
        vocab, doc_class = self._spacy
        words = self._pattern(clean) if clean else []
        return doc_class(vocab, words=words, spaces=[False] * len(words))

    def _hot(self, words: list[str]) -> tuple[set[str], dict]:
        """The distinct words of ``words`` that start a phrase or hold a term inside them, and
        the memo that says what each can match.

        What each word can match is worked out once per distinct word and remembered (a study
        has far fewer distinct words than words), so a text is checked with set operations. A
        full memo is replaced rather than emptied, keeping memory bounded; a word enters the
        set of hot words before the memo, so whoever finds it in the memo knows if it is hot."""
        hits, hot = self._word_memo
        distinct = set(words)
        new = distinct.difference(hits)
        if new:
            if len(hits) + len(new) > _WORD_MEMO_LIMIT:
                hits, hot = self._word_memo = ({}, set())
                new = distinct
            for word in new:
                phrases = self.phrases.starting_with(word)
                inside = ()  # every in-token expression needs two characters or more
                if len(word) >= 2 and self._any_term is not None and self._any_term.search(word):
                    inside = tuple((label, m.start(), m.group())
                                   for label, rx in self._regex.items() for m in rx.finditer(word))
                if phrases or inside:
                    hot.add(word)
                hits[word] = (phrases, inside)
        return distinct & hot, hits

    def evidence(self, clean: str) -> list[Evidence]:
        """Every rule match kept after exclusion and context rules, in text order."""
        self._dropped: set[str] = set()
        if not clean:
            return []
        words = self._pattern(clean)
        hot, word_hits = self._hot(words)
        if not hot:
            return []
        starts = list(accumulate(map(len, words), initial=0))  # character offset of each word
        excluded: list[tuple[str, int, int]] = []
        found: dict[tuple[str, int, int], Evidence] = {}
        for i, word in enumerate(words):
            if word not in hot:
                continue
            phrases, inside = word_hits[word]
            for tokens, label in phrases:  # whole terms (and exclusion phrases) as tokens
                end = i + len(tokens)
                if len(tokens) > 1 and tuple(words[i:end]) != tokens:
                    continue
                a, b = starts[i], starts[end]
                if label.endswith(_EXCLUDE):
                    excluded.append((label[: -len(_EXCLUDE)], a, b))
                else:
                    found[(label, a, b)] = Evidence(label, clean[a:b], a, b)
            for label, offset, term in inside:  # terms inside longer tokens (拖欠 in 拖欠款项)
                a = starts[i] + offset
                key = (label, a, a + len(term))
                if key not in found:  # a whole-term match of the same span came first
                    found[key] = Evidence(label, term, a, key[2])
        kept, self._dropped = [], set()
        lo, hi = without_framing(clean)  # a post's opening and sign-off say nothing to code
        supposed = _supposed_lists(clean, found.values(), self._study)
        for ev in found.values():
            if ev.start < lo or ev.end > hi or (ev.start, ev.end) in supposed:
                continue
            if ev.term.isdigit() and _part_of_a_number(clean, ev.start, ev.end):
                continue
            if any(t == ev.theme and a <= ev.start and ev.end <= b for t, a, b in excluded):
                continue
            if self._fine_or_denied(clean, ev):
                self._dropped.add(ev.theme)
            else:
                kept.append(ev)
        if self._setting_for and kept:
            kept = self._without_settings(kept)
        return sorted(kept, key=lambda ev: (ev.start, ev.end, ev.theme))

    def _without_settings(self, evs: list[Evidence]) -> list[Evidence]:
        """``evs`` less the matches of a theme that is only the setting of a term another
        theme matched (``Theme.setting_for``)."""
        setting = {t for t, terms in self._setting_for.items()
                   if any(ev.theme != t and ev.term in terms for ev in evs)}
        return [ev for ev in evs if ev.theme not in setting] if setting else evs

    def suppressed(self, clean: str) -> set[str]:
        """Themes whose terms occur in ``clean`` but were dropped by a context rule (还行,
        从来没, a traffic-police sentence): a learned model must not add them back."""
        self.evidence(clean)
        return set(self._dropped)

    def _fine_or_denied(self, clean: str, ev: Evidence) -> bool:
        context = self._context.get(ev.theme)
        if context is not None:
            a, b = sentence_bounds(clean, ev.start, ev.end)
            if context.search(clean, a, b):
                return True
        satisfied = self._satisfied[ev.theme]
        if satisfied is not None:
            after = _CLAUSE_END.split(clean[ev.end: ev.end + self._window + 1], maxsplit=1)[0]
            if satisfied.search(after):
                return True
        if self._denied is None:
            return False
        before = _CLAUSE_END.split(clean[max(0, ev.start - 6): ev.start])[-1]
        return self._denied.search(before) is not None

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
        clause = clause_finder(clean)
        study_clauses = {clause(ev.start, ev.end) for ev in evs if ev.theme in self._study}
        hits: dict[str, int] = {}
        for ev in evs:
            if ev.theme in self._study or clause(ev.start, ev.end) not in study_clauses:
                hits[ev.theme] = hits.get(ev.theme, 0) + 1
        top = max((n for t, n in hits.items() if t not in self._no_compete), default=0)
        top = top or max(hits.values())
        return [ev for ev in evs if hits.get(ev.theme, 0) >= share * top]

    def code(self, clean: str) -> tuple[list[str], list[str], list[tuple[str, int, int]]]:
        """(themes in codebook order, evidence strings ``theme:term``, spans ``(theme, start, end)``)."""
        evs = [ev for ev in self.salient(clean, self.evidence(clean)) if ev.theme in self._study]
        hit = {ev.theme for ev in evs}
        themes = [t for t in self._ids if t in hit]
        evidence = list(dict.fromkeys(f"{ev.theme}:{ev.term}" for ev in evs))
        spans = [(ev.theme, ev.start, ev.end) for ev in evs]
        return themes, evidence, spans


def _supposed_lists(clean: str, evs: Iterable[Evidence], study: Collection[str]
                    ) -> set[tuple[int, int]]:
    """Spans of the matches in clauses that list study themes' problems after a cue of
    supposition (``_SUPPOSING``): at least three matches of two themes or more, with the cue
    before the first of them in the clause. Most texts have no such cue and cost one search."""
    if _SUPPOSING.search(clean) is None:
        return set()
    clause = clause_finder(clean)
    by_clause: dict[tuple[int, int], list[Evidence]] = {}
    for ev in evs:
        if ev.theme in study:
            by_clause.setdefault(clause(ev.start, ev.end), []).append(ev)
    out: set[tuple[int, int]] = set()
    for (a, _b), members in by_clause.items():
        first = min(ev.start for ev in members)
        if len(members) >= 3 and len({ev.theme for ev in members}) >= 2 and \
                _SUPPOSING.search(clean, a, first) is not None:
            out.update((ev.start, ev.end) for ev in members)
    return out


def _part_of_a_number(clean: str, start: int, end: int) -> bool:
    """Whether the digits ``clean[start:end]`` run on into a longer number or code."""
    return bool(start > 0 and _NUMBER_PART.match(clean[start - 1])
                or end < len(clean) and _NUMBER_PART.match(clean[end]))


def _any_of(cues: Iterable[str]) -> re.Pattern[str] | None:
    """One expression that finds any of ``cues`` as a substring (None when there are none):
    the same answer as ``any(cue in text for cue in cues)``, in one call."""
    cues = list(cues)
    return re.compile("|".join(map(re.escape, cues))) if cues else None


def _after_last(text: str, marks: str, stop: int) -> int:
    """Just after the last of ``marks`` in ``text[:stop]`` (0 when there is none): one reverse
    search per mark, which stops at the nearest, instead of finding every mark from the start."""
    return 1 + max(text.rfind(mark, 0, stop) for mark in marks)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the clause (between ，。；… marks) around ``text[start:end]``."""
    a = _after_last(text, _CLAUSE_MARKS, start)
    m = _CLAUSE_END.search(text, end)
    return a, (m.start() if m else len(text))


def clause_finder(text: str) -> Callable[[int, int], tuple[int, int]]:
    """``clause_bounds`` for many spans of one text: the clause marks are found once, then each
    span's clause is two binary searches (a long text has many matches to place)."""
    marks = [m.start() for m in _CLAUSE_END.finditer(text)]

    def bounds(start: int, end: int) -> tuple[int, int]:
        k = bisect_left(marks, start)  # marks[:k] lie before the span
        j = bisect_left(marks, end)  # marks[j] is the first at or after its end
        return (marks[k - 1] + 1 if k else 0), (marks[j] if j < len(marks) else len(text))

    return bounds


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the sentence(s) around ``text[start:end]``."""
    a = _after_last(text, _SENTENCE_MARKS, start)
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
