"""Typed settings: where the project's inputs and outputs live."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

__all__ = [
    "KEEP_BUILDS", "LOCK_TIMEOUT", "MAX_ARTICLE_BYTES", "SIZE_ENV", "Settings", "find_root", "CHART_ARTICLE_ROWS",
    "CHART_OUTLET_ROWS", "CHART_MAX_INCHES", "TABLE_ROWS",
]

ROOT_ENV = "LINKAGE_ROOT"

MAX_ARTICLE_BYTES = 2_000_000
"""Largest raw article accepted, in bytes (about 300,000 words: many times the longest news article; a 20 MB
file takes minutes and gigabytes to build). Override per project with the environment variable SIZE_ENV."""

SIZE_ENV = "LINKAGE_MAX_ARTICLE_BYTES"

LOCK_TIMEOUT = 600.0
"""Seconds a writer (add, import, build) waits for another one to finish before it gives up."""

KEEP_BUILDS = 3
"""Published builds kept under data/builds/ (the current one and the ones before it), so that a reader still
reading an older snapshot is not cut off by the next build."""

DASK_CONNECT_TIMEOUT = 5.0
"""Seconds `build --engine dask --scheduler ADDRESS` tries to reach the scheduler (and waits for a first worker)
before it fails with a message."""

DASK_TASKS_PER_WORKER = 4
"""Batches in flight per Dask worker thread: enough to keep every worker busy while the client appends results in
manifest order, few enough that neither the workers nor the client hold more than a window of them."""

PROGRESS_BYTES = 1_000_000
"""From this much article text on, a build reports each phase and shows a progress bar."""


def _size_limit() -> int:
    value = os.environ.get(SIZE_ENV, "").strip()
    if not value:
        return MAX_ARTICLE_BYTES
    try:
        limit = int(value)
    except ValueError:
        raise InputError(f"{SIZE_ENV}={value!r} is not a whole number of bytes; set it to e.g. 5000000.") from None
    return limit

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
    max_article_bytes: int = field(default_factory=_size_limit)
    """Largest raw article accepted (MAX_ARTICLE_BYTES, or $LINKAGE_MAX_ARTICLE_BYTES)."""
    lock_timeout: float = LOCK_TIMEOUT
    """Seconds a writer waits for another one (`--wait` on the command line)."""

    @classmethod
    def discover(cls, root: str | Path | None = None, **options: object) -> Settings:
        """Settings for `root`, or for the project found from the working directory (`options`: other fields)."""
        return cls(Path(root).resolve() if root is not None else find_root(), **options)  # type: ignore[arg-type]

    @property
    def data(self) -> Path:
        """The data folder."""
        return self.root / "data"

    @property
    def raw(self) -> Path:
        """Immutable article texts."""
        return self.data / "raw"

    @property
    def html(self) -> Path:
        """Saved web pages, byte for byte, beside the text extracted from each into raw/."""
        return self.data / "html"

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
        """Tables rebuilt by `build()`: a symbolic link to the current build under `builds` (see docs/guarantees.md)."""
        return self.data / "processed"

    @property
    def builds(self) -> Path:
        """Every published build, one folder each; `processed` points at the current one."""
        return self.data / "builds"

    @property
    def cache(self) -> Path:
        """Per-article extraction store (SQLite, pipeline.cache), keyed by content hash."""
        return self.root / ".cache" / "articles.sqlite"

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


# --- importing pages and exports (ingest_html, ingest_records, neardup, language) ---------------

MAX_PAGE_BYTES = 8 * 1024 * 1024
"""A saved page larger than this is refused (pages saved "HTML only" are well under 2 MB)."""
MAX_RECORD_FILE_BYTES = 512 * 1024 * 1024
"""A CSV or JSON Lines export larger than this is refused; split it."""
MIN_ARTICLE_WORDS = 60
"""Fewer words of body text than this and a page is refused as having no article (or a paywall stub)."""
PAYWALL_PHRASES = (
    "subscribe to continue reading", "subscribe to read", "to continue reading", "subscribers only",
    "this article is for subscribers", "already a subscriber", "log in to read", "sign in to read",
)
"""Phrases in the last lines of the extracted text that mark a paywall stub (checked with MIN_ARTICLE_WORDS * 3)."""
LANGUAGE = "en"
"""The one language the extractors read; other languages are refused at import."""
LANGUAGE_MIN_CONFIDENCE = 0.9
"""py3langid's normalised probability above which a detected non-English language refuses an article."""
SHINGLE_WORDS = 5
"""Near-duplicates compare sets of overlapping word 5-grams of the headline, subheads and body."""
NEAR_DUP_JACCARD = 0.5
"""Two articles whose shingle sets have Jaccard similarity at least this are copies of one story ..."""
NEAR_DUP_CONTAINMENT = 0.8
"""... as is a shorter one whose shingles are at least this share inside a longer one (a trimmed wire copy)."""
MINHASH_PERMUTATIONS = 128
"""MinHash signature length for the LSH candidate search (exact Jaccard then confirms each candidate)."""
MINHASH_LSH_THRESHOLD = 0.3
"""MinHash LSH threshold for candidate pairs; below the confirmation thresholds so few true pairs are missed."""

FUZZY_NAME_MIN_LENGTH = 5
"""A misspelt name part is matched to the registry only when it has at least this many letters..."""
FUZZY_NAME_MAX_EDITS = 2
"""...and differs from the registry's by at most this many edits (Levenshtein), the other part of the
two-word name being spelt exactly: "Scott Besant" -> Scott Bessent, "Jamison Greer" -> Jamieson Greer."""
