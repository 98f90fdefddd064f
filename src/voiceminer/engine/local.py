"""The local engine: batches run in-process, or on a process pool over the machine's cores.

On Linux the pool forks, so workers inherit the segmenter and coder the parent already built
(building them takes seconds); elsewhere each worker builds its own once.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..forked import cores

# below this many texts a pool costs more than it saves
POOL_THRESHOLD = 20_000


def _call(task: tuple) -> Any:
    fn, *args = task
    return fn(*args)


class LocalEngine:
    """Runs ``fn(*args)`` per task; ``n_jobs`` processes (0: one per core, 1: in-process)."""

    name = "local"

    def __init__(self, n_jobs: int = 0) -> None:
        self.n_jobs = n_jobs if n_jobs > 0 else cores()
        self._pool = None

    def map(self, fn: Callable[..., Any], tasks: Iterable[tuple], *, size: int = 0) -> Iterator[Any]:
        """Results in task order. ``size`` (total items) decides whether a pool is worth it."""
        if self.n_jobs <= 1 or size < POOL_THRESHOLD:
            return (fn(*t) for t in tasks)
        return self._pool_for().imap(_call, ((fn, *t) for t in tasks), chunksize=1)

    def _pool_for(self):
        if self._pool is None:
            from .. import warmup

            warmup.wait()  # never fork while a thread is importing (see warmup)
            method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
            self._pool = mp.get_context(method).Pool(self.n_jobs)
        return self._pool

    def refork(self) -> None:
        """Let the next pool fork from the current process state (what the workers inherit)."""
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
