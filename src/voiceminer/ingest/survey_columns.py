"""Find the header row and the roles of columns in a questionnaire export.

Exports from 问卷星/腾讯问卷/金数据 mix metadata (序号, 提交答卷时间, 来自IP), choice questions
and a few open questions; only the open ones hold the workers' own words. Guessing them is
heuristic, so the rules are kept together here and ``text_cols`` can always override them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from ..schema import UNKNOWN
from .groups import match_group
from .provinces import normalize_province

_QNUM: Final = re.compile(r"^\s*(?:[Qq]|第)?\s*(\d{1,3})\s*(?:[、.．:：)）]|题)")
_QUESTION_WORDS: Final = ("您", "你", "？", "?", "请", "哪", "什么", "如何", "怎么", "是否", "为何")
_META_WORDS: Final = ("序号", "编号", "时间", "日期", "ip", "来源", "来自", "用时", "提交", "答卷",
                      "总分", "得分", "id", "昵称", "微信", "手机", "电话", "姓名", "邮箱", "渠道",
                      "设备", "浏览器", "操作系统", "地理位置", "填写", "状态", "openid", "time",
                      "date", "source")
_CHOICE_WORDS: Final = ("单选", "多选", "下拉", "排序", "打分", "评分", "量表", "矩阵")
# Words of a question that asks for the respondent's own words, and words of one that offers
# options; together they decide whether short, varied answers (工资低, 没社保) are open answers.
_OPEN_WORDS: Final = ("什么", "怎么", "如何", "为什么", "为何", "建议", "意见", "看法", "想法",
                      "困难", "问题", "谈谈", "说说", "描述", "原因", "诉求", "希望")
_OPTION_WORDS: Final = ("是否", "是不是", "有没有", "多少", "多长", "多久", "几", "哪个", "哪种",
                        "哪一", "哪类", "年龄", "性别", "职业", "学历", "收入", "婚姻", "户籍",
                        "满意", "程度", "频率")
# 1.2.3.4(云南-昆明), 240e::1(广东), a bare IPv4: where the respondent was, never an answer
_IP_VALUE: Final = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3}){3}"
                              r"|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){3,})"
                              r"\s*(?:[(（].*[)）])?\s*$")
_NUMERIC: Final = re.compile(r"[\d\s.:/\-+%年月日时分秒]+")
_IP_WORDS: Final = ("ip",)
_PROVINCE_WORDS: Final = ("省份", "所在省", "所在地区", "地区", "省市", "所在城市", "城市", "所在地")
_GROUP_WORDS: Final = ("职业", "群体", "工种", "从业类型", "工作类型", "行业", "从事")
MIN_MEAN_LENGTH: Final = 6
MIN_DISTINCT_SHARE: Final = 0.3
# In a large export open answers repeat a lot (没有, 不知道, 工资太低), so the distinct share of
# a real open question can fall to 15%; a choice question, however large, has only its options.
MIN_DISTINCT_VALUES: Final = 30
MAX_ROLE_LENGTH: Final = 8
# Short answers (工资低) count as open only under an open-question header and when at least half
# of them differ: a choice question repeats its few options.
MIN_SHORT_LENGTH: Final = 2
MIN_SHORT_DISTINCT_SHARE: Final = 0.5


@dataclass(frozen=True)
class Columns:
    """Indexes of the columns that matter in one sheet; ``None`` when absent."""

    text: list[int]
    province: int | None
    ip: int | None
    group: int | None


def find_header_row(rows: list[tuple[int, list[str]]]) -> int:
    """Index (into ``rows``) of the header row among the first five rows.

    A title merged across the columns ("新就业形态劳动者调查问卷") fills one cell; the header is
    the first row that fills at least half as many cells as the widest of the first rows.
    """
    head = rows[:5]
    if not head:
        return 0
    widest = max(sum(1 for c in cells if c) for _, cells in head)
    for i, (_, cells) in enumerate(head):
        filled = sum(1 for c in cells if c)
        if filled >= max(2, widest / 2) or widest == 1 and filled:
            return _numbered_below(head, i)
    return 0


def _numbered_below(head: list[tuple[int, list[str]]], at: int) -> int:
    """``at``, or a later, wider row of numbered questions ("7、…？") when ``at`` has none.

    A note row above the header ("注：数据已脱敏", "仅供内部使用") fills two cells, enough to
    pass for a header; the questions row below it is the real one, and taking the note would
    turn every column into 列N and let IP strings pass for answers.
    """
    def numbered(cells: list[str]) -> int:
        return sum(1 for c in cells if question_number(c) is not None)

    if numbered(head[at][1]):
        return at
    filled = sum(1 for c in head[at][1] if c)
    for k in range(at + 1, len(head)):
        cells = head[k][1]
        if numbered(cells) and sum(1 for c in cells if c) > filled:
            return k
    return at


def unique_headers(cells: list[str], width: int) -> list[str]:
    """Header texts padded to ``width``; blanks become 列N and repeats get a #2, #3 suffix."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for j in range(width):
        name = cells[j].strip() if j < len(cells) and cells[j].strip() else f"列{j + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


