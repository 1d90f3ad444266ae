"""Build every table from data/raw + the manifest, write data/processed/, and load the tables back."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import actors, dates, events, figures, framing, quotes
from .corpus import Document, make_document
from .files import atomic_write
from .manifest import Article, load_articles
from .resources import Resources
from .schema import ARTICLE_TABLES, TABLES
from .settings import Settings

__all__ = ["ARTICLE_STAGES", "CORPUS_STAGES", "BuildSummary", "build", "extract_article", "load"]

log = logging.getLogger(__name__)

Row = dict[str, Any]
ArticleStage = Callable[[Document, Resources], dict[str, list[Row]]]
CorpusStage = Callable[[dict[str, pd.DataFrame], Resources], dict[str, pd.DataFrame]]

ARTICLE_STAGES: list[tuple[str, ArticleStage]] = [
    ("actors", actors.extract),
    ("quotes", quotes.extract),
    ("figures", figures.extract),
    ("dates", dates.extract),
    ("framing", framing.extract),
]
"""Per-article extractors in order; each reads the document and the tables earlier stages put in doc.tables."""

CORPUS_STAGES: list[tuple[str, CorpusStage]] = [
    ("actors", actors.corpus_tables),
    ("events", events.corpus_tables),
    ("framing", framing.corpus_tables),
]
"""Corpus-level steps that read the per-article tables of every article."""


@dataclass(frozen=True)
class BuildSummary:
    """What a build produced."""

    articles: int
    sentences: int
    quotes: int
    figures: int
    dates: int
    seconds: float
    stage_seconds: dict[str, float]

    def line(self) -> str:
        """The one summary line the command line prints."""
        return (
            f"built {self.articles} articles: {self.sentences} sentences, {self.quotes} quotes, "
            f"{self.figures} figures, {self.dates} dates in {self.seconds:.2f} s"
        )


def document_for(article: Article) -> Document:
    """Segment one manifest article into a Document carrying its metadata."""
    meta = dict(article.row)
    meta["published_dt"] = article.published
    return make_document(article.article_id, article.text, meta)


def extract_article(article: Article, res: Resources, timings: dict[str, float] | None = None) -> dict[str, list[Row]]:
    """Run segmentation and every article stage on one article; return its rows per table."""
    t0 = time.perf_counter()
    doc = document_for(article)
    aid = article.article_id
    doc.tables["blocks"] = [
        {"article_id": aid, "block_id": b.block_id, "role": b.role, "char_start": b.char_start,
         "char_end": b.char_end, "text": b.text}
        for b in doc.blocks
    ]
    doc.tables["sentences"] = [
        {"article_id": aid, "sentence_id": s.sentence_id, "block_id": s.block_id,
         "char_start": s.char_start, "char_end": s.char_end, "text": s.text}
        for s in doc.sentences
    ]
    if timings is not None:
        timings["segmentation"] = timings.get("segmentation", 0.0) + time.perf_counter() - t0
    for name, stage in ARTICLE_STAGES:
        t1 = time.perf_counter()
        for table, rows in stage(doc, res).items():
            doc.tables[table] = rows
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t1
    return {table: doc.tables.get(table, []) for table in ARTICLE_TABLES}


def _article_row(article: Article, rows: dict[str, list[Row]]) -> Row:
    blocks = rows["blocks"]
    body = sum(b["char_end"] - b["char_start"] for b in blocks if b["role"] in ("headline", "subhead", "body"))
    removed = sum(b["char_end"] - b["char_start"] for b in blocks if b["role"] in ("caption", "boilerplate", "source"))
    return {
        **article.row,
        "n_chars": len(article.text),
        "n_blocks": len(blocks),
        "n_sentences": len(rows["sentences"]),
        "n_body_chars": body,
        "n_removed_chars": removed,
    }


def _frame(name: str, rows: list[Row]) -> pd.DataFrame:
    columns = TABLES.get(name) or None
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame


def run_articles(articles: list[Article], res: Resources, timings: dict[str, float]) -> dict[str, list[Row]]:
    """Extract every article; return rows per table, in manifest order."""
    from tqdm import tqdm

    out: dict[str, list[Row]] = {name: [] for name in ARTICLE_TABLES}
    out["articles"] = []
    for article in tqdm(articles, desc="articles", unit="art", disable=len(articles) < 200, leave=False):
        rows = extract_article(article, res, timings)
        for name, table_rows in rows.items():
            out[name].extend(table_rows)
        out["articles"].append(_article_row(article, rows))
    return out


def build(root: str | Path | None = None, *, jobs: int | None = None, write: bool = True) -> BuildSummary:
    """Rebuild every table from data/raw + the manifest and write data/processed/ (CSV)."""
    settings = Settings.discover(root)
    start = time.perf_counter()
    timings: dict[str, float] = {}
    articles = load_articles(settings)
    res = Resources(settings)
    rows = run_articles(articles, res, timings)
    tables = {name: _frame(name, table_rows) for name, table_rows in rows.items()}
    for name, stage in CORPUS_STAGES:
        t1 = time.perf_counter()
        tables.update(stage(tables, res))
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - t1
    if write:
        write_tables(settings, tables)
    summary = BuildSummary(
        articles=len(articles),
        sentences=len(tables["sentences"]),
        quotes=len(tables["quotes"]),
        figures=len(tables["figures"]),
        dates=len(tables["dates"]),
        seconds=time.perf_counter() - start,
        stage_seconds=timings,
    )
    log.info(summary.line())
    return summary


def write_tables(settings: Settings, tables: dict[str, pd.DataFrame]) -> None:
    """Write each table to data/processed/<name>.csv atomically (temporary file, then rename)."""
    out = settings.processed
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        atomic_write(out / f"{name}.csv", lambda tmp, f=frame: f.to_csv(tmp, index=False, lineterminator="\n"))
    atomic_write(out / ".built", lambda tmp: tmp.write_text(f"{time.time()}\n", encoding="utf-8"))


def _inputs(settings: Settings) -> list[Path]:
    files = [settings.manifest, *Resources(settings).data_files()]
    if settings.raw.is_dir():
        files += [p for p in settings.raw.iterdir() if p.is_file()]
    package = Path(__file__).parent
    files += list(package.rglob("*.py"))
    return files


def is_stale(settings: Settings) -> bool:
    """True when outputs are missing or older than any input (articles, manifest, registry, lexicons, code)."""
    stamp = settings.processed / ".built"
    if not stamp.is_file():
        return True
    built = stamp.stat().st_mtime
    return any(p.stat().st_mtime > built for p in _inputs(settings) if p.exists())


def load(table: str | None = None, root: str | Path | None = None, *, rebuild: bool | None = None) -> Any:
    """Return one table, or a dict of every table, as DataFrames (rebuilding first if inputs are newer)."""
    settings = Settings.discover(root)
    if rebuild or (rebuild is None and is_stale(settings)):
        build(settings.root)
    names = [table] if table else [p.stem for p in sorted(settings.processed.glob("*.csv"))]
    frames = {}
    for name in names:
        path = settings.processed / f"{name}.csv"
        if not path.is_file():
            raise KeyError(f"no table {name!r}; known tables: {', '.join(sorted(TABLES))}")
        frames[name] = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"text": str})
    return frames[table] if table else frames
