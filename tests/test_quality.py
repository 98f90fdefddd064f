"""evaluate, train, suggest and suggest-terms on small fixtures (and on ../shared when present)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from voiceminer.cli import app
from voiceminer.errors import VoiceminerError
from voiceminer.evaluation import evaluate_predictions
from voiceminer.label_files import parse_label_map
from voiceminer.learn import ThemeModel, load_model
from voiceminer.quality import code_texts, make_coder

from .conftest import SHARED_DATA

runner = CliRunner()

PAY = ["这个月又少发了八百", "工资拖了三个月没给", "一单才三块钱，工资太低", "收入比去年少了一半",
       "工资又降了，干不下去", "老板拖着工资不发", "这月少发了五百", "工资一直拖欠"]
INSURANCE = ["公司不给交社保", "没有五险一金", "社保断缴了怎么办", "医保报销太难",
             "养老保险交不起", "社保一直没交", "没交社保，老了怎么办", "五险一金都没有"]
NEITHER = ["今天天气不错", "孩子考上大学了", "周末去爬山", "晚饭吃了面条",
           "新买了一台电视", "邻居家的狗很吵", "路边开了家花店", "我喜欢听收音机"]


@pytest.fixture
def labels_csv(tmp_path: Path) -> Path:
    rows = ([(t, "pay") for t in PAY] + [(t, "social_insurance") for t in INSURANCE]
            + [(t, "") for t in NEITHER])
    df = pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(rows))],
                       "text": [r[0] for r in rows], "themes": [r[1] for r in rows]})
    path = tmp_path / "labels.csv"
    df.to_csv(path, index=False, encoding="utf-8")
    return path


def test_label_map_and_apart_reporting():
    assert parse_label_map(["retirement=social_insurance", "other="]) == {
        "retirement": "social_insurance", "other": ""}
    with pytest.raises(VoiceminerError, match="GOLD=THEME"):
        parse_label_map(["retirement"])
    report = evaluate_predictions(
        gold=[{"pay", "other"}, {"hours"}], predicted=[{"pay", "rights"}, set()],
        themes=["pay", "hours", "rights"])
    assert report.gold_only == {"other": 1}
    assert report.codebook_only == {"rights": 1}
    s = report.scores.set_index("theme")
    assert s.loc["pay", "f1"] == 1.0 and s.loc["hours", "recall"] == 0.0
    assert report.confusions.to_dict("records") == [{"gold": "hours", "predicted": "(无)", "count": 1}]


def test_evaluate_command_writes_json(labels_csv, tmp_path):
    out = tmp_path / "scores.json"
    result = runner.invoke(app, ["evaluate", str(labels_csv), "--label-col", "themes",
                                 "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    scores = {r["theme"]: r for r in data["scores"]}
    assert scores["social_insurance"]["recall"] == 1.0  # every insurance text names its theme
    assert scores["pay"]["precision"] == 1.0
    assert data["rows"] == 24


def test_evaluate_names_a_missing_column(labels_csv):
    result = runner.invoke(app, ["evaluate", str(labels_csv), "--label-col", "labels"])
    assert result.exit_code == 2 and "no column 'labels'" in result.output and "themes" in result.output


def test_model_learns_beyond_the_terms_and_round_trips_without_pickle(labels_csv, tmp_path):
    df = pd.read_csv(labels_csv, dtype=str, keep_default_na=False)
    labels = [set(filter(None, [t])) for t in df["themes"]]
    model = ThemeModel().fit(df["text"].tolist(), labels, ["pay", "social_insurance", "hours"])
    assert model.themes_ == ["pay", "social_insurance"]  # hours has no examples
    model.save(tmp_path / "m", data_hash="abc")
    assert not any(p.suffix in (".pkl", ".pickle", ".joblib") for p in (tmp_path / "m").iterdir())
    loaded = load_model(tmp_path / "m")
    probe = ["上个月少发了三百", "今天天气不错"]
    np.testing.assert_allclose(loaded.predict_proba(probe), model.predict_proba(probe), rtol=1e-5)
    assert "pay" in loaded.predict(probe)[0] and loaded.predict(probe)[1] == {}
    card = json.loads((tmp_path / "m" / "card.json").read_text(encoding="utf-8"))
    assert card["data_sha256"] == "abc" and card["training_units"] == 24


def test_model_labels_respect_context_rules(labels_csv):
    df = pd.read_csv(labels_csv, dtype=str, keep_default_na=False)
    coder = make_coder()
    model = ThemeModel().fit(df["text"].tolist(), [set(filter(None, [t])) for t in df["themes"]],
                             coder.codebook.ids)
    coded = code_texts(["上个月又被拖了八百", "社保还行"], coder, model)
    assert "pay" in coded[0]  # no pay term, learned from the examples
    assert "social_insurance" not in coded[1]  # the rules dropped it on purpose


def test_tampered_weights_are_refused(labels_csv, tmp_path):
    df = pd.read_csv(labels_csv, dtype=str, keep_default_na=False)
    ThemeModel().fit(df["text"].tolist(), [set(filter(None, [t])) for t in df["themes"]],
                     ["pay", "social_insurance"]).save(tmp_path / "m")
    with open(tmp_path / "m" / "weights.npz", "ab") as f:
        f.write(b"x")
    with pytest.raises(VoiceminerError, match="does not match its card"):
        load_model(tmp_path / "m")


def test_train_then_analyze_with_model_and_suggest(labels_csv, tmp_path):
    model_dir = tmp_path / "models" / "mine"
    result = runner.invoke(app, ["train", str(labels_csv), "--out", str(model_dir)])
    assert result.exit_code == 0, result.output
    card = json.loads((model_dir / "card.json").read_text(encoding="utf-8"))
    assert set(card["scores"]["cross_validated"]) == {"micro", "macro"}
    corpus = tmp_path / "corpus" / "问卷"
    corpus.mkdir(parents=True)
    answers = ["上个月又被拖了八百", *PAY, *INSURANCE, *NEITHER]
    (corpus / "s.csv").write_text(
        "序号,省份,职业,3、您最希望解决的问题？\n" + "\n".join(
            f"{i},云南,外卖骑手,{a}" for i, a in enumerate(answers, 1)) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(corpus.parent), "--out", str(out),
                                 "--model", str(model_dir), "--format", "md"])
    assert result.exit_code == 0, result.output
    units = pd.read_csv(out / "units.csv", dtype=str, keep_default_na=False)
    row = units.loc[units["text"] == "上个月又被拖了八百"].iloc[0]
    assert row["themes"] == "pay" and row["evidence"].startswith("pay:model:")
    added = units["evidence"].str.count(":model:").sum()
    changed = units["evidence"].str.contains(":model:").sum()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    note = f"model mine added {added} theme labels to {changed} of "
    assert added >= 1 and any(n.startswith(note) for n in manifest["summary"]["notes"])
    assert note in " ".join(result.output.split())  # the run summary says it too
    sugg = tmp_path / "next.csv"
    result = runner.invoke(app, ["suggest", str(corpus.parent), "--model", str(model_dir),
                                 "--n", "5", "--out", str(sugg)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(sugg, dtype=str, keep_default_na=False)
    assert len(table) == 5 and {"unit_id", "text", "themes"} <= set(table.columns)


def test_suggest_terms_finds_words_that_go_with_a_theme(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    texts = [f"平台罚款太多，骑手超时{i}次" for i in range(6)] + [
        f"超时就罚款，配送时间太紧{i}" for i in range(6)] + [f"今天吃了面条{i}" for i in range(6)]
    (corpus / "posts.jsonl").write_text("\n".join(
        json.dumps({"id": str(i), "content": t, "author": f"a{i}", "board": "外卖骑手"},
                   ensure_ascii=False) for i, t in enumerate(texts)) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["suggest-terms", "platform_rules", str(corpus), "--top", "5"])
    assert result.exit_code == 0, result.output
    assert "骑手" in result.output
    bad = runner.invoke(app, ["suggest-terms", "nonsense", str(corpus)])
    assert bad.exit_code == 2 and "pay" in bad.output


@pytest.mark.skipif(not (SHARED_DATA / "teddy2020" / "labor_gold_dev.csv").is_file(),
                    reason="../shared/data is not beside the project")
def test_default_codebook_on_the_real_dev_gold():
    """Real messages nobody on the team wrote: floors sit under the measured micro 0.83 /
    macro 0.75 (benchmarks/bench_quality.py reports the figures)."""
    from voiceminer.quality import evaluate_file

    report = evaluate_file(SHARED_DATA / "teddy2020" / "labor_gold_dev.csv",
                           label_map={"retirement": "social_insurance"})
    s = report.scores.set_index("theme")
    assert s.loc["micro", "f1"] >= 0.78 and s.loc["macro", "f1"] >= 0.70
    assert report.gold_only == {"other": 11}
