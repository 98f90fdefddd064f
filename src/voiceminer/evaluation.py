"""Scoring coded themes against gold labels: per-theme precision, recall, F1, confusions.

Kept apart from the coders so that the same numbers come out of the tests, the benchmarks and
``voiceminer evaluate``. Themes only one side knows are reported apart, never silently dropped:
a gold label the codebook lacks is a gap in the codebook, not a scoring detail. Reading the gold
file and naming its labels is :mod:`voiceminer.label_files`'s job.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .label_files import label_counts

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


# -- evaluating the coder against a gold file ---------------------------------------------------

@dataclass
class EvaluationReport:
    """Scores of the current coder on a gold file, with what could not be compared kept apart."""

    scores: pd.DataFrame  # per shared theme, then micro and macro
    confusions: pd.DataFrame  # (gold, predicted, count): missed gold theme vs wrongly predicted one
    gold_only: dict[str, int]  # gold labels the codebook lacks -> support (not scored)
    codebook_only: dict[str, int]  # codebook themes absent from gold -> times predicted (not scored)
    rows: int
    skipped: list[str] = field(default_factory=list)  # "row N: reason"
    outside: dict[str, int] = field(default_factory=dict)  # outside-scope themes in gold -> rows
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "rows": self.rows,
            "scores": self.scores.to_dict(orient="records"),
            "confusions": self.confusions.to_dict(orient="records"),
            "gold_only": self.gold_only,
            "codebook_only": self.codebook_only,
            "outside": self.outside,
            "skipped": self.skipped,
            "warnings": self.warnings,
        }


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
                         themes: Sequence[str], *, skipped: list[str] | None = None,
                         outside: Sequence[str] = (), warnings: list[str] | None = None
                         ) -> EvaluationReport:
    """Score on the themes both sides know; report the others apart.

    Gold labels naming ``outside`` themes are codebook themes the coder never reports: they are
    counted apart (a row labelled only out_housing expects no study theme), not listed among the
    labels the codebook lacks.
    """
    gold_themes = sorted({t for g in gold for t in g})
    shared = [t for t in themes if t in gold_themes]
    gold_only, outside_counts = label_counts(gold, themes, outside)
    codebook_only = {t: sum(t in p for p in predicted) for t in themes if t not in gold_themes}
    scoped_gold = [g & set(shared) for g in gold]
    scoped_pred = [p & set(shared) for p in predicted]
    return EvaluationReport(
        scores=score_multilabel(scoped_gold, scoped_pred, shared),
        confusions=confusion_pairs(scoped_gold, scoped_pred),
        gold_only=gold_only, codebook_only=codebook_only, rows=len(gold),
        skipped=list(skipped or []), outside=outside_counts, warnings=list(warnings or []))
