"""``read_corpus``: every file under the given paths, through the right reader, into one table.

This is the only place that knows all readers; it also numbers units, because ``unit_id`` must
follow the final (sorted) order and be unique across all files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ..errors import InputFileError
from ..privacy import NameList
from ..schema import INGEST_COLUMNS, empty_units
from .discover import discover
from .records import Record, error_detail, file_record

if TYPE_CHECKING:
    import pandas as pd

_UNSUPPORTED_HINTS: Final = {
    ".doc": "old Word .doc files are not read — open it in Word/WPS and save it as .docx",
    ".wps": "WPS .wps files are not read — open it in WPS and save it as .docx",
    ".rtf": ".rtf files are not read — open it in Word/WPS and save it as .docx",
    ".xls": "old Excel .xls files are not read — open it in Excel/WPS and save it as .xlsx",
    ".et": "WPS .et files are not read — open it in WPS and save it as .xlsx",
    ".pdf": "PDF files are not read — export the text as .docx or .txt",
    ".json": "only JSON Lines (.jsonl, one post per line) is read — convert it to .jsonl",
}
_MEDIA: Final = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".heic", ".webp", ".tif", ".tiff",
                 ".mp3", ".m4a", ".wav", ".amr", ".aac", ".mp4", ".mov", ".avi")
MAX_UNIT_CHARS: Final = 20_000
_SUPPORTED: Final = ".txt .md .docx .xlsx .xlsm .csv .jsonl"


def read_corpus(paths: str | Path | Sequence[str | Path], *,
                text_cols: Sequence[str] | None = None,
                on_progress: Callable[[Path], None] | None = None,
                read_files: Callable[[list[tuple]], Iterable[list[Record]]] | None = None,
                ) -> pd.DataFrame:
    """The ingest-stage units table for the given files and folders.

    One row per record found (answer, interviewer turn, questionnaire cell, post, or unusable
    file), columns ``schema.INGEST_COLUMNS``, sorted by file path then position in the file.
    ``text_cols`` names the open questions of questionnaires when auto-detection picks wrong;
    ``on_progress`` is called with each file's path as it is read. ``read_files`` maps
    ``read_job`` over ``(path, relpath, text_cols)`` jobs, results in job order — an engine's
    process pool or Dask cluster (``engine.read_files_with``); default: one after another.
    Raises ``InputFileError`` only when a given path does not exist.
    """
    import pandas as pd

    roots = [paths] if isinstance(paths, (str, Path)) else list(paths)
    collected: list[tuple[str, int, int, Record]] = []  # (relpath, root order, position, record)
    used: set[str] = set()
    jobs: list[tuple[str, int, Path]] = []
    for order, root in enumerate(Path(p) for p in roots):
        if not root.exists():
            raise InputFileError(root, "no such file or folder",
                                 hint="check the path (quote it if it contains spaces)")
        for found in discover(root):
            relpath = found.relpath
            if relpath in used and order:  # same relative path under two given folders
                relpath = f"{(root if root.is_dir() else root.parent).name}/{relpath}"
            used.add(relpath)
            if found.problem is not None:
                collected.append((relpath, order, 0, found.problem))
            else:
                jobs.append((relpath, order, found.path))
    reader = read_files or (lambda todo: (read_job(*job) for job in todo))
    done = reader([(path, relpath, text_cols) for relpath, _order, path in jobs])
    for (relpath, order, path), records in zip(jobs, done):
        if on_progress is not None:
            on_progress(path)
        collected.extend((relpath, order, i, r) for i, r in enumerate(records))
    if not collected:
        return empty_units()
    collected.sort(key=lambda item: item[:3])
    seen: Counter[str] = Counter()
    rows = []
    for _relpath, _order, _pos, record in collected:
        seen[record.doc_id] += 1
        rows.append(_cap_length(record).as_row(f"{record.doc_id}#{seen[record.doc_id]}"))
    units = pd.DataFrame(rows, columns=list(INGEST_COLUMNS), dtype=object)
    # header names travel beside the table (not in it) so exports can mask them where they recur
    # (a NameList: pandas would otherwise deep-copy it on every column access)
    units.attrs["personal_names"] = NameList(sorted({n for *_, r in collected for n in r.names}))
    return units


def _cap_length(record: Record) -> Record:
    """A record longer than ``MAX_UNIT_CHARS`` is ledgered as too long instead of analysed.

    One "answer" of that size is a paste accident or a file without line breaks; segmenting it
    would take minutes and its quotes would be unreadable.
    """
    if record.skip_reason or len(record.text) <= MAX_UNIT_CHARS:
        return record
    return replace(record, text=record.text[:MAX_UNIT_CHARS], skip_reason="too_long",
                   skip_detail=f"{record.origin}: {len(record.text):,} characters in one record "
                               f"(limit {MAX_UNIT_CHARS:,}) — add line breaks between answers or "
                               f"split the file")


def read_job(path: Path, relpath: str, text_cols: Sequence[str] | None = None) -> list[Record]:
    """``read_file`` with positional arguments, for process pools and Dask workers."""
    return read_file(path, relpath, text_cols=text_cols)


def read_file(path: Path, relpath: str, *, text_cols: Sequence[str] | None = None
              ) -> list[Record]:
    """Records of one file, chosen by extension; never raises for a bad file."""
    ext = path.suffix.lower()
    if path.stem.lower() in ("readme", "说明", "读我"):
        return [file_record(relpath, "documentation",
                            "a README describes the corpus and is not analysed — rename it if it "
                            "really holds interview notes")]
    try:
        if path.stat().st_size == 0:
            return [file_record(relpath, "empty_file",
                                "the file is empty (0 bytes) — re-export or delete it")]
        if ext in (".txt", ".md", ".markdown", ".docx"):
            from .interview import read_interview

            return read_interview(path, relpath)
        if ext in (".xlsx", ".xlsm"):
            from .survey import read_survey

            return read_survey(path, relpath, text_cols=text_cols)
        if ext in (".jsonl", ".ndjson"):
            from .forum import read_forum

            return read_forum(path, relpath)
        if ext == ".csv":
            return _read_csv(path, relpath, text_cols)
    except OSError as exc:
        return [file_record(relpath, "unreadable_file",
                            f"cannot open the file ({exc.strerror or exc}) — check that it "
                            f"exists and that you may read it")]
    except Exception as exc:  # a reader bug must not lose the rest of the corpus
        return [file_record(relpath, "unreadable_file",
                            f"unexpected error while reading ({type(exc).__name__}: {exc}) — "
                            f"try re-saving the file; if it persists, report it with the file")]
    return [file_record(relpath, "unsupported_format", _unsupported_detail(ext))]


def _read_csv(path: Path, relpath: str, text_cols: Sequence[str] | None) -> list[Record]:
    """A CSV is a forum export if its header has a content column, else a questionnaire."""
    from .forum import is_forum_header, read_forum
    from .survey import read_survey
    from .tables import load_csv

    try:
        sheet = load_csv(path)
    except InputFileError as exc:
        return [file_record(relpath, "unreadable_file", error_detail(exc, relpath),
                            source="survey")]
    if sheet.rows and is_forum_header(sheet.rows[0][1]):
        return read_forum(path, relpath, sheet=sheet)
    return read_survey(path, relpath, text_cols=text_cols, sheets=[sheet])


def _unsupported_detail(ext: str) -> str:
    """What to do with a file voiceminer does not read."""
    if ext in _UNSUPPORTED_HINTS:
        return _UNSUPPORTED_HINTS[ext]
    if ext in _MEDIA:
        return (f"{ext} images/recordings are not read — transcribe them into a .txt or .docx, "
                f"or move them out of the corpus folder")
    kind = f"{ext} files are" if ext else "files without an extension are"
    return f"{kind} not read (voiceminer reads {_SUPPORTED}) — convert it or move it out"
