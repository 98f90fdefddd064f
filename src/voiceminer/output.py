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
from .privacy import Redactor, redact, redact_frame
from .report.model import NATIONAL
from .report.writers import neutralize_cell, write_all
from .report.writers._atomic import atomic_path

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


def _flat(df: pd.DataFrame, *, redact_text: bool, neutralize: bool,
          redactor: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Lists joined with ";", personal data masked, formula starts neutralised (CSV safety)."""
    out = redact_frame(df, redactor) if redactor is not None else df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(
                lambda v: ";".join(map(_span_str, v)) if isinstance(v, (list, tuple)) else v)
    if redact_text:
        for col in ("text", "clean"):
            if col in out.columns:
                out[col] = out[col].map(lambda v: redact(v) if isinstance(v, str) else v)
    if neutralize:
        out = out.map(neutralize_cell)
    return out


def _span_str(v) -> str:
    return ":".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)


def write_table(df: pd.DataFrame, path: Path, *, redact_text: bool = False,
                redactor: Callable[[str], str] | None = None) -> Path:
    """``df`` as UTF-8 CSV; ``redactor`` masks personal data in every string cell.

    Written in slices of ``CSV_CHUNK_ROWS`` so that the flattened copy of a million-row table
    never exists whole (the file is the same as in one go).
    """
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as f:
        for start in range(0, max(len(df), 1), CSV_CHUNK_ROWS):
            _flat(df.iloc[start:start + CSV_CHUNK_ROWS], redact_text=redact_text, neutralize=True,
                  redactor=redactor).to_csv(f, index=False, header=start == 0,
                                            lineterminator="\n")
    return path


CSV_CHUNK_ROWS = 100_000


def write_parquet(units: pd.DataFrame, path: Path) -> Path:
    """The units table as Parquet, spans as ``theme:start:end`` strings (redact before calling)."""
    df = units.copy()
    df["spans"] = df["spans"].map(lambda spans: [f"{t}:{a}:{b}" for t, a, b in spans])
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)
    return path


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


def workbook_ledger(ledger: pd.DataFrame, limit: int = WORKBOOK_LEDGER_ROWS) -> pd.DataFrame:
    """The ledger for a workbook sheet: whole up to ``limit`` rows, else its first ``limit``
    rows and a last row saying how many more are in ledger.csv."""
    if len(ledger) <= limit:
        return ledger
    note = {c: "" for c in ledger.columns}
    note.update(unit_id="…", status="truncated",
                skip_detail=f"{len(ledger) - limit:,} more records: see ledger.csv")
    return pd.concat([ledger.iloc[:limit], pd.DataFrame([note])], ignore_index=True)


def write_run(analysis: Analysis, out: str | Path, *, roots: Sequence[Path] = (),
              force: bool = False) -> list[Path]:
    """Write every table, issue list and the manifest of ``analysis`` into ``out``."""
    out = Path(out)
    prepare_out_dir(out, force=force)
    s = analysis.settings
    # one redactor for the corpus, so a name from one header is masked in every table
    red = Redactor.for_units(analysis.units) if s.redact else None
    ledger = redact_frame(analysis.ledger, red) if red is not None else analysis.ledger
    prevalence = redact_frame(analysis.prevalence, red) if red is not None else analysis.prevalence
    units = redact_frame(analysis.units, red) if red is not None else analysis.units
    written = [
        write_table(units, out / "units.csv"),
        write_parquet(units, out / "units.parquet"),
        write_table(ledger, out / "ledger.csv"),
        write_table(analysis.concerns, out / "concerns.csv", redactor=red),
        write_table(prevalence, out / "prevalence.csv"),
        write_table(analysis.keyness, out / "keyness.csv", redactor=red),
    ]
    from .exports import write_exports  # code_matrix.{csv,xlsx}, quotes_by_code.{csv,xlsx}

    written += write_exports(analysis.units, analysis.codebook, analysis.concerns, out,
                             redactor=red, formats=s.formats)
    for province, issues in analysis.issue_lists.items():
        national = province == NATIONAL
        folder = out if national else out / "provinces"
        folder.mkdir(exist_ok=True)
        scoped_prev = prevalence if national else prevalence.loc[prevalence["province"] == province]
        scoped_ledger = ledger if national else ledger.loc[ledger["province"] == province]
        written += write_all(issues, folder, safe_filename(province), prevalence=scoped_prev,
                             ledger=workbook_ledger(scoped_ledger), formats=s.formats)
    from .report.html import write_html_report  # index.html + provinces/<省>.html, offline

    written += write_html_report(analysis.issue_lists, prevalence, out, stem=safe_filename)
    manifest = {
        "voiceminer": __version__,
        "settings": s.to_dict(),
        "codebook": {"name": analysis.codebook.name, "version": analysis.codebook.version,
                     "source": Path(analysis.codebook.source).name,
                     "sha256": analysis.codebook.sha256},
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
