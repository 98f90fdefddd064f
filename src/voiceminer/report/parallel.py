"""Writing the per-province issue lists on several cores.

Each province's five files (Markdown, Word with its chart image, the styled workbook, CSV,
JSON) depend on that province's issue list alone, and writing them is most of a run's time on a
study of many provinces. So provinces are handed to a small process pool; each file is still
written by exactly one process from the same inputs, so the bytes are those of a serial run.
On Linux the pool forks: workers inherit the issue lists and tables instead of receiving pickles.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import NATIONAL, IssueList

if TYPE_CHECKING:
    import pandas as pd

# a pool costs a fork and a few imports per worker (~0.5 s): not worth it for a province or two
MIN_PARALLEL_JOBS = 4

_JOBS: list[tuple] = []  # set before the pool forks; workers read their job by index


def write_reports(issue_lists: Mapping[str, IssueList], prevalence: pd.DataFrame,
                  ledger: pd.DataFrame, out: Path, *, formats: Sequence[str],
                  redactor: Callable[[str], str] | None, stem: Callable[[str], str],
                  n_jobs: int = 0) -> list[Path]:
    """``write_all`` for every province (``provinces/<省>.*``) and the national summary
    (``全国.*``), with the province's prevalence rows and its capped, redacted ledger in the
    workbook. ``n_jobs``: processes (0: one per core, 1: in this process). Paths in the order
    of ``issue_lists``."""
    from ..engine.local import cores

    global _JOBS
    jobs = []
    for province, issues in issue_lists.items():
        national = province == NATIONAL
        folder = out if national else out / "provinces"
        folder.mkdir(parents=True, exist_ok=True)
        scoped_prev = (prevalence if national
                       else prevalence.loc[prevalence["province"] == province])
        scoped_ledger = ledger if national else ledger.loc[ledger["province"] == province]
        jobs.append((issues, folder, stem(province), scoped_prev, scoped_ledger, tuple(formats),
                     redactor))
    workers = min(n_jobs if n_jobs > 0 else cores(), len(jobs))
    if workers <= 1 or len(jobs) < MIN_PARALLEL_JOBS or "fork" not in mp.get_all_start_methods():
        return [p for job in jobs for p in _write_job(*job)]
    import gc

    _JOBS = jobs
    # objects made so far are left out of the workers' garbage collections, which would
    # otherwise touch (and so copy) every page of the parent's million-row tables
    gc.freeze()
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            # largest reports first so that no worker is left with a long one at the end
            order = sorted(range(len(jobs)), key=lambda i: -jobs[i][0].units_analysed)
            done = dict(zip(order, pool.imap(_write_index, order, chunksize=1)))
    finally:
        _JOBS = []
        gc.unfreeze()
    return [p for i in range(len(jobs)) for p in done[i]]


def _write_index(i: int) -> list[Path]:
    return _write_job(*_JOBS[i])


def _write_job(issues: IssueList, folder: Path, stem: str, prevalence: pd.DataFrame,
               ledger: pd.DataFrame, formats: tuple[str, ...],
               redactor: Callable[[str], str] | None) -> list[Any]:
    from ..output import workbook_ledger
    from .writers import write_all

    wanted = {str(f).lower().lstrip(".") for f in formats}
    sheet = workbook_ledger(ledger, redactor=redactor) if "xlsx" in wanted else None
    return write_all(issues, folder, stem, prevalence=prevalence, ledger=sheet, formats=formats)
