"""Importing the clustering stack ahead of time, while the main process would only wait.

scikit-learn and the parts of SciPy it pulls in take about 1.5 s to import, and the concern
stage needs them. During segmentation and coding the main process mostly waits for its pool
workers, so the imports are started on a thread there and finished before the concern stage.

A process must not fork while another of its threads is importing: the child would inherit
module locks held by a thread it does not have. So whoever forks calls ``wait`` first, and the
thread is only started once the coding pool is running.

``voiceminer analyze`` also writes its files, on forked workers that would each import the
writers' libraries (matplotlib alone takes about half a second): it asks for them with ``also``
so that they are imported once, on the same thread, and the workers inherit them.
"""

from __future__ import annotations

import importlib
import threading

# what concerns, latent_space, cluster_models and concern_threads import lazily
MODULES = (
    "scipy.sparse", "scipy.special", "threadpoolctl", "sklearn.cluster", "sklearn.decomposition",
    "sklearn.exceptions", "sklearn.feature_extraction.text", "sklearn.metrics",
    "sklearn.preprocessing", "sklearn.utils",
)

# what the report writers import lazily (charts, word, excel, exports, output)
WRITER_MODULES = (
    "matplotlib.figure", "matplotlib.backends.backend_agg", "matplotlib.font_manager", "docx",
    "openpyxl", "pyarrow.parquet",
)

_thread: threading.Thread | None = None
_lock = threading.Lock()
_extra: list[str] = []


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the stage that needs it will raise it properly
            continue


def also(modules: tuple[str, ...]) -> None:
    """Have ``start`` import ``modules`` too, after its own (no effect once it has begun)."""
    with _lock:
        _extra.extend(m for m in modules if m not in _extra)


def start(modules: tuple[str, ...] = MODULES) -> None:
    """Begin importing ``modules``, then those asked for with ``also``, on a background thread
    (once per process)."""
    global _thread
    with _lock:
        if _thread is None:
            wanted = (*modules, *(m for m in _extra if m not in modules))
            _thread = threading.Thread(target=_import_all, args=(wanted,), daemon=True,
                                       name="voiceminer-warmup")
            _thread.start()


def wait() -> None:
    """Return once the warm-up imports, if any were started, are done."""
    thread = _thread
    if thread is not None:
        thread.join()
