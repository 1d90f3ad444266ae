"""The challenge set: real coverage under tests/challenge/, built in a temporary project and scored with the
seeds' scorers, with its own targets."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..pipeline.settings import Settings
from .common import Score

__all__ = ["TARGETS", "GOLD_TABLES", "challenge_dir", "make_project", "project", "score_tables", "evaluate_challenge"]

GOLD_TABLES = ("quotes", "figures", "dates", "people", "framing")
"""Gold tables a challenge batch may carry (gold/<table>.<batch>.csv)."""

TARGETS: dict[tuple[str, str], float] = {
    ("quotes", "direct+partial precision"): 0.97,
    ("quotes", "direct+partial recall"): 0.97,
    ("quotes", "speaker correct (direct+partial)"): 0.97,
    ("quotes", "indirect recall"): 0.90,
    ("quotes", "speaker correct (indirect)"): 0.90,
    ("figures", "money+percent recall"): 0.98,
    ("figures", "money+percent exact value+unit"): 1.0,
    ("figures", "money+percent precision"): 1.0,
    ("dates", "recall with exact range"): 0.95,
    ("actors", "named-person recall"): 0.97,
    ("actors", "named-person precision"): 0.97,
}
"""Targets on real coverage; a metric not listed keeps no target here (the seeds keep theirs)."""

STANCE_TARGETS = {"kappa": 0.75, "recall": 0.80, "bias": 0.10}
"""Stance on real coverage: kappa, recall of separation and of linkage, and the largest mean article bias."""


def challenge_dir(root: Path) -> Path:
    """tests/challenge of a project."""
    return root / "tests" / "challenge"


def _concat(paths: list[Path], dest: Path) -> int:
    """Write the rows of several CSV files with the same header into one; return the number of data rows."""
    header: list[str] | None = None
    rows: list[list[str]] = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            head = next(reader, None)
            if head is None:
                continue
            if header is None:
                header = head
            elif head != header:
                raise InputError(f"{path}: header differs from {paths[0].name}; every batch must use the same columns.")
            rows.extend(reader)
    if header is None:
        return 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(buffer.getvalue(), encoding="utf-8")
    return len(rows)


def make_project(source: Path, repo: Settings, dest: Path) -> Settings:
    """Lay out a project in `dest` from a challenge folder: its raw files, its manifests concatenated, the
    repository's registry, lexicons and other data files, and its gold concatenated per table."""
    manifests = sorted(source.glob("articles.*.csv"))
    if not manifests:
        raise InputError(f"{source}: no articles.<batch>.csv manifest found.")
    settings = Settings(dest)
    settings.raw.mkdir(parents=True, exist_ok=True)
    for f in sorted((source / "raw").glob("*.txt")):
        shutil.copyfile(f, settings.raw / f.name)
    _concat(manifests, settings.manifest)
    for f in repo.data.glob("*.csv"):
        if f.name != "articles.csv":
            shutil.copyfile(f, settings.data / f.name)
    shutil.copytree(repo.lexicons, settings.lexicons)
    for table in GOLD_TABLES:
        parts = sorted((source / "gold").glob(f"{table}.*.csv"))
        if parts:
            _concat(parts, settings.gold / f"{table}.csv")
    return settings


@contextmanager
def project(source: Path, repo: Settings) -> Iterator[Settings]:
    """A built temporary project of the challenge set (removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="linkage-challenge-") as tmp:
        settings = make_project(source, repo, Path(tmp) / "project")
        yield settings


def _person_precision(settings: Settings, tables: dict[str, pd.DataFrame]) -> list[Score]:
    """Share of (article, person) pairs the package finds that the gold lists (people not in the registry too)."""
    from .common import gold_actor_id, load_gold

    gold = {(g["article_id"], g["actor_id"]) for g in load_gold(settings, "people") if g.get("actor_id")}
    mentions, actors = tables.get("mentions"), tables.get("actors")
    if mentions is None or actors is None or not len(actors):
        return []
    persons = set(actors.loc[actors["kind"] == "person", "actor_id"].astype(str))
    articles = {a for a, _ in gold}
    found = {(str(m.article_id), gold_actor_id(m.actor_id)) for m in mentions.itertuples()
             if str(m.actor_id) in persons and str(m.article_id) in articles}
    hit = len(found & gold)
    import logging

    for a, p in sorted(found - gold):
        logging.getLogger(__name__).info("people: extra %s in %s", p, a)
    return [Score("actors", "named-person precision", hit / len(found) if found else 1.0, None, len(found))]


def _money_percent_precision(settings: Settings, tables: dict[str, pd.DataFrame]) -> list[Score]:
    from .common import load_gold, match_spans

    gold = [g for g in load_gold(settings, "figures") if g["category"] in ("money", "percent")]
    pred = [r for r in tables["figures"].to_dict("records") if r["category"] in ("money", "percent")]
    for r in pred:
        r["char_start"], r["char_end"] = int(r["char_start"]), int(r["char_end"])
    pairs = match_spans(gold, pred)
    return [Score("figures", "money+percent precision", len(pairs) / len(pred) if pred else 1.0, None, len(pred))]


def score_tables(settings: Settings, tables: dict[str, pd.DataFrame], *, targets: bool = True) -> list[Score]:
    """The seeds' scorers (quotes, people, figures, dates) plus person and money/percent precision and stance,
    on a project whose gold carries only the challenge tables; challenge targets replace the seeds' ones."""
    from . import numbers, stance, voices

    scores = voices.score(settings, tables) + numbers.score(settings, tables)
    if (settings.gold / "people.csv").is_file():
        scores += _person_precision(settings, tables)
    if (settings.gold / "figures.csv").is_file() and "figures" in tables:
        scores += _money_percent_precision(settings, tables)
    scores += stance.score(settings, tables, STANCE_TARGETS if targets else None)
    if not targets:
        return [dataclasses.replace(s, target=None) for s in scores]
    return [s if s.table == "stance" else dataclasses.replace(s, target=TARGETS.get((s.table, s.metric)))
            for s in scores]


def evaluate_challenge(root: str | Path | None = None, source: Path | None = None) -> list[Score]:
    """Build the challenge set of the project at `root` in a temporary project and score it."""
    from ..pipeline.build import build, load

    repo = Settings.discover(root)
    source = source or challenge_dir(repo.root)
    if not source.is_dir():
        return []
    with project(source, repo) as settings:
        build(settings.root, jobs=1)
        tables = load(root=settings.root)
        return score_tables(settings, tables)
