"""Per-article extraction store: one SQLite database (.cache/articles.sqlite) keyed by a hash of everything an
article's rows depend on.

Why SQLite: it is in the standard library, one file holds any number of entries (no directory of 10^5 small
files), a transaction either lands whole or not at all (a build killed at any point leaves every committed entry
readable and nothing half-written), readers never wait for the writer (WAL mode), and a bulk read of a
column is one query. One process writes it: the process that runs the build (worker processes and cluster
workers return new entries to it), so there is never a second writer to coordinate.

Each entry is two blobs, so an incremental build can read only what the corpus steps need:
- `head`: the article's counts and its private rows (schema.PRIVATE_TABLES);
- `body`: the rows of every per-article table and their CSV lines.
Each blob is marshal (plain data only, never code) compressed with zstd, behind a format tag, its length and a
CRC-32, so a damaged entry is detected and the article extracted again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import shutil
import sqlite3
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "ArticleStore", "Entry", "code_version", "decode", "encode", "split_entry"]

log = logging.getLogger(__name__)

FORMAT = b"LKC7"
"""Magic bytes of a stored blob: format tag, raw length (4 bytes), CRC-32 of the compressed payload (4 bytes),
zstd-compressed marshal payload."""

Entry = dict[str, Any]
"""What one entry holds once read: {"rows": {table: [row tuples in declared column order]}, "csv": {table: CSV
lines}, "stats": [4 counts], "private": {private table: [row tuples]}} (private tables: schema.PRIVATE_TABLES)."""

_HEAD = len(FORMAT) + 8
_CODEC = "zstd"
_code_version: str | None = None

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    salt TEXT NOT NULL,
    head BLOB NOT NULL,
    body BLOB NOT NULL
);
"""

COMPACT_FREE = 0.3
"""Share of free pages in the database from which `compact` rewrites it (VACUUM)."""

_BULK = 500
"""Keys per query of a bulk read (SQLite allows 999 parameters in old builds)."""


