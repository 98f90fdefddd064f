"""Big tables are redacted and written in slices: the files are those of one pass."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from voiceminer import output, table_files
from voiceminer.privacy import NameList, Redactor, freeze_names, redact_frame

from .conftest import make_units

ROWS = [
    {"text": "受访者：王建国，电话13812345678，运费太低", "province": "云南"},
    {"text": "=HYPERLINK(\"x\") 平台罚款", "province": "上海"},
    {"text": "无", "skip_reason": "non_answer"},
    {"text": "王建国说超时罚款", "province": "上海", "speaker": None},
    {"text": "车牌粤B12345被扣", "province": "广东"},
]


@pytest.fixture
def units():
    u = make_units(ROWS)
    u["clean"] = u["text"]
    u["tokens"] = [["受访者", "王建国", "电话", "13812345678"], ["平台", "罚款"], [],
                   ["王建国", "超时"], ["车牌", "粤B12345", "12345"]]
    u["themes"] = [["pay"], ["platform_rules"], [], ["platform_rules"], []]
    u["evidence"] = [["pay:运费"], ["platform_rules:罚款"], [], ["platform_rules:超时"], []]
    u["spans"] = [[("pay", 1, 3)], [("platform_rules", 0, 2)], [], [], []]
    u["concerns"] = [["pay.01"], [], [], [], []]
    u.attrs["personal_names"] = ["王建国（化名）"]
    return u


def test_name_list_is_shared_not_deep_copied(units):
    freeze_names(units)
    names = units.attrs["personal_names"]
    assert isinstance(names, NameList) and names == ["王建国（化名）"]
    assert copy.deepcopy(names) is names
    assert units[["text"]].attrs["personal_names"] is names  # pandas' attrs copy shares it


def test_csv_in_slices_equals_one_pass(units, tmp_path, monkeypatch):
    red = Redactor.for_units(units)
    one = table_files.write_table(units, tmp_path / "one.csv", redactor=red).read_bytes()
    monkeypatch.setattr(table_files, "CSV_CHUNK_ROWS", 2)
    sliced = table_files.write_table(units, tmp_path / "sliced.csv", redactor=red).read_bytes()
    assert sliced == one
    assert "13812345678" not in one.decode("utf-8-sig") and "王建国" not in one.decode("utf-8-sig")
    assert "'=HYPERLINK" in one.decode("utf-8-sig")


def test_units_files_redacted_once_per_slice(units, tmp_path, monkeypatch):
    units["question"] = pd.Series([None, None, None, "您的困难？", None], dtype=object)
    red = Redactor.for_units(units)
    monkeypatch.setattr(table_files, "CSV_CHUNK_ROWS", 2)
    csv_path, pq_path = output.write_units(units, tmp_path, redactor=red)
    expected = table_files.write_table(redact_frame(units, red), tmp_path / "x.csv").read_bytes()
    assert csv_path.read_bytes() == expected
    back = pd.read_parquet(pq_path)
    assert back.attrs == {}  # the header names found by the readers are not written
    whole = redact_frame(units, red)
    assert back["text"].tolist() == whole["text"].tolist()
    assert back["spans"].map(list).tolist() == [["pay:1:3"], ["platform_rules:0:2"], [], [], []]
    assert back["tokens"].map(list).tolist()[4] == ["车牌", "[车牌]"]  # "12345" dropped
    # a column missing in the first slice takes its type from a later one
    assert back["question"].tolist()[3] == "您的困难？" and pd.isna(back["question"].tolist()[0])


def test_parquet_of_one_slice_matches_to_parquet(units, tmp_path):
    path = table_files.write_parquet(units, tmp_path / "u.parquet")
    plain = units.copy()
    plain.attrs = {}
    plain["spans"] = plain["spans"].map(lambda spans: [f"{t}:{a}:{b}" for t, a, b in spans])
    plain.to_parquet(tmp_path / "p.parquet", index=False)
    assert path.read_bytes() == (tmp_path / "p.parquet").read_bytes()


def test_workbook_ledger_redacts_only_the_rows_kept(units):
    from voiceminer.schema import ledger

    red = Redactor.for_units(units)
    sheet = output.workbook_ledger(ledger(units), limit=3, redactor=red)
    assert len(sheet) == 4 and sheet["status"].iloc[-1] == "truncated"
    assert sheet["skip_detail"].iloc[-1] == "2 more records: see ledger.csv"
    pd.testing.assert_frame_equal(sheet.iloc[:3], redact_frame(ledger(units).iloc[:3], red))


def test_reports_written_in_parallel_equal_serial(tmp_path, monkeypatch):
    from voiceminer.report import parallel

    from .report.conftest import make_issues, make_ledger, make_prevalence

    issues = make_issues()
    lists = {p: issues for p in ("云南", "上海", "四川", "全国")}
    prevalence = make_prevalence().assign(province="云南")
    ledger = pd.concat([make_ledger()] * 3, ignore_index=True)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_JOBS", 1)
    serial = parallel.write_reports(lists, prevalence, ledger, tmp_path / "a",
                                    formats=("md", "xlsx", "json"), redactor=None,
                                    stem=str, n_jobs=1)
    forked = parallel.write_reports(lists, prevalence, ledger, tmp_path / "b",
                                    formats=("md", "xlsx", "json"), redactor=None,
                                    stem=str, n_jobs=2)
    assert [p.relative_to(tmp_path / "a") for p in serial] == \
        [p.relative_to(tmp_path / "b") for p in forked]
    for a, b in zip(serial, forked):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_streamed_table_sheets_equal_openpyxl(tmp_path, monkeypatch):
    from voiceminer.report.writers import excel

    from .report.conftest import make_issues, make_ledger

    ledger = pd.concat([make_ledger()] * 5, ignore_index=True)
    ledger.loc[3, "skip_detail"] = None
    prevalence = pd.DataFrame({"theme": ["pay", "rules", "x"], "share": [0.5, 0.25, None],
                               "n": [3, 2, 1]})
    streamed = excel.write_xlsx(make_issues(), tmp_path / "a.xlsx", prevalence=prevalence,
                                ledger=ledger).read_bytes()
    monkeypatch.setattr(excel, "STREAM_TABLE_ROWS", False)
    plain = excel.write_xlsx(make_issues(), tmp_path / "b.xlsx", prevalence=prevalence,
                             ledger=ledger).read_bytes()
    assert streamed == plain


def _write_named(folder, name: str, repeat: int):
    path = folder / name
    path.write_text(name * repeat, encoding="utf-8")
    return path


def test_file_jobs_return_paths_in_job_order(tmp_path, monkeypatch):
    """Jobs are handed out largest first, and the paths come back in the order of the jobs."""
    from voiceminer.report import parallel

    monkeypatch.setattr(parallel, "MIN_PARALLEL_JOBS", 1)
    jobs = [parallel.FileJob(_write_named, (tmp_path, f"{i}.txt", i + 1), cost=float(i))
            for i in range(5)]
    jobs.append(parallel.FileJob(lambda: [tmp_path / "0.txt", tmp_path / "1.txt"]))
    forked = parallel.run_jobs(jobs, n_jobs=2)
    assert forked == [[tmp_path / f"{i}.txt"] for i in range(5)] + [
        [tmp_path / "0.txt", tmp_path / "1.txt"]]
    assert (tmp_path / "3.txt").read_text(encoding="utf-8") == "3.txt" * 4
    assert parallel.run_jobs(jobs, n_jobs=1) == forked


def test_report_jobs_carry_redacted_ledger_sheets(units, tmp_path):
    """Each issue list's workbook sheet is cut and redacted before the jobs run (once, in the
    process that forks), and is that of ``workbook_ledger`` on the province's rows."""
    from voiceminer.report import parallel
    from voiceminer.schema import ledger

    from .report.conftest import make_issues

    rows = ledger(units)
    lists = {p: make_issues() for p in ("云南", "上海", "全国")}
    red = Redactor.for_units(units)
    jobs = parallel.report_jobs(lists, pd.DataFrame({"province": []}), rows, tmp_path,
                                formats=("md", "xlsx"), redactor=red, stem=str)
    for (province, _), job in zip(lists.items(), jobs):
        # a province's rows numbered afresh: the workbook would show kept labels as a column
        scoped = (rows if province == "全国"
                  else rows.loc[rows["province"] == province].reset_index(drop=True))
        sheet = job.args[4]
        pd.testing.assert_frame_equal(sheet, output.workbook_ledger(
            scoped, redactor=Redactor.for_units(units)))
        assert not sheet.astype(str).apply(lambda c: c.str.contains("王建国")).any().any()
    no_xlsx = parallel.report_jobs(lists, pd.DataFrame({"province": []}), rows, tmp_path,
                                   formats=("md",), redactor=red, stem=str)
    assert [job.args[4] for job in no_xlsx] == [None] * 3


