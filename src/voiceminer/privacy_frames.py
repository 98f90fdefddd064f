"""Redaction of whole tables: every string cell, and the strings inside list cells.

A run's tables repeat the same provinces, groups, tokens and answers many thousands of times, and
most strings hold nothing to mask; so a table's distinct strings are redacted once, and only the
cells whose strings changed are rebuilt. ``redact_frame`` works with any ``str -> str`` redactor;
a ``privacy.Redactor`` also remembers strings it found quiet, across tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def redact_frame(df: pd.DataFrame, redactor: Callable[[str], str]) -> pd.DataFrame:
    """A copy of ``df`` with every string cell (and strings inside list cells) redacted.

    The table's distinct strings are redacted once (``_changes``): a table repeats the same
    provinces, groups and tokens thousands of times, ``text`` and ``clean`` mostly hold the same
    answers, and most strings hold nothing to mask, so cells are only swapped where a string
    changed. A column of strings nothing was masked in is the very same column, and list cells
    nothing was masked in keep their very objects, so the copy costs pointers only.
    """
    import pandas as pd
    from pandas.api.types import (
        is_bool_dtype,
        is_datetime64_any_dtype,
        is_numeric_dtype,
    )

    cols: dict[object, object] = {}
    texts: dict[object, tuple[pd.Series, Sequence[object], set[str], str]] = {}
    for i, col in enumerate(df.columns):
        series = df.iloc[:, i]
        dtype = series.dtype
        cols[col] = series  # numbers stay numbers; text columns are swapped below
        if not (is_numeric_dtype(dtype) or is_bool_dtype(dtype)
                or is_datetime64_any_dtype(dtype)):
            cells = series.to_numpy(dtype=object)
            strings, flat = _strings_in(cells)
            texts[col] = series, cells, strings, flat
    changed = _changes(set().union(*(t[2] for t in texts.values())), redactor)
    for col, (series, cells, strings, flat) in texts.items():
        if flat != "str" or not changed.keys().isdisjoint(strings):  # else: nothing to mask
            redacted = pd.Series(_objects(_swapped_cells(cells, strings, changed, flat)),
                                 index=df.index, dtype=object, name=col)
            cols[col] = (redacted.astype(series.dtype) if str(series.dtype) in ("str", "string")
                         else redacted)
    out = pd.DataFrame(cols, index=df.index, columns=df.columns, copy=False)
    out.attrs = dict(df.attrs)
    if "tokens" in out.columns and "clean" in out.columns:
        # a token cut from a masked datum ("12345" of a plate) must not survive on its own
        out["tokens"] = _objects([
            _tokens_in(toks, str(clean)) if isinstance(toks, (list, tuple)) else toks
            for toks, clean in zip(out["tokens"].to_numpy(dtype=object),
                                   out["clean"].to_numpy(dtype=object))])
    return out


def _strings_in(cells: Sequence[object]) -> tuple[set[str], str]:
    """Every distinct string in ``cells``, also inside list and tuple cells at any depth, and
    how the cells are built: ``"str"`` (strings only), ``"lists"`` (strings, lists of strings
    and values that are neither) or ``"nested"`` (anything else)."""
    kinds = set(map(type, cells))
    if kinds <= {str}:  # (or no cells)
        return set(cells), "str"
    found: set[str] = set()
    if not any(issubclass(k, (str, list, tuple)) for k in kinds - {str, list}):
        if str in kinds:
            found.update(v for v in cells if type(v) is str)
        try:
            items = set(chain.from_iterable(cells if kinds == {list}
                                            else (v for v in cells if type(v) is list)))
        except TypeError:  # an unhashable item (a list in a list)
            items = None
        if items is not None and all(type(v) is str for v in items):
            return found | items, "lists"
        if items is not None:  # tuples in lists (spans): each distinct one looked into once
            for v in items:
                _collect(v, found)
            return found, "nested"
    for v in cells:
        _collect(v, found)
    return found, "nested"


def _collect(value: object, found: set[str]) -> None:
    """Add the strings in ``value`` (a string, or a list or tuple of them at any depth)."""
    if isinstance(value, str):
        found.add(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _collect(v, found)


def _changes(strings: set[str], redactor: Callable[[str], str]) -> dict[str, str]:
    """``{s: redactor(s)}`` for the ``strings`` redaction changes; the quiet ones (most) are
    found for all at once (``Redactor.loud``) and never redacted one by one."""
    loud = getattr(redactor, "loud", None)
    changed = {}
    for text in (strings if loud is None else loud(strings)):
        done = redactor(text)
        if done != text:
            changed[text] = done
    return changed


def _swapped_cells(cells: Sequence[object], strings: set[str], changed: Mapping[str, str],
                   flat: str) -> list:
    """``cells`` (holding ``strings``) with every string in ``changed`` swapped for its
    redaction, as redacting every string in them would give them; cells holding none keep
    their objects."""
    if changed.keys().isdisjoint(strings):
        return list(cells)
    if flat == "nested":
        return [_swapped(v, changed) for v in cells]
    get, keys = changed.get, changed.keys()
    return [get(v, v) if type(v) is str
            else v if type(v) is not list or keys.isdisjoint(v)
            else [get(t, t) for t in v]
            for v in cells]


def _swapped(value: object, changed: Mapping[str, str]) -> object:
    if isinstance(value, str):
        return changed.get(value, value)
    if isinstance(value, (list, tuple)):
        return type(value)(_swapped(v, changed) for v in value)
    return value


def _tokens_in(tokens: list | tuple, clean: str) -> list:
    """The tokens still found in the redacted ``clean`` (strings; anything else is kept).
    Nearly always all of them, which one ``all`` over the tokens finds without a new list."""
    try:
        kept_all = all(map(clean.__contains__, tokens))
    except TypeError:  # a token that is not a string
        kept_all = False
    if kept_all:
        return tokens if type(tokens) is list else list(tokens)
    return [t for t in tokens if not isinstance(t, str) or t in clean]


def _objects(values: list) -> object:
    """An object array holding ``values`` as they are (pandas would unpack a list of lists)."""
    import numpy as np

    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr
