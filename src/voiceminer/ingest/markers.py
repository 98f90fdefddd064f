"""The marks of interview notes: speaker labels, header fields, names, Markdown, in either script.

Fieldworkers write 问：/答：, Q:/A:, 访谈员：/受访者： or the speaker's name (王师傅：), and a
header block of fields (访谈对象：…  省份：…). This module says what such a line start is;
``turns.py`` puts the lines of a document together into a header and speaker turns.
"""

from __future__ import annotations

import re
from typing import Final

from ..schema import INTERVIEWER, RESPONDENT

# Simplified -> traditional for the characters of markers and header keys, so notes typed in
# traditional characters (問：/受訪者：/職業：) parse too.
_TRAD: Final = str.maketrans(
    "访问谈员对调采记录职业体区时间编号种类从询题应说讲认为观点师备结论议况标诉难龄历户补场电话别学总",
    "訪問談員對調採記錄職業體區時間編號種類從詢題應說講認為觀點師備結論議況標訴難齡歷戶補場電話別學總",
)


def _both_scripts(*words: str) -> tuple[str, ...]:
    """``words`` plus their traditional spellings."""
    return tuple(dict.fromkeys(words + tuple(w.translate(_TRAD) for w in words)))


_HEADER_KEYS_SIMPLIFIED: Final[dict[str, str]] = {
    **dict.fromkeys(("访谈对象", "调查对象", "受访者", "被访者", "被访谈者", "受访人", "被访人", "姓名"),
                    "respondent"),
    **dict.fromkeys(("省份", "地点", "所在地", "地区", "省市", "访谈地点", "所在省份", "所在地区",
                     "所在城市", "城市"), "province"),
    **dict.fromkeys(("群体", "职业", "身份", "工种", "行业", "从业类型"), "group"),
    **dict.fromkeys(("时间", "访谈时间", "日期", "访谈日期"), "date"),
    **dict.fromkeys(("访谈员", "调研员", "访问员", "访谈人", "记录人", "记录员"), "interviewer"),
    **dict.fromkeys(("编号", "访谈编号", "序号"), "number"),
}
HEADER_KEYS: Final[dict[str, str]] = {
    variant: kind for key, kind in _HEADER_KEYS_SIMPLIFIED.items() for variant in _both_scripts(key)
}

_INTERVIEWER_LABELS: Final = _both_scripts("访谈员", "采访者", "调研员", "访问员", "访谈人", "主持人", "追问",
                              "采访人", "采访员", "调查员", "调查人", "记者", "研究者", "问")
_RESPONDENT_LABELS: Final = _both_scripts("受访者", "被访者", "被采访者", "受访人", "被访人", "被访谈者",
                             "被调查者", "被调查人", "调查对象", "答")
LABELS: Final = {**dict.fromkeys(_INTERVIEWER_LABELS, INTERVIEWER),
                  **dict.fromkeys(_RESPONDENT_LABELS, RESPONDENT)}
_EM: Final = r"(?:\*\*|__|\*|_)?"
_COLON: Final = r"\s*[:：]"
# 问： 答1： Q: a： 访谈员： 受访者（王）： 访谈员小李：
_LONG_LABELS: Final = "|".join(sorted((k for k in LABELS if len(k) > 1), key=len, reverse=True))
LABEL_RE: Final = re.compile(
    rf"^{_EM}\s*(?:(?P<label>{_LONG_LABELS})[\u4e00-\u9fff]{{0,4}}|(?P<short>[问問答QqAa])\d{{0,3}})"
    rf"\s*(?:[（(][^（）()]{{0,12}}[）)])?\s*{_EM}{_COLON}\s*{_EM}\s*"
)
# 王师傅： 老张（外卖骑手）： Li Wei:
NAME_RE: Final = re.compile(
    rf"^{_EM}\s*(?P<name>[\u4e00-\u9fffA-Za-z·]{{1,6}})\s*(?:[（(][^（）()]{{0,12}}[）)])?"
    rf"\s*{_EM}{_COLON}\s*{_EM}\s*"
)
_HEADER_RE: Final = re.compile(
    rf"^{_EM}\s*(?P<key>{'|'.join(sorted(HEADER_KEYS, key=len, reverse=True))}){_EM}{_COLON}"
    rf"\s*{_EM}"
)
# Further "key：value" pairs on the same header line: 访谈对象：王师傅  省份：云南
_MORE_HEADER_RE: Final = re.compile(
    rf"(?:\s+|[；;，,|｜]\s*)(?={_EM}(?:{'|'.join(HEADER_KEYS)}){_EM}{_COLON})"
)
_MD_PREFIX: Final = re.compile(r"^\s*(?:#{1,6}\s*|>\s*|[-*+]\s+|\d{1,3}[.)、]\s+)*")
MD_HEADING: Final = re.compile(r"^\s*#{1,6}\s")
HONORIFICS: Final = ("师傅", "先生", "女士", "老师", "大哥", "大姐", "哥", "姐", "叔", "阿姨",
                      "小哥", "同志", "经理", "站长", "老板")