def question_number(header: str) -> str | None:
    """"12" for "12、您目前…", "Q12. …" or "第12题 …"; None when the header is unnumbered."""
    m = _QNUM.match(header)
    return m.group(1) if m else None


def without_number(header: str) -> str:
    """"您目前…" for "12、您目前…": the question as a reader reads it."""
    m = _QNUM.match(header)
    return (header[m.end():] if m else header).strip()


def _bare(header: str) -> str:
    """Header without its question number, lower-cased, for keyword tests."""
    return without_number(header).lower()


def _is_question(header: str) -> bool:
    return question_number(header) is not None or any(w in header for w in _QUESTION_WORDS)


def is_metadata(header: str) -> bool:
    """Platform bookkeeping (时间, 来自IP, 序号…) rather than something a respondent wrote."""
    return not _is_question(header) and any(w in _bare(header) for w in _META_WORDS)


def classify(headers: list[str], data: list[list[str]],
             text_cols: Sequence[str] | None) -> Columns:
    """Roles of the columns: open-text columns, and where province, IP and group are."""
    ip = _named(headers, data, _IP_WORDS, set(), lambda v: True)
    province = _named(headers, data, _PROVINCE_WORDS, {ip},
                      lambda v: normalize_province(v) != UNKNOWN)
    group = _named(headers, data, _GROUP_WORDS, {ip, province},
                   lambda v: match_group(v) is not None)
    if province is None:
        province = _place_column(headers, data, skip={ip, group})
    if ip is None:
        ip = _ip_column(headers, data, skip={province, group})
    if text_cols:
        text = match_text_cols(headers, text_cols)
    else:
        roles = {ip, province, group}
        text = [j for j in range(len(headers)) if j not in roles and _is_open(headers[j], data, j)]
        if not text:
            text = [j for j in range(len(headers))
                    if j not in roles and not _values(data, j) and _asks_for_words(headers[j])]
    return Columns(text=text, province=province, ip=ip, group=group)


def _ip_column(headers: list[str], data: list[list[str]], skip: set[int | None]) -> int | None:
    """A column of IP strings ("1.2.3.4(云南-昆明)") under no IP header (or no header at all)."""
    for j in range(len(headers)):
        values = _values(data, j)
        if j not in skip and values and sum(map(_is_ip, values)) >= 0.8 * len(values):
            return j
    return None


def _is_ip(value: str) -> bool:
    return _IP_VALUE.match(value) is not None


def _asks_for_words(header: str) -> bool:
    """A question that wants the respondent's own words ("7、您最大的困难是什么？")."""
    return (_is_question(header) and not is_metadata(header)
            and not any(w in header for w in _CHOICE_WORDS + _OPTION_WORDS)
            and any(w in header for w in _OPEN_WORDS))


