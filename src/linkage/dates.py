"""Temporal expressions normalised to ISO date ranges. Issue 4."""

from __future__ import annotations

from typing import Any

from .corpus import Document
from .resources import Resources

__all__ = ["extract"]


def extract(doc: Document, res: Resources) -> dict[str, list[dict[str, Any]]]:
    """Find temporal expressions and resolve them against the publication date."""
    return {"dates": []}
