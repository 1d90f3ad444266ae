"""Build every table from data/raw + the manifest, write data/processed/, and load the tables back."""

from __future__ import annotations

import contextlib
import csv
import functools
import gc
import io
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..extraction import ARTICLE_STAGES, CORPUS_STAGES
from ..extraction.corpus import Document, make_document
from .cache import ArticleStore, Entry, code_version, decode, encode, split_entry
from .dataset import write_dataset
from .faults import fault
from .incremental import reusable, write_keys
from .lock import close_inherited_locks, writer_lock
from .manifest import Article, load_articles, recover
from .outputs import SNAPSHOT_ENV, collect, new_build, publish, snapshot
from .resources import Resources
from .schema import ARTICLE_TABLES, PRIVATE_TABLES, TABLES, column_type, row_tuples
from .settings import PROGRESS_BYTES, Settings

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ARTICLE_STAGES", "CORPUS_INPUTS", "CORPUS_STAGES", "LARGE_CORPUS", "BuildSummary", "build", "default_jobs",
    "arrow_schema", "arrow_table", "extract_article", "load", "run_articles", "write_tables",
]

log = logging.getLogger(__name__)

Row = dict[str, Any]

CORPUS_INPUTS = frozenset({"mentions", "event_sentences", "event_people", "article_framing"})
"""The per-article and private tables the corpus steps read (with `articles`); the other per-article tables go from
the workers straight to disk."""

LARGE_CORPUS = 200
"""From this many articles on, the build shows a progress bar and also writes Parquet beside each CSV."""

LONG_ARTICLE = 250_000
"""Characters from which extracting one article is announced on stderr (it takes seconds: about 5 s per million)."""

ENGINES = ("local", "dask")
"""Where the per-article extraction runs: local worker processes (the default) or a Dask cluster."""

PARALLEL_MIN = 48
"""Articles to extract per worker process below which starting processes costs more than it saves."""


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
    extracted: int = 0
    cached: int = 0
    jobs: int = 1
    phase_seconds: dict[str, float] = field(default_factory=dict)
    reused: int = 0
    """Articles whose per-article rows were taken from the previous build's files (pipeline.incremental)."""

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
    """Run segmentation and every article stage on one article; return its rows per table (private ones too)."""
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
        try:
            produced = stage(doc, res)
        except Exception as exc:
            exc.add_note(f"while running the {name} stage on article {aid}")
            raise
        for table, rows in produced.items():
            doc.tables[table] = rows
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t1
    return {table: doc.tables.get(table, []) for table in (*ARTICLE_TABLES, *PRIVATE_TABLES)}


def _tuples(tables: dict[str, list[Row]], declared: dict[str, list[str]] = ARTICLE_TABLES) -> dict[str, list[tuple[Any, ...]]]:
    """Each `declared` table's rows as tuples in column order (a missing key gives None; undeclared keys are dropped)."""
    return {name: row_tuples(tables.get(name) or [], names) for name, names in declared.items()}


_BLOCK_ROLE, _BLOCK_START, _BLOCK_END = (ARTICLE_TABLES["blocks"].index(c) for c in ("role", "char_start", "char_end"))


def _article_stats(rows: dict[str, list[tuple[Any, ...]]]) -> list[int]:
    """n_blocks, n_sentences, n_body_chars, n_removed_chars of one article."""
    blocks = rows.get("blocks", [])
    body = removed = 0
    for block in blocks:
        role = block[_BLOCK_ROLE]
        if role in ("headline", "subhead", "body"):
            body += block[_BLOCK_END] - block[_BLOCK_START]
        elif role in ("caption", "boilerplate", "source"):
            removed += block[_BLOCK_END] - block[_BLOCK_START]
    return [len(blocks), len(rows.get("sentences", [])), body, removed]


# --- extraction, serial or in worker processes ------------------------------------------------
#
# The articles are cut into batches of consecutive articles. A worker takes a batch, reads each
# article's entry (its rows as tuples, its private rows) from the cache or extracts it (and stores
# the entry), then packs the batch into one typed Arrow table and one block of CSV lines per table,
# plus the private rows as they are. The main process only appends these, in manifest order, so the
# result does not depend on the number of workers.

BATCH = 64
"""Articles per batch handed to a worker."""

ROW_GROUP = 131_072
"""Rows gathered before they are written as one Parquet row group."""

_worker: dict[str, Any] = {}


