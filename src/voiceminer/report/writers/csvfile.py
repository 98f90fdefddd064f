"""CSV issue list: one row per concern, for anyone who merges provinces in their own tool.

UTF-8 *with* BOM, because Excel on Chinese Windows otherwise opens the file as GBK and shows
mojibake; ``\\r\\n`` line ends (the CSV standard), and text neutralised like in the workbook.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Final

from ..model import IssueList
from ..raised_by import lead_groups
from . import _content as c
from ._atomic import atomic_path
from ._safe import neutralize_cell

MAX_QUOTES: Final = 3
CSV_COLUMNS: Final = (
    "province", "theme_id", "theme", "rank", "concern_id", "concern", "respondents", "share",
    "unprompted", "unprompted_share", "approving", "top_groups", "top_terms", "by_province",
    "by_source", *(f"{name}_{i}" for i in range(1, MAX_QUOTES + 1) for name in ("quote", "origin")),
)


def csv_rows(issues: IssueList) -> list[dict[str, Any]]:
    """The rows as dicts (before neutralisation), in document order; ``rank`` restarts per theme."""
    rows: list[dict[str, Any]] = []
    for _numeral, theme in c.numbered_themes(issues):
        for rank, concern in enumerate(theme.concerns, start=1):
            row: dict[str, Any] = {
                "province": issues.province,
                "theme_id": theme.theme_id,
                "theme": theme.label,
                "rank": rank,
                "concern_id": concern.concern_id,
                "concern": concern.label,
                "respondents": int(concern.respondents),
                "share": float(concern.share),
                "unprompted": "" if concern.unprompted is None else int(concern.unprompted),
                "unprompted_share": ("" if concern.unprompted_share is None
                                     else float(concern.unprompted_share)),
                "approving": "" if concern.approving is None else int(concern.approving),
                "top_groups": "、".join(lead_groups(concern.groups)),
                "top_terms": "、".join(concern.top_terms),
                "by_province": _counts(concern.by_province),
                "by_source": _counts(concern.by_source),
            }
            for i in range(1, MAX_QUOTES + 1):
                quote = concern.quotes[i - 1] if i <= len(concern.quotes) else None
                row[f"quote_{i}"] = quote.text if quote else ""
                row[f"origin_{i}"] = quote.origin if quote else ""
            rows.append(row)
    return rows


def _counts(pairs: tuple[tuple[str, int], ...]) -> str:
    """``广东 18、云南 2``: people per province or source, most first."""
    return "、".join(f"{name} {n}" for name, n in pairs)


def write_csv(issues: IssueList, path: Path) -> Path:
    """Write the CSV atomically; same IssueList → same bytes."""
    path = Path(path)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(issues):
        writer.writerow({k: neutralize_cell(v) for k, v in row.items()})
    with atomic_path(path) as tmp:
        tmp.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path
