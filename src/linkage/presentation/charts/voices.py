"""Quoted voices by group and outlet."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import style
from ..cells import (
    article_frame,
    pretty,
    table,
)
from ..units import Units, plural, units
from .base import (
    Chart,
    Tables,
    _article_legend,
    _canvas,
    _color_ticks,
    _grouped_bars,
    _heatmap,
    _named,
    _no_data,
    _percent,
)

# ---------------------------------------------------------------- 4 voices


def voice_counts(tables: Tables) -> pd.DataFrame:
    """Quotations (direct, partial, term, indirect) per speaker group and article."""
    quotes = table(tables, "quotes")
    cols = ["speaker_group", "article_id", "quotes"]
    if quotes.empty:
        return pd.DataFrame(columns=cols)
    frame = quotes.assign(speaker_group=quotes["speaker_group"].astype(object).fillna("unattributed").replace("", "unattributed"))
    out = frame.groupby(["speaker_group", "article_id"], sort=False).size().rename("quotes").reset_index()
    return out[cols]


@_named("quoted_voices_by_group_and_outlet")
def voices_by_group(tables: Tables) -> Chart:
    """Who is quoted: quotations per speaker group, one bar per article (or one row per outlet)."""
    slug = voices_by_group.slug  # type: ignore[attr-defined]
    counts = voice_counts(tables)
    if counts.empty:
        return _no_data(tables, slug, "quoted voices by group and outlet", "quotes")
    arts = article_frame(tables)
    u = units(tables)
    totals = counts.groupby("speaker_group")["quotes"].sum().sort_values(ascending=False, kind="stable")
    totals = totals.sort_index().sort_values(ascending=False, kind="stable")
    total = int(totals.sum())
    lead = totals.index[0]
    n_lead = int(counts[counts["speaker_group"] == lead]["article_id"].nunique())
    title = (f"{pretty(lead)} voices are quoted most: {int(totals.iloc[0]):,} of {plural(total, 'quotation')}, "
             f"in {n_lead:,} of {plural(len(arts), 'article')}")
    if not u.by_article:
        return _voices_by_outlet(tables, slug, title, counts, totals, u)
    subtitle = "Quotations (direct, partial and reported speech) per speaker group; one bar per article"
    matrix = counts.pivot_table(index="speaker_group", columns="article_id", values="quotes", fill_value=0)
    matrix = matrix.reindex(totals.index).reindex(columns=[a for a in arts["article_id"] if a in matrix.columns])
    with style.theme():
        fig, axes = _canvas(tables, title, subtitle, height=len(totals) * (0.1 * len(arts) + 0.15) + 0.8,
                            legend=len(arts))
        ax = axes[0, 0]
        _grouped_bars(ax, matrix.fillna(0), arts, fmt=lambda v: f"{v:.0f}")
        ax.set_xlabel("quotations")
        ax.set_ylabel("speaker group")
        _article_legend(fig, arts)
    data = counts.merge(arts[["article_id", "outlet"]], on="article_id", how="left")
    return Chart(slug, title, fig, data)


def _voices_by_outlet(tables: Tables, slug: str, title: str, counts: pd.DataFrame, totals: pd.Series,
                      u: Units) -> Chart:
    """Outlets x speaker groups: the share of each outlet's quotations given to each group (a heatmap)."""
    wide = counts.assign(unit=u.key(counts["article_id"])).pivot_table(
        index="unit", columns="speaker_group", values="quotes", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=totals.index, fill_value=0)
    quotes = wide.sum(axis=1)
    share = wide.div(quotes.replace(0, np.nan), axis=0)
    keys = u.order(share[totals.index[0]])
    labels = [f"{u.rows.at[k, 'label'][:-1]}, {int(quotes.get(k, 0)):,} quotes)" for k in keys]
    subtitle = (f"Share of each outlet's quotations (direct, partial and reported speech) given to each speaker "
                f"group. {u.pooled()}; ordered by the share of {pretty(totals.index[0])} voices")
    with style.theme():
        fig, axes = _canvas(tables, title, subtitle, width=10, height=0.3 * len(keys) + 1.4)
        ax = axes[0, 0]
        _heatmap(ax, share.reindex(keys), labels, fmt=_percent, label="share of the outlet's quotations")
        _color_ticks(ax, u.colors(keys))
        ax.set_ylabel("outlet (articles, quotations)")
    data = share.reindex(keys).rename_axis(index="outlet", columns="speaker_group").stack().rename("share")
    data = data.reset_index().assign(
        quotes=lambda d: [int(wide.at[o, g]) for o, g in zip(d["outlet"], d["speaker_group"], strict=True)],
        articles=lambda d: d["outlet"].map(u.rows["n"]))
    return Chart(slug, title, fig, data)


