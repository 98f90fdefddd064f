"""Read questionnaire exports (.xlsx/.xlsm/.csv): one record per open-answer cell.

Each questionnaire row is one respondent (``doc_id`` = file:row). Empty open cells are kept as
``empty`` records so the ledger shows how many respondents skipped each open question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputFileError
from ..schema import RESPONDENT, UNKNOWN
from .groups import group_from_path, normalize_group
from .provinces import normalize_province, province_from_ip, province_from_path
from .records import Record, error_detail, file_record, known
from .survey_columns import (
    Columns,
    classify,
    find_header_row,
    question_number,
    unique_headers,
)
from .tables import Sheet, load_csv, ragged_rows
from .workbooks import load_xlsx

SURVEY_EXTENSIONS = (".xlsx", ".xlsm")


def read_survey(path: Path, relpath: str, *, text_cols: Sequence[str] | None = None,
                sheets: list[Sheet] | None = None) -> list[Record]:
    """Records for every open-answer cell of every respondent row, or file-level skip records.

    ``sheets`` lets the dispatcher pass a CSV it already loaded to decide survey vs forum. A
    sheet that yields nothing (no open column, a header but no answers) gets one ledger row
    naming it, so a second sheet is never dropped without trace.
    """
    if sheets is None:
        try:
            sheets = [load_csv(path)] if path.suffix.lower() == ".csv" else load_xlsx(path)
        except InputFileError as exc:
            return [file_record(relpath, "unreadable_file", error_detail(exc, relpath),
                                source="survey")]
    filled = [s for s in sheets if s.rows or s.problems]
    if not filled:
        return [file_record(relpath, "empty_file", "the file has no filled cells — check that "
                            "the export finished, then export it again", source="survey")]
    is_csv = path.suffix.lower() == ".csv"
    name_sheet = len(filled) > 1
    records: list[Record] = []
    for sheet in filled:
        sheet_records, missing = _read_sheet(sheet, relpath, is_csv=is_csv,
                                             name_sheet=name_sheet, text_cols=text_cols)
        records.extend(sheet_records)
        if missing is not None:
            records.append(_sheet_record(relpath, sheet.name if name_sheet else "", *missing))
    return records


def _sheet_record(relpath: str, sheet_name: str, reason: str, detail: str) -> Record:
    """The ledger row for a sheet (or a one-sheet file) that yielded no answers."""
    if not sheet_name:
        return file_record(relpath, reason, detail, source="survey")
    where = f"{relpath}:{sheet_name}"
    return _skip_record(relpath, reason, f"{where}: {detail}", doc_id=where, origin=where)


def _skip_record(relpath: str, reason: str, detail: str, *, doc_id: str, origin: str) -> Record:
    """A skipped survey record for one row or sheet rather than the whole file."""
    return replace(file_record(relpath, reason, detail, source="survey"),
                   doc_id=doc_id, respondent_id=doc_id, origin=origin)


def _read_sheet(sheet: Sheet, relpath: str, *, is_csv: bool, name_sheet: bool,
                text_cols: Sequence[str] | None
                ) -> tuple[list[Record], tuple[str, str] | None]:
    """Records of one sheet and, when there is nothing to analyse, ``(reason, why)``."""
    where = _Where(relpath, sheet.name, is_csv=is_csv, name_sheet=name_sheet)
    problems = dict(sheet.problems)
    if not sheet.rows:
        return _problem_records(problems, where), None
    at = find_header_row(sheet.rows)
    problems.update(ragged_rows(sheet, at))
    if _is_data_row(sheet.rows[at][1]):  # no header row: the first respondent must not vanish
        header_cells, body = [], sheet.rows[at:]
    else:
        header_cells, body = sheet.rows[at][1], sheet.rows[at + 1:]
    body = [(n, cells) for n, cells in body if n not in problems]
    width = max(len(cells) for cells in [header_cells, *(c for _, c in body)])
    headers = unique_headers(header_cells, width)
    records = _problem_records(problems, where)
    if not body:
        return records, None if problems else ("empty_file", _no_rows_detail(headers))
    cols = classify(headers, [cells for _, cells in body], text_cols)
    if not cols.text:
        return records, ("unreadable_file", _no_text_detail(headers, text_cols))
    answers = _answer_records(sheet, body, headers, cols, where)
    return sorted(records + answers, key=lambda r: _row_of(r.origin)), None


@dataclass(frozen=True)
class _Where:
    """How rows of one sheet are named: ``origin`` for people, ``doc_id`` for respondents."""

    relpath: str
    sheet: str
    is_csv: bool
    name_sheet: bool

    def origin(self, number: int) -> str:
        """CSV rows are file lines; workbook rows also name their sheet."""
        sheet = "" if self.is_csv else f"{self.sheet}:"
        return f"{self.relpath}:{sheet}{number}"

    def doc_id(self, number: int) -> str:
        """The sheet is part of a respondent's id only when the workbook has several."""
        sheet = f"{self.sheet}:" if self.name_sheet else ""
        return f"{self.relpath}:{sheet}{number}"


def _answer_records(sheet: Sheet, body: list[tuple[int, list[str]]], headers: list[str],
                    cols: Columns, where: _Where) -> list[Record]:
    """One record per open-answer cell of each respondent row (empty cells ledgered)."""
    path_province = province_from_path(where.relpath)
    path_group = group_from_path(where.relpath)
    records: list[Record] = []
    for number, cells in body:
        def cell(j: int | None) -> str:
            return cells[j] if j is not None and j < len(cells) else ""

        origin, doc_id = where.origin(number), where.doc_id(number)
        province = known(normalize_province(cell(cols.province)),
                         province_from_ip(cell(cols.ip)) if cell(cols.ip) else UNKNOWN,
                         path_province)
        group = known(normalize_group(cell(cols.group)) if cell(cols.group) else UNKNOWN,
                      path_group)
        for j in cols.text:
            text = cell(j)
            reason, detail = "", ""
            if not text and (number, j) in sheet.uncached:
                reason = "unreadable_file"
                detail = (f"{origin}: “{headers[j]}” is a formula with no saved value — open "
                          f"and save the file in Excel/WPS, then run again")
            elif not text:
                reason, detail = "empty", f"{origin}: no answer to “{headers[j]}”"
            records.append(Record(
                doc_id=doc_id, respondent_id=doc_id, source="survey", province=province,
                group=group, origin=origin, speaker=RESPONDENT, question=headers[j], text=text,
                skip_reason=reason, skip_detail=detail,
            ))
    return records


def _problem_records(problems: dict[int, str], where: _Where) -> list[Record]:
    """A skipped record per row that could not be split into the header's columns."""
    records = []
    for number, problem in sorted(problems.items()):
        origin = where.origin(number)
        records.append(_skip_record(where.relpath, "unreadable_file", f"{origin}: {problem}",
                                    doc_id=where.doc_id(number), origin=origin))
    return records


def _row_of(origin: str) -> int:
    """The row number at the end of an ``origin`` ("f.csv:12", "f.xlsx:Sheet1:12")."""
    tail = origin.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


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
    number = next((n for n in map(question_number, headers) if n), "12")
    return (f"no open-answer column found (columns: {shown}) — if it holds open answers, name "
            f"them with --text-col, e.g. --text-col {number} for “{number}、…”")


def _no_rows_detail(headers: list[str]) -> str:
    """A header with nothing below it: the export stopped early or the filter kept no one."""
    shown = "、".join(f"“{h}”" for h in headers[:12]) + ("…" if len(headers) > 12 else "")
    return (f"there is a header row ({shown}) but no answers below it — check that the export "
            f"finished and that no filter hid the respondents, then export it again")
