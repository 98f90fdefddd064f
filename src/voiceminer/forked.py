"""Independent pieces of work on forked processes, for the stages whose work is Python.

Threads share one interpreter lock: the concern stage's themes on two threads took as long as on
one, since most of their work is Python. Forked workers each have their own. They inherit the
parent's tables and the stage's closures instead of receiving pickles, so a piece of work is
named by its index and only its result travels back; the results are the same as in the parent,
whatever the number of workers.

Only on Linux: macOS offers fork, but its system libraries (Accelerate, which NumPy may use for
BLAS) are not safe in a forked child, and Python starts processes there by spawning instead.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

R = TypeVar("R")

_WORK: Callable[[int], Any] | None = None  # set before the pool forks; workers call it by index

# At most this many workers, whatever the core count. Each worker copies the parent's pages it
# touches (reference counts are writes), so memory grows with every worker, while the stages'
# pieces are few and uneven: the concern stage's largest theme and the national issue list are
# single pieces that decide the stage's time from the third worker on.
MAX_WORKERS = 8


def cores() -> int:
    """Cores this process may run on (its affinity, not the machine's count): what ``n_jobs``
    0 means, for forked workers, the local engine's pool and the concern stage's threads."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS/Windows
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether work can go to forked processes here: on Linux, and not from a daemonic process
    (a ``multiprocessing.Pool`` worker may have no children) or a ``forked_map`` worker."""
    return (sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()
            and not mp.current_process().daemon and _WORK is None)


def forked_map(work: Callable[[int], R], n: int, workers: int,
               order: Sequence[int] | None = None) -> list[R]:
    """``[work(i) for i in range(n)]``, computed on ``workers`` forked processes (0: one per
    core), in this process where ``can_fork`` says no and where one worker would do:
    ``workers``, capped at ``MAX_WORKERS`` and at ``n``, is one or less.

    ``order``: the order the indices are handed out in (largest first, so that no worker is
    left with a long piece at the end); the results are in index order all the same. ``work``
    may be a closure: it is never pickled, only its results are. A worker's exception is
    raised here; a worker that dies (the out-of-memory killer) raises ``BrokenProcessPool``
    rather than leaving the run waiting for its piece.
    """
    import gc
    from concurrent.futures import ProcessPoolExecutor

    from . import warmup

    handed = list(order) if order is not None else list(range(n))
    workers = min(workers if workers > 0 else cores(), MAX_WORKERS, n)
    if workers <= 1 or not can_fork():
        done = {i: work(i) for i in handed}
        return [done[i] for i in range(n)]
    global _WORK
    warmup.wait()  # never fork while a thread is importing (see warmup)
    _WORK = work
    # objects made so far are left out of the workers' garbage collections, which would
    # otherwise touch (and so copy) every page of the parent's tables
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            done = dict(zip(handed, pool.map(_call, handed)))
    finally:
        _WORK = None
        gc.unfreeze()
    return [done[i] for i in range(n)]


def _call(i: int) -> Any:
    assert _WORK is not None
    return _WORK(i)
