"""House style for every chart: fonts, sizes, one colour-blind-safe colour per outlet, source lines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import pandas as pd

from ..pipeline.settings import CHART_MAX_INCHES

__all__ = [
    "PALETTE", "MARKERS", "MAX_INCHES", "NEUTRAL", "INK", "MUTED", "OTHER_COLOR", "EXTRA_COLOR",
    "CLAIMED_COLOR", "REPORTED_COLOR", "OTHER_SUM_COLOR", "RC", "SVG_HASHSALT",
    "theme", "outlet_order", "outlet_colors", "short_outlet", "article_label", "source_line",
]

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (last: weak on white)
)
"""Okabe & Ito (2008) colour-blind-safe palette, in assignment order."""

MARKERS: tuple[str, ...] = ("o", "D", "^", "s", "v", "P")
"""Marker shapes that tell articles of one outlet apart (reused in turn when an outlet has more articles)."""

MAX_INCHES = CHART_MAX_INCHES
"""No chart is wider or taller than this: 3,000 px at 200 dpi (settings.CHART_MAX_INCHES)."""

NEUTRAL = "#8C8C8C"
INK = "#222222"
MUTED = "#5F5F5F"
OTHER_COLOR = "#BDBDBD"
"""Grey of a pooled "other outlets" row, and of every outlet without a row of its own."""
EXTRA_COLOR = "#6E6E6E"
"""Dark grey of outlets that have a row but rank below the palette (their name is on the axis)."""
CLAIMED_COLOR = PALETTE[1]
"""A sum claimed by a speaker (costs chart)."""
REPORTED_COLOR = PALETTE[0]
"""A cost the articles report as fact (costs chart)."""
OTHER_SUM_COLOR = NEUTRAL
"""Any other sum of money, as stated (costs chart)."""
SVG_HASHSALT = "linkage"

RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: identical glyphs on every machine
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9.5,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#BBBBBB",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#E6E6E6",
    "grid.linewidth": 0.7,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "text.parse_math": False,  # "$8 billion" is money, not mathtext
    "svg.hashsalt": SVG_HASHSALT,
    "svg.fonttype": "path",
    "path.simplify": True,
    "hatch.linewidth": 0.8,
}
"""Matplotlib settings of the house theme (applied only inside `theme()`)."""


@contextmanager
def theme() -> Iterator[None]:
    """Apply the house theme for the duration of a `with` block."""
    with mpl.rc_context(RC):
        yield


_PAREN = re.compile(r"\s*\([^)]*\)")


def short_outlet(outlet: str) -> str:
    """A short display name: the outlet without its parenthesised gloss."""
    short = _PAREN.sub("", str(outlet)).strip()
    return short or str(outlet).strip()


def outlet_order(articles: pd.DataFrame | Iterable[str]) -> list[str]:
    """Outlets in order of first appearance in the manifest (stable when an article is appended)."""
    names = articles["outlet"].tolist() if isinstance(articles, pd.DataFrame) else list(articles)
    seen: dict[str, None] = {}
    for name in names:
        if isinstance(name, str) and name and name not in seen:
            seen[name] = None
    return list(seen)


def outlet_colors(articles: pd.DataFrame | Iterable[str]) -> dict[str, str]:
    """One colour per outlet, assigned in manifest order; the palette repeats after eight outlets."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(outlet_order(articles))}


def article_label(row: pd.Series | dict[str, Any], *, with_kind: bool = True) -> str:
    """Display label of one article: short outlet, kind and publication day (e.g. 'The Japan News · news · Apr 19')."""
    outlet = short_outlet(row["outlet"])
    day = pd.Timestamp(str(row["published"])[:10]).strftime("%b %d").replace(" 0", " ")
    return f"{outlet} · {row['kind']} · {day}" if with_kind else f"{outlet} · {day}"


SOURCE_OUTLETS = 8
"""The source line names every outlet up to this many; beyond, it gives the count and the largest three."""


def source_line(articles: pd.DataFrame, extra: str = "") -> str:
    """Source line naming every outlet in the corpus, with the article count."""
    outlets = [short_outlet(o) for o in outlet_order(articles)]
    n = len(articles)
    if len(outlets) > SOURCE_OUTLETS:
        sizes = articles["outlet"].value_counts(sort=False).reindex(outlet_order(articles))
        largest = [short_outlet(o) for o in sizes.sort_values(ascending=False, kind="stable").index[:3]]
        text = f"Source: {n:,} articles from {len(outlets):,} outlets (most articles: {', '.join(largest)})"
    else:
        text = f"Source: {n} article{'s' if n != 1 else ''} from " + (", ".join(outlets) or "no outlet")
    text += ". Tables built by the linkage package."
    return f"{text} {extra}".strip()
