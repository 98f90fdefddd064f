"""The bad-input corpus through ``voiceminer analyze``: the run finishes, nothing is lost.

Every kind in ``make_corpus`` must be either analysed or in the ledger with its reason, the skip
sentence must name the file and say what to do, ``--strict`` must fail, the ledger must count
every record, and nothing from the input may run as a formula or a script in the outputs.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from voiceminer.cli import app
from voiceminer.output import safe_filename
from voiceminer.run import INPUT_PROBLEMS

from .make_corpus import ANALYSED, build, unlock

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The corpus, analysed once with --strict; (kinds, out folder, CLI result, units.csv rows)."""
    root = tmp_path_factory.mktemp("bad")
    out = tmp_path_factory.mktemp("out") / "reports"
    kinds = build(root)
    real_scandir = os.scandir

    def scandir(path):  # root ignores chmod 000; make the locked folder unlistable for everyone
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    mp = pytest.MonkeyPatch()
    mp.setattr(os, "scandir", scandir)
    try:
        result = CliRunner().invoke(app, ["analyze", str(root), "--out", str(out), "--strict",
                                          "--format", "md", "--format", "csv", "--format", "json",
                                          "--format", "xlsx"])
    finally:
        mp.undo()
        unlock(root)
    with (out / "ledger.csv").open(encoding="utf-8-sig", newline="") as fh:
        ledger = list(csv.DictReader(fh))
    return kinds, root, out, result, ledger


def test_there_are_at_least_30_kinds(run):
    kinds = run[0]
    assert len(kinds) >= 30
    assert len({k.name for k in kinds}) == len(kinds)


def test_the_run_finishes_and_strict_fails(run):
    _, _, out, result, _ = run
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    assert (out / "manifest.json").is_file() and (out / "全国.md").is_file()


def _rows_for(ledger, kind):
    if kind.path.endswith("/"):
        return [r for r in ledger if r["doc_id"] == kind.path]
    return [r for r in ledger if r["doc_id"].split(":")[0] == kind.path]


def test_every_kind_is_analysed_or_ledgered_with_its_reason(run):
    kinds, _, _, _, ledger = run
    wrong = []
    for kind in kinds:
        rows = _rows_for(ledger, kind)
        if kind.expect == ANALYSED:
            ok = any(r["status"] == "analysed" for r in rows)
        else:
            ok = bool(rows) and all(r["skip_reason"] == kind.expect for r in rows) and all(
                kind.note.lower() in r["skip_detail"].lower() for r in rows)
        if not ok:
            wrong.append((kind.name, kind.expect, [(r["status"], r["skip_reason"],
                                                    r["skip_detail"]) for r in rows]))
    assert wrong == []


def test_skip_sentences_name_the_file_and_what_to_do(run):
    _, _, _, _, ledger = run
    problems = [r for r in ledger if r["skip_reason"] in INPUT_PROBLEMS]
    assert len(problems) >= 15
    for r in problems:
        file = r["doc_id"].split(":")[0]
        assert r["skip_detail"].startswith(file), r
        assert " — " in r["skip_detail"], r  # the part after the dash says what to do


def test_ledger_total_equals_records_and_every_file_is_there(run):
    kinds, root, out, _, ledger = run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(ledger) == manifest["summary"]["records"]
    assert sum(f["records"] for f in manifest["inputs"]) == len(ledger)
    files = set()
    for folder, dirs, names in os.walk(root):  # os.walk does not follow the symlink loop
        rel = Path(folder).relative_to(root).as_posix()
        if rel == "locked":
            dirs[:] = []
            continue
        files |= {f"{rel}/{n}".removeprefix("./") for n in names}
    ledgered = {r["doc_id"].split(":")[0] for r in ledger}
    assert files - ledgered == set()
    assert "locked/" in ledgered


def test_no_output_cell_can_start_a_formula(run):
    out = run[2]
    for path in sorted(out.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), (path, cell)


