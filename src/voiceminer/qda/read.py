"""Parsing a REFI-QDA project (``.qdpx``): codes, text sources, selections and their codings.

Only what the round trip needs is read, in the shape the standard prescribes, so projects written
by NVivo, ATLAS.ti, MAXQDA and QualCoder read the same way as our own: codes may nest at any
depth, a source's text may sit in ``sources/`` (any case) or inline in ``PlainTextContent``, and a
coding may hang on a selection or on a whole source.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import InputFileError

NS = "urn:QDA-XML:project:1.0"
_Q = f"{{{NS}}}"
_EXPORT_HINT = "export the project from your QDA program as REFI-QDA (.qdpx)"


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    description: str
    parent: str | None  # parent code's GUID


@dataclass(frozen=True)
class Coding:
    code: str  # the coded code's GUID
    user: str  # creating user's GUID, or ""


@dataclass(frozen=True)
class Selection:
    guid: str
    start: int
    end: int
    codings: tuple[Coding, ...]


@dataclass
class Source:
    guid: str
    name: str
    text: str
    selections: list[Selection] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)  # codings of the whole source


@dataclass
class Project:
    codes: dict[str, Code]
    sources: list[Source]
    users: dict[str, str]  # GUID -> name
    members: set[str]  # names of every file in the zip


def norm_guid(value: str | None) -> str:
    """GUIDs compare case-insensitively and may come in braces (``{…}``)."""
    return (value or "").strip().strip("{}").upper()


def read_project(path: str | Path) -> Project:
    """Read ``path`` (a ``.qdpx`` zip) into a ``Project``.

    Raises
    ------
    InputFileError
        The file is not a zip, holds no ``project.qde``, the XML is malformed or a source's text
        file is missing.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputFileError(path, f"not a REFI-QDA project ({exc})", hint=_EXPORT_HINT) from None
    with zf:
        names = {n.lower(): n for n in zf.namelist()}
        qde = next((names[n] for n in names if n.endswith(".qde") and "/" not in n), None)
        if qde is None:
            raise InputFileError(path, "holds no project.qde", hint=_EXPORT_HINT)
        try:
            root = ET.fromstring(zf.read(qde))
        except ET.ParseError as exc:
            raise InputFileError(f"{path}!{qde}", f"malformed XML ({exc})",
                                 line=exc.position[0] if exc.position else None) from None
        if root.tag != f"{_Q}Project":
            raise InputFileError(f"{path}!{qde}", f"root element is {root.tag}, not Project in "
                                 f"namespace {NS}", hint="is this a REFI-QDA 1.0 project?")
        codes: dict[str, Code] = {}
        book = root.find(f"{_Q}CodeBook/{_Q}Codes")
        if book is not None:
            for el in book.findall(f"{_Q}Code"):
                _codes(el, None, codes)
        users = {norm_guid(u.get("guid")): u.get("name") or u.get("id") or ""
                 for u in root.iterfind(f"{_Q}Users/{_Q}User")}
        sources = [_source(el, zf, names, path)
                   for el in root.iterfind(f"{_Q}Sources/{_Q}TextSource")]
        return Project(codes, sources, users, set(names))


def _codes(el: ET.Element, parent: str | None, out: dict[str, Code]) -> None:
    guid = norm_guid(el.get("guid"))
    desc = el.findtext(f"{_Q}Description") or ""
    out[guid] = Code(guid, (el.get("name") or "").strip(), desc, parent)
    for child in el.findall(f"{_Q}Code"):
        _codes(child, guid, out)


def _codings(el: ET.Element) -> tuple[Coding, ...]:
    out = []
    for c in el.findall(f"{_Q}Coding"):
        ref = c.find(f"{_Q}CodeRef")
        if ref is not None:
            out.append(Coding(norm_guid(ref.get("targetGUID")), norm_guid(c.get("creatingUser"))))
    return tuple(out)


def _source(el: ET.Element, zf: zipfile.ZipFile, names: dict[str, str], path: Path) -> Source:
    guid = norm_guid(el.get("guid"))
    name = el.get("name") or guid
    inline = el.find(f"{_Q}PlainTextContent")
    if inline is not None:
        text = inline.text or ""
    else:
        ref = el.get("plainTextPath") or ""
        member = ref.split("://", 1)[1] if ref.startswith("internal://") else ref
        candidates = [member, f"sources/{member}"]
        found = next((names[c.lower()] for c in candidates if c.lower() in names), None)
        if found is None:
            raise InputFileError(path, f"source '{name}' points at {ref or '(nothing)'}, which "
                                 f"the file does not hold",
                                 hint="re-export the project with its sources")
        text = zf.read(found).decode("utf-8-sig", errors="replace")
    source = Source(guid, name, text, codings=list(_codings(el)))
    for sel in el.findall(f"{_Q}PlainTextSelection"):
        try:
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
        except ValueError:
            continue
        source.selections.append(Selection(norm_guid(sel.get("guid")), min(start, end),
                                           max(start, end), _codings(sel)))
    return source
