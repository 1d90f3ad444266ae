"""Build every table from data/raw + the manifest, write data/processed/, and load the tables back."""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import actors, dates, events, figures, framing, quotes
from .cache import (
    ArticleCache,
    Columns,
    build_lock,
    close_inherited_locks,
    code_version,
    decode,
    encode,
)
from .corpus import Document, make_document
from .manifest import Article, load_articles
from .resources import Resources
from .schema import ARTICLE_TABLES, TABLES
from .settings import Settings

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ARTICLE_STAGES", "CORPUS_STAGES", "LARGE_CORPUS", "BuildSummary", "build", "default_jobs",
    "extract_article", "load", "run_articles", "write_tables",
]

log = logging.getLogger(__name__)

Row = dict[str, Any]
ArticleStage = Callable[[Document, Resources], dict[str, list[Row]]]
CorpusStage = Callable[[dict[str, "pd.DataFrame"], Resources], dict[str, "pd.DataFrame"]]

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

LARGE_CORPUS = 200
"""From this many articles on, the build shows a progress bar and also writes Parquet beside each CSV."""

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
        try:
            produced = stage(doc, res)
        except Exception as exc:
            exc.add_note(f"while running the {name} stage on article {aid}")
            raise
        for table, rows in produced.items():
            doc.tables[table] = rows
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t1
    return {table: doc.tables.get(table, []) for table in ARTICLE_TABLES}


def _columns(rows: dict[str, list[Row]]) -> Columns:
    """Turn rows per table into columns per table (declared columns first, then any extra keys)."""
    out: Columns = {}
    for table, table_rows in rows.items():
        names = list(TABLES.get(table) or ())
        known = set(names)
        for row in table_rows:
            if len(row) != len(known) or not known.issuperset(row):
                for key in row:
                    if key not in known:
                        known.add(key)
                        names.append(key)
        out[table] = {c: [row.get(c) for row in table_rows] for c in names}
    return out


def _n_rows(columns: dict[str, list[Any]]) -> int:
    return len(next(iter(columns.values()))) if columns else 0


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def _csv_fragments(columns: Columns) -> dict[str, str]:
    """CSV lines (no header) of each table whose columns are exactly the declared ones, as pandas writes them."""
    out = {}
    for table, cols in columns.items():
        if list(cols) != list(TABLES.get(table) or ()):
            continue
        values = [col if not any(map(_is_nan, col)) else ["" if _is_nan(v) else v for v in col] for col in cols.values()]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(zip(*values, strict=True))
        out[table] = buffer.getvalue()
    return out


# --- extraction, serial or in worker processes ------------------------------------------------
#
# The articles are cut into batches of consecutive articles. A worker takes a batch, reads each
# article's entry from the cache or extracts it (and stores the entry), then packs the batch into
# one Arrow table and one block of CSV lines per table. The main process only appends these, in
# manifest order, so the result does not depend on the number of workers.

BATCH = 64
"""Articles per batch handed to a worker."""

_worker: dict[str, Any] = {}


def _init_worker(root: str, cache_folder: str | None, salt: str) -> None:
    close_inherited_locks()
    _worker["res"] = Resources(Settings(Path(root)))
    _worker["cache"] = ArticleCache(Path(cache_folder), salt) if cache_folder else None


def _entry(article: Article, key: str, timings: dict[str, float]) -> tuple[dict[str, Any], bool]:
    """One article's entry from the cache, or extracted (and cached); True when extracted."""
    cache: ArticleCache | None = _worker["cache"]
    if cache is not None:
        entry = cache.get(key)
        if entry is not None:
            return entry, False
    columns = _columns(extract_article(article, _worker["res"], timings))
    entry = {"columns": columns, "csv": _csv_fragments(columns), "stats": _article_stats(columns)}
    data = encode(entry)
    if cache is not None:
        cache.put(key, data)
    return decode(data) or entry, True


@dataclass
class _Batch:
    """What a worker returns for a batch: Arrow IPC and CSV lines per table, per-article stats, counters."""

    arrow: dict[str, bytes]
    csv: dict[str, str | None]
    stats: list[list[int]]
    extracted: int
    timings: dict[str, float]


