"""The round trip: analyze → export-qdpx → a person edits codings in a QDA program (done here by
editing project.qde) → import-qdpx → the labels reflect every edit → train → evaluate."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd
import pytest
from typer.testing import CliRunner

from voiceminer.cli import app
from voiceminer.errors import InputFileError
from voiceminer.qda import export_qdpx, import_qdpx
from voiceminer.qda import guids
from voiceminer.qda.read import read_project

from .conftest import Q, read_qde, rewrite

runner = CliRunner()
INTERVIEW = "云南/访谈/骑手01.txt"


def _machine(run: Path) -> dict[str, set[str]]:
    """Themes voiceminer gave each analysed unit (what the export starts from)."""
    units = pd.read_parquet(run / "units.parquet")
    return {u: set(ts) for u, ts, skip in zip(units["unit_id"], units["themes"],
                                             units["skip_reason"]) if not skip}


def _source(root: ET.Element, name: str) -> ET.Element:
    return next(s for s in root.iter(f"{Q}TextSource") if s.get("name") == name)


def _selection(source: ET.Element, unit_id: str) -> ET.Element:
    return next(s for s in source.findall(f"{Q}PlainTextSelection") if s.get("name") == unit_id)


def _add_selection(source: ET.Element, start: int, end: int, *codes: str) -> None:
    """A selection as a QDA program writes one: own GUID, no name, after the existing ones."""
    sel = ET.Element(f"{Q}PlainTextSelection", {
        "guid": str(uuid.uuid4()), "startPosition": str(start), "endPosition": str(end)})
    for code in codes:
        coding = ET.SubElement(sel, f"{Q}Coding", {"guid": str(uuid.uuid4())})
        ET.SubElement(coding, f"{Q}CodeRef", {"targetGUID": code})
    kids = list(source)
    at = max((i for i, el in enumerate(kids) if el.tag in (f"{Q}Description",
                                                              f"{Q}PlainTextSelection")),
             default=-1) + 1
    source.insert(at, sel)


def _span(project_path: Path, source_name: str, words: str) -> tuple[int, int]:
    text = next(s for s in read_project(project_path).sources if s.name == source_name).text
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture(scope="module")
def edited(qda_run, tmp_path_factory):
    """The exported project after a person's edits, and the labels those edits should give."""
    folder = tmp_path_factory.mktemp("roundtrip")
    study = export_qdpx(qda_run, folder / "study.qdpx").path
    expected = _machine(qda_run)
    answers = [u for u in sorted(expected) if u.startswith(INTERVIEW)]
    assert len(answers) == 4
    first, last = answers[0], answers[-1]
    assert expected[first], "the machine should code the first interview answer"
    root = read_qde(study)
    interview = _source(root, INTERVIEW)

    # 1. moved: the coding of the first answer is dragged onto the last answer
    moved = _selection(interview, first)
    a, b = _span(study, INTERVIEW, "听说过骑手工会")
    moved.set("startPosition", str(a))
    moved.set("endPosition", str(b))
    expected[last] |= expected[first]
    expected[first] = set()

    # 2. removed: one theme taken off a survey answer the machine coded
    survey_unit = next(u for u in sorted(expected) if u.startswith("问卷/") and expected[u])
    theme = sorted(expected[survey_unit])[0]
    source = _source(root, survey_unit.split("#")[0])
    sel = _selection(source, survey_unit)
    coding = next(c for c in sel.findall(f"{Q}Coding")
                  if c.get("guid") == guids.coding_guid(survey_unit, theme))
    sel.remove(coding)
    if not sel.findall(f"{Q}Coding"):
        source.remove(sel)
    expected[survey_unit].discard(theme)

    # 3. added: part of a post coded 'attitudes', with a code the person created at top level,
    #    and a new child code under 'pay' used on a survey answer
    codes = root.find(f"{Q}CodeBook/{Q}Codes")
    new_top = str(uuid.uuid4())
    ET.SubElement(codes, f"{Q}Code", {"guid": new_top, "name": "算法焦虑", "isCodable": "true"})
    pay = next(c for c in codes.findall(f"{Q}Code") if c.get("guid") == guids.theme_guid("pay"))
    new_child = str(uuid.uuid4())
    ET.SubElement(pay, f"{Q}Code", {"guid": new_child, "name": "拖欠运费", "isCodable": "true"})
    post = "论坛/posts.jsonl:p3"
    a, b = _span(study, post, "没人尊重")
    _add_selection(_source(root, post), a, b, guids.theme_guid("attitudes"), new_top)
    expected[f"{post}#1"] |= {"attitudes", "算法焦虑"}
    rest = "问卷/export.csv:6"  # 希望有个地方能休息吃饭
    a, b = _span(study, rest, "休息吃饭")
    _add_selection(_source(root, rest), a, b, new_child)
    expected[f"{rest}#1"] |= {"pay"}

    # 4. a coding on the interviewer's question is reported, not turned into a label
    a, b = _span(study, INTERVIEW, "社保交了吗")
    _add_selection(interview, a, b, guids.theme_guid("social_insurance"))

    out = rewrite(study, folder / "edited.qdpx", root)
    return out, expected


def test_import_reflects_added_removed_and_moved_codings(edited):
    path, expected = edited
    result = import_qdpx(path)
    got = {u: set(ts) for u, ts in zip(result.labels["unit_id"], result.labels["themes"])}
    assert got == expected
    assert result.unknown_codes == {"算法焦虑": 1}
    assert result.new_concerns == {"pay/拖欠运费": 1}
    assert result.stats["selections_on_skipped_units"] == 1
    assert any("interviewer" in n for n in result.notes)
    row = result.labels.set_index("unit_id").loc["问卷/export.csv:6#1"]
    assert row["text"] == "希望有个地方能休息吃饭"
    assert "拖欠运费" in row["concerns"]


