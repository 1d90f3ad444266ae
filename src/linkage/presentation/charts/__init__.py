"""Briefing charts: one function per chart, each drawing a Figure from the tables (and saving PNG, SVG, CSV).

The package is split by job: `base` (the Chart object, canvas, legends, save), then one module per chart
family (`corpus`, `events` for the timeline, `over_time`, `framing`, `voices`, `money` for the costs chart,
`tariffs`). Every public name is importable from here: `charts.costs(tables)`, `charts.write_all(tables)`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .base import (
    EMBED_BYTES,
    LEGEND_COLUMNS,
    MAX_LEGEND,
    PER_ARTICLE_MARKS,
    Chart,
    Tables,
    _markers,
    _percent,
    _unit_legend,
    usd_text,
)
from .corpus import corpus_lengths
from .events import (
    BACKGROUND_ROWS,
    PERIOD_DAYS,
    TIMELINE_ROWS,
    most_reported,
    span_text,
    timeline,
    timeline_rows,
    timeline_selection,
)
from .framing import (
    label_shares,
    leans,
    outlet_leans,
    pooled_shares,
    stance_by_voice,
    stance_counts,
    topics_frames,
)
from .money import COST_ROWS, basis_text, cost_title, costs, money_rows
from .over_time import DAILY_DAYS, OVER_TIME_GROUPS, framing_over_time, framing_over_time_rows
from .tariffs import TITLE_RATES, tariff_rates, tariff_rows
from .voices import voice_counts, voices_by_group

__all__ = [
    "Chart", "CHARTS", "corpus_lengths", "timeline", "topics_frames", "stance_by_voice",
    "voices_by_group", "costs", "tariff_rates", "write_all", "money_rows", "tariff_rows",
    "stance_counts", "label_shares", "voice_counts", "timeline_rows", "basis_text", "usd_text", "leans", "span_text",
    "timeline_selection", "most_reported", "cost_title", "framing_over_time", "framing_over_time_rows",
    "outlet_leans", "pooled_shares", "EMBED_BYTES", "LEGEND_COLUMNS", "MAX_LEGEND", "TIMELINE_ROWS",
    "BACKGROUND_ROWS", "PERIOD_DAYS", "PER_ARTICLE_MARKS", "OVER_TIME_GROUPS", "DAILY_DAYS", "COST_ROWS", "TITLE_RATES", "Tables",
    "_markers", "_percent", "_unit_legend",
]

CHARTS: list[Callable[[Tables], Chart]] = [
    corpus_lengths, timeline, framing_over_time, topics_frames, stance_by_voice, voices_by_group, costs, tariff_rates,
]
"""Every briefing chart, in notebook order."""


def write_all(tables: Tables, folder: str | Path | None = None) -> list[Chart]:
    """Draw and save every chart (what the notebooks write), e.g. for a briefing script."""
    return [chart(tables).save(folder) for chart in CHARTS]
