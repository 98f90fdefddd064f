"""Errors that carry where the problem is and what to do about it.

Library code raises these; only ``cli.py`` turns them into an exit code and a message.
"""

from __future__ import annotations

from pathlib import Path


class VoiceminerError(Exception):
    """Base class: everything voiceminer raises on purpose."""


class SchemaError(VoiceminerError):
    """The units table lacks a column a stage needs."""


class InputFileError(VoiceminerError):
    """An input file (or a row/line in it) cannot be used.

    ``where`` is the path, optionally followed by ``:row`` or ``:line``; ``hint`` says what to do.
    """

    def __init__(self, path: str | Path, problem: str, *, line: int | None = None,
                 hint: str = "") -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.hint = hint
        where = self.path if line is None else f"{self.path}:{line}"
        msg = f"{where}: {problem}"
        if hint:
            msg += f" — {hint}"
        super().__init__(msg)


class CodebookError(VoiceminerError):
    """A codebook file is malformed; the message names the file, line and key at fault."""

    def __init__(self, path: str | Path, problem: str, *, line: int | None = None,
                 key: str | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.key = key
        where = self.path if line is None else f"{self.path}:{line}"
        at = f" (key '{key}')" if key else ""
        super().__init__(f"{where}{at}: {problem}")
