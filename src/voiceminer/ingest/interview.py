"""Read interview notes (.txt, .md, .docx) into one record per speaker turn.

Interviewer turns are kept (marked ``interviewer``) because the question is the context a
reader of a quote needs, and because the ledger must account for every line of the notes. For
the same reason titles and text before the first speaker marker are kept as skipped notes.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputFileError
from ..schema import INTERVIEWER, UNKNOWN
from .groups import group_from_path, normalize_group
from .provinces import normalize_province, province_from_path, province_in_text
from .records import Record, error_detail, file_record, known
from .turns import HEADING, PREAMBLE, Header, Line, Turn, parse_turns

INTERVIEW_EXTENSIONS = (".txt", ".md", ".markdown", ".docx")
UNKNOWN_SPEAKER = ""  # a note (title, text before the first marker) is nobody's turn


def read_interview(path: Path, relpath: str) -> list[Record]:
    """All turns of one interview file, or a single skip record when it cannot be read."""
    is_docx = path.suffix.lower() == ".docx"
    try:
        lines = _docx(path) if is_docx else _text_lines(path)
    except InputFileError as exc:
        return [file_record(relpath, "unreadable_file", error_detail(exc, relpath),
                            source="interview")]
    if not any(ln.text.strip() for ln in lines):
        return [file_record(relpath, "empty_file",
                            "the file contains no text — check that the right file was saved "
                            "here, or delete it", source="interview")]
    parsed = parse_turns(lines, paragraphs_are_lines=is_docx)
    header, turns = parsed.header, parsed.turns
    if not turns and not parsed.notes:
        return [file_record(relpath, "empty_file",
                            "only header fields (访谈对象/省份…), no interview text — add the "
                            "notes below the header", source="interview")]
    province = known(_header_province(header), province_from_path(relpath))
    group = known(normalize_group(header.group) if header.group else UNKNOWN,
                  group_from_path(relpath))
    names = tuple(n for n in (header.respondent, *header.interviewers) if n)
    nobody_answers = all(t.speaker == INTERVIEWER for t in turns)
    records: list[Record] = []
    question = ""
    for turn in sorted([*turns, *parsed.notes], key=lambda t: t.at):  # stable: turns first
        origin = f"{relpath}:{turn.where}"
        text = turn.text
        speaker, asked = turn.speaker, ""
        if turn.speaker in (HEADING, PREAMBLE):
            speaker, reason, detail = UNKNOWN_SPEAKER, "not_a_turn", _note_detail(origin, turn)
        elif turn.speaker == INTERVIEWER:
            question = text
            reason = "interviewer"
            detail = f"{origin}: interviewer turn — kept as context, not coded"
            if nobody_answers:
                detail += ("; no respondent turn was found in this file — mark the answers "
                           "with 答：/受访者： (or the respondent's name and a colon)")
        else:
            asked = question
            reason, detail = ("", "") if text else (
                "empty", f"{origin}: empty answer — nothing follows the speaker marker")
        records.append(Record(
            doc_id=relpath, respondent_id=relpath, source="interview", province=province,
            group=group, origin=origin, speaker=speaker, question=asked, text=text,
            skip_reason=reason, skip_detail=detail, names=names,
        ))
    return records


def _note_detail(origin: str, note: Turn) -> str:
    if note.speaker == HEADING:
        return (f"{origin}: a heading — read as a section title, not coded; if it is what the "
                f"respondent said, put it under 答：/受访者：")
    return (f"{origin}: text before the first speaker marker — not coded; if these are the "
            f"respondent's words, put them under 答：/受访者：")


def _text_lines(path: Path) -> list[Line]:
    """Numbered lines of a text file (1-based, as an editor shows them)."""
    from .encoding import read_text

    text, _encoding = read_text(path)
    # Not str.splitlines(): it also breaks on \f, \x1c or U+2028, which editors do not count.
    return [Line(str(i), line) for i, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1)]


def _docx(path: Path) -> list[Line]:
    from .docx_lines import docx_lines

    return docx_lines(path)


def _header_province(header: Header) -> str:
    """Province from the header's place field, whole value first, then any name inside it."""
    if not header.province:
        return UNKNOWN
    return known(normalize_province(header.province), province_in_text(header.province))
