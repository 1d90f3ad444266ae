"""Quotes (direct, partial, term, indirect) with speaker attribution. Issue 3."""

from __future__ import annotations

from typing import Any

from .corpus import Document
from .resources import Resources

__all__ = ["extract"]


def extract(doc: Document, res: Resources) -> dict[str, list[dict[str, Any]]]:
    """Find quotations and reported speech and attribute each to a speaker."""
    return {"quotes": []}
