"""Which previous build an incremental build can extend, and the record that makes the check possible.

Every build folder holds `.keys`: the store salt (code and resource versions), whether Parquet was written,
the size of every per-article table file, then the store key of each article in manifest order. A new build
whose first articles have exactly those keys (the manifest only grew, or nothing changed) and the same salt
starts each per-article file as a copy of the previous build's and extracts or reads only the new articles;
the corpus steps read the old articles' private rows from the store heads (pipeline.cache).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from .outputs import STAMP, snapshot
from .schema import ARTICLE_TABLES
from .settings import Settings

__all__ = ["KEYS", "per_article_files", "reusable", "write_keys"]

log = logging.getLogger(__name__)

KEYS = ".keys"
"""The file in a build folder recording what it was built from (see the module docstring)."""


def per_article_files(parquet: bool) -> list[str]:
    """File names of the per-article tables in a build folder."""
    return [f"{name}.{ext}" for name in ARTICLE_TABLES for ext in (("csv", "parquet") if parquet else ("csv",))]


def write_keys(folder: Path, salt: str, keys: list[str], parquet: bool) -> None:
    """Record in build `folder` what its per-article tables were built from (before it is published)."""
    sizes = {name: (folder / name).stat().st_size for name in per_article_files(parquet)}
    head = json.dumps({"salt": salt, "parquet": parquet, "sizes": sizes}, sort_keys=True)
    with open(folder / KEYS, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(head + "\n")
        handle.writelines(k + "\n" for k in keys)


def reusable(settings: Settings, salt: str, keys: list[str], parquet: bool) -> tuple[Path, int] | None:
    """(folder, n) of the published build whose n articles are the first n of `keys`, built by the same code and
    resources with the same outputs, its per-article files the size it recorded; None when there is none."""
    folder = snapshot(settings)
    record = folder / KEYS
    if not (folder / STAMP).is_file() or not record.is_file():
        return None
    try:
        with open(record, encoding="utf-8") as handle:
            head = json.loads(handle.readline())
            old = handle.read().split()
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        log.info("previous build record %s unreadable (%s): full build", record, exc)
        return None
    if not isinstance(head, dict) or head.get("salt") != salt or head.get("parquet") != parquet:
        return None
    if not old or len(old) > len(keys) or keys[: len(old)] != old:
        return None
    sizes = head.get("sizes") or {}
    for name in per_article_files(parquet):
        try:
            if os.stat(folder / name).st_size != sizes.get(name):
                return None
        except OSError:
            return None
    return folder, len(old)
