"""Measuring and improving coding: evaluate on gold, pick units to annotate next.

These sit between the coder (rules + optional model) and the CLI, so a notebook gets the same
numbers as ``voiceminer evaluate`` and the same suggestions as ``voiceminer suggest``. Training
on annotations is :mod:`voiceminer.training`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook
from .coding import ThemeCoder
from .errors import VoiceminerError
from .evaluation import EvaluationReport, evaluate_predictions, prf
from .label_files import ThemeNames, check_scorable, read_gold, read_gold_file
from .learn.model import ThemeModel, require_themes
from .normalize import clean_text
from .pipeline import make_segmenter
from .settings import Settings


def make_coder(codebook: Codebook | None = None, settings: Settings | None = None) -> ThemeCoder:
    settings = settings or Settings()
    codebook = codebook or Codebook.load(settings.codebook)
    return ThemeCoder(codebook, make_segmenter(codebook, settings))


def code_texts(texts: Sequence[str], coder: ThemeCoder, model: ThemeModel | None = None
               ) -> list[set[str]]:
    """Theme sets for raw texts: the codebook's rules, plus a model's labels where given (added
    only to texts shorter than the salience length and never against a context rule)."""
    cleans = [clean_text(t) for t in texts]
    out = [set(coder.code(c)[0]) for c in cleans]
    if model is not None:
        short = [i for i, c in enumerate(cleans) if len(c) < coder.codebook.salience_min_chars]
        for i, pred in zip(short, model.predict([cleans[i] for i in short])):
            extra = set(pred) - out[i]
            if extra:
                out[i] |= extra - coder.suppressed(cleans[i])
    return out


def evaluate_file(path: str | Path, *, text_col: str = "text", label_col: str = "labels",
                  label_map: dict[str, str] | None = None, coder: ThemeCoder | None = None,
                  model: ThemeModel | None = None, sep: str | None = None) -> EvaluationReport:
    """Code the gold file's texts with the current codebook (and model) and score them.

    Gold labels may name a theme by id in any case or by its label (工资收入), several to a cell
    split on ``; ； , ， 、 |`` (or only ``sep``). A file with nothing to score — no rows, or no
    label naming a theme of the study — raises ``InputFileError`` instead of a table of zeros.
    """
    coder = coder or make_coder()
    names = ThemeNames.of(coder.codebook)
    gold = read_gold_file(path, text_col, label_col, sep=sep, label_map=label_map,
                          codebook=coder.codebook)
    check_scorable(path, gold, names, label_col)
    predicted = code_texts(gold.texts, coder, model)
    return evaluate_predictions(gold.labels, predicted, coder.codebook.ids, skipped=gold.skipped,
                                outside=names.outside, warnings=gold.warnings)


def _binary_scores(gold: np.ndarray, pred: np.ndarray) -> dict[str, float | int]:
    tp, predicted = int((gold & pred).sum()), int(pred.sum())
    p, r, f1 = prf(tp, predicted - tp, int(gold.sum()) - tp)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
            "predicted": predicted, "tp": tp}


def evaluate_relevance(path: str | Path, positive: str, *, text_col: str = "text",
                       label_col: str = "label", coder: ThemeCoder | None = None,
                       themes: Sequence[str] | None = None, sep: str = ";") -> dict:
    """Score "does this text raise a concern of the study at all" against a gold CSV whose
    ``label_col`` names ``positive`` for relevant rows: the codebook's rules alone and the
    self-trained screen (:mod:`voiceminer.relevance`), side by side. ``themes`` limits what
    counts as the study's concern (default: every theme of the codebook)."""
    from .relevance import RelevanceScreen

    coder = coder or make_coder()
    unknown = sorted(set(themes or ()) - set(coder.codebook.ids))
    if unknown:
        raise ValueError(f"no theme {', '.join(unknown)} in the codebook; it has: "
                         f"{', '.join(coder.codebook.ids)}")
    texts, labels, skipped = read_gold(path, text_col, label_col, sep=sep)
    gold = np.array([positive in ls for ls in labels], dtype=bool)
    if not gold.any():
        found = sorted({x for ls in labels for x in ls})[:10]
        raise ValueError(f"{path}: no row of column {label_col!r} is labelled {positive!r}; "
                         f"labels there include: {', '.join(found)}")
    screen = RelevanceScreen()
    screened = screen.predict([clean_text(t) for t in texts], coder, themes)
    return {"rows": len(texts), "positives": int(gold.sum()), "positive_label": positive,
            "themes": list(themes or coder.codebook.ids),
            "rules": _binary_scores(gold, screen.rules_),
            "screen": _binary_scores(gold, screened), "seeds": screen.seeds_,
            "fallback": screen.fallback_, "skipped": skipped}


def check_corpus(units: pd.DataFrame, paths: Sequence[str | Path]) -> None:
    """Refuse a corpus with nothing to analyse: an empty list of suggestions reads as a result."""
    from .schema import analysed_mask

    where = ", ".join(map(str, paths))
    if units.empty:
        raise VoiceminerError(f"no readable files were found in {where}; voiceminer reads .docx, "
                              f".txt, .md, .xlsx, .csv and .jsonl files.")
    if not analysed_mask(units).any():
        reasons = ", ".join(f"{k} {v}" for k, v in units["skip_reason"].value_counts().items())
        raise VoiceminerError(f"no unit to analyse in {where}: all {len(units)} records were "
                              f"skipped ({reasons}).")


def uncertain_units(units: pd.DataFrame, model: ThemeModel, n: int = 50) -> pd.DataFrame:
    """The ``n`` analysed units whose labels the model is least sure of (closest to a threshold).

    Annotating these first moves the model most per unit annotated (uncertainty sampling). The
    result has the labels-CSV columns (unit_id, text, themes — prefilled with the current labels)
    plus the theme in doubt and its probability, so it can be corrected and fed to ``train``.
    """
    from .schema import analysed_mask

    if n < 1:
        raise ValueError(f"The 'n' parameter of uncertain_units must be an int in the range "
                         f"[1, inf). Got {n} instead.")
    require_themes(model)
    live = units.loc[analysed_mask(units)]
    if live.empty:
        return pd.DataFrame(columns=["unit_id", "origin", "text", "themes", "doubt", "probability"])
    P = model.predict_proba(live["clean"].tolist())
    margin = np.abs(P - model.thresholds_[None, :])
    j = margin.argmin(axis=1)
    closest = margin[np.arange(len(live)), j]
    order = np.lexsort((live["unit_id"].to_numpy(), closest))[:n]
    rows = live.iloc[order]
    return pd.DataFrame({
        "unit_id": rows["unit_id"].to_numpy(), "origin": rows["origin"].to_numpy(),
        "text": rows["text"].to_numpy(),
        "themes": [";".join(t) for t in rows["themes"]],
        "doubt": [model.themes_[k] for k in j[order]],
        "probability": np.round(P[order, j[order]], 3),
    })