def test_cli_import_writes_the_labels_contract_and_names_unknown_codes(edited, tmp_path):
    path, expected = edited
    out = tmp_path / "labels.csv"
    result = runner.invoke(app, ["import-qdpx", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "算法焦虑" in result.output
    labels = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(labels.columns[:3]) == ["unit_id", "text", "themes"]
    got = {u: set(filter(None, t.split(";"))) for u, t in zip(labels["unit_id"], labels["themes"])}
    assert got == expected
    # themes in codebook order, unknown ones after
    row = labels.set_index("unit_id").loc["论坛/posts.jsonl:p3#1", "themes"].split(";")
    assert row[-1] == "算法焦虑"


def _as_other_program(path: Path, out: Path) -> Path:
    """What another QDA program's re-export may look like: fresh braced lower-case GUIDs for
    sources and codes, Windows line ends (positions recounted), and voiceminer's unit map gone."""
    root = read_qde(path)
    new = {}
    for el in [*root.iter(f"{Q}Code"), *root.iter(f"{Q}TextSource")]:
        new[el.get("guid")] = "{" + str(uuid.uuid4()) + "}"
        el.set("guid", new[el.get("guid")])
    for ref in [*root.iter(f"{Q}CodeRef"), *root.iter(f"{Q}SourceRef")]:
        ref.set("targetGUID", new.get(ref.get("targetGUID"), ref.get("targetGUID")))
    replace = {}
    with zipfile.ZipFile(path) as zf:
        for src in root.iter(f"{Q}TextSource"):
            old = src.get("plainTextPath").removeprefix("internal://")
            text = zf.read(f"sources/{old}").decode("utf-8")
            for sel in src.findall(f"{Q}PlainTextSelection"):
                for attr in ("startPosition", "endPosition"):
                    pos = int(sel.get(attr))
                    sel.set(attr, str(pos + text[:pos].count("\n")))
            name = src.get("guid").strip("{}") + ".txt"
            src.set("plainTextPath", f"internal://{name}")
            replace[f"sources/{name}"] = text.replace("\n", "\r\n").encode("utf-8")
        drop = tuple(n for n in zf.namelist() if n.startswith(("sources/", "voiceminer/")))
    return rewrite(path, out, root, drop=drop, replace=replace)


def test_a_project_re_saved_by_another_program_imports_with_the_run_folder(edited, qda_run,
                                                                          tmp_path):
    path, expected = edited
    other = _as_other_program(path, tmp_path / "other.qdpx")
    with pytest.raises(InputFileError, match="--run"):
        import_qdpx(other)
    result = import_qdpx(other, run_dir=qda_run)
    got = {u: set(ts) for u, ts in zip(result.labels["unit_id"], result.labels["themes"])}
    assert got == expected
    assert result.labels.set_index("unit_id").at["问卷/export.csv:6#1", "text"] == \
        "希望有个地方能休息吃饭"


def test_coder_filter_keeps_one_users_codings(edited):
    path, _ = edited
    mine = import_qdpx(path, coder="voiceminer")  # the person's codings carry no user
    assert "算法焦虑" not in {t for ts in mine.labels["themes"] for t in ts}
    with pytest.raises(InputFileError, match="users are: voiceminer"):
        import_qdpx(path, coder="李老师")


def test_imported_labels_train_and_evaluate(edited, tmp_path):
    """The labels feed 'voiceminer train' and 'voiceminer evaluate' (issue 7's 'done when')."""
    pytest.importorskip("voiceminer.learn")
    path, _ = edited
    labels = tmp_path / "labels.csv"
    assert runner.invoke(app, ["import-qdpx", str(path), "--out", str(labels)]).exit_code == 0
    model = tmp_path / "model"
    trained = runner.invoke(app, ["train", str(labels), "--out", str(model)])
    assert trained.exit_code == 0, trained.output
    assert model.is_dir() and any(model.iterdir())
    scored = runner.invoke(app, ["evaluate", str(labels), "--label-col", "themes",
                                 "--model", str(model), "--json", str(tmp_path / "s.json")])
    assert scored.exit_code == 0, scored.output
    assert (tmp_path / "s.json").is_file()


def test_a_source_deleted_in_the_qda_program_is_reported(edited, qda_run, tmp_path):
    path, expected = edited
    root = read_qde(path)
    sources = root.find(f"{Q}Sources")
    sources.remove(_source(root, "论坛/posts.jsonl:p1"))
    result = import_qdpx(rewrite(path, tmp_path / "fewer.qdpx", root), run_dir=qda_run)
    assert "论坛/posts.jsonl:p1#1" not in set(result.labels["unit_id"])
    assert result.stats["sources_missing"] == 1
    assert any("posts.jsonl:p1" in n for n in result.notes)


def test_units_whose_words_were_edited_are_reported_not_guessed(edited, qda_run, tmp_path):
    path, _ = edited
    other = _as_other_program(path, tmp_path / "other.qdpx")
    root = read_qde(other)
    src = _source(root, "问卷/export.csv:4")  # 运费太低，油价又涨
    name = "sources/" + src.get("plainTextPath").removeprefix("internal://")
    with zipfile.ZipFile(other) as zf:
        text = zf.read(name).decode("utf-8")
    changed = rewrite(other, tmp_path / "changed.qdpx",
                      replace={name: text.replace("运费太低", "运价太低").encode("utf-8")})
    result = import_qdpx(changed, run_dir=qda_run)
    assert "问卷/export.csv:4#1" not in set(result.labels["unit_id"])
    assert result.stats["units_not_found"] == 1
    assert any("问卷/export.csv:4#1" in n and "--run" in n for n in result.notes)
