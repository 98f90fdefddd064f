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
from .errors import VoiceminerError
from .label_files import ThemeNames
from .schema import analysed_mask, check_units

MIN_COUNT = 3


def resolve_theme(codebook: Codebook, name: str) -> str:
    """The id of the study theme ``name`` names — its id in any case or its label (工资收入) —
    so a user can type what the report shows. Outside-scope themes are refused with the reason:
    units are never coded with them, so no term could be found."""
    names = ThemeNames.of(codebook)
    theme = names.resolve(name)
    if theme in names.outside:
        raise VoiceminerError(f"{theme} ({names.labels[theme]}) is outside the study's scope: "
                              f"units are never coded with it, so there is nothing to suggest "
                              f"terms from; pick a theme of the study: {names.describe()}")
    if theme is None:
        raise VoiceminerError(f"no theme {name!r} in the codebook; it has: {names.describe()}")
    return theme


def no_terms_reason(units: pd.DataFrame, theme: str, *, min_count: int = MIN_COUNT) -> str:
    """Why :func:`suggest_terms` found nothing, in words a user can act on."""
    live = units.loc[analysed_mask(units)]
    coded = int(live["themes"].map(lambda ts: theme in ts).sum())
    if not coded:
        return (f"no unit in these files is coded '{theme}' (of {len(live)} analysed units), so "
                f"no word goes with it here; try a corpus where it is raised")
    units_are = f"{coded} unit{'s are' if coded > 1 else ' is'}"
    return (f"{units_are} coded '{theme}', but no word beyond the codebook's terms occurs in "
            f"{min_count} or more of them more often than elsewhere")


def suggest_terms(units: pd.DataFrame, theme: str, codebook: Codebook, *, top: int = 30,
                  min_count: int = MIN_COUNT, examples: int = 2) -> pd.DataFrame:
    """Candidate terms for ``theme`` with PPMI, counts and example quotes (unit ids and text).

    ``theme`` is an id or label (see :func:`resolve_theme`); an empty table means nothing was
    found, and :func:`no_terms_reason` says why.
    """
    check_units(units, "code")
    if top < 1:
        raise ValueError(f"The 'top' parameter of suggest_terms must be an int in the range "
                         f"[1, inf). Got {top} instead.")
    theme = resolve_theme(codebook, theme)
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
