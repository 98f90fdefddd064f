import pytest

import voiceminer as vm
from voiceminer.coding import ThemeCoder, code_themes, displacy_spans


@pytest.fixture(scope="module")
def coder(mini_codebook, mini_segmenter):
    return ThemeCoder(mini_codebook, mini_segmenter)


CASES = {
    "single": ("这个月工资又少发了八百", ["pay"]),
    "multi": ("平台抽成高，公司也不交社保", ["social_insurance", "platform_rules"]),
    "shared-term": ("罚款太狠", ["pay", "platform_rules"]),
    "inside-longer-token": ("超时罚款一次五十", ["pay", "platform_rules"]),
    "exclusion": ("工资卡丢了去补办", []),
    "satisfied": ("社保的话还行", []),
    "satisfied-other-clause": ("社保没交，别的还行", ["social_insurance"]),
    "denied": ("我从来没被交警罚过", []),
    "nothing": ("今天天气不错", []),
}


@pytest.mark.parametrize("text, themes", CASES.values(), ids=CASES.keys())
def test_code(coder, text, themes):
    assert coder.code(text)[0] == themes


def test_evidence_offsets_point_into_the_text(coder):
    text = "干了三年，五险一金一分没有，派单还不公平"
    themes, evidence, spans = coder.code(text)
    assert themes == ["social_insurance", "platform_rules"]
    assert evidence == ["social_insurance:五险一金", "platform_rules:派单"]
    assert [text[a:b] for _, a, b in spans] == ["五险一金", "派单"]


def test_code_themes_stage(units_factory, mini_codebook, mini_segmenter):
    from voiceminer.normalize import normalize
    from voiceminer.segment import segment

    units = segment(normalize(units_factory([{"text": "限行太多"}, {"text": "无"}])), mini_segmenter)
    out = code_themes(units, mini_codebook, mini_segmenter)
    assert out["themes"].tolist() == [["enforcement"], []]
    assert out["evidence"].iat[0] == ["enforcement:限行"]


def test_displacy_span_view(coder):
    doc = displacy_spans(coder, "抽成太高")
    assert [(s.text, s.label_) for s in doc.spans["sc"]] == [("抽成", "platform_rules")]


def test_exclude_context_drops_a_match_only_in_its_sentence(tmp_path, mini_segmenter):
    from voiceminer.codebook import load_codebook

    path = tmp_path / "cb.toml"
    path.write_text('[[theme]]\nid = "platform_rules"\nterms = ["罚款"]\n'
                    'exclude_context = ["交警"]\n', encoding="utf-8")
    coder = ThemeCoder(load_codebook(path), mini_segmenter)
    assert coder.code("交警罚款两百")[0] == []
    assert coder.code("被交警拦了。平台又罚款五十")[0] == ["platform_rules"]


ROUTE = """
[context]
salience = 0.5
salience_min_chars = 20

[[theme]]
id = "pay"
label = "工资收入"
terms = ["工资", "欠薪"]

[[theme]]
id = "rights"
label = "权益维护渠道"
terms = ["仲裁", "仲裁委", "劳动局"]
{compete}
"""

# two wage words against five words for the route the complaint took
ARBITRATION_LETTER = "公司欠薪半年，我们去仲裁委申请仲裁，仲裁委不受理，又去劳动局，劳动局让我们再去仲裁，工资还是没拿到。"


def _route_coder(tmp_path, compete: str):
    from voiceminer.codebook import load_codebook
    from voiceminer.quality import make_coder

    path = tmp_path / "route.toml"
    path.write_text(ROUTE.format(compete=compete), encoding="utf-8")
    return make_coder(load_codebook(path))


def test_a_theme_that_does_not_compete_never_sets_the_salience_bar(tmp_path):
    # competing, the route words outnumber the wage words 2.5 to 1 and drop pay
    assert _route_coder(tmp_path, "").code(ARBITRATION_LETTER)[0] == ["rights"]
    # not competing, the letter raises the wages it went to arbitration about, and the route
    assert _route_coder(tmp_path, "compete = false").code(ARBITRATION_LETTER)[0] == ["pay", "rights"]


def test_a_non_competing_theme_is_still_dropped_when_named_in_passing(tmp_path):
    coder = _route_coder(tmp_path, "compete = false")
    letter = "公司欠薪半年，工资一分没发，欠薪的事问了好几次，工资说下个月发，听说可以仲裁。"
    assert coder.code(letter)[0] == ["pay"]


