"""Briefing charts: one function per chart, each drawing a Figure from the tables (and saving PNG, SVG, CSV)."""

from __future__ import annotations

import base64
import html
import io
import logging
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, PercentFormatter

from . import style
from .cells import (
    article_frame,
    day_label,
    numeric,
    pretty,
    sentence_roles,
    split_list,
    stance_sign,
    table,
    voice_of,
)
from .units import OTHER_COLOR, Units, plural, units

__all__ = [
    "Chart", "CHARTS", "corpus_lengths", "timeline", "topics_frames", "stance_by_voice",
    "voices_by_group", "costs", "tariff_rates", "write_all", "money_rows", "tariff_rows",
    "stance_counts", "label_shares", "voice_counts", "timeline_rows", "basis_text", "usd_text", "leans", "span_text",
    "timeline_selection", "most_reported", "cost_title", "framing_over_time", "framing_over_time_rows",
]

log = logging.getLogger(__name__)

Tables = dict[str, pd.DataFrame]
LEGEND_COLUMNS = 3
EMBED_BYTES = 1_000_000
"""A chart PNG larger than this is embedded in notebooks and reports at 100 dpi instead of 200."""
MAX_LEGEND = 18
"""Legend entries a chart may have (six rows); charts with more rows name them on the axis instead."""


@dataclass
class Chart:
    """A drawn chart: its figure, the exact data plotted, and a file stem that says what it shows."""

    slug: str
    title: str
    figure: Figure
    data: pd.DataFrame
    empty: bool = False
    files: list[Path] = field(default_factory=list)

    def png_bytes(self, dpi: int = 200) -> bytes:
        """The chart as PNG bytes (no metadata, so identical on every rebuild)."""
        buffer = io.BytesIO()
        with style.theme():
            self.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    def save(self, folder: str | Path | None = None) -> Chart:
        """Write <slug>.png (200 dpi), <slug>.svg and <slug>.csv (the data plotted) into `folder` (default figures/)."""
        from ..pipeline.settings import Settings

        out = Path(folder) if folder is not None else Settings.discover().figures
        out.mkdir(parents=True, exist_ok=True)
        png, svg, csv = (out / f"{self.slug}.{ext}" for ext in ("png", "svg", "csv"))
        self._png = self.png_bytes()
        png.write_bytes(self._png)
        with style.theme():
            self.figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        self.data.to_csv(csv, index=False, lineterminator="\n")
        self.files = [png, svg, csv]
        return self

    def _repr_html_(self) -> str:
        png = getattr(self, "_png", None) or self.png_bytes()
        if len(png) > EMBED_BYTES:  # a dense chart: embed it at 100 dpi, 256 colours (200 dpi is in figures/)
            png = _palette_png(self.png_bytes(dpi=100))
        data = base64.b64encode(png).decode("ascii")
        width = int(self.figure.get_figwidth() * 100)
        alt = html.escape(self.title, quote=True)
        files = ""
        if self.files:
            names = ", ".join(html.escape(p.name) for p in self.files)
            files = f'<div style="color:#5f5f5f;font-size:12px">Saved: {names}</div>'
        return (
            f'<figure style="margin:0 0 1em 0"><img src="data:image/png;base64,{data}" alt="{alt}" '
            f'style="max-width:100%;width:{width}px;height:auto">{files}</figure>'
        )

    def __repr__(self) -> str:
        return f"Chart({self.slug!r}: {self.title})"


def _palette_png(png: bytes) -> bytes:
    """The same image in a 256-colour palette (charts are flat colours: it looks the same, at a third the bytes)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        buffer = io.BytesIO()
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG",
                                                                                       optimize=True)
    return buffer.getvalue()


# ---------------------------------------------------------------- layout helpers


def _named(slug: str) -> Callable[[Callable[[Tables], Chart]], Callable[[Tables], Chart]]:
    """Record the file stem a chart function writes as `function.slug`."""

    def mark(function: Callable[[Tables], Chart]) -> Callable[[Tables], Chart]:
        function.slug = slug  # type: ignore[attr-defined]
        return function

    return mark


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _canvas(
    tables: Tables, title: str, subtitle: str, *, width: float = 9.0, height: float = 3.6,
    nrows: int = 1, ncols: int = 1, note: str = "", legend: int = 0, **grid: object,
) -> tuple[Figure, np.ndarray]:
    """A figure with title, subtitle, a legend band (`legend` entries) and a source line around the axes grid."""
    title_lines = _wrap(title, int(width * 9.2))
    sub_lines = _wrap(subtitle, int(width * 14))
    source = style.source_line(table(tables, "articles"), note)
    src_lines = _wrap(source, int(width * 17.5))
    legend_rows = -(-min(legend, MAX_LEGEND) // LEGEND_COLUMNS) if legend else 0
    top = 0.14 + 0.24 * len(title_lines) + 0.19 * len(sub_lines) + 0.08
    src_height = 0.1 + 0.15 * len(src_lines)
    legend_height = 0.2 * legend_rows + (0.12 if legend_rows else 0.0)
    bottom = src_height + legend_height
    width = min(width, style.MAX_INCHES)
    height = min(height, style.MAX_INCHES - top - bottom)  # never taller than MAX_INCHES: the plot gives way
    total = height + top + bottom
    engine = ConstrainedLayoutEngine(rect=(0.0, bottom / total, 1.0, height / total), h_pad=0.06, w_pad=0.06)
    fig = Figure(figsize=(width, total), layout=engine)
    y = 1 - 0.12 / total
    fig.text(0.012, y, "\n".join(title_lines), ha="left", va="top", fontsize=13, weight="bold",
             color=style.INK, linespacing=1.15)
    y -= (0.24 * len(title_lines) + 0.04) / total
    fig.text(0.012, y, "\n".join(sub_lines), ha="left", va="top", fontsize=9.5, color=style.MUTED,
             linespacing=1.25)
    fig.text(0.012, 0.08 / total, "\n".join(src_lines), ha="left", va="bottom", fontsize=7.5,
             color=style.MUTED, linespacing=1.3)
    fig._lk_legend_y = (src_height + 0.02) / total  # type: ignore[attr-defined]
    axes = fig.subplots(nrows, ncols, squeeze=False, gridspec_kw=grid or None)
    return fig, axes


def _no_data(tables: Tables, slug: str, what: str, needs: str) -> Chart:
    """A clear 'no data' chart for a table that is empty (e.g. not built yet)."""
    with style.theme():
        fig, axes = _canvas(tables, f"No data yet: {what}", f"The {needs} table has no rows to chart.",
                            height=1.6)
        ax = axes[0, 0]
        ax.axis("off")
        ax.text(0.5, 0.5, f"No data: the {needs} table is empty.\nRebuild the tables (`make data`) "
                "once the extractor exists, then re-run the notebook.",
                ha="center", va="center", fontsize=10, color=style.MUTED, transform=ax.transAxes)
    return Chart(slug, f"No data yet: {what}", fig, pd.DataFrame({"note": [f"{needs} table is empty"]}),
                 empty=True)


def _article_legend(fig: Figure, arts: pd.DataFrame, *, markers: bool = False) -> None:
    """Legend of articles (outlet colour; hatch or marker tells articles of one outlet apart) above the source."""
    handles = []
    for _, a in arts.iterrows():
        if markers:
            handles.append(Line2D([], [], marker=a["marker"], color=a["color"], linestyle="",
                                  markersize=7, markeredgecolor="white", label=a["label"]))
        else:
            handles.append(Patch(facecolor=a["color"], hatch=a["hatch"], edgecolor="white", label=a["label"]))
    legend = fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.005, fig._lk_legend_y),
                        ncol=min(LEGEND_COLUMNS, max(len(handles), 1)), fontsize=8, handlelength=1.6,
                        columnspacing=1.6, borderaxespad=0.0)
    legend.set_in_layout(False)


def _unit_legend(fig: Figure, u: Units, keys: list[str] | None = None, *, markers: bool = False) -> None:
    """Legend of the chart's rows (articles, or outlets with n=) above the source line; at most MAX_LEGEND
    entries, so charts with more rows must name them on the axis."""
    rows = u.rows.loc[keys if keys is not None else u.order()].head(MAX_LEGEND)
    _article_legend(fig, rows.assign(article_id=rows.index), markers=markers)


def _color_ticks(ax, colors: list[str]) -> None:
    """Colour the y tick labels (row names) in their row's colour (ink for the weak yellow, grey for pooled rows)."""
    for tick, color in zip(ax.get_yticklabels(), colors, strict=False):
        tick.set_color(style.MUTED if color == OTHER_COLOR else style.INK if color == style.PALETTE[-1] else color)


