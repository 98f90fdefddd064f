"""read_text: strict UTF-8 first, then GB18030 vs Big5 by readability; garbage is an error."""

from __future__ import annotations

import os

import pytest

from voiceminer.errors import InputFileError
from voiceminer.ingest import read_text

SIMPLIFIED = "问：您每天跑多少单？\n答：五十多单，平台抽成太高了。\n"
TRADITIONAL = "問：您每天跑多少單？\n答：五十多單，平台抽成太高了。\n"


@pytest.mark.parametrize(("text", "encoding", "expected"), [
    pytest.param(SIMPLIFIED, "utf-8", "utf-8", id="utf8"),
    pytest.param(SIMPLIFIED, "utf-8-sig", "utf-8-sig", id="utf8-bom"),
    pytest.param(SIMPLIFIED, "gbk", "gb18030", id="gbk"),
    pytest.param(SIMPLIFIED, "gb18030", "gb18030", id="gb18030"),
    pytest.param(TRADITIONAL, "big5", "big5", id="big5"),
    pytest.param(TRADITIONAL, "gbk", "gb18030", id="traditional-in-gbk"),
    pytest.param(SIMPLIFIED, "utf-16", "utf-16", id="utf16-bom"),
])
def test_decodes_chinese_encodings(write_text, text, encoding, expected):
    path = write_text("a.txt", text, encoding)
    decoded, used = read_text(path)
    assert decoded == text
    assert used == expected


@pytest.mark.parametrize(("text", "encoding"), [
    pytest.param("司机", "gbk", id="two-chars-gbk"),
    pytest.param("司機", "big5", id="two-chars-big5"),
    pytest.param("問：收入如何？\n答：不好。", "big5", id="short-big5-detector-gives-up"),
])
def test_very_short_legacy_files(write_text, text, encoding):
    decoded, _ = read_text(write_text("a.txt", text, encoding))
    assert decoded == text


def test_bom_is_not_part_of_the_text(write_text):
    decoded, _ = read_text(write_text("a.txt", "答：好", "utf-8-sig"))
    assert decoded.startswith("答")


def test_binary_garbage_raises_with_hint(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(os.urandom(4000))
    with pytest.raises(InputFileError) as info:
        read_text(path)
    assert "save it as UTF-8" in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("prefix", [b"\x80\x81\xfd\xfe\xff", b"\xff\xfe\xfd\x80\x81"],
                         ids=["invalid-lead-bytes", "fake-utf16-bom"])
def test_undecodable_bytes_name_a_guess(tmp_path, prefix):
    path = tmp_path / "x.txt"
    path.write_bytes(prefix * 50 + "答：好".encode("gbk"))
    with pytest.raises(InputFileError) as info:
        read_text(path)
    assert "guess" in info.value.problem or "binary" in info.value.problem
    assert info.value.hint


def test_missing_file_raises_input_file_error(tmp_path):
    with pytest.raises(InputFileError):
        read_text(tmp_path / "nope.txt")


def test_gbk_text_behind_a_utf8_bom_is_read_as_gbk(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbf" + SIMPLIFIED.encode("gbk"))
    assert read_text(path) == (SIMPLIFIED, "gb18030")


def test_a_utf8_bom_before_garbage_says_so(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + bytes(range(0x80, 0x100)) * 8)
    with pytest.raises(InputFileError, match="starts with a UTF-8 mark \\(BOM\\) but the text "
                                             "after it is not UTF-8"):
        read_text(path)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(write_text, encoding):
    path = write_text("a.txt", SIMPLIFIED, encoding)
    assert read_text(path) == (SIMPLIFIED, encoding)


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be"])
def test_utf32_with_bom_is_read(tmp_path, encoding):
    path = tmp_path / "a.txt"
    data = SIMPLIFIED.encode(encoding)
    if encoding == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data
    path.write_bytes(data)
    assert read_text(path) == (SIMPLIFIED, "utf-32")


_CHARS = "".join(chr(i) for i in [*range(0x20, 0x250), *range(0x3000, 0x3040),
                                  *range(0x4E00, 0x9FFF, 37), *range(0xFF00, 0xFF70), 0x1F600])


def test_readability_counts_every_character_once():
    """The share of non-ASCII characters that are everyday hanzi or CJK punctuation, as the
    detector decides between codecs, whatever the text mixes (counted in C since the sixteenth
    session: a loop per character took 1.5 s a codec on an 11 MB questionnaire)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from voiceminer.ingest._hanzi import COMMON_HANZI
    from voiceminer.ingest.encoding import _mostly_ascii, _readability

    def by_hand(text: str) -> float:
        wide = [c for c in text if ord(c) > 0x7F]
        good = [c for c in wide if c in COMMON_HANZI or "\u3000" <= c <= "\u303f"
                or "\uff01" <= c <= "\uff5e"]
        return len(good) / len(wide) if wide else 1.0

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(st.text(alphabet=_CHARS, max_size=80))
    def check(text: str) -> None:
        assert _readability(text) == by_hand(text)
        assert _mostly_ascii(text) == (sum(ord(c) > 0x7F for c in text) <= 0.05 * max(len(text), 1))

    check()
    assert _readability("工资太低，罚款太多。") == 1.0 and _readability("abc") == 1.0
