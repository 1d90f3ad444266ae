"""Reading articles: each article goes through the stages below in order, then the corpus steps run once.

    corpus (blocks and sentences, `corpus.make_document`)
      -> actors -> quotes -> figures -> dates -> framing -> events (per article, in worker processes)
      -> actors, events, framing corpus steps (across articles)

Where things are decided: who a quotation's speaker is (`attribution.ATTRIBUTION_RULES`, read through
`speakers`), what a date phrase means (`dates.PHRASINGS`), what a sentence's stance is (`framing`, its cue
lexicon in data/lexicons/framing.csv, scanned by `framing_scan`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import actors, dates, events, figures, framing, quotes
from .corpus import Document

if TYPE_CHECKING:
    import pandas as pd

    from ..pipeline.resources import Resources

__all__ = ["ARTICLE_STAGES", "CORPUS_STAGES"]

ArticleStage = Callable[[Document, "Resources"], dict[str, list[dict[str, Any]]]]
CorpusStage = Callable[[dict[str, "pd.DataFrame"], "Resources"], dict[str, "pd.DataFrame"]]

ARTICLE_STAGES: list[tuple[str, ArticleStage]] = [
    ("actors", actors.extract),
    ("quotes", quotes.extract),
    ("figures", figures.extract),
    ("dates", dates.extract),
    ("framing", framing.extract),
    ("events", events.extract),
    ("outlet_framing", framing.outlet_counts),
]
"""Per-article extractors in order; each reads the document and the tables earlier stages put in doc.tables.

The last ones fill only private tables (schema.PRIVATE_TABLES): the per-article part of a corpus step.
"""

CORPUS_STAGES: list[tuple[str, CorpusStage]] = [
    ("actors", actors.corpus_tables),
    ("events", events.corpus_tables),
    ("framing", framing.corpus_tables),
]
"""Corpus-level steps over every article: they read the private tables (the per-article half of `events` and
`framing`, computed with each article) and the DataFrames of CORPUS_INPUTS, and keep only the cross-article work."""