_NOT_NAMES: Final = frozenset(_both_scripts(*(
    "比如", "例如", "注", "备注", "说明", "总结", "问题", "原因", "结果", "第一", "第二", "第三",
    "首先", "其次", "然后", "最后", "另外", "一是", "二是", "三是", "补充", "回答", "主题", "话题",
    "背景", "地址", "内容", "目的", "要点", "总之", "就是", "标题", "摘要", "结论", "建议", "诉求",
    "困难", "问题一", "问题二", "场景", "情况", "访谈记录", "访谈提纲", "基本情况", "附", "附件",
    "电话", "微信", "年龄", "性别", "工龄", "收入", "学历", "婚姻", "户籍", "平台", "Note", "NB",
    "http", "https",
)))
# Short replies that follow 访谈员：/受访者： as speech, never as a name in the header.
_UTTERANCES: Final = frozenset(("您好", "你好", "好的", "好", "是的", "是", "对", "对的", "嗯", "嗯嗯",
                                "谢谢", "没有", "有", "不是", "不知道", "可以", "行"))
_QUOTE_VERBS: Final = _both_scripts("说", "讲", "道", "表示", "认为", "提到", "问", "回复", "告诉我")
INLINE_ANSWER: Final = re.compile(r"\s*(?=(?:答|A)\d{0,3}\s*[:：])")


def strip_markup(text: str) -> str:
    """Line with leading Markdown syntax (#, >, -, *, 1.) removed, for marker detection only."""
    return _MD_PREFIX.sub("", text, count=1)


def is_label(text: str) -> bool:
    """True when ``text`` is a bare speaker label such as 问, 答, Q or 受访者 (colon optional)."""
    text = text.strip().rstrip("：:").strip()
    return bool(text) and bool(LABEL_RE.fullmatch(text + "："))


def parse_header_fields(probe: str) -> list[tuple[str, str, str]] | None:
    """``[(key, kind, value), ...]`` when the line is a header line, else None."""
    if not _HEADER_RE.match(probe):
        return None
    out: list[tuple[str, str, str]] = []
    for chunk in _MORE_HEADER_RE.split(probe):
        m = _HEADER_RE.match(chunk.strip())
        if m:
            out.append((m.group("key"), HEADER_KEYS[m.group("key")], chunk.strip()[m.end():]))
    return out


def looks_like_names(value: str) -> bool:
    """True when a header value is a name or list of names, not a sentence someone said."""
    value = re.sub(r"[（(][^（）()]*[)）]", "", value).strip().strip("*_ ")  # 邓某某（化名）
    if not value or value.rstrip("。.!！") in _UTTERANCES or re.search(r"[。？！?!…，,；;]", value.replace("、", "")):
        return False
    return all(len(p) <= 6 for p in re.split(r"[、/\s]+", value) if p)


def name_candidate(probe: str) -> str | None:
    """The would-be speaker name at the start of a line, or None if it cannot be a name."""
    m = NAME_RE.match(probe)
    if not m:
        return None
    name = m.group("name")
    if name in _NOT_NAMES or name in HEADER_KEYS or name.endswith(_QUOTE_VERBS):
        return None
    if name.isascii() and not name[:1].isupper():
        return None  # "note:", "http:" — Latin names are capitalised
    return name
