"""Redaction of personal data in anything that leaves the research team.

Reports quote workers verbatim, and interview notes carry names, phone numbers, ID-card, bank-card
and plate numbers. Each pattern is validated where a checksum exists (ID cards: ISO 7064; bank
cards: Luhn), so ordinary long numbers such as order numbers are not masked by accident, and
WeChat/QQ ids are only masked when a label says what they are, because a bare ``wang_li88`` is
indistinguishable from any other word.

Matching runs on a width-folded copy of the text (full-width ``１３８…`` becomes ``138…``, one
character for one character), so offsets carry over and full-width numbers cannot slip through.
Personal names are masked ``张某`` style; a name found once (in an interview header, or after
姓名/受访者 anywhere in the corpus) is masked everywhere it recurs — see ``Redactor.for_units``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MASKS", "NameList", "Redactor", "collect_ids", "collect_names", "freeze_names",
           "is_valid_id_card", "luhn_ok", "mask_name", "redact", "redact_frame", "redact_obj"]

T = TypeVar("T")

_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK: Final = "10X98765432"
_PLATE_PROVINCES: Final = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"

MASKS: Final = {"id_card": "[身份证号]", "phone": "[电话]", "plate": "[车牌]", "email": "[邮箱]",
                "bank_card": "[银行卡号]", "wechat": "[微信号]", "qq": "[QQ号]"}

# Full-width ASCII (U+FF01..FF5E) and the ideographic space fold to ASCII one-for-one.
_FOLD: Final = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SEP: Final = r"[- \u00a0]?"

_EMAIL: Final = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ID_CARD: Final = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{9}[\dXx](?![0-9A-Za-z])")
_BANK: Final = re.compile(r"(?<![0-9A-Za-z])\d{4}(?:[- ]?\d{4}){2}[- ]?\d{4,7}(?![0-9A-Za-z])")
_MOBILE: Final = re.compile(
    rf"(?<![0-9A-Za-z])(?:(?:\+|00)?86{_SEP})?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?![0-9A-Za-z])")
_LANDLINE: Final = re.compile(
    r"(?<![0-9A-Za-z])(?:\(0\d{2,3}\)\s?|（0\d{2,3}）|0(?:10|2\d|[3-9]\d{2})[- ]?)"
    r"[2-9]\d{2,3}[- ]?\d{4}(?:[-转]\d{1,4})?(?![0-9A-Za-z])")
_PLATE: Final = re.compile(
    rf"[{_PLATE_PROVINCES}][A-HJ-NP-Za-hj-np-z][·•・･‧∙⋅\.\- ]?"
    r"(?:[DFdf][A-HJ-NP-Za-hj-np-z0-9]{5}|[A-HJ-NP-Za-hj-np-z0-9]{5}[DFdf]?"
    r"|[A-HJ-NP-Za-hj-np-z0-9]{4}[挂学警港澳])(?![0-9A-Za-z])")
_WECHAT: Final = re.compile(
    r"(?P<label>(?:微信号?|威信|薇信|V信|v信|VX|Vx|vx|WX|Wx|wx|wechat|WeChat)\s*(?:号|ID|id)?"
    r"\s*(?:是|为|[:：])?\s*)(?P<id>[A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})(?![-_A-Za-z0-9])")
_QQ: Final = re.compile(
    r"(?P<label>(?:QQ|qq|Qq|扣扣|企鹅)\s*(?:号|号码)?\s*(?:是|为|[:：])?\s*)"
    r"(?P<id>[1-9]\d{4,11})(?!\d)")

# Common surnames (single and compound): a labelled value must start with one to be a name.
_COMPOUND_SURNAMES: Final = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
                             "长孙", "宇文", "司徒", "令狐", "夏侯", "端木", "独孤", "南宫", "西门")
_SURNAMES: Final = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈"
    "饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟"
    "邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
# Labels after which a personal name follows.
_LABEL_WORDS: Final = ("姓名", "名字", "受访者", "被访者", "被访谈者", "受访人", "被访人", "访谈对象",
                       "受访对象", "被调查者", "联系人", "访谈员", "调查员", "记录人", "采访人")
_NAME_LABEL: Final = re.compile(rf"(?:{'|'.join(_LABEL_WORDS)})\s*(?P<colon>[:：]?)\s*")
# Characters that end a name written without punctuation after it (受访者王建国说…).
_AFTER_NAME: Final = frozenset("说是在的了也和与对称讲表认觉告提反介就都还跟给被把从向今男女师先")
# Words that follow a label but are not names (受访者：外卖骑手, 姓名：不详).
_NOT_NAMES: Final = frozenset({"不详", "匿名", "保密", "未知", "本人", "无", "略", "某某", "师傅",
                               "骑手", "司机", "快递员", "外卖员", "小哥", "老师", "同学", "老板",
                               "大哥", "大姐", "阿姨", "站长", "经理", "主任", "书记", "队长"})

# Everyday words that begin with a surname character (受访者周末也跑单, 受访者：高温天…): only
# consulted when the value does not end right after the would-be name.
_COMMON_WORDS: Final = frozenset(
    "周末 周围 周边 高温 高峰 高速 高强 黄金 金额 马路 马上 万一 钱包 常常 经常 时间 时候 方便 安全 "
    "于是 全部 全职 全天 车辆 车主 车费 路上 路边 文化 明显 明天 明年 应该 关于 关系 成本 成为 连续 "
    "许多 尤其 程序 管理 单位 单价 毕竟 平台 平时 平均 多数 大多 普遍 年龄 中有 中间 石头 白天 齐全 "
    "包括 和平 曾经 任何 任务 向来 沈阳 武汉 温州 温度 江西 江苏 湖南 章程 农村 农民 华南 戴着 "
    "余下 左右 姜还 强调 史上 孔子 易于 苗头 庞大 邓小 秦皇 宁可 宁愿 邵阳 代表".split())

# Something at least one pattern needs: @, a plate start, an id or name label, or ten digits
# with only separators between them (the shortest number masked, a landline, has ten; phone,
# ID-card and bank-card numbers more). Most ids and answers hold a few digits (a row number, a
# date) and would otherwise run every pattern for nothing.
_TRIGGER: Final = re.compile(
    rf"@|\d(?:[-\s()（）]*\d){{9}}|[{_PLATE_PROVINCES}][A-Za-z]|微信|威信|薇信|[VvWw][Xx信]|wechat|WeChat|[Qq][Qq]|扣扣|企鹅|"
    + "|".join(_LABEL_WORDS))

_NAME_RUN: Final = re.compile(r"[\u4e00-\u9fff]{2,4}")
# The Redactor's memo keeps strings up to this long, at most this many.
_MEMO_MAX_CHARS: Final = 24
_MEMO_MAX: Final = 1_000_000


def is_valid_id_card(number: str) -> bool:
    """Mainland resident ID: 18 characters, plausible birth date, and the ISO 7064 check digit."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not (1900 <= year <= 2030 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check every UnionPay, Visa and Mastercard number passes."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _is_bank_card(match: str) -> bool:
    """16–19 digits passing Luhn with an issuer prefix (UnionPay 62, Visa 4, Mastercard 5, 3)."""
    digits = re.sub(r"[- ]", "", match)
    return 16 <= len(digits) <= 19 and digits[0] in "3456" and luhn_ok(digits)


