"""Framing charts: topics and frames by outlet, and separation versus linkage by voice."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from .. import style
from ..cells import (
    article_frame,
    per_value,
    pretty,
    remembered,
    sentence_roles,
    split_list,
    stance_sign,
    table,
    voice_of,
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
    _unit_legend,
)

# ---------------------------------------------------------------- 3 framing


@remembered("framing", "sentences", "blocks", "articles")
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
                          "label": per_value(body[column], lambda c: list(dict.fromkeys(split_list(c))))
                          }).explode("label")
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


@remembered("framing", "sentences", "blocks", "articles")
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
                          "voice": per_value(framing["voice"], voice_of),
                          "sign": per_value(framing["stance"], stance_sign)})
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


