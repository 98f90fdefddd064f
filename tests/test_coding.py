import pytest

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