def _heatmap(ax, matrix: pd.DataFrame, rows: list[str], *, fmt: Callable[[float], str], label: str) -> None:
    """Rows x columns of shares as shaded cells with the value written in each (for charts with many rows)."""
    values = matrix.to_numpy(dtype=float)
    top = np.nanmax(values) if values.size and np.isfinite(values).any() else 1.0
    ax.imshow(np.nan_to_num(values), aspect="auto", cmap="Blues", vmin=0, vmax=top if top > 0 else 1.0,
              interpolation="nearest")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v) and v > 0:
            ax.text(j, i, fmt(v), ha="center", va="center", fontsize=6.5,
                    color="white" if top and v > 0.6 * top else style.INK)
    ax.set_xticks(range(matrix.shape[1]), [textwrap.fill(pretty(c), 12) for c in matrix.columns], fontsize=7.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), rows, fontsize=7.5)
    ax.set_xlabel(label)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _percent(value: float) -> str:
    """A share as a whole percentage; '<1%' for a share that rounds to 0."""
    return "<1%" if 0 < value < 0.005 else f"{value:.0%}"


def _markers(arts: pd.DataFrame) -> pd.DataFrame:
    """`arts` with a `marker` column: the k-th article of an outlet gets shape k (cycling), for any count."""
    arts = arts.copy()
    nth = pd.Series(arts["outlet"]).groupby(arts["outlet"]).cumcount() if len(arts) else pd.Series(dtype=int)
    arts["marker"] = [style.MARKERS[int(h) % len(style.MARKERS)] for h in nth]
    return arts


def _grouped_bars(ax, matrix: pd.DataFrame, arts: pd.DataFrame, *, fmt: Callable[[float], str]) -> None:
    """Horizontal bars: one group per row label of `matrix`, one bar per article (column) in outlet colour."""
    cats = list(matrix.index)
    ids = [a for a in arts["article_id"] if a in matrix.columns]
    n = max(len(ids), 1)
    height = 0.8 / n
    top = matrix.to_numpy(dtype=float).max() if matrix.size else 0.0
    by_id = arts.set_index("article_id")
    for j, aid in enumerate(ids):
        a = by_id.loc[aid]
        ys = np.arange(len(cats)) - 0.4 + height * (j + 0.5)
        values = matrix[aid].to_numpy(dtype=float)
        ax.barh(ys, values, height=height * 0.92, color=a["color"], hatch=a["hatch"], edgecolor="white",
                linewidth=0.4, label=a["label"])
        for y, v in zip(ys, values, strict=True):
            if v > 0:
                ax.text(v + top * 0.01, y, fmt(v), va="center", ha="left", fontsize=6.5, color=style.MUTED)
    ax.set_yticks(range(len(cats)), [textwrap.fill(pretty(c), 22) for c in cats])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.15 if top > 0 else 1)
    ax.grid(axis="y", visible=False)


def _date_formatter(lo: pd.Timestamp, hi: pd.Timestamp) -> mdates.DateFormatter:
    """'Apr 16' within one year, '2019' across years."""
    return mdates.DateFormatter("%b %d" if (hi - lo).days < 300 else "%Y")


def usd_text(value: float) -> str:
    """A dollar amount in words: $7.11 billion."""
    for div, suffix in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if abs(value) >= div:
            return f"${value / div:,.3g}{suffix}"
    return f"${value:,.0f}"


# ---------------------------------------------------------------- 1 corpus


@_named("corpus_characters_kept_and_removed_by_article")
def corpus_lengths(tables: Tables) -> Chart:
    """Characters of each article (or, in large corpora, per article of each outlet) kept vs removed."""
    slug = corpus_lengths.slug  # type: ignore[attr-defined]
    arts = article_frame(tables)
    if arts.empty:
        return _no_data(tables, slug, "article lengths", "articles")
    u = units(tables)
    body = numeric(arts["n_body_chars"]).fillna(0)
    removed = numeric(arts["n_removed_chars"]).fillna(0)
    other = (numeric(arts["n_chars"]).fillna(0) - body - removed).clip(lower=0)
    parts = ["kept_chars", "removed_chars", "other_chars"]
    per_article = pd.DataFrame({"article_id": arts["article_id"], "kept_chars": body, "removed_chars": removed,
                                "other_chars": other})
    per = per_article.groupby(u.key(per_article["article_id"]))[parts].mean()
    removed_share = per["removed_chars"] / per[parts].sum(axis=1).replace(0, np.nan)
    keys = u.order(removed_share)
    per = per.reindex(keys)
    total = float(numeric(arts["n_chars"]).sum())
    share = 100 * removed.sum() / total if total else 0.0
    worst = u.rows.at[removed_share.idxmax(), "label"] if removed.sum() and removed_share.notna().any() else None
    title = f"{share:.0f}% of the raw text was captions, credits and site navigation, removed before analysis"
    what = "Characters per article" if u.by_article else "Mean characters per article of each outlet"
    subtitle = (f"{what}: kept (headline, subheads, body) vs removed (captions, credit and source lines, "
                "navigation lists)" + (f"; largest share removed from {worst}" if worst is not None else "")
                + (f". {u.pooled()}, ordered by the share removed" if not u.by_article else ""))
    if u.by_article:
        data = pd.DataFrame({"article_id": arts["article_id"], "outlet": arts["outlet"], "label": arts["label"],
                             **{c: per_article[c].astype(int) for c in parts}})
    else:
        data = pd.DataFrame({"outlet": u.rows.loc[keys, "outlet"].to_numpy(), "label": u.labels(keys),
                             "articles": u.rows.loc[keys, "n"].to_numpy(),
                             **{c: per[c].round(0).astype(int).to_numpy() for c in parts}})
    colors = u.colors(keys)
    with style.theme():
        fig, axes = _canvas(tables, title, subtitle, height=0.42 * len(keys) + 0.9, legend=3)
        ax = axes[0, 0]
        ys = np.arange(len(keys))
        kept_v, removed_v, other_v = (per[c].to_numpy(dtype=float) for c in parts)
        ax.barh(ys, kept_v, color=colors, hatch=u.hatches(keys), edgecolor="white", label="kept for analysis")
        ax.barh(ys, removed_v, left=kept_v, color="#D9D9D9", edgecolor="white",
                label="removed (captions, credits, navigation)")
        ax.barh(ys, other_v, left=kept_v + removed_v, color="#F2F2F2", edgecolor="white",
                label="datelines and blank lines")
        for y, k, r in zip(ys, kept_v, removed_v, strict=True):
            ax.text(k / 2, y, f"{k:,.0f}", ha="center", va="center", fontsize=7.5, color="white", weight="bold",
                    path_effects=[patheffects.withStroke(linewidth=2.2, foreground=style.INK)])
            if r > kept_v.max() * 0.06:
                ax.text(k + r / 2, y, f"{r:,.0f}", ha="center", va="center", fontsize=7, color=style.INK)
        ax.set_yticks(ys, u.labels(keys))
        _color_ticks(ax, colors)
        ax.invert_yaxis()
        ax.set_xlabel("characters in the raw file" if u.by_article else "characters per article (mean)")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.grid(axis="y", visible=False)
        legend = fig.legend(handles=[Patch(facecolor=style.NEUTRAL, label="kept for analysis (outlet colour)"),
                                     Patch(facecolor="#D9D9D9", label="removed (captions, credits, navigation)"),
                                     Patch(facecolor="#F2F2F2", edgecolor="#D9D9D9", label="datelines and blank lines")],
                            loc="lower left", bbox_to_anchor=(0.005, fig._lk_legend_y), ncol=3, fontsize=8,
                            handlelength=1.6, columnspacing=1.6, borderaxespad=0.0)
        legend.set_in_layout(False)
    return Chart(slug, title, fig, data)


