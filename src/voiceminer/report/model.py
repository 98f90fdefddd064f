"""The IssueList: what one province's (or the national) 专题报告 input contains.

Writers for every format read only this model, so the numbers in Markdown, Word, Excel, CSV and
JSON cannot drift apart. Quotes are already redacted when they reach the model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

NATIONAL = "全国"


@dataclass(frozen=True)
class Quote:
    """A representative quote and where a report reader finds it."""

    unit_id: str
    text: str  # redacted
    origin: str  # file:line or file:sheet:row
    province: str
    group: str
    source: str  # interview / survey / forum
    question: str = ""  # the question it answers (questionnaire header, interviewer turn), redacted


@dataclass(frozen=True)
class GroupShare:
    """How many respondents of one worker group raised something, and their share of that group."""

    group: str
    respondents: int
    share: float  # respondents / all respondents of this group in the province


@dataclass(frozen=True)
class ConcernItem:
    """One numbered concern inside a theme."""

    concern_id: str  # e.g. "pay.03"
    label: str  # short Chinese label from distinctive terms, e.g. "抽成、单价"
    top_terms: tuple[str, ...]
    respondents: int  # distinct respondents in this province raising it
    share: float  # respondents / respondents_total of the IssueList
    groups: tuple[GroupShare, ...]  # sorted by respondents, descending
    quotes: tuple[Quote, ...]  # up to 3, from different respondents
    unit_ids: tuple[str, ...] = ()  # every unit behind the number, for tracing
    # of ``respondents``, those who raised it in answer to a question not about its theme
    # (``prompting``); None when not known
    unprompted: int | None = None
    unprompted_share: float | None = None
    # of ``respondents``, those whose words about it approve (挺好、贴心、希望能坚持) and hold no
    # "but": an issue list also gathers praise of what works; None when not counted
    approving: int | None = None
    # people per province, most first — the national list only: a national line may rest on one
    # province (机场排队: all 18 people in 广东), which its count alone does not say
    by_province: tuple[tuple[str, int], ...] = ()
    # people per source (interview / survey / forum), most first: a line of forum posts alone
    # rests on what people chose to post, not on what the study asked everyone
    by_source: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ThemeSection:
    """One theme with its concerns, ordered by prevalence."""

    theme_id: str  # stable codebook id, e.g. "pay"; "other" for uncoded recurring concerns
    label: str  # e.g. "工资收入"; "其他反复出现的问题" for "other"
    respondents: int
    share: float
    groups: tuple[GroupShare, ...]
    concerns: tuple[ConcernItem, ...]
    unprompted: int | None = None  # as in ConcernItem
    unprompted_share: float | None = None
    # of ``respondents``, the people in none of the theme's concerns here (a bare 收入, an
    # introduction, the copy of another theme's line); None for the uncoded "other"
    not_listed: int | None = None


@dataclass(frozen=True)
class KeyTerm:
    """A term distinctive of this province against the rest (log-odds, informative prior)."""

    term: str
    z: float
    count: int


@dataclass(frozen=True)
class IssueList:
    """Everything a writer needs for one province or for the national summary."""

    province: str  # a province name, or NATIONAL
    respondents_total: int
    respondents_by_group: dict[str, int]
    units_analysed: int
    sources: dict[str, int]  # units by source
    themes: tuple[ThemeSection, ...]
    keyness: tuple[KeyTerm, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)  # version, codebook name/hash, run date
    unplaced: int = 0  # analysed units in no concern line (said no theme, and nothing others said)
    # respondents per province (the national list only), the base a line's provinces are read on
    respondents_by_province: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A plain-JSON view (tuples become lists) used by the JSON writer and tests."""
        return asdict(self)
