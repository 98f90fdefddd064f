"""Writing a run's files on several cores.

Each group of output files — the units table, the ledger, the code matrix, the quote list, one
province's five issue-list files (Markdown, Word with its chart image, the styled workbook, CSV,
JSON) — depends on the finished analysis alone, and writing them is a large part of a run. So the
groups are ``FileJob``s handed to a small process pool, largest first; each file is still
written by exactly one process from the same inputs, so the bytes are those of a serial run.
On Linux the pool forks: workers inherit the tables and issue lists instead of receiving
pickles, and only the written paths travel back. (A forked worker reading a table touches, and
so copies, every page of it: ``output.write_run`` hands the big tables of a large run to no
worker.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import NATIONAL, IssueList

if TYPE_CHECKING:
    import pandas as pd

# a pool costs a fork per worker (~0.5 s with a big parent): not worth it for a job or two
MIN_PARALLEL_JOBS = 4
# rough seconds per analysed unit and per report, only to hand out the largest jobs first
_REPORT_FIXED_COST = 1.0
_REPORT_UNIT_COST = 1e-5


@dataclass(frozen=True)
class FileJob:
    """One group of files: ``fn(*args, **kwargs)`` writes them and returns their paths (or the
    path of its one file).

    ``cost`` is a rough estimate in seconds; it only decides the order jobs are handed out."""

    fn: Callable[..., Sequence[Path] | Path]
    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    cost: float = 0.0

    def run(self) -> list[Path]:
        paths = self.fn(*self.args, **self.kwargs)
        return [paths] if isinstance(paths, Path) else list(paths)


def run_jobs(jobs: Sequence[FileJob], n_jobs: int = 0) -> list[list[Path]]:
    """Run ``jobs`` and return each one's paths, in job order (not finishing order).

    ``n_jobs``: processes (0: one per core, 1: in this process). Below ``MIN_PARALLEL_JOBS``
    jobs, or where processes cannot fork, everything runs here.
    """
    from ..forked import forked_map

    if len(jobs) < MIN_PARALLEL_JOBS:
        return [job.run() for job in jobs]
    # largest first, so that no worker is left with a long job at the end
    order = sorted(range(len(jobs)), key=lambda i: -jobs[i].cost)
    return forked_map(lambda i: jobs[i].run(), len(jobs), n_jobs, order)


def report_jobs(issue_lists: Mapping[str, IssueList], prevalence: pd.DataFrame,
                ledger: pd.DataFrame, out: Path, *, formats: Sequence[str],
                redactor: Callable[[str], str] | None, stem: Callable[[str], str]
                ) -> list[FileJob]:
    """One job per province (``provinces/<省>.*``) and the national summary (``全国.*``), with
    the province's prevalence rows and its capped, redacted ledger for the workbook.

    The ledger sheets are cut and redacted here, before any worker forks: a job then holds its
    sheet (at most ``output.WORKBOOK_LEDGER_ROWS`` rows) rather than all its province's ledger,
    and every worker inherits what the redactor remembers of those rows (``Redactor.loud``)
    for ledger.csv and the units table, which hold the same ids again."""
    from ..output import workbook_ledger

    xlsx = "xlsx" in {str(f).lower().lstrip(".") for f in formats}
    jobs = []
    for province, issues in issue_lists.items():
        national = province == NATIONAL
        folder = out if national else out / "provinces"
        folder.mkdir(parents=True, exist_ok=True)
        # a slice keeps the table's row labels, which the workbook would show as an index column
        scoped_prev = (prevalence if national else prevalence.loc[
            prevalence["province"] == province].reset_index(drop=True))
        sheet = None
        if xlsx:
            scoped = (ledger if national else
                      ledger.loc[ledger["province"] == province].reset_index(drop=True))
            sheet = workbook_ledger(scoped, redactor=redactor)
        jobs.append(FileJob(_write_job, (issues, folder, stem(province), scoped_prev, sheet,
                                         tuple(formats)),
                            cost=_REPORT_FIXED_COST + _REPORT_UNIT_COST * issues.units_analysed))
    return jobs


def write_reports(issue_lists: Mapping[str, IssueList], prevalence: pd.DataFrame,
                  ledger: pd.DataFrame, out: Path, *, formats: Sequence[str],
                  redactor: Callable[[str], str] | None, stem: Callable[[str], str],
                  n_jobs: int = 0) -> list[Path]:
    """``write_all`` for every province (``provinces/<省>.*``) and the national summary
    (``全国.*``), with the province's prevalence rows and its capped, redacted ledger in the
    workbook. ``n_jobs``: processes (0: one per core, 1: in this process). Paths in the order
    of ``issue_lists``."""
    jobs = report_jobs(issue_lists, prevalence, ledger, out, formats=formats, redactor=redactor,
                       stem=stem)
    return [p for paths in run_jobs(jobs, n_jobs) for p in paths]


def _write_job(issues: IssueList, folder: Path, stem: str, prevalence: pd.DataFrame,
               sheet: pd.DataFrame | None, formats: tuple[str, ...]) -> list[Any]:
    from .writers import write_all

    return write_all(issues, folder, stem, prevalence=prevalence, ledger=sheet, formats=formats)
