"""Chinese segmentation with jieba, the bundled domain dictionary and stopwords.

Each ``Segmenter`` owns its own ``jieba.Tokenizer`` rather than the module-level default, so a
user's dictionary in one analysis never leaks into another (or into a test). Two outputs matter:
``words`` keeps every token, so the tokens concatenate back to the text and character offsets stay
exact for evidence spans; ``tokens`` drops stopwords, punctuation and whitespace for counting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from .errors import InputFileError
from .schema import analysed_mask, check_units

_NOT_A_TERM = re.compile(r"^[\s\W_]+$|^\d+(\.\d+)?$", re.UNICODE)
_DEFAULT_FREQ = 20000


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


class Segmenter:
    """jieba with the domain dictionary, user dictionaries, extra terms and stopwords.

    Parameters
    ----------
    userdicts : extra dictionary files (``word [freq] [tag]`` per line), added after the bundled one.
    stopword_files : extra stopword files (one per line), added to the bundled list.
    extra_terms : words that must stay whole, e.g. every codebook term.
    hmm : let jieba guess unknown words with its HMM (jieba's default).
    """

    def __init__(
        self,
        userdicts: Sequence[str | Path] = (),
        stopword_files: Sequence[str | Path] = (),
        extra_terms: Iterable[str] = (),
        *,
        hmm: bool = True,
        bundled: bool = True,
    ) -> None:
        import jieba

        jieba.setLogLevel(60)
        self.hmm = hmm
        self._tok = jieba.Tokenizer()
        self._tok.initialize()
        dict_files = ([_resource("userdict.txt")] if bundled else []) + [Path(p) for p in userdicts]
        for path in dict_files:
            for lineno, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
                if raw.strip() and not raw.lstrip().startswith("#"):
                    word, freq, tag = parse_userdict_line(raw.strip(), path, lineno)
                    self._tok.add_word(word, freq, tag)
        for term in extra_terms:
            if term and not _NOT_A_TERM.match(term):
                self._tok.add_word(term, max(_DEFAULT_FREQ, self._tok.FREQ.get(term, 0)))
        stop_files = ([_resource("stopwords.txt")] if bundled else []) + [
            Path(p) for p in stopword_files]
        self.stopwords = frozenset(w for f in stop_files for w in read_wordlist(f))
        self._cache: dict[str, list[str]] = {}

    def words(self, text: str) -> list[str]:
        """All tokens, whitespace included: ``"".join(words(t)) == t``."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self._tok.lcut(text, HMM=self.hmm) if text else []
            if len(self._cache) < 500_000:
                self._cache[text] = cached
        return cached

    def is_content(self, word: str) -> bool:
        """A token worth counting: not a stopword, punctuation, whitespace or bare number."""
        return word not in self.stopwords and not _NOT_A_TERM.match(word)

    def tokens(self, text: str) -> list[str]:
        """Content tokens of ``text`` for counting and clustering."""
        return [w for w in self.words(text) if self.is_content(w)]


def segment(units: pd.DataFrame, segmenter: Segmenter | None = None) -> pd.DataFrame:
    """Add ``tokens``: content tokens of ``clean`` for analysed units, ``[]`` for skipped ones."""
    check_units(units, "normalize")
    seg = segmenter or Segmenter()
    ok = analysed_mask(units).to_numpy()
    out = units.copy()
    out["tokens"] = [seg.tokens(c) if keep else [] for c, keep in zip(out["clean"], ok)]
    return out
