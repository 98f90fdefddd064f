"""Scoring multi-label theme coding against a gold standard.

Kept apart from the coders so that the same numbers come out of the tests, the benchmarks and
``voiceminer evaluate``. Themes only one side knows are reported apart, never silently dropped:
a gold label the codebook lacks is a gap in the codebook, not a scoring detail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InputFileError

SCORE_COLUMNS = ("theme", "precision", "recall", "f1", "support", "predicted", "tp")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_multilabel(gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]],
                     themes: Sequence[str]) -> pd.DataFrame:
    """Per-theme precision, recall, F1 and support, then ``micro`` and ``macro`` rows.

    Only ``themes`` are scored; labels outside it are ignored on both sides, so the caller decides
    what to do with themes one side does not know.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} rows but predicted has {len(predicted)}.")
    rows, totals = [], [0, 0, 0]
    for theme in themes:
        tp = fp = fn = 0
        for g, p in zip(gold, predicted):
            in_g, in_p = theme in set(g), theme in set(p)
            tp += in_g and in_p
            fp += in_p and not in_g
            fn += in_g and not in_p
        prec, rec, f1 = prf(tp, fp, fn)
        rows.append((theme, prec, rec, f1, tp + fn, tp + fp, tp))
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    tp, fp, fn = totals
    micro = prf(tp, fp, fn)
    scored = [r for r in rows if r[4] > 0]
    macro = tuple(sum(r[i] for r in scored) / len(scored) if scored else 0.0 for i in (1, 2, 3))
    rows.append(("micro", *micro, tp + fn, tp + fp, tp))
    rows.append(("macro", *macro, tp + fn, tp + fp, tp))
    out = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    out[["precision", "recall", "f1"]] = out[["precision", "recall", "f1"]].round(4)
    return out


# -- evaluating the coder against a gold CSV ----------------------------------------------------

@dataclass
class EvaluationReport:
    """Scores of the current coder on a gold file, with what could not be compared kept apart."""

    scores: pd.DataFrame  # per shared theme, then micro and macro
    confusions: pd.DataFrame  # (gold, predicted, count): missed gold theme vs wrongly predicted one
    gold_only: dict[str, int]  # gold themes the codebook lacks -> support (not scored)
    codebook_only: dict[str, int]  # codebook themes absent from gold -> times predicted (not scored)
    rows: int
    skipped: list[str] = field(default_factory=list)  # "row N: reason"

    def to_dict(self) -> dict:
        return {
            "rows": self.rows,
            "scores": self.scores.to_dict(orient="records"),
            "confusions": self.confusions.to_dict(orient="records"),
            "gold_only": self.gold_only,
            "codebook_only": self.codebook_only,
            "skipped": self.skipped,
        }


def parse_label_map(pairs: Iterable[str]) -> dict[str, str]:
    """``["retirement=social_insurance", "other="]`` → mapping; an empty target drops the label."""
    mapping = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValueError(f"--label-map takes GOLD=THEME pairs (e.g. retirement=social_insurance); "
                             f"got {pair!r}.")
        src, dst = (p.strip() for p in pair.split("=", 1))
        mapping[src] = dst
    return mapping


def read_labelled_csv(path: str | Path, required: Sequence[str], *, what: str = "labels CSV",
                      hint: str = "") -> pd.DataFrame:
    """A UTF-8 CSV of texts and labels as strings, with the ``required`` columns present.

    Shared by gold files (evaluate), annotation files (train) and coder files (agreement), so
    all three fail the same way: naming the file, the missing column and the columns there are.
    """
    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputFileError(path, f"cannot read the {what} ({exc})",
                             hint="save it as UTF-8 CSV with a header row") from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputFileError(path, f"no column {', '.join(map(repr, missing))}",
                             hint=f"columns are: {', '.join(df.columns)}{hint}")
    return df


def read_gold(path: str | Path, text_col: str, label_col: str, *, sep: str = ";",
              label_map: dict[str, str] | None = None) -> tuple[list[str], list[set[str]], list[str]]:
    """Texts and label sets of a gold CSV; rows without text are listed, not silently dropped."""
    df = read_labelled_csv(path, (text_col, label_col), what="gold CSV",
                           hint="; pass --text-col/--label-col")
    mapping = label_map or {}
    texts, labels, skipped = [], [], []
    for i, (text, raw) in enumerate(zip(df[text_col], df[label_col]), start=2):
        if not text.strip():
            skipped.append(f"row {i}: empty text")
            continue
        names = (mapping.get(x.strip(), x.strip()) for x in raw.split(sep) if x.strip())
        texts.append(text)
        labels.append({n for n in names if n})
    return texts, labels, skipped


def confusion_pairs(gold: Sequence[set[str]], predicted: Sequence[set[str]], top: int = 15
                    ) -> pd.DataFrame:
    """Which gold theme was missed while which other theme was predicted ('(无)' for nothing)."""
    counts: dict[tuple[str, str], int] = {}
    for g, p in zip(gold, predicted):
        missed, extra = sorted(g - p), sorted(p - g)
        for a in missed or (["(无)"] if extra else []):
            for b in extra or ["(无)"]:
                counts[(a, b)] = counts.get((a, b), 0) + 1
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return pd.DataFrame([(a, b, n) for (a, b), n in rows], columns=["gold", "predicted", "count"])


def evaluate_predictions(gold: Sequence[set[str]], predicted: Sequence[set[str]],
                         themes: Sequence[str], *, skipped: list[str] | None = None
                         ) -> EvaluationReport:
    """Score on the themes both sides know; report the others apart."""
    gold_themes = sorted({t for g in gold for t in g})
    shared = [t for t in themes if t in gold_themes]
    gold_only = {t: sum(t in g for g in gold) for t in gold_themes if t not in themes}
    codebook_only = {t: sum(t in p for p in predicted) for t in themes if t not in gold_themes}
    scoped_gold = [g & set(shared) for g in gold]
    scoped_pred = [p & set(shared) for p in predicted]
    return EvaluationReport(
        scores=score_multilabel(scoped_gold, scoped_pred, shared),
        confusions=confusion_pairs(scoped_gold, scoped_pred),
        gold_only=gold_only, codebook_only=codebook_only, rows=len(gold),
        skipped=list(skipped or []))
