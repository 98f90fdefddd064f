"""Round trip with the researchers' own QDA programs through the REFI-QDA exchange format.

``export_qdpx`` writes a run as a ``.qdpx`` project; ``import_qdpx`` reads a project back (after
people corrected the coding in NVivo, ATLAS.ti, MAXQDA or QualCoder) into a labels table.
"""

from __future__ import annotations

from .export import ExportSummary, export_qdpx
from .importer import ImportResult, import_qdpx

__all__ = ["ExportSummary", "ImportResult", "export_qdpx", "import_qdpx"]
