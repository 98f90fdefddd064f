"""Threads for the concern stage: independent pieces side by side, each on one core.

Themes, and the candidate numbers of concerns inside a theme, are independent, so they can be
worked on at once. Each thread keeps BLAS and OpenMP to a single core. Tiny BLAS jobs only spin
on a busy machine, and k-means adds up its chunks in a different order on two cores, so without
the limit the concerns would depend on the machine. With it, they are the same whatever the
number of threads.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class CorePool:
    """Runs ``fn`` over items in order, on ``threads`` threads, each keeping OpenMP to one core
    (``controller`` is the ``threadpoolctl.ThreadpoolController`` of ``one_core_each``)."""

    threads: int
    controller: Any

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``map(fn, items)``, results in the order of ``items``.

        With one thread the items are handled lazily, one at a time, so only one is in memory.
        With more, each item is taken from ``items`` as it is submitted: the calling thread can
        prepare the next item while the workers run the ones before it.
        """
        if self.threads <= 1:
            yield from map(fn, items)
            return
        from concurrent.futures import ThreadPoolExecutor

        def one(item: T) -> R:
            with self.controller.limit(limits=1, user_api="openmp"):  # OpenMP's is per thread
                return fn(item)

        with ThreadPoolExecutor(self.threads, thread_name_prefix="concerns") as pool:
            yield from pool.map(one, items)


@contextmanager
def one_core_each(load: bool) -> Iterator[Any]:
    """BLAS and OpenMP on one core, with k-means' ConvergenceWarning silenced. A
    ``threadpoolctl.ThreadpoolController`` is yielded so that worker threads can limit their own
    OpenMP.

    ``load``: import the clustering libraries first, so that the limit covers the OpenMP and SciPy
    BLAS they load. Without it the first theme clustered ran on every core and the rest on one.
    The warnings filter is set once, here, around all threads. ``warnings.catch_warnings`` is not
    thread-safe, and calling it once per k-means fit in threads could leave the process's filters
    changed.
    """
    from threadpoolctl import ThreadpoolController

    with warnings.catch_warnings():
        if load:  # imported for the native libraries they load
            import sklearn.cluster
            import sklearn.decomposition
            import sklearn.metrics  # noqa: F401
            from sklearn.exceptions import ConvergenceWarning

            # k-means on duplicate answers (fewer distinct points than k)
            warnings.simplefilter("ignore", ConvergenceWarning)
        controller = ThreadpoolController()
        with controller.limit(limits=1):
            yield controller
