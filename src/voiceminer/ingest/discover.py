"""Find the files of a corpus folder in a stable order.

Sorted, recursive, without following symlinked folders (a link back to a parent would loop,
and a link to a shared drive would quietly double-count interviews). What is not read is
reported, not silently skipped, so the ledger shows the gap: folders that cannot be listed,
linked folders, broken links, hidden files and folders. Only what a computer leaves behind by
itself passes unlisted: macOS's .DS_Store and ._ files, and Office's lock files (~$访谈.docx,
a few hundred bytes, present while the document is open).
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


SYSTEM_FILES = (".DS_Store", ".localized")
LOCK_FILE_MAX_BYTES = 1024  # Office/WPS lock files are 162 bytes


def is_ignored(name: str) -> bool:
    """Hidden files (.DS_Store, .git) and Office lock files (~$访谈.docx) are not corpus files."""
    return name.startswith((".", "~$"))


def _left_by_the_system(entry: os.DirEntry) -> bool:
    name = entry.name
    if name in SYSTEM_FILES or name.startswith("._"):
        return True
    if not name.startswith("~$"):
        return False
    try:
        return entry.is_file(follow_symlinks=False) and entry.stat().st_size <= LOCK_FILE_MAX_BYTES
    except OSError:
        return False


def _not_read(entry: os.DirEntry, rel: str, is_dir: bool) -> Record | None:
    """The ledger row of an entry that is not read (None: read it, or pass it unlisted)."""
    if entry.is_symlink():
        if is_dir:
            return file_record(rel + "/", "not_followed",
                               f"{rel}/: a link to another folder — not followed (it could loop "
                               f"or count the same interviews twice); copy its files in if they "
                               f"belong to this study")
        if not Path(entry.path).exists():
            return file_record(rel, "not_followed",
                               f"{rel}: a link to a file that does not exist — fix or delete it")
        return None
    if is_ignored(entry.name):
        what = "folder" if is_dir else "file"
        return file_record(rel + ("/" if is_dir else ""), "not_followed",
                           f"{rel}{'/' if is_dir else ''}: hidden {what} (its name starts with "
                           f"'{entry.name[:2] if entry.name.startswith('~$') else '.'}') — not "
                           f"read; rename it if it holds field material")
    return None


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
        if _left_by_the_system(entry):
            continue
        path = Path(entry.path)
        rel = path.relative_to(root).as_posix()
        try:
            is_dir = entry.is_dir(follow_symlinks=entry.is_symlink())
        except OSError:
            is_dir = False
        problem = _not_read(entry, rel, is_dir)
        if problem is not None:
            yield Found(path, rel, problem)
        elif is_dir:
            yield from _walk(path, root)
        else:
            yield Found(path, rel)
