"""Versioned outputs: every build writes a new folder under data/builds/, then one pointer switch publishes it.

data/processed is a symbolic link to builds/<build id>. A build writes every table into a fresh
folder that nobody reads yet, flushes it to disk, marks it complete (`.built`, holding the id) and
only then replaces the link in one `os.replace` of a new link: a rename, atomic on POSIX. A reader
that resolves the link once (`snapshot`) reads one complete build however many builds follow; a
killed build leaves an unpublished folder that the next build removes. The newest KEEP_BUILDS
published folders are kept, so a reader still working on the previous snapshot is not cut off, and
so is any build a long reader holds (`held`: the report holds its snapshot while it runs).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from .files import fsync_dir, fsync_path
from .settings import KEEP_BUILDS, Settings

__all__ = ["SNAPSHOT_ENV", "STAMP", "build_id", "collect", "held", "new_build", "publish", "snapshot"]

STAMP = ".built"
"""The file, written last in a build folder, that marks it complete; it holds the build id."""

FSYNC_EACH = 200
"""Up to this many files and folders a build folder is flushed one fsync each; past it (a Parquet dataset of many
partitions) by one os.sync(), which on Linux returns when every file system is on disk."""

SNAPSHOT_ENV = "LINKAGE_SNAPSHOT"
"""Set to a build folder, it makes `load()` read that snapshot (the report pins its notebooks this way)."""


def build_id() -> str:
    """A new build id: UTC time to the microsecond and the process id (sorts by time)."""
    now = time.time()
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}Z-{os.getpid()}"


def new_build(settings: Settings) -> tuple[str, Path]:
    """Create an empty folder for a new build; return its id and path."""
    settings.builds.mkdir(parents=True, exist_ok=True)
    ident = build_id()
    folder = settings.builds / ident
    folder.mkdir()
    return ident, folder


def publish(settings: Settings, ident: str, folder: Path) -> None:
    """Flush `folder` to disk, mark it complete and switch data/processed to it in one rename."""
    paths = list(folder.rglob("*"))  # files and sub-folders (the Parquet dataset) alike
    if len(paths) > FSYNC_EACH:
        os.sync()  # one flush of the file systems: thousands of fsync calls take seconds
    else:
        for path in paths:
            fsync_path(path)
    stamp = folder / STAMP
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(f"{ident}\n")
        handle.flush()
        os.fsync(handle.fileno())
    fsync_dir(folder)
    fsync_dir(folder.parent)
    pointer = settings.processed
    if pointer.is_dir() and not pointer.is_symlink():  # outputs written before builds were versioned
        os.rename(pointer, settings.builds / f"00000000-unversioned-{ident}")
    link = settings.data / f".processed.{ident}.tmp"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(os.path.relpath(folder, settings.data), link)
    os.replace(link, pointer)
    fsync_dir(settings.data)


def snapshot(settings: Settings) -> Path:
    """The folder of the current build (data/processed resolved once), or data/processed when there is none.

    Read every table of one snapshot from the folder this returns, not through data/processed:
    a build published in between switches data/processed, never this folder.
    """
    pinned = os.environ.get(SNAPSHOT_ENV)
    if pinned:
        return Path(pinned)
    return Path(os.path.realpath(settings.processed))


@contextlib.contextmanager
def held(folder: Path) -> Iterator[Path]:
    """Keep build `folder` from being collected while the block runs (a shared lock on its stamp).

    For long readers such as the report; `collect` skips any build a reader holds.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield folder
        return
    try:
        fd = os.open(folder / STAMP, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        yield folder
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield folder
    finally:
        os.close(fd)


def _in_use(folder: Path) -> bool:
    """True when a reader holds build `folder` (see `held`)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return False
    try:
        fd = os.open(folder / STAMP, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def collect(settings: Settings, keep: int = KEEP_BUILDS) -> list[str]:
    """Under the writer lock: delete unfinished builds and all but the newest `keep` published ones; return their ids."""
    if not settings.builds.is_dir():
        return []
    current = os.path.realpath(settings.processed)
    published, removed = [], []
    for folder in sorted(settings.builds.iterdir(), key=lambda p: p.name):
        if str(folder) == current:
            continue
        if folder.is_dir() and not folder.is_symlink() and (folder / STAMP).is_file():
            published.append(folder)
        else:
            removed.append(folder)
    removed += [f for f in published[: max(0, len(published) - (keep - 1))] if not _in_use(f)]
    for folder in removed:
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            folder.unlink(missing_ok=True)
    for link in settings.data.glob(".processed.*.tmp"):
        link.unlink(missing_ok=True)
    return [f.name for f in removed]
