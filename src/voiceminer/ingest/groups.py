"""Map the words people use for their job onto the four worker groups of the study.

Group shares in the report are per group, so "美团骑手", "外卖小哥" and "送餐员" must be counted
together. Keywords are matched as substrings; when several match (滴滴货运), the longest keyword
wins and ties go to the group listed first, which puts freight before ride-hailing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePosixPath
from typing import Final

from ..schema import UNKNOWN

_KEYWORDS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("货车司机", ("货车", "卡车", "货运", "货拉拉", "满帮", "运满满", "大车", "挂车", "卡友",
                  "truck", "lorry", "freight")),
    ("外卖骑手", ("外卖", "骑手", "美团", "饿了么", "送餐", "闪送", "rider", "food delivery")),
    ("快递员", ("快递", "快递员", "派件", "揽件", "顺丰", "中通", "圆通", "韵达", "申通", "极兔",
                "京东快递", "京东物流", "courier", "express")),
    ("网约车司机", ("网约车", "滴滴", "专车", "快车", "出租", "打车", "曹操出行", "高德打车",
                    "ride-hailing", "ride hailing", "taxi", "didi")),
)

# Traditional -> simplified for the characters of the keywords, so 外賣騎手/貨車 match too.
_SIMPLIFY: Final = str.maketrans(
    "貨賣騎遞網約車運滿幫順豐達韻專餓麼閃掛攬東圓極團員機師駛",
    "货卖骑递网约车运满帮顺丰达韵专饿么闪挂揽东圆极团员机师驶",
)


def match_group(s: object) -> str | None:
    """The study group ``s`` names, or None when it names none of them."""
    if s is None:
        return None
    return _match_group(str(s))


@lru_cache(maxsize=8192)
def _match_group(s: str) -> str | None:
    """``match_group`` of a string, remembered: a corpus names the same boards, jobs and
    folders over and over, and each lookup tries every keyword."""
    text = s.strip().lower().translate(_SIMPLIFY)
    if not text:
        return None
    best: tuple[int, int, str] | None = None  # (-keyword length, group order, group)
    for order, (group, words) in enumerate(_KEYWORDS):
        for word in words:
            if word in text:
                cand = (-len(word), order, group)
                if best is None or cand < best:
                    best = cand
    return best[2] if best else None


def normalize_group(s: object) -> str:
    """One of the four study groups, else the value as written (stripped), else 未知 when empty.

    Unknown jobs are kept as written rather than folded into 未知 so a questionnaire that also
    reached, say, 家政 workers still shows them as their own group.
    """
    found = match_group(s)
    if found:
        return found
    text = "" if s is None else str(s).strip()
    if not text or text.lower() in {"nan", "none", "null"}:
        return UNKNOWN
    return text


def group_from_path(relpath: str) -> str:
    """Group named by a folder or the file name (``外卖/访谈01.txt``, ``货车司机_张师傅.docx``)."""
    parts = list(PurePosixPath(relpath.replace("\\", "/")).parts)
    if parts:
        parts[-1] = PurePosixPath(parts[-1]).stem
    for part in parts:
        found = match_group(part)
        if found:
            return found
    return UNKNOWN
