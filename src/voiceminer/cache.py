"""A content-hash cache of segmentation and coding, so re-running ``analyze`` is cheap.

Two Parquet files per setting (never pickle: a cache folder may be shared, and unpickling runs
code):

* ``seg-<dictionaries>.parquet`` — text hash → words (every token, whitespace included), keyed by
  the segmenter's *base* fingerprint (backend, HMM, dictionary lines) and stored beside the list of
  codebook terms it was made with (``.terms.json``). When the codebook's terms change, only the
  texts containing an added or removed term are segmented again: elsewhere the word graph is the
  same. Editing labels, cues, exclusions or salience re-segments nothing.
* ``code-<segmenter>-<codebook>-<stopwords>.parquet`` — text hash → themes, evidence, spans,
  content tokens and sentence cuts (what the concern stage slices tokens by), keyed by the full
  segmenter fingerprint, the codebook's SHA-256 (any codebook edit may change the coding) and the
  stopword list (it decides the content tokens). A re-run with the same settings reads
  everything from here and never loads the words; after an edit of the codebook or the
  stopwords, coding runs again from the cached words and nothing is segmented again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

_KEY_BYTES = 16


def text_key(text: str) -> bytes:
    """A 128-bit BLAKE2b digest of the text: the cache key (collisions are not a practical risk)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_KEY_BYTES).digest()


