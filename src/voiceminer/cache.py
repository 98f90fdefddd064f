"""A content-hash cache of segmentation and coding, so re-running ``analyze`` is cheap.

Two Parquet files per setting (never pickle: a cache folder may be shared, and unpickling runs
code):

* ``seg-<dictionaries>.parquet`` — text hash → words (every token, whitespace included), keyed by
  the segmenter's *base* fingerprint (backend, HMM, dictionary lines) and stored beside the list of
  codebook terms it was made with (``.terms.json``). When the codebook's terms change, only the
  texts containing an added or removed term are segmented again: elsewhere the word graph is the
  same. Editing labels, cues, exclusions or salience re-segments nothing.
* ``code-r<rules>-<segmenter>-<codebook>-<stopwords>.parquet`` — text hash → themes, evidence,
  spans, content tokens and sentence cuts (what the concern stage slices tokens by), keyed by the
  version of the coding code, the full segmenter fingerprint, the codebook's SHA-256 (any
  codebook edit may change the coding) and the stopword list (it decides the content tokens).
  A re-run with the same settings reads everything from here and never loads the words; after
  an edit of the codebook or the stopwords, coding runs again from the cached words and nothing
  is segmented again.
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


# A run's temporary file (``_Table._tmp``) gains a row group every few seconds while it codes and
# is renamed when coding ends, so one untouched for this long, of a process not running here,
# was left by a run killed outright.
STALE_TMP_SECONDS = 3600
_TMP_NAME = re.compile(r"^\..+\.(\d+)\.tmp$")  # what ``_tmp_path`` names


def _tmp_path(path: Path) -> Path:
    """Where this process writes ``path`` before putting it in place (``sweep_stale_tmp`` reads
    the process id back from the name)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def sweep_stale_tmp(folder: Path, now: float | None = None) -> list[Path]:
    """Remove temporary files that runs killed outright (not failed: those discard theirs) left
    in the cache folder; a million posts' cache files are about 100 MB each. A file is removed when
    it has not changed for ``STALE_TMP_SECONDS`` and its process is not running on this machine
    (a folder shared with other machines keeps the files of their runs, which stay fresh).
    Returns what was removed."""
    import time

    if not folder.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for path in folder.iterdir():
        found = _TMP_NAME.match(path.name)
        if not found:
            continue
        try:
            if now - path.stat().st_mtime < STALE_TMP_SECONDS or _running(int(found.group(1))):
                continue
            path.unlink()
        except OSError:  # gone meanwhile, or not ours to remove: leave it
            continue
        removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if os.name != "posix":  # no cheap check elsewhere: keep the file
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def default_cache_dir() -> Path:
    """``$VOICEMINER_CACHE``, else ``$XDG_CACHE_HOME/voiceminer``, else ``~/.cache/voiceminer``."""
    if os.environ.get("VOICEMINER_CACHE"):
        return Path(os.environ["VOICEMINER_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "voiceminer"


class _Table:
    """One Parquet file of ``key`` plus list columns (of strings, or of the value type ``types``
    names), read on first use.

    Rows put during a run go straight to a temporary file beside it, a row group per call, and
    ``save`` adds the old rows still wanted and puts the result in the file's place. So the words
    of a million texts never wait in memory as Python lists until the end: holding them made
    ``analyze`` on 1,000,000 posts peak at 6.7 GiB with the cache on, against 3.7 GiB with it
    off. Rows put are found by ``get_many`` only after ``save`` (an analysis looks every text up
    before it puts any)."""

    def __init__(self, path: Path, columns: Sequence[str],
                 types: dict[str, str] | None = None) -> None:
        self.path = path
        self.columns = tuple(columns)
        self.types = types or {}
        self.put_rows = 0
        self._disk: tuple[Any, dict[bytes, int]] | None = None  # (table, key -> row), once read
        self._tmp = _tmp_path(path)
        self._writer = None  # pyarrow.parquet.ParquetWriter of the rows put, once there are any
        self._put_keys: list = []  # pyarrow arrays of the keys put: their old rows are left out

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
    def _index(self) -> dict[bytes, int]:
        return self._read()[1]

    def __len__(self) -> int:
        """Rows on disk (less those dropped) plus rows put; a key put again counts twice."""
        return len(self._index) + self.put_rows

    def get_many(self, keys: Sequence[bytes]) -> list[tuple | None]:
        """The cached row (a tuple of column values) for each key, ``None`` where missing."""
        out: list[tuple | None] = [None] * len(keys)
        table, index = self._read()
        old = [(j, index[k]) for j, k in enumerate(keys) if k in index]
        if old and table is not None:
            taken = table.take([i for _, i in old])
            cols = [taken.column(c).to_pylist() for c in self.columns]
            for n, (j, _) in enumerate(old):
                out[j] = tuple(col[n] for col in cols)
        return out

    def drop(self, keys: Iterable[bytes]) -> None:
        """Leave these keys' rows on disk out of the saved file."""
        for k in keys:
            self._index.pop(k, None)

    def put_many(self, keys: Sequence[bytes], rows: Sequence[tuple]) -> None:
        if not len(keys):
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = {"key": pa.array(list(keys), pa.binary(_KEY_BYTES))}
        for n, c in enumerate(self.columns):
            kind = getattr(pa, self.types.get(c, "string"))()
            data[c] = pa.array([row[n] for row in rows], pa.list_(kind))
        part = pa.table(data)
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self._tmp, part.schema)
        self._writer.write_table(part)
        self._put_keys.append(data["key"])
        self.put_rows += len(keys)

    def save(self) -> None:
        """Write the rows put and the old rows neither dropped nor put again; the old file is
        replaced only by a complete new one."""
        dropped = self._disk is not None and self._disk[0] is not None and \
            len(self._disk[1]) < self._disk[0].num_rows
        if self._writer is None and not dropped:
            return
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        table, index = self._read()
        old = None
        if table is not None and index:
            old = table.take(np.sort(np.fromiter(index.values(), dtype=np.int64, count=len(index))))
            old = old.select(["key", *self.columns])
            if self._put_keys:
                again = pc.is_in(old.column("key"), value_set=pa.concat_arrays(self._put_keys))
                old = old.filter(pc.invert(again))
        if self._writer is None:  # rows were only dropped
            if old is None or not old.num_rows:
                self.path.unlink(missing_ok=True)
                self._disk = None
                return
            self._writer = pq.ParquetWriter(self._tmp, old.schema)
        try:
            if old is not None and old.num_rows:
                self._writer.write_table(old.cast(self._writer.schema))
        finally:
            self._writer.close()
            self._writer = None
        os.replace(self._tmp, self.path)
        self._disk, self._put_keys, self.put_rows = None, [], 0

    def unload(self) -> None:
        """Let go of the table read from disk (read again if asked for)."""
        self._disk = None

    def discard(self) -> None:
        """Forget the rows put (an analysis that failed saves nothing)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._tmp.unlink(missing_ok=True)
        self._put_keys, self.put_rows = [], 0


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
    rules : the version of the code that codes a text (``engine.kernel.RULES``): a cache
        written by an older voiceminer is not read as if it were current.
    """

    def __init__(self, folder: str | Path, base_fingerprint: str, terms: Sequence[str],
                 fingerprint: str, codebook_sha: str, stopwords: str = "", rules: int = 1
                 ) -> None:
        self.folder = Path(folder)
        sweep_stale_tmp(self.folder)
        stem = f"seg-{base_fingerprint[:20]}"
        self._terms_path = self.folder / f"{stem}.terms.json"
        self.words = _Table(self.folder / f"{stem}.parquet", ("words",))
        self.codes = _Table(
            self.folder / f"code-r{rules}-{fingerprint[:16]}-{codebook_sha[:16]}-"
                          f"{stopwords[:12]}.parquet",
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

    def has_codes(self, keys: Sequence[bytes]) -> list[bool]:
        """Whether each text's codes are cached, without reading them."""
        index = self.codes._index
        return [k in index for k in keys]

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
        write_terms = bool(self.words.put_rows or self._stale is not None) and len(self.words) > 0
        self.words.save()
        self.codes.save()
        if write_terms:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = _tmp_path(self._terms_path)
            tmp.write_text(json.dumps(self.terms, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self._terms_path)

    def discard(self) -> None:
        """Forget what this run put (an analysis that failed saves nothing)."""
        self.words.discard()
        self.codes.discard()

    def close(self) -> None:
        """Let go of the tables read, and hand the memory Arrow kept for reuse back to the
        system: the analysis goes on for minutes after the cache is done with, and its peak
        comes later (clustering, writing)."""
        self.words.unload()
        self.codes.unload()
        import pyarrow as pa

        pa.default_memory_pool().release_unused()


def _span(s: str) -> tuple[str, int, int]:
    theme, a, b = s.rsplit(":", 2)
    return theme, int(a), int(b)
