"""Which of a unit's concerns comes first: the one the unit is mainly about.

A unit coded into several themes carries a concern in each. Reports quote and count by every
concern, but the first one is the unit's main concern; the benchmark's product path scores
exactly that one (benchmarks/README.md, "Concern discovery").
"""

from __future__ import annotations

from collections import Counter

from .coding import sentence_bounds
from .concern_catalogue import ConcernCatalogue, TermMatcher


def main_first(assigned: list[list[str]], cols: dict[str, list], catalogue: ConcernCatalogue,
                known_ids: dict[str, list[str]]) -> list[list[str]]:
    """Each unit's concerns, its main one first by in turn:

    1. raised in the text's opening sentence (a letter's title, the first sentence of an
       answer) before raised only later: the opening says what a text is about;
    2. how often the concern is raised on its own: the share of the units carrying it that
       carry no other concern (Laplace-smoothed, so a concern of three units is not certain).
       A concern people mostly raise alongside another — the route they took (仲裁, 投诉),
       a consequence — is rarely what the unit is about when it comes with one;
    3. the concern's catalogue terms the unit says, then the theme's evidence spans, then
       the order of the unit's themes (codebook order).

    Concerns are never dropped or merged here; only the order of each unit's list moves."""
    multi = [i for i, a in enumerate(assigned) if len(a) > 1]
    if not multi:
        return assigned
    carried, alone = Counter(), Counter()
    for a in assigned:
        carried.update(a)
        if len(a) == 1:
            alone[a[0]] += 1
    solo = {c: (alone[c] + 1) / (carried[c] + 2) for c in carried}
    column = {c.id: j for j, c in enumerate(catalogue.concerns)}
    said = TermMatcher(catalogue.concerns).scores([cols["tokens"][i] for i in multi])
    for row, i in enumerate(multi):
        themes = list(cols["themes"][i])
        spans = cols["spans"][i]
        evidence = Counter(t for t, _, _ in spans)
        first_end = sentence_bounds(cols["clean"][i], 0, 0)[1]
        opening = {t for t, a, _ in spans if a < first_end}

        def key(cid: str, row=row, themes=themes, evidence=evidence, opening=opening
                ) -> tuple:
            theme = cid.rsplit(".", 1)[0]
            mentions = sum(said[row, column[k]] for k in known_ids.get(cid, ()))
            return (theme not in opening, -solo[cid], -mentions, -evidence[theme],
                    themes.index(theme) if theme in themes else len(themes), cid)

        assigned[i] = sorted(assigned[i], key=key)
    return assigned
