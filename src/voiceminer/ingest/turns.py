"""Split interview notes into a header and speaker turns, whatever marker style was used.

Fieldworkers write 问：/答：, Q:/A:, 访谈员：/受访者： or simply the speaker's name (王师傅：).
This module only sees lines (from .txt, .md or .docx alike), so every format gets the same rules;
``markers.py`` says what a line starts with (a speaker label, a header field, a name).
Nothing here cleans the words: a turn's text is the lines as written minus the marker.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from ..origins import line_ranges
from ..schema import INTERVIEWER, RESPONDENT
from .markers import (
    HONORIFICS,
    INLINE_ANSWER,
    LABEL_RE,
    LABELS,
    MD_HEADING,
    NAME_RE,
    looks_like_names,
    name_candidate,
    parse_header_fields,
    strip_markup,
)


@dataclass(frozen=True)
class Line:
    """One line of notes; ``loc`` is where it is ("12" for line/paragraph 12, "表1行3")."""

    loc: str
    text: str
    heading: bool = False  # a Markdown/Word heading: a section title, not somebody speaking


@dataclass
class Header:
    """Metadata from the top of the notes. The respondent's name never reaches the table."""

    respondent: str = ""
    province: str = ""
    group: str = ""
    date: str = ""
    number: str = ""
    interviewers: list[str] = field(default_factory=list)

    def set(self, kind: str, value: str) -> None:
        """Record one field; the first value given for a field wins."""
        value = value.strip().strip("*_ ").strip()
        if not value:
            return
        if kind == "interviewer":
            for name in re.split(r"[、,，/;；\s]+", value):
                if name and name not in self.interviewers:
                    self.interviewers.append(name)
        elif not getattr(self, kind):
            setattr(self, kind, value)


@dataclass
class Turn:
    """One speaker turn; ``loc`` is the location of its first line, ``at`` its index among the
    document's lines (for putting turns and notes back in document order)."""

    speaker: str
    loc: str
    lines: list[str]
    at: int = 0
    name: str = ""  # the name label that started it (王师傅：), if any

    locs: list[str] = field(default_factory=list)  # each line's location, beside ``lines``

    def __post_init__(self) -> None:
        if not self.locs:
            self.locs = [self.loc] * len(self.lines)

    def add(self, ln: Line, text: str) -> None:
        """A further line of the same turn."""
        self.lines.append(text)
        self.locs.append(ln.loc)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()

    @property
    def where(self) -> str:
        """The lines the turn's text is on: "12", "12-15", or "12-13,15" around lines that hold
        none of it. An answer over several lines used to be placed on its first line only, and a
        quote from its third line sent the reader looking a line or two early. Locations that
        are not line numbers (a table cell, 表1行3) give the first one."""
        locs = [loc for loc, line in zip(self.locs, self.lines) if line.strip()] or [self.loc]
        if not all(loc.isdigit() for loc in locs):
            return locs[0]
        return line_ranges(int(loc) for loc in locs)


class _Speakers:
    """Decides which line-start names are speaker labels in one document.

    A lone "比如：" inside an answer must not start a turn, so a bare name counts only when it is
    the interviewer/respondent named in the header, carries an honorific (王师傅), or recurs at
    line starts in the same document (a label used once is more likely prose).
    """

    def __init__(self, probes: list[str], header: Header) -> None:
        self.header = header
        self.counts = Counter(n for n in map(name_candidate, probes) if n)

    def speaker(self, name: str) -> str | None:
        if any(name == i or (len(name) == 1 and i.startswith(name))
               for i in self.header.interviewers):
            return INTERVIEWER
        resp = self.header.respondent
        if resp and (name == resp or name in resp or resp in name):
            return RESPONDENT
        if name.endswith(HONORIFICS) or self.counts[name] >= 2:
            return RESPONDENT
        return None

    def guessed(self, name: str) -> bool:
        """True when ``name`` counts as a speaker only because it recurs at line starts."""
        resp = self.header.respondent
        return not (name in self.header.interviewers or name.endswith(HONORIFICS)
                    or (resp and (name == resp or name in resp or resp in name)))


# Speakers of the lines no turn holds (``Parsed.notes``): section titles, and text before the
# first speaker marker. They are not coded, but the ledger lists them, so no line is lost unseen.
HEADING: Final = "heading"
PREAMBLE: Final = "preamble"


@dataclass
class Parsed:
    """A document's header fields, its speaker turns and the notes no turn holds, each list in
    document order."""

    header: Header
    turns: list[Turn]
    notes: list[Turn]