def test_compete_must_be_a_boolean(tmp_path):
    from voiceminer.codebook import load_codebook
    from voiceminer.errors import CodebookError

    path = tmp_path / "route.toml"
    path.write_text(ROUTE.format(compete='compete = "no"'), encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert "rights.compete" in str(err.value) and "route.toml" in str(err.value)


def test_token_phrases_find_what_spacy_phrase_matcher_finds():
    """Overlapping, nested and multi-token patterns, as PhraseMatcher reports them."""
    import random

    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from voiceminer.coding import TokenPhrases

    patterns = {"a": [["工资"], ["拖欠", "工资"], ["工资", "卡"]], "b": [["拖欠"], ["工资"]],
                "c": [["超时", "罚款", "罚款"]]}
    ours, vocab = TokenPhrases(), Vocab()
    theirs = PhraseMatcher(vocab)
    for label, seqs in patterns.items():
        ours.add(label, seqs)
        theirs.add(label, [Doc(vocab, words=s, spaces=[False] * len(s)) for s in seqs])
    rng = random.Random(0)
    for _ in range(200):
        words = [rng.choice(["工资", "拖欠", "卡", "超时", "罚款", "，", "我"]) for _ in range(12)]
        doc = Doc(vocab, words=words, spaces=[False] * len(words))
        expected = sorted((vocab.strings[m], s, e) for m, s, e in theirs(doc))
        assert sorted(ours(words)) == expected


def test_clause_finder_agrees_with_clause_bounds():
    from voiceminer.coding import clause_bounds, clause_finder

    text = "平台抽成高，工资拖欠三个月。社保也没交；还行吧\n我们要维权"
    bounds = clause_finder(text)
    for start in range(len(text)):
        for end in range(start, len(text) + 1):
            assert bounds(start, end) == clause_bounds(text, start, end)


def test_bounds_agree_with_a_scan_of_every_mark():
    import re

    from voiceminer.coding import clause_bounds, sentence_bounds

    text = "平台抽成高，工资拖欠三个月。社保也没交；还行吧\n我们要维权!对?"
    for bounds, marks in ((clause_bounds, "，,。．.！!？?；;：:\n"), (sentence_bounds, "。！!？?；;\n")):
        for start in range(len(text) + 1):
            expected = max((m.end() for m in re.finditer(f"[{re.escape(marks)}]", text[:start])),
                           default=0)
            assert bounds(text, start, start)[0] == expected


def test_coding_is_the_same_with_a_small_memo(coder, monkeypatch):
    from voiceminer import coding

    texts = [text for text, _ in CASES.values()]
    expected = [coder.code(t) for t in texts]
    monkeypatch.setattr(coding, "_WORD_MEMO_LIMIT", 3)
    fresh = ThemeCoder(coder.codebook, coder.segmenter)
    assert [fresh.code(t) for t in texts * 2] == expected * 2


@pytest.mark.parametrize("text, themes", [
    # a wish that lists what might happen: the union, not three complaints
    ("我们遇到欠薪、罚款、受伤这些事的时候，工会能站出来帮我们说话", ["organization"]),
    # the same list without a supposition is three complaints
    ("希望解决欠薪、罚款、受伤这些问题", ["pay", "safety", "platform_rules"]),
    # one problem after 遇到 is still that problem
    ("遇到欠薪不知道怎么办", ["pay"]),
    # the supposition covers its own clause only
    ("万一出了车祸、罚款、欠薪怎么办，现在社保也没交", ["social_insurance"]),
])
def test_a_list_of_what_might_happen_is_not_a_list_of_complaints(text, themes):
    from voiceminer.pipeline import make_segmenter

    cb = vm.Codebook.default()
    coder = ThemeCoder(cb, make_segmenter(cb, vm.Settings()))
    assert coder.code(text)[0] == themes


@pytest.mark.parametrize("text, themes", [
    ("打12345投诉平台乱扣钱", ["pay", "platform_rules", "rights"]),
    ("打了12345也没人管", ["rights"]),
    # the hotline's digits inside a phone number, a plate, an amount: no hotline
    ("有事打我电话13812345678", []),
    ("车牌云A·12345，年审过了", []),
    ("去年工资一共112345元", ["pay"]),
])
def test_a_hotline_number_inside_a_longer_number_is_not_the_hotline(text, themes):
    from voiceminer.pipeline import make_segmenter

    cb = vm.Codebook.default()
    coder = ThemeCoder(cb, make_segmenter(cb, vm.Settings()))
    assert sorted(coder.code(text)[0]) == themes


SETTING = """
[context]
salience = 0.5
salience_min_chars = 20

[[theme]]
id = "social_insurance"
terms = ["新农合", "报销", "社保"]

[[theme]]
id = "out_health"
scope = "outside"
terms = ["住院", "医院", "看病", "手术"]
{setting}
"""

HOSPITAL_LETTER = "我母亲在县医院住院做了手术，住院十几天，看病花了三万多，新农合只给报销了一点。"


@pytest.mark.parametrize(("setting", "themes"), [
    ("", []),  # the hospital words outnumber the insurance ones and it is a health letter
    ('setting_for = ["新农合"]', ["social_insurance"]),  # they are its setting
])
def test_a_theme_that_is_only_the_setting_of_another_term_does_not_outweigh_it(
        tmp_path, setting, themes):
    from voiceminer.codebook import load_codebook
    from voiceminer.quality import make_coder

    path = tmp_path / "setting.toml"
    path.write_text(SETTING.format(setting=setting), encoding="utf-8")
    coder = make_coder(load_codebook(path))
    assert coder.code(HOSPITAL_LETTER)[0] == themes
    # without the insurance term the hospital words stay a health matter
    assert "out_health" in {ev.theme for ev in coder.evidence("在医院住院做了手术，看病花了三万多")}
