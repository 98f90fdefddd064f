"""Excel workbook: the issue list as sortable, filterable tables plus the evidence behind it.

Sheets: 问题清单 (one row per concern), 代表性引语 (one row per quote), and, when given, 提及率
(the prevalence table) and 台账 (the ledger of every input record). Counts and shares stay
numbers so report writers can sort and sum; every text cell is neutralised against formula
injection because it may come straight from a forum post.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ...schema import SKIP_REASONS
from ..model import IssueList
from ..raised_by import lead_groups, lead_phrase, origin_phrase
from . import _content as c
from ._atomic import atomic_path
from .excel_cells import column_width, display_width, excel_cell, excel_column
from .xlsx_rows import splice_sheets

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

SHEET_NOTES: Final = "说明"
SHEET_ISSUES: Final = "问题清单"
SHEET_QUOTES: Final = "代表性引语"
SHEET_PREVALENCE: Final = "提及率"
SHEET_LEDGER: Final = "台账"
SHEET_CHARTS: Final = "图表"

ISSUE_COLUMNS: Final = ("主题内序号", "主题", "问题", "提及人数", "提及比例", "主动提及人数", "主动提及比例",
                        "肯定性评价人数", "提及比例最高的群体", "关键词", "来源说明", "concern_id")
QUOTE_COLUMNS: Final = ("concern_id", "问题", "引语", "所答问题", "来源", "省份", "群体",
                         "来源类型")
NOTE_COLUMNS: Final = ("项目", "内容")
# The chart sheet's last column: beside a share a question inflated, the share nobody asked for.
UNPROMPTED_COLUMN: Final = "未经提问主动提及"
NOT_LISTED_COLUMN: Final = "未归入任何问题的人数"  # ThemeSection.not_listed

# Chinese headers for the prevalence and ledger sheets (the CSV files keep the column names
# scripts use); a column not listed keeps its name.
SHEET_HEADERS: Final = {
    "province": "省份", "group": "群体", "level": "层级", "theme": "主题", "key": "编号",
    "label": "名称", "respondents": "提及人数", "base": "受访者数", "share": "提及比例",
    "unprompted": "主动提及人数", "unprompted_share": "主动提及比例", "unit_id": "单元编号",
    "doc_id": "文件或记录", "source": "来源类型", "origin": "来源", "speaker": "发言人",
    "status": "状态", "skip_reason": "跳过原因", "skip_detail": "说明",
}
# ... and their coded values in Chinese: the sheets are read by report writers, who had met
# interview / skipped / non_answer beside 访谈 in the quotes sheet (ledger.csv keeps the codes)
SHEET_VALUES: Final = {
    "source": c.SOURCE_LABELS,
    "speaker": {"respondent": "受访者", "interviewer": "访谈员"},
    "status": {"analysed": "已分析", "skipped": "未分析", "truncated": "（未列完）"},
    "skip_reason": SKIP_REASONS,
    "level": {"theme": "主题", "concern": "问题"},
}
PERCENT_FORMAT: Final = "0.0%"
# Columns worth wrapping (long free text); everything else is sized to fit on one line.
WRAP_COLUMNS: Final = frozenset({"问题", "引语", "关键词", "内容", "skip_detail", "text", "clean"})
# A float column in a given DataFrame is shown as a percentage if its name says it is a share.
_SHARE_NAME = re.compile(r"share|ratio|pct|percent|prop|比例|占比|提及率", re.IGNORECASE)
# Table sheets written through ``xlsx_rows`` after their first row; the XML is what openpyxl
# writes (tests switch this off to compare).
STREAM_TABLE_ROWS = True


def write_xlsx(
    issues: IssueList,
    path: Path,
    *,
    prevalence: pd.DataFrame | None = None,
    ledger: pd.DataFrame | None = None,
) -> Path:
    """Write the workbook atomically; same inputs → same bytes (fixed dates and ZIP times)."""
    from io import BytesIO
    from zipfile import ZIP_STORED, ZipFile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    stamp = c.run_datetime(issues.meta).replace(tzinfo=None)  # openpyxl wants naive UTC
    wb.properties.title = c.title(issues)
    wb.properties.creator = "voiceminer"
    wb.properties.lastModifiedBy = "voiceminer"
    wb.properties.created = stamp
    wb.properties.modified = stamp

    # every sheet a table: openpyxl writes its header and first row, xlsx_rows the rest
    deferred: dict[str, Any] = {}

    def defer(ws: Worksheet, rest: list[list[Any]]) -> None:
        if rest:  # openpyxl names sheets by position: sheet1.xml, sheet2.xml …
            deferred[f"xl/worksheets/sheet{wb.index(ws) + 1}.xml"] = _rest_writer(ws, rest)

    ws = wb.create_sheet(SHEET_NOTES)
    defer(ws, _write_rows(ws, NOTE_COLUMNS, _note_rows(issues)))
    ws = wb.create_sheet(SHEET_ISSUES)
    defer(ws, _write_rows(ws, ISSUE_COLUMNS, _issue_rows(issues),
                          percent_columns={"提及比例", "主动提及比例"}))
    ws = wb.create_sheet(SHEET_QUOTES)
    defer(ws, _write_rows(ws, QUOTE_COLUMNS, _quote_rows(issues)))
    ws = wb.create_sheet(SHEET_CHARTS)
    defer(ws, _write_charts(ws, issues))
    for name, frame in ((SHEET_PREVALENCE, prevalence), (SHEET_LEDGER, ledger)):
        if frame is not None:
            ws = wb.create_sheet(name)
            defer(ws, _write_frame(ws, _in_chinese(frame)))

    with atomic_path(path) as tmp:
        # ExcelWriter directly rather than wb.save(): save_workbook() overwrites the modified
        # date with "now", which would make every run's file different. It writes to memory,
        # uncompressed: splice_sheets compresses each member once, with fixed ZIP times.
        package = BytesIO()
        ExcelWriter(wb, ZipFile(package, "w", ZIP_STORED, allowZip64=True)).save()
        splice_sheets(tmp, deferred, package=package.getvalue())
    return path


def _in_chinese(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with Chinese headers (``SHEET_HEADERS``) and coded values (``SHEET_VALUES``);
    a value without a name stays as it is."""
    coded = [col for col in SHEET_VALUES if col in frame.columns]
    if coded:
        frame = frame.assign(**{col: frame[col].map(
            lambda v, names=SHEET_VALUES[col]: names.get(v, v) if isinstance(v, str) else v)
            for col in coded})
    return frame.rename(columns=SHEET_HEADERS)


