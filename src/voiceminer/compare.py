"""Comparison across provinces and groups: prevalence in respondents, and keyness of terms.

Prevalence counts people, not sentences: a courier who complains about fines in five answers is
one voice. The base of every share is the number of respondents with at least one analysed unit
in that province × group, so a share reads "x % of the people we heard from raised this".

Beside each count stands how many of those people raised it unprompted: in at least one unit
whose question did not ask about that theme (``prompting``). A theme the questionnaire asks
everyone about is raised by many; the unprompted count says how many brought it up of their own
accord.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .codebook import OTHER_THEME, Codebook
from .report.model import NATIONAL
from .schema import analysed_mask, check_units

ALL_GROUPS = "全部"
PREVALENCE_COLUMNS = ("province", "group", "level", "theme", "key", "label",
                      "respondents", "base", "share", "unprompted", "unprompted_share")
KEYNESS_COLUMNS = ("province", "term", "z", "count", "count_rest", "share", "share_rest")


def _with_totals(df: pd.DataFrame) -> pd.DataFrame:
    """Add the national (全国) and all-groups (全部) aggregates as extra rows."""
    parts = [df, df.assign(province=NATIONAL), df.assign(group=ALL_GROUPS),
             df.assign(province=NATIONAL, group=ALL_GROUPS)]
    return pd.concat(parts, ignore_index=True)


def respondent_base(units: pd.DataFrame) -> pd.DataFrame:
    """Respondents with at least one analysed unit, per province × group (with totals)."""
    live = units.loc[analysed_mask(units), ["respondent_id", "province", "group"]].astype(str)
    people = _with_totals(live).drop_duplicates()
    return (people.groupby(["province", "group"], sort=True).size()
            .rename("base").reset_index())


def prevalence(units: pd.DataFrame, concerns: pd.DataFrame | None = None,
               codebook: Codebook | None = None, *, asked: np.ndarray | None = None
               ) -> pd.DataFrame:
    """Respondents raising each theme and concern, per province × group, with shares.

    Returns one row per (province, group, level, key) where at least one respondent raised it;
    ``level`` is ``theme`` or ``concern``; province 全国 and group 全部 hold the totals.
    ``asked``: per unit, the themes its question asked about (``prompting.question_themes``);
    without it the ``unprompted`` columns are empty (not known).
    """
    check_units(units, "code")
    wanted = [c for c in ("respondent_id", "province", "group", "themes", "concerns")
              if c in units.columns]
    mask = analysed_mask(units)
    live = units.loc[mask, wanted]  # not the text columns: a copy of each
    if asked is not None:
        live = live.assign(asked=np.asarray(asked, dtype=object)[np.asarray(mask)])
    base = respondent_base(units)
    frames = []
    extra = ["asked"] if asked is not None else []
    themes = live[["respondent_id", "province", "group", "themes", *extra]].explode(
        "themes").dropna(subset=["themes"]).rename(columns={"themes": "key"})
    themes = themes.assign(level="theme", theme=themes["key"])
    frames.append(themes)
    if "concerns" in live.columns:
        cons = live[["respondent_id", "province", "group", "concerns", *extra]].explode(
            "concerns").dropna(subset=["concerns"]).rename(columns={"concerns": "key"})
        cons = cons.assign(level="concern", theme=cons["key"].str.split(".").str[0])
        frames.append(cons)
        # uncoded units carry no theme, so the recurring concerns among them are counted as
        # a theme of their own here: the issue lists' 其他反复出现的问题 section reads this row
        other = cons.loc[cons["theme"] == OTHER_THEME]
        if len(other):
            frames.append(other.assign(level="theme", key=OTHER_THEME))
    mentions = pd.concat(frames, ignore_index=True)
    if mentions.empty:
        return pd.DataFrame(columns=list(PREVALENCE_COLUMNS))
    by = ["province", "group", "level", "theme", "key"]
    prompted = None
    if asked is not None:
        prompted = np.fromiter((t in a for t, a in zip(mentions["theme"], mentions["asked"])),
                               dtype=bool, count=len(mentions))
    mentions = mentions[["respondent_id", *by]].astype(str)
    counted = (_with_totals(mentions).drop_duplicates().groupby(by, sort=True).size()
               .rename("respondents").reset_index())
    if prompted is not None and not prompted.any():  # forum posts only, say: all unprompted
        counted["unprompted"] = counted["respondents"]
    elif prompted is not None:
        own = (_with_totals(mentions.loc[~prompted]).drop_duplicates().groupby(by, sort=True)
               .size().rename("unprompted").reset_index())
        counted = counted.merge(own, on=by, how="left")
        counted["unprompted"] = counted["unprompted"].fillna(0).astype("int64")
    else:
        counted["unprompted"] = pd.array([pd.NA] * len(counted), dtype="Int64")
    out = counted.merge(base, on=["province", "group"], how="left")
    out["share"] = (out["respondents"] / out["base"]).round(6)
    out["unprompted_share"] = (out["unprompted"] / out["base"]).round(6)
    out["label"] = _labels(out, concerns, codebook)
    out = out.sort_values(["province", "group", "level", "respondents", "key"],
                          ascending=[True, True, False, False, True], kind="mergesort")
    return out.loc[:, list(PREVALENCE_COLUMNS)].reset_index(drop=True)


def _labels(rows: pd.DataFrame, concerns: pd.DataFrame | None, codebook: Codebook | None
            ) -> list[str]:
    """Labels of every row from two lookups built once (a per-row search of the concerns table
    grew with concerns × rows)."""
    theme_label: dict[str, str] = {}
    if codebook is not None:
        theme_label = {t: codebook.label(t) for t in (*codebook.ids, OTHER_THEME)}
    concern_label: dict[str, str] = {}
    if concerns is not None and len(concerns):
        for cid, label in zip(concerns["concern_id"], concerns["label"]):
            concern_label.setdefault(cid, str(label))
    return [(theme_label if level == "theme" else concern_label).get(key, key)
            for level, key in zip(rows["level"], rows["key"])]


def keyness(units: pd.DataFrame, *, prior_scale: float = 1.0,
            top_n: int = 30, min_count: int = 3, min_z: float = 1.96) -> pd.DataFrame:
    """Terms distinctive of each province against all the other provinces together.

    Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008): the prior
    is the term's count in the whole corpus times ``prior_scale``, which keeps rare terms from
    topping the list on a count of two. Counts are units containing the term, not occurrences.
    Linear in units: one count over (province, term) codes.
    """
    check_units(units, "segment")
    live = units.loc[analysed_mask(units) & units["tokens"].map(len).gt(0),
                     ["province", "tokens"]]
    if live.empty or live["province"].nunique() < 2:
        return pd.DataFrame(columns=list(KEYNESS_COLUMNS))
    keys = live["province"].astype(str).to_numpy()
    values = sorted(set(keys))
    Y, terms = _units_with_term(live["tokens"], keys, values)  # values × terms
    total = Y.sum(axis=0)
    alpha = prior_scale * total
    a0 = alpha.sum()
    rows = []
    for gi, value in enumerate(values):
        yi, yj = Y[gi], total - Y[gi]
        ni, nj = yi.sum(), yj.sum()
        delta = (np.log((yi + alpha) / (ni + a0 - yi - alpha))
                 - np.log((yj + alpha) / (nj + a0 - yj - alpha)))
        z = delta / np.sqrt(1 / (yi + alpha) + 1 / (yj + alpha))
        n_units_i = int((keys == value).sum())
        n_units_j = len(keys) - n_units_i
        for t in np.argsort(-z, kind="stable")[:top_n * 3]:
            if z[t] < min_z or yi[t] < min_count or not _telling(str(terms[t]), value):
                continue
            rows.append((value, str(terms[t]), round(float(z[t]), 4), int(yi[t]), int(yj[t]),
                         round(yi[t] / max(n_units_i, 1), 6), round(yj[t] / max(n_units_j, 1), 6)))
    out = pd.DataFrame(rows, columns=list(KEYNESS_COLUMNS))
    out = out.sort_values(["province", "z", "term"],
                          ascending=[True, False, True], kind="mergesort")
    return out.groupby("province", sort=True).head(top_n).reset_index(drop=True)


def _telling(term: str, province: str) -> bool:
    """Whether a distinctive term says something about the province: not a single character
    (门, 开个门's leftover) and not the province's own name (上海 is distinctive of 上海's posts,
    and tells its reader nothing)."""
    return len(term) >= 2 and term not in province and province not in term


def _units_with_term(tokens: pd.Series, keys: np.ndarray, values: list[str],
                     chunk: int = 100_000) -> tuple[np.ndarray, list[str]]:
    """Units containing each term, per value of ``keys``; terms in sorted order.

    One ``bincount`` over the (value, term) codes of each unit's distinct tokens, which are
    coded a chunk of units at a time into int32 arrays (a vectoriser's per-token vocabulary
    pass cost most of the comparison stage, and a million posts' token strings would not fit
    twice)."""
    vocab: dict[str, int] = {}
    group = {v: i for i, v in enumerate(values)}
    rows, codes = [], []
    for start in range(0, len(tokens), chunk):
        distinct = [set(t) for t in tokens.iloc[start:start + chunk]]
        flat = [t for d in distinct for t in d]
        local, seen = pd.factorize(np.array(flat, dtype=object))
        known = np.fromiter((vocab.setdefault(t, len(vocab)) for t in seen), dtype=np.int32,
                            count=len(seen))
        codes.append(known[local])
        rows.append(np.repeat(np.array([group[k] for k in keys[start:start + chunk]],
                                       dtype=np.int32), [len(d) for d in distinct]))
    n_terms = len(vocab)
    cell = np.concatenate(rows).astype(np.int64) * n_terms + np.concatenate(codes)
    counts = np.bincount(cell, minlength=len(values) * n_terms).reshape(len(values), n_terms)
    terms = sorted(vocab)
    return counts[:, [vocab[t] for t in terms]].astype(float), terms