def _init_worker(root: str, store_path: str | None, salt: str) -> None:
    close_inherited_locks()
    _worker["res"] = Resources(Settings(Path(root)))
    _worker["cache"] = ArticleStore(Path(store_path), salt) if store_path else None
    gc.freeze()  # what the worker inherited and loaded lives for good: keep it out of every collection


def _entry(article: Article, key: str, timings: dict[str, float]) -> tuple[Entry, bool]:
    """One article's entry from the store, or extracted; True when extracted (the caller stores it)."""
    cache: ArticleStore | None = _worker["cache"]
    if cache is not None:
        entry = cache.get(key)
        if entry is not None:
            return entry, False
    if len(article.text) >= LONG_ARTICLE:
        print(f"extracting {article.article_id} ({len(article.text) / 1e6:.1f} M characters) ...", file=sys.stderr, flush=True)
    tables = extract_article(article, _worker["res"], timings)
    rows = _tuples(tables)
    entry = {
        "rows": rows, "csv": {name: _csv_lines(name, r) for name, r in rows.items()}, "stats": _article_stats(rows),
        "private": _tuples(tables, PRIVATE_TABLES),
    }
    return entry, True


@dataclass
class _Batch:
    """What a worker returns for a batch: Arrow IPC and CSV lines per table, per-article stats, counters, private rows."""

    arrow: dict[str, bytes]
    csv: dict[str, str]
    stats: list[list[int]]
    extracted: int
    timings: dict[str, float]
    private: bytes = b""
    """The private rows, {table: [row tuples]}, as cache.encode writes them (marshal: loads about three times
    faster than pickle)."""
    entries: list[tuple[str, bytes, bytes]] = field(default_factory=list)
    """(key, head, body) of every article extracted afresh, for the building process to store (cache.split_entry)."""


def _decoded(data: bytes) -> Entry:
    """The private rows a worker encoded (it never writes a damaged one: fail loudly if it is)."""
    found = decode(data)
    if found is None:
        raise RuntimeError("a worker returned damaged private rows")
    return found


def _run_batch(jobs: list[tuple[Article, str]]) -> _Batch:
    """Read or extract every article of a batch and pack the batch."""
    timings: dict[str, float] = {}
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in ARTICLE_TABLES}
    lines: dict[str, list[str]] = {name: [] for name in ARTICLE_TABLES}
    private: dict[str, list[tuple[Any, ...]]] = {name: [] for name in PRIVATE_TABLES}
    stats = []
    extracted = 0
    entries = []
    for article, key in jobs:
        entry, fresh = _entry(article, key, timings)
        extracted += fresh
        if fresh and key:
            entries.append((key, *split_entry(entry)))
        for name in ARTICLE_TABLES:
            rows[name].extend(entry["rows"][name])
            lines[name].append(entry["csv"][name])
        for name, found in entry["private"].items():
            if name in private:
                private[name].extend(found)
        stats.append(entry["stats"])
    arrow = {name: _ipc(arrow_table(name, table_rows)) for name, table_rows in rows.items() if table_rows}
    return _Batch(
        arrow, {name: "".join(parts) for name, parts in lines.items()}, stats, extracted, timings, encode(private),
        entries,
    )


@functools.cache
def arrow_schema(name: str) -> Any:
    """The Arrow schema of per-article table `name` (types from schema.ARTICLE_TYPES)."""
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    return pa.schema([(c, types[column_type(name, c)]) for c in ARTICLE_TABLES[name]])


def arrow_table(name: str, rows: list[tuple[Any, ...]]) -> Any:
    """Rows of per-article table `name` (tuples in column order) as an Arrow table of its declared types."""
    import pyarrow as pa

    schema = arrow_schema(name)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    arrays = []
    for field_, values in zip(schema, columns, strict=True):
        try:
            arrays.append(pa.array(values, type=field_.type))
        except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
            bad = next((v for v in values if v is not None and not _fits(v, field_.type)), None)
            raise TypeError(f"{name}.{field_.name} holds {bad!r}, not {field_.type} (schema.ARTICLE_TYPES): {exc}") from exc
    return pa.Table.from_arrays(arrays, schema=schema)


def _fits(value: Any, arrow_type: Any) -> bool:
    import pyarrow as pa

    try:
        pa.array([value], type=arrow_type)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return False
    return True


_FLOAT_COLUMNS = {
    name: [i for i, c in enumerate(cols) if column_type(name, c) == "float"] for name, cols in ARTICLE_TABLES.items()
}
"""Positions of the float columns of each per-article table (the only ones that can hold NaN)."""


