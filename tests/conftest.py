"""Shared fixtures: small codebooks, a shared segmenter, and units tables built by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from voiceminer.schema import INGEST_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def mini_codebook():
    from voiceminer.codebook import load_codebook

    return load_codebook(FIXTURES / "mini_codebook.toml")


@pytest.fixture(scope="session")
def mini_segmenter(mini_codebook):
    from voiceminer.segment import Segmenter

    return Segmenter(extra_terms=mini_codebook.all_terms())


def make_units(rows: list[dict]) -> pd.DataFrame:
    """An ingest-stage units table from partial rows (missing columns get sensible defaults)."""
    full = []
    for n, row in enumerate(rows, 1):
        doc = row.get("doc_id", f"d{n}")
        base = {
            "unit_id": f"{doc}#{n}", "doc_id": doc, "respondent_id": doc, "source": "survey",
            "province": "云南", "group": "外卖骑手", "origin": f"f.xlsx:Sheet1:{n + 1}",
            "speaker": "respondent", "question": "", "text": "", "skip_reason": "",
            "skip_detail": "",
        }
        base.update(row)
        full.append({c: base[c] for c in INGEST_COLUMNS})
    return pd.DataFrame(full, columns=list(INGEST_COLUMNS))


@pytest.fixture
def units_factory():
    return make_units


def survey_csv(rows: list[tuple[str, str, str, str]]) -> str:
    """A questionnaire export (序号, 来自IP, 职业, open answer) from (province, city, group,
    answer) rows: the province comes only from the IP column, as in real exports."""
    return "序号,来自IP,1、您的职业是：,8、您目前最希望解决的问题是？\n" + "\n".join(
        f"{i},58.246.10.{i}({prov}-{city}),{grp},{ans}"
        for i, (prov, city, grp, ans) in enumerate(rows, 1)) + "\n"


def write_small_corpus(root: Path, interview: str, survey_csv: str, posts: list[dict]) -> Path:
    """A three-source corpus folder: 云南/访谈/骑手01.txt, 问卷/export.csv, 论坛/posts.jsonl."""
    (root / "云南" / "访谈").mkdir(parents=True)
    (root / "云南" / "访谈" / "骑手01.txt").write_text(interview, encoding="utf-8")
    (root / "问卷").mkdir()
    (root / "问卷" / "export.csv").write_text(survey_csv, encoding="utf-8")
    (root / "论坛").mkdir()
    (root / "论坛" / "posts.jsonl").write_text(
        "\n".join(json.dumps(p, ensure_ascii=False) for p in posts) + "\n", encoding="utf-8")
    return root
