"""export-qdpx: the project validates against the published REFI-QDA schema, re-reads, and points
every selection at the words of its unit."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from voiceminer.cli import app
from voiceminer.qda import export_qdpx
from voiceminer.qda import guids
from voiceminer.qda.read import read_project

from .conftest import Q, analyse, read_qde, write_corpus

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "refi-qda" / "Project.xsd"


@pytest.fixture(scope="module")
def study(qda_run, tmp_path_factory) -> Path:
    return export_qdpx(qda_run, tmp_path_factory.mktemp("export") / "study.qdpx").path


def test_project_validates_against_the_refi_qda_schema(study):
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    with zipfile.ZipFile(study) as zf:
        doc = etree.fromstring(zf.read("project.qde"))
    assert schema.validate(doc), schema.error_log
    assert doc.tag == "{urn:QDA-XML:project:1.0}Project"


def test_rules_the_schema_only_states_in_comments_hold(study):
    """Either PlainTextContent or plainTextPath (not both); every path is in the zip; every
    CodeRef and VariableRef names a defined GUID; GUIDs are unique."""
    root = read_qde(study)
    with zipfile.ZipFile(study) as zf:
        members = set(zf.namelist())
    defined = [el.get("guid") for el in root.iter() if el.get("guid")]
    assert len(defined) == len(set(defined))
    codes = {el.get("guid") for el in root.iter(f"{Q}Code")}
    variables = {el.get("guid") for el in root.iter(f"{Q}Variable")}
    for src in root.iter(f"{Q}TextSource"):
        has_inline = src.find(f"{Q}PlainTextContent") is not None
        path = src.get("plainTextPath")
        assert has_inline != bool(path)
        assert path.startswith("internal://")
        assert "sources/" + path.removeprefix("internal://") in members
    assert all(ref.get("targetGUID") in codes for ref in root.iter(f"{Q}CodeRef"))
    assert all(ref.get("targetGUID") in variables for ref in root.iter(f"{Q}VariableRef"))
    sources = {el.get("guid") for el in root.iter(f"{Q}TextSource")}
    assert all(ref.get("targetGUID") in sources for ref in root.iter(f"{Q}SourceRef"))


def test_every_selection_covers_exactly_its_units_words(study, qda_run):
    units = pd.read_parquet(qda_run / "units.parquet").set_index("unit_id")
    project = read_project(study)
    coded = {u for u, ts in zip(units.index, units["themes"]) if len(ts)}
    seen = set()
    root = read_qde(study)
    names = {el.get("guid"): el.get("name") for el in root.iter(f"{Q}PlainTextSelection")}
    for source in project.sources:
        for sel in source.selections:
            unit_id = names[sel.guid]
            assert source.text[sel.start:sel.end] == units.at[unit_id, "text"]
            seen.add(unit_id)
    assert seen == coded


def test_interview_source_keeps_turns_in_order_with_speaker_marks(study):
    project = read_project(study)
    interview = next(s for s in project.sources if s.name == "云南/访谈/骑手01.txt")
    assert interview.text.startswith("问：最近收入怎么样？\n\n答：平台抽成越来越高，一单才三四块钱。")
    assert interview.text.count("答：") == 4


def test_codebook_becomes_codes_with_concerns_as_children(study, qda_run):
    root = read_qde(study)
    top = root.find(f"{Q}CodeBook/{Q}Codes").findall(f"{Q}Code")
    by_guid = {c.get("guid"): c for c in top}
    pay = by_guid[guids.theme_guid("pay")]
    assert pay.get("name") == "工资收入"
    assert pay.findtext(f"{Q}Description").startswith("voiceminer theme: pay")
    concerns = pd.read_csv(qda_run / "concerns.csv", encoding="utf-8-sig", dtype=str)
    children = {c.get("name").split(" ")[0] for t in top for c in t.findall(f"{Q}Code")}
    assert children == set(concerns["concern_id"])


def test_province_group_and_material_are_case_and_source_variables(study):
    root = read_qde(study)
    names = {v.get("guid"): v.get("name") for v in root.iter(f"{Q}Variable")}
    assert sorted(names.values()) == sorted(["省份", "群体", "资料类型"])

    def values(el):
        return {names[vv.find(f"{Q}VariableRef").get("targetGUID")]: vv.findtext(f"{Q}TextValue")
                for vv in el.findall(f"{Q}VariableValue")}

    cases = {c.get("name"): values(c) for c in root.iter(f"{Q}Case")}
    assert cases["云南/访谈/骑手01.txt"] == {"省份": "云南", "群体": "外卖骑手", "资料类型": "访谈"}
    assert cases["问卷/export.csv:4"] == {"省份": "云南", "群体": "货车司机", "资料类型": "问卷"}
    post = next(s for s in root.iter(f"{Q}TextSource") if s.get("name") == "论坛/posts.jsonl:p1")
    assert values(post) == {"省份": "广东", "群体": "网约车司机", "资料类型": "论坛"}


def test_same_run_gives_same_bytes_and_theme_guids_are_stable_across_runs(qda_run, study,
                                                                           tmp_path):
    again = export_qdpx(qda_run, tmp_path / "again.qdpx").path
    assert again.read_bytes() == study.read_bytes()
    # a different corpus coded with the same codebook: the theme codes keep their GUIDs
    corpus = write_corpus(tmp_path / "c2")
    (corpus / "论坛" / "posts.jsonl").unlink()
    other = export_qdpx(analyse(corpus, tmp_path / "run2"), tmp_path / "other.qdpx").path

    def themes(path):
        top = read_qde(path).find(f"{Q}CodeBook/{Q}Codes").findall(f"{Q}Code")
        return {c.get("name"): c.get("guid") for c in top}

    assert themes(other) == themes(study)
    assert themes(study)["工资收入"] == "6EF2E91B-B0CD-5327-8297-0D9AB07EC72D"


def test_cli_export_reports_counts_and_refuses_a_non_run_folder(qda_run, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["export-qdpx", str(qda_run), "--out", str(tmp_path / "s.qdpx")])
    assert result.exit_code == 0, result.output
    assert "sources" in result.output and (tmp_path / "s.qdpx").is_file()
    bad = runner.invoke(app, ["export-qdpx", str(tmp_path), "--out", str(tmp_path / "t.qdpx")])
    assert bad.exit_code == 2
    assert "units.parquet" in bad.output


def test_analyze_writes_the_code_matrix_and_quotes_by_code(qda_run):
    units = pd.read_parquet(qda_run / "units.parquet")
    analysed = units.loc[units["skip_reason"].eq("")]
    matrix = pd.read_csv(qda_run / "code_matrix.csv", encoding="utf-8-sig")
    assert list(matrix["unit_id"]) == list(analysed["unit_id"])
    assert matrix["pay"].tolist() == [int("pay" in ts) for ts in analysed["themes"]]
    quotes = pd.read_csv(qda_run / "quotes_by_code.csv", encoding="utf-8-sig", dtype=str)
    assert len(quotes) == sum(len(ts) for ts in analysed["themes"])
    for name in ("code_matrix.xlsx", "quotes_by_code.xlsx"):
        assert (qda_run / name).is_file()