def _csv_lines(name: str, rows: list[tuple[Any, ...]]) -> str:
    """CSV lines (no header) of rows of per-article table `name`, as pandas writes them (NaN as empty)."""
    floats = _FLOAT_COLUMNS[name]
    if any(row[i] != row[i] for i in floats for row in rows):
        rows = [tuple("" if isinstance(v, float) and v != v else v for v in row) for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _ipc(table: Any) -> bytes:
    """An Arrow table as IPC stream bytes (compact and typed; read back without copying)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _pool_context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _batches(
    batches: list[list[tuple[Article, str]]], workers: int, stack: contextlib.ExitStack, *, fork: bool = False
) -> Iterator[_Batch]:
    """The packed result of each batch, in order, computed on `workers` processes (in this one when there is
    one worker, unless `fork`: then in one other process, so this one is free meanwhile)."""
    if workers <= 1 and not fork:
        return map(_run_batch, batches)
    args = (str(_worker["root"]), _worker["cache_folder"], _worker["salt"])
    pool = stack.enter_context(_pool_context().Pool(workers, initializer=_init_worker, initargs=args))
    return pool.imap(_run_batch, batches)


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class _Stager:
    """Streams each batch of the per-article tables into a new build's folder, in manifest order.

    Every table gets a CSV file (header first) and, for a large corpus, a Parquet file of its
    declared types. The folder is published only when complete (outputs.publish), so the files
    get their final names at once.
    """

    def __init__(self, folder: Path, *, parquet: bool, previous: Path | None = None) -> None:
        """With `previous` (a published build of the same code whose articles are the first ones of this
        build), every per-article file starts as a copy of the previous build's and the new batches follow."""
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.paths: dict[str, Path] = {}
        self.csv: dict[str, Any] = {}
        self.parquet: dict[str, Any] = {}
        self.pending: dict[str, list[Any]] = {}
        self.pending_rows: dict[str, int] = {}
        self._copying: Any = None
        self._copy_error: list[BaseException] = []
        try:
            for name, cols in ARTICLE_TABLES.items():
                path = self._path(f"{name}.csv")
                if previous is not None:
                    shutil.copyfile(previous / f"{name}.csv", path)
                    self.csv[name] = open(path, "a", encoding="utf-8", newline="")  # noqa: SIM115
                else:
                    handle = self.csv[name] = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
                    csv.writer(handle, lineterminator="\n").writerow(cols)
                if parquet:
                    import pyarrow.parquet as pq

                    self.parquet[name] = pq.ParquetWriter(self._path(f"{name}.parquet"), arrow_schema(name))
            if parquet and previous is not None:
                # Parquet cannot be appended to: the previous row groups are decoded and written again, in a
                # thread (Arrow releases the GIL) while this process extracts and runs the corpus steps.
                import threading

                self._copying = threading.Thread(target=self._copy_parquet, args=(previous,), daemon=True)
                self._copying.start()
        except BaseException:
            self.discard()
            raise

    def _copy_parquet(self, previous: Path) -> None:
        import pyarrow.parquet as pq

        try:
            for name, writer in self.parquet.items():
                with pq.ParquetFile(previous / f"{name}.parquet") as old:
                    for group in range(old.num_row_groups):
                        writer.write_table(old.read_row_group(group), row_group_size=None)
        except BaseException as exc:  # re-raised by _copied
            self._copy_error.append(exc)

    def _copied(self) -> None:
        """Wait until the previous build's Parquet row groups are written (before any new one is)."""
        if self._copying is not None:
            self._copying.join()
            self._copying = None
        if self._copy_error:
            raise self._copy_error[0]

    def _path(self, filename: str) -> Path:
        self.paths[filename] = self.folder / filename
        return self.paths[filename]

    def add(self, fragments: dict[str, str], tables: dict[str, Any]) -> None:
        """Append one batch: CSV lines and Arrow tables by table name."""
        for name, text in fragments.items():
            self.csv[name].write(text)
        for name, table in tables.items():
            if name in self.parquet:
                self.pending.setdefault(name, []).append(table)
                self.pending_rows[name] = self.pending_rows.get(name, 0) + table.num_rows
                if self.pending_rows[name] >= ROW_GROUP:
                    self._flush(name)

    def _flush(self, name: str) -> None:
        """Write the batches waiting for table `name` as one Parquet row group."""
        import pyarrow as pa

        self._copied()
        parts = self.pending.pop(name, [])
        self.pending_rows.pop(name, None)
        if parts:
            self.parquet[name].write_table(pa.concat_tables(parts), row_group_size=None)

    def finish(self) -> dict[str, Path]:
        """Close the files; return them by output file name."""
        self._copied()
        for name in list(self.pending):
            self._flush(name)
        self._close()
        return dict(self.paths)

    def _close(self) -> None:
        for handle in [*self.csv.values(), *self.parquet.values()]:
            handle.close()
        self.csv, self.parquet = {}, {}

    def discard(self) -> None:
        """Close every file (an unpublished build folder is removed whole by `build`)."""
        with contextlib.suppress(BaseException):
            self._copied()
        with contextlib.suppress(Exception):
            self._close()


@dataclass
class _Run:
    """Counters of one extraction run."""

    extracted: int = 0
    cached: int = 0
    workers: int = 1
    timings: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    reused: int = 0
    """Articles whose per-article rows came from the previous build's files (an incremental build)."""


def _add_prior(
    articles: list[Article], keys: list[str], cache: ArticleStore, previous: Path, timings: dict[str, float],
    article_rows: list[Row], chunks: dict[str, list[Any]], private: dict[str, list[tuple[Any, ...]]], run: _Run,
) -> None:
    """Take articles whose rows the previous build's files hold: counts and private rows from their stored heads,
    their rows of the kept per-article tables from the previous build's Parquet files (else from the store)."""
    fresh: dict[str, Entry] = {}

    def extracted_again(article: Article, key: str) -> Entry:
        """A damaged entry (its rows are in the previous files): extracted again and stored."""
        if key not in fresh:
            entry, _ = _entry(article, key, timings)
            cache.put_many([(key, *split_entry(entry))])
            fresh[key] = entry
            run.extracted += 1
        return fresh[key]

    with _gc_paused():  # many small containers, no cycles
        heads = cache.heads(keys)
        for article, key in zip(articles, keys, strict=True):
            if key not in heads:
                heads[key] = decode(split_entry(extracted_again(article, key))[0])
        _add_heads(articles, [heads[k] for k in keys], article_rows, private, run)
        for name in chunks:
            if (previous / f"{name}.parquet").is_file():
                import pyarrow.parquet as pq

                chunks[name].append(pq.read_table(previous / f"{name}.parquet", schema=arrow_schema(name)))
            else:  # a small corpus, written without Parquet
                rows = []
                for article, key in zip(articles, keys, strict=True):
                    entry = fresh.get(key) or cache.get(key) or extracted_again(article, key)
                    rows.extend(entry["rows"][name])
                chunks[name].append(arrow_table(name, rows))


def _add_heads(
    articles: list[Article], prior: list[dict[str, Any]], article_rows: list[Row],
    private: dict[str, list[tuple[Any, ...]]], run: _Run,
) -> None:
    for article, head in zip(articles, prior, strict=True):
        n_blocks, n_sentences, body, removed = head["stats"]
        article_rows.append({
            **article.row, "n_chars": len(article.text), "n_blocks": n_blocks, "n_sentences": n_sentences,
            "n_body_chars": body, "n_removed_chars": removed,
        })
        for name, count in head["n"].items():
            run.rows[name] = run.rows.get(name, 0) + count
        for name, found in head["private"].items():
            if name in private:
                private[name].extend(found)


def run_articles(
    articles: list[Article],
    res: Resources,
    timings: dict[str, float],
    *,
    jobs: int | None = 1,
    cache: ArticleStore | None = None,
    run: _Run | None = None,
    stager: _Stager | None = None,
    keep: frozenset[str] | None = None,
    engine: Any = None,
    keys: list[str] | None = None,
    prior: int = 0,
    previous: Path | None = None,
) -> dict[str, Any]:
    """Read or extract every article (misses on `jobs` processes); return DataFrames in manifest order.

    With `engine` (a dask_engine.DaskEngine) the misses are extracted on its cluster instead.

    Returns the `articles` table and the per-article tables in `keep` (default: all) as DataFrames,
    and the private tables in `keep` (schema.PRIVATE_TABLES) as lists of row tuples. Every
    per-article table is also streamed to `stager` when one is given, so tables not kept are
    never held whole in memory; private tables never reach it. Articles extracted afresh are
    written to the store `cache` by this process, batch by batch (one transaction each).

    `prior`: how many of the first articles the stager already holds, from the `previous` build's
    files (an incremental build); their counts and private rows come from the store heads
    (cache.split_entry), their rows of the kept per-article tables from the previous build, and only
    the remaining articles are read or extracted (in another process meanwhile, when there is a core
    to spare). `keys`: the articles' store keys, when the caller has them.
    """
    import pandas as pd
    import pyarrow as pa
    from tqdm import tqdm

    keep = frozenset(ARTICLE_TABLES) if keep is None else keep
    run = run if run is not None else _Run()
    if prior and (cache is None or previous is None):
        raise ValueError("an incremental build needs the store and the previous build")
    if keys is None:
        keys = [cache.key(a.article_id, a.text, a.row) if cache else "" for a in articles]
    jobs_ = list(zip(articles, keys, strict=True))[prior:]
    batches = [jobs_[i : i + BATCH] for i in range(0, len(jobs_), BATCH)]
    available = jobs if jobs and jobs > 0 else default_jobs()
    run.workers = engine.workers if engine is not None else max(1, min(available, len(jobs_) // PARALLEL_MIN, len(batches)))
    _worker.update(
        root=res.settings.root, cache_folder=str(cache.path) if cache else None,
        salt=cache.salt if cache else "", res=res, cache=cache,
    )
    chunks: dict[str, list[Any]] = {name: [] for name in keep if name in ARTICLE_TABLES}
    private: dict[str, list[tuple[Any, ...]]] = {name: [] for name in keep if name in PRIVATE_TABLES}
    private_blobs: list[bytes] = []
    article_rows: list[Row] = []
    with contextlib.ExitStack() as stack:
        if engine is not None:
            results = engine.batches(batches, cache, res)  # entries come back in the batches; stored below
        else:
            fork = bool(prior) and available > 1 and bool(batches)
            if cache is not None:
                cache.ready()  # created here, before the workers open it: none of them switches it to WAL
                cache.close()  # no SQLite connection may cross a fork; this process reopens one when it next writes
            results = _batches(batches, run.workers, stack, fork=fork)  # fork the workers before tqdm starts a thread
        if prior and cache is not None and previous is not None:
            _add_prior(articles[:prior], keys[:prior], cache, previous, timings, article_rows, chunks, private, run)
        long = len(articles) >= LARGE_CORPUS or sum(len(a.text) for a in articles) >= PROGRESS_BYTES
        bar = stack.enter_context(tqdm(total=len(jobs_), desc="articles", unit="art", disable=not long, leave=False))
        for batch, result in zip(batches, results, strict=True):
            tables = {name: pa.ipc.open_stream(pa.py_buffer(data)).read_all() for name, data in result.arrow.items()}
            for name, table in tables.items():
                run.rows[name] = run.rows.get(name, 0) + table.num_rows
                if name in chunks:
                    chunks[name].append(table)
            if private:
                private_blobs.append(result.private)
            if stager is not None:
                stager.add(result.csv, tables)
            if cache is not None and result.entries:
                cache.put_many(result.entries)
            for (article, _), (n_blocks, n_sentences, body, removed) in zip(batch, result.stats, strict=True):
                article_rows.append({
                    **article.row, "n_chars": len(article.text), "n_blocks": n_blocks, "n_sentences": n_sentences,
                    "n_body_chars": body, "n_removed_chars": removed,
                })
            run.extracted += result.extracted
            for name, seconds in result.timings.items():
                timings[name] = timings.get(name, 0.0) + seconds
            bar.update(len(batch))
            fault("extract")
    run.cached = len(articles) - run.extracted
    run.reused = prior
    run.timings = timings
    frames: dict[str, Any] = {}
    for name in ARTICLE_TABLES:
        if name not in chunks:
            continue
        parts = chunks.pop(name)
        table = pa.concat_tables(parts) if parts else arrow_schema(name).empty_table()
        del parts
        # Free each Arrow column as soon as it is converted, so a table is never held twice.
        frames[name] = table.to_pandas(split_blocks=True, self_destruct=True)
        del table
    frames["articles"] = pd.DataFrame.from_records(article_rows, columns=TABLES.get("articles") or None)
    # Decoded at the end with the collector paused: many small containers and no reference cycles
    # (decoded batch by batch while the batches arrive, the collector's scans of them cost a third
    # of the main process's time).
    with _gc_paused():
        for blob in private_blobs:
            for name, found in _decoded(blob).items():
                if name in private:
                    private[name].extend(found)
    frames.update(private)
    return frames


# --- the build ---------------------------------------------------------------------------------


def _frame(name: str, rows: list[Row]) -> pd.DataFrame:
    """A DataFrame for table `name` from rows (dicts), typed as the build types it."""
    import pandas as pd

    if name in ARTICLE_TABLES:
        return arrow_table(name, _tuples({name: list(rows)})[name]).to_pandas()
    return pd.DataFrame.from_records(rows, columns=TABLES.get(name) or None)


def build(
    root: str | Path | None = None, *, jobs: int | None = None, write: bool = True, cache: bool = True,
    wait: float | None = None, engine: str = "local", scheduler: str | None = None,
) -> BuildSummary:
    """Rebuild every table from data/raw + the manifest and publish them as data/processed/ (CSV, plus Parquet for large corpora).

    `jobs` worker processes extract the articles not in the cache (default: every core); the
    result is the same for any `jobs`. With `cache=False` every article is extracted afresh. The
    build holds the project's writer lock (waiting up to `wait` seconds for another writer) and
    publishes all tables at once (outputs.publish) or none.

    `engine="dask"` extracts on a Dask cluster: the one at `scheduler` (tcp://host:8786), or a local
    one of `jobs` single-thread worker processes started and closed here (see dask_engine).
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}.")
    if scheduler is not None and engine != "dask":
        raise InputError("--scheduler needs --engine dask.")
    settings = Settings.discover(root)
    with contextlib.ExitStack() as cluster:
        if engine == "dask":
            from .dask_engine import dask_engine

            remote = cluster.enter_context(dask_engine(scheduler, jobs))
        else:
            remote = None
        return _build(settings, jobs=jobs, write=write, cache=cache, wait=wait, engine=remote)


def _build(settings: Settings, *, jobs: int | None, write: bool, cache: bool, wait: float | None, engine: Any) -> BuildSummary:
    start = time.perf_counter()
    phases: dict[str, float] = {}
    timings: dict[str, float] = {}
    with writer_lock(settings, timeout=wait, what="build"):
        recover(settings)
        articles = load_articles(settings)
        say = _progress(len(articles) >= LARGE_CORPUS or sum(len(a.text) for a in articles) >= PROGRESS_BYTES)
        fault("load")
        res = Resources(settings)
        store = ArticleStore(settings.cache, f"{code_version()}|{res.version}") if cache else None
        if write:
            collect(settings)  # unfinished builds a kill left behind
        parquet = len(articles) >= LARGE_CORPUS
        keys = [store.key(a.article_id, a.text, a.row) for a in articles] if store is not None else None
        previous, prior = _previous(settings, store, keys, parquet) if write else (None, 0)
        phases["load"] = time.perf_counter() - start
        run = _Run()
        ident, folder = new_build(settings) if write else ("", None)
        published = False
        stager = None
        try:
            t = time.perf_counter()
            stager = _Stager(folder, parquet=parquet, previous=previous) if folder is not None else None
            say(f"extracting {len(articles) - prior} articles "
                f"({sum(len(a.text) for a in articles[prior:]) / 1e6:.1f} M characters)")
            tables = run_articles(
                articles, res, timings, jobs=jobs, cache=store, run=run, stager=stager, keep=CORPUS_INPUTS,
                engine=engine, keys=keys, prior=prior, previous=previous,
            )
            phases["extract"] = time.perf_counter() - t
            t = time.perf_counter()
            say("corpus steps (actors, events, framing)")
            with _gc_paused():  # the corpus steps build many small containers and no reference cycles
                for name, stage in CORPUS_STAGES:
                    t1 = time.perf_counter()
                    tables.update(stage(tables, res))
                    timings[f"{name} (corpus)"] = timings.get(f"{name} (corpus)", 0.0) + time.perf_counter() - t1
                    fault("corpus")
            phases["corpus"] = time.perf_counter() - t
            if stager is not None and folder is not None:
                t = time.perf_counter()
                say("writing the tables")
                corpus_tables = {n: f for n, f in tables.items() if n not in ARTICLE_TABLES and n not in PRIVATE_TABLES}
                stager.finish()
                if store is not None and keys is not None:
                    write_keys(folder, store.salt, keys, parquet)
                write_tables(folder, corpus_tables, parquet=parquet)
                if parquet:
                    write_dataset(folder, tables["articles"])
                fault("publish")
                publish(settings, ident, folder)
                published = True
                fault("switched")
                collect(settings)
                phases["write"] = time.perf_counter() - t
                say(f"published build {ident}")
            if store is not None and run.extracted:
                store.compact()
        finally:
            if stager is not None:
                stager.discard()
            if folder is not None and not published:
                shutil.rmtree(folder, ignore_errors=True)
            if store is not None:
                store.close()
    summary = BuildSummary(
        articles=len(articles),
        sentences=run.rows.get("sentences", 0),
        quotes=run.rows.get("quotes", 0),
        figures=run.rows.get("figures", 0),
        dates=run.rows.get("dates", 0),
        seconds=time.perf_counter() - start,
        stage_seconds=timings,
        extracted=run.extracted,
        cached=run.cached,
        jobs=run.workers,
        phase_seconds=phases,
        reused=run.reused,
    )
    log.info("%s (%d extracted on %d process(es), %d from cache)", summary.line(), run.extracted, run.workers, run.cached)
    return summary


def _previous(
    settings: Settings, store: ArticleStore | None, keys: list[str] | None, parquet: bool
) -> tuple[Path | None, int]:
    """The published build this one can extend (its n articles the first n of this build, same code and
    resources, every one of them in the store) and n; (None, 0) when the build must start from scratch."""
    if store is None or keys is None:
        return None, 0
    store.remove_legacy()
    found = reusable(settings, store.salt, keys, parquet)
    if found is None:
        return None, 0
    folder, n = found
    missing = len(set(keys[:n])) - store.present(keys[:n])
    if missing:
        log.info("%d of the previous build's %d articles are not in the store: full build", missing, n)
        return None, 0
    return folder, n


def _progress(enabled: bool) -> Callable[[str], None]:
    """A function that prints a build step to stderr when the build is long enough to need it."""
    start = time.perf_counter()

    def say(message: str) -> None:
        if enabled:
            print(f"[{time.perf_counter() - start:6.1f} s] {message} ...", file=sys.stderr, flush=True)

    return say


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for the duration of the block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_tables(folder: Path, tables: dict[str, pd.DataFrame], *, parquet: bool = False) -> None:
    """Write every table as CSV (and Parquet) into `folder`, a build folder not yet published."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (name, frame) in enumerate(tables.items()):
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
        if parquet:
            _to_parquet(frame, folder / f"{name}.parquet")
        if i == len(tables) // 2:
            fault("write")


def _to_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write `frame` as Parquet; object columns holding mixed types are stored as text."""
    try:
        frame.to_parquet(path, index=False)
    except (TypeError, ValueError, ImportError) as first:
        fixed = frame.copy()
        for col in fixed.columns:
            if fixed[col].dtype == object:
                fixed[col] = fixed[col].map(lambda v: v if v is None else str(v))
        try:
            fixed.to_parquet(path, index=False)
        except ImportError:
            raise first from None


def _inputs(settings: Settings) -> list[Path]:
    files = [settings.manifest, *Resources(settings).data_files()]
    if settings.raw.is_dir():
        files += [p for p in settings.raw.iterdir() if p.is_file()]
    package = Path(__file__).parents[1]
    files += list(package.rglob("*.py"))
    return files


def is_stale(settings: Settings) -> bool:
    """True when outputs are missing or older than any input (articles, manifest, registry, lexicons, code)."""
    stamp = snapshot(settings) / ".built"
    if not stamp.is_file():
        return True
    built = stamp.stat().st_mtime
    return any(p.stat().st_mtime > built for p in _inputs(settings) if p.exists())


def load(table: str | None = None, root: str | Path | None = None, *, rebuild: bool | None = None) -> Any:
    """Return one table, or a dict of every table, as DataFrames (rebuilding first if inputs are newer)."""
    import pandas as pd

    settings = Settings.discover(root)
    if rebuild or (rebuild is None and not os.environ.get(SNAPSHOT_ENV) and is_stale(settings)):
        build(settings.root)
    folder = snapshot(settings)  # resolved once: every table comes from the same build
    names = [table] if table else [p.stem for p in sorted(folder.glob("*.csv"))]
    frames = {}
    for name in names:
        path = folder / f"{name}.csv"
        if not path.is_file():
            raise KeyError(f"no table {name!r}; known tables: {', '.join(sorted(TABLES))}")
        frames[name] = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"text": str})
    return frames[table] if table else frames

