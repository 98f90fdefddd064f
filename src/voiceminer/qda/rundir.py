"""Reading back a run folder written by ``voiceminer analyze``: units, concerns and codebook.

Export and import work from the folder rather than from a live ``Analysis`` so that a researcher
can export last week's run, or import codings against it, without analysing again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..codebook import Codebook, load_codebook
from ..errors import InputFileError

_LIST_COLUMNS = ("tokens", "themes", "evidence", "spans", "concerns")


@dataclass(frozen=True)
class RunTables:
    """What the QDA round trip needs from a run: the units table, the concerns and the codebook."""

    units: pd.DataFrame
    concerns: pd.DataFrame
    codebook: Codebook
    folder: Path
    warning: str = ""  # set when the codebook differs from the one the run recorded


def load_run(run_dir: str | Path, codebook: str | Path | None = None) -> RunTables:
    """Load ``units.parquet``, ``concerns.csv`` and the run's codebook from ``run_dir``.

    The codebook is ``codebook`` if given, else the one recorded in ``manifest.json`` (or the
    bundled default). When its SHA-256 differs from the manifest's, the run was coded with another
    version of the codebook: theme ids still match (they are what the round trip keys on) but
    labels may not, so ``warning`` says so and names ``--codebook``.
    """
    folder = Path(run_dir)
    parquet = folder / "units.parquet"
    if not parquet.is_file():
        raise InputFileError(folder, "not a voiceminer run folder (no units.parquet)",
                             hint="give the --out folder of 'voiceminer analyze'")
    units = pd.read_parquet(parquet)
    for col in _LIST_COLUMNS:  # a run from before concerns existed has no such column
        units[col] = units[col].map(_as_list) if col in units.columns else [[]] * len(units)
    for col in ("text", "question", "skip_reason", "speaker", "province", "group", "source"):
        if col in units.columns:
            units[col] = units[col].fillna("").astype(str)
    concerns_path = folder / "concerns.csv"
    concerns = (pd.read_csv(concerns_path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
                if concerns_path.is_file() else
                pd.DataFrame(columns=["concern_id", "theme", "label"]))
    manifest = _manifest(folder)
    recorded = manifest.get("codebook", {}) if manifest else {}
    path = codebook or (manifest.get("settings", {}).get("codebook") if manifest else None)
    if path and not Path(path).is_file() and codebook is None:
        path = None  # the run's codebook moved; fall back to the default and check the hash
    cb = load_codebook(path) if path else Codebook.default()
    want = recorded.get("sha256")
    warning = ""
    if want and cb.sha256 and want != cb.sha256:
        warning = (f"{folder / 'manifest.json'}: the run was coded with codebook "
                   f"{recorded.get('source', '?')} (sha256 {want[:12]}), not "
                   f"{Path(cb.source).name} (sha256 {cb.sha256[:12]}); theme labels may differ "
                   f"— pass the run's codebook with --codebook")
    return RunTables(units, concerns, cb, folder, warning)


def _manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputFileError(path, f"cannot read the manifest ({exc})",
                             hint="re-run 'voiceminer analyze' into this folder") from None


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.split(";") if v]
    try:
        return [str(v) for v in value]
    except TypeError:
        return []
