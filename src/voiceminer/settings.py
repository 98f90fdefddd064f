"""Settings: package defaults, overridden by keyword arguments or CLI flags.

One frozen object travels through a run and is written into ``manifest.json``, so a report can be
reproduced from the settings recorded beside it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

FORMATS = ("md", "docx", "xlsx", "csv", "json")


@dataclass(frozen=True)
class Settings:
    """Everything that changes what ``analyze`` produces."""

    codebook: Path | None = None  # None: the bundled default codebook
    model: Path | None = None  # a folder written by `voiceminer train`; adds learned labels
    learn: bool = False  # self-train a model on the codebook's matches in this corpus
    screen: bool = False  # set aside coded units a self-trained relevance screen finds off-topic
    userdicts: tuple[Path, ...] = ()
    stopwords: tuple[Path, ...] = ()
    text_cols: tuple[str, ...] = ()
    hmm: bool = True
    max_concerns: int = 8
    concern_catalogue: Path | None = None  # known concerns (TOML); None: the bundled one
    min_respondents: int = 3
    random_state: int = 0
    quotes_per_concern: int = 3
    redact: bool = True
    formats: tuple[str, ...] = field(default=FORMATS)
    # how the work runs: engine and cache never change the outputs; the segmenter backend
    # only where jieba and jieba-rs guess unknown words differently (HMM on)
    segmenter: str = "auto"  # auto (rjieba when installed) | jieba | rjieba
    engine: str = "local"  # local (a process pool over the cores) | dask
    scheduler: str | None = None  # dask scheduler address; None starts a LocalCluster
    cache_dir: Path | None = None  # segmentation/coding cache; None: no cache
    n_jobs: int = 0  # local worker processes; 0: one per core

    def __post_init__(self) -> None:
        bad = [f for f in self.formats if f not in FORMATS]
        if bad:
            raise ValueError(f"Unknown output format(s) {', '.join(bad)}; choose from "
                             f"{', '.join(FORMATS)}.")
        for name in ("max_concerns", "min_respondents", "quotes_per_concern"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"The '{name}' setting must be an int in the range [1, inf). "
                                 f"Got {value!r} instead.")

    def with_(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied; ``None`` values keep the current setting."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Path) else [str(x) for x in v]
                    if isinstance(v, tuple) else v) for k, v in asdict(self).items()}
