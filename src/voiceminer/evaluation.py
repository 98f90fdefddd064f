"""Scoring multi-label theme coding against a gold standard.

Kept apart from the coders so that the same numbers come out of the tests, the benchmarks and
(later) ``voiceminer evaluate``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

SCORE_COLUMNS = ("theme", "precision", "recall", "f1", "support", "predicted", "tp")


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
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
        prec, rec, f1 = _prf(tp, fp, fn)
        rows.append((theme, prec, rec, f1, tp + fn, tp + fp, tp))
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    tp, fp, fn = totals
    micro = _prf(tp, fp, fn)
    scored = [r for r in rows if r[4] > 0]
    macro = tuple(sum(r[i] for r in scored) / len(scored) if scored else 0.0 for i in (1, 2, 3))
    rows.append(("micro", *micro, tp + fn, tp + fp, tp))
    rows.append(("macro", *macro, tp + fn, tp + fp, tp))
    out = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    out[["precision", "recall", "f1"]] = out[["precision", "recall", "f1"]].round(4)
    return out