def default_cache_dir() -> Path:
    """``$VOICEMINER_CACHE``, else ``$XDG_CACHE_HOME/voiceminer``, else ``~/.cache/voiceminer``."""
    if os.environ.get("VOICEMINER_CACHE"):
        return Path(os.environ["VOICEMINER_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "voiceminer"


class _Table:
    """One Parquet file of ``key`` plus list columns (of strings, or of the value type
    ``types`` names), loaded once, appended in memory and written back atomically."""

    def __init__(self, path: Path, columns: Sequence[str],
                 types: dict[str, str] | None = None) -> None:
        self.path = path
        self.columns = tuple(columns)
        self.types = types or {}
        self._new: dict[bytes, tuple] = {}
        self._disk: tuple[Any, dict[bytes, int]] | None = None  # (table, key -> row), once read

    def _read(self) -> tuple[Any, dict[bytes, int]]:
        """The pyarrow table on disk and its row per key, read on first use: a warm run that
        finds every text coded never reads the words."""
        if self._disk is None:
            table = None
            if self.path.is_file():
                import pyarrow.parquet as pq

                try:
                    table = pq.read_table(self.path)
                except Exception:  # a torn or foreign file is a miss, not an error
                    table = None
            if table is None or not set(("key", *self.columns)) <= set(table.column_names):
                self._disk = (None, {})
            else:
                self._disk = (table, {k: i for i, k in
                                      enumerate(table.column("key").to_pylist())})
        return self._disk

    @property
    def _table(self):
        return self._read()[0]

    @property
    def _index(self) -> dict[bytes, int]:
        return self._read()[1]

    def __len__(self) -> int:
        return len(self._index) + len(self._new)

    def get_many(self, keys: Sequence[bytes]) -> list[tuple | None]:
        """The cached row (a tuple of column values) for each key, ``None`` where missing."""
        out: list[tuple | None] = [self._new.get(k) for k in keys]
        table, index = self._read()
        old = [(j, index[k]) for j, k in enumerate(keys) if out[j] is None and k in index]
        if old and table is not None:
            taken = table.take([i for _, i in old])
            cols = [taken.column(c).to_pylist() for c in self.columns]
            for n, (j, _) in enumerate(old):
                out[j] = tuple(col[n] for col in cols)
        return out

    def drop(self, keys: Iterable[bytes]) -> None:
        for k in keys:
            self._index.pop(k, None)
            self._new.pop(k, None)

    def put_many(self, keys: Sequence[bytes], rows: Sequence[tuple]) -> None:
        for k, row in zip(keys, rows):
            self._new[k] = row

    def save(self) -> None:
        if not self._new and (self._disk is None or self._table is None
                              or len(self._index) == self._table.num_rows):
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        parts = []
        if self._table is not None and self._index:
            keep = sorted(i for k, i in self._index.items() if k not in self._new)
            parts.append(self._table.take(keep).select(["key", *self.columns]))
        if self._new:
            keys = list(self._new)
            data = {"key": pa.array(keys, pa.binary(_KEY_BYTES))}
            for n, c in enumerate(self.columns):
                kind = getattr(pa, self.types.get(c, "string"))()
                data[c] = pa.array([self._new[k][n] for k in keys], pa.list_(kind))
            parts.append(pa.table(data))
        table = pa.concat_tables(
            [p.cast(parts[-1].schema) for p in parts]) if parts else None
        if table is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, self.path)


class AnalysisCache:
    """Segmentation and coding results of one segmenter + codebook, by text hash.

    Parameters
    ----------
    folder : where the Parquet files live (created when first written).
    base_fingerprint : the segmenter's dictionaries/backend/HMM fingerprint.
    terms : the codebook terms added to the segmenter's dictionary.
    fingerprint : the segmenter's full fingerprint (base + terms).
    codebook_sha : the codebook file's SHA-256.
    stopwords : a fingerprint of the segmenter's stopwords (``Segmenter.stopwords_fingerprint``).
    """

    def __init__(self, folder: str | Path, base_fingerprint: str, terms: Sequence[str],
                 fingerprint: str, codebook_sha: str, stopwords: str = "") -> None:
        self.folder = Path(folder)
        stem = f"seg-{base_fingerprint[:20]}"
        self._terms_path = self.folder / f"{stem}.terms.json"
        self.words = _Table(self.folder / f"{stem}.parquet", ("words",))
        self.codes = _Table(
            self.folder / f"code-{fingerprint[:16]}-{codebook_sha[:16]}-{stopwords[:12]}.parquet",
            ("themes", "evidence", "spans", "tokens", "cuts"), {"cuts": "int32"})
        self.terms = list(dict.fromkeys(terms))
        old_terms: list[str] = []
        if self._terms_path.is_file():
            try:
                old_terms = json.loads(self._terms_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old_terms = []
        changed = sorted(set(old_terms) ^ set(self.terms), key=len, reverse=True)
        self._stale = (re.compile("|".join(re.escape(t) for t in changed))
                       if changed and len(self.words) else None)
        self._checked: set[bytes] = set()  # keys confirmed valid under the current terms

    def get_words(self, keys: Sequence[bytes], texts: Sequence[str]) -> list[list[str] | None]:
        """Cached words per text; a text holding a term added to or removed from the codebook
        since it was cached is a miss (its word graph changed)."""
        rows = self.words.get_many(keys)
        out: list[list[str] | None] = []
        for key, row, text in zip(keys, rows, texts):
            if row is None or (self._stale is not None and self._stale.search(text)):
                out.append(None)
            else:
                out.append(row[0])
                if self._stale is not None:
                    self._checked.add(key)
        return out

    def put_words(self, keys: Sequence[bytes], words: Sequence[list[str]]) -> None:
        self.words.put_many(keys, [(w,) for w in words])

    def get_codes(self, keys: Sequence[bytes]) -> list[tuple | None]:
        """Cached (themes, evidence, spans, content tokens, sentence cuts or None) per text;
        spans come back as ``(theme, start, end)``, cuts as a tuple."""
        out = []
        for row in self.codes.get_many(keys):
            if row is None:
                out.append(None)
            else:
                themes, evidence, spans, tokens, cuts = row
                out.append((themes, evidence, [_span(s) for s in spans], tokens,
                            tuple(cuts) if cuts else None))  # a text with cuts has a mark
        return out

    def put_codes(self, keys: Sequence[bytes], codes: Sequence[tuple]) -> None:
        """``codes``: what ``get_codes`` gives back, per text."""
        self.codes.put_many(keys, [(t, e, [f"{a}:{b}:{c}" for a, b, c in s], tokens, cuts or [])
                                   for t, e, s, tokens, cuts in codes])

    def save(self) -> None:
        """Write both tables and the term list the words were made with. After a change of terms
        only the words checked (or made) in this run are kept: the others were never checked
        against the changed terms."""
        if self._stale is not None:
            self.words.drop([k for k in list(self.words._index) if k not in self._checked])
        self.words.save()
        self.codes.save()
        if (self.words._new or self._stale is not None) and len(self.words):
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self._terms_path.with_name(f".{self._terms_path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self.terms, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self._terms_path)


def _span(s: str) -> tuple[str, int, int]:
    theme, a, b = s.rsplit(":", 2)
    return theme, int(a), int(b)