# ---------------------------------------------------------------- 2 timeline


TIMELINE_ROWS = 25
"""Most events a timeline shows (the most widely reported; background at most BACKGROUND_ROWS of them)."""
BACKGROUND_ROWS = 6
"""Most background events shown: those at least two articles report, else the most reported few."""
PER_ARTICLE_MARKS = 12
"""Up to this many articles the timeline marks each article; beyond, each event shows its span of reports."""
_SHAPES = ("o", "D", "^", "s", "v", "P", "X", "p", "h", "<", ">", "*")


def _shapes(arts: pd.DataFrame) -> pd.DataFrame:
    """A marker shape per article, telling apart the articles of one outlet (cycling past twelve)."""
    arts = arts.copy()
    order = pd.Series(arts["outlet"]).groupby(arts["outlet"]).cumcount()
    arts["marker"] = [_SHAPES[k % len(_SHAPES)] for k in order]
    return arts


def timeline_rows(tables: Tables) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events with parsed dates, where they sit on the timeline and their panel, and one row per (event,
    reporting article).

    A plan or target (`kind` plan: reported only before its date) sits at the day it was said (`said_on`),
    not at its target date. An event is history ("background" panel) when it starts before the year of the
    first article; everything else, plans included, belongs to the panel of the talks.
    """
    events = table(tables, "events").copy()
    arts = article_frame(tables)
    if events.empty or arts.empty:
        return events.iloc[0:0], pd.DataFrame(columns=["event_id", "panel", "article_id", "outlet", "published"])
    events["start"] = pd.to_datetime(events["date_start"].astype(str).str[:10], errors="coerce")
    events["end"] = pd.to_datetime(events["date_end"].astype(str).str[:10], errors="coerce").fillna(events["start"])
    events = events.dropna(subset=["start"])
    kind = events["kind"] if "kind" in events else pd.Series("event", index=events.index)
    said = pd.to_datetime(events["said_on"].astype(str).str[:10], errors="coerce") if "said_on" in events else \
        pd.Series(pd.NaT, index=events.index)
    events["plan"] = kind.astype(str).eq("plan") & said.notna()
    events["x_start"] = said.where(events["plan"], events["start"])
    events["x_end"] = said.where(events["plan"], events["end"])
    if "label" not in events:
        events["label"] = events["summary"]
    events["label"] = events["label"].astype(object).where(events["label"].notna(), events["summary"]).astype(str)
    first_year = pd.Timestamp(year=int(arts["day"].min().year), month=1, day=1)
    events["panel"] = np.where(~events["plan"] & (events["start"] < first_year), "background", "talks")
    known = set(arts["article_id"])
    by_outlet = dict(zip(arts["outlet"], arts["article_id"], strict=False))
    outlet_of = dict(zip(arts["article_id"], arts["outlet"], strict=True))
    day_of = dict(zip(arts["article_id"], arts["day"], strict=True))
    marks = []
    for eid, panel, ids, outlets in zip(events["event_id"], events["panel"], events["article_ids"],
                                        events["outlets"], strict=True):
        found = [a for a in split_list(ids) if a in known] or [by_outlet[o] for o in split_list(outlets)
                                                                if o in by_outlet]
        for aid in dict.fromkeys(found):
            marks.append({"event_id": eid, "panel": panel, "article_id": aid, "outlet": outlet_of[aid],
                          "published": day_of[aid]})
    marks = pd.DataFrame(marks, columns=["event_id", "panel", "article_id", "outlet", "published"])
    reach = marks.groupby("event_id").agg(n_articles=("article_id", "nunique"), n_reporting=("outlet", "nunique"))
    events = events.join(reach, on="event_id")
    events[["n_articles", "n_reporting"]] = events[["n_articles", "n_reporting"]].fillna(0).astype(int)
    events = events.sort_values(["panel", "x_start", "x_end", "event_id"], kind="stable").reset_index(drop=True)
    return events, marks


def timeline_selection(events: pd.DataFrame) -> pd.DataFrame:
    """The events a timeline shows: the most widely reported (by outlets, then articles), at most TIMELINE_ROWS;
    of the background, those at least two articles report (at most TIMELINE_ROWS // 3), or the BACKGROUND_ROWS
    most reported when fewer are shared."""
    if events.empty:
        return events
    rank = events.sort_values(["n_reporting", "n_articles", "x_start", "event_id"],
                              ascending=[False, False, True, True], kind="stable")
    back = rank[rank["panel"] == "background"]
    shared = back[back["n_articles"] >= 2]
    back = shared.head(TIMELINE_ROWS // 3) if len(shared) >= BACKGROUND_ROWS else back.head(BACKGROUND_ROWS)
    talks = rank[rank["panel"] == "talks"].head(TIMELINE_ROWS - len(back))
    keep = set(back["event_id"]) | set(talks["event_id"])
    return events[events["event_id"].isin(keep)]


def most_reported(events: pd.DataFrame) -> pd.Series | None:
    """The event of the talks (a month long at most, when there is one) that the most outlets report (ties: most
    articles, then earliest), or None."""
    talks = events[(events["panel"] == "talks") & ~events["plan"]] if not events.empty else events
    if talks.empty:
        return None
    dated = talks[(talks["end"] - talks["start"]).dt.days <= 31]  # a month at most: an event, not a period
    talks = dated if not dated.empty else talks
    return talks.sort_values(["n_reporting", "n_articles", "x_start", "event_id"],
                             ascending=[False, False, True, True], kind="stable").iloc[0]


def _row_label(e: pd.Series, home: int) -> str:
    when = span_text(e["start"], e["end"], home)
    if e["plan"]:
        return f"{e['label']} · said {span_text(e['x_start'], e['x_start'], home)}, for {when}"
    return f"{e['label']} · {when}"


@_named("timeline_events_and_publication_dates_by_outlet")
def timeline(tables: Tables) -> Chart:
    """The most widely reported events of the talks with the articles that report each; background apart."""
    slug = timeline.slug  # type: ignore[attr-defined]
    events, marks = timeline_rows(tables)
    if events.empty:
        return _no_data(tables, slug, "timeline of events", "events")
    arts = _shapes(article_frame(tables))
    shown = timeline_selection(events)
    talks = shown[shown["panel"] == "talks"]
    back = shown[shown["panel"] == "background"]
    n_art, n_out = len(arts), arts["outlet"].nunique()
    per_article = n_art <= PER_ARTICLE_MARKS
    all_talks = events[events["panel"] == "talks"]
    top = most_reported(events)
    home = int(arts["day"].min().year)
    if top is not None:
        happened = all_talks[~all_talks["plan"]]
        dated = happened[(happened["end"] - happened["start"]).dt.days <= 62]
        happened = dated if not dated.empty else happened
        span = f"{day_label(happened['start'].min())} to {day_label(happened['end'].max())}"
        reach = f"{top['n_articles']} of {n_art} articles"
        if n_out != n_art:
            reach += f" ({top['n_reporting']} of {n_out} outlets)"
        title = (f"{len(happened)} events of the talks dated {span}; the most widely reported: "
                 f"{top['label']} ({span_text(top['start'], top['end'], home)}), in {reach}")
    else:
        title = f"{len(events[events['panel'] == 'background'])} background events; none dated within the talks"
    multi = int((all_talks["n_articles"] > 1).sum())
    plans = int(all_talks["plan"].sum())
    subtitle = ("Each row is an event (grey: when it happened) with the articles that report it "
                + ("(coloured markers at each article's publication date). " if per_article else
                   "(coloured line: first to last report; n = articles). ")
                + f"{multi} event{'s' if multi != 1 else ''} of the talks reported by more than one article."
                + (f" {plans} plan{'s' if plans != 1 else ''} or target{'s' if plans != 1 else ''} (hollow) "
                   "sit on the day said, their target date in the label." if plans else "")
                + (f" Showing the {len(shown)} most widely reported of {len(events)} events." if len(shown) < len(events)
                   else "")
                + (" Background history (events before the articles' year) in the lower panel." if not back.empty
                   else ""))
    panels = [(name, frame) for name, frame in (("talks", talks), ("background", back)) if not frame.empty]
    heights = [max(len(frame), 1) * 0.34 + 0.5 for _, frame in panels]
    data = shown[["event_id", "panel", "kind" if "kind" in shown else "plan", "date_start", "date_end", "label",
                  "n_articles", "n_reporting"]].copy()
    data["plotted_at"] = shown["x_start"].dt.strftime("%Y-%m-%d")
    if not marks.empty:
        data = data.merge(marks[["event_id", "article_id", "outlet", "published"]], on="event_id", how="left")
        data["published"] = pd.to_datetime(data["published"]).dt.strftime("%Y-%m-%d")
    legend = len(arts) if per_article else 0
    with style.theme():
        fig, axes = _canvas(tables, title, subtitle, height=sum(heights) + 0.6, nrows=len(panels), legend=legend,
                            height_ratios=heights)
        for ax, (name, frame) in zip(axes[:, 0], panels, strict=True):
            _timeline_panel(ax, name, frame, marks, arts, per_article, home)
        if per_article:
            _article_legend(fig, arts, markers=True)
    return Chart(slug, title, fig, data.reset_index(drop=True))


def span_text(start: pd.Timestamp, end: pd.Timestamp, home_year: int | None = None) -> str:
    """A date or range in few words: 'Apr 16', 'Apr 1–22', 'Jul 2019', '2015', '1970s', 'Apr 2022–Mar 2027'.

    The year is left out of day-precise dates in `home_year` (the year of the articles).
    """
    first_of_year, last_of_year = (start.month, start.day) == (1, 1), (end.month, end.day) == (12, 31)
    if first_of_year and last_of_year and start.year % 10 == 0 and end.year == start.year + 9:
        return f"{start.year}s"
    if first_of_year and last_of_year:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if start.day == 1 and (end + pd.Timedelta(days=1)).day == 1 and start != end:
        same = (start.year, start.month) == (end.year, end.month)
        return start.strftime("%b %Y") if same else f"{start.strftime('%b %Y')}–{end.strftime('%b %Y')}"
    year = "" if start.year == end.year == home_year else f", {end.year}"
    if start == end:
        return f"{start.strftime('%b')} {start.day}{year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.strftime('%b')} {start.day}–{end.day}{year}"
    if start.year == end.year:
        return f"{start.strftime('%b')} {start.day}–{end.strftime('%b')} {end.day}{year}"
    return f"{start.strftime('%b')} {start.day}, {start.year}–{end.strftime('%b')} {end.day}, {end.year}"


def _timeline_panel(ax, name: str, frame: pd.DataFrame, marks: pd.DataFrame, arts: pd.DataFrame,
                    per_article: bool, home: int) -> None:
    ys = np.arange(len(frame))
    a_by_id = arts.set_index("article_id")
    talks = name == "talks"
    # the talks' axis: the events that last at most two months and the publication days; longer ones are clipped
    short = frame[(frame["x_end"] - frame["x_start"]).dt.days <= 62]
    lo = min(short["x_start"].min() if not short.empty else arts["day"].min(), arts["day"].min()) if talks \
        else frame["x_start"].min()
    hi = max(short["x_end"].max() if not short.empty else arts["day"].max(), arts["day"].max()) if talks \
        else max(frame["x_end"].max(), arts["day"].max())
    pad = max((hi - lo).days * 0.03, 1.0)
    x0, x1 = mdates.date2num(lo) - pad, mdates.date2num(hi) + 1 + pad
    by_event = dict(tuple(marks.groupby("event_id"))) if not marks.empty else {}
    for y, e in zip(ys, frame.itertuples(index=False), strict=True):
        start, end = mdates.date2num(e.x_start), mdates.date2num(e.x_end)
        if e.plan:
            ax.plot([start + 0.5], [y], marker="o", markersize=6, color="white", markeredgecolor="#4D4D4D",
                    markeredgewidth=1.4, zorder=3)
        elif end - start >= 1:
            ax.plot([max(start, x0), min(end + 1, x1)], [y, y], color=style.NEUTRAL, linewidth=5,
                    solid_capstyle="butt", zorder=2)
        else:
            ax.plot([start + 0.5], [y], marker="D", color="#4D4D4D", markersize=5.5, zorder=3)
        sub = by_event.get(e.event_id)
        if sub is None:
            continue
        anchor = min(end + 1, x1) if end - start >= 1 and not e.plan else start + 0.5
        if per_article:
            for k, m in enumerate(sub.itertuples(index=False)):
                a = a_by_id.loc[m.article_id]
                x = mdates.date2num(m.published) + 0.5
                dy = (k - (len(sub) - 1) / 2) * min(0.16, 0.6 / max(len(sub), 1))
                ax.plot([anchor, x], [y, y + dy], color=a["color"], linewidth=0.6, alpha=0.45, zorder=1)
                ax.plot([x], [y + dy], marker=a["marker"], color=a["color"], markersize=6.5,
                        markeredgecolor="white", markeredgewidth=0.6, linestyle="", zorder=4)
        else:
            days = mdates.date2num(sub["published"])
            first, last = days.min() + 0.5, days.max() + 0.5
            ax.plot([first, last], [y, y], color=style.INK, linewidth=1.6, alpha=0.7, zorder=1,
                    solid_capstyle="round")
            ax.plot([first], [y], marker="o", color=style.INK, markersize=4, zorder=4)
            ax.text(min(max(last, anchor), x1) + pad * 0.3, y, f"n={sub['article_id'].nunique()}", va="center", ha="left",
                    fontsize=7, color=style.MUTED)
    if talks and per_article:
        for _, a in arts.iterrows():
            ax.axvline(mdates.date2num(a["day"]) + 0.5, color=a["color"], linewidth=0.8, linestyle=(0, (2, 2)),
                       alpha=0.6, zorder=0)
    labels = [_row_label(pd.Series(e._asdict()), home) for e in frame.itertuples(index=False)]
    ax.set_yticks(ys, [textwrap.shorten(t, 95, placeholder="…") for t in labels], fontsize=8)
    ax.set_ylim(len(frame) - 0.5, -0.7)
    ax.grid(axis="y", visible=False)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.set_xlim(x0, x1 + (pad * 4 if not per_article else 0))
    label = ("date (dashed lines: publication dates)" if per_article else "date") if talks else \
        "year of background event (and of the reports)"
    ax.set_xlabel(label)
    ax.set_title(f"The talks and what was said in {home}" if talks else "Background history", fontsize=9.5)


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


# ---------------------------------------------------------------- 3 framing


def label_shares(tables: Tables, column: str) -> pd.DataFrame:
    """Share of each article's body sentences that carry each label of `column` (topics or frames).

    Headlines and subheads are left out, as in the topic and frame shares of the `outlet_framing` table.
    """
    framing = table(tables, "framing")
    arts = article_frame(tables)
    cols = ["article_id", "measure", "label", "sentences", "of_sentences", "share"]
    if framing.empty:
        return pd.DataFrame(columns=cols)
    body = framing[(sentence_roles(tables, framing) == "body").to_numpy()]
    sizes = body.groupby("article_id").size()
    cells = pd.DataFrame({"article_id": body["article_id"].to_numpy(),
                          "label": [list(dict.fromkeys(split_list(c))) for c in body[column]]}).explode("label")
    cells = cells.dropna(subset=["label"])
    out = cells.groupby(["article_id", "label"]).size().rename("sentences").reset_index()
    out.insert(1, "measure", column)
    out["of_sentences"] = out["article_id"].map(sizes).astype(int)
    out["share"] = out["sentences"] / out["of_sentences"]
    order = {a: i for i, a in enumerate(arts["article_id"])}
    out = out.sort_values(["article_id", "label"], key=lambda s: s.map(order) if s.name == "article_id" else s,
                          kind="stable").reset_index(drop=True)
    return out[cols]


def pooled_shares(shares: pd.DataFrame, u: Units, sizes: pd.Series) -> pd.DataFrame:
    """Rows x labels: the share of the row's body sentences carrying each label (its articles pooled);
    `sizes` is the number of body sentences of each article."""
    if shares.empty:
        return pd.DataFrame()
    hits = shares.assign(unit=u.key(shares["article_id"])).pivot_table(
        index="unit", columns="label", values="sentences", aggfunc="sum", fill_value=0)
    of = sizes.groupby(u.key(pd.Series(sizes.index, index=sizes.index))).sum()
    return hits.div(of.reindex(hits.index).replace(0, np.nan), axis=0)


def _lead(shares: pd.DataFrame) -> dict[str, str]:
    if shares.empty:
        return {}
    top = shares.sort_values(["article_id", "share", "label"], ascending=[True, False, True]).groupby("article_id").head(1)
    return dict(zip(top["article_id"], top["label"], strict=True))


@_named("topics_and_frames_share_of_sentences_by_outlet")
def topics_frames(tables: Tables) -> Chart:
    """Topic and frame composition of each article (or outlet): share of its sentences carrying each label."""
    slug = topics_frames.slug  # type: ignore[attr-defined]
    topics, frames = label_shares(tables, "topics"), label_shares(tables, "frames")
    if topics.empty and frames.empty:
        return _no_data(tables, slug, "topics and frames by outlet", "framing")
    u = units(tables)
    arts = article_frame(tables)
    arts = arts[arts["article_id"].isin(set(topics["article_id"]) | set(frames["article_id"]))]
    parts = []
    for name, shares in (("topic", topics), ("frame", frames)):
        lead = _lead(shares)
        if not lead:
            continue
        values = pd.Series(list(lead.values()))
        common = values.mode().sort_values().iloc[0]
        parts.append(f"“{pretty(common)}” is the leading {name} in {int((values == common).sum()):,} of "
                     f"{plural(len(arts), 'article')}")
    title = "; ".join(parts)
    subtitle = ("Share of each article's body sentences (no headline or subheads, as in the outlet_framing table) "
                "carrying each topic (left) and frame (right); a sentence can carry several labels, so shares "
                "need not sum to 100%")
    data = pd.concat([topics, frames], ignore_index=True)
    if not u.by_article:
        return _topics_frames_by_outlet(tables, slug, title, subtitle, topics, frames, u)
    n_rows = max(topics["label"].nunique(), frames["label"].nunique(), 1)
    with style.theme():
        fig, axes = _canvas(tables, title, subtitle, width=10, height=n_rows * (0.12 * len(arts) + 0.12) + 0.9,
                            legend=len(arts), ncols=2)
        for ax, (shares, name) in zip(axes[0], ((topics, "Topics"), (frames, "Frames")), strict=True):
            if shares.empty:
                ax.axis("off")
                ax.text(0.5, 0.5, f"No {name.lower()} labelled", ha="center", va="center", transform=ax.transAxes)
                continue
            order = shares.groupby("label")["share"].mean().sort_values(ascending=False).index
            matrix = shares.pivot_table(index="label", columns="article_id", values="share", fill_value=0.0)
            matrix = matrix.reindex(order).reindex(columns=[a for a in arts["article_id"] if a in matrix.columns])
            _grouped_bars(ax, matrix.fillna(0.0), arts, fmt=lambda v: f"{v:.0%}")
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_xlabel("share of the article's body sentences")
            ax.set_title(name, fontsize=9.5)
        _article_legend(fig, arts)
    return Chart(slug, title, fig, data)


def _topics_frames_by_outlet(tables: Tables, slug: str, title: str, subtitle: str, topics: pd.DataFrame,
                             frames: pd.DataFrame, u: Units) -> Chart:
    """Outlets x labels as two heatmaps (topics, frames): the share of each outlet's body sentences."""
    framing = table(tables, "framing")
    sizes = framing[(sentence_roles(tables, framing) == "body").to_numpy()].groupby("article_id").size()
    matrices = {name: pooled_shares(shares, u, sizes) for name, shares in (("Topics", topics), ("Frames", frames))}
    for name, matrix in matrices.items():
        if not matrix.empty:
            matrices[name] = matrix[matrix.mean().sort_values(ascending=False, kind="stable").index]
    lead = next((m for m in matrices.values() if not m.empty), pd.DataFrame())
    keys = u.order(lead.iloc[:, 0] if not lead.empty else None)
    subtitle += f". {u.pooled()}; ordered by the share of the most common topic"
    with style.theme():
        fig, axes = _canvas(tables, title, subtitle, width=12, height=0.3 * len(keys) + 1.6, ncols=2,
                            width_ratios=[max(m.shape[1], 1) for m in matrices.values()])
        for ax, (name, matrix) in zip(axes[0], matrices.items(), strict=True):
            if matrix.empty:
                ax.axis("off")
                continue
            _heatmap(ax, matrix.reindex(keys), u.labels(keys) if name == "Topics" else [""] * len(keys),
                     fmt=_percent, label=f"{name}: share of the outlet's body sentences")
            if name == "Topics":
                _color_ticks(ax, u.colors(keys))
    rows = []
    for name, matrix in matrices.items():
        if matrix.empty:
            continue
        long = matrix.reindex(keys).rename_axis(index="unit", columns="label").stack().rename("share").reset_index()
        rows.append(long.assign(measure=name.lower()))
    data = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["unit", "measure", "label", "share"])
    data = data.assign(row=data["unit"].map(u.rows["label"]), articles=data["unit"].map(u.rows["n"]))
    data = data.rename(columns={"unit": "outlet"})[["outlet", "row", "articles", "measure", "label", "share"]]
    return Chart(slug, title, fig, data)


