"""Labels files as people save them (GBK, tabs, .xlsx, 工资收入、社会保险 …), as evaluate and
train read them.

Every fixture is a handful of rows whose texts and label sets can be checked by eye.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from voiceminer.cli import app
from voiceminer.codebook import Codebook
from voiceminer.errors import InputFileError, VoiceminerError
from voiceminer.label_files import (ThemeNames, parse_label_map, read_gold_file,
                                    read_labelled_csv)
from voiceminer.quality import evaluate_file

runner = CliRunner()

ROWS = [("老板拖欠工资三个月了，一分钱都没发。", "pay"),
        ("公司不给交社保，养老保险也没有。", "social_insurance"),
        ("每天工作十二个小时，周末也不休息。", "hours"),
        ("工资太低了，社保也不交。", "pay;social_insurance"),
        ("员工𠮷说工资不够", "pay")]  # 𠮷 is in GB18030 but not in GBK
LABELS = [{"pay"}, {"social_insurance"}, {"hours"}, {"pay", "social_insurance"}, {"pay"}]


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return Codebook.default()


def _write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("\n".join(lines).encode(encoding) + b"\n")
    return path


def _csv(path: Path, sep: str = ",", encoding: str = "utf-8", header: str = "text{sep}labels",
         rows=ROWS) -> Path:
    return _write(path, [header.format(sep=sep), *(f"{t}{sep}{lab}" for t, lab in rows)],
                  encoding)


def _xlsx(path: Path, rows: list[tuple[str, str]], header=("text", "labels")) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(list(header))
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


# -- 1. encodings, separators, .xlsx, headers, row numbers ---------------------------------------

FORMATS = {
    "utf8": lambda d: _csv(d / "g.csv"),
    "utf8-bom": lambda d: _csv(d / "g.csv", encoding="utf-8-sig"),
    "gb18030": lambda d: _csv(d / "g.csv", encoding="gb18030"),
    "tab-tsv": lambda d: _csv(d / "g.tsv", sep="\t"),
    "tab-named-csv": lambda d: _csv(d / "g.csv", sep="\t"),
    "semicolon": lambda d: _csv(d / "g.csv", sep=";", rows=[(t, lab.replace(";", "|"))
                                                           for t, lab in ROWS]),
    "header-spaces": lambda d: _csv(d / "g.csv", header=" text {sep}  labels "),
    "xlsx": lambda d: _xlsx(d / "g.xlsx", ROWS),
}


@pytest.mark.parametrize("make", FORMATS.values(), ids=FORMATS.keys())
def test_every_format_reads_the_same_texts_and_labels(make, tmp_path, codebook):
    gold = read_gold_file(make(tmp_path), "text", "labels", codebook=codebook)
    assert gold.texts == [t for t, _ in ROWS]
    assert gold.labels == LABELS
    assert gold.rows == [2, 3, 4, 5, 6]


def test_gbk_file_is_read(tmp_path, codebook):
    gold = read_gold_file(_csv(tmp_path / "g.csv", encoding="gbk", rows=ROWS[:4]), "text",
                          "labels", codebook=codebook)
    assert gold.texts[0] == "老板拖欠工资三个月了，一分钱都没发。" and gold.labels == LABELS[:4]


def test_evaluate_command_scores_a_gbk_file_like_its_utf8_twin(tmp_path):
    utf8 = _csv(tmp_path / "u.csv", rows=ROWS[:4])
    gbk = _csv(tmp_path / "g.csv", encoding="gbk", rows=ROWS[:4])
    outs = []
    for path in (utf8, gbk):
        out = tmp_path / f"{path.stem}.json"
        result = runner.invoke(app, ["evaluate", str(path), "--json", str(out)])
        assert result.exit_code == 0, result.output
        outs.append(json.loads(out.read_text(encoding="utf-8")))
    assert outs[0]["rows"] == outs[1]["rows"] == 4
    assert outs[0]["scores"] == outs[1]["scores"]


def test_rows_are_numbered_as_a_person_sees_them(tmp_path, codebook):
    path = _write(tmp_path / "g.csv", ["text,labels", '"第一行', "第二行", '第三行工资没发",pay',
                                       ",hours"])
    gold = read_gold_file(path, "text", "labels", codebook=codebook)
    assert gold.rows == [2] and gold.skipped == ["row 5: empty text"]
    xlsx = _xlsx(tmp_path / "g.xlsx", [("工资没发", "pay"), ("", ""), ("", "hours")])
    assert read_gold_file(xlsx, "text", "labels").skipped == ["row 4: empty text"]


def test_a_row_split_by_an_unquoted_comma_names_its_row(tmp_path):
    path = _write(tmp_path / "g.csv", ["text,labels", "工资没发,pay", "工资低,社保也不交,pay"])
    with pytest.raises(InputFileError, match=r"g\.csv:3: 3 cells but the header has 2"):
        read_labelled_csv(path, ("text", "labels"))


def test_missing_column_lists_the_stripped_header(tmp_path):
    path = _csv(tmp_path / "g.csv", header=" text {sep} labels")
    with pytest.raises(InputFileError, match="no column 'themes' — columns are: text, labels"):
        read_labelled_csv(path, ("text", "themes"))


# -- 2. how labels are written -------------------------------------------------------------------

@pytest.mark.parametrize("cell, expected", [
    ("hours；pay", {"hours", "pay"}),
    ("pay,social_insurance", {"pay", "social_insurance"}),
    ("pay，hours", {"pay", "hours"}),
    ("pay、hours", {"pay", "hours"}),
    ("labor_relations|pay", {"labor_relations", "pay"}),
    (" HOURS ; Social_Insurance ", {"hours", "social_insurance"}),
    ("工资收入、社会保险", {"pay", "social_insurance"}),
    ("住房、物业与城建", {"out_housing"}),  # a label holding a separator stays whole
    ("pay;retirement", {"pay", "retirement"}),  # unknown labels are kept as written
], ids=["fullwidth-semicolon", "comma", "fullwidth-comma", "dunhao", "bar", "case-spaces",
        "chinese-labels", "label-with-dunhao", "unknown-kept"])
def test_label_cells(cell, expected, tmp_path, codebook):
    path = _write(tmp_path / "g.csv", ["text,labels", f'工资没发,"{cell}"'])
    assert read_gold_file(path, "text", "labels", codebook=codebook).labels == [expected]


def test_theme_names_resolve_ids_labels_and_outside(codebook):
    names = ThemeNames.of(codebook)
    assert names.resolve("工资收入") == "pay" and names.resolve(" PAY ") == "pay"
    assert names.resolve("out_health") == "out_health" and "out_health" in names.outside
    assert names.resolve("retirement") is None


def test_outside_themes_are_counted_apart_not_as_unknown(tmp_path):
    path = _write(tmp_path / "g.csv", ["text,labels",
                                       "小区物业乱收费，楼道漏水没人修。,out_housing",
                                       "老板拖欠工资三个月了。,pay",
                                       "医院看病太贵了。,医疗卫生与计生",
                                       "退休金太少。,retirement"])
    report = evaluate_file(path)
    assert report.outside == {"out_health": 1, "out_housing": 1}
    assert report.gold_only == {"retirement": 1}
    assert report.scores.set_index("theme").loc["pay", "support"] == 1


# -- 3. nothing to score -------------------------------------------------------------------------

def test_header_only_file_is_refused(tmp_path):
    path = _write(tmp_path / "g.csv", ["text,labels"])
    with pytest.raises(InputFileError, match="no row to score"):
        evaluate_file(path)
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 2 and "no row to score" in result.output


def test_no_label_naming_a_theme_is_refused(tmp_path):
    path = _write(tmp_path / "g.csv", ["text,labels", "老板拖欠工资。,wages",
                                       "小区漏水。,out_housing"])
    with pytest.raises(InputFileError, match=r"names a theme of the study.*wages ×1"):
        evaluate_file(path)
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 2 and "--label-map" in result.output


# -- 4. --label-map ------------------------------------------------------------------------------

@pytest.mark.parametrize("pair, message", [
    ("wages=pay;retirement=social_insurance", "repeat --label-map for each pair"),
    ("wages=pay,retirement=social_insurance", "repeat --label-map for each pair"),
    ("=pay", "names no gold label"),
    ("wages=pay=x", "with one '='"),
    ("wages", "GOLD=THEME"),
], ids=["semicolon", "comma", "empty-source", "two-equals", "no-equals"])
def test_malformed_label_map_pairs(pair, message):
    with pytest.raises(VoiceminerError, match=message):
        parse_label_map([pair])


def test_a_gold_label_mapped_twice_is_an_error():
    with pytest.raises(VoiceminerError, match="maps 'Wages' twice"):
        parse_label_map(["wages=pay", "Wages=hours"])


def test_label_map_targets_and_sources_are_checked(tmp_path, codebook):
    path = _write(tmp_path / "g.csv", ["text,labels", "老板拖欠工资。,wages",
                                       "退休金少。,retirement;other"])
    with pytest.raises(VoiceminerError, match="'paycheck' is not a theme of the codebook"):
        read_gold_file(path, "text", "labels", codebook=codebook,
                       label_map=parse_label_map(["wages=paycheck"]))
    gold = read_gold_file(path, "text", "labels", codebook=codebook, label_map=parse_label_map(
        ["WAGES=工资收入", "other=", "wagez=pay"]))
    assert gold.labels == [{"pay"}, {"retirement"}]
    assert len(gold.warnings) == 1 and "no label 'wagez'" in gold.warnings[0]


def test_label_map_warning_is_printed_not_fatal(tmp_path):
    path = _write(tmp_path / "g.csv", ["text,labels", "老板拖欠工资三个月了。,pay"])
    result = runner.invoke(app, ["evaluate", str(path), "--label-map", "wagez=pay"])
    assert result.exit_code == 0, result.output
    assert "warning: --label-map wagez=pay: no label 'wagez'" in result.output


# -- 5. output paths and model folders -----------------------------------------------------------

def test_json_goes_into_new_folders_and_a_folder_is_refused(tmp_path):
    path = _csv(tmp_path / "g.csv", rows=ROWS[:2])
    out = tmp_path / "a" / "b" / "scores.json"
    result = runner.invoke(app, ["evaluate", str(path), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["rows"] == 2
    result = runner.invoke(app, ["evaluate", str(path), "--json", str(tmp_path)])
    assert result.exit_code == 2 and "is a folder; give a file name" in result.output


def test_model_given_as_a_file_says_pass_the_folder(tmp_path):
    path = _csv(tmp_path / "g.csv", rows=ROWS[:2])
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "model.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path), "--model",
                                 str(tmp_path / "m" / "model.json")])
    assert result.exit_code == 2 and "pass the model's folder" in result.output


def test_train_refuses_an_out_that_is_a_file(tmp_path):
    path = _csv(tmp_path / "g.csv", header="text{sep}themes")
    existing = tmp_path / "existing"
    existing.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["train", str(path), "--out", str(existing)])
    assert result.exit_code == 2 and "is an existing file" in result.output
    assert existing.read_text(encoding="utf-8") == "x"


def test_suggest_terms_names_and_empty_results(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "posts.jsonl").write_text("\n".join(json.dumps(
        {"id": str(i), "content": f"工资又拖欠了，老板不发工资{i}", "author": f"a{i}"},
        ensure_ascii=False) for i in range(4)) + "\n", encoding="utf-8")
    ok = runner.invoke(app, ["suggest-terms", "工资收入", str(corpus), "--top", "3"])
    assert ok.exit_code == 0, ok.output
    assert "'pay'" in ok.output
    none = runner.invoke(app, ["suggest-terms", "stability", str(corpus)])
    assert none.exit_code == 0 and "no unit in these files is coded 'stability'" in none.output
    outside = runner.invoke(app, ["suggest-terms", "out_housing", str(corpus)])
    assert outside.exit_code == 2 and "outside the study's scope" in outside.output
    assert runner.invoke(app, ["suggest-terms", "pay", str(corpus), "--top", "0"]).exit_code == 2
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(app, ["suggest-terms", "pay", str(tmp_path / "empty")])
    assert empty.exit_code == 2 and "no readable files were found" in empty.output


def test_suggest_n_must_be_positive(tmp_path):
    result = runner.invoke(app, ["suggest", str(tmp_path), "--n", "0"])
    assert result.exit_code == 2 and "--n" in result.output

