"""A small hand-built IssueList shared by the writer tests.

300 respondents in 云南; theme "pay" with two concerns and the catch-all "other" theme with one
(deliberately listed first, to check it is moved last). Numbers are chosen so that:
pay.01 → 23%, 外卖骑手 clearly highest share; pay.02 → 10%, 货车司机 and 快递员 within 5 points;
other.01 → 1/300, which must print as <1%. One quote starts with "=1+1" (formula injection).
"""

from __future__ import annotations

import pandas as pd
import pytest

from voiceminer.report.model import ConcernItem, GroupShare, IssueList, KeyTerm, Quote, ThemeSection

INJECTION = "=1+1，一单才挣三块钱"


def _q(unit: str, text: str, origin: str, group: str, source: str = "interview") -> Quote:
    return Quote(unit_id=unit, text=text, origin=origin, province="云南", group=group, source=source)


@pytest.fixture
def issues() -> IssueList:
    return make_issues()


@pytest.fixture
def prevalence() -> pd.DataFrame:
    return make_prevalence()


@pytest.fixture
def ledger() -> pd.DataFrame:
    return make_ledger()


def make_issues() -> IssueList:
    """The IssueList described in the module docstring (a plain function, usable outside pytest)."""
    pay01 = ConcernItem(
        concern_id="pay.01",
        label="平台抽成高、单价下降",
        top_terms=("抽成", "单价", "配送费"),
        respondents=69,
        share=0.23,
        groups=(
            GroupShare("外卖骑手", 45, 45 / 120),
            GroupShare("快递员", 15, 15 / 90),
            GroupShare("网约车司机", 9, 9 / 60),
        ),
        quotes=(
            _q("a#12", "抽成越来越高，一单就几块钱", "云南/访谈/x.txt:12", "外卖骑手"),
            _q("b#3", INJECTION, "云南/问卷.xlsx:Sheet1:7", "快递员", "survey"),
            _q("c#1", "单价降了\n又降", "云南/网帖/p.txt:1", "网约车司机", "forum"),
        ),
        unit_ids=("a#12", "b#3", "c#1"),
        unprompted=40,
        unprompted_share=40 / 300,
    )
    pay02 = ConcernItem(
        concern_id="pay.02",
        label="工资拖欠",
        top_terms=("拖欠",),
        respondents=30,
        share=0.1,
        groups=(GroupShare("快递员", 22, 22 / 90), GroupShare("货车司机", 8, 8 / 30)),
        quotes=(_q("d#5", "运费拖了三个月", "云南/访谈/y.txt:5", "货车司机"),),
    )
    other01 = ConcernItem(
        concern_id="other.01",
        label="充电桩少",
        top_terms=("充电桩",),
        respondents=1,
        share=1 / 300,
        groups=(GroupShare("外卖骑手", 1, 1 / 120),),
        quotes=(),
    )
    pay = ThemeSection(
        theme_id="pay", label="工资收入", respondents=135, share=0.45,
        groups=(GroupShare("外卖骑手", 60, 0.5),), concerns=(pay01, pay02),
        unprompted=60, unprompted_share=0.2,  # 75 of the 135 only when asked about pay
    )
    other = ThemeSection(
        theme_id="other", label="其他反复出现的问题", respondents=1, share=1 / 300,
        groups=(GroupShare("外卖骑手", 1, 1 / 120),), concerns=(other01,),
    )
    return IssueList(
        province="云南",
        respondents_total=300,
        respondents_by_group={"外卖骑手": 120, "快递员": 90, "网约车司机": 60, "货车司机": 30},
        units_analysed=500,
        sources={"interview": 100, "survey": 300, "forum": 100},
        themes=(other, pay),
        keyness=(KeyTerm("抽成", 4.2, 35), KeyTerm("山路", 3.1, 12)),
        meta={"version": "0.1.0", "run_date": "2024-05-01"},
    )


def make_prevalence() -> pd.DataFrame:
    return pd.DataFrame({
        "theme_id": ["pay", "other"],
        "respondents": [135, 1],
        "share": [0.45, 1 / 300],
    })


def make_ledger() -> pd.DataFrame:
    return pd.DataFrame({
        "unit_id": ["a#1", "a#2"],
        "doc_id": ["a", "a"],
        "source": ["interview", "interview"],
        "province": ["云南", "云南"],
        "group": ["外卖骑手", "外卖骑手"],
        "origin": ["云南/访谈/x.txt:1", "云南/访谈/x.txt:2"],
        "speaker": ["interviewer", "respondent"],
        "status": ["skipped", "analysed"],
        "skip_reason": ["interviewer", ""],
        "skip_detail": ["@访谈员发言", ""],
    })
