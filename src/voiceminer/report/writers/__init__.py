"""One writer per output format, all reading only an :class:`~voiceminer.report.model.IssueList`.

Every writer replaces its target atomically, and the same IssueList gives the same file
(byte-identical for all formats; Word and Excel get fixed dates and ZIP timestamps).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ..model import IssueList
from ._safe import neutralize_cell
from .csvfile import write_csv
from .excel import write_xlsx
from .jsonfile import write_json
from .markdown import render_markdown, write_markdown
from .word import write_docx

if TYPE_CHECKING:
    import pandas as pd

FORMATS: Final = ("md", "docx", "xlsx", "csv", "json")

__all__ = [
    "FORMATS",
    "neutralize_cell",
    "render_markdown",
    "write_all",
    "write_csv",
    "write_docx",
    "write_json",
    "write_markdown",
    "write_xlsx",
]


def write_all(
    issues: IssueList,
    folder: Path,
    stem: str,
    *,
    prevalence: pd.DataFrame | None = None,
    ledger: pd.DataFrame | None = None,
    formats: Iterable[str] = FORMATS,
) -> list[Path]:
    """Write ``folder/stem.<fmt>`` for each format, in the order given, and return the paths.

    Formats are checked before anything is written, so a typo does not leave a partial set.
    ``prevalence`` and ``ledger`` only go into the workbook.
    """
    wanted = [str(f).lower().lstrip(".") for f in formats]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(
            f"Unknown report format(s) {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(FORMATS)}."
        )
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writers: dict[str, Callable[[Path], Path]] = {
        "md": lambda p: write_markdown(issues, p),
        "docx": lambda p: write_docx(issues, p),
        "xlsx": lambda p: write_xlsx(issues, p, prevalence=prevalence, ledger=ledger),
        "csv": lambda p: write_csv(issues, p),
        "json": lambda p: write_json(issues, p),
    }
    return [writers[f](folder / f"{stem}.{f}") for f in dict.fromkeys(wanted)]
