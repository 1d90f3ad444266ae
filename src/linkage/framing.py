"""Framing measures: topics, frames, stance (separation vs linkage) per sentence and per outlet. Issue 5."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .corpus import Document
from .resources import Resources

__all__ = ["extract", "corpus_tables"]


def extract(doc: Document, res: Resources) -> dict[str, list[dict[str, Any]]]:
    """Label each content sentence and record the cue words behind every label."""
    return {"framing": [], "framing_cues": []}


def corpus_tables(tables: dict[str, pd.DataFrame], res: Resources) -> dict[str, pd.DataFrame]:
    """The `outlet_framing` table: one row per article."""
    return {}
