"""Typed settings: where the project's inputs and outputs live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings", "find_root", "CHART_ARTICLE_ROWS", "CHART_OUTLET_ROWS", "CHART_MAX_INCHES", "TABLE_ROWS"]

ROOT_ENV = "LINKAGE_ROOT"

CHART_ARTICLE_ROWS = 12
"""Corpora with at most this many articles are charted one row per article; larger ones one row per outlet."""

CHART_OUTLET_ROWS = 15
"""At most this many outlet rows in a chart; past it, the outlets with fewest articles share one row."""

CHART_MAX_INCHES = 15.0
"""No chart is wider or taller than this (3,000 px at 200 dpi)."""

TABLE_ROWS = 200
"""Rows a report table shows (the most relevant first); it names the full CSV in data/processed/ for the rest."""


def find_root(start: Path | None = None) -> Path:
    """Return the project root: $LINKAGE_ROOT, else the nearest folder above `start` with data/articles.csv."""
    env = os.environ.get(ROOT_ENV)
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "articles.csv").is_file():
            return folder
    raise FileNotFoundError(
        f"No data/articles.csv found in {here} or any parent folder; "
        f"run from inside the project or set {ROOT_ENV} to its root."
    )


@dataclass(frozen=True)
class Settings:
    """Paths of one project; every path derives from `root`."""

    root: Path

    @classmethod
    def discover(cls, root: str | Path | None = None) -> Settings:
        """Settings for `root`, or for the project found from the working directory."""
        return cls(Path(root).resolve() if root is not None else find_root())

    @property
    def data(self) -> Path:
        """The data folder."""
        return self.root / "data"

    @property
    def raw(self) -> Path:
        """Immutable article texts."""
        return self.data / "raw"

    @property
    def manifest(self) -> Path:
        """One row per article: file, checksum, outlet, date and provenance."""
        return self.data / "articles.csv"

    @property
    def actors(self) -> Path:
        """The actor registry."""
        return self.data / "actors.csv"

    @property
    def lexicons(self) -> Path:
        """Folder of framing lexicons and other cue lists."""
        return self.data / "lexicons"

    @property
    def processed(self) -> Path:
        """Tables rebuilt by `build()`."""
        return self.data / "processed"

    @property
    def cache(self) -> Path:
        """Per-article extraction cache, keyed by content hash."""
        return self.root / ".cache" / "articles"

    @property
    def figures(self) -> Path:
        """Briefing charts and the CSV beside each."""
        return self.root / "figures"

    @property
    def reports(self) -> Path:
        """HTML reports."""
        return self.root / "reports"

    @property
    def gold(self) -> Path:
        """Hand-annotated gold files used by `evaluate`."""
        return self.root / "tests" / "gold"
