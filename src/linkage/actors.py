"""Actor mentions (registry + unknown named people). Issue 3."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .corpus import Document
from .resources import Resources

__all__ = ["extract", "corpus_tables"]


def extract(doc: Document, res: Resources) -> dict[str, list[dict[str, Any]]]:
    """Find actor mentions in headline, subhead and body sentences."""
    return {"mentions": []}


def corpus_tables(tables: dict[str, pd.DataFrame], res: Resources) -> dict[str, pd.DataFrame]:
    """The `actors` table: registry actors plus named people found outside it."""
    return {}