def _run_batch(jobs: list[tuple[Article, str]]) -> _Batch:
    """Read or extract every article of a batch and pack the batch."""
    timings: dict[str, float] = {}
    columns: dict[str, dict[str, list[Any]]] = {}
    rows: dict[str, int] = {}
    fragments: dict[str, list[str] | None] = {}
    stats = []
    extracted = 0
    for article, key in jobs:
        entry, fresh = _entry(article, key, timings)
        extracted += fresh
        _append(columns, rows, entry["columns"])
        for name in ARTICLE_TABLES:
            text = entry["csv"].get(name)
            if name not in fragments:
                fragments[name] = []
            if text is None:
                fragments[name] = None
            elif fragments[name] is not None:
                fragments[name].append(text)
        stats.append(entry["stats"])
    arrow = {name: _ipc(_arrow_chunk(cols)) for name, cols in columns.items() if rows.get(name)}
    csv_text = {name: None if parts is None else "".join(parts) for name, parts in fragments.items()}
    return _Batch(arrow, csv_text, stats, extracted, timings)


def _append(columns: dict[str, dict[str, list[Any]]], rows: dict[str, int], tables: Columns) -> None:
    """Extend `columns` by one article's tables (columns missing on either side are filled with None)."""
    for name, cols in tables.items():
        target = columns.setdefault(name, {})
        before = rows.get(name, 0)
        count = _n_rows(cols)
        if cols.keys() == target.keys():
            for col, values in cols.items():
                target[col].extend(values)
        else:
            for col, values in cols.items():
                if col not in target:
                    target[col] = [None] * before
                target[col].extend(values)
            for values in target.values():
                if len(values) < before + count:
                    values.extend([None] * (before + count - len(values)))
        rows[name] = before + count


def _ipc(table: Any) -> bytes:
    """An Arrow table as IPC stream bytes (compact and typed; read back without copying)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _article_stats(columns: Columns) -> list[int]:
    """n_blocks, n_sentences, n_body_chars, n_removed_chars of one article."""
    blocks = columns.get("blocks", {})
    roles, starts, ends = blocks.get("role", []), blocks.get("char_start", []), blocks.get("char_end", [])
    body = removed = 0
    for role, s, e in zip(roles, starts, ends, strict=True):
        if role in ("headline", "subhead", "body"):
            body += e - s
        elif role in ("caption", "boilerplate", "source"):
            removed += e - s
    return [len(roles), _n_rows(columns.get("sentences", {})), body, removed]


def _pool_context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _batches(
    batches: list[list[tuple[Article, str]]], workers: int, stack: contextlib.ExitStack
) -> Iterator[_Batch]:
    """The packed result of each batch, in order, computed on `workers` processes."""
    if workers <= 1:
        return map(_run_batch, batches)
    args = (str(_worker["root"]), _worker["cache_folder"], _worker["salt"])
    pool = stack.enter_context(_pool_context().Pool(workers, initializer=_init_worker, initargs=args))
    return pool.imap(_run_batch, batches)


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _arrow_chunk(cols: dict[str, list[Any]]) -> Any:
    """An Arrow table of `cols`; a column of mixed types is stored as text."""
    import pyarrow as pa

    try:
        return pa.table(cols)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        arrays = {}
        for col, values in cols.items():
            try:
                arrays[col] = pa.array(values)
            except (pa.ArrowException, TypeError, ValueError, OverflowError):
                arrays[col] = pa.array([None if v is None else str(v) for v in values], pa.string())
        return pa.table(arrays)


def _concat(chunks: list[Any]) -> Any:
    """Concatenate Arrow chunks, promoting types (null to any, int to float); text where they disagree."""
    import pyarrow as pa

    try:
        return pa.concat_tables(chunks, promote_options="permissive")
    except (pa.ArrowException, TypeError, ValueError):
        types: dict[str, set[Any]] = {}
        for chunk in chunks:
            for field_ in chunk.schema:
                if not pa.types.is_null(field_.type):
                    types.setdefault(field_.name, set()).add(field_.type)
        mixed = {name for name, found in types.items() if len(found) > 1}
        fixed = []
        for chunk in chunks:
            for name in mixed & set(chunk.column_names):
                i = chunk.schema.get_field_index(name)
                chunk = chunk.set_column(i, name, chunk.column(name).cast(pa.string()))
            fixed.append(chunk)
        return pa.concat_tables(fixed, promote_options="permissive")


class _CsvStager:
    """Streams each batch's CSV lines into temporary files beside the outputs, in manifest order."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.paths: dict[str, Path] = {}
        self.handles: dict[str, Any] = {}
        self.dirty: set[str] = set()
        try:
            for name, cols in ARTICLE_TABLES.items():
                if not cols:
                    continue
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.csv.", suffix=".tmp", dir=folder)
                self.paths[name] = Path(tmp)
                handle = self.handles[name] = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
                csv.writer(handle, lineterminator="\n").writerow(cols)
        except BaseException:
            self.discard()
            raise

    def add(self, fragments: dict[str, str | None]) -> None:
        """Append CSV lines; a table without lines (undeclared columns) is written by pandas instead."""
        for name, handle in self.handles.items():
            fragment = fragments.get(name)
            if fragment is None:
                self.dirty.add(name)
            elif name not in self.dirty:
                handle.write(fragment)

    def finish(self) -> dict[str, Path]:
        """Close the files; return the complete ones by table."""
        for handle in self.handles.values():
            handle.close()
        for name in self.dirty:
            self.paths.pop(name).unlink(missing_ok=True)
        for path in self.paths.values():
            os.chmod(path, 0o666 & ~_umask())
        return self.paths

    def discard(self) -> None:
        """Close and delete every file."""
        for handle in self.handles.values():
            handle.close()
        for path in self.paths.values():
            path.unlink(missing_ok=True)
        self.paths = {}


