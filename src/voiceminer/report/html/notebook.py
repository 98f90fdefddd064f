"""How an ``Analysis`` shows itself in Jupyter: counts, the top themes and where to look next.

A researcher's first question after ``vm.analyze`` is "did it read what I gave it, and what came
out?"; a one-line repr answers neither, a wall of DataFrames answers too much.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ..model import NATIONAL
from ..writers._content import format_pct, ordered_themes

if TYPE_CHECKING:
    from ...pipeline import Analysis

TOP_THEMES = 8


def analysis_html(analysis: Analysis) -> str:
    """Two small tables (run counts; top themes nationally) and the attribute names to use."""
    s = analysis.summary()
    skipped = ", ".join(f"{k} {v}" for k, v in s["skipped"].items()) or "0"
    counts = [("records 记录", s["records"]), ("analysed 分析", s["analysed"]),
              ("skipped 跳过", skipped), ("coded 编码", s["coded"]),
              ("themes 主题", len(s["themes_found"])), ("concerns 问题", s["concerns"]),
              ("provinces 省份", f"{len(s['provinces'])}（{' '.join(s['provinces'])}）")]
    left = "".join(f"<tr><th style='text-align:left;white-space:nowrap'>{escape(k)}</th>"
                   f"<td style='text-align:left'>{escape(str(v))}</td></tr>" for k, v in counts)
    national = analysis.issue_lists.get(NATIONAL)
    rows = ""
    if national is not None:
        for t in ordered_themes(national)[:TOP_THEMES]:
            top = t.concerns[0].label if t.concerns else ""
            rows += (f"<tr><td style='text-align:left'>{escape(t.label)}</td>"
                     f"<td>{t.respondents}</td><td>{format_pct(t.share)}</td>"
                     f"<td style='text-align:left'>{escape(top)}</td></tr>")
    right = ("<table><thead><tr><th style='text-align:left'>主题（全国）</th><th>受访者</th>"
             "<th>提及比例</th><th style='text-align:left'>最常见的问题</th>"
             f"</tr></thead><tbody>{rows}</tbody></table>") if rows else ""
    hint = ("<code>.units</code> <code>.concerns</code> <code>.prevalence</code> "
            "<code>.keyness</code> <code>.ledger</code> <code>.issue_lists['云南']</code> · "
            "<code>vm.write_run(result, 'reports')</code>")
    return (f"<div><b>voiceminer Analysis</b><table>{left}</table>{right}"
            f"<div>{hint}</div></div>")