def stance_counts(tables: Tables) -> pd.DataFrame:
    """Sentences per article and voice (narration or quoted) by stance: separation, linkage, neutral.

    Headlines are left out, as in the `outlet_framing` table (which gives the headline's stance apart), so the
    chart, the findings and that table count the same sentences.
    """
    framing = table(tables, "framing")
    arts = article_frame(tables)
    cols = ["article_id", "outlet", "voice", "separation", "linkage", "neutral", "sentences"]
    if framing.empty:
        return pd.DataFrame(columns=cols)
    roles = sentence_roles(tables, framing)
    frame = pd.DataFrame({"article_id": framing["article_id"].to_numpy(),
                          "voice": [voice_of(v) for v in framing["voice"]],
                          "sign": [stance_sign(s) for s in framing["stance"]]})
    frame = frame[(roles != "headline").to_numpy()]
    frame = frame.assign(separation=frame["sign"].lt(0).astype(int), linkage=frame["sign"].gt(0).astype(int),
                         neutral=frame["sign"].eq(0).astype(int), sentences=1)
    sums = frame.groupby(["article_id", "voice"])[["separation", "linkage", "neutral", "sentences"]].sum()
    grid = pd.MultiIndex.from_product([arts["article_id"], ["narration", "quoted"]], names=["article_id", "voice"])
    out = sums.reindex(grid, fill_value=0).astype(int).reset_index()
    out.insert(1, "outlet", out["article_id"].map(dict(zip(arts["article_id"], arts["outlet"], strict=True))))
    return out[cols]