def _rest_writer(ws: Worksheet, rest: list[list[Any]]):
    """The rows after row 2 of a table sheet (``rest``: its columns), written once openpyxl has
    written rows 1–2 (whose style ids the later rows share) — the same XML openpyxl writes,
    without a cell object per value: a 10,000-row ledger sheet took most of a province's
    workbook time."""
    from openpyxl.utils import get_column_letter

    from .xlsx_rows import RowWriter, row_styles

    n_cols = ws.max_column

    def make(sheet_xml: bytes):
        rows = RowWriter(ws, n_cols, 3, None, styles=row_styles(sheet_xml))
        rows.add_columns(rest)
        return rows, f"A1:{get_column_letter(n_cols)}{len(rest[0]) + 2}"

    return make


def _note_rows(issues: IssueList) -> list[list[Any]]:
    """What the Markdown and Word lists say around their lines: the basis, the caution of a
    small list, who the respondents are, how to read the figures, and the run. A workbook is
    often read alone; its issue sheet had shares without the base they rest on, and a list of
    57 respondents printed them like one of thousands."""
    rows = [["标题", c.title(issues)], ["依据", c.basis_line(issues, f"「{SHEET_ISSUES}」表中")],
            ["注意", c.small_base_line(issues)], ["省份", c.province_line(issues)],
            ["受访者构成", c.group_line(issues)]]
    method = c.METHOD_NOTE.removeprefix("说明：").removesuffix("。")
    rows += [["方法说明", part + "。"] for part in method.split("；")]
    rows.append(["生成信息", c.meta_line(issues.meta).removeprefix("生成信息：")])
    return [row for row in rows if row[1]]


