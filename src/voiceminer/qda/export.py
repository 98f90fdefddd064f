"""Writing a run as a REFI-QDA project (``.qdpx``) that NVivo, ATLAS.ti, MAXQDA or QualCoder open.

The project holds every document as a text source, the codebook as codes (themes, with the run's
concerns as child codes), every coded unit as a plain-text selection with one coding per theme,
and province, worker group and material type both as case variables (NVivo, QualCoder) and as
source variables (MAXQDA's document variables). A researcher checks and corrects the machine's
coding there, exports the project again, and ``import-qdpx`` reads the corrections back.

Each coding points at the most specific code: the unit's concern inside the theme when it has
one, else the theme. A person who disagrees removes one coding, not two.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from xml.etree import ElementTree as ET

import pandas as pd

from .. import __version__
from ..codebook import OTHER_LABEL, OTHER_THEME, Codebook
from ..errors import VoiceminerError
from ..report.writers._atomic import ZIP_EPOCH, atomic_path
from ..schema import UNKNOWN
from . import guids
from .layout import SourceText, build_sources
from .rundir import RunTables, load_run

NS: Final = "urn:QDA-XML:project:1.0"
USER: Final = "voiceminer"
UNIT_MAP: Final = "voiceminer/units.csv"  # our own sidecar; QDA programs ignore it
THEME_MARK: Final = "voiceminer theme: "
SOURCE_NAMES: Final = {"interview": "访谈", "survey": "问卷", "forum": "论坛"}
# (variable name, units-table column, description)
VARIABLES: Final = (
    ("省份", "province", "province (voiceminer column 'province')"),
    ("群体", "group", "worker group (voiceminer column 'group')"),
    ("资料类型", "source", "material: 访谈 interview / 问卷 questionnaire / 论坛 forum post"),
)
_PALETTE: Final = ("#E6194B", "#3CB44B", "#4363D8", "#F58231", "#911EB4", "#42D4F4", "#F032E6",
                   "#BFEF45", "#469990", "#9A6324", "#800000", "#808000", "#000075", "#A9A9A9")

ET.register_namespace("", NS)


@dataclass(frozen=True)
class ExportSummary:
    """What went into the project, for the command's closing line and for tests."""

    path: Path
    sources: int
    codes: int
    selections: int
    codings: int
    cases: int
    warning: str = ""


def export_qdpx(run_dir: str | Path, out: str | Path, *, codebook: str | Path | None = None,
                name: str | None = None) -> ExportSummary:
    """Write the run in ``run_dir`` as the REFI-QDA project ``out`` (a ``.qdpx`` zip).

    The same run always gives the same bytes (GUIDs from stable names, fixed zip timestamps).

    Raises
    ------
    InputFileError
        ``run_dir`` is not a run folder.
    """
    run = load_run(run_dir, codebook)
    out = Path(out)
    if out.suffix.lower() != ".qdpx":
        raise VoiceminerError(f"{out}: a REFI-QDA project file must end in .qdpx; "
                              f"choose e.g. --out study.qdpx")
    sources = build_sources(run.units)
    project, counts = build_project(run, sources, name=name or run.folder.resolve().name)
    ET.indent(project, space=" ")  # people open project.qde to check what a program changed
    xml = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        _write(zf, "project.qde", xml)
        for src in sources:
            _write(zf, f"sources/{guids.source_guid(src.doc_id)}.txt", src.text.encode("utf-8"))
        _write(zf, UNIT_MAP, unit_map_csv(sources).encode("utf-8"))
    return ExportSummary(out, len(sources), counts["codes"], counts["selections"],
                         counts["codings"], counts["cases"], run.warning)


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def unit_map_csv(sources: list[SourceText]) -> str:
    """``unit_id,doc_id,source_guid,start,end,codable`` for every unit written, so ``import-qdpx``
    can map codings back without the run folder when the file comes straight back."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit_id", "doc_id", "source_guid", "start", "end", "codable"])
    for src in sources:
        for span in src.spans:
            w.writerow([span.unit_id, src.doc_id, guids.source_guid(src.doc_id), span.start,
                        span.end, int(span.codable)])
    return buf.getvalue()


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold (a stray control character in a
    file name or concern label would otherwise make the whole project unreadable)."""
    return _NOT_XML.sub("", value)


def _el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS}}}{tag}",
                         {k: xml_safe(v) for k, v in attrs.items() if v != ""})


def _text(el: ET.Element, value: str) -> None:
    el.text = xml_safe(value)


def theme_ids(run: RunTables) -> list[str]:
    """Every codebook theme (so a person can code with unused ones too), plus ``other`` when the
    run found uncoded concerns."""
    ids = list(run.codebook.ids)
    used = {t for ts in run.units["themes"] for t in ts} | set(run.concerns.get("theme", []))
    ids += sorted(t for t in used if t not in ids)
    return ids


def _label(cb: Codebook, theme: str) -> str:
    if theme == OTHER_THEME:
        return OTHER_LABEL
    return cb.theme(theme).label if theme in cb.ids else theme