def match_text_cols(headers: list[str], specs: Sequence[str]) -> list[int]:
    """Columns named by ``specs``: each matches the full header, else the question number
    ("12", "Q12", "12、"), else any header containing it. Returned in sheet order."""
    chosen: set[int] = set()
    for spec in (str(s).strip() for s in specs):
        if not spec:
            continue
        exact = [j for j, h in enumerate(headers) if h == spec]
        num = re.fullmatch(r"(?:[Qq]|第)?\s*(\d{1,3})\s*(?:[、.．:：)）]|题)?", spec)
        by_number = [j for j, h in enumerate(headers)
                     if num and question_number(h) == num.group(1)]
        contains = [j for j, h in enumerate(headers) if spec in h]
        chosen.update(exact or by_number or contains)
    return sorted(chosen)


def _named(headers: list[str], data: list[list[str]], words: Sequence[str],
           skip: set[int | None], recognised: Callable[[str], bool]) -> int | None:
    """First column whose header contains one of ``words`` and whose values fit the role.

    Values fit when most are recognised (a province, a worker group) or all are short; this
    keeps "您认为本行业最大的问题是？", an open question that merely mentions 行业, from being
    taken for the group column.
    """
    for j, header in enumerate(headers):
        if j in skip or not any(w in _bare(header) for w in words):
            continue
        values = _values(data, j)
        if (not values or sum(map(recognised, values)) >= len(values) / 2
                or sum(len(v) for v in values) / len(values) <= MAX_ROLE_LENGTH):
            return j
    return None


def _values(data: list[list[str]], j: int) -> list[str]:
    return [row[j] for row in data if j < len(row) and row[j]]


def _place_column(headers: list[str], data: list[list[str]],
                  skip: set[int | None]) -> int | None:
    """A column whose short values are nearly all place names (e.g. "您在哪个城市工作").

    Such a column is where the respondent is, not what they said, so it must not be taken for
    an open question even though its values are varied. Each distinct value is looked up once:
    a closed question's 20,000 cells hold five, and looking up every cell took 9 s for a
    40-column export of 10,000 rows.
    """
    for j in range(len(headers)):
        values = _values(data, j)
        if j in skip or not values or is_metadata(headers[j]):
            continue
        placed = sum(n for v, n in Counter(values).items()
                     if len(v) <= 12 and normalize_province(v) != UNKNOWN)
        if placed >= 0.8 * len(values):
            return j
    return None


def _is_open(header: str, data: list[list[str]], j: int) -> bool:
    """An open question: long, varied, non-numeric answers under a non-metadata header.

    Varied means ≥30% distinct values or ≥30 distinct values in all: the share alone would miss
    open questions in exports of a thousand respondents, where short answers repeat.
    """
    if is_metadata(header) or any(w in header for w in _CHOICE_WORDS):
        return False
    values = _values(data, j)
    if not values:
        return False
    # numbers, dates and IP strings are never anyone's words, whatever the header says
    not_words = sum(1 for v in values if _NUMERIC.fullmatch(v) or _is_ip(v))
    if not_words > len(values) / 2:
        return False
    if sum(1 for v in values if "┋" in v) > len(values) / 2:  # 问卷星 multiple choice
        return False
    mean_length = sum(len(v) for v in values) / len(values)
    distinct = len(set(values))
    if mean_length >= MIN_MEAN_LENGTH:
        return distinct >= MIN_DISTINCT_SHARE * len(values) or distinct >= MIN_DISTINCT_VALUES
    return _is_short_open(header, values)


def _is_short_open(header: str, values: list[str]) -> bool:
    """Short but free answers (工资低, 没社保) to a question that asks for the respondent's words.

    The header must ask for words (not 职业/年龄/是否/哪个…, see ``_asks_for_words``) and the
    answers must not be a few repeated options, so choice questions such as 您的职业是？ (外卖骑手,
    快递员) stay closed.
    """
    if not _asks_for_words(header):
        return False
    if sum(len(v) for v in values) / len(values) < MIN_SHORT_LENGTH:
        return False
    distinct = len(set(values))
    return distinct >= MIN_SHORT_DISTINCT_SHARE * len(values) or distinct >= MIN_DISTINCT_VALUES
