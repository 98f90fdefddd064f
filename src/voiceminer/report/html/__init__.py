"""The HTML report: ``index.html`` (all provinces) plus ``provinces/<省>.html``, fully offline.

Researchers and report writers open it in a browser to see where a theme is strong, which worker
groups raise a concern, and to search the quotes behind every number. It reads the same
IssueLists as the other writers (quotes already redacted) plus the prevalence table for the
province × theme heatmap, so it cannot disagree with the Word or Excel files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ...schema import UNKNOWN
from ..model import NATIONAL, IssueList, ThemeSection
from ..writers import _content as c
from ..writers._atomic import atomic_path
from .page import QuoteRow, page, quote_list, section, table
from .svg import BarItem, Cell, group_bars, heatmap, ordered_groups

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["render_index", "render_province", "write_html_report"]

INDEX: str = "index.html"
TOP_CONCERNS_INDEX = 15  # concerns drawn on the overview; the province pages draw all of theirs
KEY_TERMS = 8


def write_html_report(issue_lists: Mapping[str, IssueList], prevalence: pd.DataFrame,
                      out: str | Path, *, stem: Callable[[str], str] = str,
                      comparison: pd.DataFrame | None = None) -> list[Path]:
    """Write ``out/index.html`` and ``out/provinces/<stem(province)>.html``; return the paths.

    ``comparison`` (from :func:`voiceminer.runs_compare.compare_runs`) adds a section on what
    changed since an earlier run.
    """
    out = Path(out)
    written = []
    for province, issues in issue_lists.items():
        if province == NATIONAL:
            continue
        path = out / "provinces" / f"{stem(province)}.html"
        written.append(_write(path, render_province(issues)))
    written.append(_write(out / INDEX, render_index(issue_lists, prevalence, stem=stem,
                                                    comparison=comparison)))
    return written


def _write(path: Path, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(text.encode("utf-8"))
    return path


def render_index(issue_lists: Mapping[str, IssueList], prevalence: pd.DataFrame, *,
                 stem: Callable[[str], str] = str, comparison: pd.DataFrame | None = None) -> str:
    """The overview page: province links, province × theme heatmap, national concerns, keyness,
    an optional comparison with an earlier run, and every national quote."""
    national = issue_lists.get(NATIONAL)
    provinces = sorted((p for p in issue_lists if p != NATIONAL),
                       key=lambda p: (p == UNKNOWN, -issue_lists[p].respondents_total, p))
    links = {p: f"provinces/{stem(p)}.html" for p in provinces}
    nav = "".join(f'<a href="{escape(links[p])}">{escape(p)}（{issue_lists[p].respondents_total} 人）</a>'
                  for p in provinces)
    body = [section("各省报告", f'<nav class="provinces">{nav}</nav>')]
    themes = c.ordered_themes(national) if national else []
    body.append(section(
        "各省主题提及率", heatmap(provinces, [t.label for t in themes],
                              _province_cells(prevalence, provinces, themes),
                              row_links=links, caption="各省 × 主题提及率（占受访者）",
                              chart_id="province-theme-heatmap"),
        section_id="heatmap",
        note="每格为该省提及此主题的受访者占该省受访者的比例；颜色越深比例越高。点击省名查看分省报告。"
             + c.prompted_note(themes)))
    if national:
        concerns = sorted(((t, k) for t in themes for k in t.concerns),
                          key=lambda tk: (-tk[1].respondents, tk[1].concern_id))
        body.append(_bars_section(national, concerns[:TOP_CONCERNS_INDEX],
                                  f"全国提及最多的 {min(TOP_CONCERNS_INDEX, len(concerns))} 个问题（按群体）"))
    body.append(section("各省特征词", _keyness_overview(issue_lists, provinces),
                        section_id="keyness",
                        note="各省相对其他地区明显多用的词（对数优势比，z 值越大越突出），括号内为出现条数。"))
    # a marked slot, so ``voiceminer compare`` can put a comparison in later
    from ...runs_compare import MARK_END, MARK_START

    body.append(MARK_START + (comparison_section(comparison) if comparison is not None else "")
                + MARK_END)
    if national:
        body.append(_quotes_section(national))
    subtitle = (c.basis_line(national, "全国清单中") + " " + c.meta_line(national.meta)
                if national else "")
    return page(c.title(national) if national else "新就业形态劳动者反映问题", "".join(body),
                subtitle=subtitle)


def render_province(issues: IssueList) -> str:
    """One province: theme × group heatmap, concern bars by group, issue list, keyness, quotes."""
    themes = c.ordered_themes(issues)
    groups = ordered_groups(issues.respondents_by_group)
    cols = ["全部", *groups]
    cells = {}
    for t in themes:
        cells[(t.label, "全部")] = Cell(t.share, c.format_pct(t.share),
                                      f"{t.label}：{t.respondents} 人，占全部受访者 {c.format_pct(t.share)}")
        for g in groups:  # a group of the province not in t.groups had nobody raising it
            cells[(t.label, g)] = Cell(0.0, "0%", f"{t.label} · {g}：0 人")
        for g in t.groups:
            cells[(t.label, g.group)] = Cell(
                g.share, c.format_pct(g.share),
                f"{t.label} · {g.group}：{g.respondents} 人，占该群体 {c.format_pct(g.share)}")
    body = []
    if line := c.group_line(issues):
        body.append(f'<p>{escape(line)}</p>')
    body.append(section("主题 × 群体提及率", heatmap(
        [t.label for t in themes], cols, cells, caption=f"{issues.province}：主题 × 群体提及率",
        chart_id="theme-group-heatmap"), section_id="heatmap",
        note="每格为该群体中提及此主题的受访者比例；“全部”为全省受访者。"))
    concerns = [(t, k) for t in themes for k in t.concerns]
    body.append(_bars_section(issues, concerns, "各问题的群体分布"))
    body.append(section("问题清单", _issue_outline(issues), section_id="issues"))
    if issues.keyness:
        rows = [(k.term, f"{k.z:.2f}", k.count) for k in issues.keyness]
        body.append(section(c.keyness_heading(issues),
                            table(("词", "z 值", "出现条数"), rows, col_classes=("", "num", "num"),
                                  table_id="keyness-table"), section_id="keyness"))
    elif c.shows_keyness(issues):
        body.append(section(c.keyness_heading(issues), f"<p>{escape(c.NO_KEYNESS)}</p>",
                            section_id="keyness"))
    body.append(_quotes_section(issues))
    body.append(f'<p class="note">{escape(c.METHOD_NOTE)}</p>')
    subtitle = " ".join(x for x in (*c.basis_lines(issues), c.meta_line(issues.meta)) if x)
    return page(c.title(issues), "".join(body), subtitle=subtitle, home="../" + INDEX)


def _province_cells(prevalence: pd.DataFrame, provinces: list[str], themes: list[ThemeSection]
                    ) -> dict[tuple[str, str], Cell]:
    from ...compare import ALL_GROUPS

    labels = {t.theme_id: t.label for t in themes}
    cells = {}
    if prevalence is None or prevalence.empty:
        return cells
    for p in provinces:  # a province without a row for a theme had nobody raising it
        for label in labels.values():
            cells[(p, label)] = Cell(0.0, "0%", f"{p} · {label}：0 人")
    rows = prevalence.loc[(prevalence["group"] == ALL_GROUPS) & (prevalence["level"] == "theme")]
    for r in rows.itertuples(index=False):
        if r.province in provinces and r.key in labels:
            share = float(r.share)
            cells[(r.province, labels[r.key])] = Cell(
                share, c.format_pct(share),
                f"{r.province} · {labels[r.key]}：{int(r.respondents)} / {int(r.base)} 人（{c.format_pct(share)}）")
    return cells


def _bars_section(issues: IssueList, concerns, heading: str) -> str:
    groups = ordered_groups([g for g in issues.respondents_by_group if g != UNKNOWN])
    items = [BarItem(label=f"{k.label}（{c.format_pct(k.share)}）", share=k.share,
                     groups=tuple((g.group, g.share, g.respondents) for g in k.groups),
                     anchor=f"#c-{k.concern_id}") for _t, k in concerns]
    if not items:
        return section(heading, "<p>（没有发现反复出现的问题。）</p>", section_id="concerns")
    return section(heading, '<div class="scroll">' + group_bars(
        items, groups, caption=heading, chart_id="concern-bars") + "</div>",
        section_id="concerns", note="每个问题下的细条为各群体中提及它的受访者比例，括号内为全部受访者中的比例。")


def _issue_outline(issues: IssueList) -> str:
    parts = []
    for numeral, theme in c.numbered_themes(issues):
        items = "".join(
            f'<li id="c-{escape(k.concern_id)}">{n}. {escape(c.concern_text(k, issues))}'
            f'<span class="note"> {escape(c.terms_line(k))}</span></li>'
            for n, k in enumerate(theme.concerns, start=1))
        parts.append(f"<h3>{escape(c.theme_heading(numeral, theme))}</h3>"
                     f'<ol class="concerns" style="list-style:none;padding-left:1em">{items}</ol>')
    return "".join(parts) or "<p>（本次材料中没有发现反复出现的问题。）</p>"


def _keyness_overview(issue_lists: Mapping[str, IssueList], provinces) -> str:
    rows = [(p, "、".join(f"{k.term}（{k.count}）" for k in issue_lists[p].keyness[:KEY_TERMS]))
            for p in provinces if issue_lists[p].keyness]
    if not rows:
        return "<p>（只有一个地区，或没有明显的地区特征词。）</p>"
    return table(("省份", "特征词（出现条数）"), rows, table_id="keyness-table")


def _quotes_section(issues: IssueList) -> str:
    rows, themes = [], []
    for theme in c.ordered_themes(issues):
        if theme.concerns:
            themes.append((theme.theme_id, theme.label))
        for k in theme.concerns:
            rows += [QuoteRow(q.text, q.origin, q.province, q.group, q.source, theme.theme_id,
                              theme.label, k.label) for q in k.quotes]
    groups = ordered_groups([r.group for r in rows])
    return section(f"代表性引语（{len(rows)} 条）",
                   quote_list(rows, themes=themes, groups=groups, source_label=c.source_label),
                   section_id="quotes",
                   note="输入关键词或选择主题、群体即可筛选；每条引语后为出处（文件:行号 或 文件:工作表:行）。")


def comparison_section(comparison: pd.DataFrame) -> str:
    """What changed between two runs, as a table (see ``voiceminer.runs_compare``)."""
    from ...runs_compare import STATUS_LABELS, display_rows

    header, rows = display_rows(comparison)
    statuses = [str(s) for s in comparison["status"]]
    counts = "；".join(f"{STATUS_LABELS[s]} {statuses.count(s)} 个" for s in STATUS_LABELS
                      if statuses.count(s))
    return section("与上一轮比较", table(header, rows, row_classes=statuses,
                                    col_classes=("", "", "", "num", "num", "num", "status"),
                                    table_id="comparison-table"),
                   section_id="comparison", note=counts)
