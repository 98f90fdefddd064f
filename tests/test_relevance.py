"""Out-of-scope themes in the codebook and the self-trained relevance screen."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from voiceminer.cli import app
from voiceminer.codebook import Codebook, load_codebook
from voiceminer.errors import CodebookError
from voiceminer.normalize import clean_text
from voiceminer.quality import evaluate_relevance, make_coder
from voiceminer.relevance import RelevanceScreen, rule_signals

from .conftest import SHARED_DATA

runner = CliRunner()

SCOPED = """
[context]
salience = 0.5
salience_min_chars = 20

[[theme]]
id = "pay"
label = "工资收入"
terms = ["工资", "欠薪", "少发"]

[[theme]]
id = "social_insurance"
label = "社会保险"
terms = ["社保", "医保"]

[[theme]]
id = "out_housing"
scope = "outside"
label = "住房与物业"
terms = ["物业", "漏水", "业主", "开发商"]
"""


@pytest.fixture
def scoped(tmp_path: Path) -> Codebook:
    path = tmp_path / "scoped.toml"
    path.write_text(SCOPED, encoding="utf-8")
    return load_codebook(path)


def test_outside_themes_are_kept_apart_and_never_coded(scoped):
    assert scoped.ids == ("pay", "social_insurance")
    assert [t.id for t in scoped.outside] == ["out_housing"]
    coder = make_coder(scoped)
    themes, evidence, _ = coder.code("物业不管楼上漏水")
    assert themes == [] and evidence == []


def test_outside_theme_outweighs_a_wage_named_in_passing(scoped):
    coder = make_coder(scoped)
    letter = "我们小区物业不作为，楼顶漏水三个月，业主多次找物业和开发商都没人管，我一个月工资才三千，修不起。"
    assert coder.code(letter)[0] == []
    # the same wage complaint without the housing story is pay
    assert coder.code("公司欠薪三个月，工资一直少发，我们找了好几次都没人管。")[0] == ["pay"]


def test_outside_words_in_the_clause_of_a_study_term_are_its_setting(scoped):
    coder = make_coder(scoped)
    # five 物业 against two wage words: counted as rivals they would drop pay, but each shares a
    # clause with the wage complaint, so it is where the complaint happens
    letter = "物业公司拖欠工资，物业经理、物业主管、物业客服都说物业没钱发工资。"
    assert coder.code(letter)[0] == ["pay"]
    # the same words in clauses of their own do compete
    story = "物业公司拖欠工资。物业经理不管，物业主管不管，物业客服不管，物业说没钱。"
    assert coder.code(story)[0] == []


def test_a_bad_scope_names_file_and_key(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(SCOPED.replace('scope = "outside"', 'scope = "elsewhere"'), encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert "out_housing.scope" in str(err.value) and "bad.toml" in str(err.value)


def test_a_codebook_with_only_outside_themes_is_refused(tmp_path):
    path = tmp_path / "none.toml"
    path.write_text('[[theme]]\nid = "out_x"\nscope = "outside"\nterms = ["物业"]\n',
                    encoding="utf-8")
    with pytest.raises(CodebookError, match="at least one"):
        load_codebook(path)


def test_default_codebook_has_outside_themes_that_do_not_reach_reports():
    cb = Codebook.default()
    assert {t.id for t in cb.outside} >= {"out_housing", "out_education", "out_health"}
    assert not set(cb.ids) & {t.id for t in cb.outside}
    study_terms = {w for t in cb.themes for w in t.terms}
    overlap = {w for t in cb.outside for w in t.terms} & study_terms
    assert not overlap, overlap


# A small mixed "message board": labour complaints, and messages about other matters, some of
# which name a wage or insurance once in passing.
_WHO = ["我们公司", "这家工厂", "工地老板", "物流公司", "我所在的单位", "那家饭店"]
_LABOUR = ["拖欠工资半年", "欠薪不给", "工资每个月少发几百", "一直不交社保", "医保也断了",
           "社保说好交却没交"]
_OTHER_WHO = ["小区物业", "楼上业主", "开发商", "物业公司", "隔壁业主", "售楼处"]
_OTHER = ["楼顶漏水没人修", "电梯坏了一个月", "延期交房两年", "车位乱收费", "垃圾堆在楼道",
          "外墙漏水渗到家里"]


def _board() -> tuple[list[str], np.ndarray]:
    texts, gold = [], []
    for i, (who, a, b) in enumerate(itertools.product(_WHO, _LABOUR, _LABOUR)):
        if a != b:
            texts.append(f"{who}{a}，还{b}，找了好几次都说再等等，请帮我们讨个说法。")
            gold.append(True)
    for i, (who, a, b) in enumerate(itertools.product(_OTHER_WHO, _OTHER, _OTHER)):
        if a != b:
            passing = "，我一个月工资才三千" if i % 3 == 0 else ""
            texts.append(f"{who}不管事，{a}，{b}{passing}，请有关部门督促解决。")
            gold.append(False)
    return [clean_text(t) for t in texts], np.array(gold)


def _f1(gold: np.ndarray, pred: np.ndarray) -> float:
    tp = (gold & pred).sum()
    return 2 * tp / (gold.sum() + pred.sum())


def test_screen_learns_from_seeds_and_beats_the_rules():
    cleans, gold = _board()
    coder = make_coder()
    screen = RelevanceScreen(min_seed_hits=2)
    pred = screen.predict(cleans, coder)
    assert not screen.fallback_
    assert screen.seeds_["relevant"] >= 20 and screen.seeds_["not_relevant"] >= 20
    rules = rule_signals(coder, cleans)[2]
    assert _f1(gold, pred) >= 0.95
    assert _f1(gold, pred) >= _f1(gold, rules)
    # deterministic: the same corpus gives the same scores
    again = RelevanceScreen(min_seed_hits=2).fit_predict(cleans, coder)
    assert np.array_equal(again, screen.fit_predict(cleans, coder))


def test_screen_above_the_fit_sample_scores_every_text_from_a_sample(monkeypatch):
    """Above ``FIT_SAMPLE`` texts the vocabulary and each model come from a sample and texts are
    scored chunk by chunk (bounded memory at a million posts): every text still gets a score,
    the same on a re-run, and the decisions stay those of the whole-corpus fit."""
    from voiceminer import relevance

    cleans, gold = _board()
    coder = make_coder()
    whole = RelevanceScreen(min_seed_hits=2).fit_predict(cleans, coder)
    monkeypatch.setattr(relevance, "FIT_SAMPLE", len(cleans) // 2)
    monkeypatch.setattr(relevance, "_CHUNK", 7)
    sampled = RelevanceScreen(min_seed_hits=2).fit_predict(cleans, coder)
    assert sampled.shape == whole.shape and not np.isnan(sampled).any()
    assert not np.array_equal(sampled, whole)  # really fitted on a sample
    assert np.array_equal(sampled, RelevanceScreen(min_seed_hits=2).fit_predict(cleans, coder))
    assert _f1(gold, sampled >= 0.5) >= 0.9
    assert ((sampled >= 0.5) == (whole >= 0.5)).mean() >= 0.9


def test_screen_falls_back_to_the_rules_and_says_why():
    coder = make_coder()
    cleans = [clean_text(t) for t in ["公司拖欠工资三个月", "小区物业不作为", "今天下雨了"]]
    screen = RelevanceScreen()
    proba = screen.fit_predict(cleans, coder)
    assert "too few seeds" in screen.fallback_
    assert proba.tolist() == [1.0, 0.0, 0.0]


def test_evaluate_relevance_command(tmp_path):
    cleans, gold = _board()
    path = tmp_path / "board.csv"
    pd.DataFrame({"text": cleans, "label": np.where(gold, "劳动", "城建")}).to_csv(path, index=False)
    out = tmp_path / "rel.json"
    result = runner.invoke(app, ["evaluate", str(path), "--label-col", "label",
                                 "--relevant", "劳动", "--relevant-theme", "pay",
                                 "--relevant-theme", "social_insurance", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "self-trained screen" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["positives"] == int(gold.sum()) and data["themes"] == ["pay", "social_insurance"]
    assert data["screen"]["f1"] >= data["rules"]["f1"] - 1e-9

    bad = runner.invoke(app, ["evaluate", str(path), "--label-col", "label", "--relevant", "交通"])
    assert bad.exit_code != 0 and "交通" in bad.output and "board.csv" in bad.output


def test_evaluate_relevance_rejects_an_unknown_theme(tmp_path):
    cleans, gold = _board()
    path = tmp_path / "board.csv"
    pd.DataFrame({"text": cleans, "label": np.where(gold, "劳动", "城建")}).to_csv(path, index=False)
    with pytest.raises(ValueError, match="no theme wages"):
        evaluate_relevance(path, "劳动", themes=["wages"])


@pytest.mark.skipif(not (SHARED_DATA / "teddy2020" / "messages_labeled.csv").is_file(),
                    reason="../shared/data is not beside the project")
def test_screen_on_real_board_messages(tmp_path):
    """Real messages from seven areas of a city board: the screen must beat the rules by a wide
    margin (full figures: benchmarks/bench_quality.py). A 3,000-row slice keeps the test short."""
    df = pd.read_csv(SHARED_DATA / "teddy2020" / "messages_labeled.csv", dtype=str,
                     keep_default_na=False).head(3000)
    path = tmp_path / "slice.csv"
    df[["text", "label"]].to_csv(path, index=False)
    labour = ["pay", "social_insurance", "safety", "hours", "labor_relations", "employment"]
    result = evaluate_relevance(path, "劳动和社会保障", themes=labour)
    assert result["screen"]["f1"] >= 0.75
    assert result["screen"]["f1"] >= result["rules"]["f1"] + 0.1


def test_analyze_screen_sets_aside_off_topic_posts(tmp_path):
    """`analyze --screen` on a forum export mixing labour complaints with housing posts: the
    housing posts that name a wage in passing lose their theme, every post stays analysed and
    gets a relevance score."""
    from voiceminer.ingest import read_corpus
    from voiceminer.pipeline import analyze
    from voiceminer.settings import Settings

    cleans, gold = _board()
    posts = pd.DataFrame({"post_id": [f"p{i}" for i in range(len(cleans))],
                          "author": [f"user{i}" for i in range(len(cleans))],
                          "province": "湖南", "group": "快递员", "text": cleans})
    root = tmp_path / "forum"
    root.mkdir()
    posts.to_json(root / "posts.jsonl", orient="records", lines=True, force_ascii=False)
    units = read_corpus([root])
    plain = analyze(units, settings=Settings(formats=("json",)))
    screened = analyze(units, settings=Settings(formats=("json",), screen=True))
    u0, u1 = plain.units, screened.units
    assert len(u0) == len(u1) and "relevance" in u1.columns and "relevance" not in u0.columns
    assert u1["relevance"].notna().sum() == len(cleans)
    order = {t: i for i, t in enumerate(cleans)}
    is_labour = u1["clean"].map(lambda t: bool(gold[order[t]]))
    coded0 = u0["themes"].map(bool)
    coded1 = u1["themes"].map(bool)
    assert coded0[~is_labour].sum() > 0  # the rules code some housing posts (工资 in passing)
    assert coded1[~is_labour].sum() < coded0[~is_labour].sum() / 2
    assert coded1[is_labour].sum() >= 0.95 * coded0[is_labour].sum()
    assert screened.summary()["notes"][0].startswith("relevance screen:")
    # the screen replaces columns of a shallow copy: the table it was given is left as it was
    from voiceminer.relevance import screen_units

    coded = plain.units
    before = coded["themes"].map(list).tolist()
    out, _note = screen_units(coded, make_coder())
    assert coded["themes"].map(list).tolist() == before and "relevance" not in coded.columns
    assert out["themes"].map(bool).sum() < coded["themes"].map(bool).sum()
