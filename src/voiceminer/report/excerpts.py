"""Cutting a quote out of an answer: the sentences about its concern, without a post's framing.

An issue list quotes people. A long answer or a forum post holds more than the concern it is
quoted under, and posts open and close with words for other readers (家人们，… 求支招). Both are
cut, and every cut is marked with …, so that a reader knows the quote is not the whole answer.
The same sentence posted with two different openings is then one quote, not two.
"""

from __future__ import annotations

import re

from ..framing import SENTENCE as _SENTENCE
from ..framing import without_framing
from ..normalize import clean_text

MAX_QUOTE_CHARS = 200
WHOLE_QUOTE_CHARS = 30  # after framing is cut, answers up to this long are quoted whole

def sentences(text: str) -> list[str]:
    """``text``'s sentences, each with its closing marks (emoji count as one)."""
    return _SENTENCE.findall(text)


def excerpt(text: str, terms: tuple[str, ...], *, limit: int = 90,
            anchors: tuple[str, ...] = ()) -> str:
    """The sentences of ``text`` that carry the concern's terms, marked with … where cut.

    Framing is cut first (``without_framing``). A short answer is then quoted whole. In a longer
    one (a post, an interview turn) the sentences around the concern that carry none of its terms
    are left out, even when the whole would fit: a post quoted whole under every concern it
    touched made the reader find the concern inside it. When no sentence carries a term, the
    text is quoted from its start up to ``limit``.

    ``anchors``: the words that coded the answer into the concern's theme. When a sentence says
    one, the quote is centred on such a sentence: a post about a union's 送清凉 visit and,
    later, a kind 驿站老板 was quoted under 工会活动 by its 挺好 about the station owner.
    """
    lo, hi = without_framing(text)
    quote = _cut(text[lo:hi].strip(), terms, limit, hi < len(text), anchors)
    return quote if lo == 0 or quote.startswith("…") else "…" + quote


def _cut(text: str, terms: tuple[str, ...], limit: int, cut_after: bool,
         anchors: tuple[str, ...] = ()) -> str:
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
    anchored = [k for k, s in enumerate(simple) if any(a in s for a in anchors)]
    best = max(anchored or range(len(sentences)), key=lambda k: (scores[k], -k))
    focus = carried[best] or bool(anchored)  # the sentence is about the concern
    first = last = best
    if focus:  # the neighbours that carry terms too, while the quote stays short
        while first > 0 and carried[first - 1] and \
                sentences[last][1] - sentences[first - 1][0] <= limit:
            first -= 1
        while last + 1 < len(sentences) and carried[last + 1] and \
                sentences[last + 1][1] - sentences[first][0] <= limit:
            last += 1
    if not focus or sentences[last][1] - sentences[first][0] < 8:
        # nothing to go by, or too little to read alone: the following sentences as context
        while last + 1 < len(sentences) and sentences[last + 1][1] - sentences[first][0] <= limit:
            last += 1
            if focus:
                break
    a, b = sentences[first][0], sentences[last][1]
    quote = text[a:b].strip()
    if len(quote) > MAX_QUOTE_CHARS:
        quote = quote[:MAX_QUOTE_CHARS]
        b = len(text) + 1
    return ("…" if a > 0 else "") + quote + ("…" if b < len(text) or cut_after else "")


def concern_words(terms: tuple[str, ...], named: re.Pattern[str] | None, clean: str
                  ) -> tuple[str, ...]:
    """The words that say what an answer has to do with a concern: the concern's top terms,
    then the catalogue's words for it (``named``) that this answer says. A quote is cut around
    them, and approval is read in their sentences: a province's two answers about 睡不好 were
    quoted whole, three topics long, when the national top terms were 吃饭不准时 and 饿着肚子."""
    if named is None:
        return terms
    return (*terms, *(w for w in dict.fromkeys(named.findall(clean)) if w not in terms))
