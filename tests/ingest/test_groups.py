"""Job words map to the four study groups; others are kept as written."""

from __future__ import annotations

import pytest

from voiceminer.ingest import group_from_path, normalize_group

CASES = [
    ("外卖", "外卖骑手"), ("美团骑手", "外卖骑手"), ("饿了么专送", "外卖骑手"), ("送餐员", "外卖骑手"),
    ("快递员", "快递员"), ("派件", "快递员"), ("顺丰小哥", "快递员"), ("中通", "快递员"),
    ("圆通", "快递员"), ("韵达", "快递员"), ("京东快递", "快递员"),
    ("网约车", "网约车司机"), ("滴滴司机", "网约车司机"), ("专车", "网约车司机"),
    ("快车", "网约车司机"), ("出租车司机", "网约车司机"),
    ("货车司机", "货车司机"), ("卡车", "货车司机"), ("货运", "货车司机"), ("货拉拉", "货车司机"),
    ("满帮", "货车司机"), ("大车司机", "货车司机"), ("挂车", "货车司机"),
    ("滴滴货运", "货车司机"), ("外賣騎手", "外卖骑手"), ("貨車司機", "货车司机"), (" 家政 ", "家政"), ("", "未知"), (None, "未知"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES, ids=[str(c[0]) for c in CASES])
def test_normalize_group(raw, expected):
    assert normalize_group(raw) == expected


@pytest.mark.parametrize(("relpath", "expected"), [
    ("云南/外卖/访谈01.txt", "外卖骑手"), ("云南/访谈/货车司机_张师傅.docx", "货车司机"),
    ("云南/访谈/x.txt", "未知"),
])
def test_group_from_path(relpath, expected):
    assert group_from_path(relpath) == expected
