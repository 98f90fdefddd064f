"""The bundled language resources: jieba user dictionary, stopwords and the default codebook."""

from __future__ import annotations

import logging
import re
import tomllib
from functools import lru_cache
from importlib.resources import as_file, files

import jieba
import pytest

jieba.setLogLevel(logging.WARNING)

RESOURCES = files("voiceminer") / "resources"

THEME_IDS = [
    "pay", "social_insurance", "safety", "hours", "platform_rules", "labor_relations",
    "organization", "employment", "living", "enforcement", "rights", "attitudes", "stability",
]

# Words whose meaning the themes depend on (negation, intensity, hardship): never stopwords.
MEANINGFUL = [
    "不", "没", "没有", "不给", "太", "多", "少", "高", "低", "累", "难", "怕",
    "很", "非常", "不是", "不能", "不会", "不让", "没法", "工资", "社保", "平台", "钱", "单",
]

USERDICT_LINE = re.compile(r"^(\S+) ([1-9][0-9]*) (n|v|nz|eng)$")

# Sentences segmented with the bundled user dictionary, each token list checked by hand.
HAND_CHECKED = [
    ("公司不给交五险一金", ["公司", "不给交", "五险一金"]),
    ("保安不让电动车进小区", ["保安", "不让", "电动车", "进小区"]),
    ("去年站点好多人被封号", ["去年", "站点", "好多", "人", "被封号"]),
    ("货车司机最怕路政查超限", ["货车司机", "最", "怕", "路政", "查", "超限"]),
    ("工会给我们办了会员卡", ["工会", "给", "我们", "办", "了", "会员卡"]),
    ("网约车驾驶员证考下来了，车辆没有运输证",
     ["网约车驾驶员证", "考", "下来", "了", "，", "车辆", "没有", "运输证"]),
    ("在司机之家可以洗澡吃饭", ["在", "司机之家", "可以", "洗澡", "吃饭"]),
    ("我们希望能有职业伤害保障", ["我们", "希望", "能", "有", "职业伤害保障"]),
    ("跟美团签的是合作协议，不是劳动合同",
     ["跟", "美团", "签", "的", "是", "合作协议", "，", "不是", "劳动合同"]),
    ("打了12345投诉，最后申请劳动仲裁",
     ["打", "了", "12345", "投诉", "，", "最后", "申请", "劳动仲裁"]),
    ("快递员派件费一票才一块多", ["快递员", "派件费", "一票", "才", "一块", "多"]),
    ("我对平台的抽成很不满意", ["我", "对", "平台", "的", "抽成", "很", "不满意"]),
    ("我放在菜鸟驿站了", ["我", "放在", "菜鸟驿站", "了"]),
    ("一天干十几个小时也挣不到钱", ["一天干十几个小时", "也", "挣不到钱"]),
]

# Frames in which every dictionary word must come out whole (the first one for nearly all words).
FRAMES = ["我每天都在想{}的事", "说到{}，大家都有话讲。", "他说{}。"]


def _lines(name: str) -> list[str]:
    return (RESOURCES / name).read_text(encoding="utf-8").splitlines()


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    with as_file(RESOURCES / "userdict.txt") as path:
        tok.load_userdict(str(path))
    return tok


