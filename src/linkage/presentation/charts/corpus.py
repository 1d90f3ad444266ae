"""Chart of the corpus: characters kept and removed per article (or outlet)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from .. import style
from ..cells import (
    article_frame,
    numeric,
)
from ..units import units
from .base import (
    Chart,
    Tables,
    _canvas,
    _color_ticks,
    _named,
    _no_data,
)

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


