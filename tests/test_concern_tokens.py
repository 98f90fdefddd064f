"""Theme tokens: the tokens of the sentences where a theme was found, as ``ConcernFinder``
clusters them."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

import voiceminer as vm
from voiceminer.codebook import OTHER_THEME
from voiceminer.coding import ThemeCoder, code_themes
from voiceminer.coding import sentence_bounds as coding_sentence_bounds
from voiceminer.concern_tokens import ThemeTokens, sentence_bounds, sentence_cuts, sentence_marks
from voiceminer.concerns import find_concerns
from voiceminer.framing import without_framing
from voiceminer.pipeline import make_segmenter
from voiceminer.segment import segment

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


def _texts() -> list[str]:
    rng = random.Random(0)
    made = ["".join(rng.choice("工资a1 。！!？?；;\n，.") for _ in range(rng.randrange(13)))
            for _ in range(150)]
    return ["", "没有标点", "工资。", "。。", "。开头", "结尾。", "\n\n两行\n",
            "拖欠工资！老板跑了？\n社保没交；", "a;b!c?d\ne"] + made


@pytest.mark.parametrize("text", _texts())
def test_sentence_bounds_equal_coding_for_every_span(text):
    marks = sentence_marks(text)
    for start in range(len(text) + 2):
        for end in range(start, len(text) + 2):
            assert sentence_bounds(text, marks, start, end) == \
                coding_sentence_bounds(text, start, end), (start, end)


@pytest.fixture(scope="module")
def seg():
    cb = vm.Codebook.default()
    return make_segmenter(cb, vm.Settings())


def _cols(clean: str, tokens: list[str], spans: list[tuple[str, int, int]]) -> dict:
    return {"clean": [clean], "tokens": [tokens], "spans": [spans]}


def test_a_theme_in_two_of_three_sentences_gets_their_tokens(seg):
    clean = "工资一直拖欠。社保也没交！平台抽成太高"
    spans = [("pay", 0, 2), ("pay", 15, 17), ("social_insurance", 7, 9)]
    theme_tokens = ThemeTokens(_cols(clean, seg.tokens(clean), spans), seg)
    assert theme_tokens(0, "pay") == seg.tokens("工资一直拖欠。。平台抽成太高")
    assert "社保" in seg.tokens(clean) and "社保" not in theme_tokens(0, "pay")
    assert theme_tokens(0, "social_insurance") == seg.tokens("社保也没交！")


def test_whole_text_uncoded_and_no_segmenter_keep_every_token(seg):
    clean = "工资一直拖欠。社保也没交"
    tokens = seg.tokens(clean)
    cols = _cols(clean, tokens, [("pay", 0, 2), ("pay", 3, 5)])
    assert ThemeTokens(cols, seg)(0, "pay") is not tokens  # one sentence of two: its own
    assert ThemeTokens(cols, seg)(0, OTHER_THEME) is tokens
    assert ThemeTokens(cols, None)(0, "pay") is tokens
    one = _cols("工资一直拖欠", ["工资", "拖欠"], [("pay", 0, 2)])
    assert ThemeTokens(one, seg)(0, "pay") == ["工资", "拖欠"]


def test_a_sentence_of_stopwords_only_falls_back_to_every_token(seg):
    clean = "工资一直拖欠。是的！"
    tokens = seg.tokens(clean)
    cols = _cols(clean, tokens, [("pay", 8, 9)])
    assert seg.tokens("是的！") == []
    assert ThemeTokens(cols, seg)(0, "pay") is tokens


@pytest.fixture(scope="module")
def demo_units(seg):
    units = vm.normalize(vm.read_corpus(DEMO))
    return code_themes(segment(units, seg), coder=ThemeCoder(vm.Codebook.default(), seg))


def _definition(clean: str, tokens: list[str], spans: list, theme: str, seg) -> list[str]:
    """What a unit's theme tokens are by definition: its theme's sentences less a post's framing,
    joined by 。, cut again (every token when that is the whole text or leaves nothing)."""
    bounds = sorted({coding_sentence_bounds(clean, a, b) for t, a, b in spans if t == theme})
    if bounds == [(0, len(clean))]:
        return tokens
    lo, hi = without_framing(clean)
    return seg.tokens("。".join(clean[max(a, lo):min(b, hi)] for a, b in bounds)) or tokens


def test_demo_theme_tokens_equal_the_sentences_segmented_again(seg, demo_units):
    """On every coded demo unit and theme: what segmenting the theme's sentences, joined by 。,
    gives (the definition), with the sentences found as ``coding.sentence_bounds`` finds them."""
    cols = {c: demo_units[c].tolist() for c in ("tokens", "clean", "spans", "themes")}
    theme_tokens = ThemeTokens(cols, seg)
    partial = 0
    for i, themes in enumerate(cols["themes"]):
        for theme in themes:
            expected = _definition(cols["clean"][i], cols["tokens"][i], cols["spans"][i], theme,
                                   seg)
            partial += expected is not cols["tokens"][i]
            assert theme_tokens(i, theme) == expected, (i, theme)
    assert partial >= 50  # the demo has many answers touching several themes


def test_demo_concerns_are_the_same_on_one_thread_and_two(seg, demo_units):
    """Theme tokens prepared beside the clustering threads, or one theme after another."""
    one_units, one = find_concerns(demo_units, segmenter=seg, n_jobs=1)
    two_units, two = find_concerns(demo_units, segmenter=seg, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert one_units["concerns"].tolist() == two_units["concerns"].tolist()
    assert len(one) >= 10


@pytest.mark.parametrize("cached", [False, True], ids=["fresh", "from-cache"])
def test_sentence_cuts_left_by_coding_give_the_sentences_segmented_again(cached, tmp_path):
    """``segment_and_code`` leaves each coded text's sentence cuts with the segmenter (from the
    workers, or from the cache on a re-run); slicing by them equals cutting again."""
    from voiceminer.engine import segment_and_code

    cb = vm.Codebook.default()
    settings = vm.Settings(cache_dir=tmp_path if cached else None)
    units = vm.normalize(vm.read_corpus(DEMO))
    if cached:  # fill the cache, then code again from it with a new segmenter
        segment_and_code(units, cb, settings, make_segmenter(cb, settings))
    seg = make_segmenter(cb, settings)
    coded = segment_and_code(units, cb, settings, seg)
    cols = {c: coded[c].tolist() for c in ("tokens", "clean", "spans", "themes")}
    theme_tokens = ThemeTokens(cols, seg)
    sliced = 0
    for i, themes in enumerate(cols["themes"]):
        clean = cols["clean"][i]
        for theme in themes:
            expected = _definition(clean, cols["tokens"][i], cols["spans"][i], theme, seg)
            assert theme_tokens(i, theme) == expected, (i, theme)
            sliced += expected is not cols["tokens"][i] and seg.cuts_of(clean) is not None
    assert sliced >= 50
    seg.forget_cuts()
    assert seg.cuts_of(cols["clean"][0]) is None


def test_sentence_cuts_count_content_tokens_before_each_mark(seg):
    text = "工资一直拖欠。社保也没交！\n平台抽成太高"
    words = seg.words(text)
    content, starts = seg.content_with_starts(words)
    assert content == seg.content(words)
    cuts = sentence_cuts(sentence_marks(text), starts)
    assert content[:cuts[0]] == seg.tokens("工资一直拖欠。")
    assert content[cuts[0]:cuts[1]] == seg.tokens("社保也没交！")
    assert cuts[1] == cuts[2] and content[cuts[2]:] == seg.tokens("平台抽成太高")
