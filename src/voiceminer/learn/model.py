"""``ThemeModel``: one logistic regression per theme on character 1–3-grams of ``clean`` text.

Character n-grams need no segmentation and carry Chinese words and their parts alike, which is
what lets "少发了" stand in for "工资". Each theme gets a decision threshold chosen by
cross-validation on the training labels (the F1-best point), so a theme with few examples is not
judged by the default 0.5.

Saving writes ``model.json`` (themes, thresholds, vectoriser settings and vocabulary) and
``weights.npz`` (idf, coefficients, intercepts; loaded with ``allow_pickle=False``) plus a card:
nothing in a model folder can execute code when it is loaded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..errors import VoiceminerError

FORMAT = "voiceminer.theme_model/1"
MIN_POSITIVES = 3
MIN_UNITS = 10


def learnable(positives: int, units: int) -> bool:
    """Whether a theme with ``positives`` of ``units`` labelled can get a model: at least
    ``MIN_POSITIVES`` examples of it and one unit without it (a single class teaches nothing)."""
    return MIN_POSITIVES <= positives < units


def text_groups(texts: Sequence[str]) -> np.ndarray:
    """One group number per distinct text, in first-seen order.

    Cross-validation keeps a group in one fold: a duplicated row in both the training and the
    test fold is scored on a text the model has seen, which inflates the scores.
    """
    ids: dict[str, int] = {}
    return np.array([ids.setdefault(t, len(ids)) for t in texts], dtype=np.int64)


def require_themes(model: ThemeModel, where: str = "the model") -> None:
    """Refuse a model that learned no theme (every theme had too few examples): it would
    predict nothing and make every unit look equally certain."""
    if not model.themes_:
        seen = ", ".join(f"{t} {n} of {model.n_train_}"
                         for t, n in model.skipped_themes_.items() if n) or "none"
        raise VoiceminerError(f"{where} has no themes: when it was trained no theme had "
                              f"{MIN_POSITIVES} or more units labelled with it and 1 or more "
                              f"without (units with each theme: {seen}); retrain it with more "
                              f"labels ('voiceminer train').")


class ThemeModel:
    """Multi-label theme classifier (scikit-learn conventions: fit returns self, state ends in _).

    Parameters
    ----------
    C : inverse regularisation strength of each logistic regression.
    min_df : a character n-gram must occur in this many training texts to be a feature.
    max_features : cap on the vocabulary, keeping the model folder small.
    random_state : seed for the cross-validation folds used to set thresholds.
    """

    def __init__(self, C: float = 4.0, min_df: int = 2, max_features: int = 60_000,
                 random_state: int = 0) -> None:
        self.C = C
        self.min_df = min_df
        self.max_features = max_features
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------------------------
    def _vectorizer(self):
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=self.min_df,
                               max_features=self.max_features, sublinear_tf=True, dtype=np.float32)

    def fit(self, texts: Sequence[str], labels: Sequence[set[str]], themes: Sequence[str]
            ) -> ThemeModel:
        """Learn from ``texts`` (clean) and their theme sets; themes with < 3 examples are skipped."""
        from sklearn.linear_model import LogisticRegression

        if len(texts) != len(labels):
            raise ValueError(f"texts has {len(texts)} rows but labels has {len(labels)}.")
        if len(texts) < MIN_UNITS:
            raise VoiceminerError(f"Training needs at least {MIN_UNITS} labelled units; "
                                  f"got {len(texts)}.")
        vec = self._vectorizer()
        X = vec.fit_transform(texts)
        Y = np.array([[t in ls for t in themes] for ls in labels], dtype=bool)
        keep = [j for j, _ in enumerate(themes) if learnable(int(Y[:, j].sum()), len(texts))]
        groups = text_groups(texts)
        self.themes_ = [themes[j] for j in keep]
        self.skipped_themes_ = {themes[j]: int(Y[:, j].sum()) for j in range(len(themes))
                                if j not in keep}
        coef = np.zeros((len(keep), X.shape[1]), dtype=np.float32)
        intercept = np.zeros(len(keep), dtype=np.float32)
        thresholds = np.full(len(keep), 0.5, dtype=np.float32)
        cv_f1 = {}
        for row, j in enumerate(keep):
            y = Y[:, j]
            clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000,
                                     solver="liblinear")
            clf.fit(X, y)
            coef[row], intercept[row] = clf.coef_[0], clf.intercept_[0]
            thresholds[row], cv_f1[themes[j]] = self._threshold(X, y, groups)
        self.vocabulary_ = {str(k): int(v) for k, v in vec.vocabulary_.items()}
        self.idf_ = vec.idf_.astype(np.float32)
        self.coef_, self.intercept_, self.thresholds_ = coef, intercept, thresholds
        self.cv_f1_ = cv_f1
        self.n_train_ = len(texts)
        return self

    def _threshold(self, X, y: np.ndarray, groups: np.ndarray) -> tuple[float, float]:
        """F1-best threshold on 3-fold out-of-fold probabilities, bounded to [0.3, 0.9].

        Identical texts (one ``groups`` number) stay in one fold, so a duplicated row does not
        raise the F1 the threshold is chosen on; without duplicates the folds are plain
        stratified ones, as before grouping was added.
        """
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import (StratifiedGroupKFold, StratifiedKFold,
                                             cross_val_predict)

        folds = min(3, len(set(groups[y])), len(set(groups[~y])))
        if folds < 2:
            return 0.5, float("nan")
        clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000,
                                 solver="liblinear")
        grouped = len(set(groups.tolist())) < len(groups)
        cv = (StratifiedGroupKFold if grouped else StratifiedKFold)(
            folds, shuffle=True, random_state=self.random_state)
        try:
            p = cross_val_predict(clf, X, y, groups=groups if grouped else None, cv=cv,
                                  method="predict_proba")[:, 1]
        except ValueError:  # a grouped training fold left with one class: no threshold to learn
            return 0.5, float("nan")
        best_t, best_f1 = 0.5, -1.0
        for t in np.arange(0.3, 0.91, 0.05):
            pred = p >= t
            tp = float((pred & y).sum())
            f1 = 2 * tp / (pred.sum() + y.sum()) if pred.sum() + y.sum() else 0.0
            if f1 > best_f1 + 1e-9:
                best_t, best_f1 = float(round(t, 2)), f1
        return best_t, round(best_f1, 4)

    # -- predicting --------------------------------------------------------------------------
    def _check(self) -> None:
        if not hasattr(self, "coef_"):
            raise RuntimeError("This ThemeModel is not fitted yet; call fit() or load_model().")

    def transform_texts(self, texts: Sequence[str]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._check()
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                              vocabulary=self.vocabulary_, dtype=np.float32)
        vec.idf_ = self.idf_
        return vec.transform(texts)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, shape (len(texts), len(themes_))."""
        X = self.transform_texts(texts)
        z = X @ self.coef_.T + self.intercept_
        return 1.0 / (1.0 + np.exp(-np.asarray(z)))

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Per text, the themes whose probability reaches their threshold, with the probability."""
        P = self.predict_proba(texts)
        return [{t: round(float(p[j]), 2) for j, t in enumerate(self.themes_)
                 if p[j] >= self.thresholds_[j]} for p in P]

    # -- storage -----------------------------------------------------------------------------
    def save(self, folder: str | Path, *, data_hash: str = "", scores: dict | None = None,
             name: str = "") -> Path:
        """Write model.json, weights.npz and card.json into ``folder``."""
        self._check()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        spec = {
            "format": FORMAT, "themes": self.themes_,
            "thresholds": [float(t) for t in self.thresholds_],
            "params": {"C": self.C, "min_df": self.min_df, "max_features": self.max_features,
                       "random_state": self.random_state},
            "vocabulary": dict(sorted(self.vocabulary_.items(), key=lambda kv: kv[1])),
        }
        (folder / "model.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(folder / "weights.npz", idf=self.idf_, coef=self.coef_,
                            intercept=self.intercept_)
        card = {
            "name": name or folder.name, "format": FORMAT,
            "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "training_units": self.n_train_, "data_sha256": data_hash,
            "themes": self.themes_, "themes_without_model": self.skipped_themes_,
            "cv_f1_by_theme": self.cv_f1_, "scores": scores or {},
            "weights_sha256": hashlib.sha256((folder / "weights.npz").read_bytes()).hexdigest(),
        }
        (folder / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2),
                                          encoding="utf-8")
        return folder


def load_model(folder: str | Path) -> ThemeModel:
    """Load a model folder written by ``ThemeModel.save``; checks the weights against the card."""
    folder = Path(folder)
    if folder.is_file():
        hint = f" ({folder.parent})" if folder.name in ("model.json", "card.json",
                                                         "weights.npz") else ""
        raise VoiceminerError(f"{folder} is a file; pass the model's folder{hint}, the one "
                              f"holding model.json, weights.npz and card.json.")
    try:
        spec = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        raw = (folder / "weights.npz").read_bytes()
    except FileNotFoundError as exc:
        raise VoiceminerError(f"{folder}: not a voiceminer model folder ({Path(exc.filename).name} "
                              f"missing); train one with 'voiceminer train'.") from None
    except (OSError, ValueError) as exc:  # unreadable, or JSON that is not JSON
        raise VoiceminerError(f"{folder}: cannot read the model ({exc}); retrain it with "
                              f"'voiceminer train'.") from None
    if spec.get("format") != FORMAT:
        raise VoiceminerError(f"{folder}: unknown model format {spec.get('format')!r}; "
                              f"expected {FORMAT}.")
    if card.get("weights_sha256") and hashlib.sha256(raw).hexdigest() != card["weights_sha256"]:
        raise VoiceminerError(f"{folder}/weights.npz does not match its card (changed after "
                              f"training?); retrain the model.")
    with np.load(folder / "weights.npz", allow_pickle=False) as w:
        model = ThemeModel(**spec["params"])
        model.idf_, model.coef_, model.intercept_ = w["idf"], w["coef"], w["intercept"]
    model.themes_ = list(spec["themes"])
    model.thresholds_ = np.array(spec["thresholds"], dtype=np.float32)
    model.vocabulary_ = spec["vocabulary"]
    model.cv_f1_ = card.get("cv_f1_by_theme", {})
    model.skipped_themes_ = card.get("themes_without_model", {})
    model.n_train_ = card.get("training_units", 0)
    return model
