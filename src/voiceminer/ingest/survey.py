"""Read questionnaire exports (.xlsx/.xlsm/.csv): one record per open-answer cell.

Each questionnaire row is one respondent (``doc_id`` = file:row). Empty open cells are kept as
``empty`` records so the ledger shows how many respondents skipped each open question.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import InputFileError
from ..schema import RESPONDENT, UNKNOWN
from .groups import group_from_path, normalize_group
from .provinces import normalize_province, province_from_ip, province_from_path
from .records import Record, error_detail, file_record, known
from .survey_columns import classify, find_header_row, unique_headers
from .tables import Sheet, load_csv, load_xlsx

SURVEY_EXTENSIONS = (".xlsx", ".xlsm")


def read_survey(path: Path, relpath: str, *, text_cols: Sequence[str] | None = None,
                sheets: list[Sheet] | None = None) -> list[Record]:
    """Records for every open-answer cell of every respondent row, or one file-level skip record.

    ``sheets`` lets the dispatcher pass a CSV it already loaded to decide survey vs forum.
    """
    if sheets is None:
        try:
            sheets = [load_csv(path)] if path.suffix.lower() == ".csv" else load_xlsx(path)
        except InputFileError as exc:
            return [file_record(relpath, "unreadable_file", error_detail(exc, relpath),
                                source="survey")]
    filled = [s for s in sheets if s.rows]
    if not filled:
        return [file_record(relpath, "empty_file", "the file has no filled cells — check that "
                            "the export finished, then export it again", source="survey")]
    is_csv = path.suffix.lower() == ".csv"
    records: list[Record] = []
    columns_seen: list[str] = []
    for sheet in filled:
        sheet_records, headers = _read_sheet(sheet, relpath, is_csv=is_csv,
                                             name_sheet=len(filled) > 1, text_cols=text_cols)
        records.extend(sheet_records)
        columns_seen.extend(h for h in headers if h not in columns_seen)
    if records:
        return records
    return [file_record(relpath, "unreadable_file", _no_text_detail(columns_seen, text_cols),
                        source="survey")]


def _read_sheet(sheet: Sheet, relpath: str, *, is_csv: bool, name_sheet: bool,
                text_cols: Sequence[str] | None) -> tuple[list[Record], list[str]]:
    """Records of one sheet and its headers (headers are used to explain a miss)."""
    at = find_header_row(sheet.rows)
    width = max(len(cells) for _, cells in sheet.rows)
    if _is_data_row(sheet.rows[at][1]):  # no header row: the first respondent must not vanish
        headers, body = unique_headers([], width), sheet.rows[at:]
    else:
        headers, body = unique_headers(sheet.rows[at][1], width), sheet.rows[at + 1:]
    cols = classify(headers, [cells for _, cells in body], text_cols)
    if not cols.text:
        return [], headers
    path_province = province_from_path(relpath)
    path_group = group_from_path(relpath)
    records: list[Record] = []
    for number, cells in body:
        def cell(j: int | None) -> str:
            return cells[j] if j is not None and j < len(cells) else ""

        origin = f"{relpath}:{sheet.name}:{number}" if not is_csv else f"{relpath}:{number}"
        doc_id = f"{relpath}:{sheet.name}:{number}" if name_sheet else f"{relpath}:{number}"
        province = known(normalize_province(cell(cols.province)),
                         province_from_ip(cell(cols.ip)) if cell(cols.ip) else UNKNOWN,
                         path_province)
        group = known(normalize_group(cell(cols.group)) if cell(cols.group) else UNKNOWN,
                      path_group)
        for j in cols.text:
            text = cell(j)
            records.append(Record(
                doc_id=doc_id, respondent_id=doc_id, source="survey", province=province,
                group=group, origin=origin, speaker=RESPONDENT, question=headers[j], text=text,
                skip_reason="" if text else "empty",
                skip_detail="" if text else f"{origin}: no answer to “{headers[j]}”",
            ))
    return records, headers


def _is_data_row(cells: list[str]) -> bool:
    """A would-be header row that is really an answer row: a bare serial number first, and a
    long cell that asks nothing (headers are short or questions: "您对平台有什么意见？")."""
    return (bool(cells) and cells[0].isdigit()
            and any(len(c) >= 12 and not any(q in c for q in "？?、") for c in cells[1:]))


def _no_text_detail(headers: list[str], text_cols: Sequence[str] | None) -> str:
    """Why no open-answer column was used, listing the columns so the user can pick one."""
    shown = "、".join(f"“{h}”" for h in headers[:12]) + ("…" if len(headers) > 12 else "")
    if text_cols:
        asked = "、".join(map(str, text_cols))
        return (f"no column matches --text-col {asked}; the columns are {shown} — pass the "
                f"question number or header text of an open question with --text-col")
    return (f"no open-answer column found (columns: {shown}) — name the open questions with "
            f"--text-col, e.g. --text-col 12 for “12、…”")
