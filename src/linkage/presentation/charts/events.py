"""The timeline chart: the most widely reported events, with the articles that report each."""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from .. import style
from ..cells import (
    article_frame,
    day_label,
    remembered,
    split_list,
    table,
)
from .base import (
    PER_ARTICLE_MARKS,
    Chart,
    Tables,
    _article_legend,
    _canvas,
    _named,
    _no_data,
)

# ---------------------------------------------------------------- 2 timeline


TIMELINE_ROWS = 25
"""Most events a timeline shows (the most widely reported; background at most BACKGROUND_ROWS of them)."""
BACKGROUND_ROWS = 6
PERIOD_DAYS = 31
"""An event of the talks longer than this ("this year", "the past two months") is a period, not an event: it is
no row of the timeline (the events table lists it); so is history that reaches past the last article's date."""
"""Most background events shown: those at least two articles report, else the most reported few."""
_SHAPES = ("o", "D", "^", "s", "v", "P", "X", "p", "h", "<", ">", "*")


def _shapes(arts: pd.DataFrame) -> pd.DataFrame:
    """A marker shape per article, telling apart the articles of one outlet (cycling past twelve)."""
    arts = arts.copy()
    order = pd.Series(arts["outlet"]).groupby(arts["outlet"]).cumcount()
    arts["marker"] = [_SHAPES[k % len(_SHAPES)] for k in order]
    return arts


@remembered("events", "articles")
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
    last_day = arts["day"].max()
    long = (events["end"] - events["start"]).dt.days > PERIOD_DAYS
    events["period"] = ~events["plan"] & (((events["panel"] == "talks") & long)
                                          | ((events["panel"] == "background") & (events["end"] > last_day)))
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
    if "period" in events:
        events = events[~events["period"]]
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
    if "period" in talks and not talks["period"].all():
        talks = talks[~talks["period"]]
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
    periods = int(events["period"].sum())
    if top is not None:
        happened = all_talks[~all_talks["plan"]]
        dated = happened[~happened["period"]]
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
                + (f" {periods} period{'s' if periods != 1 else ''} (longer than a month, or history reaching past "
                   "the articles' dates) are left out of the rows; the events table lists them." if periods else "")
                + (f" Showing the {len(shown)} most widely reported of {len(events) - periods} events."
                   if len(shown) < len(events) - periods else "")
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


