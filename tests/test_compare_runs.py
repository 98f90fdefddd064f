"""``voiceminer compare``: concerns matched across two runs by theme and shared top terms."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from voiceminer.cli import app
from voiceminer.errors import VoiceminerError
from voiceminer.runs_compare import MARK_END, MARK_START, compare_runs, term_overlap


def _run(folder: Path, concerns: list[tuple[str, str, str, str, int]], base: int) -> Path:
    """A minimal run folder: concerns.csv and the 全国/全部 rows of prevalence.csv."""
    folder.mkdir(parents=True)
    pd.DataFrame([(cid, cid.split(".")[0], label, terms, n, n) for cid, _t, label, terms, n
                  in concerns],
                 columns=["concern_id", "theme", "label", "top_terms", "units", "respondents"]
                 ).to_csv(folder / "concerns.csv", index=False, encoding="utf-8-sig")
    rows = [("全国", "全部", "theme", t, t, {"pay": "工资收入", "safety": "劳动安全"}[t], 1, base,
             1 / base) for t in sorted({c[1] for c in concerns})]
    rows += [("全国", "全部", "concern", c[1], c[0], c[2], c[4], base, c[4] / base)
             for c in concerns]
    rows += [("云南", "全部", "concern", c[1], c[0], c[2], 1, 10, 0.1) for c in concerns]
    pd.DataFrame(rows, columns=["province", "group", "level", "theme", "key", "label",
                                "respondents", "base", "share"]
                 ).to_csv(folder / "prevalence.csv", index=False, encoding="utf-8-sig")
    return folder


@pytest.fixture
def two_runs(tmp_path: Path) -> tuple[Path, Path]:
    # wave 1: 100 respondents; wave 2: 200. Ids are renumbered between runs on purpose.
    a = _run(tmp_path / "wave1", [
        ("pay.01", "pay", "抽成、单价", "抽成;单价;配送费;降价", 20),     # 20% → pay.02 at 30%: grew
        ("pay.02", "pay", "拖欠、工资", "拖欠;工资;老板;要不回来", 10),    # 10% → pay.01 at 4%: shrank
        ("safety.01", "safety", "闯红灯、超时", "闯红灯;超时;赶时间", 5),  # 5% → gone
        ("safety.02", "safety", "高温、中暑", "高温;中暑;补贴", 8),        # 8% → 9%: stable
    ], base=100)
    b = _run(tmp_path / "wave2", [
        ("pay.01", "pay", "拖欠、欠薪", "拖欠;欠薪;工资;老板", 8),
        ("pay.02", "pay", "抽成、降价", "抽成;降价;单价;平台", 60),
        ("safety.01", "safety", "高温、中暑", "高温;中暑;防暑", 18),
        ("safety.02", "safety", "电瓶车、起火", "电瓶;起火;充电", 12),   # new
    ], base=200)
    return a, b


def test_term_overlap_is_shared_terms_over_the_shorter_list():
    assert term_overlap(("抽成", "单价", "配送费", "降价"), ("抽成", "降价", "单价", "平台")) == 0.75
    assert term_overlap(("高温",), ("高温", "中暑")) == 1.0
    assert term_overlap((), ("高温",)) == 0.0


def test_compare_runs_matches_renumbered_concerns_and_classifies_changes(two_runs):
    out = compare_runs(*two_runs)
    got = {(r.concern_a, r.concern_b): (r.status, round(r.change, 4)) for r in out.itertuples()}
    assert got == {
        ("pay.01", "pay.02"): ("grew", 0.10),          # 20% → 30%
        ("pay.02", "pay.01"): ("shrank", -0.06),       # 10% → 4%
        ("safety.02", "safety.01"): ("stable", 0.01),  # 8% → 9%
        ("safety.01", ""): ("disappeared", -0.05),
        ("", "safety.02"): ("appeared", 0.06),
    }
    assert list(out["status"]) == ["appeared", "grew", "shrank", "disappeared", "stable"]


def test_compare_runs_never_matches_across_themes(two_runs, tmp_path):
    a, _ = two_runs
    c = _run(tmp_path / "c", [("safety.01", "safety", "抽成", "抽成;单价;配送费;降价", 20)], 100)
    statuses = set(compare_runs(a, c)["status"])
    assert "grew" not in statuses and "appeared" in statuses


def test_compare_rejects_a_folder_that_is_not_a_run(tmp_path):
    with pytest.raises(VoiceminerError, match="not a voiceminer run folder.*concerns.csv"):
        compare_runs(tmp_path, tmp_path)


def test_cli_compare_prints_table_and_fills_the_report_slot(two_runs, tmp_path):
    a, b = two_runs
    (b / "index.html").write_text(f"<main>{MARK_START}{MARK_END}</main>", encoding="utf-8")
    out_csv = tmp_path / "cmp.csv"
    res = CliRunner().invoke(app, ["compare", str(a), str(b), "--csv", str(out_csv)],
                             terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "新出现" in res.output and "上升" in res.output and "+10.0" in res.output
    assert "高温、中暑" not in res.output and "1 more concerns stayed within ±2 points" in res.output
    html = (b / "index.html").read_text(encoding="utf-8")
    assert 'id="comparison-table"' in html and "电瓶车、起火" in html
    assert html.count(MARK_START) == 1
    # comparing again replaces the section instead of adding a second one
    assert CliRunner().invoke(app, ["compare", str(a), str(b)]).exit_code == 0
    assert (b / "index.html").read_text(encoding="utf-8").count('id="comparison-table"') == 1
    assert len(pd.read_csv(out_csv)) == 5


def test_cli_compare_missing_folder_exits_2(tmp_path):
    res = CliRunner().invoke(app, ["compare", str(tmp_path / "x"), str(tmp_path / "y")])
    assert res.exit_code == 2
