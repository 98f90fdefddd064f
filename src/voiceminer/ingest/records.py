"""The record every reader emits, and the one-row record for a file that could not be used.

Readers return ``Record`` objects rather than dicts so a misspelt column is a TypeError at the
reader, not a silently empty column three stages later. ``unit_id`` is assigned centrally once
all files are read, because only then is the final order known.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import PurePosixPath
from typing import Final

from ..errors import InputFileError
from ..schema import INGEST_COLUMNS, RESPONDENT, UNKNOWN
from .groups import group_from_path
from .provinces import province_from_path


@dataclass(frozen=True)
class Record:
    """One row of the units table minus ``unit_id``; every field is a plain string."""

    doc_id: str
    respondent_id: str
    source: str
    province: str
    group: str
    origin: str
    speaker: str
    question: str
    text: str
    skip_reason: str = ""
    skip_detail: str = ""
    # personal names from the file's header (not a units column: only redaction uses them)
    names: tuple[str, ...] = ()

    def as_row(self, unit_id: str) -> dict[str, str]:
        r"""The record as a units-table row, columns in ``INGEST_COLUMNS`` order, every line
        break in what people wrote (``text``, ``question``) a ``\n`` whatever the file's
        convention.

        A carriage return on its own (a workbook cell's ``_x000D_``, a post's ``\r``) ended the
        row for every CSV reader, pandas and Excel included, since CSV quotes a cell only for
        the line breaks it writes itself: units.csv fell apart at each one. Ids and origins are
        kept as they are, so that they still name their file and stay distinct."""
        row = {"unit_id": unit_id, **{name: getattr(self, name) for name in _FIELD_NAMES}}
        row["text"], row["question"] = _newlines(self.text), _newlines(self.question)
        return {c: row[c] for c in INGEST_COLUMNS}


# looked up once: ``dataclasses.fields`` per record was a good part of reading a big corpus
_FIELD_NAMES: Final = tuple(f.name for f in fields(Record))


def _newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


_SOURCE_BY_EXT: Final = {
    ".txt": "interview", ".md": "interview", ".docx": "interview", ".doc": "interview",
    ".rtf": "interview", ".pdf": "interview", ".wps": "interview",
    ".xlsx": "survey", ".xlsm": "survey", ".xls": "survey", ".csv": "survey", ".et": "survey",
    ".jsonl": "forum", ".json": "forum", ".ndjson": "forum",
}


def source_for(relpath: str) -> str:
    """Best guess of which source a file belongs to, for rows about files we could not read.

    ``source`` must be one of the three sources even for a stray image, so the extension decides,
    then words in the path (问卷, 论坛), and interview is the fallback because loose notes are the
    commonest stray file.
    """
    ext = PurePosixPath(relpath).suffix.lower()
    if ext in _SOURCE_BY_EXT:
        return _SOURCE_BY_EXT[ext]
    lowered = relpath.lower()
    if any(w in lowered for w in ("问卷", "survey", "questionnaire")):
        return "survey"
    if any(w in lowered for w in ("论坛", "帖", "forum", "post")):
        return "forum"
    return "interview"


def file_record(relpath: str, reason: str, detail: str, *, source: str | None = None) -> Record:
    """The single row standing for a whole file (or folder) that produced no units.

    ``detail`` should already say what to do; the file's relative path is prefixed here when the
    caller left it out, so every skip sentence names its file.
    """
    if not detail.startswith(relpath):
        detail = f"{relpath}: {detail}"
    return Record(
        doc_id=relpath,
        respondent_id=relpath,
        source=source or source_for(relpath),
        province=province_from_path(relpath),
        group=group_from_path(relpath),
        origin=relpath,
        speaker=RESPONDENT,
        question="",
        text="",
        skip_reason=reason,
        skip_detail=detail,
    )


def known(*values: str) -> str:
    """The first value that is not 未知/empty, else 未知: the metadata fallback chain."""
    for value in values:
        if value and value != UNKNOWN:
            return value
    return UNKNOWN


def error_detail(exc: InputFileError, relpath: str, where: str = "") -> str:
    """An ``InputFileError`` restated with the corpus-relative path (plus ``:where``) up front."""
    detail = f"{relpath}{':' + where if where else ''}: {exc.problem}"
    return f"{detail} — {exc.hint}" if exc.hint else detail
