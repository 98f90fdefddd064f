"""The fast backend (rjieba) against the reference (jieba) on real text.

Real headlines and messages from ../shared/data when present (else the demo corpus): with HMM off
the tokens must be identical; with HMM on the agreement is reported, since the two HMMs may part
on unknown words.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from voiceminer.segment import Segmenter, resolve_backend

pytest.importorskip("rjieba")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SETS = ("thucnews_titles/thucnews_titles_devtest.csv", "teddy2020/messages_labeled.csv",
        "lawbench_topic/lawbench_2-4_topic.csv")


def _real_texts(limit: int = 1500) -> list[str]:
    texts: list[str] = []
    for name in SETS:
        path = SHARED / name
        if path.is_file():
            with path.open(encoding="utf-8-sig", newline="") as f:
                texts += [row["text"] for _, row in zip(range(limit), csv.DictReader(f))]
    if texts:
        return texts
    import voiceminer as vm  # fall back on the demo corpus

    units = vm.normalize(vm.read_corpus(ROOT / "corpora" / "demo"))
    return [c for c in units["clean"] if c][:limit]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _real_texts()


@pytest.fixture(scope="module")
def pairs():
    from voiceminer.codebook import Codebook

    terms = Codebook.default().all_terms()
    return {hmm: (Segmenter(extra_terms=terms, hmm=hmm, backend="jieba"),
                  Segmenter(extra_terms=terms, hmm=hmm, backend="rjieba")) for hmm in (False, True)}


def test_auto_prefers_rjieba():
    assert resolve_backend("auto") == "rjieba"
    with pytest.raises(ValueError, match="segmenter"):
        resolve_backend("pkuseg")


def _route_score(seg: Segmenter, words: list[str]) -> float:
    """jieba's score of a segmentation route: sum of log word probabilities."""
    tok = seg._tok._tok
    return sum(math.log(tok.FREQ.get(w) or 1) - math.log(tok.total) for w in words)


@pytest.mark.parametrize("with_terms", [False, True], ids=["dictionaries", "codebook-terms"])
def test_identical_tokens_without_hmm(texts, pairs, with_terms, capsys):
    """HMM off: token for token the same, except where two routes score exactly the same
    (想掏心掏肺: 掏心+掏 or 掏+心掏), a tie jieba and jieba-rs break differently."""
    ref, fast = pairs[False] if with_terms else (
        Segmenter(hmm=False, backend=b) for b in ("jieba", "rjieba"))
    differing = [t for t in texts if ref.words(t) != fast.words(t)]
    not_ties = [t for t in differing if not math.isclose(
        _route_score(ref, ref.words(t)), _route_score(ref, fast.words(t)), abs_tol=1e-9)]
    with capsys.disabled():
        print(f"\nrjieba vs jieba, HMM off ({'with' if with_terms else 'no'} codebook terms): "
              f"{len(texts) - len(differing)}/{len(texts)} identical, {len(differing)} exact ties")
    assert not not_ties, f"{len(not_ties)} of {len(texts)} texts differ, e.g. {not_ties[:3]}"


def test_agreement_with_hmm_is_reported(texts, pairs, capsys):
    ref, fast = pairs[True]
    same = sum(ref.words(t) == fast.words(t) for t in texts)
    with capsys.disabled():
        print(f"\nrjieba vs jieba, HMM on: {same}/{len(texts)} texts identical "
              f"({same / len(texts):.2%})")
    assert same / len(texts) > 0.9


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_words_concatenate_back(texts, backend):
    seg = Segmenter(backend=backend)
    for t in [*texts[:500], "平台抽成 太高，一单才3块！\r\n  abc\tdef123 ", ""]:
        assert "".join(seg.words(t)) == t


def test_user_dictionary_same_in_both(tmp_path):
    (tmp_path / "d.txt").write_text("蓝骑士补贴 50000 n\n跑单王\n众包骑手 n\n", encoding="utf-8")
    text = "今年蓝骑士补贴取消了，跑单王和众包骑手都不满意"
    ref, fast = (Segmenter([tmp_path / "d.txt"], backend=b, hmm=False) for b in ("jieba", "rjieba"))
    assert ref.words(text) == fast.words(text)
    assert "蓝骑士补贴" in fast.tokens(text)
    assert ref.tokens(text) == fast.tokens(text)


def test_fingerprint_follows_settings():
    a = Segmenter(extra_terms=["跑单"], backend="rjieba")
    assert a.fingerprint == Segmenter(extra_terms=["跑单"], backend="rjieba").fingerprint
    assert a.fingerprint != Segmenter(extra_terms=["跑单王"], backend="rjieba").fingerprint
    assert a.fingerprint != Segmenter(extra_terms=["跑单"], backend="jieba").fingerprint
    assert a.base_fingerprint == Segmenter(extra_terms=["跑单王"], backend="rjieba").base_fingerprint


def test_fast_backend_does_not_import_jieba():
    """The codebook terms' frequencies come from jieba's dictionary file, read without importing
    jieba: a run on rjieba never needs it, and the import cost every run 0.2-0.4 s."""
    import json
    import subprocess
    import sys

    code = ("import json, sys; from voiceminer.segment import Segmenter, _main_dict_freqs; "
            "s = Segmenter(extra_terms=['工资', '跑单王'], backend='rjieba'); "
            "print(json.dumps(['jieba' in sys.modules, "
            "_main_dict_freqs(frozenset(['工资', '跑单王']))]))")
    imported, freqs = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                                text=True, check=True).stdout)
    assert imported is False
    assert freqs.keys() == {"工资"} and freqs["工资"] > 1000  # in jieba's dictionary; 跑单王 is not
