"""Readers: interview notes, questionnaire exports and forum posts into the units table.

``read_corpus`` is the entry point; the normalisers are public because other stages (and
notebooks) need the same province and group spellings.
"""

from __future__ import annotations

from .corpus import read_corpus, read_file
from .encoding import read_text
from .groups import group_from_path, match_group, normalize_group
from .provinces import normalize_province, province_from_ip, province_from_path

__all__ = [
    "group_from_path",
    "match_group",
    "normalize_group",
    "normalize_province",
    "province_from_ip",
    "province_from_path",
    "read_corpus",
    "read_file",
    "read_text",
]
