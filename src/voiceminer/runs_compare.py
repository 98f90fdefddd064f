"""Comparing two run folders: which concerns grew, shrank, appeared or disappeared.

Two survey waves (or last year's interviews and this year's) are analysed separately, so concern
ids such as ``pay.03`` mean different clusters in each run. Concerns are therefore matched inside
the same theme by how many of their top terms they share, and compared by the share of all
respondents (national, all groups) who raised them, which stays comparable when the waves differ
in size.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import pandas as pd

from .compare import ALL_GROUPS
from .errors import VoiceminerError
from .report.model import NATIONAL

STATUS_LABELS: Final = {"appeared": "新出现", "grew": "上升", "shrank": "下降",
                        "disappeared": "消失", "stable": "基本持平"}
COMPARISON_COLUMNS: Final = ("theme", "theme_label", "concern_a", "concern_b", "label_a", "label_b",
                             "top_terms", "respondents_a", "respondents_b", "share_a", "share_b",
                             "change", "overlap", "status")
MARK_START: Final = "<!--voiceminer:comparison-->"
MARK_END: Final = "<!--/voiceminer:comparison-->"


def read_run(folder: str | Path) -> pd.DataFrame:
    """One row per concern of a run folder: theme, label, top terms, respondents and share (全国)."""
    folder = Path(folder)
    needed = [folder / "concerns.csv", folder / "prevalence.csv"]
    missing = [p.name for p in needed if not p.is_file()]
    if missing:
        raise VoiceminerError(f"{folder} is not a voiceminer run folder (no {', '.join(missing)}); "
                              f"pass a folder written by 'voiceminer analyze --out'.")
    concerns = pd.read_csv(needed[0], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    prev = pd.read_csv(needed[1], dtype={"respondents": int, "base": int, "share": float},
                       keep_default_na=False, encoding="utf-8-sig")
    national = prev.loc[(prev["province"] == NATIONAL) & (prev["group"] == ALL_GROUPS)]
    shares = national.loc[national["level"] == "concern"].set_index("key")
    theme_labels = dict(zip(national.loc[national["level"] == "theme", "key"],
                            national.loc[national["level"] == "theme", "label"]))
    out = pd.DataFrame({
        "concern_id": concerns["concern_id"],
        "theme": concerns["theme"],
        "theme_label": concerns["theme"].map(lambda t: theme_labels.get(t, t)),
        "label": concerns["label"],
        "top_terms": concerns["top_terms"].map(lambda s: tuple(t for t in s.split(";") if t)),
    })
    out["respondents"] = out["concern_id"].map(shares["respondents"]).fillna(0).astype(int)
    out["share"] = out["concern_id"].map(shares["share"]).fillna(0.0).astype(float)
    return out.sort_values("concern_id", kind="mergesort").reset_index(drop=True)


def term_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Shared top terms over the shorter list (1.0 when one list contains the other)."""
    if not a or not b:
        return 0.0
    return len(set(a) & set(b)) / min(len(set(a)), len(set(b)))


def match_concerns(a: pd.DataFrame, b: pd.DataFrame, *, min_overlap: float = 0.25
                   ) -> list[tuple[int | None, int | None, float]]:
    """Pairs of row positions (a, b, overlap); unmatched rows pair with ``None``.

    Greedy within each theme: the pair sharing the most top terms is matched first, each concern
    at most once; ties break on concern ids so the result is deterministic.
    """
    pairs: list[tuple[int | None, int | None, float]] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    candidates = []
    for i, ra in enumerate(a.itertuples(index=False)):
        for j, rb in enumerate(b.itertuples(index=False)):
            if ra.theme == rb.theme:
                score = term_overlap(ra.top_terms, rb.top_terms)
                if score >= min_overlap:
                    candidates.append((-score, ra.concern_id, rb.concern_id, i, j))
    for neg, _ida, _idb, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, -neg))
    pairs += [(i, None, 0.0) for i in range(len(a)) if i not in used_a]
    pairs += [(None, j, 0.0) for j in range(len(b)) if j not in used_b]
    return pairs


