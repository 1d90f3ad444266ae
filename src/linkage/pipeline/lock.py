"""One writer at a time: the project's exclusive write lock, taken by `add`, `import` and `build`.

Use it as::

    with writer_lock(settings):
        ...read the manifest, change it, write it back...

The lock is an advisory `fcntl.flock` on data/.write.lock: the kernel releases it when its holder
exits, even when killed, so a crashed writer never leaves the project locked. The lock is
reentrant inside one thread (an import that adds many articles takes it once; `add_article`
inside it does not wait for itself). A second process waits, saying once who holds the lock,
for up to `timeout` seconds (settings.lock_timeout unless given), then fails with InputError.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from .settings import Settings

__all__ = ["LOCK_NAME", "close_inherited_locks", "writer_lock"]

LOCK_NAME = ".write.lock"
"""The lock file, in the project's data/ folder (never deleted: deleting a lock file breaks flock)."""

_held: dict[tuple[str, int], int] = {}
"""(lock file path, thread) -> descriptor for the locks this process holds. Reentrant per thread only:
another thread of the same process opens its own descriptor and so waits like another process."""


def _describe_holder(path: Path) -> str:
    with contextlib.suppress(OSError):
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        if text:
            return f" (held by {text})"
    return ""


@contextlib.contextmanager
def writer_lock(settings: Settings, *, timeout: float | None = None, what: str = "") -> Iterator[None]:
    """Hold the project's exclusive write lock for the duration of the block.

    `timeout`: seconds to wait for another writer (0 fails at once; default settings.lock_timeout).
    `what`: the command taking the lock, written into the lock file so a waiting writer can say who holds it.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        yield
        return
    path = settings.data / LOCK_NAME
    key = (str(path), threading.get_ident())
    if key in _held:  # reentrant in one thread: the outer block releases it
        yield
        return
    limit = settings.lock_timeout if timeout is None else timeout
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        deadline = time.monotonic() + limit
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _describe_holder(path)
                if time.monotonic() >= deadline:
                    raise InputError(
                        f"{path}: another writer (add, import or build) is working on this project{holder}; "
                        f"gave up after {limit:g} s. Wait for it to finish, or raise the wait with --wait SECONDS."
                    ) from None
                if not told:
                    print(f"waiting for another writer to finish{holder} (up to {limit:g} s) ...", file=sys.stderr)
                    told = True
                time.sleep(0.05)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}{', ' + what if what else ''}\n".encode(), 0)
        _held[key] = fd
        try:
            yield
        finally:
            del _held[key]
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def close_inherited_locks() -> None:
    """In a forked worker: close the copies of the parent's lock descriptors (the parent keeps its lock).

    Otherwise a worker that outlives a killed build would keep the project locked.
    """
    for fd in list(_held.values()):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()
