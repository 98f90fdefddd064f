"""The Chinese wording shared by the Markdown and Word writers (and the group/percent cells).

Report writers copy sentences from these files straight into a 专题报告, so every format must
say exactly the same thing: one function per sentence, used by every writer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from ...ingest.survey_columns import question_number, without_number
from ...schema import GROUPS, SOURCES, UNKNOWN
from ..model import NATIONAL, ConcernItem, IssueList, KeyTerm, Quote, ThemeSection
from ..raised_by import lead_phrase, origin_phrase

OTHER_THEME: Final = "other"

SOURCE_LABELS: Final = {"interview": "访谈", "survey": "问卷", "forum": "网帖"}

KEYNESS_HEADING: Final = "附：本省区别于其他地区的高频词"
KEYNESS_HEADING_NATIONAL: Final = "附：全国汇总中的高频特征词"
NO_KEYNESS: Final = "（与其他地区相比，本省没有用得明显更多的词。）"

METHOD_NOTE: Final = (
    "说明：提及比例按受访者计算（同一人多次提到同一问题只计一次），不是按句子或条数计算；"
    "“未经提问主动提及”只计在并非询问该主题的问题下（或网帖中）提到它的受访者；"
    "问卷或访谈专门问到的主题，总提及比例会因提问而偏高；"
    "带引号的问题名称是预设问题目录之外、由程序聚类发现的问题，名称取自受访者原话，"
    "并列两段原话表示这一类里有两种说法、可能是两个问题，请结合关键词和引语核对后改写或拆分；"
    "“某群体中比例最高”比较的是各群体内的提及比例（各群体人数相差很大），不是人数：人数最多的可能是另一群体，且该群体至少有 3 人提及；"
    "“多为肯定性评价”表示提到该问题的受访者中超过半数是在肯定现有做法（如送清凉、慰问），而非反映困难，"
    "“其中 N 人为肯定性评价”表示人数中有这些人是在肯定而非反映困难；"
    "全国汇总中“集中在某省”表示提到该问题的受访者（5 人及以上）至少三分之一来自该省，且这一比例至少是该省在全部受访者中所占比例的 3 倍，"
    "“均来自某省”表示全部来自该省，这样的问题更多反映该省的情况；"
    "“多为网帖”“均为网帖”表示四分之三以上或全部提及者来自网帖（只标在 5 人及以上的问题上，人数更少的请看引语出处），网帖是发帖人自发所写、并非对所有人的提问；"
    "引语由程序自动挑选，较长的回答只摘录与该问题有关的句子（省略处以“…”标出），"
    "已对姓名、电话等个人信息做遮蔽处理，引用前请核对原始材料；"
    "引语出处中 .txt、.md 文件为行号，.docx 文件为正文段落序号（从正文第一段有字的段落数起，不计空段落和表格，"
    "表格中的文字写作“表1行3”），问卷为工作表名和行号，网帖为文件行号，"
    "如“12-14,16”表示该回答分在第 12 至 14 行和第 16 行。"
)

# A theme heading gives its unprompted share too when at least this share of the people who raised
# it did so only where a question asked about it: below, the two figures tell the same story (at
# a tenth, two of eighteen people put the note on headings of themes mostly raised unprompted).
PROMPTED_NOTE_SHARE: Final = 0.25

# meta keys shown in the provenance line, in this order, with their Chinese names.
META_LABELS: Final = (
    ("version", "voiceminer 版本"),
    ("codebook", "编码表"),
    ("codebook_hash", "编码表校验值"),
    ("run_date", "运行日期"),
)

_DIGITS: Final = "零一二三四五六七八九"
_SPACES = re.compile(r"\s+")
# An answer this short is quoted after the question it answers: 没有，老板说交了 says little
# until one reads 社保有交吗？ A questionnaire quote names its question's number already, and
# most of its answers are short: only a word or two (收入, 休息) gets the question too.
SHORT_ANSWER_CHARS: Final = {"interview": 15, "survey": 6}


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十; numbers above 99 stay Arabic (never that many themes)."""
    if 1 <= n <= 9:
        return _DIGITS[n]
    if 10 <= n <= 99:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def format_pct(share: float | None) -> str:
    """A share as a whole percent, the way a report quotes it.

    Rounds half up on the decimal value a reader would see (0.285 → 29%, not banker's 28%).
    A share that exists but would round to 0% shows as ``<1%``, and one that would round to 100%
    without being everyone shows as ``>99%``, so small minorities and near-unanimity are not
    misreported.
    """
    if share is None or not math.isfinite(share):
        return "—"
    if share <= 0:
        return "0%"
    if share >= 1:
        return "100%"
    pct = (Decimal(repr(float(share))) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if pct < 1:
        return "<1%"
    if pct >= 100:
        return ">99%"
    return f"{pct}%"


def group_order(groups: Iterable[str]) -> list[str]:
    """The study's four groups in their fixed order, then any others by name, 未知 last.

    A fixed order (rather than by size) lets readers compare provinces line by line.
    """
    names = list(dict.fromkeys(groups))
    known = [g for g in GROUPS if g in names]
    other = sorted(g for g in names if g not in GROUPS and g != UNKNOWN)
    return known + other + ([UNKNOWN] if UNKNOWN in names else [])


def title(issues: IssueList) -> str:
    """The document title; the national summary is a 汇总, a province gets a 清单."""
    if issues.province == NATIONAL:
        return f"{NATIONAL}新就业形态劳动者反映问题汇总"
    if issues.province == UNKNOWN:  # not a province: the respondents no source placed
        return "省份不详的新就业形态劳动者反映问题清单"
    return f"{issues.province}新就业形态劳动者反映问题清单"


def basis_line(issues: IssueList, lines_at: str = "下列") -> str:
    """What the numbers rest on: respondents, analysed statements and their sources.

    ``lines_at``: where the list's lines are, said of the statements none of them holds. A
    document has them below this line; a workbook names its issue sheet, and the HTML index,
    which shows only the top concerns, names the national list."""
    line = f"依据 {issues.respondents_total} 名受访者的 {issues.units_analysed} 条有效表述"
    parts = [
        f"{SOURCE_LABELS.get(src, src)} {n} 条"
        for src, n in _ordered_items(issues.sources, SOURCES)
        if n
    ]
    if parts:
        line += "（" + "、".join(parts) + "）"
    if issues.unplaced:  # so that a reader knows what no line holds, and where to find it
        line += (f"；其中 {issues.unplaced} 条未归入{lines_at}任何一条问题，"
                 "可在 units.csv 中查看 concerns 为空的行")
    return line + "。"


# A province's list resting on fewer respondents than this says that its shares and group
# comparisons move with one or two people (a review of three such provinces: half of their lines
# held one or two people, and half of their group headings changed with one person more or less).
SMALL_BASE: Final = 100


def small_base_line(issues: IssueList) -> str:
    """A caution for a province's list on fewer than ``SMALL_BASE`` respondents; ``""``
    otherwise (and for the national summary)."""
    n = issues.respondents_total
    if issues.province == NATIONAL or not n or n >= SMALL_BASE:
        return ""
    return (f"注意：本清单只依据 {n} 名受访者，多数问题只有几个人提到，比例和“某群体中比例最高”"
            "会因一两人而改变；引用时请同时写明人数，不宜单独引用比例。")


def basis_lines(issues: IssueList) -> list[str]:
    """What every format prints under the title, in this order: the basis, the small-list
    caution and the national summary's provinces, those that apply."""
    return [line for line in (basis_line(issues), small_base_line(issues), province_line(issues))
            if line]


def group_counts(issues: IssueList) -> list[tuple[str, int]]:
    """Respondents per group in :func:`group_order`, skipping empty groups."""
    by = issues.respondents_by_group
    return [(g, int(by[g])) for g in group_order(by) if by[g]]


def group_line(issues: IssueList) -> str:
    """``受访者构成：货车司机 20 人、外卖骑手 40 人。``, or ``""`` when no group is known."""
    parts = [f"{g} {n} 人" for g, n in group_counts(issues)]
    return "受访者构成：" + "、".join(parts) + "。" if parts else ""


def province_line(issues: IssueList) -> str:
    """The national summary's provinces: how many, how many people no source placed, and why the
    province lists add up to more people than the summary (a forum account posting from two
    places, or once without a place, is in both lists and once here); ``""`` elsewhere. A
    reviewer summing the province lists found 1,957 people against the summary's 1,933."""
    bases = issues.respondents_by_province
    if not bases:
        return ""
    named = [p for p in bases if p not in ("", UNKNOWN)]
    line = f"受访者分布于 {len(named)} 个省份"
    if bases.get(UNKNOWN):
        line += f"，另有 {bases[UNKNOWN]} 人省份不详（单列为“省份不详”清单）"
    line += "。"
    extra = sum(bases.values()) - issues.respondents_total
    if extra > 0:
        line += (f"其中 {extra} 人的表述标注了不同省份（或部分未标注），在各省清单中各计一次，"
                 f"因此各省清单人数之和（{sum(bases.values())}）多于全国人数（{issues.respondents_total}）。")
    return line


def ordered_themes(issues: IssueList) -> list[ThemeSection]:
    """Themes in the given order, except that the catch-all ``other`` theme always comes last."""
    return [t for t in issues.themes if t.theme_id != OTHER_THEME] + [
        t for t in issues.themes if t.theme_id == OTHER_THEME
    ]


def numbered_themes(issues: IssueList) -> list[tuple[str, ThemeSection]]:
    """(一/二/三…, theme) pairs, so every writer numbers themes identically."""
    return [(chinese_numeral(i), t) for i, t in enumerate(ordered_themes(issues), start=1)]


# In a province's list a concern one person raised is told in one line at the end of its theme
# (its name, that person's words and where they were said) rather than as a numbered finding:
# in a small province such lines were a third to a half of the list, and the reader looking for
# what the province's workers raise had to step over them. The national list, and every table
# and JSON file, keep them as they are.
SINGLES_HEADING: Final = "另有以下问题各仅 1 人提及："


def findings_and_singles(issues: IssueList, theme: ThemeSection
                         ) -> tuple[tuple[ConcernItem, ...], tuple[ConcernItem, ...]]:
    """(the theme's numbered concerns, its one-person concerns told in a line each): in a
    province's list, when the theme has a concern of two people or more; else all numbered."""
    if issues.province == NATIONAL:
        return theme.concerns, ()
    findings = tuple(k for k in theme.concerns if k.respondents > 1)
    if not findings:
        return theme.concerns, ()
    return findings, tuple(k for k in theme.concerns if k.respondents <= 1)


def single_line(concern: ConcernItem) -> str:
    """``住房与房租负担：“…”——快递员，河北（…:12）``, or the name alone without a quote."""
    return f"{concern.label}：{quote_line(concern.quotes[0])}" if concern.quotes else concern.label


def partly_prompted(theme: ThemeSection) -> bool:
    """At least ``PROMPTED_NOTE_SHARE`` of the theme's respondents raised it only where a
    question asked about it."""
    return (theme.unprompted is not None and theme.unprompted_share is not None
            and theme.respondents - theme.unprompted >= PROMPTED_NOTE_SHARE * theme.respondents
            and theme.unprompted < theme.respondents)


def mostly_prompted(theme: ThemeSection) -> bool:
    """More than half the theme's respondents raised it only where a question asked about it,
    as the caveat's 多为回答专门提问时提及 says."""
    return (theme.unprompted is not None and theme.unprompted_share is not None
            and 2 * (theme.respondents - theme.unprompted) > theme.respondents)


def prompted_note(themes: Iterable[ThemeSection]) -> str:
    """The caveat for a chart or table of theme shares, ``""`` when no theme needs one:
    ``注：组织与入会多为回答专门提问时提及（未经提问主动提及 1%）。``"""
    parts = [f"{t.label}（未经提问主动提及 {format_pct(t.unprompted_share)}）"
             for t in themes if mostly_prompted(t)]
    return f"注：{'、'.join(parts)}多为回答专门提问时提及。" if parts else ""


def theme_heading(numeral: str, theme: ThemeSection) -> str:
    """``一、工资收入（提及 45%，共 120 人）``, and ``；其中未经提问主动提及 4 人（3%）`` when at least
    ``PROMPTED_NOTE_SHARE`` of them raised it only where a question asked about it, and
    ``；3 人未归入下列问题`` when some of them are in none of its concerns: reviewers adding up a
    theme's lines could not find them (a bare 收入, an introduction)."""
    prompted = partly_prompted(theme)
    own = (f"；其中未经提问主动提及 {theme.unprompted} 人（{format_pct(theme.unprompted_share)}）"
           if prompted else "")
    if theme.not_listed:
        own += f"；{theme.not_listed} 人未归入下列问题"
    return (f"{numeral}、{theme.label}（提及 {format_pct(theme.share)}，"
            f"共 {theme.respondents} 人{own}）")


def concern_text(concern: ConcernItem, issues: IssueList | None = None) -> str:
    """``平台抽成高、单价下降（提及 23%，69 人，外卖骑手中比例最高）`` — the list number is added by
    the format. The head count stands beside the share: in a small province 2% may be one
    person. A concern most of whose people approve says ``；多为肯定性评价``; one where fewer do
    says how many (``；其中 1 人为肯定性评价``), however few: the count is not all complaints,
    and the reader should know before quoting it as one (a line of three with one thank-you had
    said nothing). Where its people come from follows (``origin_phrase``)."""
    lead = lead_phrase(concern.groups)
    extra = f"，{lead}" if lead else ""
    if mostly_approving(concern):
        extra += "；多为肯定性评价"
    elif concern.approving:
        extra += f"；其中 {concern.approving} 人为肯定性评价"
    if where := origin_phrase(concern, issues):
        extra += f"；{where}"
    return f"{concern.label}（提及 {format_pct(concern.share)}，{concern.respondents} 人{extra}）"


def mostly_approving(concern: ConcernItem) -> bool:
    """More than half the concern's respondents approve of what they speak of (``approving``):
    five praising against five complaining is no "mostly". However few they are: a province's
    line of two people who both thank the union is praise, and without the mark it read as a
    problem two people raised (a line of four had carried none when five were needed)."""
    return concern.approving is not None and 2 * concern.approving > concern.respondents


def terms_line(concern: ConcernItem) -> str:
    """``关键词：抽成、单价`` or ``""``."""
    return "关键词：" + "、".join(concern.top_terms) if concern.top_terms else ""


def quote_body(quote: Quote) -> str:
    """The quote on one line in Chinese quotation marks (line breaks would break list layout),
    after the question it answers when it is too short to be read alone
    (``（问：社保有交吗？）“没有，老板说交了…”``)."""
    text = _SPACES.sub(" ", quote.text).strip().strip("“”\"")
    short = SHORT_ANSWER_CHARS.get(quote.source, 0)
    asked = asked_before(quote) if len(text) <= short else ""
    return (f"（问：{asked}）" if asked else "") + f"“{text}”"


def asked_before(quote: Quote, limit: int = 40) -> str:
    """The question a quote answers, without its number and cut to ``limit`` characters."""
    asked = _SPACES.sub(" ", without_number(quote.question or "")).strip()
    return asked[:limit] + "…" if len(asked) > limit else asked


def quote_attribution(quote: Quote) -> str:
    """``——外卖骑手，云南（云南/访谈/x.txt:12）``: who said it and where to find it.

    A questionnaire row holds several open answers under one origin, so a questionnaire quote
    also names its question's number (``…:Sheet1:1068，第9题``) when the header has one."""
    who = "，".join(x for x in (quote.group, quote.province) if x and x != UNKNOWN)
    number = question_number(quote.question) if quote.source == "survey" else None
    item = f"，第{number}题" if number else ""
    where = f"（{quote.origin}{item}）" if quote.origin else ""
    return (f"——{who}" if who else "") + where


def quote_line(quote: Quote) -> str:
    """``“…”——外卖骑手，云南（云南/访谈/x.txt:12）``."""
    return quote_body(quote) + quote_attribution(quote)


def keyness_heading(issues: IssueList) -> str:
    """Heading for the keyness appendix; "本省" makes no sense in the national summary."""
    return KEYNESS_HEADING_NATIONAL if issues.province == NATIONAL else KEYNESS_HEADING


def keyness_line(terms: Iterable[KeyTerm]) -> str:
    """``抽成（35 次）、单价（20 次）`` in the given (distinctiveness) order; for a province with
    none, a sentence saying so (``NO_KEYNESS``)."""
    return "、".join(f"{t.term}（{t.count} 次）" for t in terms) or NO_KEYNESS


def shows_keyness(issues: IssueList) -> bool:
    """A province's list always has the appendix, saying so when no word stands out: a reviewer
    comparing two provinces' Word files took the one without it for one missing a section. The
    national summary has it only when it has words."""
    return bool(issues.keyness) or issues.province != NATIONAL


def meta_line(meta: Mapping[str, Any]) -> str:
    """Provenance (version, codebook, run date) so a quoted number can be traced to its run."""
    parts = [f"{label} {_plain(meta[key])}" for key, label in META_LABELS
             if meta.get(key) not in (None, "")]
    return "生成信息：" + "；".join(parts) + "。" if parts else ""


def run_datetime(meta: Mapping[str, Any]) -> dt.datetime:
    """The run date from ``meta["run_date"]`` as an aware UTC datetime, else a fixed date.

    Used for document core properties: taking "now" would make two runs differ.
    """
    value = meta.get("run_date")
    stamp: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, dt.date):
        stamp = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        try:
            stamp = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            stamp = None
    if stamp is None:
        stamp = dt.datetime(2000, 1, 1)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc).replace(microsecond=0)


def source_label(source: str) -> str:
    """interview/survey/forum → 访谈/问卷/网帖; anything else as written."""
    return SOURCE_LABELS.get(source, source)


def _ordered_items(counts: Mapping[str, int], order: Iterable[str]) -> list[tuple[str, int]]:
    order = list(order)
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return [(k, int(counts[k])) for k in keys]


def _plain(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)
