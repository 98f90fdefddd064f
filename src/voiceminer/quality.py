"""Measuring and improving coding: evaluate on gold, train on annotations, pick units to annotate.

These sit between the coder (rules + optional model) and the CLI, so a notebook gets the same
numbers as ``voiceminer evaluate`` and the same suggestions as ``voiceminer suggest``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook
from .coding import ThemeCoder
from .evaluation import EvaluationReport, evaluate_predictions, prf, read_gold, score_multilabel
from .learn.model import ThemeModel
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
                  model: ThemeModel | None = None, sep: str = ";") -> EvaluationReport:
    """Code the gold file's texts with the current codebook (and model) and score them."""
    coder = coder or make_coder()
    texts, gold, skipped = read_gold(path, text_col, label_col, sep=sep, label_map=label_map)
    predicted = code_texts(texts, coder, model)
    return evaluate_predictions(gold, predicted, coder.codebook.ids, skipped=skipped)


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


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def train_from_csv(path: str | Path, out: str | Path, *, text_col: str = "text",
                   label_col: str = "themes", label_map: dict[str, str] | None = None,
                   coder: ThemeCoder | None = None, folds: int = 5, random_state: int = 0
                   ) -> tuple[ThemeModel, pd.DataFrame]:
    """Fit a ThemeModel on annotated units, score it by cross-validation, save it to ``out``.

    The scores in the card are out-of-fold: each unit is predicted by a model that did not see
    it, combined with the rules the way ``analyze --model`` combines them.
    """
    from sklearn.model_selection import KFold

    coder = coder or make_coder()
    texts, labels, _skipped = read_gold(path, text_col, label_col, label_map=label_map)
    themes = list(coder.codebook.ids)
    unknown = sorted({t for ls in labels for t in ls} - set(themes))
    labels = [ls & set(themes) for ls in labels]
    cleans = [clean_text(t) for t in texts]
    predicted: list[set[str]] = [set() for _ in texts]
    kf = KFold(min(folds, len(texts)), shuffle=True, random_state=random_state)
    for train_idx, test_idx in kf.split(np.arange(len(texts))):
        fold_model = ThemeModel(random_state=random_state).fit(
            [cleans[i] for i in train_idx], [labels[i] for i in train_idx], themes)
        fold_pred = code_texts([texts[i] for i in test_idx], coder, fold_model)
        for i, p in zip(test_idx, fold_pred):
            predicted[i] = p
    scores = score_multilabel(labels, predicted, themes)
    model = ThemeModel(random_state=random_state).fit(cleans, labels, themes)
    summary = scores.set_index("theme").loc[["micro", "macro"], ["precision", "recall", "f1"]]
    model.save(out, data_hash=file_sha256(path), name=Path(out).name, scores={
        "cross_validated": {k: {m: float(v) for m, v in row.items()}
                            for k, row in summary.iterrows()},
        "folds": kf.get_n_splits(), "labels_not_in_codebook": unknown,
        "training_file": Path(path).name})
    return model, scores


def uncertain_units(units: pd.DataFrame, model: ThemeModel, n: int = 50) -> pd.DataFrame:
    """The ``n`` analysed units whose labels the model is least sure of (closest to a threshold).

    Annotating these first moves the model most per unit annotated (uncertainty sampling). The
    result has the labels-CSV columns (unit_id, text, themes — prefilled with the current labels)
    plus the theme in doubt and its probability, so it can be corrected and fed to ``train``.
    """
    from .schema import analysed_mask

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
