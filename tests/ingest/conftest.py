"""Builders for small corpus files written into ``tmp_path``.

Each fixture returns a function so a test states its file's content inline, next to the
assertions about it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest


def _target(root: Path, rel: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def write_text(tmp_path: Path) -> Callable[..., Path]:
    """write_text("云南/访谈/a.txt", text, encoding="gbk") -> path (encoding may be utf-8-sig)."""

    def make(rel: str, text: str, encoding: str = "utf-8") -> Path:
        path = _target(tmp_path, rel)
        path.write_bytes(text.encode(encoding))
        return path

    return make


@pytest.fixture
def make_docx(tmp_path: Path) -> Callable[..., Path]:
    """make_docx(rel, blocks): a block is a paragraph string, ("Heading 1", text), or a table
    given as a list of rows (each a list of cell strings)."""

    def make(rel: str, blocks: Sequence[object]) -> Path:
        import docx

        document = docx.Document()
        for block in blocks:
            if isinstance(block, str):
                document.add_paragraph(block)
            elif isinstance(block, tuple):
                style, text = block
                document.add_paragraph(text, style=style)
            else:
                rows = list(block)  # type: ignore[call-overload]
                table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
                for i, row in enumerate(rows):
                    for j, value in enumerate(row):
                        table.cell(i, j).text = value
        path = _target(tmp_path, rel)
        document.save(str(path))
        return path

    return make


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """make_xlsx(rel, rows, title=None, sheet="Sheet1"): a title row merged across the columns
    goes above the header when ``title`` is given."""

    def make(rel: str, rows: Sequence[Sequence[object]], title: str | None = None,
             sheet: str = "Sheet1") -> Path:
        from openpyxl import Workbook

        workbook = Workbook()
        ws = workbook.active
        ws.title = sheet
        if title:
            ws.append([title])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        for row in rows:
            ws.append(list(row))
        path = _target(tmp_path, rel)
        workbook.save(str(path))
        return path

    return make


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """write_csv(rel, rows, encoding="utf-8-sig") -> path."""

    def make(rel: str, rows: Sequence[Sequence[object]], encoding: str = "utf-8-sig") -> Path:
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path = _target(tmp_path, rel)
        path.write_bytes(buffer.getvalue().encode(encoding))
        return path

    return make


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    """write_jsonl(rel, lines): dicts are dumped as JSON, strings are written verbatim."""

    def make(rel: str, lines: Sequence[object]) -> Path:
        text = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                         for line in lines)
        path = _target(tmp_path, rel)
        path.write_text(text + "\n", encoding="utf-8")
        return path

    return make
