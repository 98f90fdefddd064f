"""Inter-coder agreement, checked against values worked out by hand.

Table 1 (10 units, one theme): both yes 4, only A 1, only B 1, both no 4.
  p_o = 8/10 = 0.8; p_A(yes) = p_B(yes) = 0.5, so p_e = 0.5·0.5 + 0.5·0.5 = 0.5;
  kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6.
  alpha: 20 pairable values, 10 yes and 10 no; the 2 disagreeing units put 4 into the
  off-diagonal of the coincidence matrix, so D_o = 4/20 = 0.2 and
  D_e = 2·10·10 / (20·19) = 200/380; alpha = 1 - 0.2·380/200 = 1 - 0.38 = 0.62.
Table 2: both yes 3, only A 3, only B 1, both no 3.
  p_o = 0.6; p_e = 0.6·0.4 + 0.4·0.6 = 0.48; kappa = 0.12 / 0.52 = 3/13 ≈ 0.2308.
  alpha: 10 yes, 10 no, 4 disagreements → D_o = 8/20 = 0.4; alpha = 1 - 0.4·380/200 = 0.24.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from voiceminer.agreement import (POOLED, agreement, agreement_files, cohen_kappa,
                                  krippendorff_alpha_nominal, read_labels)
from voiceminer.cli import app
from voiceminer.errors import InputFileError

TABLE_1 = (np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]), np.array([1, 1, 1, 1, 0, 1, 0, 0, 0, 0]))
TABLE_2 = (np.array([1, 1, 1, 1, 1, 1, 0, 0, 0, 0]), np.array([1, 1, 1, 0, 0, 0, 1, 0, 0, 0]))


@pytest.mark.parametrize("table,kappa,alpha", [(TABLE_1, 0.6, 0.62), (TABLE_2, 3 / 13, 0.24)],
                         ids=["symmetric", "asymmetric"])
def test_kappa_and_alpha_match_hand_computation(table, kappa, alpha):
    a, b = table
    assert cohen_kappa(a, b) == pytest.approx(kappa)
    assert krippendorff_alpha_nominal(np.vstack([a, b])) == pytest.approx(alpha)


def test_perfect_agreement_and_no_variation():
    a = np.array([1, 0, 1, 0])
    assert cohen_kappa(a, a) == pytest.approx(1.0)
    assert krippendorff_alpha_nominal(np.vstack([a, a])) == pytest.approx(1.0)
    same = np.zeros(5, dtype=int)  # nobody used the theme: nothing to correct for chance
    assert math.isnan(cohen_kappa(same, same))
    assert math.isnan(krippendorff_alpha_nominal(np.vstack([same, same])))


def test_alpha_with_missing_values_by_hand():
    """3 coders, 4 units, one value missing. Unit 1: (1,1,1); unit 2: (0,0,nan); unit 3: (1,0,0);
    unit 4: (0,0,0). Coincidences: o_11 = 6/2 = 3, o_00 = 2/1 + 2/2 + 6/2 = 6, o_01 = o_10 = 2/2 = 1;
    n = 11, n_1 = 4, n_0 = 7. D_o = 2/11; D_e = 2·4·7/(11·10) = 56/110;
    alpha = 1 - (2/11)/(56/110) = 1 - 20/56 = 9/14."""
    data = np.array([[1, 0, 1, 0], [1, 0, 0, 0], [1, np.nan, 0, 0]], dtype=float)
    assert krippendorff_alpha_nominal(data) == pytest.approx(9 / 14)


def test_alpha_agrees_with_the_krippendorff_package():
    kd = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(0)
    data = rng.integers(0, 3, size=(3, 15)).astype(float)
    data[0, 3] = data[2, 5] = data[1, 7] = data[0, 7] = np.nan
    assert krippendorff_alpha_nominal(data) == pytest.approx(
        kd.alpha(reliability_data=data, level_of_measurement="nominal"))


def _labels(rows):
    return pd.DataFrame([{"unit_id": u, "text": t, "themes": set(th)} for u, t, th in rows])


def test_agreement_per_theme_and_disagreements():
    a = _labels([("u1", "甲", {"pay"}), ("u2", "乙", {"pay", "hours"}), ("u3", "丙", set()),
                 ("u4", "丁", {"hours"}), ("u5", "戊", set())])
    b = _labels([("u1", "甲", {"pay"}), ("u2", "乙", {"pay"}), ("u3", "丙", {"hours"}),
                 ("u4", "丁", {"hours"}), ("u6", "己", {"pay"})])
    report = agreement(a, b, names=("李", "王"))
    assert report.joined_on == "unit_id"
    assert report.units == 4 and report.only_in_a == ["u5"] and report.only_in_b == ["u6"]
    rows = report.per_theme.set_index("theme")
    # pay: A yes on u1,u2; B yes on u1,u2 → perfect
    assert rows.at["pay", "percent_agreement"] == 1.0
    assert rows.at["pay", "cohen_kappa"] == 1.0
    # hours: A = (0,1,0,1), B = (0,0,1,1): p_o = 0.5, p_e = 0.5 → kappa 0
    assert rows.at["hours", "percent_agreement"] == 0.5
    assert rows.at["hours", "cohen_kappa"] == 0.0
    assert (rows.at["hours", "a_yes"], rows.at["hours", "b_yes"], rows.at["hours", "both_yes"]) \
        == (2, 2, 1)
    assert rows.at[POOLED, "units"] == 8
    dis = report.disagreements.set_index("unit_id")
    assert list(dis.index) == ["u2", "u3"]
    assert dis.at["u2", "only_李"] == "hours" and dis.at["u3", "only_王"] == "hours"
    assert dis.at["u2", "text"] == "乙"


def test_joins_on_text_when_a_file_has_no_unit_id(tmp_path):
    (tmp_path / "a.csv").write_text("unit_id,text,themes\nx1,运费太低,pay\nx2,天天加班,hours\n",
                                    encoding="utf-8")
    (tmp_path / "b.csv").write_text("text,themes\n天天加班,hours;pay\n运费太低,pay\n",
                                    encoding="utf-8-sig")
    report = agreement_files(tmp_path / "a.csv", tmp_path / "b.csv")
    assert report.joined_on == "text" and report.units == 2
    assert list(report.disagreements["text"]) == ["天天加班"]
    assert report.disagreements.iloc[0]["only_b"] == "pay"


def test_bad_labels_files_name_the_file_and_the_fix(tmp_path):
    (tmp_path / "x.csv").write_text("text,labels\n甲,pay\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"x\.csv.*'themes'"):
        read_labels(tmp_path / "x.csv")
    (tmp_path / "d.csv").write_text("text,themes\n甲,pay\n甲,hours\n", encoding="utf-8")
    (tmp_path / "e.csv").write_text("text,themes\n甲,pay\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="occur twice"):
        agreement_files(tmp_path / "d.csv", tmp_path / "e.csv")


def test_cli_prints_table_writes_files_and_json(tmp_path):
    (tmp_path / "coder1.csv").write_text(
        "unit_id,text,themes\n" + "".join(
            f"u{i},文本{i},{'pay' if y else ''}\n" for i, y in enumerate(TABLE_1[0])),
        encoding="utf-8")
    (tmp_path / "coder2.csv").write_text(
        "unit_id,text,themes\n" + "".join(
            f"u{i},文本{i},{'pay' if y else ''}\n" for i, y in enumerate(TABLE_1[1])),
        encoding="utf-8")
    runner = CliRunner()
    args = ["agreement", str(tmp_path / "coder1.csv"), str(tmp_path / "coder2.csv")]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "0.600" in result.output and "0.620" in result.output
    assert "2 units disagree" in result.output
    table = pd.read_csv(tmp_path / "out" / "agreement.csv", encoding="utf-8-sig")
    assert table.set_index("theme").at["pay", "cohen_kappa"] == pytest.approx(0.6)
    dis = pd.read_csv(tmp_path / "out" / "disagreements.csv", encoding="utf-8-sig")
    assert sorted(dis["unit_id"]) == ["u4", "u5"]
    as_json = runner.invoke(app, [*args, "--json"])
    assert json.loads(as_json.output)["per_theme"][0]["krippendorff_alpha"] == pytest.approx(0.62)
