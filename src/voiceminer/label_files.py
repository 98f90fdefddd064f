"""Labels files as people save them: gold for ``evaluate``, annotations for ``train``.

They come saved by Excel or WPS in GBK, tab- or semicolon-separated, as .xlsx, with labels
written ``pay；hours`` or ``工资收入、社会保险``. They are read with the corpus readers
(:mod:`voiceminer.ingest.tables`) and each label is resolved to the codebook theme it names, so
none of that changes a score; what names no theme is kept as written and reported apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .errors import InputFileError, VoiceminerError

if TYPE_CHECKING:
    from .codebook import Codebook

LABEL_SEPARATORS = ";；,，、|"
_SPLIT = re.compile(f"[{re.escape(LABEL_SEPARATORS)}]")
_HELD = re.compile("\0(\\d+)\0")
_MAP_EXAMPLE = "e.g. --label-map retirement=social_insurance --label-map other="


# -- naming themes in a labels file -------------------------------------------------------------

def fold_label(name: str) -> str:
    """The form all spellings of one label share: NFKC (ｐａｙ → pay), outer spaces gone,
    case-folded — annotators type ``Pay`` or `` pay `` and mean pay."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


@dataclass(frozen=True)
class ThemeNames:
    """The names a labels file may give a codebook theme: its id in any case, or its label.

    A sheet filled in from the report carries labels (工资收入), one written by a script ids
    (pay); both name the same theme. ``outside`` themes (out_housing …) are codebook themes
    too: a gold row labelled with one says "no theme of the study here", not "unknown label".
    """

    study: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # folded id or label -> id
    labels: dict[str, str] = field(default_factory=dict)  # id -> label

    @classmethod
    def of(cls, codebook: Codebook | None) -> ThemeNames:
        """The names of ``codebook``'s themes (none without a codebook: labels stay as written)."""
        if codebook is None:
            return cls()
        themes = (*codebook.themes, *codebook.outside)
        aliases = {fold_label(t.label): t.id for t in themes}
        aliases.update({fold_label(t.id): t.id for t in themes})  # an id wins over a label
        return cls(tuple(t.id for t in codebook.themes), tuple(t.id for t in codebook.outside),
                   aliases, {t.id: t.label for t in themes})

    def resolve(self, name: str) -> str | None:
        """The theme id ``name`` stands for, or None when it names no theme."""
        return self.aliases.get(fold_label(name))

    def split(self, cell: str, sep: str | None = None, keep: Iterable[str] = ()) -> list[str]:
        """The labels in one cell, split on any of ``LABEL_SEPARATORS`` (or only on ``sep``).

        A theme label or a ``keep`` name that holds a separator (住房、物业与城建) stays whole:
        it is held out of the cell before splitting and put back after.
        """
        held: list[str] = []
        for name in sorted({*self.labels.values(), *keep}, key=len, reverse=True):
            if name in cell and (sep in name if sep else _SPLIT.search(name)):
                cell = cell.replace(name, f"\0{len(held)}\0")
                held.append(name)
        parts = cell.split(sep) if sep else _SPLIT.split(cell)
        return [_HELD.sub(lambda m: held[int(m.group(1))], p).strip() for p in parts if p.strip()]

    def describe(self) -> str:
        """The study's themes as ``pay (工资收入), …``, for messages that list what is valid."""
        return ", ".join(f"{t} ({self.labels[t]})" for t in self.study)


# -- --label-map ---------------------------------------------------------------------------------

def parse_label_map(pairs: Iterable[str]) -> dict[str, str]:
    """``["retirement=social_insurance", "other="]`` → mapping; an empty target drops the label.

    Only the form is checked here; whether each target is a theme is checked against the codebook
    by :func:`resolve_label_map`. A gold label mapped twice is an error: which pair should win?
    """
    mapping: dict[str, str] = {}
    first: dict[str, str] = {}
    for pair in pairs:
        src, dst = _split_pair(pair)
        key = fold_label(src)
        if key in first:
            raise VoiceminerError(f"--label-map maps {src!r} twice ({first[key]!r} and {pair!r}); "
                                  f"keep one pair per gold label.")
        first[key] = pair
        mapping[src] = dst
    return mapping