def code_version() -> str:
    """Hash of the package's .py files plus the Python and marshal versions: changes when the code does."""
    global _code_version
    if _code_version is None:
        package = Path(__file__).resolve().parents[1]
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{sys.version_info[:2]}|{marshal.version}|".encode())
        for path in sorted(package.rglob("*.py")):
            digest.update(str(path.relative_to(package)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
        _code_version = digest.hexdigest()
    return _code_version


def _plain(value: Any) -> Any:
    """A value marshal can store: numpy scalars become Python scalars, other objects their str()."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    item = getattr(value, "item", None)
    if callable(item):
        with contextlib.suppress(Exception):
            return _plain(item())
    return str(value)


def encode(data: Any) -> bytes:
    """Serialise plain data (marshal, never code), compressed, with its length and a checksum."""
    import pyarrow as pa

    try:
        raw = marshal.dumps(data)
    except ValueError:
        raw = marshal.dumps(_plain(data))
    payload = pa.compress(raw, codec=_CODEC, asbytes=True)
    return FORMAT + len(raw).to_bytes(4, "little") + zlib.crc32(payload).to_bytes(4, "little") + payload


def decode(data: bytes | None) -> Any:
    """The dict stored in `data`, or None when it is missing, truncated, corrupt or of another format."""
    import pyarrow as pa

    if not data or len(data) < _HEAD or not data.startswith(FORMAT):
        return None
    payload = memoryview(data)[_HEAD:]
    size = int.from_bytes(data[len(FORMAT) : len(FORMAT) + 4], "little")
    if zlib.crc32(payload) != int.from_bytes(data[len(FORMAT) + 4 : _HEAD], "little"):
        return None
    try:
        raw = pa.decompress(payload, size, codec=_CODEC, asbytes=True)
        found = marshal.loads(raw)
    except (ValueError, EOFError, TypeError, OSError, pa.ArrowException):
        return None
    return found if isinstance(found, dict) else None


def split_entry(entry: Entry) -> tuple[bytes, bytes]:
    """An entry as its two stored blobs: (head, body)."""
    rows = entry["rows"]
    head = {"stats": entry["stats"], "private": entry["private"], "n": {n: len(r) for n, r in rows.items()}}
    body = {"rows": rows, "csv": entry["csv"]}
    return encode(head), encode(body)


def _valid_head(head: Any) -> bool:
    return isinstance(head, dict) and isinstance(head.get("stats"), list) and isinstance(head.get("private"), dict) \
        and isinstance(head.get("n"), dict)


class ArticleStore:
    """Entries in one SQLite database (WAL mode); only the build's own process writes.

    A connection is opened on first use, so an object made before worker processes fork is safe to use in each
    of them. A database that cannot be read at all (not SQLite, damaged) is moved aside and started again:
    it only ever holds what extraction can recompute.
    """

    def __init__(self, path: Path, salt: str) -> None:
        self.path = Path(path)
        self.salt = salt
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    # --- keys ---------------------------------------------------------------------------------

    def key(self, article_id: str, text: str, row: dict[str, str]) -> str:
        """Hash of the raw text, the manifest row and the salt (code + registry/lexicon versions)."""
        digest = hashlib.blake2b(digest_size=20)
        digest.update(self.salt.encode())
        digest.update(b"\0")
        digest.update(article_id.encode())
        digest.update(b"\0")
        digest.update("\x1f".join(f"{k}\x1e{v}" for k, v in sorted(row.items())).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    # --- the connection -----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._db = None  # a connection inherited across fork is never used (SQLite forbids it)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in (1, 2):
            try:
                db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":  # switching locks: only when needed
                    db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.executescript(SCHEMA)
                break
            except sqlite3.DatabaseError as exc:
                if attempt == 2 or isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                    raise
                self._set_aside(exc)
        self._db, self._pid = db, os.getpid()
        return db

    def _set_aside(self, exc: Exception) -> None:
        """Move a database that cannot be read out of the way (kept beside it, named .damaged)."""
        damaged = self.path.with_name(self.path.name + f".damaged-{time.strftime('%Y%m%dT%H%M%S')}")
        log.warning("the article store %s cannot be read (%s); moved to %s, articles will be extracted again",
                    self.path, exc, damaged.name)
        with contextlib.suppress(FileNotFoundError):
            os.replace(self.path, damaged)
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(self.path) + suffix)

    def ready(self) -> None:
        """Create the database (WAL mode, table) now, so processes forked next only read it."""
        self._connect()

    def close(self) -> None:
        """Close this process's connection (it reopens on next use)."""
        if self._db is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def _rows(self, query: str, params: list[Any] | tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Rows of a read query; a database found damaged is set aside (its entries count as misses)."""
        try:
            return self._connect().execute(query, params).fetchall()
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError as exc:
            self.close()
            self._set_aside(exc)
            return []

    # --- reading ------------------------------------------------------------------------------

    def get(self, key: str) -> Entry | None:
        """The whole entry for `key`, or None (a missing or damaged entry is a miss)."""
        rows = self._rows("SELECT head, body FROM entries WHERE key = ?", (key,))
        if not rows:
            return None
        found = rows[0]
        head, body = decode(found[0]), decode(found[1])
        if not _valid_head(head) or not isinstance(body, dict) or not isinstance(body.get("rows"), dict) \
                or not isinstance(body.get("csv"), dict):
            log.warning("article store entry %s is damaged; extracting the article again", key)
            return None
        return {"rows": body["rows"], "csv": body["csv"], "stats": head["stats"], "private": head["private"]}

    def heads(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The readable heads (counts, private rows) of those `keys` that are stored."""
        wanted = list(dict.fromkeys(keys))
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(wanted), _BULK):
            part = wanted[i : i + _BULK]
            query = f"SELECT key, head FROM entries WHERE key IN ({','.join('?' * len(part))})"  # noqa: S608
            for key, blob in self._rows(query, part):
                head = decode(blob)
                if _valid_head(head):
                    out[key] = head
                else:
                    log.warning("article store entry %s is damaged; extracting the article again", key)
        return out

    def present(self, keys: Iterable[str]) -> int:
        """How many of `keys` are stored (without reading them)."""
        wanted = list(dict.fromkeys(keys))
        found = 0
        for i in range(0, len(wanted), _BULK):
            part = wanted[i : i + _BULK]
            rows = self._rows(f"SELECT count(*) FROM entries WHERE key IN ({','.join('?' * len(part))})", part)  # noqa: S608
            found += int(rows[0][0]) if rows else 0
        return found

    def count(self) -> int:
        """Entries stored (any code version)."""
        found = self._rows("SELECT count(*) FROM entries", ())
        return int(found[0][0]) if found else 0

    # --- writing (the build's own process only) -----------------------------------------------

    def put_many(self, items: Iterable[tuple[str, bytes, bytes]]) -> int:
        """Store (key, head, body) entries in one transaction; return how many."""
        rows = [(key, self.salt, head, body) for key, head, body in items]
        if not rows:
            return 0
        db = self._connect()
        with _transaction(db):
            db.executemany("INSERT OR REPLACE INTO entries (key, salt, head, body) VALUES (?, ?, ?, ?)", rows)
        return len(rows)

    def discard(self, keys: Iterable[str]) -> None:
        """Remove entries (found damaged)."""
        db = self._connect()
        with _transaction(db):
            db.executemany("DELETE FROM entries WHERE key = ?", [(k,) for k in keys])

    def compact(self) -> int:
        """Drop the entries of other code or resource versions; rewrite the file when mostly free. Return drops."""
        db = self._connect()
        with _transaction(db):
            dropped = db.execute("DELETE FROM entries WHERE salt != ?", (self.salt,)).rowcount
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        if pages and free / pages >= COMPACT_FREE:
            db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return max(0, dropped)

    def remove_legacy(self) -> None:
        """Delete the one-file-per-entry cache of older versions (.cache/articles/), if any."""
        old = self.path.with_suffix("")
        if old.is_dir() and any(old.glob("*/*.lkc")):
            log.info("removing the old per-file cache %s (replaced by %s)", old, self.path.name)
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