def build_project(run: RunTables, sources: list[SourceText], *, name: str
                  ) -> tuple[ET.Element, Counter]:
    """The ``project.qde`` element tree and counts of what it holds."""
    counts: Counter = Counter()
    user = guids.user_guid(USER)
    project = ET.Element(f"{{{NS}}}Project", {
        "name": name, "origin": f"voiceminer {__version__}", "creatingUserGUID": user})
    _el(_el(project, "Users"), "User", guid=user, name=USER)

    codes_el = _el(_el(project, "CodeBook"), "Codes")
    concern_code: dict[str, str] = {}
    concern_theme = {str(c): str(t)
                     for c, t in zip(run.concerns["concern_id"], run.concerns["theme"])}
    for n, theme in enumerate(theme_ids(run)):
        code = _el(codes_el, "Code", guid=guids.theme_guid(theme), name=_label(run.codebook, theme),
                   isCodable="true", color=_PALETTE[n % len(_PALETTE)])
        desc = run.codebook.theme(theme).description if theme in run.codebook.ids else ""
        _text(_el(code, "Description"), f"{THEME_MARK}{theme}" + (f"\n{desc}" if desc else ""))
        counts["codes"] += 1
        mine = run.concerns.loc[run.concerns["theme"] == theme].sort_values("concern_id")
        for row in mine.itertuples(index=False):
            cg = guids.concern_guid(row.concern_id, row.label)
            concern_code[row.concern_id] = cg
            child = _el(code, "Code", guid=cg, name=f"{row.concern_id} {row.label}",
                        isCodable="true", color=_PALETTE[n % len(_PALETTE)])
            terms = str(getattr(row, "top_terms", "") or "")
            _text(_el(child, "Description"), f"voiceminer concern: {row.concern_id}" + (
                f"\n{terms}" if terms else ""))
            counts["codes"] += 1

    cols = ["unit_id", "doc_id", "respondent_id", "origin", "themes", "concerns",
            *(col for _v, col, _d in VARIABLES)]
    rows = {str(r["unit_id"]): r for r in run.units.loc[:, cols].to_dict("records")}
    var_el = _el(project, "Variables")
    for vname, _col, desc in VARIABLES:
        var = _el(var_el, "Variable", guid=guids.variable_guid(vname), name=vname,
                  typeOfVariable="Text")
        _text(_el(var, "Description"), desc)

    doc_rows = {src.doc_id: [rows[s.unit_id] for s in src.spans] for src in sources}
    cases_el = _el(project, "Cases")
    for respondent, docs in _cases(run.units, sources):
        case = _el(cases_el, "Case", guid=guids.case_guid(respondent), name=respondent)
        _variable_values(case, _values([r for d in docs for r in doc_rows[d]]))
        for doc in docs:
            _el(case, "SourceRef", targetGUID=guids.source_guid(doc))
        counts["cases"] += 1

    sources_el = _el(project, "Sources")
    for src in sources:
        sg = guids.source_guid(src.doc_id)
        el = _el(sources_el, "TextSource", guid=sg, name=src.doc_id,
                 plainTextPath=f"internal://{sg}.txt", creatingUser=user)
        origins = sorted({str(r["origin"]) for r in doc_rows[src.doc_id]})
        _text(_el(el, "Description"), "voiceminer doc_id: " + src.doc_id + (
            "\n" + "; ".join(origins[:5]) if origins else ""))
        for span in src.spans:
            row = rows[span.unit_id]
            if not span.codable or not len(row["themes"]):
                continue
            sel = _el(el, "PlainTextSelection", guid=guids.selection_guid(span.unit_id),
                      name=span.unit_id, startPosition=str(span.start),
                      endPosition=str(span.end), creatingUser=user)
            counts["selections"] += 1
            for theme in row["themes"]:
                target = next((concern_code[c] for c in row["concerns"]
                               if c in concern_code and concern_theme.get(c) == theme),
                              guids.theme_guid(theme))
                coding = _el(sel, "Coding", guid=guids.coding_guid(span.unit_id, theme),
                             creatingUser=user)
                _el(coding, "CodeRef", targetGUID=target)
                counts["codings"] += 1
        _variable_values(el, _values(doc_rows[src.doc_id]))
    return project, counts


def _cases(units: pd.DataFrame, sources: list[SourceText]) -> list[tuple[str, list[str]]]:
    """Respondents (people, the unit prevalence counts) with the documents they speak in."""
    docs = {s.doc_id for s in sources}
    by_person: dict[str, set[str]] = {}
    for person, doc in zip(units["respondent_id"].astype(str), units["doc_id"].astype(str)):
        if doc in docs:
            by_person.setdefault(person, set()).add(doc)
    return [(p, sorted(d)) for p, d in sorted(by_person.items())]


def _values(rows: list[dict]) -> dict[str, str]:
    """The most frequent value of each variable's column (ties: alphabetical), ``未知`` if none."""
    out = {}
    for vname, col, _desc in VARIABLES:
        vals = [str(r[col]) for r in rows if r[col] and str(r[col]) != UNKNOWN]
        ranked = sorted(Counter(vals).items(), key=lambda kv: (-kv[1], kv[0]))
        value = ranked[0][0] if ranked else UNKNOWN
        out[vname] = SOURCE_NAMES.get(value, value) if col == "source" else value
    return out


def _variable_values(parent: ET.Element, values: dict[str, str]) -> None:
    for vname, _col, _desc in VARIABLES:
        vv = _el(parent, "VariableValue")
        _el(vv, "VariableRef", targetGUID=guids.variable_guid(vname))
        _text(_el(vv, "TextValue"), values[vname])