def leans(counts: pd.DataFrame, voice: str) -> tuple[int, int]:
    """Articles whose sentences in `voice` lean to separation, and to linkage."""
    sub = counts[counts["voice"] == voice]
    return int((sub["separation"] > sub["linkage"]).sum()), int((sub["linkage"] > sub["separation"]).sum())


def outlet_leans(counts: pd.DataFrame, voice: str) -> tuple[int, int, int]:
    """Outlets whose sentences in `voice` (pooled over their articles) lean to separation, to linkage; and
    the number of outlets."""
    sub = counts[counts["voice"] == voice].groupby("outlet")[["separation", "linkage"]].sum()
    return int((sub["separation"] > sub["linkage"]).sum()), int((sub["linkage"] > sub["separation"]).sum()), len(sub)


@_named("separation_vs_linkage_by_outlet_narration_vs_quoted")
def stance_by_voice(tables: Tables) -> Chart:
    """Separation vs linkage sentences per article (or per article of each outlet), narration vs quoted."""
    slug = stance_by_voice.slug  # type: ignore[attr-defined]
    counts = stance_counts(tables)
    if counts.empty or int((counts["separation"] + counts["linkage"]).sum()) == 0:
        return _no_data(tables, slug, "separation vs linkage by outlet", "framing")
    u = units(tables)
    n = u.n_articles
    (ns, nl), (qs, ql) = leans(counts, "narration"), leans(counts, "quoted")
    title = (f"Narration leans to separation in {ns:,} of {plural(n, 'article')} and to linkage in {nl:,}; "
             f"quoted voices lean to separation in {qs:,} and to linkage in {ql:,}")
    if not u.by_article:
        (os_, ol, no), (qos, qol, _) = outlet_leans(counts, "narration"), outlet_leans(counts, "quoted")
        title += (f" (by outlet: narration leans to separation in {os_} of {no} outlets and to linkage in {ol}; "
                  f"quoted voices in {qos} and {qol})")
    per = counts.assign(unit=u.key(counts["article_id"])).groupby(["unit", "voice"])[["separation", "linkage"]].mean()
    narration = per.xs("narration", level="voice") if "narration" in per.index.get_level_values("voice") else per.iloc[:0]
    net = (narration["linkage"] - narration["separation"]).reindex(u.rows.index)
    keys = u.order(net, ascending=True)  # most separation-leaning first
    subtitle = ("Sentences presenting security costs and tariffs as kept separate (pale, left) or linked (solid, "
                "right), headlines left out as in the outlet_framing table; narration = the outlet's own words, "
                "quoted = the voices of actors (direct, partial or reported speech)"
                + (f". Mean sentences per article. {u.pooled()}; ordered from most separation to most linkage "
                   "in narration" if not u.by_article else ""))
    top = float(max(per["separation"].max(), per["linkage"].max(), 1))
    fmt = (lambda v: f"{v:.0f}") if u.by_article else (lambda v: f"{v:.1f}")
    colors, hatches, m = u.colors(keys), u.hatches(keys), len(keys)
    with style.theme():
        fig, axes = _canvas(tables, title, subtitle, width=10, height=0.38 * m + 1.0, ncols=2,
                            legend=m if u.by_article else 0)
        for ax, voice in zip(axes[0], ("narration", "quoted"), strict=True):
            sub = per.xs(voice, level="voice").reindex(keys).fillna(0) if voice in per.index.get_level_values(
                "voice") else pd.DataFrame({"separation": 0.0, "linkage": 0.0}, index=keys)
            ys = np.arange(m)
            ax.barh(ys, -sub["separation"], color=colors, hatch=hatches, edgecolor="white", alpha=0.55, height=0.7)
            ax.barh(ys, sub["linkage"], color=colors, hatch=hatches, edgecolor="white", height=0.7)
            for y, sep, k in zip(ys, sub["separation"], sub["linkage"], strict=True):
                if sep:
                    ax.text(-sep - top * 0.03, y, fmt(sep), ha="right", va="center", fontsize=7.5, color=style.INK)
                if k:
                    ax.text(k + top * 0.03, y, fmt(k), ha="left", va="center", fontsize=7.5, color=style.INK)
            ax.axvline(0, color=style.INK, linewidth=0.8)
            ax.set_xlim(-top * 1.3, top * 1.3)
            ax.xaxis.set_major_locator(MaxNLocator(integer=u.by_article))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):g}"))
            ax.set_yticks(ys, u.labels(keys) if voice == "narration" else [""] * m)
            if voice == "narration":
                _color_ticks(ax, colors)
            ax.invert_yaxis()
            ax.grid(axis="y", visible=False)
            ax.set_xlabel("← separation   sentences   linkage →" if u.by_article else
                          "← separation   sentences per article   linkage →")
            ax.set_title("Narration" if voice == "narration" else "Quoted voices", fontsize=9.5)
        if u.by_article:
            _unit_legend(fig, u, keys)
    data = counts if u.by_article else per.reset_index().assign(
        label=lambda d: d["unit"].map(u.rows["label"]), articles=lambda d: d["unit"].map(u.rows["n"])
    ).rename(columns={"unit": "outlet", "separation": "separation_per_article", "linkage": "linkage_per_article"})
    return Chart(slug, title, fig, data)


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


