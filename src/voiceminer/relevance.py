"""Does a text raise a worker's concern at all? A screen learned from the corpus itself.

Mixed sources — a city message board, a drivers' forum — hold many texts about other things
(a flat's leaking roof, a school place, a hospital bill) that use the study's words in passing:
工资, 安全隐患, 考试. The codebook's rules alone flag too many of them. The screen labels
confident seeds with the rules — texts matching the study's themes several times and no
out-of-scope theme (``scope = "outside"`` in the codebook) are relevant; texts matching no study
theme, or an out-of-scope theme at least twice as often, are not — fits a character n-gram logistic regression on those seeds, re-seeds once from
its confident predictions and scores every text. Nothing is trained on gold labels, so the screen
works on any new corpus; it needs enough seeds of both kinds, else it says so and the rules decide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .coding import ThemeCoder


def rule_signals(coder: ThemeCoder, cleans: Sequence[str], themes: Sequence[str] | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per text: matches of the most-matched study theme, of the most-matched outside theme,
    and the rules' answer (coded with a study theme after the salience rule). ``themes`` narrows
    "study" to some of the codebook's themes (a gold set that only knows labour themes)."""
    study = set(themes or coder.codebook.ids)
    outside = {t.id for t in coder.codebook.outside}
    rows = []
    for clean in cleans:
        evs = coder.evidence(clean)
        counts = Counter(ev.theme for ev in evs)
        coded = {ev.theme for ev in coder.salient(clean, evs)}
        rows.append((max((n for t, n in counts.items() if t in study), default=0),
                     max((n for t, n in counts.items() if t in outside), default=0),
                     bool(coded & study)))
    arr = np.array(rows, dtype=int).reshape(-1, 3)
    return arr[:, 0], arr[:, 1], arr[:, 2].astype(bool)


@dataclass
class RelevanceScreen:
    """Self-trained relevance scores for one corpus (see the module docstring)."""

    min_seed_hits: int = 3
    threshold: float = 0.5
    confident: float = 0.7
    min_seeds: int = 20
    random_state: int = 0
    seeds_: dict[str, int] = field(default_factory=dict, init=False)
    fallback_: str = field(default="", init=False)
    rules_: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool), init=False)

    def fit_predict(self, cleans: Sequence[str], coder: ThemeCoder,
                    themes: Sequence[str] | None = None) -> np.ndarray:
        """Probability that each text raises a concern of the study (or of ``themes``); the
        rules' 0/1 answer where seeds are too few to learn from (``fallback_`` says why)."""
        study, outside, ruled = rule_signals(coder, cleans, themes)
        self.rules_ = ruled
        pos = (study >= self.min_seed_hits) & (outside == 0)
        # Not relevant: no study theme at all, or an out-of-scope theme matched at least twice as
        # often as any study theme (the salience rule, seen from the other side).
        neg = (study == 0) | ((outside >= 2 * study) & (outside >= 2))
        self.seeds_ = {"relevant": int(pos.sum()), "not_relevant": int(neg.sum())}
        if pos.sum() < self.min_seeds or neg.sum() < self.min_seeds:
            self.fallback_ = (f"too few seeds to learn from ({self.seeds_['relevant']} relevant, "
                              f"{self.seeds_['not_relevant']} not; {self.min_seeds} of each needed)"
                              "; the codebook's rules decide")
            return ruled.astype(float)
        rng = np.random.default_rng(self.random_state)
        features = _Features(cleans, rng)
        proba = _fit(features, pos, neg, rng, self.random_state)
        # One round of self-training: confident predictions (that the rules also support) become
        # the seeds, which corrects seeds that only looked relevant by their words.
        pos2 = (proba >= self.confident) & (study >= 1)
        neg2 = proba <= 1 - self.confident
        if pos2.sum() >= self.min_seeds and neg2.sum() >= self.min_seeds:
            proba = _fit(features, pos2, neg2, rng, self.random_state)
        return proba

    def predict(self, cleans: Sequence[str], coder: ThemeCoder,
                themes: Sequence[str] | None = None) -> np.ndarray:
        return self.fit_predict(cleans, coder, themes) >= self.threshold


