"""Measuring and improving coding: evaluate on gold, train on annotations, pick units to annotate.

These sit between the coder (rules + optional model) and the CLI, so a notebook gets the same
numbers as ``voiceminer evaluate`` and the same suggestions as ``voiceminer suggest``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook
from .coding import ThemeCoder
from .errors import InputFileError, VoiceminerError
from .evaluation import EvaluationReport, evaluate_predictions, prf, score_multilabel
from .label_files import (GoldLabels, ThemeNames, check_scorable, label_counts, read_gold,
                          read_gold_file)
from .learn.model import (MIN_POSITIVES, MIN_UNITS, ThemeModel, learnable, require_themes,
                          text_groups)
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


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class TrainingReport:
    """A trained, saved model with its out-of-fold scores, and what of the file it could not use."""

    model: ThemeModel
    scores: pd.DataFrame
    folder: Path
    folds: int
    skipped: list[str] = field(default_factory=list)  # "row N: reason"
    not_in_codebook: dict[str, int] = field(default_factory=dict)  # label -> rows
    outside: dict[str, int] = field(default_factory=dict)  # outside-scope theme -> rows
    warnings: list[str] = field(default_factory=list)


def train_file(path: str | Path, out: str | Path, *, text_col: str = "text",
               label_col: str = "themes", label_map: dict[str, str] | None = None,
               coder: ThemeCoder | None = None, folds: int = 5, random_state: int = 0
               ) -> TrainingReport:
    """Fit a ThemeModel on annotated units, score it by cross-validation, save it to ``out``.

    The scores in the card are out-of-fold: each unit is predicted by a model that saw neither it
    nor any identical text, combined with the rules the way ``analyze --model`` combines them.
    What can make training useless — an ``out`` that is a file, too few rows, no theme with
    enough examples — is refused before the cross-validation, the slow part.
    """
    coder = coder or make_coder()
    folder = check_model_folder(out)
    names = ThemeNames.of(coder.codebook)
    gold = read_gold_file(path, text_col, label_col, label_map=label_map,
                          codebook=coder.codebook, what="labels file")
    themes = list(coder.codebook.ids)
    unknown, outside = label_counts(gold.labels, themes, names.outside)
    labels = [ls & set(themes) for ls in gold.labels]
    cleans = [clean_text(t) for t in gold.texts]
    splits = grouped_folds(cleans, folds, random_state)
    _check_enough_units(path, gold, cleans, splits, folds)
    _check_learnable(path, labels, themes, unknown)
    predicted = _out_of_fold(gold.texts, cleans, labels, themes, splits, coder, random_state)
    scores = score_multilabel(labels, predicted, themes)
    model = ThemeModel(random_state=random_state).fit(cleans, labels, themes)
    summary = scores.set_index("theme").loc[["micro", "macro"], ["precision", "recall", "f1"]]
    model.save(folder, data_hash=file_sha256(path), name=folder.name, scores={
        "cross_validated": {k: {m: float(v) for m, v in row.items()}
                            for k, row in summary.iterrows()},
        "folds": len(splits), "labels_not_in_codebook": list(unknown),
        "training_file": Path(path).name})
    return TrainingReport(model, scores, folder, len(splits), gold.skipped, unknown, outside,
                          gold.warnings)


def train_from_csv(path: str | Path, out: str | Path, *, text_col: str = "text",
                   label_col: str = "themes", label_map: dict[str, str] | None = None,
                   coder: ThemeCoder | None = None, folds: int = 5, random_state: int = 0
                   ) -> tuple[ThemeModel, pd.DataFrame]:
    """(model, out-of-fold scores) of :func:`train_file`, for callers that need only those."""
    report = train_file(path, out, text_col=text_col, label_col=label_col, label_map=label_map,
                        coder=coder, folds=folds, random_state=random_state)
    return report.model, report.scores


def check_model_folder(out: str | Path) -> Path:
    """``out`` as a folder a model can be saved in; checked before training, not after it."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise VoiceminerError(f"{folder} is an existing file, and a model is saved as a folder; "
                              f"pass a new folder name with --out (e.g. {folder}_model).")
    parent = next((p for p in folder.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise VoiceminerError(f"cannot create the model folder {folder}: {parent} is a file; "
                              f"pass another folder with --out.")
    return folder


def grouped_folds(cleans: Sequence[str], folds: int, random_state: int
                  ) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) row indices of k folds over distinct texts.

    Identical texts share a fold, so a duplicated row is never scored by a model trained on its
    twin. Without duplicates these are exactly ``KFold``'s folds over the rows.
    """
    from sklearn.model_selection import KFold

    groups = text_groups(cleans)
    n_groups = len(set(groups.tolist()))
    if n_groups < 2:
        return []
    kf = KFold(min(folds, n_groups), shuffle=True, random_state=random_state)
    return [(np.flatnonzero(np.isin(groups, tr)), np.flatnonzero(np.isin(groups, te)))
            for tr, te in kf.split(np.arange(n_groups))]


def min_training_rows(folds: int) -> int:
    """Fewest distinct texts for which every one of ``folds`` training folds has MIN_UNITS."""
    n = MIN_UNITS
    while n - -(-n // folds) < MIN_UNITS:
        n += 1
    return n


def _check_enough_units(path: str | Path, gold: GoldLabels, cleans: Sequence[str],
                        splits: list[tuple[np.ndarray, np.ndarray]], folds: int) -> None:
    """Refuse a file too small to cross-validate, counting the file's usable rows (what the
    user can check) rather than the size of a fold."""
    smallest = min((len(train) for train, _ in splits), default=0)
    if len(cleans) >= MIN_UNITS and smallest >= MIN_UNITS:
        return
    skipped = "; ".join(gold.skipped[:3])
    extra = f"; {len(gold.skipped)} more skipped ({skipped})" if gold.skipped else ""
    repeats = len(cleans) - len(set(cleans))
    if repeats:
        extra += f"; {repeats} repeat an earlier text and share its fold"
    raise InputFileError(path, f"training needs at least {min_training_rows(folds)} labelled "
                               f"units, so that each of the {folds} cross-validation folds trains "
                               f"on {MIN_UNITS}; the file has {len(cleans)} usable rows{extra}",
                         hint="label more units, then train again")


def _check_learnable(path: str | Path, labels: Sequence[set[str]], themes: Sequence[str],
                     unknown: dict[str, int]) -> None:
    """Refuse labels from which no theme can be learned: the model would have no themes and
    ``analyze --model`` / ``suggest`` would silently get nothing from it."""
    n = len(labels)
    counts = {t: sum(t in ls for ls in labels) for t in themes}
    if any(learnable(c, n) for c in counts.values()):
        return
    per_theme = ", ".join(f"{t} {c}/{n - c}" for t, c in counts.items() if c) or "none"
    unused = ", ".join(t for t, c in counts.items() if not c)
    unused = f"; no unit is labelled {unused}" if unused else ""
    hint = "label more units with their themes"
    if unknown:
        hint = (f"labels not in the codebook: {', '.join(unknown)} — map them with --label-map "
                f"GOLD=THEME, or {hint}")
    raise InputFileError(path, f"no theme has enough examples to learn: each needs "
                               f"{MIN_POSITIVES} or more units labelled with it and 1 or more "
                               f"without (units with/without: {per_theme}{unused})", hint=hint)


def _out_of_fold(texts: Sequence[str], cleans: Sequence[str], labels: Sequence[set[str]],
                 themes: Sequence[str], splits: list[tuple[np.ndarray, np.ndarray]],
                 coder: ThemeCoder, random_state: int) -> list[set[str]]:
    """Each unit's themes from the rules plus a model fitted on the other folds."""
    predicted: list[set[str]] = [set() for _ in texts]
    for train_idx, test_idx in splits:
        fold_model = ThemeModel(random_state=random_state).fit(
            [cleans[i] for i in train_idx], [labels[i] for i in train_idx], themes)
        fold_pred = code_texts([texts[i] for i in test_idx], coder, fold_model)
        for i, p in zip(test_idx, fold_pred):
            predicted[i] = p
    return predicted


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