@dataclass
class _Run:
    """Counters of one extraction run."""

    extracted: int = 0
    cached: int = 0
    workers: int = 1
    timings: dict[str, float] = field(default_factory=dict)


def run_articles(
    articles: list[Article],
    res: Resources,
    timings: dict[str, float],
    *,
    jobs: int | None = 1,
    cache: ArticleCache | None = None,
    run: _Run | None = None,
    stager: _CsvStager | None = None,
) -> dict[str, pd.DataFrame]:
    """Read or extract every article (misses on `jobs` processes); return a DataFrame per table, in manifest order."""
    import pandas as pd
    import pyarrow as pa
    from tqdm import tqdm

    run = run if run is not None else _Run()
    jobs_ = [(a, cache.key(a.article_id, a.text, a.row) if cache else "") for a in articles]
    batches = [jobs_[i : i + BATCH] for i in range(0, len(jobs_), BATCH)]
    available = jobs if jobs and jobs > 0 else default_jobs()
    run.workers = max(1, min(available, len(articles) // PARALLEL_MIN, len(batches)))
    _worker.update(
        root=res.settings.root, cache_folder=str(cache.folder) if cache else None,
        salt=cache.salt if cache else "", res=res, cache=cache,
    )
    chunks: dict[str, list[Any]] = {}
    article_rows: list[Row] = []
    with contextlib.ExitStack() as stack:
        results = _batches(batches, run.workers, stack)  # fork the workers before tqdm starts a thread
        bar = stack.enter_context(
            tqdm(total=len(articles), desc="articles", unit="art", disable=len(articles) < LARGE_CORPUS, leave=False)
        )
        for batch, result in zip(batches, results, strict=True):
            for name, data in result.arrow.items():
                chunks.setdefault(name, []).append(pa.ipc.open_stream(pa.py_buffer(data)).read_all())
            if stager is not None:
                stager.add(result.csv)
            for (article, _), (n_blocks, n_sentences, body, removed) in zip(batch, result.stats, strict=True):
                article_rows.append({
                    **article.row, "n_chars": len(article.text), "n_blocks": n_blocks, "n_sentences": n_sentences,
                    "n_body_chars": body, "n_removed_chars": removed,
                })
            run.extracted += result.extracted
            for name, seconds in result.timings.items():
                timings[name] = timings.get(name, 0.0) + seconds
            bar.update(len(batch))
    run.cached = len(articles) - run.extracted
    run.timings = timings
    frames = {}
    for name in {**ARTICLE_TABLES, **chunks}:
        parts = chunks.pop(name, [])
        if not parts:
            frames[name] = _frame(name, [])
            continue
        table = _concat(parts)
        del parts
        # Free each Arrow column as soon as it is converted, so a table is never held twice.
        frames[name] = table.to_pandas(split_blocks=True, self_destruct=True)
        del table
    frames["articles"] = pd.DataFrame.from_records(article_rows, columns=TABLES.get("articles") or None)
    return frames


# --- the build ---------------------------------------------------------------------------------


def _frame(name: str, data: Any) -> pd.DataFrame:
    """A DataFrame for table `name` from rows (list of dicts) or columns (dict of lists)."""
    import pandas as pd

    columns = TABLES.get(name) or None
    if not isinstance(data, dict):
        return pd.DataFrame.from_records(data, columns=columns)
    names = list(columns or data)
    names += [c for c in data if c not in names]
    n = _n_rows(data)
    full = {c: data[c] if c in data else [None] * n for c in names}
    if not n:
        return pd.DataFrame(full, columns=names)
    return _arrow_chunk(full).to_pandas()


def build(
    root: str | Path | None = None, *, jobs: int | None = None, write: bool = True, cache: bool = True
) -> BuildSummary:
    """Rebuild every table from data/raw + the manifest and write data/processed/ (CSV, plus Parquet for large corpora).

    `jobs` worker processes extract the articles not in the cache (default: every core); the
    result is the same for any `jobs`. With `cache=False` every article is extracted afresh.
    """
    settings = Settings.discover(root)
    start = time.perf_counter()
    phases: dict[str, float] = {}
    timings: dict[str, float] = {}
    with build_lock(settings.cache.parent):
        articles = load_articles(settings)
        res = Resources(settings)
        store = ArticleCache(settings.cache, f"{code_version()}|{res.version}") if cache else None
        if store is not None:
            store.remove_partial()
        if write:
            _remove_partial(settings.processed)
        phases["load"] = time.perf_counter() - start
        run = _Run()
        stager = _CsvStager(settings.processed) if write else None
        try:
            t = time.perf_counter()
            tables = run_articles(articles, res, timings, jobs=jobs, cache=store, run=run, stager=stager)
            phases["extract"] = time.perf_counter() - t
            extracted = dict(tables)
            for name, stage in CORPUS_STAGES:
                t1 = time.perf_counter()
                tables.update(stage(tables, res))
                timings[f"{name} (corpus)"] = timings.get(f"{name} (corpus)", 0.0) + time.perf_counter() - t1
            if stager is not None:
                t = time.perf_counter()
                staged = {n: p for n, p in stager.finish().items() if tables.get(n) is extracted.get(n)}
                write_tables(settings, tables, parquet=len(articles) >= LARGE_CORPUS, staged=staged)
                phases["write"] = time.perf_counter() - t
        finally:
            if stager is not None:
                stager.discard()
    summary = BuildSummary(
        articles=len(articles),
        sentences=len(tables["sentences"]),
        quotes=len(tables["quotes"]),
        figures=len(tables["figures"]),
        dates=len(tables["dates"]),
        seconds=time.perf_counter() - start,
        stage_seconds=timings,
        extracted=run.extracted,
        cached=run.cached,
        jobs=run.workers,
        phase_seconds=phases,
    )
    log.info("%s (%d extracted on %d process(es), %d from cache)", summary.line(), run.extracted, run.workers, run.cached)
    return summary


def _remove_partial(folder: Path) -> None:
    """Delete temporary files a killed build left in `folder`."""
    if folder.is_dir():
        for leftover in folder.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _staged(folder: Path, name: str, writer: Callable[[Path], None]) -> Path:
    """Write a file with `writer` to a temporary name in `folder`; return that name."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_tables(
    settings: Settings, tables: dict[str, pd.DataFrame], *, parquet: bool = False, staged: dict[str, Path] | None = None
) -> None:
    """Write every table to data/processed/ so that a killed build leaves the previous set intact.

    Every file is first written to a temporary name (`staged` maps tables whose CSV is already
    written that way); only then are they renamed into place in one quick burst. The `.built`
    stamp is removed before the burst and written after it, so an interruption inside the burst
    leaves no stamp and the next `load()` rebuilds.
    """
    out = settings.processed
    out.mkdir(parents=True, exist_ok=True)
    staged = dict(staged or {})
    moves: list[tuple[Path, Path]] = []
    try:
        for name, frame in tables.items():
            tmp = staged.pop(name, None)
            if tmp is None:
                tmp = _staged(out, f"{name}.csv", lambda p, f=frame: f.to_csv(p, index=False, lineterminator="\n"))
            moves.append((tmp, out / f"{name}.csv"))
            if parquet:
                tmp = _staged(out, f"{name}.parquet", lambda p, f=frame: _to_parquet(f, p))
                moves.append((tmp, out / f"{name}.parquet"))
        stamp = _staged(out, ".built", lambda p: p.write_text(f"{time.time()}\n", encoding="utf-8"))
    except BaseException:
        for tmp, _ in moves:
            tmp.unlink(missing_ok=True)
        raise
    (out / ".built").unlink(missing_ok=True)
    for tmp, target in moves:
        os.replace(tmp, target)
    if not parquet:
        for old in out.glob("*.parquet"):
            old.unlink(missing_ok=True)
    os.replace(stamp, out / ".built")


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
    import pandas as pd

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

