"""Hand-written inline SVG charts: a share heatmap and bars split by worker group.

The HTML report must open offline from a shared drive or an e-mail attachment, so charts are
plain SVG written into the page: no chart library, no CDN, and the text stays selectable Chinese
in whatever CJK font the reader's system has. Every value is escaped; output is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

from ...schema import GROUPS
from ..writers._content import format_pct

# One colour per study group (colour-blind-safe Tableau 10); other groups share a grey.
GROUP_COLOURS: Final = {"货车司机": "#4e79a7", "网约车司机": "#f28e2b", "快递员": "#59a14f",
                        "外卖骑手": "#e15759"}
OTHER_COLOUR: Final = "#9c9c9c"
_LOW: Final = (247, 251, 255)  # heatmap colour at share 0
_HIGH: Final = (8, 69, 148)  # heatmap colour at the top of the scale


def group_colour(group: str) -> str:
    return GROUP_COLOURS.get(group, OTHER_COLOUR)


def heat_colour(share: float | None, top: float) -> str:
    """A blue from near-white (0) to dark (``top`` or more); empty cells are light grey."""
    if share is None:
        return "#eeeeee"
    t = 0.0 if top <= 0 else max(0.0, min(1.0, share / top))
    r, g, b = (round(lo + (hi - lo) * t) for lo, hi in zip(_LOW, _HIGH))
    return f"#{r:02x}{g:02x}{b:02x}"


def _width(text: str) -> float:
    """Approximate rendered width at 13px: CJK characters are square, Latin about half."""
    return sum(13.0 if ord(ch) > 0x2E80 else 7.2 for ch in text)


@dataclass(frozen=True)
class Cell:
    share: float | None
    label: str  # text shown in the cell, e.g. "45%"
    title: str  # tooltip


def heatmap(rows: Sequence[str], cols: Sequence[str], cells: Mapping[tuple[str, str], Cell], *,
            row_links: Mapping[str, str] | None = None, caption: str = "",
            chart_id: str = "heatmap") -> str:
    """Rows × columns of shaded cells with the share printed inside each one.

    Colour scales to the largest share on the chart, so a province whose top theme is 30% still
    shows contrast; the printed percent keeps the absolute value readable.
    """
    row_links = row_links or {}
    cw, ch = 64, 26
    left = max([_width(r) for r in rows] + [40]) + 12
    top = max([_width(c) for c in cols] + [40]) * 0.72 + 16
    # rotated column labels lean right: leave room for the last one
    width, height = left + cw * len(cols) + top * 1.2, top + ch * len(rows) + 4
    peak = max([c.share for c in cells.values() if c.share is not None] + [0.0])
    out = [f'<svg class="chart heatmap" id="{escape(chart_id)}" role="img" '
           f'xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" aria-label="{escape(caption)}">']
    if caption:
        out.append(f"<title>{escape(caption)}</title>")
    for j, col in enumerate(cols):
        x, y = left + cw * j + cw / 2, top - 8
        out.append(f'<text class="col" x="{x:.1f}" y="{y:.1f}" '
                   f'transform="rotate(-35 {x:.1f} {y:.1f})">{escape(col)}</text>')
    for i, row in enumerate(rows):
        y = top + ch * i
        label = f'<text class="row" x="{left - 8:.1f}" y="{y + ch / 2 + 4:.1f}">{escape(row)}</text>'
        if row in row_links:
            label = f'<a href="{escape(row_links[row])}">{label}</a>'
        out.append(label)
        for j, col in enumerate(cols):
            cell = cells.get((row, col), Cell(None, "", f"{row} × {col}：无"))
            fill = heat_colour(cell.share, peak)
            dark = cell.share is not None and peak > 0 and cell.share / peak > 0.55
            x = left + cw * j
            out.append(f'<g class="cell"><title>{escape(cell.title)}</title>'
                       f'<rect x="{x:.1f}" y="{y:.1f}" width="{cw - 2}" height="{ch - 2}" '
                       f'fill="{fill}"/><text x="{x + cw / 2 - 1:.1f}" y="{y + ch / 2 + 4:.1f}" '
                       f'class="{"v dark" if dark else "v"}">{escape(cell.label)}</text></g>')
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class BarItem:
    label: str
    share: float  # overall share, printed after the label
    groups: tuple[tuple[str, float, int], ...]  # (group, share of that group, respondents)
    anchor: str = ""  # link target inside the page, e.g. "#c-pay.01"


def group_bars(items: Sequence[BarItem], groups: Sequence[str], *, caption: str = "",
               chart_id: str = "concern-bars") -> str:
    """One block per concern: a thin bar per worker group, length = share of that group.

    Shares of groups (not head counts) are drawn because group sizes differ a lot between
    provinces; a group nobody in it raised gets a zero-length bar so rows stay aligned.
    """
    bar_h, gap, scale_w = 9, 12, 320
    left = max([_width(i.label) for i in items] + [60]) + 60
    legend_h = 26
    block = bar_h * len(groups) + gap
    width = left + scale_w + 60
    height = legend_h + block * len(items) + 4
    peak = max([s for i in items for _g, s, _n in i.groups] + [0.01])
    out = [f'<svg class="chart bars" id="{escape(chart_id)}" role="img" '
           f'xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" aria-label="{escape(caption)}">']
    if caption:
        out.append(f"<title>{escape(caption)}</title>")
    x = 0.0
    for g in groups:  # legend
        out.append(f'<rect x="{x:.1f}" y="6" width="12" height="12" fill="{group_colour(g)}"/>'
                   f'<text class="legend" x="{x + 16:.1f}" y="17">{escape(g)}</text>')
        x += _width(g) + 36
    for k, item in enumerate(items):
        y0 = legend_h + block * k
        label = (f'<text class="row" x="{left - 8:.1f}" y="{y0 + block / 2:.1f}">'
                 f'{escape(item.label)}</text>')
        if item.anchor:
            label = f'<a href="{escape(item.anchor)}">{label}</a>'
        out.append(label)
        share_of = {g: (s, n) for g, s, n in item.groups}
        for j, g in enumerate(groups):
            s, n = share_of.get(g, (0.0, 0))
            w = scale_w * s / peak
            y = y0 + bar_h * j
            out.append(f'<g class="bar"><title>{escape(item.label)} · {escape(g)}：'
                       f'{n} 人，占该群体 {format_pct(s)}</title><rect x="{left:.1f}" y="{y:.1f}" '
                       f'width="{w:.1f}" height="{bar_h - 1}" fill="{group_colour(g)}"/>'
                       f'<text class="small" x="{left + w + 4:.1f}" y="{y + bar_h - 1:.1f}">'
                       f'{format_pct(s)}</text></g>')
    out.append("</svg>")
    return "".join(out)


def ordered_groups(names: Sequence[str]) -> list[str]:
    """The four study groups first in their fixed order, then any others by name."""
    present = list(dict.fromkeys(names))
    return [g for g in GROUPS if g in present] + sorted(g for g in present if g not in GROUPS)
