"""Tariff rates with the dates they are tied to."""

from __future__ import annotations

import re
import textwrap

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .. import style
from ..cells import (
    article_frame,
    numeric,
    remembered,
    table,
)
from ..units import plural
from .base import (
    PER_ARTICLE_MARKS,
    Chart,
    Tables,
    _article_legend,
    _canvas,
    _date_formatter,
    _markers,
    _named,
    _no_data,
)

_TARIFF = re.compile(r"\b(?:tariffs?|levy|levies|duty|duties|customs)\b", re.IGNORECASE)


@remembered("figures", "sentences", "dates", "articles")
def tariff_rows(tables: Tables) -> pd.DataFrame:
    """Tariff rates (percent figures in tariff sentences) with the date they are tied to in the sentence."""
    figs = table(tables, "figures")
    cols = ["article_id", "outlet", "figure_id", "text", "rate", "what", "date", "date_basis"]
    if figs.empty:
        return pd.DataFrame(columns=cols)
    sents = table(tables, "sentences")
    dates = table(tables, "dates")
    arts = article_frame(tables)
    unit = figs["unit"].astype(object).fillna("").astype(str).str.lower()
    pct = figs[figs["category"].astype(str).str.lower().isin(["percent", "rate", "percentage"]) | unit.eq("percent")]
    wanted = set(zip(pct["article_id"], pct["sentence_id"], strict=True))  # only the sentences of percent figures

    def of_wanted(frame: pd.DataFrame) -> pd.DataFrame:
        keys = pd.Series(list(zip(frame["article_id"], frame["sentence_id"], strict=True)), index=frame.index,
                         dtype=object)
        return frame[keys.isin(wanted)] if len(frame) else frame

    sents = of_wanted(sents)
    text_of = {(r.article_id, r.sentence_id): str(r.text) for r in sents.itertuples()}
    rows = []
    first_date: dict[tuple[str, int], pd.Timestamp] = {}  # the first parsable date of each sentence
    dates = of_wanted(dates)
    if not dates.empty:
        parsed = dates.assign(stamp=pd.to_datetime(dates["date_start"].astype(str).str[:10], errors="coerce"))
        for aid, sid, stamp in parsed.dropna(subset=["stamp"])[["article_id", "sentence_id", "stamp"]].itertuples(
                index=False, name=None):
            first_date.setdefault((aid, sid), stamp)
    pub = dict(zip(arts["article_id"], arts["day"], strict=True))
    outlet = dict(zip(arts["article_id"], arts["outlet"], strict=True))
    values = numeric(pct["value"]).to_dict()
    for r in pct.itertuples():
        sentence = text_of.get((r.article_id, r.sentence_id), "")
        what = r.what if isinstance(r.what, str) else ""
        if not _TARIFF.search(f"{what} {sentence}"):
            continue
        stamp = first_date.get((r.article_id, r.sentence_id))
        if stamp is not None:
            date, basis = stamp, "date in the sentence"
        else:
            date, basis = pub.get(r.article_id), "publication date (no date in the sentence)"
        rate = values.get(r.Index)
        if rate is None or pd.isna(rate):
            continue
        rows.append({"article_id": r.article_id, "outlet": outlet.get(r.article_id, ""), "figure_id": r.figure_id,
                     "text": r.text, "rate": float(rate), "what": what,
                     "date": pd.Timestamp(date).strftime("%Y-%m-%d") if date is not None else "",
                     "date_basis": basis})
    return pd.DataFrame(rows, columns=cols)


def _common_what(whats: pd.Series) -> str:
    """The most frequent non-empty description of a rate ('tariff' when none is given)."""
    filled = whats.astype(object).fillna("").astype(str).str.strip()
    filled = filled[filled != ""]
    return filled.mode().sort_values().iloc[0] if len(filled) else "tariff"


TITLE_RATES = 6
"""Rates named in the tariff chart's title; with more, the most cited are named and the rest counted."""


