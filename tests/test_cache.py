"""The content-hash cache: same results cold and warm, no re-segmentation after a codebook edit,
Parquet on disk (never pickle)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import voiceminer as vm
from voiceminer.cache import AnalysisCache, text_key
from voiceminer.codebook import Codebook
from voiceminer.engine import segment_and_code
from voiceminer.normalize import normalize
from voiceminer.pipeline import make_segmenter
from voiceminer.settings import Settings

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
COLUMNS = ("tokens", "themes", "evidence", "spans")


@pytest.fixture(scope="module")
def units():
    return normalize(vm.read_corpus([DEMO / "江苏", DEMO / "湖北", DEMO / "论坛"]))


def _run(units, codebook, settings):
    seg = make_segmenter(codebook, settings)
    return segment_and_code(units, codebook, settings, seg), seg


def _reference(units, codebook, settings):
    from voiceminer.coding import ThemeCoder, code_themes
    from voiceminer.segment import segment

    seg = make_segmenter(codebook, settings)
    return code_themes(segment(units, seg), coder=ThemeCoder(codebook, seg))


def test_cold_and_warm_equal_the_plain_stages(units, tmp_path):
    cb = Codebook.default()
    settings = Settings(cache_dir=tmp_path)
    ref = _reference(units, cb, settings)
    cold, _ = _run(units, cb, settings)
    warm, _ = _run(units, cb, settings)
    for col in COLUMNS:
        assert cold[col].tolist() == ref[col].tolist(), col
        assert warm[col].tolist() == ref[col].tolist(), col
    files = sorted(p.name for p in tmp_path.iterdir())
    assert any(f.startswith("seg-") and f.endswith(".parquet") for f in files)
    assert any(f.startswith("code-") for f in files)
    assert not any(f.endswith((".pkl", ".pickle")) for f in files)


def test_editing_the_codebook_does_not_segment_again(units, tmp_path, monkeypatch):
    """Labels and context cues change: nothing is segmented; coding runs again."""
    cb = Codebook.default()
    settings = Settings(cache_dir=tmp_path)
    _run(units, cb, settings)
    edited_path = tmp_path / "codebook.toml"
    shutil.copy(cb.source, edited_path)
    text = edited_path.read_text(encoding="utf-8")
    edited_path.write_text(text.replace('label = "工资收入"', 'label = "收入与工资"', 1),
                           encoding="utf-8")
    edited = Codebook.load(edited_path)
    assert edited.sha256 != cb.sha256 and edited.all_terms() == cb.all_terms()

    cut_texts = _counting_cuts(monkeypatch)
    coded, _seg = _run(units, edited, settings)
    analysed = set(units.loc[vm.schema.analysed_mask(units), "clean"])
    assert analysed and not cut_texts & analysed  # only codebook terms were cut (matcher set-up)
    monkeypatch.undo()
    ref = _reference(units, edited, settings)
    for col in COLUMNS:
        assert coded[col].tolist() == ref[col].tolist(), col


def test_added_term_resegments_only_texts_holding_it(tmp_path):
    cache = AnalysisCache(tmp_path, "base", ["罚款"], "fp1", "cb1")
    texts = ["平台罚款太多", "跑单王很累"]
    keys = [text_key(t) for t in texts]
    cache.put_words(keys, [["平台", "罚款", "太", "多"], ["跑", "单", "王", "很", "累"]])
    cache.save()
    again = AnalysisCache(tmp_path, "base", ["罚款", "跑单王"], "fp2", "cb1")
    got = again.get_words(keys, texts)
    assert got[0] == ["平台", "罚款", "太", "多"]
    assert got[1] is None  # holds the new term: segment it again


def test_codes_round_trip(tmp_path):
    """Spans, content tokens and sentence cuts come back as they went in (no cuts: None)."""
    cache = AnalysisCache(tmp_path, "b", [], "f", "c", stopwords="s")
    keys = [text_key("社保没交。工资低"), text_key("还行")]
    rows = [(["social_insurance"], ["social_insurance:社保"], [("social_insurance", 0, 2)],
             ["社保", "没交", "工资", "低"], (2,)),
            ([], [], [], ["还行"], None)]
    cache.put_codes(keys, rows)
    cache.save()
    assert AnalysisCache(tmp_path, "b", [], "f", "c", stopwords="s").get_codes(keys) == rows
    assert AnalysisCache(tmp_path, "b", [], "f", "c", stopwords="t").get_codes(keys) == \
        [None, None]  # other stopwords, other content tokens
    assert AnalysisCache(tmp_path, "b", [], "f", "c", stopwords="s", rules=9).get_codes(keys) \
        == [None, None]  # codes written by another version of the coding code


def _counting_cuts(monkeypatch) -> set[str]:
    import sys

    module = sys.modules["voiceminer.segment"]
    cut_texts: set[str] = set()
    for backend in (module._JiebaBackend, module._RJiebaBackend):
        original = backend.cut

        def counting(self, text, hmm, original=original):
            cut_texts.add(text)
            return original(self, text, hmm)

        monkeypatch.setattr(backend, "cut", counting)
    return cut_texts


def test_a_warm_run_reads_no_words(units, tmp_path, monkeypatch):
    """Same settings again: tokens, codes and cuts all come from the codes table."""
    cb = Codebook.default()
    settings = Settings(cache_dir=tmp_path)
    cold, _ = _run(units, cb, settings)
    read = []
    original = AnalysisCache.get_words
    monkeypatch.setattr(AnalysisCache, "get_words",
                        lambda self, keys, texts: read.extend(keys) or original(self, keys, texts))
    warm, seg = _run(units, cb, settings)
    assert read == []
    for col in COLUMNS:
        assert warm[col].tolist() == cold[col].tolist(), col
    coded = [c for c, s in zip(warm["clean"], warm["spans"]) if s and "。" in c]
    assert coded and all(seg.cuts_of(c) is not None for c in coded)


def test_editing_the_stopwords_codes_again_without_segmenting(units, tmp_path, monkeypatch):
    cb = Codebook.default()
    _run(units, cb, Settings(cache_dir=tmp_path))
    extra = tmp_path / "stop.txt"
    extra.write_text("工资\n", encoding="utf-8")
    settings = Settings(cache_dir=tmp_path, stopwords=(extra,))
    cut_texts = _counting_cuts(monkeypatch)
    coded, _ = _run(units, cb, settings)
    analysed = set(units.loc[vm.schema.analysed_mask(units), "clean"])
    assert not cut_texts & analysed
    monkeypatch.undo()
    ref = _reference(units, cb, settings)
    assert not any("工资" in toks for toks in coded["tokens"])
    for col in COLUMNS:
        assert coded[col].tolist() == ref[col].tolist(), col


def test_rows_put_in_parts_are_saved_once_and_replace_their_old_rows(tmp_path):
    from voiceminer.cache import _Table

    table = _Table(tmp_path / "t.parquet", ("words",))
    keys = [text_key(t) for t in ("一", "二", "三")]
    table.put_many(keys[:2], [(["一"],), (["二"],)])
    table.save()
    again = _Table(tmp_path / "t.parquet", ("words",))
    assert again.get_many(keys) == [(["一"],), (["二"],), None]
    again.put_many(keys[1:2], [(["二", "改"],)])  # put again: replaces the old row
    again.put_many(keys[2:], [(["三"],)])  # a second row group
    assert again.get_many(keys[2:]) == [None]  # found only once saved
    again.save()
    third = _Table(tmp_path / "t.parquet", ("words",))
    assert third.get_many(keys) == [(["一"],), (["二", "改"],), (["三"],)]
    assert len(third) == 3 and not list(tmp_path.glob(".*.tmp"))


def test_a_discarded_run_leaves_the_old_file_and_no_temporary_file(tmp_path):
    from voiceminer.cache import _Table

    table = _Table(tmp_path / "t.parquet", ("words",))
    key = [text_key("一")]
    table.put_many(key, [(["一"],)])
    table.save()
    failed = _Table(tmp_path / "t.parquet", ("words",))
    failed.put_many([text_key("二")], [(["二"],)])
    assert list(tmp_path.glob(".*.tmp"))
    failed.discard()
    assert not list(tmp_path.glob(".*.tmp"))
    assert _Table(tmp_path / "t.parquet", ("words",)).get_many(key) == [(["一"],)]


def test_dropped_rows_are_left_out_and_a_table_dropped_whole_is_removed(tmp_path):
    from voiceminer.cache import _Table

    path = tmp_path / "t.parquet"
    table = _Table(path, ("words",))
    keys = [text_key("一"), text_key("二")]
    table.put_many(keys, [(["一"],), (["二"],)])
    table.save()
    some = _Table(path, ("words",))
    some.drop(keys[:1])
    some.save()
    assert _Table(path, ("words",)).get_many(keys) == [None, (["二"],)]
    every = _Table(path, ("words",))
    every.drop(keys)
    every.save()
    assert not path.exists()


def test_a_failed_analysis_leaves_no_temporary_files(units, tmp_path, monkeypatch):
    import voiceminer.engine as engine

    calls = []
    real = engine.code_batch

    def failing(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("a worker died")
        return real(*args)

    monkeypatch.setattr(engine, "BATCH", 50)
    monkeypatch.setattr(engine, "code_batch", failing)
    with pytest.raises(RuntimeError, match="a worker died"):
        _run(units, Codebook.default(), Settings(cache_dir=tmp_path))
    assert len(calls) == 2 and not list(tmp_path.glob(".*"))


def test_temporary_files_of_runs_killed_outright_are_swept(tmp_path):
    import os

    from voiceminer.cache import STALE_TMP_SECONDS, sweep_stale_tmp

    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    old = tmp_path / f".seg-x.parquet.{dead}.tmp"
    fresh = tmp_path / f".code-y.parquet.{dead}.tmp"
    mine = tmp_path / f".code-z.parquet.{os.getpid()}.tmp"
    other = tmp_path / "seg-x.parquet"
    for path in (old, fresh, mine, other):
        path.write_bytes(b"PAR1")
    long_ago = old.stat().st_mtime - STALE_TMP_SECONDS - 60
    for path in (old, mine, other):
        os.utime(path, (long_ago, long_ago))
    AnalysisCache(tmp_path, "base", [], "full", "sha")
    assert not old.exists()  # old, and its process is gone
    assert fresh.exists() and mine.exists() and other.exists()
    assert sweep_stale_tmp(tmp_path / "absent") == []
