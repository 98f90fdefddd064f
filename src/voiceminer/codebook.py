"""The codebook: themes, their terms and context rules, loaded from TOML and validated.

A codebook is data the researcher edits, never code. Loading checks every key against what the
format allows and names the file, line and key at fault, because a typo such as ``term =`` for
``terms =`` would otherwise silently leave a theme empty.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import CodebookError

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"codebook", "context", "theme"}
_META_KEYS = {"name", "version", "description", "language"}
_CONTEXT_KEYS = {"satisfied", "denied", "window", "salience", "salience_min_chars",
                 "introductions"}
_THEME_KEYS = {"id", "label", "description", "terms", "exclude", "exclude_context", "satisfied",
               "scope", "compete", "group_move", "setting_for"}
_GROUP_MOVE_KEYS = {"groups", "to", "terms", "unless"}
_SCOPES = ("study", "outside")
OTHER_THEME = "other"
OTHER_LABEL = "其他反复出现的问题"


@dataclass(frozen=True)
class GroupMove:
    """For a worker group, a theme's match that means another theme's matter: a unit of one of
    ``groups`` whose only evidence for the theme is among ``terms``, and that says none of
    ``unless``, is coded ``to`` instead (``group_moves.move_by_group``). A truck driver has no
    platform fining him: 被罚了没地方讲理 is a road check's fine."""

    groups: tuple[str, ...]
    to: str
    terms: tuple[str, ...]
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    """One theme, matched by ``terms``.

    A match does not count inside an ``exclude`` phrase (工资卡 for 工资), in a sentence that
    also holds an ``exclude_context`` phrase (罚款 next to 交警 is a traffic fine, not a platform
    rule), or before a ``satisfied`` cue (社保还行).

    ``compete = false`` marks a theme that goes with other concerns rather than standing for one
    — the route taken (仲裁, 投诉), the feelings voiced: in the salience rule it is kept or
    dropped like any theme, but its matches never set the bar, so a letter that names the
    arbitration committee six times still raises the unpaid wage it went there about.

    ``setting_for``: terms of other themes whose matter this theme's words are only the setting
    of. In a text where one of them is matched, this theme's matches are dropped: 住院、看病 in a
    letter about 新农合 reimbursement describe where the medical insurance failed, not a health
    complaint that outweighs it.
    """

    id: str
    label: str
    terms: tuple[str, ...]
    description: str = ""
    exclude: tuple[str, ...] = ()
    exclude_context: tuple[str, ...] = ()
    satisfied: tuple[str, ...] = ()
    compete: bool = True
    group_moves: tuple[GroupMove, ...] = ()
    setting_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """An ordered set of themes plus global context rules.

    ``outside`` themes (``scope = "outside"``) name what else people write about — housing,
    schools, hospitals, pollution. They are never reported; they compete with the study's themes
    for salience, so a letter about a flat's leaking roof that names a wage once is not coded pay,
    and a message that is mostly about something else is not counted as a worker's concern.
    """

    themes: tuple[Theme, ...]
    outside: tuple[Theme, ...] = ()
    name: str = ""
    version: str = ""
    description: str = ""
    satisfied: tuple[str, ...] = ()
    denied: tuple[str, ...] = ()
    introductions: tuple[str, ...] = ()
    window: int = 4
    salience: float = 0.0
    salience_min_chars: int = 150
    source: str = "<memory>"
    sha256: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        ids = [t.id for t in (*self.themes, *self.outside)]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise CodebookError(self.source, f"theme id(s) used twice: {', '.join(dupes)}", key="id")
        if OTHER_THEME in ids:
            raise CodebookError(self.source, f"'{OTHER_THEME}' is reserved for uncoded concerns",
                                key="id")
        study = {t.id for t in self.themes}
        for t in self.themes:
            for move in t.group_moves:
                if move.to not in study or move.to == t.id:
                    raise CodebookError(self.source, f"group_move of theme '{t.id}' goes to "
                                        f"{move.to!r}; 'to' must name another study theme: "
                                        f"{', '.join(sorted(study - {t.id}))}",
                                        key=f"{t.id}.group_move.to")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(f"No theme {theme_id!r}; the codebook has: {', '.join(self.ids)}")

    def label(self, theme_id: str) -> str:
        return OTHER_LABEL if theme_id == OTHER_THEME else self.theme(theme_id).label

    def all_terms(self) -> list[str]:
        """Every term and exclusion phrase, for the segmenter to keep whole."""
        return [w for t in (*self.themes, *self.outside) for w in (*t.terms, *t.exclude)]

    @classmethod
    def default(cls) -> Codebook:
        return load_codebook(default_codebook_path())

    @classmethod
    def load(cls, path: str | Path | None = None) -> Codebook:
        return load_codebook(path or default_codebook_path())