def parse_turns(lines: list[Line], *, paragraphs_are_lines: bool = False) -> Parsed:
    """Parse a document into its header, its turns and its notes.

    A line without a marker continues the previous turn. Headings that are not questions, and
    text before the first turn that is not a header field (a title, "以下为访谈内容", or a
    summary the fieldworker wrote first), become notes, one per paragraph. Notes with no markers
    at all become one respondent turn per paragraph (blank-line separated, or per line when
    ``paragraphs_are_lines``), because unmarked narrative notes are still the respondent's words.
    A name label used only to ask questions is the interviewer's (``_asking_names``).
    """
    header = Header()
    probes = [strip_markup(ln.text.strip()) for ln in lines]
    speakers = _Speakers(probes, header)  # shares ``header``, so it sees fields as they are read
    # Header fields are read before turns so a name in 访谈员：张三 is known when 张三：appears.
    header_lines = _read_header(lines, probes, header, speakers)
    turns: list[Turn] = []
    notes = _Notes()
    expect_answer = False
    for i, (ln, probe) in enumerate(zip(lines, probes)):
        if not probe or i in header_lines:
            notes.gap()
            continue
        started = _start_turn(ln, probe, speakers, i)
        if started:
            expect_answer = False
            turns.extend(started)
            notes.gap()
            continue
        is_heading = ln.heading or bool(MD_HEADING.match(ln.text))
        if is_heading:
            if probe.endswith(("？", "?")):  # questions styled as headings
                turns.append(Turn(INTERVIEWER, ln.loc, [probe], i))
                expect_answer = True
            else:
                notes.add(HEADING, ln, probe, i)
                notes.gap()
            continue
        if expect_answer:
            turns.append(Turn(RESPONDENT, ln.loc, [ln.text.strip()], i))
            expect_answer = False
        elif turns:
            turns[-1].add(ln, ln.text.strip())
        else:
            notes.add(PREAMBLE, ln, ln.text.strip(), i)
    if not turns:
        turns = _paragraph_turns(lines, probes, paragraphs_are_lines)
        notes = _Notes()
        for i, (ln, probe) in enumerate(zip(lines, probes)):
            if probe and (ln.heading or MD_HEADING.match(ln.text)):
                notes.add(HEADING, ln, probe, i)
                notes.gap()
    _asking_names(turns, speakers)
    return Parsed(header, turns, notes.found)


class _Notes:
    """Collects the lines no turn holds, consecutive lines of one kind as one note."""

    def __init__(self) -> None:
        self.found: list[Turn] = []
        self._open = False

    def add(self, kind: str, ln: Line, text: str, at: int) -> None:
        if self._open and self.found[-1].speaker == kind:
            self.found[-1].add(ln, text)
        else:
            self.found.append(Turn(kind, ln.loc, [text], at))
        self._open = True

    def gap(self) -> None:
        self._open = False


def _asking_names(turns: list[Turn], speakers: _Speakers) -> None:
    """Turns of a name label that only recurs (no header field, no honorific) and mostly asks
    questions are the interviewer's: 记者：…？/小王：… notes name both sides, and the one asking
    is not the respondent."""
    by_name: dict[str, list[Turn]] = {}
    for turn in turns:
        if turn.name and speakers.guessed(turn.name):
            by_name.setdefault(turn.name, []).append(turn)
    if len(by_name) < 2 and len({t.speaker for t in turns}) < 2:
        return  # one voice only: nobody to tell the interviewer from
    for named in by_name.values():
        asking = sum(t.text.endswith(("？", "?")) for t in named)
        if asking * 5 >= len(named) * 3:  # three in five or more end with a question mark
            for t in named:
                t.speaker = INTERVIEWER


def _read_header(lines: list[Line], probes: list[str], header: Header,
                 speakers: _Speakers) -> set[int]:
    """Fill ``header`` from the field lines before the first turn; return their indexes.

    受访者：/访谈员： open both a header field and a turn. Such a line is a header field when its
    value looks like a name (王师傅, 邓某某（化名）) or when the next line is an unambiguous
    header field (省份：…), since a header block is a run of fields.
    """
    found: set[int] = set()
    nonblank = [i for i, p in enumerate(probes) if p]
    for pos, i in enumerate(nonblank):
        probe = probes[i]
        fields_ = parse_header_fields(probe)
        if fields_:
            ambiguous = [value for key, _kind, value in fields_ if key in LABELS]
            following = (parse_header_fields(probes[nonblank[pos + 1]])
                         if pos + 1 < len(nonblank) else None)
            if (not ambiguous or all(map(looks_like_names, ambiguous))
                    or any(key not in LABELS for key, _k, _v in following or [])):
                for _key, kind, value in fields_:
                    header.set(kind, value)
                found.add(i)
                continue
        name = name_candidate(probe)
        if (LABEL_RE.match(probe) or lines[i].heading and probe.endswith(("？", "?"))
                or name and speakers.speaker(name)):
            break
    return found


def _start_turn(ln: Line, probe: str, speakers: _Speakers, at: int) -> list[Turn]:
    """The turn(s) a marked line starts, or [] when the line has no marker."""
    m = LABEL_RE.match(probe)
    if m:
        label = m.group("label") or m.group("short")
        who = LABELS.get(label) or (INTERVIEWER if label in "Qq" else RESPONDENT)
        rest = probe[m.end():]
        if who == INTERVIEWER and label in ("问", "問", "Q", "q"):
            # 问：您几点出车？答：早上五点。 — both turns on one line.
            parts = INLINE_ANSWER.split(rest, maxsplit=1)
            if len(parts) == 2:
                answer = LABEL_RE.match(parts[1])
                if answer:
                    return [Turn(INTERVIEWER, ln.loc, [parts[0].strip()], at),
                            Turn(RESPONDENT, ln.loc, [parts[1][answer.end():].strip()], at)]
        return [Turn(who, ln.loc, [rest.strip()], at)]
    name = name_candidate(probe)
    if name:
        who = speakers.speaker(name)
        if who:
            m2 = NAME_RE.match(probe)
            assert m2 is not None
            return [Turn(who, ln.loc, [probe[m2.end():].strip()], at, name)]
    return []


def _paragraph_turns(lines: list[Line], probes: list[str], each_line: bool) -> list[Turn]:
    """Unmarked notes: one respondent turn per paragraph, skipping header lines and headings."""
    turns: list[Turn] = []
    current: Turn | None = None
    for i, (ln, probe) in enumerate(zip(lines, probes)):
        skip = (not probe or parse_header_fields(probe) is not None or ln.heading
                or MD_HEADING.match(ln.text))
        if skip:
            current = None
            continue
        if current is None or each_line:
            current = Turn(RESPONDENT, ln.loc, [ln.text.strip()], i)
            turns.append(current)
        else:
            current.add(ln, ln.text.strip())
    return turns
