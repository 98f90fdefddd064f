"""The Dask engine: the same batches on a Dask distributed cluster.

``scheduler`` is the address of a running scheduler (``tcp://HOST:8786``); without one a
LocalCluster is started on this machine and shut down afterwards. Workers must be able to import
voiceminer (same version) and, for ingest, read the input files at the same paths (a shared
filesystem). Results come back in task order, so the tables equal the local engine's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any


class DaskEngine:
    """Runs tasks as Dask futures; gathers them in order."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, n_workers: int | None = None,
                 processes: bool = True) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ImportError("The dask engine needs dask distributed: "
                              "pip install 'voiceminer[dask]' (or 'dask[distributed]').") from None
        self._cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self._cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1,
                                         processes=processes, dashboard_address=None)
            self.client = Client(self._cluster)

    def map(self, fn: Callable[..., Any], tasks: Iterable[tuple], *, size: int = 0,
            window: int = 16) -> Iterator[Any]:
        """Submit tasks with at most ``window`` in flight, yielding results in order, so a
        million units never sit on the client twice."""
        from collections import deque

        pending: deque = deque()
        shared: dict[int, Any] = {}
        for task in tasks:
            args = []
            for a in task:  # large shared arguments (the spec) travel once
                if _is_spec(a):
                    if id(a) not in shared:
                        shared[id(a)] = self.client.scatter(a, broadcast=True)
                    a = shared[id(a)]
                args.append(a)
            pending.append(self.client.submit(fn, *args, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_spec(obj: Any) -> bool:
    from .kernel import WorkSpec

    return isinstance(obj, WorkSpec)