# ---------------------------------------------------------------- 5 figures and claims


def money_rows(tables: Tables) -> pd.DataFrame:
    """Money figures with U.S.-dollar value (low/high for ranges), claimed or reported, in order of size."""
    figs = table(tables, "figures")
    cols = ["article_id", "outlet", "figure_id", "sentence_id", "text", "what", "claimed_by", "claimed_by_name",
            "status", "unit", "usd", "usd_low", "usd_high", "usd_basis", "per", "approx"]
    if figs.empty:
        return pd.DataFrame(columns=cols)
    arts = article_frame(tables)
    outlet = dict(zip(arts["article_id"], arts["outlet"], strict=True))
    money = figs[figs["category"].astype(str).str.lower().eq("money") | numeric(figs["usd_value"]).notna()].copy()
    value, low, high, usd = (numeric(money[c]) for c in ("value", "value_low", "value_high", "usd_value"))
    unit = money["unit"].astype(object).fillna("").astype(str).str.upper()
    rate = usd / value
    rate = rate.where(rate.notna(), np.where(unit.eq("USD"), 1.0, np.nan))
    by_unit = pd.Series(rate.to_numpy(), index=unit.to_numpy()).dropna().groupby(level=0).median()
    rate = rate.fillna(unit.map(by_unit))
    actors = table(tables, "actors")
    names = dict(zip(actors["actor_id"], actors["name"], strict=False)) if not actors.empty else {}
    claimed_by = money["claimed_by"].astype(object).fillna("").astype(str).str.strip()
    money = money.assign(
        outlet=money["article_id"].map(outlet),
        claimed_by_name=[names.get(c, c) for c in claimed_by],
        status=np.where(claimed_by != "", "claimed", "reported"),
        unit=unit,
        usd=usd.fillna(value * rate),
        usd_low=(low * rate).fillna(usd.fillna(value * rate)),
        usd_high=(high * rate).fillna(usd.fillna(value * rate)),
    )
    money["usd"] = money["usd"].fillna(np.sqrt(money["usd_low"] * money["usd_high"]))
    money = money.dropna(subset=["usd"])
    money = money[money["usd"] > 0]
    money = money[~_is_conversion(money)]
    return money.reindex(columns=cols).sort_values(["usd", "article_id"], kind="stable").reset_index(drop=True)


