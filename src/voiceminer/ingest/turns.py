"""Split interview notes into a header and speaker turns, whatever marker style was used.

Fieldworkers write 问：/答：, Q:/A:, 访谈员：/受访者： or simply the speaker's name (王师傅：).
This module only sees lines (from .txt, .md or .docx alike), so every format gets the same rules.
Nothing here cleans the words: a turn's text is the lines as written minus the marker.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from ..origins import line_ranges
from ..schema import INTERVIEWER, RESPONDENT


@dataclass(frozen=True)
class Line:
    """One line of notes; ``loc`` is where it is ("12" for line/paragraph 12, "表1行3")."""

    loc: str
    text: str
    heading: bool = False  # a Markdown/Word heading: a section title, not somebody speaking


@dataclass
class Header:
    """Metadata from the top of the notes. The respondent's name never reaches the table."""

    respondent: str = ""
    province: str = ""
    group: str = ""
    date: str = ""
    number: str = ""
    interviewers: list[str] = field(default_factory=list)

    def set(self, kind: str, value: str) -> None:
        """Record one field; the first value given for a field wins."""
        value = value.strip().strip("*_ ").strip()
        if not value:
            return
        if kind == "interviewer":
            for name in re.split(r"[、,，/;；\s]+", value):
                if name and name not in self.interviewers:
                    self.interviewers.append(name)
        elif not getattr(self, kind):
            setattr(self, kind, value)


@dataclass
class Turn:
    """One speaker turn; ``loc`` is the location of its first line, ``at`` its index among the
    document's lines (for putting turns and notes back in document order)."""

    speaker: str
    loc: str
    lines: list[str]
    at: int = 0
    name: str = ""  # the name label that started it (王师傅：), if any

    locs: list[str] = field(default_factory=list)  # each line's location, beside ``lines``

    def __post_init__(self) -> None:
        if not self.locs:
            self.locs = [self.loc] * len(self.lines)

    def add(self, ln: Line, text: str) -> None:
        """A further line of the same turn."""
        self.lines.append(text)
        self.locs.append(ln.loc)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()

    @property
    def where(self) -> str:
        """The lines the turn's text is on: "12", "12-15", or "12-13,15" around lines that hold
        none of it. An answer over several lines used to be placed on its first line only, and a
        quote from its third line sent the reader looking a line or two early. Locations that
        are not line numbers (a table cell, 表1行3) give the first one."""
        locs = [loc for loc, line in zip(self.locs, self.lines) if line.strip()] or [self.loc]
        if not all(loc.isdigit() for loc in locs):
            return locs[0]
        return line_ranges(int(loc) for loc in locs)


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
_LABELS: Final = {**dict.fromkeys(_INTERVIEWER_LABELS, INTERVIEWER),
                  **dict.fromkeys(_RESPONDENT_LABELS, RESPONDENT)}
