"""Chinese segmentation: jieba (the reference) or jieba-rs (``rjieba``, fast), with the bundled
domain dictionary, user dictionaries and stopwords.

Each ``Segmenter`` owns its own tokenizer rather than a module-level default, so a user's
dictionary in one analysis never leaks into another (or into a test). Two outputs matter:
``words`` keeps every token, so the tokens concatenate back to the text and character offsets stay
exact for evidence spans; ``tokens`` drops stopwords, punctuation and whitespace for counting.

Why two backends: plain jieba segments about 125,000 characters a second, jieba-rs 2.7–3.5 million
with identical tokens when HMM is off. jieba stays the reference and the fallback; ``auto`` picks
rjieba when it is installed. Both get the same dictionary lines through ``add_word(word, freq,
tag)``, which is what ``jieba.load_userdict`` does.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import Protocol

import pandas as pd

from .errors import InputFileError
from .framing import unframed, without_framing
from .schema import analysed_mask, check_units

_NOT_A_TERM = re.compile(r"^[\s\W_]+$|^\d+(\.\d+)?$", re.UNICODE)
_DEFAULT_FREQ = 20000
_MEMO_LIMIT = 50_000  # texts remembered per segmenter; the content-hash cache does the rest
_CONTENT_MEMO_LIMIT = 500_000  # distinct words remembered as content or not
_CUTS_LIMIT = 500_000  # texts whose sentence cuts are remembered for the concern stage
BACKENDS = ("auto", "jieba", "rjieba")


def _resource(name: str) -> Path:
    return Path(str(resources.files("voiceminer") / "resources" / name))


def read_wordlist(path: str | Path) -> list[str]:
    """Lines of a UTF-8 word list, without blanks and ``#`` comments."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise InputFileError(path, "file not found", hint="check the path") from None
    except UnicodeDecodeError as exc:
        raise InputFileError(path, f"not UTF-8 ({exc.reason})",
                             hint="save the word list as UTF-8") from None
    return [s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#")]


def parse_userdict_line(line: str, path: Path, lineno: int) -> tuple[str, int | None, str | None]:
    """``word [freq] [tag]`` as jieba's user dictionaries write it."""
    parts = line.split()
    word, freq, tag = parts[0], None, None
    if len(parts) > 1:
        if not parts[1].isdigit():
            if len(parts) == 2:
                return word, None, parts[1]
            raise InputFileError(path, f"frequency '{parts[1]}' is not a whole number",
                                 line=lineno, hint="write lines as: word [freq] [tag]")
        freq = int(parts[1])
    if len(parts) > 2:
        tag = parts[2]
    return word, freq, tag


def rjieba_available() -> bool:
    """Whether the fast backend (``pip install rjieba``) can be used."""
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_backend(name: str = "auto") -> str:
    """``auto`` → ``rjieba`` when installed, else ``jieba``; an explicit name is checked."""
    if name not in BACKENDS:
        raise ValueError(f"The 'segmenter' setting must be one of {', '.join(BACKENDS)}. "
                         f"Got {name!r} instead.")
    if name == "auto":
        return "rjieba" if rjieba_available() else "jieba"
    if name == "rjieba" and not rjieba_available():
        raise ImportError("The rjieba segmenter is not installed: pip install rjieba "
                          "(or choose --segmenter jieba).")
    return name


class _Backend(Protocol):
    def add_word(self, word: str, freq: int | None, tag: str | None) -> None: ...
    def cut(self, text: str, hmm: bool) -> list[str]: ...


class _JiebaBackend:
    """The reference: jieba's own Tokenizer."""

    name = "jieba"

    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(60)
        self._tok = jieba.Tokenizer()
        self._tok.initialize()

    def add_word(self, word: str, freq: int | None, tag: str | None) -> None:
        """jieba's ``add_word``, except that a word already in the dictionary has its frequency
        replaced rather than counted into the total twice — what jieba-rs does, so that both
        backends weigh routes alike (otherwise ~0.5 % of texts part on near-ties)."""
        old = self._tok.FREQ.get(word, 0)
        self._tok.add_word(word, freq, tag)
        self._tok.total -= old

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._tok.lcut(text, HMM=hmm)


class _RJiebaBackend:
    """jieba-rs through ``rjieba``: the same dictionary and algorithm, compiled."""

    name = "rjieba"

    def __init__(self) -> None:
        import rjieba

        self._tok = rjieba.Jieba()

    def add_word(self, word: str, freq: int | None, tag: str | None) -> None:
        self._tok.add_word(word, freq, tag)

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._tok.cut(text, hmm)


@lru_cache(maxsize=4)
def _main_dict_freqs(wanted: frozenset[str]) -> dict[str, int]:
    """Frequencies in jieba's main dictionary (which rjieba embeds too but does not expose) of
    those of ``wanted`` it holds. Only these are parsed: splitting all 349,000 lines took 0.8 s
    of every run's start. Remembered per set of words: an evaluation and an analysis in one
    process, or the tests, build segmenters for the same codebook again and again. The file is
    found without importing jieba, which the fast backend otherwise never needs (0.2-0.4 s)."""
    from importlib.util import find_spec

    spec = find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ImportError("jieba is not installed: pip install jieba (its dictionary gives the "
                          "codebook terms their frequencies)")
    freqs: dict[str, int] = {}
    with (Path(spec.origin).parent / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            word, _, rest = line.partition(" ")
            if word in wanted and rest:
                freqs[word] = int(rest.split(" ", 1)[0])
    return freqs


class Segmenter:
    """jieba (or jieba-rs) with the domain dictionary, user dictionaries, extra terms, stopwords.

    Parameters
    ----------
    userdicts : extra dictionary files (``word [freq] [tag]`` per line), added after the bundled one.
    stopword_files : extra stopword files (one per line), added to the bundled list.
    extra_terms : words that must stay whole, e.g. every codebook term.
    hmm : let the segmenter guess unknown words with its HMM (jieba's default).
    backend : ``auto`` (rjieba when installed), ``jieba`` (the reference) or ``rjieba``.
    """

    def __init__(
        self,
        userdicts: Sequence[str | Path] = (),
        stopword_files: Sequence[str | Path] = (),
        extra_terms: Iterable[str] = (),
        *,
        hmm: bool = True,
        bundled: bool = True,
        backend: str = "auto",
    ) -> None:
        self.hmm = hmm
        self.backend = resolve_backend(backend)
        self._tok: _Backend = _RJiebaBackend() if self.backend == "rjieba" else _JiebaBackend()
        digest = hashlib.sha256(f"{self.backend}\0hmm={hmm}".encode())
        # Each word is added once with its final frequency: jieba adds a re-added word's
        # frequency to its total again while jieba-rs does not, and only single adds agree.
        entries: dict[str, tuple[int | None, str | None]] = {}
        dict_files = ([_resource("userdict.txt")] if bundled else []) + [Path(p) for p in userdicts]
        for path in dict_files:
            for lineno, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
                if raw.strip() and not raw.lstrip().startswith("#"):
                    word, freq, tag = parse_userdict_line(raw.strip(), path, lineno)
                    entries.pop(word, None)
                    entries[word] = (freq, tag)
                    digest.update(f"\0{word} {freq} {tag}".encode())
        self.base_fingerprint = digest.hexdigest()
        self.terms = tuple(t for t in dict.fromkeys(extra_terms) if t and not _NOT_A_TERM.match(t))
        main = _main_dict_freqs(frozenset(self.terms))
        for term in self.terms:  # codebook terms must stay whole
            freq, tag = entries.pop(term, (None, None))
            entries[term] = (max(_DEFAULT_FREQ, freq or 0, main.get(term, 0)), tag)
        for word, (freq, tag) in entries.items():
            self._tok.add_word(word, freq, tag)
        stop_files = ([_resource("stopwords.txt")] if bundled else []) + [
            Path(p) for p in stopword_files]
        self.stopwords = frozenset(w for f in stop_files for w in read_wordlist(f))
        self._cache: dict[str, list[str]] = {}
        self._content_memo: dict[str, bool] = {}  # word -> is_content(word), for ``content``
        self._cuts: dict[str, tuple[int, ...]] = {}  # text -> sentence cuts, for the concern stage

    @property
    def fingerprint(self) -> str:
        """Everything that decides ``words``: backend, HMM, dictionary lines and extra terms."""
        h = hashlib.sha256(self.base_fingerprint.encode())
        for term in self.terms:
            h.update(f"\0{term}".encode())
        return h.hexdigest()

    @property
    def stopwords_fingerprint(self) -> str:
        """What decides ``content`` besides the words: the stopword list."""
        return hashlib.sha256("\n".join(sorted(self.stopwords)).encode()).hexdigest()

    def words(self, text: str) -> list[str]:
        """All tokens, whitespace included: ``"".join(words(t)) == t``."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self._tok.cut(text, self.hmm) if text else []
            if len(self._cache) < _MEMO_LIMIT:
                self._cache[text] = cached
        return cached

    def remember(self, texts: Iterable[str], words: Iterable[list[str]]) -> None:
        """Seed the memo with known segmentations (from the cache), so coding does not cut again."""
        self._cache.update(zip(texts, words))

    def forget(self) -> None:
        """Empty the memo; engines call it between batches to keep memory bounded."""
        self._cache.clear()

    def is_content(self, word: str) -> bool:
        """A token worth counting: not a stopword, punctuation, whitespace or bare number."""
        return word not in self.stopwords and not _NOT_A_TERM.match(word)

    def content(self, words: Iterable[str]) -> list[str]:
        """The content tokens among ``words``.

        Whether a word is content is decided once per distinct word and remembered: a corpus
        repeats a few tens of thousands of words millions of times, and the pattern test cost
        more than segmenting. Most texts hold only words already decided, so they are read in one
        pass; the distinct new words are worked out only when that pass meets one. A full memo is
        replaced by a new one rather than emptied, so that memory stays bounded and a thread
        reading the old one still finds every word it added."""
        words = words if isinstance(words, list) else list(words)
        memo = self._content_memo
        try:
            return [w for w in words if memo[w]]
        except KeyError:
            pass
        new = set(words).difference(memo)
        if len(memo) + len(new) > _CONTENT_MEMO_LIMIT:
            memo = self._content_memo = {}
            new = set(words)
        memo.update({w: self.is_content(w) for w in new})
        return [w for w in words if memo[w]]

    def content_with_starts(self, words: list[str]) -> tuple[list[str], list[int]]:
        """``content(words)`` and the character offset of each of those tokens."""
        content = self.content(words)
        memo = self._content_memo  # content() left every one of words decided in it
        return content, [s for w, s in zip(words, accumulate(map(len, words), initial=0))
                         if memo[w]]

    def remember_cuts(self, texts: Iterable[str], cuts: Iterable[tuple[int, ...] | None]) -> None:
        """Keep, per text, how many of its content tokens start before each sentence mark (see
        ``concern_tokens.sentence_cuts``): the concern stage then slices a unit's tokens by
        sentence instead of cutting its sentences again. Kept apart from the words memo, which
        ``forget`` empties between batches; bounded, and what does not fit is cut again."""
        memo = self._cuts
        for text, cut in zip(texts, cuts):
            if cut is not None and len(memo) < _CUTS_LIMIT:
                memo[text] = cut

    def cuts_of(self, text: str) -> tuple[int, ...] | None:
        """What ``remember_cuts`` kept for ``text``, or None."""
        return self._cuts.get(text)

    def forget_cuts(self) -> None:
        self._cuts = {}

    def tokens(self, text: str) -> list[str]:
        """Content tokens of ``text`` for counting and clustering."""
        return self.content(self.words(text))

    def unit_content(self, text: str, words: list[str], with_starts: bool = False
                     ) -> tuple[list[str], list[int] | None]:
        """A unit's content tokens as the analysis has them — a post's opening and sign-off
        (``framing.without_framing``) left out, since they are not what it says — and, when
        ``with_starts`` or the text has framing, each token's character offset (else None).
        ``words``: ``self.words(text)``, which the caller usually has already."""
        lo, hi = without_framing(text)
        framed = lo > 0 or hi < len(text)
        if not framed and not with_starts:
            return self.content(words), None
        content, starts = self.content_with_starts(words)
        if framed:
            content, starts = unframed(content, starts, lo, hi)
        return content, starts


def segment(units: pd.DataFrame, segmenter: Segmenter | None = None) -> pd.DataFrame:
    """Add ``tokens``: content tokens of ``clean`` for analysed units, ``[]`` for skipped ones."""
    check_units(units, "normalize")
    seg = segmenter or Segmenter()
    ok = analysed_mask(units).to_numpy()
    out = units.copy()
    out["tokens"] = [seg.unit_content(c, seg.words(c))[0] if keep else []
                     for c, keep in zip(out["clean"], ok)]
    return out
