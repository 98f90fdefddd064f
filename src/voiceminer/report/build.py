"""From analysis tables to IssueLists: one per province and one national summary.

Every number here is read from the prevalence table, which is counted from units, and every quote
is a unit with its origin, so anything a report says can be traced back. Quotes are chosen per
province from that province's own respondents and are redacted here, before any writer sees them.
"""

from __future__ import annotations

import re
from collections import Counter, namedtuple
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import OTHER_THEME, Codebook
from ..compare import ALL_GROUPS
from ..concern_catalogue import ConcernCatalogue, trie_pattern
from ..concern_labels import new_label, phrase_said, quoted_phrases
from ..forked import forked_map
from ..privacy import Redactor, redact_obj
from ..prompting import background_answers
from ..schema import ASKED_EVIDENCE, analysed_mask, evidence_terms
from .approval import approves
from .model import (
    NATIONAL,
    ConcernItem,
    GroupShare,
    IssueList,
    KeyTerm,
    ThemeSection,
)
from .quotes import Quoted, pick_quotes
from .raised_by import lead_groups

# Lists are built on forked workers for studies of this many analysed units: below, a fork costs
# more than it saves; above, workers reading the units' strings would copy the pages that hold
# them (a reference count is a write), and a million posts has no memory to spare.
PARALLEL_MIN_UNITS = 20_000
PARALLEL_MAX_UNITS = 200_000

_Row = namedtuple("_Row", "unit_id respondent_id text clean tokens origin province group source "
                          "question concerns evidence introducing")
# the units table's columns among them; ``introducing`` (prompting.background_answers) is derived
_COLUMNS = _Row._fields[:-1]


def build_issue_lists(
    units: pd.DataFrame, concerns: pd.DataFrame, prevalence: pd.DataFrame,
    keyness: pd.DataFrame, codebook: Codebook, *, meta: Mapping[str, Any] | None = None,
    quotes_per_concern: int = 3, redact_quotes: bool = True,
    catalogue: ConcernCatalogue | None = None, n_jobs: int = 0,
    redactor: Redactor | None = None,
) -> dict[str, IssueList]:
    """IssueLists keyed by province, national summary last under ``NATIONAL``.

    ``catalogue``: the known concerns the concerns table's ``catalogue_ids`` name; their words
    decide which units are quoted first (``quotes.pick_quotes``). ``n_jobs``: forked workers
    for a study of ``PARALLEL_MIN_UNITS`` to ``PARALLEL_MAX_UNITS`` analysed units (0: one per
    core, 1: none); the lists are the same whatever the number. ``redactor``: the run's, when
    the caller has made it already (``Redactor.for_units`` of the same units)."""
    # only the columns the lists use: each province's slice would copy every text column
    live = units.loc[analysed_mask(units), list(_COLUMNS)]
    provinces = sorted(set(live["province"].astype(str)))
    concern_info = {r.concern_id: r for r in concerns.itertuples(index=False)}
    named = _catalogue_terms(concerns, catalogue)
    home_of = {c.id: c.themes[0] for c in catalogue.concerns} if catalogue is not None else {}
    prev_by_prov = {p: g for p, g in prevalence.groupby("province", sort=False)}
    key_by_prov = {p: g for p, g in keyness.groupby("province", sort=False)} if len(keyness) else {}
    # unit positions per (province, concern), computed once: looking members up per concern
    # and province would scan the whole table for every line of every report
    mentions = pd.DataFrame({"pos": np.arange(len(live)), "province": live["province"].to_numpy(),
                             "concern": live["concerns"].to_numpy()}).explode("concern").dropna()
    national = {k: g["pos"].to_numpy() for k, g in mentions.groupby("concern", sort=False)}
    regional = {k: g["pos"].to_numpy()
                for k, g in mentions.groupby(["province", "concern"], sort=False)}
    # one redactor for the corpus: a name given in one header is masked in every quote
    if not redact_quotes:
        redactor = None
    elif redactor is None:
        redactor = Redactor.for_units(units)
    # the quote candidates' fields as plain arrays: selecting rows of ``live`` per concern and
    # turning them into records through pandas cost more than choosing the quotes
    fields = {f: live[f].to_numpy(dtype=object) for f in _COLUMNS}
    fields["introducing"] = background_answers(live, codebook.introductions)
    lists = [*provinces, NATIONAL]

    def one(j: int) -> IssueList:
        province = lists[j]
        scope = live if province == NATIONAL else live.loc[live["province"] == province]
        prev = prev_by_prov.get(province, prevalence.iloc[0:0])

        def members(concern_id: str) -> _Members:
            pos = (national.get(concern_id) if province == NATIONAL
                   else regional.get((province, concern_id)))
            return _Members(fields, pos if pos is not None else np.empty(0, dtype=np.intp))

        issues = _issue_list(
            province, scope, members, prev, key_by_prov.get(province), concern_info, named,
            home_of, codebook, dict(meta or {}), quotes_per_concern, redactor)
        # labels and key terms come from tokens and may carry an id or a name
        return redact_obj(issues, redactor) if redactor is not None else issues

    # lists are independent and their work is Python: forked workers, the largest first
    workers = n_jobs if PARALLEL_MIN_UNITS <= len(live) <= PARALLEL_MAX_UNITS else 1
    size = live["province"].value_counts()
    order = sorted(range(len(lists)), key=lambda j: (
        lists[j] != NATIONAL, -int(size.get(lists[j], 0)), j))
    return dict(zip(lists, forked_map(one, len(lists), workers, order)))


