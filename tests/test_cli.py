"""The command line, driven through typer's CliRunner on a small corpus written per test."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from voiceminer.cli import app

from .conftest import survey_csv, write_small_corpus

runner = CliRunner()

INTERVIEW = """访谈对象：王某（化名）
省份：云南省
群体：外卖骑手
访谈员：李老师

问：最近收入怎么样？
答：平台抽成越来越高，一单才三四块钱。
问：社保交了吗？
答：没有，五险一金都没有，摔了一跤只能自己扛。
"""

SURVEY = survey_csv([
    ("上海", "上海", "外卖骑手", "进小区太难了，保安不让进"),
    ("上海", "上海", "外卖骑手", "希望能让骑手进小区送餐"),
    ("上海", "上海", "快递员", "小区不让快递员进，只能放驿站"),
    ("云南", "昆明", "货车司机", "运费太低，油价又涨"),
    ("云南", "昆明", "货车司机", "无"),
])

POSTS = [
    {"id": "p1", "title": "封号", "content": "跑了三年被平台封号了，申诉也没人理", "author": "a",
     "time": "2026-05-01", "location": "广东", "board": "网约车司机论坛"},
    {"id": "p2", "title": "抽成", "content": "滴滴抽成太高了，一单抽走三成", "author": "b",
     "time": "2026-05-02", "location": "广东省", "board": "网约车司机论坛"},
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_small_corpus(tmp_path / "corpus", INTERVIEW, SURVEY, POSTS)


def _commands():
    return sorted(c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands)


def test_every_command_has_help():
    assert {"analyze", "init", "check-codebook"} <= set(_commands())
    for name in [None, *_commands()]:
        result = runner.invoke(app, [name, "--help"] if name else ["--help"])
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


def test_analyze_writes_every_file_and_accounts_for_every_record(corpus, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "records read" in result.output
    provinces = {"云南", "上海", "广东"}
    for name in [*(f"provinces/{p}" for p in provinces), "全国"]:
        for ext in ("md", "docx", "xlsx", "csv", "json"):
            assert (out / f"{name}.{ext}").is_file(), f"{name}.{ext} missing"
    for table in ("units.csv", "units.parquet", "ledger.csv", "concerns.csv", "prevalence.csv",
                  "keyness.csv", "manifest.json"):
        assert (out / table).is_file()
    ledger = pd.read_csv(out / "ledger.csv", dtype=str, keep_default_na=False)
    # 4 interview turns + 5 survey answers + 2 posts
    assert len(ledger) == 11
    assert ledger["skip_reason"].value_counts().to_dict() == {"": 8, "interviewer": 2, "non_answer": 1}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sum(f["records"] for f in manifest["inputs"]) == 11
    assert all(len(f["sha256"]) == 64 for f in manifest["inputs"])
    assert manifest["concern_catalogue"]["source"] == "concerns.toml"
    md = (out / "provinces" / "云南.md").read_text(encoding="utf-8")
    assert "云南/访谈/骑手01.txt:7" in md  # the quote's origin is the answer's line


def test_existing_output_needs_force(corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    result = runner.invoke(app, ["analyze", str(corpus), "--out", str(out)])
    assert result.exit_code == 2 and "--force" in result.output
    assert runner.invoke(app, ["analyze", str(corpus), "--out", str(out), "--force"]).exit_code == 0


def test_strict_fails_on_unreadable_file(corpus, tmp_path):
    (corpus / "云南" / "访谈" / "broken.docx").write_bytes(b"not a zip at all")
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(corpus), "--out", str(out), "--strict"])
    assert result.exit_code == 1
    ledger = pd.read_csv(out / "ledger.csv", dtype=str, keep_default_na=False)
    row = ledger.loc[ledger["skip_reason"] == "unreadable_file"].iloc[0]
    assert "broken.docx" in row["skip_detail"]


def test_missing_input_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["analyze", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no such file or folder" in result.output


def test_init_copies_an_editable_codebook_that_validates(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "cb")])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "cb").iterdir()} == {
        "codebook.toml", "concerns.toml", "userdict.txt", "stopwords.txt"}
    check = runner.invoke(app, ["check-codebook", str(tmp_path / "cb" / "codebook.toml")])
    assert check.exit_code == 0 and "OK: 13 themes" in check.output
    again = runner.invoke(app, ["init", str(tmp_path / "cb")])
    assert again.exit_code == 2 and "--force" in again.output


GATE = ["进小区太难了，保安不让进", "希望能让骑手进小区送餐", "小区不让快递员进，只能放驿站",
        "保安拦着不让进小区，只能走路送上楼", "门禁刷不开，进小区要登记半天", "写字楼不让外卖员进",
        "进小区难，每单都要耽误五分钟", "保安态度很差，不让电动车进小区"]


def test_analyze_uses_an_edited_concern_catalogue(tmp_path):
    survey = survey_csv([("上海", "上海", "外卖骑手", a) for a in GATE])
    corpus = write_small_corpus(tmp_path / "corpus", INTERVIEW, survey, POSTS)
    runner.invoke(app, ["init", str(tmp_path / "cb")])
    catalogue = tmp_path / "cb" / "concerns.toml"
    text = catalogue.read_text(encoding="utf-8")
    assert '"进小区、写字楼难"' in text
    catalogue.write_text(text.replace('"进小区、写字楼难"', '"小区门禁拦骑手（自编）"')
                         .replace('"市长热线"', '"12345", "市长热线"'), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(corpus), "--out", str(out), "--format", "csv",
                                 "--concerns", str(catalogue), "--no-cache"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # a bare number is never a content token: said so
    assert "1 terms can never be found" in said and "12345 (government_channels)" in said
    labels = pd.read_csv(out / "concerns.csv", dtype=str)["label"].tolist()
    assert "小区门禁拦骑手（自编）" in labels and "进小区、写字楼难" not in labels
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["concern_catalogue"]["sha256"] == hashlib.sha256(catalogue.read_bytes()).hexdigest()
    bad = catalogue.with_name("bad.toml")
    bad.write_text(text.replace("[[concern]]", "[[concen]]", 1), encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(corpus), "--out", str(tmp_path / "o2"),
                                 "--concerns", str(bad), "--no-cache"])
    assert result.exit_code == 2 and "bad.toml" in result.output


def test_check_codebook_reports_file_line_and_key(tmp_path):
    bad = tmp_path / "cb.toml"
    bad.write_text('[[theme]]\nid = "pay"\ntems = ["工资"]\n', encoding="utf-8")
    result = runner.invoke(app, ["check-codebook", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:3" in result.output and "'tems'" in result.output


def test_python_m_voiceminer_runs():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "voiceminer", "--version"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("voiceminer ")


def test_api_functions_are_not_shadowed_by_their_modules():
    import voiceminer as vm
    import voiceminer.normalize  # noqa: F401  (loads the submodule of the same name)
    import voiceminer.segment  # noqa: F401

    assert callable(vm.normalize) and callable(vm.segment)
    assert vm.normalize.__module__ == "voiceminer.normalize"