def _issue_rows(issues: IssueList) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for _numeral, theme in c.numbered_themes(issues):
        for rank, concern in enumerate(theme.concerns, start=1):
            rows.append([
                rank,
                theme.label,
                concern.label,
                int(concern.respondents),
                float(concern.share),
                concern.unprompted,
                concern.unprompted_share,
                concern.approving,
                _lead_cell(concern),
                "、".join(concern.top_terms),
                origin_phrase(concern, issues) or None,
                concern.concern_id,
            ])
    return rows


def _lead_cell(concern) -> str | None:
    """The group(s) named in the line, else 多个群体均有提及 where the line says so (a blank cell
    had stood for both that and "too few people to say"), else nothing."""
    lead = lead_groups(concern.groups)
    if lead:
        return "、".join(lead)
    return lead_phrase(concern.groups) or None


def _quote_rows(issues: IssueList) -> list[list[Any]]:
    return [
        [concern.concern_id, concern.label, q.text, c.asked_before(q, limit=200), q.origin,
         q.province, q.group, c.source_label(q.source)]
        for _numeral, theme in c.numbered_themes(issues)
        for concern in theme.concerns
        for q in concern.quotes
    ]


def _write_charts(ws: Worksheet, issues: IssueList) -> list[list[Any]]:
    """Theme × group shares as a table, with two native Excel charts drawn from its cells.

    Native charts (not pictures) stay editable: a report writer can restyle them, and they
    redraw when a row is deleted, in Excel and in WPS. Returns the table's deferred rows
    (``_write_columns``).
    """
    from openpyxl.chart import BarChart, Reference

    themes = c.ordered_themes(issues)
    groups = [g for g, _n in c.group_counts(issues)]
    rows = [[t.label, float(t.share),
             *({g.group: float(g.share) for g in t.groups}.get(name, 0.0) for name in groups)]
            for t in themes]
    header = ["主题", "全部", *groups]
    if any(c.partly_prompted(t) for t in themes):  # after the groups: the charts read B..
        header.append(UNPROMPTED_COLUMN)
        for row, t in zip(rows, themes):
            row.append(t.unprompted_share)
    if any(t.not_listed for t in themes):  # a head count, so that lines and totals reconcile
        header.append(NOT_LISTED_COLUMN)
        for row, t in zip(rows, themes):
            row.append(t.not_listed)
    rest = _write_rows(ws, header, rows, percent_columns={"全部", UNPROMPTED_COLUMN, *groups})
    if not rows:
        return rest
    n = len(rows)
    cats = Reference(ws, min_col=1, min_row=2, max_row=n + 1)

    overall = BarChart()
    overall.type = "bar"  # horizontal bars read best with long Chinese labels
    overall.title = f"{issues.province}：各主题提及比例"
    overall.add_data(Reference(ws, min_col=2, min_row=1, max_row=n + 1), titles_from_data=True)
    overall.set_categories(cats)
    overall.y_axis.number_format = PERCENT_FORMAT
    overall.y_axis.title = "占受访者比例"
    overall.x_axis.scaling.orientation = "maxMin"  # most-raised theme on top, as in the table
    overall.legend = None
    overall.height, overall.width = 4 + 0.8 * n, 16
    # charts stacked under the table; a default row is about 0.53 cm high
    ws.add_chart(overall, f"A{n + 3}")
    below = n + 3 + math.ceil(overall.height / 0.53) + 2

    if groups:
        by_group = BarChart()
        by_group.type = "col"
        by_group.grouping = "clustered"
        by_group.title = "各群体提及比例"
        by_group.add_data(Reference(ws, min_col=3, max_col=2 + len(groups), min_row=1,
                                    max_row=n + 1), titles_from_data=True)
        by_group.set_categories(cats)
        by_group.y_axis.number_format = PERCENT_FORMAT
        by_group.height, by_group.width = 9, 24
        ws.add_chart(by_group, f"A{below}")
    for chart in (overall, *([by_group] if groups else [])):
        # openpyxl marks axes as deleted by default; recent Excel then draws no axis labels
        chart.x_axis.delete = False
        chart.y_axis.delete = False
    return rest