def test_formula_starts_are_found_exactly(tmp_path):
    """Strings starting like a formula are neutralised; a NUL followed by ``=`` inside a string
    is no start of one, and cells that are not strings are left alone."""
    df = pd.DataFrame({"a": ["ok", "x\0=1", None], "b": ["fine", "-3 元", 2.5],
                       "c": [["=x", "y"], [], ["z"]]})
    text = table_files.write_table(df, tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[1:] == ["ok,fine,'=x;y", "x\0=1,'-3 元,", ",2.5,z"]
    assert not table_files._formula_start(["a", "b\0=c", None, 1.0])
    assert table_files._formula_start(["a", None, "\tb"]) and not table_files._formula_start([])


@pytest.mark.parametrize("leads", [2, 1])
def test_csv_with_flag_columns_is_pandas_csv(tmp_path, monkeypatch, leads):
    """A table ending in 0/1 columns (the code matrix) is written, in slices, as one
    ``to_csv`` writes it: text columns quoted, missing values empty."""
    monkeypatch.setattr(table_files, "CSV_CHUNK_ROWS", 3)
    lead = {"unit_id": ["a,1", 'say "hi"', None, "多行\n文本"],
            "province": pd.Series(["云南", None, "", "上海"], dtype="str")}
    frame = pd.DataFrame({**dict(list(lead.items())[:leads]),
                          "pay": [0, 1, 1, 0], "pay.01": [1, 0, 0, 0]})
    assert table_files._flag_columns(frame) == (2 if leads == 2 else 0)
    path = table_files.write_table(frame, tmp_path / "m.csv")
    with open(tmp_path / "p.csv", "w", encoding="utf-8-sig", newline="") as f:
        frame.to_csv(f, index=False, lineterminator="\n")
    assert path.read_bytes() == (tmp_path / "p.csv").read_bytes()


def test_counts_are_no_flag_columns():
    frame = pd.DataFrame({"a": ["x", "y"], "b": ["u", "v"], "n": [0, 2]})
    assert table_files._flag_columns(frame) == 0


@pytest.mark.parametrize("width", [3, 1])
def test_csv_of_text_columns_is_pandas_csv(tmp_path, monkeypatch, width):
    """A table of text columns only (the units table, the ledger) is written, in slices, as
    one ``to_csv`` writes it: quotes, commas, line breaks, empty and missing cells, and the odd
    number or date an object column holds."""
    monkeypatch.setattr(table_files, "CSV_CHUNK_ROWS", 2)
    frame = pd.DataFrame({
        "text": ["a,1", 'say "hi"', None, "多行\n文本", "", "回\r车"],
        "province": pd.Series(["云南", None, "", "上海", "x", "y"], dtype="str"),
        "odd": [2.5, 3, True, pd.Timestamp("2026-11-27"), float("nan"), "ok"],
    }).iloc[:, :width]
    assert table_files._text_only(frame)
    path = table_files.write_table(frame, tmp_path / "t.csv")
    with open(tmp_path / "p.csv", "w", encoding="utf-8-sig", newline="") as f:
        frame.to_csv(f, index=False, lineterminator="\n")
    assert path.read_bytes() == (tmp_path / "p.csv").read_bytes()
