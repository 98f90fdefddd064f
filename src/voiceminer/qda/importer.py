"""Reading corrected codings back from a REFI-QDA project into a labels table.

The labels table is what ``voiceminer train``, ``evaluate`` and ``agreement`` take: one row per
unit voiceminer analyses, ``unit_id,text,themes`` (``;``-joined theme ids, empty for none), plus
``concerns``, ``coders`` and ``doc_id``. Every analysed unit of every source still in the project
gets a row, coded or not: a unit a person left uncoded is a negative example, not a missing one.

Codings map to units by character overlap with each unit's span (``layout.py``). Codes are
recognised by their GUID (voiceminer derives it from the theme id), then by the ``voiceminer
theme:`` line of their description, then by theme id or label as name; a code under a theme is a
concern of it. Anything else a person added is kept under its own name and reported.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..codebook import OTHER_LABEL, OTHER_THEME, Codebook
from ..errors import InputFileError
from . import guids
from .export import THEME_MARK, UNIT_MAP
from .layout import SourceText, UnitSpan, build_sources
from .read import Project, Source, norm_guid, read_project
from .rundir import load_run

LABEL_COLUMNS = ("unit_id", "text", "themes", "concerns", "coders", "doc_id")
_CONCERN_MARK = re.compile(r"voiceminer concern:\s*(\S+)")
_CONCERN_NAME = re.compile(r"^([a-z][a-z0-9_]*\.\d+)(?:\s|$)")
_THEME_LINE = re.compile(re.escape(THEME_MARK) + r"([a-z][a-z0-9_]*)")


@dataclass
class ImportResult:
    """The labels and what a person should know about how they were read."""

    labels: pd.DataFrame  # LABEL_COLUMNS, themes/concerns as lists
    unknown_codes: dict[str, int]  # code names the codebook does not know -> units coded
    new_concerns: dict[str, int]  # "theme/name" of child codes a person added -> units coded
    stats: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def to_csv(self, path: str | Path) -> Path:
        """Write the labels CSV (UTF-8 with BOM so Excel shows Chinese; lists ``;``-joined)."""
        from ..report.writers._atomic import atomic_path

        path = Path(path)
        flat = self.labels.copy()
        for col in ("themes", "concerns", "coders"):
            flat[col] = flat[col].map(";".join)
        with atomic_path(path) as tmp:
            flat.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        return path


def import_qdpx(path: str | Path, *, run_dir: str | Path | None = None,
                codebook: str | Path | Codebook | None = None,
                coder: str | None = None) -> ImportResult:
    """Read the codings of the project ``path`` and map them to units.

    Parameters
    ----------
    run_dir
        The ``analyze`` folder the project was exported from. Needed when another program
        re-exported the project (it drops voiceminer's unit map); optional otherwise.
    codebook
        Theme ids and labels to recognise codes by; default: the run's, else the bundled one.
    coder
        Keep only codings made by this user (name or GUID in the project's ``Users``), e.g. to
        compare two coders who worked in one project.
    """
    project = read_project(path)
    run = load_run(run_dir, codebook if not isinstance(codebook, Codebook) else None) \
        if run_dir else None
    cb = codebook if isinstance(codebook, Codebook) else (
        run.codebook if run else (Codebook.load(codebook) if codebook else Codebook.default()))
    layouts, missing = _layouts(project, run.units if run else None, Path(path))
    resolver = _Resolver(project, cb)
    keep_user = _user_filter(project, coder, Path(path)) if coder else None

    result = ImportResult(pd.DataFrame(columns=list(LABEL_COLUMNS)), {}, {})
    stats = result.stats
    if missing:
        stats["sources_missing"] = len(missing)
        result.notes.append(f"{len(missing)} document(s) of the run are not in the project (e.g. "
                            f"'{missing[0]}'); their units get no labels")
    assigned: dict[str, dict[str, set[str]]] = {}
    lost_example = ""
    rows = []
    for source in project.sources:
        layout = layouts.get(source.guid)
        if layout is None:
            stats["sources_unknown"] += 1
            result.notes.append(f"source '{source.name}' is not from this run; its codings "
                                f"are ignored")
            continue
        spans, lost = _realign(layout, source)
        if lost:
            stats["units_not_found"] += len(lost)
            lost_example = lost_example or f"{lost[0]} in '{source.name}'"
        stats["sources"] += 1
        codable = [s for s in spans if s.codable]
        for span in codable:
            rows.append((span.unit_id, source.text[span.start:span.end], layout.doc_id))
            assigned.setdefault(span.unit_id, {"themes": set(), "concerns": set(), "coders": set()})
        whole = [c for c in source.codings if keep_user is None or c.user in keep_user]
        if whole:
            stats["whole_source_codings"] += len(whole)
        targets = [(sel.start, sel.end, sel.codings) for sel in source.selections]
        targets += [(0, len(source.text), tuple(whole))] if whole else []
        for start, end, codings in targets:
            codings = tuple(c for c in codings if keep_user is None or c.user in keep_user)
            if not codings:
                continue
            stats["selections"] += 1
            hit = [s for s in spans if _overlaps(source.text, start, end, s)]
            units = [s for s in hit if s.codable]
            if not units:
                stats["selections_off_units" if not hit else "selections_on_skipped_units"] += 1
                continue
            for coding in codings:
                theme, concern, kind = resolver.resolve(coding.code)
                stats["codings"] += 1
                for span in units:
                    slot = assigned[span.unit_id]
                    slot["themes"].add(theme)
                    if concern:
                        slot["concerns"].add(concern)
                    slot["coders"].add(project.users.get(coding.user, coding.user))
                    if kind == "unknown":
                        result.unknown_codes[theme] = result.unknown_codes.get(theme, 0) + 1
                    elif kind == "new_concern":
                        key = f"{theme}/{concern}"
                        result.new_concerns[key] = result.new_concerns.get(key, 0) + 1
    order = {t: i for i, t in enumerate((*cb.ids, OTHER_THEME))}
    records = []
    for unit_id, text, doc_id in rows:
        slot = assigned[unit_id]
        themes = sorted(slot["themes"], key=lambda t: (order.get(t, len(order)), t))
        records.append((unit_id, text, themes, sorted(slot["concerns"]),
                        sorted(c for c in slot["coders"] if c), doc_id))
    result.labels = pd.DataFrame(records, columns=list(LABEL_COLUMNS))
    stats["units"] = len(records)
    stats["units_coded"] = sum(bool(r[2]) for r in records)
    if stats["units_not_found"]:
        result.notes.append(f"{stats['units_not_found']} unit(s) were edited in the QDA program "
                            f"and could not be found again (e.g. {lost_example}); they get no "
                            f"labels — is --run the folder this project was exported from?")
    if stats["selections_on_skipped_units"]:
        result.notes.append(f"{stats['selections_on_skipped_units']} coded selection(s) cover only "
                            f"interviewer turns or skipped answers, which voiceminer does not code")
    if stats["selections_off_units"]:
        result.notes.append(f"{stats['selections_off_units']} coded selection(s) cover only "
                            f"headers or blank lines; they were ignored")
    return result


def _overlaps(text: str, start: int, end: int, span: UnitSpan) -> bool:
    """True when the selection shares at least one non-blank character with the unit."""
    a, b = max(start, span.start), min(end, span.end)
    return a < b and bool(text[a:b].strip())


def _user_filter(project: Project, coder: str, path: Path) -> set[str]:
    wanted = {g for g, n in project.users.items() if n == coder or g == norm_guid(coder)}
    if not wanted:
        known = ", ".join(sorted(n or g for g, n in project.users.items())) or "(none)"
        raise InputFileError(path, f"no user '{coder}' in the project", hint=f"users are: {known}")
    return wanted


def _layouts(project: Project, units: pd.DataFrame | None, path: Path
             ) -> tuple[dict[str, SourceText], list[str]]:
    """Project source GUID -> the unit spans voiceminer wrote for it; and the documents of the
    run that the project no longer holds."""
    if units is not None:
        built = {s.doc_id: s for s in build_sources(units)}
    else:
        built = _from_unit_map(project, path)
    by_guid = {guids.source_guid(doc): src for doc, src in built.items()}
    out = {}
    for source in project.sources:
        hit = by_guid.get(source.guid) or built.get(source.name)
        if hit is not None:
            out[source.guid] = hit
    found = {s.doc_id for s in out.values()}
    return out, sorted(doc for doc in built if doc not in found)


def _from_unit_map(project: Project, path: Path) -> dict[str, SourceText]:
    """The spans from the unit map voiceminer put in the file, with texts from the file itself."""
    import zipfile

    member = next((n for n in project.members if n == UNIT_MAP.lower()), None)
    if member is None:
        raise InputFileError(path, "this project was saved by another program, which dropped "
                             "voiceminer's unit map", hint="pass the run folder it was exported "
                             "from with --run RUN_DIR")
    with zipfile.ZipFile(path) as zf:
        real = next(n for n in zf.namelist() if n.lower() == member)
        rows = list(csv.DictReader(io.StringIO(zf.read(real).decode("utf-8"))))
    texts = {s.guid: s.text for s in project.sources}
    spans: dict[str, list[UnitSpan]] = {}
    for r in rows:
        spans.setdefault(r["doc_id"], []).append(
            UnitSpan(r["unit_id"], int(r["start"]), int(r["end"]), r["codable"] == "1"))
    return {doc: SourceText(doc, texts.get(guids.source_guid(doc), ""), tuple(s))
            for doc, s in spans.items()}


def _realign(layout: SourceText, source: Source) -> tuple[list[UnitSpan], list[str]]:
    """The spans in ``source.text``, and the units that could not be found in it.

    Unchanged text keeps the spans as written. A program may rewrite line ends (``\r\n``) on
    re-export; each unit's words are then searched for in order.
    """
    if source.text == layout.text or not layout.text:
        return list(layout.spans), []
    out, lost, cursor = [], [], 0
    for span in layout.spans:
        words = layout.text[span.start:span.end]
        for variant in (words, words.replace("\n", "\r\n")):
            at = source.text.find(variant, cursor)
            if at >= 0:
                out.append(UnitSpan(span.unit_id, at, at + len(variant), span.codable))
                cursor = at + len(variant)
                break
        else:
            lost.append(span.unit_id)
    return out, lost


class _Resolver:
    """Code GUID -> (theme, concern, kind) with kind ``theme``, ``concern``, ``new_concern`` or
    ``unknown``."""

    def __init__(self, project: Project, codebook: Codebook) -> None:
        self.codes = project.codes
        ids = [*codebook.ids, OTHER_THEME]
        ids += [m.group(1) for c in self.codes.values() if (m := _THEME_LINE.search(c.description))]
        self.by_guid = {guids.theme_guid(t): t for t in ids}
        self.by_name = {t: t for t in ids}
        self.by_name.update({codebook.label(t): t for t in codebook.ids})
        self.by_name[OTHER_LABEL] = OTHER_THEME
        self.cache: dict[str, tuple[str, str, str]] = {}

    def theme_of(self, guid: str) -> str | None:
        code = self.codes.get(guid)
        if guid in self.by_guid:
            return self.by_guid[guid]
        if code is None:
            return None
        m = _THEME_LINE.search(code.description)
        if m:
            return m.group(1)
        return self.by_name.get(code.name)

    def resolve(self, guid: str) -> tuple[str, str, str]:
        if guid not in self.cache:
            self.cache[guid] = self._resolve(guid, depth=0)
        return self.cache[guid]

    def _resolve(self, guid: str, depth: int) -> tuple[str, str, str]:
        theme = self.theme_of(guid)
        if theme:
            return theme, "", "theme"
        code = self.codes.get(guid)
        if code is None:
            return f"(code {guid})", "", "unknown"
        name = code.name.replace(";", "；") or guid
        if code.parent and depth < 20:
            parent_theme, parent_concern, kind = self._resolve(code.parent, depth + 1)
            if kind != "unknown":
                if parent_concern:  # a code under a concern refines that concern
                    return parent_theme, parent_concern, kind
                m = _CONCERN_MARK.search(code.description) or _CONCERN_NAME.match(code.name)
                if m:
                    return parent_theme, m.group(1), "concern"
                return parent_theme, name, "new_concern"
        return name, "", "unknown"