_EM: Final = r"(?:\*\*|__|\*|_)?"
_COLON: Final = r"\s*[:：]"
# 问： 答1： Q: a： 访谈员： 受访者（王）： 访谈员小李：
_LONG_LABELS: Final = "|".join(sorted((k for k in _LABELS if len(k) > 1), key=len, reverse=True))
_LABEL_RE: Final = re.compile(
    rf"^{_EM}\s*(?:(?P<label>{_LONG_LABELS})[\u4e00-\u9fff]{{0,4}}|(?P<short>[问問答QqAa])\d{{0,3}})"
    rf"\s*(?:[（(][^（）()]{{0,12}}[）)])?\s*{_EM}{_COLON}\s*{_EM}\s*"
)
# 王师傅： 老张（外卖骑手）： Li Wei:
_NAME_RE: Final = re.compile(
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
_MD_HEADING: Final = re.compile(r"^\s*#{1,6}\s")
_HONORIFICS: Final = ("师傅", "先生", "女士", "老师", "大哥", "大姐", "哥", "姐", "叔", "阿姨",
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
_INLINE_ANSWER: Final = re.compile(r"\s*(?=(?:答|A)\d{0,3}\s*[:：])")


def strip_markup(text: str) -> str:
    """Line with leading Markdown syntax (#, >, -, *, 1.) removed, for marker detection only."""
    return _MD_PREFIX.sub("", text, count=1)


def is_label(text: str) -> bool:
    """True when ``text`` is a bare speaker label such as 问, 答, Q or 受访者 (colon optional)."""
    text = text.strip().rstrip("：:").strip()
    return bool(text) and bool(_LABEL_RE.fullmatch(text + "："))


def _parse_header_fields(probe: str) -> list[tuple[str, str, str]] | None:
    """``[(key, kind, value), ...]`` when the line is a header line, else None."""
    if not _HEADER_RE.match(probe):
        return None
    out: list[tuple[str, str, str]] = []
    for chunk in _MORE_HEADER_RE.split(probe):
        m = _HEADER_RE.match(chunk.strip())
        if m:
            out.append((m.group("key"), HEADER_KEYS[m.group("key")], chunk.strip()[m.end():]))
    return out


def _looks_like_names(value: str) -> bool:
    """True when a header value is a name or list of names, not a sentence someone said."""
    value = re.sub(r"[（(][^（）()]*[)）]", "", value).strip().strip("*_ ")  # 邓某某（化名）
    if not value or value.rstrip("。.!！") in _UTTERANCES or re.search(r"[。？！?!…，,；;]", value.replace("、", "")):
        return False
    return all(len(p) <= 6 for p in re.split(r"[、/\s]+", value) if p)


def _name_candidate(probe: str) -> str | None:
    """The would-be speaker name at the start of a line, or None if it cannot be a name."""
    m = _NAME_RE.match(probe)
    if not m:
        return None
    name = m.group("name")
    if name in _NOT_NAMES or name in HEADER_KEYS or name.endswith(_QUOTE_VERBS):
        return None
    if name.isascii() and not name[:1].isupper():
        return None  # "note:", "http:" — Latin names are capitalised
    return name


class _Speakers:
    """Decides which line-start names are speaker labels in one document.

    A lone "比如：" inside an answer must not start a turn, so a bare name counts only when it is
    the interviewer/respondent named in the header, carries an honorific (王师傅), or recurs at
    line starts in the same document (a label used once is more likely prose).
    """

    def __init__(self, probes: list[str], header: Header) -> None:
        self.header = header
        self.counts = Counter(n for n in map(_name_candidate, probes) if n)

    def speaker(self, name: str) -> str | None:
        if any(name == i or (len(name) == 1 and i.startswith(name))
               for i in self.header.interviewers):
            return INTERVIEWER
        resp = self.header.respondent
        if resp and (name == resp or name in resp or resp in name):
            return RESPONDENT
        if name.endswith(_HONORIFICS) or self.counts[name] >= 2:
            return RESPONDENT
        return None

    def guessed(self, name: str) -> bool:
        """True when ``name`` counts as a speaker only because it recurs at line starts."""
        resp = self.header.respondent
        return not (name in self.header.interviewers or name.endswith(_HONORIFICS)
                    or (resp and (name == resp or name in resp or resp in name)))


# Speakers of the lines no turn holds (``Parsed.notes``): section titles, and text before the
# first speaker marker. They are not coded, but the ledger lists them, so no line is lost unseen.
HEADING: Final = "heading"
PREAMBLE: Final = "preamble"


@dataclass
class Parsed:
    """A document's header fields, its speaker turns and the notes no turn holds, each list in
    document order."""

    header: Header
    turns: list[Turn]
    notes: list[Turn]


def parse_turns(lines: list[Line], *, paragraphs_are_lines: bool = False) -> Parsed:
    """Parse a document into its header, its turns and its notes.

    A line without a marker continues the previous turn. Headings that are not questions, and
    text before the first turn that is not a header field (a title, "以下为访谈内容", or a
    summary the fieldworker wrote first), become notes, one per paragraph. Notes with no markers
    at all become one respondent turn per paragraph (blank-line separated, or per line when
    ``paragraphs_are_lines``), because unmarked narrative notes are still the respondent's words.
    A name label used only to ask questions is the interviewer's (``_asking_names``).
    """
    header = Header()
    probes = [strip_markup(ln.text.strip()) for ln in lines]
    speakers = _Speakers(probes, header)  # shares ``header``, so it sees fields as they are read
    # Header fields are read before turns so a name in 访谈员：张三 is known when 张三：appears.
    header_lines = _read_header(lines, probes, header, speakers)
    turns: list[Turn] = []
    notes = _Notes()
    expect_answer = False
    for i, (ln, probe) in enumerate(zip(lines, probes)):
        if not probe or i in header_lines:
            notes.gap()
            continue
        started = _start_turn(ln, probe, speakers, i)
        if started:
            expect_answer = False
            turns.extend(started)
            notes.gap()
            continue
        is_heading = ln.heading or bool(_MD_HEADING.match(ln.text))
        if is_heading:
            if probe.endswith(("？", "?")):  # questions styled as headings
                turns.append(Turn(INTERVIEWER, ln.loc, [probe], i))
                expect_answer = True
            else:
                notes.add(HEADING, ln, probe, i)
                notes.gap()
            continue
        if expect_answer:
            turns.append(Turn(RESPONDENT, ln.loc, [ln.text.strip()], i))
            expect_answer = False
        elif turns:
            turns[-1].add(ln, ln.text.strip())
        else:
            notes.add(PREAMBLE, ln, ln.text.strip(), i)
    if not turns:
        turns = _paragraph_turns(lines, probes, paragraphs_are_lines)
        notes = _Notes()
        for i, (ln, probe) in enumerate(zip(lines, probes)):
            if probe and (ln.heading or _MD_HEADING.match(ln.text)):
                notes.add(HEADING, ln, probe, i)
                notes.gap()
    _asking_names(turns, speakers)
    return Parsed(header, turns, notes.found)


class _Notes:
    """Collects the lines no turn holds, consecutive lines of one kind as one note."""

    def __init__(self) -> None:
        self.found: list[Turn] = []
        self._open = False

    def add(self, kind: str, ln: Line, text: str, at: int) -> None:
        if self._open and self.found[-1].speaker == kind:
            self.found[-1].add(ln, text)
        else:
            self.found.append(Turn(kind, ln.loc, [text], at))
        self._open = True

    def gap(self) -> None:
        self._open = False


def _asking_names(turns: list[Turn], speakers: _Speakers) -> None:
    """Turns of a name label that only recurs (no header field, no honorific) and mostly asks
    questions are the interviewer's: 记者：…？/小王：… notes name both sides, and the one asking
    is not the respondent."""
    by_name: dict[str, list[Turn]] = {}
    for turn in turns:
        if turn.name and speakers.guessed(turn.name):
            by_name.setdefault(turn.name, []).append(turn)
    if len(by_name) < 2 and len({t.speaker for t in turns}) < 2:
        return  # one voice only: nobody to tell the interviewer from
    for named in by_name.values():
        asking = sum(t.text.endswith(("？", "?")) for t in named)
        if asking * 5 >= len(named) * 3:  # three in five or more end with a question mark
            for t in named:
                t.speaker = INTERVIEWER


def _read_header(lines: list[Line], probes: list[str], header: Header,
                 speakers: _Speakers) -> set[int]:
    """Fill ``header`` from the field lines before the first turn; return their indexes.

    受访者：/访谈员： open both a header field and a turn. Such a line is a header field when its
    value looks like a name (王师傅, 邓某某（化名）) or when the next line is an unambiguous
    header field (省份：…), since a header block is a run of fields.
    """
    found: set[int] = set()
    nonblank = [i for i, p in enumerate(probes) if p]
    for pos, i in enumerate(nonblank):
        probe = probes[i]
        fields_ = _parse_header_fields(probe)
        if fields_:
            ambiguous = [value for key, _kind, value in fields_ if key in _LABELS]
            following = (_parse_header_fields(probes[nonblank[pos + 1]])
                         if pos + 1 < len(nonblank) else None)
            if (not ambiguous or all(map(_looks_like_names, ambiguous))
                    or any(key not in _LABELS for key, _k, _v in following or [])):
                for _key, kind, value in fields_:
                    header.set(kind, value)
                found.add(i)
                continue
        name = _name_candidate(probe)
        if (_LABEL_RE.match(probe) or lines[i].heading and probe.endswith(("？", "?"))
                or name and speakers.speaker(name)):
            break
    return found


def _start_turn(ln: Line, probe: str, speakers: _Speakers, at: int) -> list[Turn]:
    """The turn(s) a marked line starts, or [] when the line has no marker."""
    m = _LABEL_RE.match(probe)
    if m:
        label = m.group("label") or m.group("short")
        who = _LABELS.get(label) or (INTERVIEWER if label in "Qq" else RESPONDENT)
        rest = probe[m.end():]
        if who == INTERVIEWER and label in ("问", "問", "Q", "q"):
            # 问：您几点出车？答：早上五点。 — both turns on one line.
            parts = _INLINE_ANSWER.split(rest, maxsplit=1)
            if len(parts) == 2:
                answer = _LABEL_RE.match(parts[1])
                if answer:
                    return [Turn(INTERVIEWER, ln.loc, [parts[0].strip()], at),
                            Turn(RESPONDENT, ln.loc, [parts[1][answer.end():].strip()], at)]
        return [Turn(who, ln.loc, [rest.strip()], at)]
    name = _name_candidate(probe)
    if name:
        who = speakers.speaker(name)
        if who:
            m2 = _NAME_RE.match(probe)
            assert m2 is not None
            return [Turn(who, ln.loc, [probe[m2.end():].strip()], at, name)]
    return []


def _paragraph_turns(lines: list[Line], probes: list[str], each_line: bool) -> list[Turn]:
    """Unmarked notes: one respondent turn per paragraph, skipping header lines and headings."""
    turns: list[Turn] = []
    current: Turn | None = None
    for i, (ln, probe) in enumerate(zip(lines, probes)):
        skip = (not probe or _parse_header_fields(probe) is not None or ln.heading
                or _MD_HEADING.match(ln.text))
        if skip:
            current = None
            continue
        if current is None or each_line:
            current = Turn(RESPONDENT, ln.loc, [ln.text.strip()], i)
            turns.append(current)
        else:
            current.add(ln, ln.text.strip())
    return turns
