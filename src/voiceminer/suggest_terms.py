"""Codebook growth: words that go with a theme in this corpus but are not yet among its terms.

Positive pointwise mutual information between a token and the theme, counted per unit: how much
more often the token appears in units the theme's rules caught than its overall rate predicts.
Rare tokens are held back by a minimum count, since a PMI on two units means little.
"""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd

from .codebook import Codebook
from .schema import analysed_mask, check_units


def suggest_terms(units: pd.DataFrame, theme: str, codebook: Codebook, *, top: int = 30,
                  min_count: int = 3, examples: int = 2) -> pd.DataFrame:
    """Candidate terms for ``theme`` with PPMI, counts and example quotes (unit ids and text)."""
    check_units(units, "code")
    codebook.theme(theme)  # raises with the list of themes when unknown
    live = units.loc[analysed_mask(units) & units["tokens"].map(len).gt(0)]
    known = {w for t in codebook.themes for w in (*t.terms, *t.exclude)}
    in_theme = live["themes"].map(lambda ts: theme in ts).to_numpy()
    n, n_theme = len(live), int(in_theme.sum())
    cols = ["term", "ppmi", "units_in_theme", "units_total", "examples"]
    if n_theme == 0:
        return pd.DataFrame(columns=cols)
    df_all: Counter[str] = Counter()
    df_theme: Counter[str] = Counter()
    for toks, inside in zip(live["tokens"], in_theme):
        s = set(toks)
        df_all.update(s)
        if inside:
            df_theme.update(s)
    rows = []
    for term, joint in df_theme.items():
        if joint < min_count or term in known or len(term) < 2:
            continue
        ppmi = max(0.0, math.log((joint / n) / ((df_all[term] / n) * (n_theme / n))))
        if ppmi > 0:
            rows.append((term, round(ppmi, 4), joint, df_all[term]))
    rows.sort(key=lambda r: (-r[1] * math.log1p(r[2]), r[0]))
    texts = live.loc[in_theme, ["unit_id", "tokens", "text"]]
    out = []
    for term, ppmi, joint, total in rows[:top]:
        hits = texts.loc[texts["tokens"].map(lambda ts, t=term: t in ts)].head(examples)
        quote = " | ".join(f"{u}: {str(t)[:60]}" for u, t in zip(hits["unit_id"], hits["text"]))
        out.append((term, ppmi, joint, total, quote))
    return pd.DataFrame(out, columns=cols)