def _catalogue_terms(concerns: pd.DataFrame, catalogue: ConcernCatalogue | None
                     ) -> dict[str, re.Pattern[str]]:
    """Per known concern, the catalogue's words for it as one expression (a concern has a score
    of words, and every candidate quote of every list is looked at)."""
    if catalogue is None or "catalogue_ids" not in concerns:
        return {}
    terms = {c.id: c.terms for c in catalogue.concerns}
    return {row.concern_id: re.compile(trie_pattern(
                {t for k in _catalogue_ids(row) for t in terms.get(k, ())}))
            for row in concerns.itertuples(index=False) if _catalogue_ids(row)}


def _issue_list(province, scope, members_of, prev, key, concern_info, named, home_of, codebook,
                meta, n_quotes, do_redact):
    groups_base = _bases(scope)
    total = groups_base.pop(ALL_GROUPS, 0)
    # plain records, indexed once: per-row pandas filtering dominated the run time
    overall: dict[str, list[dict]] = {"theme": [], "concern": []}
    by_group: dict[tuple[str, str], list[GroupShare]] = {}
    for r in prev.to_dict("records"):
        if r["group"] == ALL_GROUPS:
            overall[r["level"]].append(r)
        else:
            by_group.setdefault((r["level"], r["key"]), []).append(
                GroupShare(str(r["group"]), int(r["respondents"]), float(r["share"])))
    for shares in by_group.values():
        shares.sort(key=lambda g: (-g.respondents, -g.share, g.group))
    concerns_of: dict[str, list[dict]] = {}
    for r in sorted(overall["concern"], key=lambda r: (-r["respondents"], r["key"])):
        concerns_of.setdefault(r["theme"], []).append(r)
    theme_order = sorted(overall["theme"], key=lambda r: (
        r["key"] == OTHER_THEME, -r["respondents"], _theme_rank(codebook, r["key"])))
    national = province == NATIONAL
    sections = []
    quoted = Quoted()  # what this list has quoted so far, in reading order
    listed = {(r["theme"], k) for r in overall["concern"]
              for k in _catalogue_ids(concern_info.get(r["key"]))}
    shown = {r["key"]: r["theme"] for r in overall["concern"]}
    for trow in theme_order:
        items = []
        listed_people: set[str] = set()
        for crow in concerns_of.get(trow["key"], []):
            info = concern_info.get(crow["key"])
            terms = tuple(info.top_terms) if info is not None else ()
            members = members_of(crow["key"])
            listed_people.update(members.column("respondent_id").tolist())
            approving, praised = _approving(members, terms, named.get(crow["key"]), trow["key"])
            groups = tuple(by_group.get(("concern", crow["key"]), ()))
            items.append(ConcernItem(
                concern_id=crow["key"],
                label=_local_label(crow["label"], members, terms, province, trow["key"])
                + _see_also(info, trow["key"], home_of, listed, shown, codebook),
                top_terms=_said_here(terms, members),
                respondents=int(crow["respondents"]), share=float(crow["share"]),
                groups=groups,
                quotes=pick_quotes(members, terms, n_quotes, do_redact, quoted,
                                    named.get(crow["key"]), praised,
                                    praise_first=2 * approving > int(crow["respondents"]),
                                    concern_id=crow["key"], theme=trow["key"],
                                    lead=lead_groups(groups)),
                unit_ids=tuple(sorted(str(u) for u in members.column("unit_id"))),
                approving=approving, **_unprompted(crow),
                by_province=_people_by(members, "province") if national else (),
                by_source=_people_by(members, "source"),
            ))
        if trow["key"] == OTHER_THEME and not items:
            continue
        sections.append(ThemeSection(
            theme_id=trow["key"], label=codebook.label(trow["key"]) if trow["key"] in (
                *codebook.ids, OTHER_THEME) else trow["key"],
            respondents=int(trow["respondents"]), share=float(trow["share"]),
            groups=tuple(by_group.get(("theme", trow["key"]), ())),
            concerns=tuple(items), **_unprompted(trow),
            not_listed=(None if trow["key"] == OTHER_THEME
                        else max(int(trow["respondents"]) - len(listed_people), 0))))
    keyterms = () if key is None else tuple(
        KeyTerm(str(r["term"]), float(r["z"]), int(r["count"])) for r in key.to_dict("records"))
    return IssueList(
        province=province, respondents_total=int(total), respondents_by_group=groups_base,
        units_analysed=len(scope),
        sources={s: int(n) for s, n in sorted(scope["source"].value_counts().items())},
        themes=tuple(sections), keyness=keyterms, meta=meta,
        unplaced=sum(not len(c) for c in scope["concerns"]),
        respondents_by_province=_people_per(scope, "province") if national else {})


