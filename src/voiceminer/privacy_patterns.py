"""What counts as personal data, and how to find it: the patterns ``privacy.Redactor`` masks.

Each pattern is validated where a checksum exists (ID cards: ISO 7064; bank cards: Luhn), so
ordinary long numbers such as order numbers are not masked by accident, and WeChat/QQ ids are only
looked for after a label that says what they are, because a bare ``wang_li88`` is
indistinguishable from any other word. Patterns run on a width-folded copy of the text
(``FOLD``): full-width ``１３８…`` becomes ``138…``, one character for one character, so offsets
carry over and full-width numbers cannot slip through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

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


# ``_TRIGGER`` as it can be checked on the text before folding (folding every string cost more
# than everything else redaction does): each ASCII character class also takes its full-width
# form, which folds to it, and each expression starts with a single character class, which lets
# the regular expression engine jump between candidate characters rather than try every
# alternative at every position. A string none of these finds has no ``_TRIGGER`` match once
# folded (``tests/test_privacy.py`` checks this on generated strings); one they find goes on to
# the exact check. The separators between digits are taken possessively (``*+``): no digit is
# a separator, so giving one back could never let the next digit match, and not trying made
# the scan, the slowest of these over a table's strings, a third faster.
RAW_TRIGGERS: Final = tuple(re.compile(p) for p in (
    r"[@＠]",
    r"\d(?:[-－\s()（）]*+\d){9}",
    rf"[{_PLATE_PROVINCES}][A-Za-zＡ-Ｚａ-ｚ]",
    r"[VvWwＶｖＷｗ][XxＸｘ信]",
    r"[wWｗＷ][eｅ][cCｃＣ][hｈ][aａ][tｔ]",
    r"[QqＱｑ][QqＱｑ]",
    "|".join(("微信", "威信", "薇信", "扣扣", "企鹅", *_LABEL_WORDS)),
))


def texts_matching(texts: Sequence[str], expressions: Iterable[re.Pattern[str]]) -> bytearray:
    """1 for each text in which any of ``expressions`` finds a match, else 0.

    One pass of each expression over the texts joined by NUL, rather than one call per text
    and expression; valid for expressions that cannot match NUL (none of the above can), so
    that no match spans two texts and every text with a match holds the start of one."""
    import numpy as np

    flags = bytearray(len(texts))
    if not texts:
        return flags
    joined = "\0".join(texts)
    # where each text starts in ``joined``: its length and a NUL after each text before it
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)
    for expression in expressions:
        hits = [m.start() for m in expression.finditer(joined)]
        if hits:
            for i in np.searchsorted(ends, hits, side="right").tolist():
                flags[i] = 1
    return flags


def unfolded(literal: str) -> str:
    """A pattern for every string that folds to ``literal`` (``wx1`` → ``[wｗ][xｘ][1１]``), so
    a name or id can be looked for before folding."""
    parts = []
    for ch in literal:
        if "\x21" <= ch <= "\x7e":
            parts.append(f"[{re.escape(ch)}{re.escape(chr(ord(ch) + 0xFEE0))}]")
        elif ch == " ":
            parts.append("[ \u3000]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)

_NAME_RUN: Final = re.compile(r"[\u4e00-\u9fff]{2,4}")




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
    texts = [t for t in texts if isinstance(t, str) and t]
    # an id needs its label (微信, VX, QQ …), which the unfolded triggers find in any width
    for text, labelled in zip(texts, texts_matching(texts, RAW_TRIGGERS)):
        if not labelled:
            continue
        folded = text.translate(_FOLD)
        for pattern, mask in ((_WECHAT, MASKS["wechat"]), (_QQ, MASKS["qq"])):
            for m in pattern.finditer(folded):
                ids.setdefault(m.group("id"), mask)
    return ids
