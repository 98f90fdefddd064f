"""Find the files of a corpus folder in a stable order.

Sorted, recursive, without following symlinked folders (a link back to a parent would loop,
and a link to a shared drive would quietly double-count interviews). Folders that cannot be
listed are reported, not silently skipped, so the ledger shows the gap.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .records import Record, file_record


@dataclass(frozen=True)
class Found:
    """A file to read, or (``problem`` set) a folder that could not be listed."""

    path: Path
    relpath: str
    problem: Record | None = None


def is_ignored(name: str) -> bool:
    """Hidden files (.DS_Store, .git) and Office lock files (~$访谈.docx) are not corpus files."""
    return name.startswith((".", "~$"))


def discover(root: Path) -> Iterator[Found]:
    """Every corpus file under ``root`` (or ``root`` itself when it is a file), sorted by path.

    ``relpath`` is relative to ``root`` with forward slashes; for a single file it is its name.
    """
    if not root.is_dir():
        yield Found(root, root.name)
        return
    yield from _walk(root, root)


def _walk(folder: Path, root: Path) -> Iterator[Found]:
    rel_folder = folder.relative_to(root).as_posix()
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        reason = "permission denied" if isinstance(exc, PermissionError) else str(exc.strerror)
        yield Found(folder, rel_folder, file_record(
            rel_folder + "/", "unreadable_file",
            f"cannot list this folder ({reason}) — give yourself read access or copy its "
            f"files elsewhere"))
        return
    for entry in entries:
        if is_ignored(entry.name):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, root)
        elif not entry.is_symlink() or path.is_file():
            yield Found(path, path.relative_to(root).as_posix())
