"""Property tests (hypothesis): any Unicode in, no exception out; normalisation is idempotent;
tokens and spans still point into the text they came from; readers never raise on bad bytes."""

from __future__ import annotations

import re

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from voiceminer.errors import InputFileError  # noqa: E402
from voiceminer.ingest.corpus import read_file  # noqa: E402
from voiceminer.ingest.encoding import decode_bytes  # noqa: E402
from voiceminer.ingest.markup import strip_html  # noqa: E402
from voiceminer.normalize import clean_text  # noqa: E402
from voiceminer.origins import expand_line_ranges  # noqa: E402
from voiceminer.privacy import redact  # noqa: E402

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
# Field-note-like text: hanzi (incl. traditional and extension B), markers, digits in both
# widths, emoji, whitespace of every kind, plus anything else Unicode has.
NOTES = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("答问：:。，！？ \n\r\t\u3000王建国罚款社保單價開車１２３0123456789"
                             "𠀾𪚥😭🙃<>&;=+-@\"'")),
        st.characters(codec="utf-8")),
    max_size=200)


@pytest.fixture(scope="module")
def segmenter():
    from voiceminer.segment import Segmenter

    return Segmenter()


@FAST
@given(NOTES)
def test_clean_text_never_fails_and_is_idempotent(text):
    once = clean_text(text)
    assert isinstance(once, str)
    assert clean_text(once) == once


@FAST
@given(NOTES)
def test_segmentation_covers_the_text_exactly(segmenter, text):
    clean = clean_text(text)
    words = segmenter.words(clean)
    assert "".join(words) == clean  # every token is a slice of the text, in order
    assert all(tok in clean for tok in segmenter.tokens(clean))


@FAST
@given(NOTES)
def test_coding_spans_point_into_the_clean_text(segmenter, text):
    from voiceminer.codebook import Codebook
    from voiceminer.coding import ThemeCoder

    coder = _coder(Codebook, ThemeCoder, segmenter)
    clean = clean_text(text + "罚款太多，社保没有")
    themes, evidence, spans = coder.code(clean)
    terms = {e.split(":", 1)[1] for e in evidence}
    for theme, start, end in spans:
        assert 0 <= start < end <= len(clean)
        assert theme in themes and clean[start:end] in terms


_CODER = {}


def _coder(Codebook, ThemeCoder, segmenter):
    if "c" not in _CODER:
        _CODER["c"] = ThemeCoder(Codebook.default(), segmenter)
    return _CODER["c"]


@FAST
@given(NOTES)
def test_redaction_never_fails_and_is_idempotent(text):
    once = redact(text)
    assert redact(once) == once
    if not re.search(r"[0-9０-９@＠]|姓名|名字|受访|被访|访谈|调查|联系人|记录人|采访人", text):
        assert once == text


@FAST
@given(NOTES)
def test_strip_html_never_fails_and_keeps_plain_text(text):
    out = strip_html(text)
    assert isinstance(out, str)
    if "<" not in text and "&" not in text:
        assert out == text


@FAST
@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_text_or_a_clear_error(data):
    try:
        text, encoding = decode_bytes(data, "x.txt")
    except InputFileError as exc:
        assert str(exc).startswith("x.txt: ") and " — " in str(exc)
    else:
        assert isinstance(text, str) and encoding


@FAST
@given(data=st.binary(max_size=300), ext=st.sampled_from([".txt", ".csv", ".jsonl", ".docx",
                                                          ".xlsx", ".md"]))
def test_readers_never_raise_on_any_bytes(tmp_path, data, ext):
    path = tmp_path / f"f{ext}"
    path.write_bytes(data)
    records = read_file(path, path.name)
    assert records
    for r in records:
        assert r.doc_id.startswith(path.name)
        if r.skip_reason in ("unreadable_file", "empty_file", "unsupported_format"):
            assert r.skip_detail.startswith(path.name)


@FAST
@given(st.lists(st.text(alphabet=st.sampled_from(list("答问：王说罚款社保单价 \t𠀾😭１2")),
                        max_size=30), min_size=1, max_size=12))
def test_interview_origins_give_every_line_of_the_turn(tmp_path, lines):
    path = tmp_path / "访谈.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    original = path.read_text(encoding="utf-8").split("\n")
    for r in read_file(path, "访谈.txt"):
        if not r.text:
            continue
        numbers = expand_line_ranges(r.origin.rsplit(":", 1)[1])
        # the origin gives each line of the turn's text, in order (a bare "问：" line holds none)
        said = r.text.split("\n")
        assert numbers is not None and len(numbers) == len(said), (r.origin, r.text, original)
        for words, n in zip(said, numbers):
            assert words.strip() in original[n - 1], (r.origin, r.text, original)

