"""Reading a season's field material as teams send it: a 问卷星 workbook of 19,724 respondents
× 41 columns, and 400 interview notes typed in Word.

    nice -n 10 python benchmarks/bench_read.py [--respondents 19724] [--interviews 400] [--repeat 3]

The seed-scale study of ``bench_speed`` keeps its questionnaire in a CSV of five columns and its
interviews in .txt; field teams send workbooks with every closed question beside the open ones,
and .docx notes. This times, on such files built from ../shared/data (``corpora``):

- ``workbooks.load_xlsx``, the reader every workbook goes through (python-calamine for one
  without formulas or error cells), against ``workbooks._openpyxl_sheets``, the openpyxl reader
  that read every workbook until the sixteenth session and still reads those;
- ``read_corpus`` on the workbook's folder: the workbook read, its columns told apart (open
  questions, occupation, place) and a record made per open answer;
- ``read_corpus`` on the same rows saved as Excel on Chinese Windows saves a CSV (GBK);
- ``read_corpus`` on the folder of .docx notes (in this process: ``analyze`` reads files on
  both cores).

Each is timed ``--repeat`` times, the readers alternating; the best run counts. Results go to
benchmarks/results/read.json; the figures are quoted in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from corpora import interviews, survey_workbook  # noqa: E402

RESULTS = HERE / "results" / "read.json"


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return round(time.perf_counter() - start, 2), out


def _as_gbk_csv(rows: list[tuple[int, list[str]]], path: Path) -> Path:
    """The sheet's rows as Excel on Chinese Windows saves a CSV: GBK, CRLF line ends."""
    import csv

    path.parent.mkdir(parents=True)
    with path.open("w", encoding="gb18030", errors="replace", newline="") as f:
        csv.writer(f).writerows(cells for _, cells in rows)
    return path


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--respondents", type=int, default=19_724)
    ap.add_argument("--interviews", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import voiceminer as vm
    from voiceminer.ingest import workbooks

    with tempfile.TemporaryDirectory(prefix="vm-read-") as tmp:
        path = survey_workbook(args.respondents, Path(tmp) / "问卷" / "survey.xlsx")
        fast_runs, reference_runs = [], []
        for _ in range(args.repeat):  # alternating, so a slow minute hits both
            fast_runs.append(_timed(lambda: workbooks.load_xlsx(path))[0])
            reference_runs.append(_timed(lambda: workbooks._openpyxl_sheets(path))[0])
        same = workbooks.load_xlsx(path) == workbooks._openpyxl_sheets(path)
        corpus = [_timed(lambda: vm.read_corpus(path.parent)) for _ in range(args.repeat)]
        corpus_runs, units = [t for t, _ in corpus], corpus[-1][1]
        cells = sum(len(cells) for s in workbooks.load_xlsx(path) for _, cells in s.rows)
        gbk = _as_gbk_csv(workbooks.load_xlsx(path)[0].rows, Path(tmp) / "csv" / "survey.csv")
        as_csv = [_timed(lambda: vm.read_corpus(gbk.parent)) for _ in range(args.repeat)]
        notes = interviews(args.interviews, Path(tmp) / "访谈", word=True)
        word = [_timed(lambda: vm.read_corpus(notes)) for _ in range(args.repeat)]
        result = {
            "respondents": args.respondents, "cells": cells, "file_mib": round(
                path.stat().st_size / 2**20, 1),
            "load_xlsx_s": min(fast_runs), "openpyxl_s": min(reference_runs),
            "speedup": round(min(reference_runs) / min(fast_runs), 1),
            "same_rows": same,
            "read_corpus_s": min(corpus_runs), "records": len(units),
            "read_corpus_gbk_csv_s": min(t for t, _ in as_csv),
            "docx_interviews": args.interviews, "docx_records": len(word[-1][1]),
            "read_corpus_docx_s": min(t for t, _ in word),
            "runs_s": {"load_xlsx": fast_runs, "openpyxl": reference_runs,
                       "read_corpus": corpus_runs, "read_corpus_gbk_csv": [t for t, _ in as_csv],
                       "read_corpus_docx": [t for t, _ in word]},
        }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return result


if __name__ == "__main__":
    main()
