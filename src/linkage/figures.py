"""Figures: money, percentages, counts, durations, ratios. Issue 4."""

from __future__ import annotations

from typing import Any

from .corpus import Document
from .resources import Resources

__all__ = ["extract"]


def extract(doc: Document, res: Resources) -> dict[str, list[dict[str, Any]]]:
    """Find numeric figures with value, unit and what they measure."""
    return {"figures": []}
