"""``redact_frame`` redacts each distinct string once and remembers quiet ones: the tables it
gives must be exactly those of redacting every cell on its own."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from voiceminer.privacy import Redactor, redact
from voiceminer.privacy_frames import redact_frame

# fragments that are (or look like) personal data, and ordinary ones around them
PII = ["13812345678", "１３８１２３４５６７８", "138-1234-5678", "11010519491231002X",
       "6222020200112233446", "粤B12345", "云A·12345", "wang.li@example.com", "微信：wang_li88",
       "ＶＸ：ｗａｎｇ＿ｌｉ８８", "QQ号：12345678", "受访者：王建国", "王建国", "姓名：欧阳娜娜",
       "座机0871-65123456", "订单号123456789012345678", "赵德明"]
PLAIN = ["平台", "罚款", "超时", "跑单", "工资", "=SUM(A1)", "-3", "@home", "12", "外卖骑手", "",
         "今天还行", "受访者", "电话", "12345"]


def _text(rng: random.Random) -> str:
    parts = rng.choices(PLAIN, k=rng.randint(0, 4))
    if rng.random() < 0.3:
        parts.insert(rng.randint(0, len(parts)), rng.choice(PII))
    return "，".join(parts)


def _frame(n: int, seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    texts = [_text(rng) for _ in range(n)]
    tokens = [[rng.choice([*PLAIN, *PII]) for _ in range(rng.randint(0, 5))] for _ in range(n)]
    return pd.DataFrame({
        "unit_id": [f"f{rng.randint(0, 9)}.txt:p{i}" for i in range(n)],
        "province": rng.choices(["云南", "上海", "王建国"], k=n),
        "n": range(n),
        "share": [rng.random() for _ in range(n)],
        "flag": [rng.random() < 0.5 for _ in range(n)],
        "text": texts,
        "clean": pd.Series([t if rng.random() < 0.8 else _text(rng) for t in texts], dtype="str"),
        "maybe": [rng.choice([None, np.nan, _text(rng)]) for _ in range(n)],
        "tokens": tokens,
        "themes": [rng.sample(["pay", "safety", "王建国"], k=rng.randint(0, 2)) for _ in range(n)],
        "spans": [[(rng.choice(["pay", "13812345678"]), 0, 2)] * rng.randint(0, 2)
                  for _ in range(n)],
        "mixed": [rng.choice([_text(rng), ("粤B12345", 3), [["王建国", "x"]], 7, None,
                              np.str_("13812345678"), ["ok", 5]]) for _ in range(n)],
    })


def _reference(df: pd.DataFrame, redactor) -> pd.DataFrame:
    """Every cell redacted on its own (strings inside lists and tuples too), numbers kept, and
    tokens no longer found in the redacted ``clean`` dropped: what ``redact_frame`` means."""
    def cell(v):
        if isinstance(v, str):
            return redactor(v)
        if isinstance(v, (list, tuple)):
            return type(v)(cell(x) for x in v)
        return v

    out = df.copy()
    for col in df.columns:
        if df[col].dtype == object or str(df[col].dtype) in ("str", "string"):
            values = np.empty(len(df), dtype=object)
            values[:] = [cell(v) for v in df[col].to_numpy(dtype=object)]
            out[col] = pd.Series(values, index=df.index, dtype=object).astype(df[col].dtype)
    out["tokens"] = [[t for t in toks if not isinstance(t, str) or t in str(clean)]
                     for toks, clean in zip(out["tokens"], out["clean"])]
    return out


def _assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(want.columns)
    for col in want.columns:
        assert got[col].dtype == want[col].dtype, col
        a, b = got[col].to_numpy(dtype=object), want[col].to_numpy(dtype=object)
        assert [repr(v) for v in a] == [repr(v) for v in b], col


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_redact_frame_equals_redacting_each_cell(seed):
    df = _frame(400, seed)
    red = Redactor(["王建国", "赵德明"], {"wang_li88": "[微信号]"})
    want = _reference(df, Redactor(red.names, red.ids).redact)
    _assert_same(redact_frame(df, red), want)
    _assert_same(redact_frame(df, red), want)  # again, from what the redactor remembers
    _assert_same(redact_frame(df.iloc[::3], red), want.iloc[::3])
    _assert_same(redact_frame(df, redact), _reference(df, redact))  # a plain function


def test_redact_frame_never_misses_generated_personal_data():
    df = _frame(300, 3)
    out = redact_frame(df, Redactor(["王建国", "赵德明"], {"wang_li88": "[微信号]"}))
    cells = " ".join(map(repr, out.drop(columns=["n", "share", "flag"]).to_numpy().ravel()))
    for datum in ("13812345678", "１３８１２３４５６７８", "11010519491231002X",
                  "6222020200112233446", "粤B12345", "wang.li@example.com", "wang_li88",
                  "王建国", "欧阳娜娜", "赵德明", "65123456"):
        assert datum not in cells, datum
    assert "123456789012345678" in cells  # an order number is no ID card


def test_untouched_columns_and_cells_are_kept_not_copied():
    df = _frame(200, 4)
    out = redact_frame(df.drop(columns=["mixed", "maybe"]), Redactor())
    assert out["unit_id"] is not None and out["unit_id"].equals(df["unit_id"])
    quiet = [i for i, toks in enumerate(df["themes"]) if "王建国" not in toks]
    assert all(out["themes"].iloc[i] is df["themes"].iloc[i] for i in quiet)


def test_quiet_strings_are_remembered_but_answers_stay_exact():
    strings = [_text(random.Random(i)) for i in range(2_000)]
    red = Redactor(["王建国"])
    first = red.loud(strings)
    assert red.loud(strings) == first == {s for s in strings if not red.quiet(s)}
    assert all(red.redact(s) == s for s in red._quiet)
    assert not red._quiet & red.loud(strings)


def test_quiet_memo_is_bounded(monkeypatch):
    from voiceminer import privacy

    monkeypatch.setattr(privacy, "_QUIET_MAX", 10)
    red = Redactor()
    strings = [f"平台{i}" for i in range(50)] + ["电话13812345678"]
    assert red.loud(strings) == {"电话13812345678"}
    assert len(red._quiet) == 10
    assert red.loud(strings) == {"电话13812345678"}
    assert len(red._quiet) == 10
