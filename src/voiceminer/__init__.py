"""voiceminer: themed, evidence-backed issue lists from what new-employment workers say.

The stages are plain functions over one units table (see ``voiceminer.schema``)::

    import voiceminer as vm
    units = vm.read_corpus("corpora/demo")
    result = vm.analyze(units)          # or: normalize → segment → code_themes → find_concerns …
    result.prevalence.head()

Names are imported on first use (PEP 562), so ``voiceminer --help`` does not pay for pandas,
scikit-learn or spaCy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Analysis": "pipeline", "analyze": "pipeline",
    "Codebook": "codebook", "load_codebook": "codebook",
    "ThemeCoder": "coding", "code_themes": "coding",
    "keyness": "compare", "prevalence": "compare",
    "ConcernFinder": "concerns", "find_concerns": "concerns",
    "read_corpus": "ingest",
    "normalize": "normalize",
    "check_units": "schema", "ledger": "schema",
    "Segmenter": "segment", "segment": "segment",
    "Settings": "settings",
    "redact": "privacy",
    "write_run": "output",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'voiceminer' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