def compare_runs(run_a: str | Path, run_b: str | Path, *, min_overlap: float = 0.25,
                 min_change: float = 0.02) -> pd.DataFrame:
    """How each concern changed from ``run_a`` (earlier) to ``run_b`` (later).

    ``change`` is in shares (0.05 = 5 percentage points) of all respondents; a matched concern
    grew or shrank when it moved by at least ``min_change``, else it is ``stable``. Rows come
    appeared, grew, shrank, disappeared, stable, each by the size of the change.
    """
    a, b = read_run(run_a), read_run(run_b)
    rows = []
    for i, j, overlap in match_concerns(a, b, min_overlap=min_overlap):
        ra = a.iloc[i] if i is not None else None
        rb = b.iloc[j] if j is not None else None
        share_a = float(ra["share"]) if ra is not None else 0.0
        share_b = float(rb["share"]) if rb is not None else 0.0
        change = round(share_b - share_a, 6)
        if ra is None:
            status = "appeared"
        elif rb is None:
            status = "disappeared"
        elif change >= min_change:
            status = "grew"
        elif change <= -min_change:
            status = "shrank"
        else:
            status = "stable"
        ref = rb if rb is not None else ra
        rows.append({
            "theme": ref["theme"], "theme_label": ref["theme_label"],
            "concern_a": ra["concern_id"] if ra is not None else "",
            "concern_b": rb["concern_id"] if rb is not None else "",
            "label_a": ra["label"] if ra is not None else "",
            "label_b": rb["label"] if rb is not None else "",
            "top_terms": "、".join(ref["top_terms"][:5]),
            "respondents_a": int(ra["respondents"]) if ra is not None else 0,
            "respondents_b": int(rb["respondents"]) if rb is not None else 0,
            "share_a": share_a, "share_b": share_b, "change": change,
            "overlap": round(overlap, 4), "status": status,
        })
    out = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    order = {s: k for k, s in enumerate(STATUS_LABELS)}
    out["_o"] = out["status"].map(order)
    out["_c"] = -out["change"].abs()
    out["_id"] = out["concern_b"].where(out["concern_b"] != "", out["concern_a"])
    out = out.sort_values(["_o", "_c", "_id"], kind="mergesort").drop(columns=["_o", "_c", "_id"])
    return out.reset_index(drop=True)


def display_rows(comparison: pd.DataFrame) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Chinese header and text rows, shared by the terminal table and the HTML report."""
    from .report.writers._content import format_pct

    header = ("主题", "问题", "关键词", "上一轮", "本轮", "变化（百分点）", "状态")
    rows = []
    for r in comparison.itertuples(index=False):
        label = r.label_b or r.label_a
        if r.label_a and r.label_b and r.label_a != r.label_b:
            label = f"{r.label_b}（原：{r.label_a}）"
        rows.append((r.theme_label, label, r.top_terms,
                     format_pct(r.share_a) if r.concern_a else "—",
                     format_pct(r.share_b) if r.concern_b else "—",
                     f"{r.change * 100:+.1f}", STATUS_LABELS[r.status]))
    return header, rows


def write_into_report(comparison: pd.DataFrame, run_b: str | Path) -> Path:
    """Put the comparison into ``run_b/index.html`` (replacing an earlier one) and return it.

    The overview page carries a marked slot for it, so comparing again replaces the section.
    """
    from .report.html import comparison_section
    from .report.writers._atomic import atomic_path

    index = Path(run_b) / "index.html"
    if not index.is_file():
        raise VoiceminerError(f"{index} does not exist; run 'voiceminer analyze' (which writes "
                              f"the HTML report) for this folder first.")
    text = index.read_text(encoding="utf-8")
    block = MARK_START + comparison_section(comparison) + MARK_END
    pattern = re.compile(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), re.S)
    if not pattern.search(text):
        raise VoiceminerError(f"{index} has no slot for a comparison (written by an older "
                              f"voiceminer); run 'voiceminer analyze' again for this folder.")
    with atomic_path(index) as tmp:
        tmp.write_bytes(pattern.sub(lambda _m: block, text, count=1).encode("utf-8"))
    return index
