"""Cell values for the workbooks: what each Python, pandas or numpy value becomes in a cell,
and how wide a column must be to show it.

Every text cell may come straight from a forum post, so text loses the characters XML cannot
hold, is cut to Excel's cell limit and is neutralised against formula injection. Columns are
checked whole where they can be (``excel_column``): a workbook of 40,000 quotes is mostly plain
text, and checking it string by string was most of the time spent writing it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Final

from ._safe import FORMULA_PREFIXES, neutralize_cell

EXCEL_MAX_CHARS: Final = 32767
# control characters and the two non-characters XML 1.0 cannot hold (U+FFFE turns up in
# text pasted from mis-decoded files and made the whole workbook fail)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WIDTH_SAMPLE: Final = 500


def column_width(values: Sequence[Any]) -> int:
    """The widest of a column's first ``_WIDTH_SAMPLE`` cells. Text is measured as one
    string of lines (the widest line of all the cells is the widest cell); other values one by
    one (``1``, ``1.0`` and ``True`` are equal, so no sharing by value)."""
    sample = values[:_WIDTH_SAMPLE]
    if sample and set(map(type, sample)) <= {str}:
        return display_width("\n".join(dict.fromkeys(sample)))
    return max(map(display_width, sample), default=0)


def excel_cell(value: Any) -> Any:
    """A Python/pandas/numpy value as something openpyxl stores faithfully and safely.

    Numbers stay numbers; missing values become empty cells; sequences (e.g. a ``themes``
    column) are joined with 、; text loses characters XML cannot hold, is cut to Excel's cell
    limit, and is neutralised so it can never start a formula.
    """
    kind = type(value)
    if kind is str:  # fast path: almost every ledger cell
        return _text(value)
    if kind is int:
        return value
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        if value.tzinfo is not None:
            value = value.tz_convert("UTC").tz_localize(None)
        return value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, (dt.date, dt.time)):
        return value
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        value = "、".join(str(x) for x in items)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    elif not isinstance(value, str):
        value = str(value)
    return _text(value)


def excel_column(values: Iterable[Any]) -> list[Any]:
    """``excel_cell`` of each value of a column. Ints pass as they are, and plain text (no
    character XML cannot hold, no formula start, nothing over Excel's limit: nearly every
    cell) is checked for the whole column at once rather than string by string."""
    out = list(values)
    kinds = set(map(type, out))
    if kinds <= {int}:
        return out
    if str in kinds:
        texts = out if kinds == {str} else [v for v in out if type(v) is str]
        if _plain_texts(texts):
            return out if kinds == {str} else [v if type(v) is str else excel_cell(v) for v in out]
    return [excel_cell(v) for v in out]


# a formula start at the beginning of a string of a column joined by NUL (which no plain text
# holds: _ILLEGAL covers it)
_FORMULA_START: Final = re.compile("\x00(?:" + "|".join(map(re.escape, FORMULA_PREFIXES)) + ")")


def _plain_texts(texts: list[str]) -> bool:
    """True if ``_text`` would return every one of ``texts`` unchanged."""
    if max(map(len, texts), default=0) > EXCEL_MAX_CHARS or _ILLEGAL.search("\n".join(texts)):
        return False
    return _FORMULA_START.search("\x00" + "\x00".join(texts)) is None


def _text(value: str) -> str:
    """Drop characters XML cannot hold, cut to Excel's cell limit, neutralise formulas."""
    value = _ILLEGAL.sub("", value)
    if len(value) > EXCEL_MAX_CHARS:
        value = value[: EXCEL_MAX_CHARS - 2] + "…"  # room for the neutralising apostrophe
    return neutralize_cell(value)


def display_width(value: Any) -> int:
    """Approximate column width: CJK characters are about two Latin characters wide."""
    if value is None:
        return 0
    if isinstance(value, float):
        return 8
    text = str(value)
    lines = text.splitlines() or [""]
    if text.isascii():  # no ASCII character is wide
        return max(map(len, lines))
    if max(text) > "\uffff":  # outside the table of _wide_bmp
        return max(len(line) + sum(unicodedata.east_asian_width(ch) in "WF" for ch in line)
                   for line in lines)
    wide = _wide_bmp()
    return max(2 * len(line) - len(wide.sub("", line)) for line in lines)


@functools.cache
def _wide_bmp() -> re.Pattern[str]:
    """Runs of wide and fullwidth characters (East Asian Width W or F) of the Basic
    Multilingual Plane, from ``unicodedata`` itself: one regex pass per line instead of a
    lookup per character."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if unicodedata.east_asian_width(chr(code)) in "WF":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    body = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
                   for a, b in ranges)
    return re.compile(f"[{body}]+")