def mask_name(name: str) -> str:
    """``王建国`` → ``王某``, ``欧阳娜娜`` → ``欧阳某``: the surname stays, so quotes still read."""
    surname = name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]
    return surname + "某"


def _name_at(text: str, start: int, after_colon: bool) -> str | None:
    """The personal name starting at ``start`` (right after a label), or None."""
    m = _NAME_RUN.match(text, start)
    if not m:
        return None
    run = m.group(0)
    compound = run[:2] in _COMPOUND_SURNAMES
    if not compound and run[0] not in _SURNAMES:
        return None
    longest = 4 if compound else 3
    if after_colon and len(run) <= longest:
        name = run
    else:  # no punctuation after the name: stop before a verb or particle, or at the longest
        name = run[: 2 + compound]
        if len(run) > len(name) and run[len(name)] not in _AFTER_NAME and len(name) < longest:
            name = run[: len(name) + 1]
    if name in _NOT_NAMES or name[1:] in _NOT_NAMES or any(name.endswith(w) for w in _NOT_NAMES):
        return None
    if (not after_colon or len(run) > len(name)) and name[:2] in _COMMON_WORDS:
        return None
    if "某" in name:
        return None
    return name


def _plain_name(value: str) -> str | None:
    """A header value reduced to a personal name (``王建国（化名）`` → ``王建国``), else None."""
    value = re.sub(r"[（(][^（）()]*[)）]", "", str(value)).strip()
    return _name_at(value, 0, True) if _NAME_RUN.fullmatch(value) else None


def collect_names(texts: Iterable[str]) -> set[str]:
    """Personal names given after 姓名/受访者/我叫… labels anywhere in ``texts``."""
    names: set[str] = set()
    for text in texts:
        if not isinstance(text, str) or not text:
            continue
        for m in _NAME_LABEL.finditer(text):
            name = _name_at(text, m.end(), bool(m.group("colon")))
            if name:
                names.add(name)
    return names


