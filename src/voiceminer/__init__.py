"""voiceminer: themed, evidence-backed issue lists from what new-employment workers say.

The stages are plain functions over one units table (see ``voiceminer.schema``)::

    import voiceminer as vm
    units = vm.read_corpus("corpora/demo")
    result = vm.analyze(units)  # or: normalize → segment → code_themes → move_by_group → …
    result.prevalence.head()

Names are imported on first use (PEP 562), so ``voiceminer --help`` does not pay for pandas,
scikit-learn or spaCy.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Analysis": "pipeline", "analyze": "pipeline",
    "Codebook": "codebook", "load_codebook": "codebook",
    "ThemeCoder": "coding", "code_themes": "coding", "move_by_group": "group_moves",
    "keyness": "compare", "prevalence": "compare",
    "ConcernFinder": "concerns", "find_concerns": "concerns",
    "read_corpus": "ingest",
    "normalize": "normalize",
    "question_themes": "prompting",
    "answered_themes": "prompting",
    "check_units": "schema", "ledger": "schema",
    "Segmenter": "segment", "segment": "segment",
    "Settings": "settings",
    "redact": "privacy",
    "write_run": "output",
    "evaluate_file": "quality", "train_from_csv": "training", "code_texts": "quality",
    "uncertain_units": "quality",
    "suggest_terms": "suggest_terms",
    "agreement": "agreement", "agreement_files": "agreement",
    "code_matrix": "exports", "quote_list": "exports",
    "export_qdpx": "qda", "import_qdpx": "qda",
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


class _Package(types.ModuleType):
    """The package module, refusing to let a submodule shadow a public function of its name.

    ``voiceminer.normalize`` and ``voiceminer.segment`` are both functions (the API) and modules;
    importing the module makes Python set the package attribute to the module, after which
    ``vm.normalize(units)`` would fail. Ignoring that one assignment keeps the function.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
