"""Engines: where the independent, per-unit work runs (reading files, segmentation, coding).

``segment_and_code`` is the segment + code stages of the pipeline in one pass over batches, with
the content-hash cache in front: only texts not cached are sent to the engine. The local engine
uses a process pool over the cores; the dask engine a Dask distributed cluster. Both run the same
``kernel.code_batch`` and return results in order, so the tables are identical.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .. import warmup
from ..schema import analysed_mask, check_units, list_column
from .kernel import RULES, WorkSpec, adopt, code_batch
from .local import LocalEngine

if TYPE_CHECKING:
    import pandas as pd

    from ..codebook import Codebook
    from ..segment import Segmenter
    from ..settings import Settings

ENGINES = ("local", "dask")
BATCH = 5_000


def make_engine(settings: Settings):
    """The engine ``settings.engine`` names (close it, or use it as a context manager)."""
    if settings.engine == "local":
        return LocalEngine(settings.n_jobs)
    if settings.engine == "dask":
        from .dask import DaskEngine

        return DaskEngine(settings.scheduler)
    raise ValueError(f"The 'engine' setting must be one of {', '.join(ENGINES)}. "
                     f"Got {settings.engine!r} instead.")


def work_spec(codebook: Codebook, settings: Settings, segmenter: Segmenter) -> WorkSpec:
    return WorkSpec(codebook, tuple(settings.userdicts), tuple(settings.stopwords), settings.hmm,
                    segmenter.backend, key=f"{segmenter.fingerprint}:"
                    f"{segmenter.stopwords_fingerprint[:16]}:{codebook.sha256}")


def segment_and_code(units: pd.DataFrame, codebook: Codebook, settings: Settings,
                     segmenter: Segmenter, coder=None, engine=None) -> pd.DataFrame:
    """Add ``tokens``, ``themes``, ``evidence`` and ``spans`` — what ``segment`` then
    ``code_themes`` add — using the cache (``settings.cache_dir``) and the engine.

    Each distinct text is segmented and coded once; skipped units get empty lists.
    """
    check_units(units, "normalize")
    spec = work_spec(codebook, settings, segmenter)
    if coder is not None:
        adopt(spec, segmenter, coder)  # in-process and forked workers reuse it
    ok = analysed_mask(units).to_numpy()
    clean = units["clean"].to_numpy()
    texts = list(dict.fromkeys(clean[ok].tolist()))  # distinct, in first-seen order
    cache = None
    if settings.cache_dir is not None:
        from ..cache import AnalysisCache

        cache = AnalysisCache(settings.cache_dir, segmenter.base_fingerprint, segmenter.terms,
                              segmenter.fingerprint, codebook.sha256,
                              stopwords=segmenter.stopwords_fingerprint, rules=RULES)
    own = engine is None
    engine = engine or make_engine(settings)
    if coder is not None and hasattr(engine, "refork"):
        engine.refork()  # a pool forked from now on inherits the coder just adopted
    results: dict[str, tuple] = {}
    try:
        for text_batch, tokens, codes, cuts in _resolve(texts, spec, cache, engine):
            warmup.start()  # the workers are running by now: this process mostly waits
            for text, toks, code in zip(text_batch, tokens, codes):
                results[text] = (toks, *code)
            segmenter.remember_cuts(text_batch, cuts)
    except BaseException:
        if cache is not None:
            cache.discard()
        raise
    finally:
        if own:
            engine.close()
        elif hasattr(engine, "refork"):
            # idle forked workers would keep a frozen copy of every page the parent later
            # rewrites (clustering, writing): release them as soon as their work is done
            engine.refork()
    if cache is not None:
        cache.save()
        cache.close()
    empty: tuple = ([], [], [], [])
    rows = [results[c] if keep else empty for c, keep in zip(clean, ok)]
    out = units.copy()
    for n, col in enumerate(("tokens", "themes", "evidence", "spans")):
        out[col] = list_column([r[n] for r in rows])
    return out


def _resolve(texts: list[str], spec: WorkSpec, cache, engine) -> Iterator[tuple]:
    """(texts, content tokens, codes, sentence cuts) per batch: from the cache where a text was
    coded with the same settings, else from the engine, whose workers pick the content tokens and
    cuts too (from cached words where there are any).

    The tokens come back with one string object per distinct token across the table (as they
    arrive, every occurrence is a string of its own), and the cache keeps those same lists."""
    intern: dict[str, str] = {}

    def shared(tokens: list[list[str]]) -> list[list[str]]:
        return [[intern.setdefault(t, t) for t in toks] for toks in tokens]

    pending = []
    for start in range(0, len(texts), BATCH):
        batch = texts[start:start + BATCH]
        if cache is None:
            pending.append((batch, None, None))
            continue
        from ..cache import text_key

        keys = [text_key(t) for t in batch]
        pending.append((batch, keys, [j for j, hit in enumerate(cache.has_codes(keys)) if not hit]))

    def tasks() -> Iterator[tuple]:
        """Cached words are read as each task is handed out (a pool's feeder takes one or two
        ahead), not for every text at once."""
        for batch, keys, need in pending:
            if keys is None:
                yield spec, batch, [None] * len(batch), False
            elif need:
                yield (spec, [batch[j] for j in need],
                       cache.get_words([keys[j] for j in need], [batch[j] for j in need]), True)

    size = sum(len(batch) if keys is None else len(need) for batch, keys, need in pending)
    done = engine.map(code_batch, tasks(), size=size)
    for batch, keys, need in pending:
        if keys is None:  # no cache
            res = next(done)
            yield batch, shared([r[1] for r in res]), [r[2:5] for r in res], [r[5] for r in res]
            continue
        # (themes, evidence, spans, tokens, cuts) or None; read a batch at a time, so that a
        # million cached texts are not all Python objects at once
        rows = cache.get_codes(keys)
        if need:
            res = next(done)
            made = [(keys[j], r[0]) for j, r in zip(need, res) if r[0] is not None]
            cache.put_words([k for k, _ in made], [w for _, w in made])
            for j, r in zip(need, res):
                rows[j] = (*r[2:5], r[1], r[5])
        tokens = shared([r[3] for r in rows])
        rows = [(*r[:3], toks, r[4]) for r, toks in zip(rows, tokens)]
        if need:
            cache.put_codes([keys[j] for j in need], [rows[j] for j in need])
        yield batch, tokens, [r[:3] for r in rows], [r[4] for r in rows]


def read_files_with(engine):
    """A ``read_corpus`` mapper that reads files through ``engine`` (results in file order).

    The largest files are handed out first, so that no worker is left reading a big
    questionnaire export alone at the end (sorted by path, it often comes last); each file's
    records are passed on as soon as every file before it in path order is done.
    """
    from ..ingest.corpus import read_job

    def mapper(jobs: list[tuple]) -> Iterator[list]:
        order = sorted(range(len(jobs)), key=lambda i: -_file_size(jobs[i][0]))
        done = engine.map(read_job, [jobs[i] for i in order],
                          size=len(jobs) * 10_000 if len(jobs) > 1 else 0)
        ready: dict[int, list] = {}
        wanted = 0
        for i, records in zip(order, done):
            ready[i] = records
            while wanted in ready:
                yield ready.pop(wanted)
                wanted += 1

    return mapper


def _file_size(path) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, TypeError, ValueError):
        return 0


__all__ = ["ENGINES", "LocalEngine", "WorkSpec", "make_engine", "read_files_with",
           "segment_and_code", "work_spec"]
