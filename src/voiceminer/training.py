"""Training a theme model on annotated units: ``voiceminer train``.

The card's scores are out-of-fold, combined with the rules the way ``analyze --model`` combines
them, and identical texts share a fold (a duplicated row scored by a model trained on its twin
would flatter the model). What would make training useless — an ``--out`` that is a file, too
few rows, no theme with enough examples — is refused before the cross-validation, the slow part.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .coding import ThemeCoder
from .errors import InputFileError, VoiceminerError
from .evaluation import score_multilabel
from .label_files import GoldLabels, ThemeNames, label_counts, read_gold_file
from .learn.model import MIN_POSITIVES, MIN_UNITS, ThemeModel, learnable, text_groups
from .normalize import clean_text
from .quality import code_texts, make_coder


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