def collect_ids(texts: Iterable[str]) -> dict[str, str]:
    """WeChat and QQ ids given after a label anywhere in ``texts``, with their masks."""
    ids: dict[str, str] = {}
    for text in texts:
        if not isinstance(text, str) or not text:
            continue
        folded = text.translate(_FOLD)
        for pattern, mask in ((_WECHAT, MASKS["wechat"]), (_QQ, MASKS["qq"])):
            for m in pattern.finditer(folded):
                ids.setdefault(m.group("id"), mask)
    return ids


class Redactor:
    """Masks personal data; ``names`` are masked wherever they recur (longest first).

    Build it once per corpus with ``Redactor.for_units(units)`` so a name given in one interview
    header is masked in every quote and table, then call it on each string.
    """

    def __init__(self, names: Iterable[str] = (), ids: Mapping[str, str] | None = None) -> None:
        self.names = tuple(sorted({n for n in names if n and len(n) >= 2},
                                  key=lambda n: (-len(n), n)))
        self._names_re = (re.compile("|".join(map(re.escape, self.names)))
                          if self.names else None)
        self._memo: dict[str, str] = {}
        # WeChat/QQ ids seen after a label somewhere: masked wherever they recur (as a token too)
        self.ids = dict(sorted((ids or {}).items()))
        self._ids_re = (re.compile(r"(?<![-_A-Za-z0-9])(?:" + "|".join(
            map(re.escape, sorted(self.ids, key=lambda i: (-len(i), i)))) + r")(?![-_A-Za-z0-9])")
            if self.ids else None)
        self._known = tuple(p for p in (self._names_re, self._ids_re) if p is not None)

    @classmethod
    def for_units(cls, units: pd.DataFrame) -> Redactor:
        """A redactor knowing the header names the readers found (``units.attrs``) and every
        name given after a label in the units' text."""
        found = {n for n in map(_plain_name, units.attrs.get("personal_names", ())) if n}
        ids: dict[str, str] = {}
        if "text" in units.columns:
            found |= collect_names(units["text"])
            ids = collect_ids(units["text"])
        return cls(found, ids)

    def __call__(self, text: str) -> str:
        """``redact`` with a memo: tables repeat the same tokens, provinces and ids many times."""
        if not isinstance(text, str):
            return text
        done = self._memo.get(text)
        if done is None:
            done = self.redact(text)
            # short strings (tokens, provinces, groups, respondent ids) recur; long ones (answers,
            # unit ids) rarely do and would fill the memo before the tokens column is reached
            if len(text) <= _MEMO_MAX_CHARS and len(self._memo) < _MEMO_MAX:
                self._memo[text] = done
        return done

    def redact(self, text: str) -> str:
        """``text`` with every personal datum replaced by its mask; other characters unchanged."""
        if not isinstance(text, str) or not text:
            return text
        folded = text.translate(_FOLD)
        if _TRIGGER.search(folded) is None:
            for known in self._known:
                if known.search(folded):
                    break
            else:
                return text  # the common case (most tokens and answers): nothing could match
        spans: list[tuple[int, int, str]] = []

        def add(a: int, b: int, mask: str) -> None:
            if all(b <= s or a >= e for s, e, _ in spans):
                spans.append((a, b, mask))

        for m in _EMAIL.finditer(folded):
            add(m.start(), m.end(), MASKS["email"])
        for m in _WECHAT.finditer(folded):
            add(m.start("id"), m.end("id"), MASKS["wechat"])
        for m in _QQ.finditer(folded):
            add(m.start("id"), m.end("id"), MASKS["qq"])
        for m in _ID_CARD.finditer(folded):
            if is_valid_id_card(m.group(0)):
                add(m.start(), m.end(), MASKS["id_card"])
        for m in _MOBILE.finditer(folded):
            add(m.start(), m.end(), MASKS["phone"])
        for m in _BANK.finditer(folded):
            if _is_bank_card(m.group(0)):
                add(m.start(), m.end(), MASKS["bank_card"])
        for m in _LANDLINE.finditer(folded):
            add(m.start(), m.end(), MASKS["phone"])
        for m in _PLATE.finditer(folded):
            add(m.start(), m.end(), MASKS["plate"])
        here: set[str] = set()
        for m in _NAME_LABEL.finditer(folded):
            name = _name_at(folded, m.end(), bool(m.group("colon")))
            if name:
                here.add(name)
                add(m.end(), m.end() + len(name), mask_name(name))
        if self._ids_re is not None:
            for m in self._ids_re.finditer(folded):
                add(m.start(), m.end(), self.ids[m.group(0)])
        names_re = self._names_re
        if here - set(self.names):  # a name given in this text recurs in it, too
            names_re = re.compile("|".join(map(re.escape, sorted(here | set(self.names),
                                                                  key=lambda n: (-len(n), n)))))
        if names_re is not None:
            for m in names_re.finditer(folded):
                add(m.start(), m.end(), mask_name(m.group(0)))
        out, last = [], 0
        for a, b, mask in sorted(spans):
            out.append(text[last:a])
            out.append(mask)
            last = b
        out.append(text[last:])
        return "".join(out)