def _is_conversion(money: pd.DataFrame) -> pd.Series:
    """True for a dollar figure that restates another currency's figure in the same sentence (same USD value)."""
    key = money["article_id"].astype(str) + "#" + money["sentence_id"].astype(str) + "#" + money["usd"].round(-6).astype(str)
    other_unit = money.groupby(key)["unit"].transform(lambda u: u.nunique() > 1)
    return other_unit & money["unit"].eq("USD")


_RATE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([A-Z]{3})\s+per\s+USD(?:,\s*(\d{4}-\d{2}))?")


def basis_text(bases: pd.Series) -> str:
    """The conversion bases in a few words: rates stated in the articles, then reference rates by month."""
    stated: list[str] = []
    reference: list[str] = []
    sources: list[str] = []
    other: list[str] = []
    for basis in dict.fromkeys(bases.dropna().astype(str)):
        if basis.strip().upper() in ("", "USD"):
            continue
        rate = _RATE.search(basis)
        if basis.lower().startswith("reference") and rate:
            month = f" ({rate.group(3)})" if rate.group(3) else ""
            reference.append(f"{rate.group(1)} {rate.group(2)}/USD{month}")
            if ": " in basis.split("(data/", 1)[-1]:
                sources.append(basis.split("(data/", 1)[1].split(": ", 1)[1].split(";")[0].rstrip(") "))
        elif "stated" in basis.lower():
            if rate:
                stated.append(f"{rate.group(1)} {rate.group(2)}/USD")
        else:
            other.append(basis.split(" (data/")[0])
    parts = []
    if stated:
        rates = list(dict.fromkeys(stated))
        more = f" and {len(rates) - 3} more" if len(rates) > 4 else ""
        parts.append("the rate an article states beside a figure (" + ", ".join(rates[:3] if more else rates) + more
                     + ")")
    if reference:
        src = f"; {sources[0]}" if sources else ""
        parts.append(("else " if stated else "") + "monthly reference rates (" + ", ".join(sorted(set(reference))) + src + ")")
    parts += other
    return ("; ".join(parts) if parts else "none needed") + "; dollar amounts as printed"


COST_ROWS = 12
"""Most sums of money the costs chart shows (claims first, then yearly costs of hosting U.S. troops, then others)."""
CLAIMED_COLOR, REPORTED_COLOR, OTHER_SUM_COLOR = "#D55E00", "#0072B2", "#8C8C8C"


def cost_title(facts: pd.DataFrame) -> str:
    """The costs chart's title: the largest claim against the yearly cost of hosting U.S. troops reported."""
    from .cost_facts import comparison

    if facts.empty:
        return "No sums of money in the articles"
    found = comparison(facts)
    if found is None:
        claims = facts[facts["status"].eq("claimed")]
        if not claims.empty:
            return (f"{len(claims)} claimed sum{'s' if len(claims) != 1 else ''} of money; no yearly cost of hosting "
                    "U.S. troops reported to compare")
        return f"Sums of money reported: {usd_text(facts['usd'].min())} to {usd_text(facts['usd'].max())}"
    claim, ratio = found["claim"], found["ratio"]
    yearly = usd_text(found["high"]) if found["low"] == found["high"] else \
        f"{usd_text(found['low'])}–{usd_text(found['high'])}".replace(" billion–$", "–")
    who = claim["claimed_by_name"] or "a speaker"
    n = int(claim["n_articles"])
    claimed = f"The claimed “{claim['text']}” ({who}, in {n} article{'s' if n != 1 else ''})"
    compare = (f"is at least {ratio:,.0f}× the yearly cost of hosting U.S. troops the articles report" if ratio >= 1.5
               else "is of the order of the yearly cost of hosting U.S. troops the articles report" if ratio >= 0.67
               else "is below the yearly cost of hosting U.S. troops the articles report")
    return f"{claimed} {compare} ({yearly} a year)"


def _amount_text(f: pd.Series) -> str:
    """What the fact says, with its period and dollar value: "¥1.055 trillion over fiscal 2022–2026 = $1.46 billion
    a year"."""
    usd = usd_text(f["usd"]) if f["usd_high"] <= f["usd_low"] else \
        f"{usd_text(f['usd_low'])} to {usd_text(f['usd_high'])}"
    text = str(f["text"])
    words = text if text.replace(" ", "") == usd.replace(" ", "") else f"{text} ({usd})"
    if f["basis"] == "total":
        return f"{words} over {f['period']} = {usd_text(f['usd_per_year'])} a year"
    if f["basis"] == "per year" and f["period"] and f["period"] not in text:
        return f"{words} {f['period']}"
    if f["basis"] == "unspecified":
        return f"{words}, no period given"
    return words


