"""From analysis tables to IssueLists: one per province and one national summary.

Every number here is read from the prevalence table, which is counted from units, and every quote
is a unit with its origin, so anything a report says can be traced back. Quotes are chosen per
province from that province's own respondents and are redacted here, before any writer sees them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..codebook import OTHER_THEME, Codebook
from ..compare import ALL_GROUPS
from ..privacy import redact
from ..schema import analysed_mask
from .model import NATIONAL, ConcernItem, GroupShare, IssueList, KeyTerm, Quote, ThemeSection

MAX_QUOTE_CHARS = 200


def build_issue_lists(
    units: pd.DataFrame, concerns: pd.DataFrame, prevalence: pd.DataFrame,
    keyness: pd.DataFrame, codebook: Codebook, *, meta: Mapping[str, Any] | None = None,
    quotes_per_concern: int = 3, redact_quotes: bool = True,
) -> dict[str, IssueList]:
    """IssueLists keyed by province, national summary last under ``NATIONAL``."""
    live = units.loc[analysed_mask(units)]
    provinces = sorted(set(live["province"].astype(str)))
    concern_info = {r.concern_id: r for r in concerns.itertuples(index=False)}
    prev_by_prov = {p: g for p, g in prevalence.groupby("province", sort=False)}
    key_by_prov = {p: g for p, g in keyness.groupby("province", sort=False)} if len(keyness) else {}
    out: dict[str, IssueList] = {}
    for province in [*provinces, NATIONAL]:
        scope = live if province == NATIONAL else live.loc[live["province"] == province]
        prev = prev_by_prov.get(province, prevalence.iloc[0:0])
        out[province] = _issue_list(
            province, scope, prev, key_by_prov.get(province), concern_info, codebook,
            dict(meta or {}), quotes_per_concern, redact_quotes)
    return out


def _issue_list(province, scope, prev, key, concern_info, codebook, meta, n_quotes, do_redact):
    groups_base = _bases(scope)
    total = groups_base.pop(ALL_GROUPS, 0)
    sections = []
    theme_rows = prev.loc[(prev["level"] == "theme") & (prev["group"] == ALL_GROUPS)]
    theme_order = sorted(
        theme_rows.itertuples(index=False),
        key=lambda r: (r.key == OTHER_THEME, -r.respondents, _theme_rank(codebook, r.key)))
    concern_rows = prev.loc[prev["level"] == "concern"]
    for trow in theme_order:
        items = []
        crows = concern_rows.loc[(concern_rows["theme"] == trow.key)
                                 & (concern_rows["group"] == ALL_GROUPS)]
        for crow in crows.sort_values(["respondents", "key"], ascending=[False, True],
                                      kind="mergesort").itertuples(index=False):
            info = concern_info.get(crow.key)
            terms = tuple(info.top_terms) if info is not None else ()
            members = scope.loc[scope["concerns"].map(lambda cs, k=crow.key: k in cs)]
            items.append(ConcernItem(
                concern_id=crow.key, label=crow.label, top_terms=terms,
                respondents=int(crow.respondents), share=float(crow.share),
                groups=_group_shares(concern_rows, crow.key),
                quotes=_pick_quotes(members, terms, n_quotes, do_redact),
                unit_ids=tuple(sorted(members["unit_id"].astype(str))),
            ))
        if trow.key == OTHER_THEME and not items:
            continue
        sections.append(ThemeSection(
            theme_id=trow.key, label=codebook.label(trow.key) if trow.key in (
                *codebook.ids, OTHER_THEME) else trow.key,
            respondents=int(trow.respondents), share=float(trow.share),
            groups=_group_shares(prev.loc[prev["level"] == "theme"], trow.key),
            concerns=tuple(items)))
    keyterms = () if key is None else tuple(
        KeyTerm(r.term, float(r.z), int(r.count)) for r in key.itertuples(index=False))
    return IssueList(
        province=province, respondents_total=int(total), respondents_by_group=groups_base,
        units_analysed=len(scope),
        sources={s: int(n) for s, n in sorted(scope["source"].value_counts().items())},
        themes=tuple(sections), keyness=keyterms, meta=meta)


def _theme_rank(codebook: Codebook, theme_id: str) -> int:
    return codebook.ids.index(theme_id) if theme_id in codebook.ids else len(codebook.ids)


def _bases(scope: pd.DataFrame) -> dict[str, int]:
    people = scope[["respondent_id", "group"]].astype(str).drop_duplicates()
    counts = {g: int(n) for g, n in sorted(people.groupby("group").size().items())}
    counts[ALL_GROUPS] = int(people["respondent_id"].nunique())
    return counts


def _group_shares(rows: pd.DataFrame, key: str) -> tuple[GroupShare, ...]:
    sel = rows.loc[(rows["key"] == key) & (rows["group"] != ALL_GROUPS)]
    shares = [GroupShare(str(r.group), int(r.respondents), float(r.share))
              for r in sel.itertuples(index=False)]
    return tuple(sorted(shares, key=lambda g: (-g.respondents, -g.share, g.group)))


def _pick_quotes(members: pd.DataFrame, terms: tuple[str, ...], n: int, do_redact: bool
                 ) -> tuple[Quote, ...]:
    """Quotes that say the concern in its own words, each from a different respondent.

    A unit scores by the concern's top terms it contains (earlier terms weigh more), with a
    preference for quotes long enough to say something and short enough to read.
    """
    if members.empty or n <= 0:
        return ()
    weights = {t: 1.0 / (r + 1) for r, t in enumerate(terms)}

    def score(row) -> float:
        toks = set(row.tokens)
        length = len(row.clean)
        fit = sum(w for t, w in weights.items() if t in toks)
        return fit + (0.5 if 10 <= length <= 120 else 0.0) - (0.5 if length < 6 else 0.0)

    ranked = sorted(members.itertuples(index=False), key=lambda r: (-score(r), r.unit_id))
    picked, people = [], set()
    for row in ranked:
        if row.respondent_id in people:
            continue
        people.add(row.respondent_id)
        text = str(row.text).strip()
        if len(text) > MAX_QUOTE_CHARS:
            text = text[:MAX_QUOTE_CHARS] + "…"
        picked.append(Quote(unit_id=str(row.unit_id), text=redact(text) if do_redact else text,
                            origin=str(row.origin), province=str(row.province),
                            group=str(row.group), source=str(row.source)))
        if len(picked) == n:
            break
    return tuple(picked)