def _approving(members: _Members, terms: tuple[str, ...], named: re.Pattern[str] | None = None,
               theme: str | None = None) -> tuple[int, frozenset[str]]:
    """(how many of the concern's respondents here approve of it, the units in which they do;
    ``approval.approves``, with the catalogue's words for it, ``named``, and the answers'
    evidence for ``theme``): the count goes into the line, the units to the quote picker, so
    that each answer is read once."""
    units = [(str(u), str(who)) for u, clean, who, evidence in zip(
        members.column("unit_id"), members.column("clean"), members.column("respondent_id"),
        members.column("evidence"))
        if approves(str(clean), terms, named=named, evidence=evidence, theme=theme)]
    return len({who for _, who in units}), frozenset(u for u, _ in units)


def _local_label(label: str, members: _Members, terms: tuple[str, ...], province: str,
                 theme: str | None = None) -> str:
    """A found concern's label as a province's list shows it: the national label's clauses
    that some unit of the province says (of “A”“B”等, only “B”等 where nobody here says A), else
    the province's own wording (``new_label`` on its units, by the concern's terms, else by the
    words that coded them into ``theme``), since a list naming 港区周边没地方吃饭休息 above four
    answers that all say 休息 describes other provinces' people (湖北's one answer about 紧绷着
    had been listed as “感觉自己就是被算法管着”“躺在地上半天没起来”等). A catalogue label stays
    as it is."""
    phrases = quoted_phrases(label)
    if province == NATIONAL or not phrases or members.empty:
        return label
    cleans = [str(c) for c in members.column("clean")]
    said = [p for p in phrases if any(phrase_said(p, c) for c in cleans)]
    if said:
        return label if len(said) == len(phrases) else "".join(f"“{p}”" for p in said) + "等"
    local = new_label(cleans, terms, ())
    if not quoted_phrases(local) and theme is not None:
        coded = dict.fromkeys(t for evidence in members.column("evidence")
                              for t in evidence_terms(evidence, theme) if t != ASKED_EVIDENCE)
        local = new_label(cleans, tuple(coded), ()) if coded else local
    return local if quoted_phrases(local) else label


