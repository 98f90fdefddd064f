"""The annotated PII set (tests/privacy/pii_lines.txt): zero leaks, few false masks."""

from __future__ import annotations

import pandas as pd
import pytest

from voiceminer.privacy import Redactor, collect_names, redact, redact_frame

from .pii_set import load_cases, score


@pytest.fixture(scope="module")
def cases():
    return load_cases()


def test_the_set_is_big_enough(cases):
    assert len(cases) >= 200
    kinds = {kind for c in cases for kind, _ in c.secrets}
    assert kinds == {"phone", "id_card", "bank_card", "plate", "email", "wechat", "qq", "name"}
    assert sum(not c.secrets for c in cases) >= 80  # lines that must come out unchanged


def test_no_personal_data_leaks(cases):
    s = score(redact, cases)
    assert s.leaks == []


def test_false_masks_stay_rare(cases):
    s = score(redact, cases)
    # measured 1 of 108 clean lines (受访者：王府井店的骑手 → 王某店的骑手); allow a little slack
    assert s.false_mask_rate <= 0.03, s.false_masks
    assert s.exact >= len(cases) - 3


def test_a_header_name_is_masked_wherever_it_recurs():
    units = pd.DataFrame({"text": ["单价太低了", "王建国跑了三年，王建国说扣钱太狠"]})
    units.attrs["personal_names"] = ["王建国（化名）", "外卖骑手A", "小李"]
    red = Redactor.for_units(units)
    assert red.names == ("王建国",)
    assert red("王建国跑了三年，王建国说扣钱太狠") == "王某跑了三年，王某说扣钱太狠"


def test_names_found_after_labels_in_one_text_are_masked_in_others():
    texts = ["受访者：赵德明，男", "赵德明的车是贷款买的", "没有名字"]
    assert collect_names(texts) == {"赵德明"}
    red = Redactor(collect_names(texts))
    assert [red(t) for t in texts] == ["受访者：赵某，男", "赵某的车是贷款买的", "没有名字"]


def test_redact_frame_keeps_numbers_numeric_and_masks_lists():
    df = pd.DataFrame({"n": [3, 4], "text": ["电话13812345678", "无"],
                       "tokens": [["电话", "13812345678"], ["无"]]})
    out = redact_frame(df, redact)
    assert out["n"].tolist() == [3, 4] and out["n"].dtype.kind == "i"
    assert out["text"].tolist() == ["电话[电话]", "无"]
    assert out["tokens"].tolist() == [["电话", "[电话]"], ["无"]]
