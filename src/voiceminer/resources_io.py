"""Copying the bundled resources out for editing (``voiceminer init``)."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from .errors import VoiceminerError

EDITABLE = ("codebook.toml", "concerns.toml", "userdict.txt", "stopwords.txt")


def copy_defaults(folder: str | Path, *, force: bool = False) -> list[Path]:
    """Write the default codebook, known-concern catalogue, user dictionary and stopwords into
    ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EDITABLE:
        target = folder / name
        if target.exists() and not force:
            raise VoiceminerError(f"{target} exists; pass --force to overwrite it or choose "
                                  f"another folder.")
        with resources.as_file(resources.files("voiceminer") / "resources" / name) as src:
            shutil.copyfile(src, target)
        written.append(target)
    return written
