"""Safe reading and atomic, durable writing of files."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = [
    "NotRegularFile", "TooLarge", "atomic_write", "fsync_dir", "fsync_path", "kind_of", "new_file_mode", "numbered_rows", "read_raw",
    "read_regular", "sha256_bytes", "umask",
]


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def read_raw(path: Path) -> str:
    """Read an article exactly as stored: UTF-8, no newline translation."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def numbered_rows(reader: csv.DictReader) -> Iterator[tuple[int, dict[str, str]]]:
    """Each record of `reader` with the physical line of the file it starts on (a quoted field may hold newlines)."""
    _ = reader.fieldnames  # reads the header
    start = reader.reader.line_num + 1
    for row in reader:
        yield start, row
        start = reader.reader.line_num + 1


def umask() -> int:
    """The process's umask (read from /proc when possible: setting it to read it races with other threads)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode an ordinary new file gets (0o666 less the umask); mkstemp's files are 0o600 instead."""
    return 0o666 & ~umask()


def fsync_path(path: Path) -> None:
    """Flush a file's contents, or a folder's entries, to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk; a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fsync_path(folder)


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of `path`, which must be a regular file that is not a symbolic link.

    Raises FileNotFoundError when it is missing, `NotRegularFile` for a link, folder, pipe, socket
    or device (a pipe is never opened for reading, so it cannot block), and `TooLarge` when the
    file holds more than `limit` bytes (only `limit` + 1 bytes are ever read).
    """
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise NotRegularFile(path, "a symbolic link")
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(path, kind_of(info.st_mode))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped between lstat and open
            raise NotRegularFile(path, kind_of(info.st_mode))
        if limit is not None and info.st_size > limit:
            raise TooLarge(path, info.st_size)
        data = handle.read() if limit is None else handle.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise TooLarge(path, len(data))
    return data


def kind_of(mode: int) -> str:
    """What a file of `mode` is, for messages: a folder, a named pipe, a socket, a device, a symbolic link."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


class NotRegularFile(OSError):
    """A path that is a symbolic link, folder, pipe, socket or device where a regular file is required."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is {kind}")
        self.path, self.kind = path, kind


class TooLarge(OSError):
    """A file over the size limit."""

    def __init__(self, path: Path, size: int) -> None:
        super().__init__(f"{path} holds {size} bytes")
        self.path, self.size = path, size


def atomic_write(path: Path, writer: Callable[[Path], None]) -> None:
    """Call `writer(tmp)` on a temporary file beside `path`, flush it to disk, then rename it over `path`.

    The file gets the mode of the file it replaces, or 0o666 less the umask when new (never the
    temporary file's 0o600). After the rename the folder is synced, so the change survives a crash.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = new_file_mode()
        os.chmod(tmp, mode)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    finally:
        if tmp.exists():
            tmp.unlink()
