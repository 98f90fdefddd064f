"""Commands that measure and improve coding quality: evaluate, train, suggest, suggest-terms."""

from __future__ import annotations
