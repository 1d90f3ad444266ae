"""Framing over time: the daily or weekly share of separation and linkage sentences by outlet group."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from .. import style
from ..cells import (
    article_frame,
    numeric,
    table,
)
from .base import (
    Chart,
    Tables,
    _canvas,
    _named,
    _no_data,
)

# ---------------------------------------------------------------- 2b framing over time

OVER_TIME_GROUPS = 5
"""Most outlets with their own panel in the framing-over-time chart; the rest form "other outlets"."""
DAILY_DAYS = 28
"""Up to this many days between the first and last article the framing over time is daily, else weekly."""


def framing_over_time_rows(tables: Tables) -> pd.DataFrame:
    """Per outlet group and day (or week): articles, labelled sentences, and the share of them that present the
    troop costs and the tariffs as separate or as linked (narration and quoted voices together, as in
    `outlet_framing`; headlines are not counted there)."""
    cols = ["group", "period", "n_articles", "n_sentences", "separation", "linkage", "separation_share",
            "linkage_share"]
    of = table(tables, "outlet_framing")
    arts = article_frame(tables)
    if of.empty or arts.empty:
        return pd.DataFrame(columns=cols)
    frame = of.merge(arts[["article_id", "day"]], on="article_id", how="inner")
    if frame.empty:
        return pd.DataFrame(columns=cols)
    span = (frame["day"].max() - frame["day"].min()).days
    frame["period"] = frame["day"] if span <= DAILY_DAYS else frame["day"].dt.to_period("W-SUN").dt.start_time
    counts = frame["outlet"].value_counts(sort=False)
    ranked = sorted(counts.index, key=lambda o: (-counts[o], str(o)))
    keep = set(ranked if len(ranked) <= OVER_TIME_GROUPS + 1 else ranked[:OVER_TIME_GROUPS])
    frame["group"] = [o if o in keep else "other outlets" for o in frame["outlet"]]
    sep = numeric(frame["separation_outlet"]).fillna(0) + numeric(frame["separation_actor"]).fillna(0)
    link = numeric(frame["linkage_outlet"]).fillna(0) + numeric(frame["linkage_actor"]).fillna(0)
    frame = frame.assign(separation=sep, linkage=link, n=numeric(frame["n_sentences"]).fillna(0))
    out = frame.groupby(["group", "period"], sort=False).agg(
        n_articles=("article_id", "nunique"), n_sentences=("n", "sum"), separation=("separation", "sum"),
        linkage=("linkage", "sum")).reset_index()
    total = out["n_sentences"].where(out["n_sentences"] > 0)
    out["separation_share"] = (out["separation"] / total).fillna(0.0)
    out["linkage_share"] = (out["linkage"] / total).fillna(0.0)
    order = {g: i for i, g in enumerate([o for o in ranked if o in keep] + ["other outlets"])}
    out = out.assign(o=out["group"].map(order)).sort_values(["o", "period"], kind="stable").drop(columns="o")
    return out.reindex(columns=cols).reset_index(drop=True)


@_named("framing_over_time_separation_and_linkage_share_by_outlet")
def framing_over_time(tables: Tables) -> Chart:
    """Share of sentences presenting the two issues as separate or linked, by day or week, one panel per outlet."""
    slug = framing_over_time.slug  # type: ignore[attr-defined]
    rows = framing_over_time_rows(tables)
    if rows.empty:
        return _no_data(tables, slug, "framing over time", "outlet_framing")
    groups = list(dict.fromkeys(rows["group"]))
    daily = (rows["period"].max() - rows["period"].min()).days <= DAILY_DAYS and \
        (article_frame(tables)["day"].max() - article_frame(tables)["day"].min()).days <= DAILY_DAYS
    unit = "day" if daily else "week"
    sep, link = rows["separation"].sum(), rows["linkage"].sum()
    total = rows["n_sentences"].sum()
    by_period = rows.groupby("period")[["separation", "linkage", "n_sentences"]].sum()
    lean = by_period["separation"] > by_period["linkage"]
    title = (f"Separation framing outweighs linkage in {int(lean.sum())} of {len(by_period)} {unit}s "
             f"with articles ({sep / total:.0%} vs {link / total:.0%} of all sentences)" if total else
             "No labelled sentences to follow over time")
    subtitle = (f"Share of each outlet's sentences (narration and quoted voices; headlines not counted) that present "
                f"the cost of U.S. troops and the tariffs as separate or as linked, by {unit} of publication. "
                "n under each point: articles in that " + unit + "." +
                (" Outlets beyond the five with most articles are pooled as 'other outlets'." if
                 "other outlets" in groups else ""))
    ncols = 2 if len(groups) > 1 else 1
    nrows = -(-len(groups) // ncols)
    colors = style.outlet_colors(table(tables, "articles"))
    with style.theme():
        fig, axes = _canvas(tables, title, subtitle, width=9.0, height=min(2.1 * nrows, 11.0), nrows=nrows,
                            ncols=ncols, legend=2)
        x_lo, x_hi = mdates.date2num(rows["period"].min()) - 1, mdates.date2num(rows["period"].max()) + 1
        top = max(float(rows[["separation_share", "linkage_share"]].max().max()), 0.05)
        for k, ax in enumerate(axes.flat):
            if k >= len(groups):
                ax.axis("off")
                continue
            g = groups[k]
            sub = rows[rows["group"] == g]
            color = colors.get(g, style.NEUTRAL)
            x = mdates.date2num(sub["period"])
            ax.plot(x, sub["separation_share"], marker="o", color=color, linewidth=1.6, markersize=4.5)
            ax.plot(x, sub["linkage_share"], marker="s", color=color, linewidth=1.2, linestyle="--",
                    markersize=4, markerfacecolor="white")
            if len(sub) <= 60:
                for xi, n in zip(x, sub["n_articles"], strict=True):
                    ax.annotate(f"{n}", (xi, 0), xytext=(0, -2), textcoords="offset points", ha="center",
                                va="top", fontsize=5.5, color=style.MUTED, annotation_clip=False)
            ax.set_title(f"{style.short_outlet(g) if g != 'other outlets' else g} "
                         f"(n={int(sub['n_articles'].sum())})", fontsize=8.5)
            ax.set_ylim(-top * 0.12, top * 1.1)
            ax.set_xlim(x_lo, x_hi)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
        legend = fig.legend(handles=[
            Line2D([], [], marker="o", color=style.INK, label="separation: share of sentences"),
            Line2D([], [], marker="s", color=style.INK, linestyle="--", markerfacecolor="white",
                   label="linkage: share of sentences"),
        ], loc="lower left", bbox_to_anchor=(0.005, fig._lk_legend_y), ncol=2, fontsize=8, borderaxespad=0.0)
        legend.set_in_layout(False)
    data = rows.assign(period=rows["period"].dt.strftime("%Y-%m-%d"))
    return Chart(slug, title, fig, data)


