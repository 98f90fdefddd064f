"""Writing a run folder: tables, issue lists in every format, and the manifest.

Layout (stable, documented in README)::

    OUT/manifest.json            version, settings, codebook hash, inputs with SHA-256 and records
    OUT/units.csv|.parquet       the units table (quotes redacted unless --no-redact)
    OUT/ledger.csv               every input record and what became of it
    OUT/concerns.csv  prevalence.csv  keyness.csv
    OUT/code_matrix.{csv,xlsx}   unit × theme/concern 0/1 matrix (exports.py)
    OUT/quotes_by_code.{csv,xlsx}  one row per coded segment, grouped by theme and concern
    OUT/全国.{md,docx,xlsx,csv,json}         national summary
    OUT/provinces/<省>.{md,docx,xlsx,csv,json}  one issue list per province
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from . import __version__
from .errors import VoiceminerError
from .pipeline import Analysis
from .privacy import Redactor, freeze_names, redact_frame
from .report.writers._atomic import atomic_path
from .table_files import CsvSlices, ParquetSlices, open_csv, row_slices, write_table

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_filename(name: str) -> str:
    """A province or user-given name usable as a file name on Windows, macOS and Linux."""
    cleaned = _UNSAFE.sub("_", name).strip(" ._") or "未命名"
    return cleaned[:80]


def prepare_out_dir(out: Path, *, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise VoiceminerError(f"{out} is a file; choose a folder for --out.")
    if out.exists() and any(out.iterdir()) and not force:
        raise VoiceminerError(f"{out} already holds files; pass --force to overwrite them, or "
                              f"choose an empty folder for --out.")
    out.mkdir(parents=True, exist_ok=True)


def write_units(units: pd.DataFrame, out: Path, *,
                redactor: Callable[[str], str] | None = None) -> list[Path]:
    """``units.csv`` and ``units.parquet`` in one pass: each slice is redacted once for both."""
    csv_path, pq_path = out / "units.csv", out / "units.parquet"
    with atomic_path(csv_path) as csv_tmp, atomic_path(pq_path) as pq_tmp, \
            open_csv(csv_tmp) as f:
        table, pq = CsvSlices(f), ParquetSlices(pq_tmp, units)
        try:
            for part in row_slices(units, redactor):
                table.add(part, redacted=True)
                pq.add(part)
        finally:
            pq.close()
    return [csv_path, pq_path]


def file_inventory(units: pd.DataFrame, roots: Sequence[Path]) -> list[dict[str, object]]:
    """Each input file with its SHA-256 and how many records it gave, for the manifest."""
    counts = units["doc_id"].astype(str).str.split(":").str[0].value_counts()
    files = []
    for rel, n in sorted(counts.items()):
        path = _resolve(rel, roots)
        digest = _sha256(path) if path is not None else ""
        files.append({"file": rel, "records": int(n), "sha256": digest})
    return files


def _resolve(rel: str, roots: Sequence[Path]) -> Path | None:
    for root in roots:
        for cand in ((root / rel) if root.is_dir() else root, root.parent / rel):
            if cand.is_file() and (cand.name == Path(rel).name):
                return cand
    return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return ""
    return h.hexdigest()


# An issue list's workbook carries at most this many ledger rows; ledger.csv always has all.
# A million-row sheet is near Excel's limit (1,048,576) and openpyxl holds it in memory (~GBs).
WORKBOOK_LEDGER_ROWS = 10_000


def workbook_ledger(ledger: pd.DataFrame, limit: int = WORKBOOK_LEDGER_ROWS, *,
                    redactor: Callable[[str], str] | None = None) -> pd.DataFrame:
    """The ledger for a workbook sheet: whole up to ``limit`` rows, else its first ``limit``
    rows and a last row saying how many more are in ledger.csv. ``redactor`` masks the rows
    kept (only those: the full ledger is never copied)."""
    head = ledger if len(ledger) <= limit else ledger.iloc[:limit]
    if redactor is not None:
        head = redact_frame(head, redactor)
    if len(ledger) <= limit:
        return head
    note = {c: "" for c in ledger.columns}
    note.update(unit_id="…", status="truncated",
                skip_detail=f"{len(ledger) - limit:,} more records: see ledger.csv")
    return pd.concat([head, pd.DataFrame([note])], ignore_index=True)


def _catalogue_entry(analysis: Analysis) -> dict[str, str]:
    """Which known-concern catalogue named the concerns: an edited copy at the same path is told
    apart by its hash. (An Analysis put together by hand has none; the settings name it.)"""
    from .concern_catalogue import ConcernCatalogue

    cat = analysis.catalogue or ConcernCatalogue.load(analysis.settings.concern_catalogue)
    return {"name": cat.name, "version": cat.version, "source": Path(cat.source).name,
            "sha256": cat.sha256}


# The tables and the issue lists are written side by side on forked workers only when the issue
# lists are at least half as much work as the tables (a small study: each issue list costs about
# a second whatever its size), and never above this many units; otherwise the tables are written
# here first and the issue lists on workers after. A forked worker that reads a table touches,
# and so copies, the pages of every row's list cells (tokens, themes …), and while workers live
# every page this process writes is copied too: side by side, the seed-scale study (49k rows)
# peaked at 1.4 GiB instead of 1.0 GiB (proportional set size of the process tree) and wrote in
# 12.5 s instead of 18.7 s; 100k posts peaked at 1.8 instead of 1.2 GiB for a few seconds, and
# 1M posts at 5.3 instead of 2.6 GiB.
OVERLAP_MAX_UNITS = 200_000
# rough seconds per row of each table (seed-scale study), only to hand out the largest first
_UNIT_COST, _LEDGER_COST, _MATRIX_COST, _QUOTES_COST = 1.1e-4, 2.5e-5, 9e-5, 1e-4


def _side_tables(analysis: Analysis, prevalence: pd.DataFrame, out: Path,
                 redactor: Callable[[str], str] | None) -> list[Path]:
    """``concerns.csv``, ``prevalence.csv`` (already redacted) and ``keyness.csv``."""
    return [write_table(analysis.concerns, out / "concerns.csv", redactor=redactor),
            write_table(prevalence, out / "prevalence.csv"),
            write_table(analysis.keyness, out / "keyness.csv", redactor=redactor)]


def write_run(analysis: Analysis, out: str | Path, *, roots: Sequence[Path] = (),
              force: bool = False) -> list[Path]:
    """Write every table, issue list and the manifest of ``analysis`` into ``out``."""
    out = Path(out)
    prepare_out_dir(out, force=force)
    s = analysis.settings
    # one redactor for the corpus, so a name from one header is masked in every table; big
    # tables are redacted slice by slice as they are written, never copied whole
    units = freeze_names(analysis.units)
    red = None
    if s.redact:  # the analysis's own, which the issue lists' quotes were masked with
        red = analysis.redactor if analysis.redactor is not None else Redactor.for_units(units)
    ledger = analysis.ledger
    prevalence = redact_frame(analysis.prevalence, red) if red is not None else analysis.prevalence
    from .exports import write_code_matrix, write_quotes
    from .report.html import (
        write_html_report,  # index.html + provinces/<省>.html, offline
    )
    from .report.parallel import FileJob, report_jobs, run_jobs

    exports = (analysis.codebook, analysis.concerns, out)
    n = len(units)
    # every group of files depends on the analysis alone, so they are written side by side
    # (see OVERLAP_MAX_UNITS); the paths are listed in this fixed order whoever wrote them
    tables = [
        FileJob(write_units, (units, out), {"redactor": red}, cost=_UNIT_COST * n),
        FileJob(write_table, (ledger, out / "ledger.csv"), {"redactor": red},
                cost=_LEDGER_COST * n),
        FileJob(_side_tables, (analysis, prevalence, out, red)),
        FileJob(write_code_matrix, (units, *exports), {"redactor": red, "formats": s.formats},
                cost=_MATRIX_COST * n),
        FileJob(write_quotes, (units, *exports), {"redactor": red, "formats": s.formats},
                cost=_QUOTES_COST * n),
    ]
    reports = [*report_jobs(analysis.issue_lists, prevalence, ledger, out, formats=s.formats,
                            redactor=red, stem=safe_filename),
               FileJob(write_html_report, (analysis.issue_lists, prevalence, out),
                       {"stem": safe_filename})]
    side_by_side = (n <= OVERLAP_MAX_UNITS
                    and sum(j.cost for j in reports) >= sum(j.cost for j in tables) / 2)
    if side_by_side:
        done = run_jobs([*tables, *reports], s.n_jobs)
    else:  # the tables first, then the issue lists on forked workers (see OVERLAP_MAX_UNITS)
        done = [*run_jobs(tables, 1), *run_jobs(reports, s.n_jobs)]
    matrix, quotes = done[3], done[4]
    written = [*done[0], *done[1], *done[2],
               *(p for p in [*matrix, *quotes] if p.suffix == ".csv"),
               *(p for p in [*matrix, *quotes] if p.suffix == ".xlsx"),
               *(p for paths in done[5:] for p in paths)]
    manifest = {
        "voiceminer": __version__,
        "settings": s.to_dict(),
        "codebook": {"name": analysis.codebook.name, "version": analysis.codebook.version,
                     "source": Path(analysis.codebook.source).name,
                     "sha256": analysis.codebook.sha256},
        "concern_catalogue": _catalogue_entry(analysis),
        "random_seed": s.random_state,
        "inputs": file_inventory(analysis.units, [Path(r) for r in roots]),
        "summary": analysis.summary(),
        "outputs": sorted(str(p.relative_to(out)) for p in written),
    }
    mpath = out / "manifest.json"
    with atomic_path(mpath) as tmp:
        Path(tmp).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True),
                             encoding="utf-8")
    return [*written, mpath]
