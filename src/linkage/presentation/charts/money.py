"""Sums of money: the rows of money figures and the costs chart (claimed against reported)."""

from __future__ import annotations

import re
import textwrap

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator

from .. import style
from ..cells import (
    article_frame,
    numeric,
    remembered,
    table,
)
from .base import (
    LEGEND_COLUMNS,
    Chart,
    Tables,
    _canvas,
    _named,
    _no_data,
    usd_text,
)

# ---------------------------------------------------------------- 5 figures and claims


@remembered("figures", "articles", "actors")
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
    other_unit = key.map(money.groupby(key)["unit"].nunique()) > 1
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


def cost_title(facts: pd.DataFrame) -> str:
    """The costs chart's title: the largest claim against the yearly cost of hosting U.S. troops reported."""
    from ..cost_facts import comparison

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
    from ..cost_facts import TOPIC_NAMES, money_facts

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
            color = style.CLAIMED_COLOR if claimed_row else style.REPORTED_COLOR if f["section"] == "hosting" else style.OTHER_SUM_COLOR
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
            Line2D([], [], marker="*", markersize=11, color=style.CLAIMED_COLOR, linestyle="", label="claimed by a speaker"),
            Line2D([], [], marker="o", markersize=7, color=style.REPORTED_COLOR, linestyle="",
                   label="reported cost of hosting U.S. troops, per year"),
            Line2D([], [], marker="|", markersize=9, color=style.REPORTED_COLOR, linestyle=":",
                   label="its multi-year total"),
            Line2D([], [], marker="o", markersize=7, color=style.OTHER_SUM_COLOR, linestyle="", label="other sum, as stated"),
        ], loc="lower left", bbox_to_anchor=(0.005, fig._lk_legend_y), ncol=LEGEND_COLUMNS, fontsize=8,
            borderaxespad=0.0)
        legend.set_in_layout(False)
    return Chart(slug, title, fig, data)


