"""Cross-outlet events timeline built from dated statements. Issue 4."""

from __future__ import annotations

import pandas as pd

from .resources import Resources

__all__ = ["corpus_tables"]


def corpus_tables(tables: dict[str, pd.DataFrame], res: Resources) -> dict[str, pd.DataFrame]:
    """The `events` table: one row per event, merged across outlets."""
    return {}
