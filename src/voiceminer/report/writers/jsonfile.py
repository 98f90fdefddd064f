"""JSON issue list: the complete IssueList for other programs (dashboards, the national merge)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any, Final

from ..model import IssueList
from ._atomic import atomic_path

SCHEMA: Final = "voiceminer.issue_list/1"


def issue_list_payload(issues: IssueList) -> dict[str, Any]:
    """``issues.to_dict()`` plus the schema tag, made strictly JSON-safe.

    NaN/inf become ``null`` (bare ``NaN`` is not JSON and breaks most parsers); dict keys become
    strings so ``sort_keys`` can order them. The dataclasses are read here rather than through
    ``to_dict`` (``dataclasses.asdict``), which deep-copies every leaf only for them to be
    dumped: that copy was a fifth of a province's files.
    """
    payload = _plain(issues)
    payload["schema"] = SCHEMA
    return payload


def write_json(issues: IssueList, path: Path) -> Path:
    """Write pretty, key-sorted UTF-8 JSON atomically; same IssueList → same bytes."""
    path = Path(path)
    text = json.dumps(issue_list_payload(issues), ensure_ascii=False, indent=2, sort_keys=True,
                      allow_nan=False, default=_default)
    with atomic_path(path) as tmp:
        tmp.write_bytes((text + "\n").encode("utf-8"))
    return path


def _plain(value: Any) -> Any:
    """``value`` as JSON-safe plain data; a dataclass as ``dataclasses.asdict`` gives it."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _default(value: Any) -> Any:
    """Values a ``meta`` dict may carry that json cannot: dates, sets, paths, numpy scalars."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if hasattr(value, "item"):  # numpy scalar
        item = value.item()
        return None if isinstance(item, float) and not math.isfinite(item) else item
    return str(value)
