"""Who raises a line of an issue list: the groups it names, and the province or source its
people mostly come from.

The quote picker (``quotes.pick_quotes``) and every writer read the same answer from here, so a
line that says 货车司机中比例最高 is also the line that quotes a truck driver.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Final

from ..schema import GROUPS, UNKNOWN
from .model import ConcernItem, GroupShare, IssueList

# Two groups whose shares differ by at most this much are both named ("…中比例较高").
LEAD_MARGIN: Final = 0.05

# Below this many people raising a concern, no group is named as raising it "mainly".
MIN_LEAD_RESPONDENTS: Final = 5
# Nor is a group with fewer of them than this: in a small province one or two riders give riders
# the highest rate, and "外卖骑手为主" over two riders is not a finding.
MIN_GROUP_RESPONDENTS: Final = 3

# A national line says the province most of its people come from when that province holds at
# least this share of them and at least CONCENTRATION_RATIO times its share of all respondents
# (so a province that is half the sample is not "concentrated" for being large): 路政治超 with
# 26 of 60 people from 云南, a tenth of the sample, is a 云南 finding more than a national one.
CONCENTRATED_SHARE: Final = 1 / 3
CONCENTRATION_RATIO: Final = 3.0
# A line says it rests on forum posts when at least this share of its people wrote posts.
FORUM_LINE_SHARE: Final = 0.75


def lead_groups(groups: Iterable[GroupShare]) -> tuple[str, ...]:
    """The group(s) a concern is "mainly" raised by: the highest share, plus a close runner-up.

    Share (not head count) decides, because group sizes differ a lot between provinces. A second
    group is named when it is within 5 percentage points; if three or more are that close no
    group dominates and nothing is returned, unless one of those close is too small to be named:
    then the first alone is. 未知 and groups with nobody are never named, and
    below ``MIN_LEAD_RESPONDENTS`` people no group is: one rider is not "riders mainly". A group
    with fewer than ``MIN_GROUP_RESPONDENTS`` people in the line is not named, and when it has the
    highest share no group is: naming the next one would say "…中比例最高" of a group that has
    not (上海 入会门槛: riders at 4 % named while 12 % of two truck drivers raised it).
    """
    rank = {g: i for i, g in enumerate(GROUPS)}
    known = [g for g in groups if g.respondents > 0 and g.group not in ("", UNKNOWN)
             and math.isfinite(g.share)]
    if sum(g.respondents for g in known) < MIN_LEAD_RESPONDENTS:
        return ()
    candidates = sorted(
        known, key=lambda g: (-g.share, -g.respondents, rank.get(g.group, len(rank)), g.group))
    if candidates[0].respondents < MIN_GROUP_RESPONDENTS:
        return ()
    top = candidates[0].share
    close = [g for g in candidates if top - g.share <= LEAD_MARGIN + 1e-9]
    if any(g.respondents < MIN_GROUP_RESPONDENTS for g in close):
        return (candidates[0].group,)  # a runner-up named would skip a small group above it
    return tuple(g.group for g in close) if len(close) <= 2 else ()


def lead_phrase(groups: Iterable[GroupShare]) -> str:
    """``外卖骑手中比例最高`` / ``外卖骑手、快递员中比例较高`` / ``多个群体均有提及`` / ``""`` (no
    group data). Not "外卖骑手为主": the groups are compared by the share of each group raising
    the concern, and a line of nine truck drivers and three riders said 外卖骑手为主 when riders
    were fewer in the province; readers took it for a head count."""
    gs = [g for g in groups if g.respondents > 0 and g.group not in ("", UNKNOWN)]
    if not gs:
        return ""
    lead = lead_groups(gs)
    if not lead and sum(g.respondents for g in gs) < MIN_LEAD_RESPONDENTS:
        return ""
    if not lead:
        return "多个群体均有提及"
    return "、".join(lead) + ("中比例最高" if len(lead) == 1 else "中比例较高")


def origin_phrase(concern: ConcernItem, issues: IssueList | None = None) -> str:
    """``均来自广东`` / ``集中在云南（60 人中 26 人）`` for a national line whose people mostly come
    from one province (``CONCENTRATED_SHARE``, ``CONCENTRATION_RATIO``, against ``issues``'
    respondents by province), and ``均为网帖`` / ``多为网帖（12 人中 10 人）`` for a line resting
    on forum posts (``FORUM_LINE_SHARE``); ``""`` otherwise, and below ``MIN_LEAD_RESPONDENTS``
    people, whose quotes show where they come from. A national reviewer quoted 机场排队 (18 people)
    as a national finding: all 18 were in 广东."""
    n = concern.respondents
    if n < MIN_LEAD_RESPONDENTS:
        return ""
    parts = []
    bases = issues.respondents_by_province if issues is not None else {}
    total = sum(bases.values())
    top = next(((p, k) for p, k in concern.by_province if p not in ("", UNKNOWN)), None)
    if top is not None and total and bases.get(top[0]):
        province, k = top
        if k >= max(CONCENTRATED_SHARE * n, MIN_GROUP_RESPONDENTS) \
                and k / n >= CONCENTRATION_RATIO * bases[province] / total:
            parts.append(f"均来自{province}" if k == n else f"集中在{province}（{n} 人中 {k} 人）")
    forum = dict(concern.by_source).get("forum", 0)
    if forum >= FORUM_LINE_SHARE * n:
        parts.append("均为网帖" if forum == n else f"多为网帖（{n} 人中 {forum} 人）")
    return "；".join(parts)
