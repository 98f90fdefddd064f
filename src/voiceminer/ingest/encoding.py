"""Decode text files whatever Chinese encoding they were saved in.

Interview notes come from Windows Notepad (GBK), WPS (UTF-8 with BOM), Hong Kong/Taiwan
colleagues (Big5) and Macs (UTF-8). Nobody declares the encoding, so it must be guessed; a wrong
guess silently turns every answer into mojibake that the later stages would happily code.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Final

from ..errors import InputFileError
from ._hanzi import COMMON_HANZI

# Legacy encodings worth trying, in order of preference when the evidence is tied. GB18030 is a
# superset of GBK and GB2312; cp950 and big5hkscs are supersets of plain Big5.
_LEGACY: Final = ("gb18030", "big5", "cp950", "big5hkscs")
_DETECTOR_CANDIDATES: Final = ["utf_8", "gb18030", "big5", "cp950", "big5hkscs", "utf_16"]
_READABLE: Final = 0.6  # correct decodes score ~0.95; wrong-codec mojibake well under 0.5
_HINT: Final = "open it in a text editor (Notepad, WPS, VS Code) and save it as UTF-8"


def read_text(path: str | Path) -> tuple[str, str]:
    """Return ``(text, encoding)`` for a text file, trying strict UTF-8 first.

    Raises ``InputFileError`` (with the detector's guess and a "save it as UTF-8" hint) when the
    bytes are binary or decode under no sensible Chinese encoding, so a corrupt file becomes one
    clear skip row instead of garbage units.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot open the file ({exc.strerror or exc})",
                             hint="check that it exists and that you may read it") from exc
    return decode_bytes(data, path)


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` as described in ``read_text``; ``path`` is only used in error messages."""
    # UTF-32 first: its little-endian BOM (FF FE 00 00) begins with the UTF-16 one
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                break  # a BOM followed by garbage: let the guessing below explain it
            # FF FE also starts many binary files; real UTF-16 notes read as Chinese.
            if enc == "utf-8-sig" or _readability(text) >= _READABLE or _mostly_ascii(text):
                return text, enc
            break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if data.startswith(codecs.BOM_UTF8):
        return _legacy_after_bom(data, path)
    if b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise InputFileError(path, f"this is binary data, not text (looks like {_guess(data)})",
                             hint=_HINT)
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed
    decoded: dict[str, str] = {}
    for enc in _LEGACY:
        try:
            decoded[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise InputFileError(path, f"the text cannot be decoded (best guess: {_guess(data)})",
                             hint=_HINT)
    detected = _guess(data)
    readable = {e: _readability(text) for e, text in decoded.items()}
    best = max(decoded, key=lambda e: (readable[e], e == detected, -_LEGACY.index(e)))
    if readable[best] < _READABLE and not _mostly_ascii(decoded[best]):
        raise InputFileError(path, f"the text looks garbled under every Chinese encoding "
                                   f"(best guess: {detected})", hint=_HINT)
    return decoded[best], best


def _legacy_after_bom(data: bytes, path: str | Path) -> tuple[str, str]:
    """Text saved as GBK/Big5 by a tool that still wrote a UTF-8 BOM in front of it.

    Decoding the whole file as legacy would misalign every character pair on the three BOM
    bytes, so the BOM is dropped first; if the rest is not readable either, the message says
    that the file claims UTF-8 but is not.
    """
    body = data[len(codecs.BOM_UTF8):]
    for enc in _LEGACY:
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            continue
        if _readability(text) >= _READABLE:
            return text, enc
    raise InputFileError(path, "the file starts with a UTF-8 mark (BOM) but the text after it "
                               "is not UTF-8, nor readable GBK or Big5", hint=_HINT)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without its byte-order mark (some Windows tools), else None.

    Every ASCII character (line breaks included) then carries a zero byte, which alone would
    look like binary data; the text must read as Chinese or plain ASCII to be accepted.
    """
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for c in text if c < " " and c not in "\t\r\n")
        if controls == 0 and (_readability(text) >= _READABLE and _has_wide(text)
                              or _mostly_ascii(text)):
            return text, enc
    return None


def _has_wide(text: str) -> bool:
    return any(ord(c) > 0x7F for c in text)


def _decode_mixed(data: bytes) -> tuple[str, str] | None:
    """Line-by-line decoding for files stitched together from UTF-8 and GBK/Big5 parts.

    A CSV merged from two teams' exports (one from a Mac, one from WPS on Windows) is valid in
    no single encoding. When some lines are valid UTF-8 Chinese and every other line reads well
    in one legacy codec, each line is decoded on its own; otherwise None.
    """
    lines = data.split(b"\n")
    utf8_wide = 0
    bad: list[int] = []
    out: list[str | None] = []
    for i, line in enumerate(lines):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(i)
            out.append(None)
            continue
        utf8_wide += any(ord(c) > 0x7F for c in text)
        out.append(text)
    if not utf8_wide or not bad:
        return None
    for enc in _LEGACY:
        try:
            fixed = {i: lines[i].decode(enc) for i in bad}
        except UnicodeDecodeError:
            continue
        if _readability("".join(fixed.values())) >= _READABLE:
            return "\n".join(fixed.get(i, t) or "" for i, t in enumerate(out)), f"utf-8+{enc}"
    return None


def _readability(text: str) -> float:
    """Share of non-ASCII characters that are everyday hanzi or CJK punctuation.

    Text decoded with the wrong legacy codec is full of rare characters, kana and box-drawing
    symbols, so this separates GBK from Big5 even on a two-character file where the statistical
    detector has nothing to go on.
    """
    wide = len(text) - len(text.encode("ascii", "ignore"))
    if not wide:
        return 1.0
    # counted in C over the whole text: a Python loop per character took 1.5 s for each
    # codec tried on an 11 MB questionnaire saved as GBK (what Excel on Chinese Windows writes)
    return sum(map(_GOOD.__contains__, text)) / wide


# what _readability counts as good: everyday hanzi and CJK punctuation, never ASCII
_GOOD: Final = frozenset(c for c in COMMON_HANZI if ord(c) > 0x7F) | frozenset(
    chr(i) for r in ((0x3000, 0x303F), (0xFF01, 0xFF5E)) for i in range(r[0], r[1] + 1))


def _mostly_ascii(text: str) -> bool:
    """A Latin-1-ish file with a few stray bytes is still worth reading."""
    return len(text) - len(text.encode("ascii", "ignore")) <= 0.05 * max(len(text), 1)


def _guess(data: bytes) -> str:
    """The statistical detector's best encoding name, for tie-breaks and error messages."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536], cp_isolation=_DETECTOR_CANDIDATES).best()
    if best is None:
        best = from_bytes(data[:65536]).best()
    if best is None:
        return "binary data"
    return _canonical(best.encoding)


def _canonical(name: str) -> str:
    """Map the detector's codec names onto the spellings used in ``_LEGACY``."""
    try:
        return codecs.lookup(name).name.replace("_", "-").replace("big5-hkscs", "big5hkscs")
    except LookupError:
        return name
