"""Typed settings: where the project's inputs and outputs live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings", "find_root"]

ROOT_ENV = "LINKAGE_ROOT"


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

FAMILY_NAME_FIRST_COUNTRIES = ("JP", "KR", "CN")
"""Registry people of these countries are also found with the two parts of their name swapped:
"Akazawa Ryosei" (Japanese order) for "Ryosei Akazawa", "Duck-soo Han" (Western order) for "Han Duck-soo"."""
FUZZY_NAME_MIN_LENGTH = 5
"""A misspelt name part is matched to the registry only when it has at least this many letters..."""
FUZZY_NAME_MAX_EDITS = 2
"""...and differs from the registry's by at most this many edits (Levenshtein), the other part of the
two-word name being spelt exactly: "Scott Besant" -> Scott Bessent, "Jamison Greer" -> Jamieson Greer."""