@lru_cache(maxsize=1)
def _codebook() -> dict:
    return tomllib.loads((RESOURCES / "codebook.toml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- userdict.txt

def test_userdict_lines_are_well_formed_and_unique():
    lines = _lines("userdict.txt")
    assert len(lines) >= 300
    bad = [(i, line) for i, line in enumerate(lines, 1) if not USERDICT_LINE.match(line)]
    assert not bad, f"malformed lines (want 'word freq tag'): {bad[:10]}"
    words = [line.split()[0] for line in lines]
    dupes = sorted({w for w in words if words.count(w) > 1})
    assert not dupes, f"duplicate entries: {dupes}"


def test_userdict_keeps_wuxian_yijin_whole():
    assert "五险一金" in _tokenizer().lcut("公司不给交五险一金")


@pytest.mark.parametrize(("sentence", "tokens"), HAND_CHECKED)
def test_hand_checked_segmentations(sentence, tokens):
    assert _tokenizer().lcut(sentence) == tokens


def test_every_userdict_entry_is_one_token():
    tok = _tokenizer()
    words = [line.split()[0] for line in _lines("userdict.txt")]
    broken = [w for w in words if len(w) >= 2
              and not any(w in tok.lcut(frame.format(w)) for frame in FRAMES)]
    assert not broken, f"split by jieba despite the user dictionary: {broken}"


# ---------------------------------------------------------------- stopwords.txt

def test_stopwords_size_and_no_duplicates():
    words = [w for w in _lines("stopwords.txt") if w.strip()]
    assert len(words) >= 600
    assert len(words) == len(set(words))
    assert all(w == w.strip() for w in words)


def test_stopwords_cover_fillers_punctuation_and_digits():
    words = set(_lines("stopwords.txt"))
    for w in ["的", "了", "吧", "呢", "啊", "嗯", "就是", "然后", "那个", "这个", "我们", "他们",
              "觉得", "感觉", "反正", "其实", "比较", "一些", "还有", "什么", "怎么", "问题",
              "，", "。", "！", "？", ",", ".", "!", "?"]:
        assert w in words, w
    assert set("0123456789") <= words


def test_stopwords_keep_meaning_carrying_words():
    words = set(_lines("stopwords.txt"))
    assert not words & set(MEANINGFUL), sorted(words & set(MEANINGFUL))


# ---------------------------------------------------------------- codebook.toml

def test_codebook_header_and_context():
    cb = _codebook()
    assert cb["codebook"]["name"] and cb["codebook"]["version"] and cb["codebook"]["description"]
    ctx = cb["context"]
    assert isinstance(ctx["window"], int) and ctx["window"] > 0
    for cue in ["没问题", "没什么问题", "还可以", "还行", "挺好", "不担心", "无所谓", "不需要"]:
        assert cue in ctx["satisfied"], cue


def test_codebook_theme_ids_in_order():
    study = [t["id"] for t in _codebook()["theme"] if t.get("scope", "study") == "study"]
    assert study == THEME_IDS
    outside = [t for t in _codebook()["theme"] if t.get("scope") == "outside"]
    assert outside and all(t["id"].startswith("out_") for t in outside)


@pytest.mark.parametrize("theme", _codebook()["theme"], ids=lambda t: t["id"])
def test_codebook_theme_terms(theme):
    terms = theme["terms"]
    assert theme["label"] and theme["description"]
    assert 20 <= len(terms) <= 150, len(terms)
    dupes = sorted({t for t in terms if terms.count(t) > 1})
    assert not dupes, dupes
    for key in ("terms", "exclude", "satisfied"):
        for phrase in theme.get(key, []):
            assert phrase and not re.search(r"[\s，。！？；,.!?;]", phrase), (key, phrase)
    assert not set(terms) & set(theme.get("exclude", []))


def test_no_satisfied_cue_hides_inside_a_negation():
    # cues are looked for as substrings after a term, so 满意 would also fire on 不满意
    negative = ["不满意", "不太满意", "很不满意", "不放心", "不自由", "不灵活", "不够用", "不够花",
                "不能接受", "接受不了", "不太好", "不好", "不行", "不太行", "还不够", "受够了"]
    cb = _codebook()
    cues = list(cb["context"]["satisfied"])
    for theme in cb["theme"]:
        cues += theme.get("satisfied", [])
    hidden = [(cue, neg) for cue in cues for neg in negative if cue in neg]
    assert not hidden, hidden


def test_codebook_terms_stay_whole_with_the_user_dictionary():
    tok = _tokenizer()
    words = [line.split()[0] for line in _lines("userdict.txt")]
    known = set(words)
    broken = []
    for theme in _codebook()["theme"]:
        for term in theme["terms"]:
            assert term in known, f"{theme['id']}: {term} missing from userdict.txt"
            if not any(term in tok.lcut(f.format(term)) for f in FRAMES):
                broken.append(term)
    assert not broken, broken


def test_dictionary_words_containing_a_term_are_excluded_or_same_theme():
    # Terms also match inside longer tokens (菜鸟驿站 ⊃ 驿站); such words must be excluded.
    words = [line.split()[0] for line in _lines("userdict.txt")]
    for theme in _codebook()["theme"]:
        terms, excl = set(theme["terms"]), theme.get("exclude", [])
        cues = set(_codebook()["context"]["satisfied"]) | set(theme.get("satisfied", []))
        leaks = [w for w in words
                 if w not in terms and w not in cues
                 and any(t in w for t in terms if len(t) >= 2)
                 and not any(e in w for e in excl)]
        # words that belong to another theme are fine (a term may mean two themes)
        others = {t for th in _codebook()["theme"] if th is not theme for t in th["terms"]}
        leaks = [w for w in leaks if w not in others]
        assert not leaks, f"{theme['id']}: {leaks}"
