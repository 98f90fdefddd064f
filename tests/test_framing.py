"""A post's framing: cut from quotes, and neither coded nor counted."""

from __future__ import annotations

import pytest

import voiceminer as vm
from voiceminer.coding import ThemeCoder
from voiceminer.framing import without_framing
from voiceminer.pipeline import make_segmenter
from voiceminer.segment import segment


@pytest.mark.parametrize("text, kept", [
    ("大半夜睡不着，上来说两句。今天又被罚了两百。", "今天又被罚了两百。"),
    ("家人们，今天又被罚了两百，求支招", "今天又被罚了两百"),
    ("记录一下今天。跑了十二个小时。", "跑了十二个小时。"),
    # what comes before 求助 or 吐槽一下 in a sentence is the problem itself
    ("工资拖了三个月，求助！老板跑了", "工资拖了三个月，求助！老板跑了"),
    ("工资又被扣了，吐槽一下。", "工资又被扣了，吐槽一下。"),
    ("没有社保", "没有社保"),
    ("唉，", "唉，"),  # nothing is cut when too little would be left
])
def test_framing_is_cut_at_either_end(text, kept):
    lo, hi = without_framing(text)
    assert text[lo:hi] == kept


@pytest.fixture(scope="module")
def coder():
    cb = vm.Codebook.default()
    return ThemeCoder(cb, make_segmenter(cb, vm.Settings()))


def test_a_sleepless_opener_is_not_a_complaint_about_hours(coder):
    """半夜 is an hours term; in the sentence that only says why the post was written it is not
    coded, and the post's own complaint still is."""
    themes, _evidence, spans = coder.code("大半夜睡不着，上来说两句。今天被平台罚款两百")
    assert "hours" not in themes and "platform_rules" in themes
    assert coder.code("天天干到半夜，累死了")[0] == ["hours"]
    start = len("大半夜睡不着，上来说两句。")
    assert all(a >= start for _t, a, _b in spans)


def test_the_units_tokens_leave_the_framing_out(coder, units_factory):
    """The notebook's ``segment`` and the pipeline's engine give the same tokens, framing left out."""
    from voiceminer.engine import segment_and_code

    texts = ["兄弟们，今天又被罚了两百，求支招", "今天又被罚了两百"]
    units = vm.normalize(units_factory([{"text": t, "source": "forum"} for t in texts]))
    tokens = segment(units, coder.segmenter)["tokens"].tolist()
    assert tokens[0] == tokens[1] and "兄弟" not in tokens[0]
    piped = segment_and_code(units, coder.codebook, vm.Settings(), coder.segmenter, coder)
    assert piped["tokens"].tolist() == tokens
