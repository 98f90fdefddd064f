"""train and suggest on labels files that are too small, one-sided, duplicated or mislabelled."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from voiceminer.cli import app
from voiceminer.errors import InputFileError, VoiceminerError
from voiceminer.learn import ThemeModel, load_model
from voiceminer.learn.model import require_themes, text_groups
from voiceminer.quality import uncertain_units
from voiceminer.training import grouped_folds, min_training_rows, train_file

from .test_quality import INSURANCE, NEITHER, PAY

runner = CliRunner()


def _labels(path: Path, rows: list[tuple[str, str]]) -> Path:
    pd.DataFrame(rows, columns=["text", "themes"]).to_csv(path, index=False, encoding="utf-8")
    return path


def _mixed() -> list[tuple[str, str]]:
    return ([(t, "pay") for t in PAY] + [(t, "社会保险") for t in INSURANCE]
            + [(t, "") for t in NEITHER])


def test_too_few_rows_counts_the_files_usable_rows(tmp_path):
    path = _labels(tmp_path / "few.csv", _mixed()[:12] + [("", "pay")])
    with pytest.raises(InputFileError, match=r"few\.csv: training needs at least 13 labelled "
                                             r"units.*the file has 12 usable rows; 1 more skipped"):
        train_file(path, tmp_path / "m")
    assert not (tmp_path / "m").exists()
    assert min_training_rows(5) == 13  # 13 rows: folds of 3,3,3,2,2 leave 10 to train on


def test_no_learnable_theme_is_refused_with_counts(tmp_path):
    path = _labels(tmp_path / "one.csv", [(t, "pay") for t in PAY + INSURANCE])
    with pytest.raises(InputFileError, match=r"no theme has enough examples.*pay 16/0"):
        train_file(path, tmp_path / "m")
    assert not (tmp_path / "m").exists()
    unknown = _labels(tmp_path / "unknown.csv", [(t, "wages") for t in PAY + INSURANCE])
    with pytest.raises(InputFileError, match="labels not in the codebook: wages"):
        train_file(unknown, tmp_path / "m")


def test_train_prints_skipped_rows_and_unknown_labels(tmp_path):
    rows = _mixed() + [("", "pay"), ("   ", "hours"), (NEITHER[0] + "。", "retirement")]
    path = _labels(tmp_path / "labels.csv", rows)
    result = runner.invoke(app, ["train", str(path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert "skipped row 26: empty text" in result.output
    assert "skipped row 27: empty text" in result.output
    assert "labels not in the codebook (not learned): {'retirement': 1}" in result.output
    # 社会保险 is the label of social_insurance: learned, not reported as unknown
    assert load_model(tmp_path / "m").themes_ == ["pay", "social_insurance"]


def test_folds_keep_identical_texts_together():
    cleans = ["a", "b", "a", "c", "d", "b", "e", "a"]
    for train, test in grouped_folds(cleans, 3, 0):
        assert not {cleans[i] for i in train} & {cleans[i] for i in test}
    assert sorted(i for _, test in grouped_folds(cleans, 3, 0) for i in test) == list(range(8))


def test_folds_without_duplicates_are_plain_kfold():
    from sklearn.model_selection import KFold

    cleans = [f"t{i}" for i in range(11)]
    ours = grouped_folds(cleans, 5, 7)
    theirs = list(KFold(5, shuffle=True, random_state=7).split(np.arange(11)))
    assert all((a == c).all() and (b == d).all() for (a, b), (c, d) in zip(ours, theirs))


def test_duplicated_rows_do_not_inflate_the_threshold_cv():
    """Random texts with random labels, each twice: there is nothing to learn, so an honest
    cross-validated F1 is that of calling everything positive (2/3 at half positives); folds that
    split twins apart score the memorised twin instead."""
    rng = np.random.default_rng(0)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    texts = ["".join(rng.choice(chars, 6)) for _ in range(30)] * 2
    y = np.array([i % 2 == 0 for i in range(30)] * 2)
    assert text_groups(texts).tolist() == list(range(30)) * 2
    model = ThemeModel(min_df=1)
    X = model._vectorizer().fit_transform(texts)
    _, leaky = model._threshold(X, y, np.arange(60))  # every row its own group: the old folds
    _, grouped = model._threshold(X, y, text_groups(texts))
    assert leaky >= 0.85 and grouped <= 0.7


def test_a_model_without_themes_is_refused_by_suggest(tmp_path):
    texts = PAY + NEITHER
    empty = ThemeModel().fit(texts, [{"pay"}] * len(texts), ["pay"])  # one class: nothing learned
    assert empty.themes_ == []
    with pytest.raises(VoiceminerError, match="has no themes.*retrain it with more labels"):
        require_themes(empty)
    with pytest.raises(VoiceminerError, match="has no themes"):
        uncertain_units(pd.DataFrame(), empty)
    empty.save(tmp_path / "empty")
    result = runner.invoke(app, ["suggest", str(tmp_path), "--model", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "has no themes" in result.output


def test_suggest_writes_into_a_new_folder(tmp_path):
    model_dir = tmp_path / "m"
    ThemeModel().fit(PAY + INSURANCE + NEITHER, [{"pay"}] * 8 + [{"social_insurance"}] * 8
                     + [set()] * 8, ["pay", "social_insurance"]).save(model_dir)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "s.csv").write_text("序号,省份,3、您最希望解决的问题？\n" + "\n".join(
        f"{i},云南,{a}" for i, a in enumerate(PAY + NEITHER, 1)) + "\n", encoding="utf-8")
    out = tmp_path / "new" / "folder" / "next.csv"
    result = runner.invoke(app, ["suggest", str(corpus), "--model", str(model_dir), "--n", "3",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 3