def default_codebook_path() -> Path:
    return Path(str(resources.files("voiceminer") / "resources" / "codebook.toml"))


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a TOML codebook; raise CodebookError naming file, line and key."""
    path = Path(path)
    data, text, raw = read_toml(path, "codebook")
    return _build(data, path, text, hashlib.sha256(raw).hexdigest())


def read_toml(path: Path, what: str) -> tuple[dict[str, Any], str, bytes]:
    """(parsed data, text, bytes) of a researcher-edited TOML file (codebook, concern
    catalogue); every failure is a CodebookError naming the file and, for syntax, the line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CodebookError(path, f"cannot read the {what} ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookError(path, f"the {what} is not UTF-8; save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise CodebookError(path, f"not valid TOML: {exc}",
                            line=int(m.group(1)) if m else None) from None
    return data, text, raw


def _line_of(text: str, key: str, value: Any = None, start: int = 0) -> int | None:
    """Best-effort line number of ``key = value`` (tomllib does not keep positions)."""
    lines = text.splitlines()
    pat = re.compile(rf"^\s*{re.escape(key)}\s*=" if key else r"^$")
    for i in range(max(start - 1, 0), len(lines)):
        if pat.match(lines[i]) and (value is None or str(value) in lines[i]):
            return i + 1
    return None


def _theme_starts(text: str) -> list[int]:
    return [i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip() == "[[theme]]"]


def _strings(value: Any, path: Path, key: str, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CodebookError(path, "must be a list of strings", line=line, key=key)
    cleaned = tuple(v.strip() for v in value if v.strip())
    return tuple(dict.fromkeys(cleaned))  # drop repeats, keep order


def _build(data: dict[str, Any], path: Path, text: str, sha: str) -> Codebook:
    for key in data:
        if key not in _TOP_KEYS:
            raise CodebookError(path, f"unknown section; expected one of {sorted(_TOP_KEYS)}",
                                line=_line_of(text, key) or _section_line(text, key), key=key)
    meta = data.get("codebook", {})
    context = data.get("context", {})
    for section, allowed, block in (("codebook", _META_KEYS, meta), ("context", _CONTEXT_KEYS, context)):
        for key in block:
            if key not in allowed:
                raise CodebookError(path, f"unknown key in [{section}]; allowed: {sorted(allowed)}",
                                    line=_line_of(text, key), key=f"{section}.{key}")
    window = context.get("window", 4)
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 50:
        raise CodebookError(path, f"must be a whole number from 0 to 50, got {window!r}",
                            line=_line_of(text, "window"), key="context.window")
    salience = context.get("salience", 0.0)
    if not isinstance(salience, (int, float)) or isinstance(salience, bool) or not 0 <= salience <= 1:
        raise CodebookError(path, f"must be a number from 0 to 1, got {salience!r}",
                            line=_line_of(text, "salience"), key="context.salience")
    min_chars = context.get("salience_min_chars", 150)
    if not isinstance(min_chars, int) or isinstance(min_chars, bool) or min_chars < 0:
        raise CodebookError(path, f"must be a whole number ≥ 0, got {min_chars!r}",
                            line=_line_of(text, "salience_min_chars"),
                            key="context.salience_min_chars")
    raw_themes = data.get("theme", [])
    if not isinstance(raw_themes, list) or not raw_themes:
        raise CodebookError(path, "the codebook defines no themes; add [[theme]] tables", key="theme")
    starts = _theme_starts(text)
    themes, outside = [], []
    for n, block in enumerate(raw_themes):
        start = starts[n] if n < len(starts) else None
        for key in block:
            if key not in _THEME_KEYS:
                raise CodebookError(path, f"unknown key in theme #{n + 1}; allowed: {sorted(_THEME_KEYS)}",
                                    line=_line_of(text, key, start=start or 0), key=key)
        tid = block.get("id")
        if not isinstance(tid, str) or not _ID.match(tid):
            raise CodebookError(path, f"theme #{n + 1} needs an id of lower-case letters, digits and _ "
                                f"(got {tid!r})", line=start, key="id")
        line = _line_of(text, "terms", start=start or 0)
        terms = _strings(block.get("terms", []), path, f"{tid}.terms", line)
        if not terms:
            raise CodebookError(path, f"theme '{tid}' has no terms", line=line or start,
                                key=f"{tid}.terms")
        scope = block.get("scope", "study")
        if scope not in _SCOPES:
            raise CodebookError(path, f"scope must be one of {list(_SCOPES)}, got {scope!r}",
                                line=_line_of(text, "scope", start=start or 0), key=f"{tid}.scope")
        compete = block.get("compete", True)
        if not isinstance(compete, bool):
            raise CodebookError(path, f"compete must be true or false, got {compete!r}",
                                line=_line_of(text, "compete", start=start or 0),
                                key=f"{tid}.compete")
        (themes if scope == "study" else outside).append(Theme(
            id=tid,
            label=str(block.get("label") or tid),
            description=str(block.get("description", "")),
            terms=terms,
            exclude=_strings(block.get("exclude", []), path, f"{tid}.exclude",
                             _line_of(text, "exclude", start=start or 0)),
            exclude_context=_strings(block.get("exclude_context", []), path,
                                     f"{tid}.exclude_context",
                                     _line_of(text, "exclude_context", start=start or 0)),
            satisfied=_strings(block.get("satisfied", []), path, f"{tid}.satisfied",
                               _line_of(text, "satisfied", start=start or 0)),
            compete=compete,
            group_moves=_group_moves(block.get("group_move", []), path, tid,
                                     _section_line(text, "theme.group_move")),
            setting_for=_strings(block.get("setting_for", []), path, f"{tid}.setting_for",
                                 _line_of(text, "setting_for", start=start or 0)),
        ))
    if not themes:
        raise CodebookError(path, "every theme is scope = \"outside\"; the study needs at least one",
                            key="theme")
    return Codebook(
        themes=tuple(themes),
        outside=tuple(outside),
        name=str(meta.get("name", "")),
        version=str(meta.get("version", "")),
        description=str(meta.get("description", "")),
        satisfied=_strings(context.get("satisfied", []), path, "context.satisfied",
                           _line_of(text, "satisfied")),
        denied=_strings(context.get("denied", []), path, "context.denied",
                        _line_of(text, "denied")),
        introductions=_strings(context.get("introductions", []), path, "context.introductions",
                               _line_of(text, "introductions")),
        window=window,
        salience=float(salience),
        salience_min_chars=min_chars,
        source=str(path),
        sha256=sha,
    )


def _group_moves(raw: Any, path: Path, tid: str, line: int | None) -> tuple[GroupMove, ...]:
    """``[[theme.group_move]]`` tables of theme ``tid``, checked key by key."""
    if not isinstance(raw, list) or not all(isinstance(m, dict) for m in raw):
        raise CodebookError(path, "must be [[theme.group_move]] tables", line=line,
                            key=f"{tid}.group_move")
    moves = []
    for m in raw:
        unknown = sorted(set(m) - _GROUP_MOVE_KEYS)
        if unknown:
            raise CodebookError(path, f"unknown key in a group_move of theme '{tid}': "
                                f"{', '.join(unknown)}; allowed: {sorted(_GROUP_MOVE_KEYS)}",
                                line=line, key=f"{tid}.group_move")
        groups = _strings(m.get("groups", []), path, f"{tid}.group_move.groups", line)
        terms = _strings(m.get("terms", []), path, f"{tid}.group_move.terms", line)
        to = m.get("to")
        if not groups or not terms or not isinstance(to, str):
            raise CodebookError(path, f"a group_move of theme '{tid}' needs groups, terms and to",
                                line=line, key=f"{tid}.group_move")
        moves.append(GroupMove(groups, to.strip(), terms,
                               _strings(m.get("unless", []), path, f"{tid}.group_move.unless",
                                        line)))
    return tuple(moves)


def _section_line(text: str, name: str) -> int | None:
    for i, ln in enumerate(text.splitlines(), 1):
        if ln.strip() in (f"[{name}]", f"[[{name}]]"):
            return i
    return None
