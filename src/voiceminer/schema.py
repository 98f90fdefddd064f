"""The units table: the one data contract between pipeline stages.

Every stage takes the units DataFrame and returns a copy with its own columns added. Keeping the
column names here (and nowhere else) lets a notebook stop after any stage and lets
``check_units`` say which stage a missing column comes from instead of failing with a KeyError.

A *record* is anything the readers found that could have become a unit: an answer turn, an
interviewer turn, a questionnaire cell, a post, or a whole file that could not be read. Every
record becomes one row, so the ledger is simply a projection of the units table and its total
always equals the records found.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import numpy as np
import pandas as pd

UNKNOWN: Final = "未知"

# Values of the ``source`` column.
SOURCES: Final = ("interview", "survey", "forum")

# The four groups of the study; anything else is kept as written.
GROUPS: Final = ("货车司机", "网约车司机", "快递员", "外卖骑手")

RESPONDENT: Final = "respondent"
INTERVIEWER: Final = "interviewer"

# column -> stage that adds it
INGEST_COLUMNS: Final = (
    "unit_id",  # "<doc_id>#<n>", stable across runs on the same files
    "doc_id",  # one interview, one questionnaire row, one post, or one unreadable file
    "respondent_id",  # who said it; prevalence counts these, not units
    "source",  # interview / survey / forum
    "province",  # normalised short name, or 未知
    "group",  # worker group, or 未知
    "origin",  # "file:line" (txt/md/jsonl), "file:N" (docx paragraph), "file:Sheet:row" (xlsx),
    #            "file:row" (csv); several units may share one origin (a row's open answers);
    #            an interview turn over several lines gives them all: "file:12-14,16"
    "speaker",  # respondent / interviewer; "" for an interview note (a title) nobody said
    "question",  # the question this unit answers (survey column header, interviewer turn), or ""
    "text",  # the words as written
    "skip_reason",  # set by readers for unreadable records; normalize adds its own reasons
    "skip_detail",  # a sentence naming file/row/line and what to do; "" when not skipped
)
STAGE_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "ingest": INGEST_COLUMNS,
    "normalize": ("clean",),
    "segment": ("tokens",),
    "code": ("themes", "evidence", "spans"),
    "concerns": ("concern",),
}
STAGES: Final = tuple(STAGE_COLUMNS)

# An ``evidence`` entry is "theme:term"; a theme a unit takes from the question it answers
# (prompting.answered_themes) has this in place of a term.
ASKED_EVIDENCE: Final = "question"

# Reasons a record is not analysed. Readers and normalize use only these keys.
SKIP_REASONS: Final[dict[str, str]] = {
    "unreadable_file": "文件无法读取",
    "empty_file": "空文件",
    "unsupported_format": "不支持的文件格式",
    "documentation": "说明文档（README），不分析",
    "interviewer": "访谈员发言（不编码）",
    "not_a_turn": "标题或发言标记之前的文字（不编码）",
    "not_followed": "未读取的链接或隐藏文件",
    "empty": "空白",
    "non_answer": "无实质内容的回答（无/没有/不知道…）",
    "duplicate": "完全重复",
    "too_long": "超长文本",
}

LEDGER_COLUMNS: Final = (
    "unit_id",
    "doc_id",
    "source",
    "province",
    "group",
    "origin",
    "speaker",
    "status",
    "skip_reason",
    "skip_detail",
)


def empty_units() -> pd.DataFrame:
    """An ingest-stage units table with no rows, so empty corpora flow through every stage."""
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in INGEST_COLUMNS})


def check_units(units: pd.DataFrame, stage: str) -> None:
    """Raise if ``units`` lacks a column that ``stage`` (or any stage before it) adds.

    The message names the missing column and the function to run first, because in a notebook the
    usual cause is a skipped cell.
    """
    from .errors import SchemaError

    if stage not in STAGE_COLUMNS:
        raise ValueError(f"Unknown stage {stage!r}; expected one of {', '.join(STAGES)}.")
    for name in STAGES[: STAGES.index(stage) + 1]:
        missing = [c for c in STAGE_COLUMNS[name] if c not in units.columns]
        if missing:
            raise SchemaError(
                f"The units table has no column {', '.join(map(repr, missing))}; "
                f"run the '{name}' stage first (voiceminer.{_STAGE_FUNCS[name]})."
            )


_STAGE_FUNCS: Final = {
    "ingest": "read_corpus",
    "normalize": "normalize",
    "segment": "segment",
    "code": "code_themes",
    "concerns": "find_concerns",
}


def analysed_mask(units: pd.DataFrame) -> pd.Series:
    """Rows that go into analysis: not skipped for any reason."""
    return units["skip_reason"].fillna("").astype(str).eq("")


def ledger(units: pd.DataFrame) -> pd.DataFrame:
    """Every input record and what became of it: one row per units-table row."""
    out = units.loc[:, [c for c in LEDGER_COLUMNS if c in units.columns and c != "status"]].copy()
    out.insert(
        out.columns.get_loc("speaker") + 1 if "speaker" in out.columns else len(out.columns),
        "status",
        ["analysed" if ok else "skipped" for ok in analysed_mask(units)],
    )
    return out.reset_index(drop=True)


def evidence_terms(evidence: Iterable[str], theme: str) -> list[str]:
    """The terms of ``theme`` in a unit's ``evidence`` entries ("theme:term")."""
    prefix = f"{theme}:"
    return [e[len(prefix):] for e in evidence if e.startswith(prefix)]


def list_column(values: list) -> np.ndarray:
    """An object array of lists, one per row, for a units column: pandas would try to broadcast
    a plain list of equal-length lists."""
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr
