"""What one row of a chart stands for: an article (small corpora), an outlet, or "other outlets".

Every chart that compares articles asks `units(tables)` for its rows. Up to `MAX_ARTICLE_ROWS` articles, each
article is a row (outlet colour, hatch and marker tell articles of one outlet apart). Beyond that, articles are
pooled by outlet and each row says how many articles it holds (`n=37`). Beyond `MAX_OUTLET_ROWS` outlets, the
outlets with the most articles keep their rows and the rest are pooled into one "other outlets" row. Which
outlets keep a row, and their colours, depend only on the manifest, so they are the same in every chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..pipeline.settings import CHART_ARTICLE_ROWS, CHART_OUTLET_ROWS
from . import style
from .cells import article_frame

__all__ = ["MAX_ARTICLE_ROWS", "MAX_OUTLET_ROWS", "OTHER", "OTHER_COLOR", "Units", "units", "plural"]

MAX_ARTICLE_ROWS = CHART_ARTICLE_ROWS
MAX_OUTLET_ROWS = CHART_OUTLET_ROWS

OTHER = "other outlets"
"""Key and label stem of the row that pools the outlets without a row of their own."""

OTHER_COLOR = style.OTHER_COLOR
"""Grey of the pooled row, and of every outlet without a row of its own (house colours: style.py)."""

EXTRA_COLOR = style.EXTRA_COLOR


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 article', '2 articles', '1 analysis' / '3 analyses' (with `many`)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


@dataclass(frozen=True)
class Units:
    """The rows of a chart and the row of each article.

    `rows` is indexed by unit key (article_id, outlet, or OTHER) in manifest order, with columns
    label, outlet, color, hatch, marker, n (articles) and outlets (how many outlets the row pools).
    `of` maps every article_id to its unit key. `by_article` is True when each article is its own row.
    """

    rows: pd.DataFrame
    of: dict[str, str]
    by_article: bool
    n_articles: int
    n_outlets: int

    @property
    def noun(self) -> str:
        """What a row is, for titles: 'articles' or 'outlets'."""
        return "articles" if self.by_article else "outlets"

    def key(self, article_ids: pd.Series) -> pd.Series:
        """The unit key of each article id (NaN for an unknown id)."""
        return article_ids.map(self.of)

    def order(self, measure: pd.Series | None = None, *, ascending: bool = False) -> list[str]:
        """Unit keys in display order: manifest order per article; else by `measure` (ties: more articles
        first, then manifest order), with the pooled "other outlets" row last."""
        keys = list(self.rows.index)
        if self.by_article or measure is None:
            return [k for k in keys if k != OTHER] + ([OTHER] if OTHER in keys else [])
        values = pd.Series(measure).reindex(keys).astype(float).fillna(float("-inf") if not ascending else float("inf"))
        frame = pd.DataFrame({"v": values, "n": self.rows["n"], "i": range(len(keys))}, index=keys)
        frame = frame.drop(index=OTHER, errors="ignore")
        frame = frame.sort_values(["v", "n", "i"], ascending=[ascending, False, True], kind="stable")
        return list(frame.index) + ([OTHER] if OTHER in keys else [])

    def labels(self, keys: list[str]) -> list[str]:
        """Display labels of `keys`."""
        return [self.rows.at[k, "label"] for k in keys]

    def colors(self, keys: list[str]) -> list[str]:
        """Colours of `keys`."""
        return [self.rows.at[k, "color"] for k in keys]

    def hatches(self, keys: list[str]) -> list[str]:
        """Hatches of `keys` ('' for outlet rows)."""
        return [self.rows.at[k, "hatch"] for k in keys]

    def pooled(self) -> str:
        """A phrase for the subtitle saying how rows pool articles ('' when each article is a row)."""
        if self.by_article:
            return ""
        text = (f"One row per outlet (n = its articles), {plural(self.n_articles, 'article')} from "
                f"{plural(self.n_outlets, 'outlet')}")
        if OTHER in self.rows.index:
            text += f"; the {plural(int(self.rows.at[OTHER, 'outlets']), 'outlet')} with fewest articles pooled as “{OTHER}”"
        return text


def units(tables: dict[str, pd.DataFrame], *, max_articles: int = MAX_ARTICLE_ROWS,
          max_outlets: int = MAX_OUTLET_ROWS) -> Units:
    """The chart rows of this corpus: articles, outlets, or top outlets plus "other outlets" (see the module)."""
    arts = article_frame(tables)
    n_outlets = len(style.outlet_order(arts)) if len(arts) else 0
    if len(arts) <= max_articles:
        markers = _nth(arts["outlet"]) if len(arts) else pd.Series(dtype=int)
        rows = pd.DataFrame({
            "label": arts["label"].tolist(), "outlet": arts["outlet"].tolist(), "color": arts["color"].tolist(),
            "hatch": arts["hatch"].tolist(),
            "marker": [style.MARKERS[int(k) % len(style.MARKERS)] for k in markers],
            "n": 1, "outlets": 1,
        }, index=pd.Index(arts["article_id"].tolist(), name="unit"))
        return Units(rows, dict(zip(arts["article_id"], arts["article_id"], strict=True)), True, len(arts), n_outlets)
    order = style.outlet_order(arts)
    sizes = arts.groupby("outlet").size().reindex(order)
    first = {o: i for i, o in enumerate(order)}
    ranked = sorted(order, key=lambda o: (-int(sizes[o]), first[o]))
    keep = ranked if len(ranked) <= max_outlets else ranked[:max(max_outlets - 1, 1)]
    kept = set(keep)
    palette = {o: (style.PALETTE[i] if i < len(style.PALETTE) else EXTRA_COLOR) for i, o in enumerate(keep)}
    keys = [o for o in order if o in kept]
    rows = pd.DataFrame({
        "label": [f"{style.short_outlet(o)} (n={int(sizes[o]):,})" for o in keys], "outlet": keys,
        "color": [palette[o] for o in keys], "hatch": "", "marker": "o",
        "n": [int(sizes[o]) for o in keys], "outlets": 1,
    }, index=pd.Index(keys, name="unit"))
    rest = [o for o in order if o not in kept]
    if rest:
        n_rest = int(sizes[rest].sum())
        other = pd.DataFrame({"label": [f"{plural(len(rest), 'other outlet')} (n={n_rest:,})"], "outlet": [OTHER],
                              "color": [OTHER_COLOR], "hatch": [""], "marker": ["o"], "n": [n_rest],
                              "outlets": [len(rest)]}, index=pd.Index([OTHER], name="unit"))
        rows = pd.concat([rows, other])
    of = {a: (o if o in kept else OTHER) for a, o in zip(arts["article_id"], arts["outlet"], strict=True)}
    return Units(rows, of, False, len(arts), n_outlets)


def _nth(outlets: pd.Series) -> pd.Series:
    """0 for an outlet's first article, 1 for its second, ..."""
    return outlets.groupby(outlets).cumcount()
