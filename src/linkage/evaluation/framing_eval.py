"""Scores for one group of tables (filled in by its issue)."""

from __future__ import annotations

import pandas as pd

from ..settings import Settings
from .common import Score

__all__ = ["score"]


def score(settings: Settings, tables: dict[str, pd.DataFrame]) -> list[Score]:
    """Precision/recall (or agreement) of these tables against tests/gold/."""
    return []
