"""The plain text of each REFI-QDA source and where every unit sits in it.

REFI-QDA selections are character ranges into a source's plain text, so export and import must
agree on that text to the character. One source is one ``doc_id`` (an interview with its
interviewer turns, one questionnaire row, one forum post); its text is its units' ``text`` in
reading order, each preceded by a short header a reader needs (``问：``/``答：`` in interviews,
the question in questionnaires, the title of a post) and separated by a blank line. Each unit's
``[start, end)`` covers its own words only, so a coding that a person stretches over a header or
the blank line still lands on the unit it touches.

Positions are Python string indices, i.e. Unicode code points, which is what the REFI-QDA
standard counts. (A program counting UTF-16 code units would disagree after a character outside
the Basic Multilingual Plane, such as an emoji.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..schema import INTERVIEWER, analysed_mask

SEPARATOR = "\n\n"
_UNIT_NO = re.compile(r"#(\d+)$")


@dataclass(frozen=True)
class UnitSpan:
    """Where one unit's words sit in its source's plain text."""

    unit_id: str
    start: int
    end: int
    codable: bool  # analysed by voiceminer (not an interviewer turn, non-answer, duplicate …)


@dataclass(frozen=True)
class SourceText:
    """One REFI-QDA text source: a document's plain text and its units' spans."""

    doc_id: str
    text: str
    spans: tuple[UnitSpan, ...]


def _order(unit_id: str) -> tuple[int, str]:
    m = _UNIT_NO.search(unit_id)
    return (int(m.group(1)) if m else 0, unit_id)


def _header(row: dict, previous_question: str | None) -> str:
    question = str(row.get("question") or "").strip()
    if row["source"] == "interview":
        return "问：" if row["speaker"] == INTERVIEWER else "答："
    if row["source"] == "forum":  # the title, once per post
        return f"{question}\n" if question and question != previous_question else ""
    return f"{question}\n" if question else ""


def build_sources(units: pd.DataFrame) -> list[SourceText]:
    """Every document with some text, as a source, sorted by ``doc_id``.

    Units without text (unreadable files, empty rows) are left out; all other units, analysed or
    not, are written so the reader sees the interviewer's questions and the skipped answers too.
    """
    cols = [c for c in ("unit_id", "doc_id", "source", "speaker", "question", "text")
            if c in units.columns]
    records = units.loc[:, cols].astype(object).where(units.loc[:, cols].notna(), "")
    by_doc: dict[str, list[dict]] = {}
    for row, codable in zip(records.to_dict("records"), analysed_mask(units).tolist()):
        if str(row["text"]).strip():
            row["_codable"] = codable
            by_doc.setdefault(str(row["doc_id"]), []).append(row)
    sources = []
    for doc_id in sorted(by_doc):
        rows = sorted(by_doc[doc_id], key=lambda r: _order(str(r["unit_id"])))
        parts: list[str] = []
        spans: list[UnitSpan] = []
        pos = 0
        previous: str | None = None
        for row in rows:
            if parts:
                parts.append(SEPARATOR)
                pos += len(SEPARATOR)
            head = _header(row, previous)
            previous = str(row.get("question") or "").strip()
            text = str(row["text"])
            parts += [head, text]
            start = pos + len(head)
            pos = start + len(text)
            spans.append(UnitSpan(str(row["unit_id"]), start, pos, bool(row["_codable"])))
        sources.append(SourceText(doc_id, "".join(parts), tuple(spans)))
    return sources