def test_xlsx_reports_hold_no_formulas_and_numbers_stay_numbers(run):
    from openpyxl import load_workbook

    out = run[2]
    numbers = 0
    for path in sorted(out.rglob("*.xlsx")):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(FORMULA_STARTS), (path, cell.value)
                    numbers += isinstance(cell.value, (int, float))
    assert numbers > 0


def test_html_and_scripts_from_posts_never_reach_a_report(run):
    out = run[2]
    for path in sorted(out.rglob("*")):
        if path.suffix in (".md", ".csv", ".json"):
            text = path.read_text(encoding="utf-8-sig")
            assert "<script" not in text.lower() and "alert(" not in text, path


def test_fullwidth_phone_numbers_are_masked(run):
    out = run[2]
    units = (out / "units.csv").read_text(encoding="utf-8-sig")
    assert "１３８１２３４５６７８" not in units and "13812345678" not in units
    assert "[电话]" in units


def test_output_file_names_are_safe():
    assert safe_filename("../../etc/passwd") == "etc_passwd"
    assert safe_filename('云南:昆明*?"<>|') == "云南_昆明"
    assert safe_filename("   ") == "未命名"
    assert safe_filename("=cmd|' /c calc'!A1") == "=cmd_' _c calc'!A1"
    assert len(safe_filename("广" * 300)) == 80


def test_existing_output_is_not_overwritten_without_force(run, tmp_path):
    root = run[1]
    out = tmp_path / "reports"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = CliRunner().invoke(app, ["analyze", str(root / "text"), "--out", str(out)])
    assert result.exit_code == 2 and "--force" in result.output
    assert (out / "keep.txt").read_text() == "mine"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.skipif(os.environ.get("VOICEMINER_SKIP_BIG") == "1", reason="big inputs skipped")
def test_big_inputs_are_read_or_ledgered(tmp_path):
    """The 10 MB single line and the 100,000-row questionnaire, through the readers only."""
    from voiceminer import read_corpus

    kinds = {k.name: k for k in build(tmp_path, big=True)}
    unlock(tmp_path)
    units = read_corpus(tmp_path / "big")
    line = units.loc[units["doc_id"] == "一行十兆.txt"]
    assert line["skip_reason"].tolist() == ["too_long"]
    assert "line breaks" in line["skip_detail"].iat[0]
    assert len(line["text"].iat[0]) <= 20_000
    sheet = units.loc[units["doc_id"].str.startswith("十万行问卷.xlsx")]
    assert len(sheet) == 100_000
    # every sixth respondent (rows 5, 11, …, 99995: 16,666 of them) left the answer blank
    assert sheet["skip_reason"].eq("empty").sum() == 16_666
    assert sheet["skip_reason"].eq("").sum() == 83_334
    assert kinds["hundred_k_rows"].expect == ANALYSED


def _units(out: Path) -> list[dict[str, str]]:
    with (out / "units.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_encoding_decodes_to_the_real_words(run):
    units = _units(run[2])
    for file in ("enc/gbk访谈.txt", "enc/gb18030访谈.txt", "enc/bom访谈.txt", "enc/utf16访谈.txt",
                 "enc/big5訪談.txt", "enc/混合编码问卷.csv"):
        texts = " ".join(u["clean"] for u in units if u["doc_id"].split(":")[0] == file)
        assert ("罚款" in texts or "抽成" in texts) and "\ufffd" not in texts, file
    gb18030 = " ".join(u["text"] for u in units if u["doc_id"] == "enc/gb18030访谈.txt")
    assert "𠀾" in gb18030  # an extension-B character survives GB18030 decoding


def test_a_resubmitted_questionnaire_row_is_ledgered_as_duplicate(run):
    rows = [r for r in run[4] if r["doc_id"].startswith("survey/重复提交.csv")]
    assert [(r["origin"], r["status"], r["skip_reason"]) for r in rows] == [
        ("survey/重复提交.csv:2", "analysed", ""), ("survey/重复提交.csv:3", "skipped", "duplicate")]