def _catalogue_ids(info: Any) -> tuple[str, ...]:
    """The catalogue ids a concerns-table row stands for (none for a concern clustering found)."""
    ids = getattr(info, "catalogue_ids", None)
    return tuple(ids) if isinstance(ids, (list, tuple, np.ndarray)) else ()


def _see_also(info: Any, theme: str, home_of: Mapping[str, str],
              listed: set[tuple[str, str]], shown: Mapping[str, str], codebook: Codebook) -> str:
    """``（另见“就业与职业发展”）`` for a known concern listed here and, as well, under the theme
    the catalogue files it under first: the same label in two sections with two counts reads as
    two findings (技能培训与证书 under the union's section and under employment). A concern
    clustering found points to the concern of another theme that holds most of its units
    (``see_also`` of the concerns table), when this list shows it. ``listed``: (theme, catalogue
    id) of every known concern in the list; ``shown``: every concern of the list -> its theme."""
    host = str(getattr(info, "see_also", "") or "")
    if host in shown:
        return f"（另见“{codebook.label(shown[host])}”）"
    for k in _catalogue_ids(info):
        home = home_of.get(k)
        if home and home != theme and (home, k) in listed:
            return f"（另见“{codebook.label(home)}”）"
    return ""


def _unprompted(row: Mapping[str, Any]) -> dict[str, Any]:
    """A prevalence row's unprompted count and share, None where not known."""
    n = row.get("unprompted")
    if n is None or pd.isna(n):
        return {"unprompted": None, "unprompted_share": None}
    return {"unprompted": int(n), "unprompted_share": float(row["unprompted_share"])}


def _theme_rank(codebook: Codebook, theme_id: str) -> int:
    return codebook.ids.index(theme_id) if theme_id in codebook.ids else len(codebook.ids)


def _bases(scope: pd.DataFrame) -> dict[str, int]:
    counts = _people_per(scope, "group")
    counts[ALL_GROUPS] = int(scope["respondent_id"].astype(str).nunique())
    return counts


def _people_per(scope: pd.DataFrame, column: str) -> dict[str, int]:
    """Distinct respondents per value of ``column`` (group, province), by value."""
    people = scope[["respondent_id", column]].astype(str).drop_duplicates()
    return {v: int(n) for v, n in sorted(people.groupby(column).size().items())}


def _people_by(members: _Members, field: str) -> tuple[tuple[str, int], ...]:
    """Distinct respondents per value of ``field`` (province, source) among ``members``, most
    first, then by name."""
    people = set(zip(members.column("respondent_id").astype(str),
                     members.column(field).astype(str)))
    counts = Counter(value for _who, value in people)
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


class _Members:
    """The units behind one number: positions into the analysed units' field arrays."""

    def __init__(self, fields: Mapping[str, np.ndarray], pos: np.ndarray) -> None:
        self.fields, self.pos = fields, pos

    @property
    def empty(self) -> bool:
        return len(self.pos) == 0

    def column(self, name: str) -> np.ndarray:
        return self.fields[name][self.pos]

    def rows(self) -> list[_Row]:
        return [_Row(*values) for values in zip(*(self.column(f) for f in _Row._fields))]


def _said_here(terms: tuple[str, ...], members: _Members) -> tuple[str, ...]:
    """The concern's key terms that its units in this list use, in the concern's order.

    A concern's terms come from all its units; a province's list showing 三十公里、电费 above a
    single quote about 一口价 would describe other provinces' answers."""
    if members.empty:
        return terms
    missing = set(terms)
    for clean in members.column("clean"):  # words, not tokens: 培训 is said inside 技能培训
        missing = {t for t in missing if t not in clean}
        if not missing:
            return terms
    return tuple(t for t in terms if t not in missing)
