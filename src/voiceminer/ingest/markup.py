"""Strip HTML from scraped forum posts so markup is neither analysed nor passed on.

Scrapers keep ``<p>``, ``<br>``, ``&nbsp;`` and sometimes whole ``<script>`` blocks. Tags would
become tokens (``div``, ``nbsp``) and a ``<script>`` quoted into a report could run when someone
opens an HTML rendering of it, so scripts and styles are dropped with their content and other
tags are replaced by the line breaks they stand for.
"""

from __future__ import annotations

import html
import re
from typing import Final

_HIDDEN: Final = re.compile(r"(?is)<(script|style|noscript|iframe|object|template)\b.*?(?:</\1\s*>|$)")
_COMMENT: Final = re.compile(r"(?s)<!--.*?(?:-->|$)")
_BREAK: Final = re.compile(r"(?i)<\s*(?:br|/p|/div|/li|/h[1-6]|/tr)\s*/?\s*>")
_TAG: Final = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_LOOKS_HTML: Final = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&(?:#\d+|#x[0-9a-fA-F]+|[a-z]+);")


def strip_html(text: str) -> str:
    """``text`` without tags, scripts, styles and comments, entities decoded; plain text as is."""
    if not text or not _LOOKS_HTML.search(text):
        return text
    text = _HIDDEN.sub("", text)
    text = _COMMENT.sub("", text)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\u00a0", " ")
    return re.sub(r"\n\s*\n+", "\n", text).strip()
