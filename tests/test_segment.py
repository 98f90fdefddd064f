from voiceminer.errors import InputFileError
from voiceminer.segment import Segmenter, segment

import pytest


def test_wuxian_yijin_is_one_token():
    seg = Segmenter()
    assert "五险一金" in seg.tokens("公司不给交五险一金")


def test_words_concatenate_back_to_the_text():
    seg = Segmenter()
    text = "平台抽成 太高，一单才3块！"
    assert "".join(seg.words(text)) == text


def test_stopwords_and_punctuation_removed():
    seg = Segmenter()
    toks = seg.tokens("我们就是觉得，平台的抽成太高了。")
    assert "抽成" in toks
    assert not {"我们", "的", "了", "，", "。"} & set(toks)


def test_user_dictionary_and_stopword_files(tmp_path):
    word = "蓝骑士补贴"
    base = Segmenter()
    assert word not in base.tokens(f"今年{word}取消了")
    (tmp_path / "dict.txt").write_text(f"{word} 50000 n\n", encoding="utf-8")
    (tmp_path / "stop.txt").write_text("今年\n", encoding="utf-8")
    seg = Segmenter([tmp_path / "dict.txt"], [tmp_path / "stop.txt"])
    toks = seg.tokens(f"今年{word}取消了")
    assert word in toks and "今年" not in toks
    # the user's words do not leak into other segmenters
    assert word not in Segmenter().tokens(f"今年{word}取消了")


def test_bad_userdict_line_names_file_and_line(tmp_path):
    (tmp_path / "dict.txt").write_text("好词 100 n\n坏词 很多 n\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"dict.txt:2: frequency '很多'"):
        Segmenter([tmp_path / "dict.txt"])


def test_segment_stage_leaves_skipped_units_empty(units_factory):
    from voiceminer.normalize import normalize

    units = normalize(units_factory([{"text": "超时罚款太多"}, {"text": "无"}]))
    out = segment(units, Segmenter())
    assert out["tokens"].iat[0] and out["tokens"].iat[1] == []


def test_content_is_the_same_with_a_small_memo(monkeypatch):
    """Content tokens are decided once per distinct word; a memo that fills up is replaced
    without changing a result."""
    import importlib

    from voiceminer.segment import Segmenter

    seg_module = importlib.import_module("voiceminer.segment")  # the module, not the function

    seg = Segmenter(backend="jieba")
    texts = ["外卖骑手的工资太低了，平台还扣钱！", "我们 3 个人 每天跑 12 小时", "的了吗？？", ""]
    expected = [[w for w in seg.words(t) if seg.is_content(w)] for t in texts]
    monkeypatch.setattr(seg_module, "_CONTENT_MEMO_LIMIT", 5)
    assert [seg.content(seg.words(t)) for t in texts * 2] == expected * 2
