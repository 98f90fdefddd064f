"""Origins: where a unit, or a quote cut from it, is in its source file.

An origin is ``file:where`` (``schema.INGEST_COLUMNS``). For an interview answer over several
lines ``where`` lists them all (``12-14,16``), so that a quote cut from its third line can give
that line: a report reader checks a quote by opening the file at the line it names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final


def line_ranges(numbers: Iterable[int]) -> str:
    """``12,13,14,16`` → ``"12-14,16"`` (repeats, as of one paragraph's soft line breaks, once)."""
    runs: list[list[int]] = []
    for n in dict.fromkeys(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def expand_line_ranges(where: str) -> list[int] | None:
    """``"12-14,16"`` → ``[12, 13, 14, 16]``; None when ``where`` is not such a list."""
    if not _RANGES.fullmatch(where):
        return None
    out: list[int] = []
    for part in where.split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


_RANGES: Final = re.compile(r"\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*")


def quoted_lines(origin: str, text: str, quote: str) -> str:
    """``origin`` narrowed to the lines ``quote`` was cut from, when ``text`` is an interview
    answer over several lines (origin ``file:12-15``): a quote of its third line is at
    ``file:14``. Anything that does not map line for line keeps the whole origin."""
    path, sep, where = origin.rpartition(":")
    numbers = expand_line_ranges(where) if sep and "\n" in text else None
    core = quote.strip("…")
    if numbers is None or not core:
        return origin
    lines = text.split("\n")
    at = text.find(core)
    if len(lines) != len(numbers) or at < 0:
        return origin
    first, last = text.count("\n", 0, at), text.count("\n", 0, at + len(core))
    return f"{path}:{line_ranges(numbers[first:last + 1])}"