def _split_pair(pair: str) -> tuple[str, str]:
    """``GOLD=THEME`` → (GOLD, THEME); a list of pairs in one option is refused, not misread."""
    if any(c in pair for c in ";,；，"):
        raise VoiceminerError(f"--label-map takes one GOLD=THEME pair; got {pair!r}: repeat "
                              f"--label-map for each pair ({_MAP_EXAMPLE}).")
    if pair.count("=") != 1:
        raise VoiceminerError(f"--label-map takes GOLD=THEME pairs with one '='; got {pair!r} "
                              f"({_MAP_EXAMPLE}).")
    src, dst = (p.strip() for p in pair.split("="))
    if not src:
        raise VoiceminerError(f"--label-map {pair!r} names no gold label before '='; write "
                              f"GOLD=THEME, or GOLD= to drop a label ({_MAP_EXAMPLE}).")
    return src, dst


def resolve_label_map(mapping: dict[str, str], names: ThemeNames) -> dict[str, str]:
    """``mapping`` keyed by folded gold label, each target a theme id ("" drops the label).

    A target that is no theme of the codebook would only rename one unknown label into another,
    so it is an error naming the valid themes (unchecked without a codebook).
    """
    out = {}
    for src, dst in mapping.items():
        target = names.resolve(dst) if dst and names.aliases else dst
        if target is None:
            raise VoiceminerError(f"--label-map {src}={dst}: {dst!r} is not a theme of the "
                                  f"codebook; map to one of: {names.describe()} (or write "
                                  f"'{src}=' to drop the label).")
        out[fold_label(src)] = target
    return out


# -- reading labels files ------------------------------------------------------------------------

def read_labelled_csv(path: str | Path, required: Sequence[str], *, what: str = "labels CSV",
                      hint: str = "") -> pd.DataFrame:
    """A labels file as strings, with the ``required`` columns present.

    CSV in any Chinese encoding (UTF-8 with or without BOM, GBK/GB18030, Big5), comma-, tab- or
    semicolon-separated, or the first non-empty sheet of an .xlsx. Header names lose their outer
    spaces; the index is the row number a person sees in Excel or an editor (header = row 1), so
    messages point at the right row. Shared by gold files (evaluate), annotation files (train)
    and coder files (agreement), so all three fail the same way: naming the file, the missing
    column and the columns there are.
    """
    path = Path(path)
    header, records = _table_rows(path, what)
    missing = [c for c in required if c not in header]
    if missing:
        raise InputFileError(path, f"no column {', '.join(map(repr, missing))}",
                             hint=f"columns are: {', '.join(header)}{hint}")
    width = len(header)
    for number, cells in records:
        if len(cells) > width:
            raise InputFileError(path, f"{len(cells)} cells but the header has {width}",
                                 line=number, hint="put a text that holds the separator in "
                                                   "double quotes, or save the file from Excel/WPS")
    return pd.DataFrame([cells + [""] * (width - len(cells)) for _, cells in records],
                        columns=header, index=pd.Index([n for n, _ in records], name="row"),
                        dtype=str)


def _table_rows(path: Path, what: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header names, data rows with their row numbers), read by the corpus's own readers."""
    from .ingest.tables import load_csv
    from .ingest.workbooks import load_xlsx

    if path.is_dir():
        raise InputFileError(path, f"this is a folder; give the {what} itself",
                             hint="a .csv or .xlsx file with a header row")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = next((s.rows for s in load_xlsx(path) if s.rows), [])
    else:
        sheet = load_csv(path)
        if sheet.problems:  # a row the reader could not split: its labels would go missing
            line = min(sheet.problems)
            raise InputFileError(path, sheet.problems[line], line=line)
        rows = sheet.rows
    if not rows:
        raise InputFileError(path, f"the {what} is empty",
                             hint="its first row must name the columns, e.g. text,labels")
    (_, header), *records = rows
    names = [h.strip() for h in header]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputFileError(path, f"the header names column {', '.join(map(repr, dupes))} "
                                   f"twice", line=rows[0][0], hint="rename one of them")
    return names, records


