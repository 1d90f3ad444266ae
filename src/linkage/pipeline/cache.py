"""Per-article extraction cache: results stored under .cache/ keyed by a hash of everything they depend on."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

from .files import new_file_mode

__all__ = ["FORMAT", "ArticleCache", "Entry", "code_version", "decode", "encode"]

log = logging.getLogger(__name__)

FORMAT = b"LKC6"
"""Magic bytes of a cache entry: format tag, payload length and CRC-32 (8 bytes), payload."""

Entry = dict[str, Any]
"""What one cache entry holds: {"rows": {table: [row tuples in declared column order]}, "csv": {table: CSV lines},
"stats": [4 counts], "private": {private table: [row tuples]}} (private tables: schema.PRIVATE_TABLES)."""

_HEAD = len(FORMAT) + 8
_code_version: str | None = None


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


def encode(tables: Entry) -> bytes:
    """Serialise one article's entry (marshal: plain data only, never code)."""
    try:
        payload = marshal.dumps(tables)
    except ValueError:
        payload = marshal.dumps(_plain(tables))
    return FORMAT + len(payload).to_bytes(4, "little") + zlib.crc32(payload).to_bytes(4, "little") + payload


def decode(data: bytes) -> Entry | None:
    """The entry stored in `data`, or None when the entry is truncated, corrupt or of another format."""
    if len(data) < _HEAD or not data.startswith(FORMAT):
        return None
    payload = memoryview(data)[_HEAD:]
    size = int.from_bytes(data[len(FORMAT) : len(FORMAT) + 4], "little")
    if size != len(payload) or zlib.crc32(payload) != int.from_bytes(data[len(FORMAT) + 4 : _HEAD], "little"):
        return None
    try:
        entry = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return entry if isinstance(entry, dict) else None


class ArticleCache:
    """Cache entries as files .cache/articles/<key[:2]>/<key>.lkc, each written atomically."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = Path(folder)
        self.salt = salt
        self._base = str(self.folder)
        self._mode = new_file_mode()

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

    def path(self, key: str) -> Path:
        """Where the entry for `key` lives."""
        return Path(self._name(key))

    def _name(self, key: str) -> str:
        return os.path.join(self._base, key[:2], key + ".lkc")

    def has(self, key: str) -> bool:
        """True when an entry for `key` exists (it may still turn out corrupt)."""
        return os.path.isfile(self._name(key))

    def get(self, key: str) -> Entry | None:
        """The cached entry for `key`, or None (missing or unreadable entries are misses)."""
        try:
            with open(self._name(key), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        entry = decode(data)
        if entry is None or not all(isinstance(entry.get(k), t) for k, t in (("rows", dict), ("csv", dict), ("stats", list), ("private", dict))):
            log.warning("cache entry %s is corrupt; extracting the article again", key)
            return None
        return entry

    def put(self, key: str, data: bytes) -> None:
        """Store encoded tables under `key` atomically (temporary file, then rename)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=target.parent)
        try:
            os.fchmod(fd, self._mode)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    def remove_partial(self) -> int:
        """Delete temporary files a killed build left behind; return how many."""
        removed = 0
        if self.folder.is_dir():
            for tmp in self.folder.glob("*/.*.tmp"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    removed += 1
        return removed
