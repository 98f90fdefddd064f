"""Themes that depend on who speaks.

The same bare word can mean different matters for different worker groups. A rider or a
ride-hailing driver fined (被罚了没地方讲理) is fined by the platform or the station; a truck
driver has no platform fining him, and means a road check or the police: in 河北's list, 9 of the
10 truck drivers in 罚款与平台处罚 never named a platform. Coding works on the text alone, and is
cached by it, so the codebook's ``[[theme.group_move]]`` rules are applied to the coded table
afterwards: a unit of one of the rule's groups whose only evidence for the theme is among the
rule's terms, and that says none of its ``unless`` words (平台, 货拉拉, 差评…), is coded into the
rule's other theme instead, its evidence and spans with it.
"""

from __future__ import annotations

import pandas as pd

from .codebook import Codebook
from .schema import analysed_mask, evidence_terms, list_column


def move_by_group(units: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, int]:
    """``units`` with the codebook's group moves applied, and how many units moved."""
    rules = [(t.id, m) for t in codebook.themes for m in t.group_moves]
    if not rules or "group" not in units.columns:
        return units, 0
    order = {t: i for i, t in enumerate(codebook.ids)}
    groups = units["group"].fillna("").astype(str).tolist()
    ok = analysed_mask(units).to_numpy()
    themes, evidence = units["themes"].tolist(), units["evidence"].tolist()
    spans, cleans = units["spans"].tolist(), units["clean"].tolist()
    moved = 0
    for i, (group, coded) in enumerate(zip(groups, themes)):
        if not ok[i] or not len(coded):
            continue
        for source, rule in rules:
            if source not in coded or group not in rule.groups:
                continue
            said = evidence_terms(evidence[i], source)
            if not said or not set(said) <= set(rule.terms) or \
                    any(w in cleans[i] for w in rule.unless):
                continue
            themes[i] = sorted({*(t for t in coded if t != source), rule.to}, key=order.get)
            evidence[i] = list(dict.fromkeys(
                f"{rule.to}:{e.split(':', 1)[1]}" if e.startswith(f"{source}:") else e
                for e in evidence[i]))
            spans[i] = [(rule.to if t == source else t, a, b) for t, a, b in spans[i]]
            coded = themes[i]
            moved += 1
    if not moved:
        return units, 0
    out = units.copy(deep=False)
    for col, values in (("themes", themes), ("evidence", evidence), ("spans", spans)):
        out[col] = list_column(values)
    return out, moved