# Texts the n-gram vocabulary and idf, and each model, are fitted on at most. A million posts'
# character n-grams, counted whole, took 5 GiB; above this size the features of a sample are
# learnt and every text is scored a chunk at a time. Up to it, nothing changes.
FIT_SAMPLE = 100_000
_CHUNK = 50_000


def _sample(n: int, rng: np.random.Generator, size: int = FIT_SAMPLE) -> np.ndarray:
    """Positions of at most ``size`` of ``n`` items, in order (all of them when ``n <= size``)."""
    if n <= size:
        return np.arange(n)
    return np.sort(rng.choice(n, size=size, replace=False))


class _Features:
    """Character 1–3-gram tf-idf rows of the texts: one matrix for a corpus up to
    ``FIT_SAMPLE`` texts; above it a vectoriser fitted on a sample that builds rows on demand."""

    def __init__(self, cleans: Sequence[str], rng: np.random.Generator) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.cleans = cleans
        self.vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2,
                                   sublinear_tf=True, max_features=200_000, dtype=np.float32)
        if len(cleans) <= FIT_SAMPLE:
            self.matrix = self.vec.fit_transform(cleans)
        else:
            self.matrix = None
            self.vec.fit([cleans[i] for i in _sample(len(cleans), rng)])

    def rows(self, idx: np.ndarray):
        if self.matrix is not None:
            return self.matrix[idx]
        return self.vec.transform([self.cleans[i] for i in idx])

    def chunks(self):
        if self.matrix is not None:
            yield self.matrix
            return
        for a in range(0, len(self.cleans), _CHUNK):
            yield self.vec.transform(self.cleans[a:a + _CHUNK])


def _fit(features: _Features, pos: np.ndarray, neg: np.ndarray, rng: np.random.Generator,
         random_state: int) -> np.ndarray:
    """Fit on (at most ``FIT_SAMPLE`` of) the seeds and score every text."""
    from sklearn.linear_model import LogisticRegression

    seeds = np.flatnonzero(pos | neg)
    seeds = seeds[_sample(len(seeds), rng)]
    model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced",
                               random_state=random_state)
    model.fit(features.rows(seeds), pos[seeds])
    return np.concatenate([model.predict_proba(X)[:, 1] for X in features.chunks()])


def screen_units(units, coder: ThemeCoder, *, random_state: int = 0):
    """Set aside coded units that the screen judges not to raise a concern of the study.

    Their themes, evidence and spans are emptied (they stay analysed, so the ledger still counts
    them), and every unit gets a ``relevance`` score — 1/0 from the rules when the corpus is too
    small to learn from. Returns the new table and a one-line account for the run summary.
    """
    from .schema import analysed_mask, check_units

    check_units(units, "code")
    out = units.copy(deep=False)  # columns are replaced, not changed in place: no deep copy
    ok = analysed_mask(out).to_numpy()
    idx = np.flatnonzero(ok)
    scores = np.full(len(out), np.nan)
    screen = RelevanceScreen(random_state=random_state)
    if len(idx):
        scores[idx] = screen.fit_predict([out["clean"].iat[i] for i in idx], coder)
    drop = ok & (scores < screen.threshold) & out["themes"].map(bool).to_numpy()
    for col in ("themes", "evidence", "spans"):
        out[col] = [[] if d else v for d, v in zip(drop, out[col])]
    out["relevance"] = np.round(scores, 4)
    note = (f"relevance screen: {int(drop.sum())} coded units set aside as not about the "
            f"study's concerns (seeds {screen.seeds_})")
    return out, note + (f"; {screen.fallback_}" if screen.fallback_ else "")
