"""Shared fixtures: projects built in temporary folders, never the live data/.

The tests never read the live manifest or the live data/processed: a user's added articles and
builds cannot change what they see. Every project a test uses is a *seed copy*: the repository's
resources (data/actors.csv, data/lexicons/, data/fx_rates.csv), tests/gold and tests/data, and
exactly the five seed articles, listed by tests/fixtures/seeds.csv (their manifest rows) and
copied from data/raw/ (seed files are immutable; their sha256 is checked).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
"""The checkout: code, notebooks, committed figures, and the seeds' raw files."""

SEEDS = REPO / "tests" / "fixtures" / "seeds.csv"
"""The manifest rows of the five seed articles (a copy of data/articles.csv as committed)."""

_SKIP = {"processed", "builds", "raw", "articles.csv", ".write.lock", ".add-journal"}


def copy_project(src: Path, dst: Path) -> Path:
    """Make a seed copy of project `src` in `dst`: its resources, tests/gold, tests/data and the five seeds only."""
    import csv

    (dst / "data" / "raw").mkdir(parents=True, exist_ok=True)
    for item in (src / "data").iterdir():
        if item.name in _SKIP or item.name.startswith(".processed"):
            continue
        if item.is_dir():
            shutil.copytree(item, dst / "data" / item.name)
        else:
            shutil.copy2(item, dst / "data" / item.name)
    with open(SEEDS, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        source = src / "data" / "raw" / row["source_file"]
        data = source.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            raise RuntimeError(f"{source}: a seed article was changed; restore it (git checkout -- {source.name})")
        (dst / "data" / "raw" / row["source_file"]).write_bytes(data)
    shutil.copy2(SEEDS, dst / "data" / "articles.csv")
    for folder in ("gold", "data"):
        if (src / "tests" / folder).is_dir():
            shutil.copytree(src / "tests" / folder, dst / "tests" / folder)
    return dst


_seed_root: Path | None = None


def seed_root() -> Path:
    """One seed copy of the project for the whole session (read-only by convention: use `project` to change one)."""
    global _seed_root
    if _seed_root is None:
        _seed_root = copy_project(REPO, Path(tempfile.mkdtemp(prefix="linkage-seeds-")) / "proj")
    return _seed_root


@pytest.fixture(scope="session")
def root() -> Path:
    """A seed copy of the project (inputs only; not the live data/)."""
    return seed_root()


@pytest.fixture(scope="session")
def repo() -> Path:
    """The checkout itself, for code, notebooks and committed figures (never its data/)."""
    return REPO


@pytest.fixture(scope="session")
def tables(tmp_path_factory):
    """Every table, built once for the session from the seed corpus (in its own copy)."""
    from linkage import build, load

    tmp = copy_project(REPO, tmp_path_factory.mktemp("linkage-tables") / "proj")
    build(tmp)
    return load(root=tmp, rebuild=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable seed copy of the project."""
    return copy_project(REPO, tmp_path / "proj")


@pytest.fixture(scope="session")
def raw_texts(root):
    """article_id -> raw text for the seed corpus."""
    from linkage.evaluation.common import raw_texts
    from linkage.pipeline.settings import Settings

    return raw_texts(Settings(root))


def event_tables(sentences, dated, mentions=(), actors=()) -> dict:
    """Events inputs for two articles (June 12 and 13, 2025): the given sentences, date expressions and mentions."""
    from linkage.pipeline.schema import TABLES

    articles = pd.DataFrame([
        {"article_id": "a", "outlet": "Outlet A", "kind": "news", "published": "2025-06-12T09:00+09:00"},
        {"article_id": "b", "outlet": "Outlet B", "kind": "news", "published": "2025-06-13T09:00+09:00"},
    ])
    rows, offsets, pos = [], {}, {"a": 0, "b": 0}
    for aid, sid, text in sentences:
        offsets[(aid, sid)] = pos[aid]
        rows.append({"article_id": aid, "sentence_id": sid, "block_id": sid, "char_start": pos[aid],
                     "char_end": pos[aid] + len(text), "text": text})
        pos[aid] += len(text) + 1
    text_of = {(r["article_id"], r["sentence_id"]): r["text"] for r in rows}
    date_rows = []
    for aid, sid, words, start, end, gran in dated:
        at = offsets[(aid, sid)] + text_of[(aid, sid)].index(words)
        date_rows.append({"article_id": aid, "date_id": len(date_rows), "char_start": at, "char_end": at + len(words),
                          "text": words, "date_start": start, "date_end": end, "granularity": gran,
                          "anchor": "publication", "direction": "past", "sentence_id": sid})
    mention_rows = []
    for aid, sid, words, actor in mentions:
        at = offsets[(aid, sid)] + text_of[(aid, sid)].index(words)
        mention_rows.append({"article_id": aid, "mention_id": len(mention_rows), "sentence_id": sid,
                             "char_start": at, "char_end": at + len(words), "text": words, "actor_id": actor})
    return {"articles": articles, "sentences": pd.DataFrame(rows), "dates": pd.DataFrame(date_rows),
            "mentions": pd.DataFrame(mention_rows, columns=TABLES["mentions"]),
            "quotes": pd.DataFrame(columns=TABLES["quotes"]),
            "actors": pd.DataFrame([{"actor_id": a, "name": n, "kind": k} for a, n, k in actors],
                                   columns=TABLES["actors"])}

