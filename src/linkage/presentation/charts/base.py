"""The chart object and what every chart shares: the canvas (title, subtitle, legend band, source line),
legends, heatmaps, grouped bars, marker shapes, number formats."""

from __future__ import annotations

import base64
import html
import io
import logging
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import style
from ..cells import (
    pretty,
    table,
)
from ..units import OTHER_COLOR, Units

log = logging.getLogger(__name__)

Tables = dict[str, pd.DataFrame]
LEGEND_COLUMNS = 3
EMBED_BYTES = 1_000_000
"""A chart PNG larger than this is embedded in notebooks and reports at 100 dpi instead of 200."""
PER_ARTICLE_MARKS = 12
"""Up to this many articles the timeline and the tariff chart mark each article; beyond, they pool articles."""
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
        from ...pipeline.settings import Settings

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