@_named("tariff_rates_with_dates_by_outlet")
def tariff_rates(tables: Tables) -> Chart:
    """Tariff rates mentioned in the articles, placed at the date each is tied to."""
    slug = tariff_rates.slug  # type: ignore[attr-defined]
    rows = tariff_rows(tables)
    if rows.empty:
        return _no_data(tables, slug, "tariff rates with their dates", "figures")
    arts = _markers(article_frame(tables))
    rates = sorted(rows["rate"].unique())
    per_rate = rows.groupby("rate")["article_id"].nunique()
    whats = rows.groupby("rate")["what"].agg(_common_what)
    named = rates if len(rates) <= TITLE_RATES else sorted(
        per_rate.sort_values(ascending=False, kind="stable").index[:TITLE_RATES])
    listed = ", ".join(f"{r:g}% ({textwrap.shorten(whats[r], 32, placeholder='…')})" for r in named)
    if len(named) < len(rates):
        listed = f"{len(rates)} rates, most cited {listed}"
    if per_rate.nunique() == 1:
        cited = f"each cited in {int(per_rate.iloc[0])} of {len(arts)} articles"
    else:
        cited = f"the most cited, {per_rate.idxmax():g}%, appears in {int(per_rate.max())} of {len(arts)} articles"
    title = f"Tariff rates in play: {listed}; {cited}"
    subtitle = ("Each marker is a tariff rate stated in an article, at the date its sentence gives "
                "(hollow: no date in the sentence, placed at the article's publication date)")
    a_by_id = arts.set_index("article_id")
    per_article = len(arts) <= PER_ARTICLE_MARKS
    shown = arts[arts["article_id"].isin(rows["article_id"])] if per_article else arts.iloc[0:0]
    if not per_article:
        subtitle = ("Each circle is a tariff rate at the date its sentence gives, its area the number of articles "
                    "that state it for that date (hollow: no date in the sentence, placed at the article's "
                    "publication date)")
    dates = pd.to_datetime(rows["date"])
    with style.theme():
        levels = rows.groupby("rate")["what"].agg(_common_what).sort_index(ascending=False)
        fig, axes = _canvas(tables, title, subtitle, height=0.42 * len(levels) + 1.2, legend=len(shown))
        ax = axes[0, 0]
        row_of = {rate: i for i, rate in enumerate(levels.index)}
        if not per_article:
            _tariff_points(ax, rows.assign(d=dates), row_of)
        for (rate, date), group in rows.assign(d=dates).groupby(["rate", "d"], sort=True) if per_article else ():
            for k, (_, r) in enumerate(group.iterrows()):
                a = a_by_id.loc[r["article_id"]]
                x = mdates.date2num(date) + 0.5 + (k - (len(group) - 1) / 2) * 0.35
                hollow = r["date_basis"].startswith("publication")
                ax.plot([x], [row_of[rate]], marker=a["marker"], markersize=8, linestyle="",
                        color="white" if hollow else a["color"], markeredgecolor=a["color"], markeredgewidth=1.6)
        ax.set_yticks(range(len(levels)), [f"{rate:g}%  " + textwrap.shorten(what, 40, placeholder="…")
                                           for rate, what in levels.items()])
        ax.set_ylim(len(levels) - 0.5, -0.5)
        lo, hi = dates.min(), dates.max()
        pad = max((hi - lo).days * 0.08, 2.0)
        ax.set_xlim(mdates.date2num(lo) - pad, mdates.date2num(hi) + 1 + pad)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(_date_formatter(lo, hi) if per_article else
                                     mdates.ConciseDateFormatter(locator, show_offset=False))
        ax.set_ylabel("tariff rate")
        ax.set_xlabel("date the rate is tied to")
        ax.grid(axis="y", visible=False)
        if per_article:
            _article_legend(fig, shown, markers=True)
    return Chart(slug, title, fig, rows)


def _tariff_points(ax, rows: pd.DataFrame, row_of: dict[float, int]) -> None:
    """One circle per (rate, date, dated or not), its area the number of articles: a constant number of
    drawn objects per point, whatever the corpus holds."""
    rows = rows.assign(hollow=rows["date_basis"].str.startswith("publication"))
    points = rows.groupby(["rate", "d", "hollow"], sort=True)["article_id"].nunique().reset_index(name="n")
    top = max(int(points["n"].max()), 1)
    area = 12 + 260 * np.sqrt(points["n"].to_numpy() / top)  # the area grows with the count, the largest bounded
    x = mdates.date2num(points["d"]) + 0.5
    y = points["rate"].map(row_of).to_numpy(dtype=float)
    hollow = points["hollow"].to_numpy()
    ax.scatter(x[~hollow], y[~hollow], s=area[~hollow], color=style.PALETTE[0], alpha=0.75, edgecolors="white",
               linewidths=0.5, zorder=3)
    ax.scatter(x[hollow], y[hollow], s=area[hollow], facecolors="none", edgecolors=style.PALETTE[0],
               linewidths=1.2, zorder=3)
    keys = sorted({1, max(1, top // 10), top})
    handles = [Line2D([], [], marker="o", linestyle="", color=style.PALETTE[0], alpha=0.75,
                      markersize=float(np.sqrt(12 + 260 * np.sqrt(k / top))), label=plural(k, "article"))
               for k in keys]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7.5, title="articles",
              title_fontsize=7.5, borderaxespad=0.3)