def _cost_rows(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts the chart shows, in sections: claims, yearly costs of hosting U.S. troops, other sums."""
    ranked = facts.sort_values(["n_articles", "usd"], ascending=[False, False], kind="stable")
    section = np.where(ranked["status"].eq("claimed"), "claimed",
                       np.where(ranked["topic"].eq("hosting") & ranked["usd_per_year"].notna(), "hosting", "other"))
    ranked = ranked.assign(section=section)
    parts = [ranked[ranked["section"] == "claimed"].head(COST_ROWS // 3)]
    parts.append(ranked[ranked["section"] == "hosting"].head(COST_ROWS // 2))
    parts.append(ranked[ranked["section"] == "other"].head(COST_ROWS - sum(map(len, parts))))
    order = {"claimed": 0, "hosting": 1, "other": 2}
    rows = pd.concat(parts, ignore_index=True)
    rows["x"] = np.where(rows["section"].eq("hosting"), rows["usd_per_year"], rows["usd"])
    return rows.assign(o=rows["section"].map(order)).sort_values(["o", "x"], ascending=[True, False],
                                                                 kind="stable").drop(columns="o").reset_index(drop=True)


@_named("costs_claimed_vs_reported_usd_log_scale")
def costs(tables: Tables) -> Chart:
    """A claimed cost against the yearly cost of hosting U.S. troops the articles report, in U.S. dollars (log)."""
    from .cost_facts import TOPIC_NAMES, money_facts

    slug = costs.slug  # type: ignore[attr-defined]
    money = money_rows(tables)
    if money.empty:
        return _no_data(tables, slug, "claimed vs reported costs", "figures")
    facts = money_facts(tables, money)
    rows = _cost_rows(facts)
    title = cost_title(facts)
    n_art = article_frame(tables)["article_id"].nunique()
    basis = basis_text(money["usd_basis"])
    shown = f"the {len(rows)} most reported of {len(facts)} sums" if len(rows) < len(facts) else f"{len(facts)} sums"
    subtitle = (f"Sums of money in the {n_art} articles, in U.S. dollars (log scale): {shown}, each counted once "
                "however many articles report it. Totals over several years are shown per year in the hosting "
                f"section, with their period. Conversion basis: {basis}.")
    headers = {"claimed": "Claimed by a speaker", "hosting": "Reported: the cost of hosting U.S. troops, per year",
               "other": "Other sums (not per year or not hosting costs)"}
    labels, ys, y, heads = [], [], 0.0, []
    for name, group in rows.groupby("section", sort=False):
        heads.append((y, headers[name]))
        y += 0.9
        for _, f in group.iterrows():
            who = f"{f['claimed_by_name']} · " if f["status"] == "claimed" and f["claimed_by_name"] else ""
            topic = "" if f["section"] == "hosting" else f" [{TOPIC_NAMES.get(f['topic'], f['topic'])}]"
            n = int(f["n_articles"])
            k = int(f["n_outlets"])
            src = f"{n} articles, {k} outlet{'s' if k != 1 else ''}" if n > 1 else str(f["outlets"]).split(" (")[0]
            what = str(f["what"]) if isinstance(f["what"], str) and f["what"] else ""
            lines = textwrap.wrap(f"{who}{what}{topic}", 58) + textwrap.wrap(f"{_amount_text(f)} · {src}", 58)
            labels.append("\n".join(lines))
            ys.append(y + 0.25 * (len(lines) - 1))
            y += 0.5 * len(lines) + 0.35
    data = rows.drop(columns=["figure_ids"]).assign(plotted_usd=rows["x"])
    with style.theme():
        fig, axes = _canvas(tables, title, subtitle, height=0.42 * y + 0.8, width=10.0, legend=4)
        ax = axes[0, 0]
        for yy, (_, f) in zip(ys, rows.iterrows(), strict=True):
            claimed_row = f["status"] == "claimed"
            color = CLAIMED_COLOR if claimed_row else REPORTED_COLOR if f["section"] == "hosting" else OTHER_SUM_COLOR
            if f["usd_high"] > f["usd_low"]:
                ax.plot([f["usd_low"], f["usd_high"]], [yy, yy], color=color, linewidth=4, alpha=0.45,
                        solid_capstyle="butt")
            if f["section"] == "hosting" and f["basis"] == "total":
                ax.plot([f["usd_per_year"], f["usd"]], [yy, yy], color=color, linewidth=0.8, linestyle=":")
                ax.plot([f["usd"]], [yy], marker="|", markersize=9, color=color, linestyle="")
            ax.plot([f["x"]], [yy], marker="*" if claimed_row else "o", markersize=11 if claimed_row else 7,
                    linestyle="", color=color, markeredgecolor="white", markeredgewidth=0.6, zorder=3)
        for yy, text in heads:
            ax.text(0.0, yy, text, transform=ax.get_yaxis_transform(), ha="left", va="center", fontsize=8.5,
                    weight="bold", color=style.INK)
            ax.axhline(yy + 0.45, color="#DDDDDD", linewidth=0.6)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: usd_text(v)))
        lo = float(np.nanmin(np.r_[rows["usd_low"], rows["x"]]))
        hi = float(np.nanmax(np.r_[rows["usd_high"], rows["x"]]))
        ax.set_xlim(lo / 2.5, hi * 2.5)
        ax.set_yticks(ys, labels, fontsize=7.5)
        ax.set_ylim(y, -0.5)
        ax.set_xlabel("U.S. dollars (log scale)")
        ax.grid(axis="y", visible=False)
        legend = fig.legend(handles=[
            Line2D([], [], marker="*", markersize=11, color=CLAIMED_COLOR, linestyle="", label="claimed by a speaker"),
            Line2D([], [], marker="o", markersize=7, color=REPORTED_COLOR, linestyle="",
                   label="reported cost of hosting U.S. troops, per year"),
            Line2D([], [], marker="|", markersize=9, color=REPORTED_COLOR, linestyle=":",
                   label="its multi-year total"),
            Line2D([], [], marker="o", markersize=7, color=OTHER_SUM_COLOR, linestyle="", label="other sum, as stated"),
        ], loc="lower left", bbox_to_anchor=(0.005, fig._lk_legend_y), ncol=LEGEND_COLUMNS, fontsize=8,
            borderaxespad=0.0)
        legend.set_in_layout(False)
    return Chart(slug, title, fig, data)


_TARIFF = re.compile(r"\b(?:tariffs?|levy|levies|duty|duties|customs)\b", re.IGNORECASE)


def tariff_rows(tables: Tables) -> pd.DataFrame:
    """Tariff rates (percent figures in tariff sentences) with the date they are tied to in the sentence."""
    figs = table(tables, "figures")
    cols = ["article_id", "outlet", "figure_id", "text", "rate", "what", "date", "date_basis"]
    if figs.empty:
        return pd.DataFrame(columns=cols)
    sents = table(tables, "sentences")
    dates = table(tables, "dates")
    arts = article_frame(tables)
    text_of = {(r.article_id, r.sentence_id): str(r.text) for r in sents.itertuples()}
    unit = figs["unit"].astype(object).fillna("").astype(str).str.lower()
    pct = figs[figs["category"].astype(str).str.lower().isin(["percent", "rate", "percentage"]) | unit.eq("percent")]
    rows = []
    first_date: dict[tuple[str, int], pd.Timestamp] = {}  # the first parsable date of each sentence
    if not dates.empty:
        parsed = dates.assign(stamp=pd.to_datetime(dates["date_start"].astype(str).str[:10], errors="coerce"))
        for aid, sid, stamp in parsed.dropna(subset=["stamp"])[["article_id", "sentence_id", "stamp"]].itertuples(
                index=False, name=None):
            first_date.setdefault((aid, sid), stamp)
    pub = dict(zip(arts["article_id"], arts["day"], strict=True))
    outlet = dict(zip(arts["article_id"], arts["outlet"], strict=True))
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
        rate = numeric(pd.Series([r.value]))[0]
        if pd.isna(rate):
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


CHARTS: list[Callable[[Tables], Chart]] = [
    corpus_lengths, timeline, framing_over_time, topics_frames, stance_by_voice, voices_by_group, costs, tariff_rates,
]
"""Every briefing chart, in notebook order."""


def write_all(tables: Tables, folder: str | Path | None = None) -> list[Chart]:
    """Draw and save every chart (what the notebooks write), e.g. for a briefing script."""
    return [chart(tables).save(folder) for chart in CHARTS]
