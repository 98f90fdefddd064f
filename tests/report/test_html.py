"""The HTML report as text: what each page holds, escaping, and that it needs no network."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from voiceminer.report.html import render_index, render_province, write_html_report
from voiceminer.report.html.svg import heat_colour
from voiceminer.report.model import NATIONAL
from voiceminer.runs_compare import MARK_END, MARK_START

from .conftest import make_issues


def report_inputs():
    """云南 (the writer fixture), 广东 (same themes, pay at 20%) and the national list."""
    yn = make_issues()
    pay = next(t for t in yn.themes if t.theme_id == "pay")
    gd = replace(yn, province="广东", respondents_total=100,
                 themes=(replace(pay, share=0.2, respondents=20),))
    issue_lists = {"云南": yn, "广东": gd, NATIONAL: replace(yn, province=NATIONAL, keyness=())}
    prev = pd.DataFrame([
        ("云南", "全部", "theme", "pay", "pay", "工资收入", 135, 300, 0.45),
        ("广东", "全部", "theme", "pay", "pay", "工资收入", 20, 100, 0.2),
        ("云南", "外卖骑手", "theme", "pay", "pay", "工资收入", 60, 120, 0.5),
    ], columns=["province", "group", "level", "theme", "key", "label", "respondents", "base",
                "share"])
    return issue_lists, prev


def test_write_html_report_writes_index_and_one_page_per_province(tmp_path: Path):
    issue_lists, prev = report_inputs()
    paths = write_html_report(issue_lists, prev, tmp_path, stem=lambda p: f"p_{p}")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in paths) == [
        "index.html", "provinces/p_云南.html", "provinces/p_广东.html"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="provinces/p_云南.html"' in index


def test_index_heatmap_has_one_cell_per_province_and_theme():
    issue_lists, prev = report_inputs()
    html = render_index(issue_lists, prev)
    svg = re.search(r'<svg[^>]*id="province-theme-heatmap".*?</svg>', html, re.S).group(0)
    # rows ordered by respondents: 云南 (300) before 广东 (100); columns: 工资收入, 其他…
    assert svg.index(">云南<") < svg.index(">广东<")
    assert "<title>云南 · 工资收入：135 / 300 人（45%）</title>" in svg
    assert "<title>广东 · 工资收入：20 / 100 人（20%）</title>" in svg
    # the darkest cell is the largest share; a theme nobody in 广东 raised is 0%, lightest
    assert f'fill="{heat_colour(0.45, 0.45)}"' in svg
    assert '<title>广东 · 其他反复出现的问题：0 人</title><rect' in svg and 'fill="#f7fbff"' in svg


def test_province_page_holds_charts_keyness_and_quotes_with_origins():
    html = render_province(make_issues())
    assert 'id="theme-group-heatmap"' in html and 'id="concern-bars"' in html
    assert "<title>工资收入 · 外卖骑手：60 人，占该群体 50%</title>" in html
    assert '<td>抽成</td><td class="num">4.20</td><td class="num">35</td>' in html
    quotes = re.findall(r"<li data-theme=\"(\w+)\" data-group=\"([^\"]+)\"", html)
    assert len(quotes) == 4 and quotes[0] == ("pay", "外卖骑手")
    assert "云南/访谈/x.txt:12" in html
    assert 'href="../index.html"' in html


def test_pages_escape_text_and_use_nothing_from_the_network():
    issues = make_issues()
    pay = next(t for t in issues.themes if t.theme_id == "pay")
    evil = replace(pay.concerns[0], label='<script>alert("x")</script>')
    issues = replace(issues, themes=(replace(pay, concerns=(evil, *pay.concerns[1:])),))
    html = render_province(issues)
    assert '<script>alert("x")' not in html and "&lt;script&gt;alert(&quot;x&quot;)" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert html.count("<script>") == 1  # only the inline quote filter


def test_index_carries_a_slot_for_a_later_comparison():
    issue_lists, prev = report_inputs()
    html = render_index(issue_lists, prev)
    assert f"{MARK_START}{MARK_END}" in html


def test_same_inputs_give_the_same_bytes(tmp_path: Path):
    issue_lists, prev = report_inputs()
    write_html_report(issue_lists, prev, tmp_path / "a")
    write_html_report(issue_lists, prev, tmp_path / "b")
    for name in ("index.html", "provinces/云南.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("share,expected", [(None, "#eeeeee"), (0.0, "#f7fbff"), (0.5, "#084594"),
                                            (0.9, "#084594")], ids=["none", "zero", "top", "over"])
def test_heat_colour_scale(share, expected):
    assert heat_colour(share, 0.5) == expected


def test_analysis_shows_a_summary_table_in_jupyter():
    from voiceminer.pipeline import Analysis

    issue_lists, prev = report_inputs()
    units = pd.DataFrame({"skip_reason": ["", "", "non_answer"],
                          "themes": [["pay"], [], []]})
    result = Analysis(units, pd.DataFrame({"concern_id": ["pay.01", "pay.02"]}), prev,
                      pd.DataFrame(), issue_lists, codebook=None)
    html = result._repr_html_()
    assert "<th style='text-align:left;white-space:nowrap'>records 记录</th>" in html
    assert "<td style='text-align:left'>non_answer 1</td>" in html
    # top themes nationally, with the most raised concern of each
    assert "<td style='text-align:left'>工资收入</td><td>135</td><td>45%</td>" in html
    assert "平台抽成高、单价下降" in html


def test_index_says_where_the_statements_no_line_holds_are_not():
    """The index shows the top concerns only: its basis names the national list, not 下列."""
    issue_lists, prev = report_inputs()
    issue_lists[NATIONAL] = replace(issue_lists[NATIONAL], unplaced=7)
    html = render_index(issue_lists, prev)
    assert "其中 7 条未归入全国清单中任何一条问题" in html and "未归入下列" not in html