_DEFAULT: Final = Redactor()


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Mask names, phone, ID-card, bank-card, plate numbers, e-mail and labelled WeChat/QQ ids.

    >>> redact("受访者：王建国，电话13812345678")
    '受访者：王某，电话[电话]'
    """
    return (Redactor(names) if names else _DEFAULT).redact(text)


def redact_frame(df: pd.DataFrame, redactor: Callable[[str], str]) -> pd.DataFrame:
    """A copy of ``df`` with every string cell (and strings inside list cells) redacted.

    Columns are rebuilt with list comprehensions over the values rather than ``Series.map``:
    the redactor's memo answers most cells, so the per-cell overhead of ``map`` was most of the
    cost. Cells nothing was masked in keep their very objects, so the copy costs pointers only.
    """
    import pandas as pd
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

    cols: dict[object, object] = {}
    for i, col in enumerate(df.columns):
        series = df.iloc[:, i]
        dtype = series.dtype
        if is_numeric_dtype(dtype) or is_bool_dtype(dtype) or is_datetime64_any_dtype(dtype):
            cols[col] = series  # numbers stay numbers
            continue
        values = [redactor(v) if type(v) is str
                  else [redactor(t) if type(t) is str else _redact_value(t, redactor) for t in v]
                  if type(v) is list else _redact_value(v, redactor)
                  for v in series.to_numpy(dtype=object)]
        redacted = pd.Series(_objects(values), index=df.index, dtype=object, name=col)
        cols[col] = redacted.astype(dtype) if str(dtype) in ("str", "string") else redacted
    out = pd.DataFrame(cols, index=df.index, columns=df.columns, copy=False)
    out.attrs = dict(df.attrs)
    if "tokens" in out.columns and "clean" in out.columns:
        # a token cut from a masked datum ("12345" of a plate) must not survive on its own
        out["tokens"] = _objects([
            [t for t in toks if not isinstance(t, str) or t in str(clean)]
            if isinstance(toks, (list, tuple)) else toks
            for toks, clean in zip(out["tokens"].to_numpy(dtype=object),
                                   out["clean"].to_numpy(dtype=object))])
    return out


def _objects(values: list) -> object:
    """An object array holding ``values`` as they are (pandas would unpack a list of lists)."""
    import numpy as np

    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def _redact_value(value: object, redactor: Callable[[str], str]) -> object:
    if isinstance(value, str):
        return redactor(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_redact_value(v, redactor) for v in value)
    return value


class NameList(list):
    """The header names a corpus gave (``units.attrs["personal_names"]``), copied by reference.

    pandas deep-copies ``DataFrame.attrs`` on nearly every operation (each column access, row
    selection, ``iterrows`` step); with a plain list of 400 interview names that made every
    ``units[col]`` cost a millisecond, and whole stages (duplicate marking, quote picking,
    exports) spent most of their time in ``copy.deepcopy``. The names are only read after
    reading, so a deep copy may share them. Equal to the plain list it was made from.
    """

    def __deepcopy__(self, memo: dict) -> NameList:
        return self


def freeze_names(units: pd.DataFrame) -> pd.DataFrame:
    """Make ``units.attrs["personal_names"]`` a :class:`NameList` (in place); returns ``units``."""
    names = units.attrs.get("personal_names")
    if isinstance(names, list) and not isinstance(names, NameList):
        units.attrs["personal_names"] = NameList(names)
    return units


def redact_obj(obj: T, redactor: Callable[[str], str]) -> T:
    """``obj`` (a dataclass tree such as an IssueList) with every string in it redacted.

    Concern labels and key terms are built from tokens, so a WeChat id or a name can become a
    label; redacting the finished model catches those as well as the quotes.
    """
    import dataclasses

    if isinstance(obj, str):
        return redactor(obj)  # type: ignore[return-value]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: redact_obj(getattr(obj, f.name), redactor)
                   for f in dataclasses.fields(obj) if f.init}
        return dataclasses.replace(obj, **changes)
    if isinstance(obj, (list, tuple)):
        return type(obj)(redact_obj(v, redactor) for v in obj)  # type: ignore[return-value]
    if isinstance(obj, dict):
        return {k: redact_obj(v, redactor) for k, v in obj.items()}  # type: ignore[return-value]
    return obj
