"""Deterministic GUIDs for everything voiceminer writes into a REFI-QDA project.

REFI-QDA ties codings to codes, selections to sources and cases to variables by GUID, and the QDA
programs keep those GUIDs when they re-export a project. Deriving every GUID with ``uuid5`` from a
stable name (a theme id, a unit id, a doc id) means that exporting the same run twice gives the
same file, that a theme keeps its GUID across runs of the same codebook (so a re-imported coding
still finds its theme after the terms were edited), and that ``import-qdpx`` can recognise its own
codes without a lookup table.
"""

from __future__ import annotations

import uuid
from typing import Final

# Fixed once; changing it would change every GUID voiceminer has ever written.
NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "urn:voiceminer:refi-qda")


def guid(kind: str, *parts: str) -> str:
    """The GUID of the ``kind`` object named by ``parts``, upper-case as QDA programs write it."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join((kind, *parts)))).upper()


def theme_guid(theme_id: str) -> str:
    """A theme's code: depends on its id only, so editing terms or labels keeps the GUID."""
    return guid("theme", theme_id)


def concern_guid(concern_id: str, label: str) -> str:
    """A concern's child code; the label is part of the name because concern ids are numbered
    per run, and ``pay.03`` of a re-clustered corpus may be a different concern."""
    return guid("concern", concern_id, label)


def source_guid(doc_id: str) -> str:
    return guid("source", doc_id)


def selection_guid(unit_id: str) -> str:
    return guid("selection", unit_id)


def coding_guid(unit_id: str, code: str) -> str:
    return guid("coding", unit_id, code)


def case_guid(respondent_id: str) -> str:
    return guid("case", respondent_id)


def variable_guid(name: str) -> str:
    return guid("variable", name)


def user_guid(name: str) -> str:
    return guid("user", name)
