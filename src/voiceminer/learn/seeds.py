"""Self-training from the codebook, and merging a model's labels into the units table.

The codebook's matches are the seeds: precise, but blind to paraphrase. A model fitted on them
over the corpus being analysed picks up the paraphrases that co-occur with the seeds. Its labels
are added, never subtracted, and never where the rules saw a theme and dropped it on purpose
(社保还行, 从来没被罚款): a context rule outranks a model.
"""

from __future__ import annotations

import pandas as pd

from ..coding import ThemeCoder
from ..schema import analysed_mask, check_units
from .model import ThemeModel

MIN_SEED_UNITS = 50


def seed_model(units: pd.DataFrame, coder: ThemeCoder, *, random_state: int = 0
               ) -> ThemeModel | None:
    """A ThemeModel fitted on rule-coded units (positives) and uncoded units (negatives), or
    None when the corpus is too small to learn anything the rules do not already say."""
    check_units(units, "code")
    live = units.loc[analysed_mask(units)]
    if len(live) < MIN_SEED_UNITS or live["themes"].map(len).sum() < MIN_SEED_UNITS // 2:
        return None
    labels = [set(t) for t in live["themes"]]
    model = ThemeModel(random_state=random_state)
    model.fit(live["clean"].tolist(), labels, coder.codebook.ids)
    return model if model.themes_ else None


def apply_model(units: pd.DataFrame, model: ThemeModel, coder: ThemeCoder, *,
                max_chars: int | None = None) -> pd.DataFrame:
    """Add the model's themes to analysed units, with ``theme:model:0.83`` as evidence.

    ``max_chars`` limits additions to texts shorter than that (long texts carry background
    mentions the model cannot tell from concerns); default: the codebook's salience length.
    """
    check_units(units, "code")
    limit = coder.codebook.salience_min_chars if max_chars is None else max_chars
    out = units.copy()
    ok = analysed_mask(out).to_numpy()
    idx = [i for i in range(len(out)) if ok[i] and len(out["clean"].iat[i]) < limit]
    if not idx:
        return out
    predictions = model.predict([out["clean"].iat[i] for i in idx])
    order = {t: k for k, t in enumerate(coder.codebook.ids)}
    themes, evidence = out["themes"].tolist(), out["evidence"].tolist()
    for i, pred in zip(idx, predictions):
        have = set(themes[i])
        new = {t: p for t, p in pred.items() if t not in have and t in order}
        if new:
            new = {t: p for t, p in new.items() if t not in coder.suppressed(out["clean"].iat[i])}
        if new:
            themes[i] = sorted([*have, *new], key=order.__getitem__)
            evidence[i] = [*evidence[i], *(f"{t}:model:{p:.2f}" for t, p in sorted(new.items()))]
    out["themes"], out["evidence"] = themes, evidence
    return out
