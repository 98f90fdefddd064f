"""Picking an issue list's quotes: a concern's own words, each from another person.

Split from ``build.py``, which assembles the lists; this module decides which units of a concern
are quoted, how much of each (``excerpts.excerpt``), and what the list has quoted already.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..normalize import clean_text
from ..origins import quoted_lines
from ..schema import evidence_terms
from .excerpts import concern_words, excerpt
from .model import Quote

if TYPE_CHECKING:
    from .build import _Members, _Row


@dataclass
class Quoted:
    """What an issue list has quoted so far: the units, and the words (one answer given by 24
    people had led the quotes of four concerns, a different person each time)."""

    units: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)


# How many units a concern's quote search looks at beyond those it takes, skipping words the list
# quoted already, before it falls back to them: a concern of 100,000 identical answers is not
# read through.
_QUOTE_SCAN = 200


def pick_quotes(members: _Members, terms: tuple[str, ...], n: int,
                do_redact: Callable[[str], str] | None, used: Quoted | None = None,
                named: re.Pattern[str] | None = None, praised: Collection[str] = frozenset(),
                praise_first: bool = False, concern_id: str | None = None,
                theme: str | None = None, lead: Collection[str] = ()) -> tuple[Quote, ...]:
    """Quotes that say the concern in its own words, each from a different respondent.

    A unit that says one of the catalogue's words for a known concern (``named``) comes first:
    a concern also holds units that were only nearest to it (这个城市不属于我，只是来这里挣钱的
    under 收入低), and those do not show a reader what the concern is. Then a unit scores by the
    concern's top terms it contains (earlier terms weigh more), with a preference for quotes
    long enough to say something and short enough to read. A longer answer is cut to the
    sentences about the concern (``excerpt``), and the same words from two people are quoted
    once.
    ``used``: units and words already quoted elsewhere in the same issue list: a unit quoted
    already is taken only when no other unit is left (a long answer touching four concerns was
    quoted under all four), and words quoted already after the others, or, in a forum post,
    only when the line has no other quote; the quotes picked here are added to it.
    ``praised``: the ids of the units that approve of the concern (``approval.approves``),
    after the others, or before them with ``praise_first``, as most of the concern's people do
    or do not approve: a thank-you for the 司机之家 was quoted as the problem, and a line of nine
    people thanking the union opened with its one complaint.
    ``concern_id``: a unit whose main concern (listed first) it is scores higher than one that
    raised it beside another: 工作时间过长 opened with 机场蓄车池排了三个小时, an airport queue.
    ``theme``: the concern's theme, whose evidence words in an answer anchor its excerpt
    (``excerpts.excerpt``). A unit that answers a question asking people to introduce themselves
    (``introducing``, ``prompting.background_answers``) says who speaks, and is quoted after the
    others (我跑众包，想跑就跑…也没人管你 had been the quote of 维权难、求助无门).
    ``lead``: the groups the line names as raising it most (``raised_by.lead_groups``); when no
    quote picked is from one of them, the best one that is takes the last place: the national
    成本自担 line said 货车司机中比例最高 above three ride-hailing drivers' rent.
    """
    if members.empty or n <= 0:
        return ()
    weights = {t: 1.0 / (r + 1) for r, t in enumerate(terms)}

    def score(row) -> float:
        toks = set(row.tokens)
        length = len(row.clean)
        fit = sum(w for t, w in weights.items() if t in toks)
        if named is not None:  # found as the concern stage finds them, in the tokens joined
            fit += 2.0 * (named.search("".join(row.tokens)) is not None)
        if concern_id is not None and row.concerns is not None and len(row.concerns) \
                and row.concerns[0] == concern_id:
            fit += 1.0
        return fit + (0.5 if 10 <= length <= 120 else 0.0) - (0.5 if length < 6 else 0.0)

    rows = members.rows()
    used = Quoted() if used is None else used
    ranked = sorted(rows, key=lambda r: (
        str(r.unit_id) in used.units,
        (str(r.unit_id) in praised) != praise_first,
        bool(r.introducing), -score(r), r.unit_id))
    chosen: list[tuple[_Row, str, str]] = []  # (unit, quote, its gist)
    later: list[tuple[_Row, str, str]] = []  # words quoted under an earlier concern of the list
    people: set[str] = set()
    said: set[str] = set()
    aside: list[tuple[_Row, str, str]] = []  # what is quoted names none of the concern's words
    lead_pick: tuple[_Row, str, str] | None = None  # see ``lead``
    for seen, row in enumerate(ranked):
        full = len(chosen) == n
        if full and (lead_pick is not None or not lead
                     or any(r.group in lead for r, _, _ in chosen)):
            break
        if seen - len(chosen) > _QUOTE_SCAN:
            break
        if row.respondent_id in people or full and (
                row.group not in lead or str(row.unit_id) in used.units or row.introducing
                or (str(row.unit_id) in praised) != praise_first):
            continue
        anchors = tuple(evidence_terms(row.evidence, theme)) if theme is not None else ()
        text = excerpt(str(row.text).strip(), concern_words(terms, named, str(row.clean)),
                       anchors=anchors)
        quoted = clean_text(text)
        gist = _GIST.sub("", quoted)  # what is quoted: two posts may share a sentence
        if _repeats(gist, said):
            continue
        if full:  # the quotes are picked; looking only for one from a group the line names
            if gist not in used.words and _names(quoted, terms, named):
                lead_pick = (row, text, gist)
            continue
        people.add(row.respondent_id)
        said.add(gist)
        if not _names(quoted, terms, named):  # its words were in the framing cut, say
            aside.append((row, text, gist))
        else:
            (later if gist in used.words else chosen).append((row, text, gist))
    # a post's words the list quoted already are quoted again only where the line would have no
    # quote without them: the same sentence posted by several accounts is one voice copied (the
    # national list had printed 辞职了最后一个月工资一直拖着不给 under three lines, from three
    # accounts); the same short answer written by two respondents is two voices, quoted last
    def copied(pick: tuple[_Row, str, str]) -> bool:  # a unit quoted again is not a copy
        return pick[0].source == "forum" and str(pick[0].unit_id) not in used.units

    reposts = [x for x in later if copied(x)]
    spoken = [x for x in later if not copied(x)]
    taken = [*chosen, *spoken, *aside][:n] or reposts[:1]
    if lead_pick is not None and not any(row.group in lead for row, _, _ in taken):
        taken[-1] = lead_pick
    used.units.update(str(row.unit_id) for row, _, _ in taken)
    used.words.update(gist for _, _, gist in taken)
    return tuple(_quote(row, text, do_redact) for row, text, _ in taken)


def _repeats(gist: str, said: set[str]) -> bool:
    """``gist`` was quoted already, whole or as part of a longer quote (灵活就业社保在哪交 cut
    from one post and quoted whole from another)."""
    return gist in said or (len(gist) >= 6 and any(gist in g or g in gist for g in said
                                                    if len(g) >= 6))


def _names(quoted: str, terms: tuple[str, ...], named: re.Pattern[str] | None) -> bool:
    """Whether a quote says one of the concern's top terms or catalogue words."""
    if any(t in quoted for t in terms):
        return True
    return named is not None and named.search(quoted) is not None


def _quote(row: _Row, text: str, do_redact: Callable[[str], str] | None) -> Quote:
    return Quote(unit_id=str(row.unit_id), text=do_redact(text) if do_redact else text,
                 origin=quoted_lines(str(row.origin), str(row.text).strip(), text),
                 province=str(row.province), group=str(row.group),
                 source=str(row.source), question=_question(row.question, do_redact))


def _question(question: object, do_redact: Callable[[str], str] | None) -> str:
    text = "" if question is None or question != question else str(question)  # NaN: none
    return do_redact(text) if do_redact and text else text


# what two quotes are compared by: their words, without punctuation or a trailing particle
_GIST = re.compile(r"[\W_]+|[吧啊呀呢了哦嘛啦]+(?=[\W_]*$)", re.UNICODE)
