"""Write-then-rename, so an interrupted run never leaves a half-written report behind.

Report writers often open last week's ``云南.docx`` while a new run is going; a crash half way
through writing must leave that file as it was. Every writer therefore writes to a temporary
file in the *same* folder (``os.replace`` is only atomic within one file system) and renames it
over the target only once the library has finished and the bytes are on disk.
"""

from __future__ import annotations

import os
import secrets
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

# 1980-01-01 is the earliest timestamp a ZIP entry can hold; using it for every member makes
# .docx/.xlsx files from two runs on the same IssueList byte-identical.
ZIP_EPOCH: Final = (1980, 1, 1, 0, 0, 0)


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place only if the block succeeds.

    The temporary name keeps the real suffix (``.docx``, ``.xlsx``…) because some libraries look
    at it, and starts with a dot so file browsers hide it. It is created with ``O_EXCL`` and the
    normal 0666-minus-umask mode, so the finished report gets the same permissions as any file the
    user would create (``mkstemp`` would make it private to the owner).
    """
    target = Path(path)
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{target.stem}.{secrets.token_hex(6)}.tmp{target.suffix}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    os.close(fd)
    try:
        yield tmp
        _fsync(tmp)
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise PermissionError(
                f"Cannot replace {target}: the file may be open in Word, Excel or WPS. "
                "Close it and run again."
            ) from exc
    finally:
        # After a successful replace the temporary name no longer exists.
        tmp.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    """Flush the finished file to disk before the rename, so a power cut cannot leave an empty file."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def normalize_zip(path: Path) -> None:
    """Rewrite a ZIP container (.docx/.xlsx) with fixed member timestamps.

    python-docx and openpyxl stamp every member with the current time, so two runs would differ
    in bytes even with identical content. Member order, names, data and compression are kept.
    """
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o600 << 16
            fixed.create_system = 0
            dst.writestr(fixed, data)
