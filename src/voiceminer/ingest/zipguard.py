"""Refuse Office files that would exhaust memory or that hide an encrypted workbook.

.docx and .xlsx are zip archives. A "zip bomb" renamed to 访谈.docx (a few KB that inflate to
gigabytes) would make python-docx or openpyxl eat all memory on a colleague's laptop, so the
archive's own table of contents is checked before any library inflates it. A password-protected
.xlsx is not a zip at all but an OLE container holding ``EncryptedPackage``; saying so beats
"not a valid .xlsx".
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final

from ..errors import InputFileError

MAX_TOTAL_BYTES: Final = 512 * 1024 * 1024  # what all members inflate to
MAX_MEMBER_RATIO: Final = 200  # inflated/compressed for any member bigger than 1 MB
MAX_MEMBERS: Final = 20_000
OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED: Final = "EncryptedPackage".encode("utf-16-le")


def check_zip(path: Path, hint: str) -> None:
    """Raise ``InputFileError`` when the archive at ``path`` would inflate beyond safe limits.

    Only the central directory is read (sizes as declared); a member that lies about its size is
    still caught by the libraries' CRC checks, and never inflates past the declared size.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a readable zip: the reader explains that better
    if len(infos) > MAX_MEMBERS:
        raise InputFileError(path, f"the archive holds {len(infos):,} parts, far more than any "
                                   f"Office file (possible zip bomb)", hint=hint)
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise InputFileError(path, f"the archive would inflate to {total / 2**20:,.0f} MB "
                                   f"(possible zip bomb); it was not opened", hint=hint)
    for info in infos:
        if info.file_size > 2**20 and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            raise InputFileError(
                path, f"part {info.filename} inflates {info.file_size // max(info.compress_size, 1):,}"
                      f"-fold (possible zip bomb); it was not opened", hint=hint)


def is_encrypted_office(path: Path) -> bool:
    """True for an OLE container holding an ``EncryptedPackage`` (a password-protected .xlsx/.docx)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(4 * 1024 * 1024)
    except OSError:
        return False
    return data.startswith(OLE_MAGIC) and _ENCRYPTED in data


def zip_without(path: Path, folder: str, kind: str) -> str | None:
    """Why ``path`` is not the Office file its name says, when it is a zip of something else.

    A plain zip renamed to .docx (notes.txt zipped up) makes python-docx fail with a KeyError
    about ``[Content_Types].xml``; naming what the archive holds tells the user what happened.
    Only an archive with nothing under ``folder`` ("word/", "xl/") is named here: a damaged
    package (or a zip bomb) is left to the reader, which explains those better. None also when
    the file is not a readable zip.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if any(n.startswith(folder) for n in names):
        return None
    shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "") if names else "nothing"
    return f"this is a zip archive (holding {shown}), not {kind}"