@dataclass
class GoldLabels:
    """A labels file read for scoring or training: texts, label sets, and what was left out.

    Each label is a theme id when it names a codebook theme (pay, PAY, 工资收入), else kept as
    written, so the caller can report it apart.
    """

    texts: list[str]
    labels: list[set[str]]
    rows: list[int]  # the file row of each text
    skipped: list[str] = field(default_factory=list)  # "row N: reason"
    warnings: list[str] = field(default_factory=list)


def read_gold_file(path: str | Path, text_col: str, label_col: str, *, sep: str | None = None,
                   label_map: dict[str, str] | None = None, codebook: Codebook | None = None,
                   what: str = "gold file") -> GoldLabels:
    """Texts and label sets of a labels file; rows without text are listed, not silently dropped.

    ``sep`` splits only on that separator (default: any of ``LABEL_SEPARATORS``). A
    ``label_map`` source that never occurs is a warning (a typo would otherwise go unseen); a
    target that is no codebook theme is an error.
    """
    names = ThemeNames.of(codebook)
    mapping = resolve_label_map(label_map or {}, names)
    df = read_labelled_csv(path, (text_col, label_col), what=what,
                           hint="; pass --text-col/--label-col")
    gold = GoldLabels([], [], [])
    seen: set[str] = set()
    for row, text, cell in zip(df.index, df[text_col], df[label_col]):
        if not text.strip():
            gold.skipped.append(f"row {row}: empty text")
            continue
        tokens = names.split(cell, sep, keep=label_map or ())
        seen.update(fold_label(t) for t in tokens)
        gold.texts.append(text)
        gold.rows.append(int(row))
        gold.labels.append({x for x in (_theme_of(t, mapping, names) for t in tokens) if x})
    gold.warnings = [f"--label-map {src}={dst}: no label {src!r} in column {label_col!r} of "
                     f"{Path(path).name}; check its spelling"
                     for src, dst in (label_map or {}).items() if fold_label(src) not in seen]
    return gold


def _theme_of(token: str, mapping: dict[str, str], names: ThemeNames) -> str:
    """The mapped target, else the theme the token names, else the token as written."""
    key = fold_label(token)
    return mapping[key] if key in mapping else names.resolve(token) or token


def read_gold(path: str | Path, text_col: str, label_col: str, *, sep: str | None = None,
              label_map: dict[str, str] | None = None, codebook: Codebook | None = None
              ) -> tuple[list[str], list[set[str]], list[str]]:
    """(texts, label sets, skipped rows) of a gold file; see :func:`read_gold_file`."""
    gold = read_gold_file(path, text_col, label_col, sep=sep, label_map=label_map,
                          codebook=codebook)
    return gold.texts, gold.labels, gold.skipped


def check_scorable(path: str | Path, gold: GoldLabels, names: ThemeNames, label_col: str) -> None:
    """Refuse a gold file that gives nothing to score: no row with text, or no label naming a
    theme of the study. A table of zeros would read as a result."""
    if not gold.texts:
        why = f" ({len(gold.skipped)} without text)" if gold.skipped else ""
        raise InputFileError(path, f"no row to score{why}",
                             hint=f"put one text per row under the header, its labels in "
                                  f"column {label_col!r}")
    if names.study and not any(g & set(names.study) for g in gold.labels):
        found = Counter(x for g in gold.labels for x in g).most_common(8)
        listed = ", ".join(f"{k} ×{n}" for k, n in found) or "none, every label cell is empty"
        raise InputFileError(
            path, f"no label in column {label_col!r} names a theme of the study, so there is "
                  f"nothing to score (labels found: {listed})",
            hint=f"use theme ids or labels — {names.describe()} — or map yours with "
                 f"--label-map GOLD=THEME")


def label_counts(gold: Sequence[set[str]], themes: Sequence[str], outside: Sequence[str] = ()
                 ) -> tuple[dict[str, int], dict[str, int]]:
    """(labels no codebook theme has → rows, outside-scope themes → rows), sorted by label."""
    counts = Counter(t for g in gold for t in g)
    unknown = {t: n for t, n in sorted(counts.items()) if t not in themes and t not in outside}
    out = {t: n for t, n in sorted(counts.items()) if t in outside}
    return unknown, out