def _write_frame(ws: Worksheet, frame: pd.DataFrame) -> list[list[Any]]:
    """A DataFrame as given; a meaningful index (named, or not 0..n-1) becomes leading columns."""
    import pandas as pd

    df = frame
    if not (isinstance(df.index, pd.RangeIndex) and df.index.name is None
            and df.index.start == 0 and df.index.step == 1):
        df = df.reset_index()
    columns = [
        " / ".join(str(x) for x in col if str(x) != "") if isinstance(col, tuple) else str(col)
        for col in df.columns
    ]
    percent = {
        name for name, col in zip(columns, df.columns)
        if _SHARE_NAME.search(name) and pd.api.types.is_float_dtype(df[col].dtype)
        and df[col].dropna().between(0, 1).all()
    }
    # Python scalars (or pandas ones: Timestamp, NA) as iterating gives them, but without
    # iterating: a nullable column gives 1 where iteration gives np.int64(1), which _cell
    # turns into 1 all the same
    values = [df.iloc[:, k].tolist() for k in range(df.shape[1])]
    return _write_columns(ws, columns, values, percent_columns=percent, n_rows=len(df),
                          defer=STREAM_TABLE_ROWS)


def _write_rows(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
                percent_columns: Iterable[str] = ()) -> list[list[Any]]:
    """``_write_columns`` for a table given as rows (the issue, quote and chart sheets)."""
    rows = list(rows)
    columns = [list(col) for col in zip(*rows)] if rows else [[] for _ in header]
    return _write_columns(ws, header, columns, percent_columns=percent_columns,
                          n_rows=len(rows), defer=STREAM_TABLE_ROWS)


def _write_columns(
    ws: Worksheet,
    header: Sequence[str],
    columns: Sequence[Sequence[Any]],
    *,
    percent_columns: Iterable[str] = (),
    n_rows: int,
    defer: bool = False,
) -> list[list[Any]]:
    """Header (bold, frozen, filterable) then ``n_rows`` rows given as ``columns``; widths
    from the header and first rows. Values are converted a column at a time (``excel_column``).

    With ``defer``, rows after the first data row are not added to ``ws`` but returned (as
    columns of cell values), for ``xlsx_rows`` to write when the workbook is saved.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header = [str(h) for h in header]
    ws.append([excel_cell(h) for h in header])
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    cells = [excel_column(col) for col in columns]
    kept = 1 if defer and header else n_rows
    for row in zip(*(col[:kept] for col in cells)):
        ws.append(list(row))
    rest = [col[1:] for col in cells] if kept < n_rows else []
    widths = [max(display_width(h), column_width(col)) for h, col in zip(header, cells)]
    widths += [display_width(h) for h in header[len(widths):]]

    percent = {i for i, h in enumerate(header, start=1) if h in set(percent_columns)}
    wrap = {i for i, h in enumerate(header, start=1) if h in WRAP_COLUMNS}
    wrap_align = Alignment(wrap_text=True, vertical="top")
    # visit only the styled columns: a ledger sheet has 10,000 rows of mostly plain cells
    for col in sorted(percent | wrap):
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            if col in percent:
                cell.number_format = PERCENT_FORMAT
            else:
                cell.alignment = wrap_align

    for i, w in enumerate(widths, start=1):
        cap = 60 if i in wrap else 40
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), cap)
    ws.freeze_panes = "A2"
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n_rows + 1}"
    return rest
