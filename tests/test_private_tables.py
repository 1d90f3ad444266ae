"""Private per-article tables: the per-article half of the corpus steps runs with the article (in the workers,
cached with its entry) and gives what the corpus steps computed from the DataFrames."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from linkage import build
from linkage.extraction import actors, events, framing
from linkage.pipeline import build as pipeline_module
from linkage.pipeline.manifest import load_articles
from linkage.pipeline.resources import Resources
from linkage.pipeline.schema import ARTICLE_TABLES, PRIVATE_TABLES, PRIVATE_TYPES, TABLES
from linkage.pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """A generated corpus of 60 articles (a project root)."""
    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "benchmarks" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_synth", module)
    spec.loader.exec_module(sys.modules["bench_synth"])
    return sys.modules["bench_synth"].generate(60, tmp_path_factory.mktemp("synth") / "corpus")


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src / "data", dst / "data", ignore=shutil.ignore_patterns("processed", "builds", ".*"))
    return dst


def _read(root: Path, name: str) -> bytes:
    return (root / "data" / "processed" / f"{name}.csv").read_bytes()


def test_private_tables_are_declared_apart_from_the_output_tables():
    assert not set(PRIVATE_TABLES) & set(TABLES)
    assert {name: list(types) for name, types in PRIVATE_TYPES.items()} == PRIVATE_TABLES
    assert set(pipeline_module.CORPUS_INPUTS) <= set(ARTICLE_TABLES) | set(PRIVATE_TABLES)


def test_serial_parallel_and_cached_builds_give_the_same_corpus_tables(synthetic, tmp_path, monkeypatch):
    serial, parallel = _copy(synthetic, tmp_path / "serial"), _copy(synthetic, tmp_path / "parallel")
    monkeypatch.setattr(pipeline_module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pipeline_module, "BATCH", 3)
    one = build(serial, jobs=1, cache=False)
    two = build(parallel, jobs=2)
    events_csv, framing_csv = _read(parallel, "events"), _read(parallel, "outlet_framing")
    warm = build(parallel, jobs=2)
    assert one.jobs == 1 and two.jobs == 2 and two.extracted == 60 and warm.cached == 60
    assert len(events_csv.splitlines()) > 10
    for root in (serial, parallel):
        assert _read(root, "events") == events_csv
        assert _read(root, "outlet_framing") == framing_csv


def test_private_tables_never_reach_processed(synthetic, tmp_path, monkeypatch):
    root = _copy(synthetic, tmp_path / "large")
    monkeypatch.setattr(pipeline_module, "LARGE_CORPUS", 10)
    build(root, jobs=1)
    out = root / "data" / "processed"
    written = {p.name.split(".")[0] for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert written == set(TABLES)
    assert {p.name for p in (out / "parquet").iterdir()} == set(TABLES)  # the partitioned dataset


@pytest.fixture(scope="module")
def every_table(synthetic) -> tuple[dict, Resources]:
    """The per-article DataFrames and the private rows of the synthetic corpus, plus the `actors` table."""
    settings = Settings(synthetic)
    res = Resources(settings)
    keep = frozenset(ARTICLE_TABLES) | frozenset(PRIVATE_TABLES)
    tables = pipeline_module.run_articles(load_articles(settings), res, {}, jobs=1, keep=keep)
    tables.update(actors.corpus_tables(tables, res))
    return tables, res


def test_events_from_private_rows_equal_events_from_the_dataframes(every_table):
    tables, res = every_table
    assert all(isinstance(tables[name], list) for name in PRIVATE_TABLES)
    frames_only = {n: t for n, t in tables.items() if n not in PRIVATE_TABLES}
    private = events.corpus_tables(tables, res)["events"]
    assert len(private) > 10
    pd.testing.assert_frame_equal(private, events.corpus_tables(frames_only, res)["events"])


def test_actor_names_and_kinds_are_resolved_over_the_corpus(every_table):
    """The private rows hold actor ids: who is a person or a country, and a person's name, come from `actors`."""
    tables, res = every_table
    actors = tables["actors"].copy()
    people = actors["kind"] == "person"
    assert people.any()
    actors.loc[people, "name"] = "Somebody " + actors.loc[people, "actor_id"].astype(str)
    actors.loc[~people, "kind"] = "country"
    changed = {**tables, "actors": actors}
    renamed = events.corpus_tables(changed, res)["events"]
    assert renamed["summary"].str.startswith("Somebody ").any()
    frames_only = {n: t for n, t in changed.items() if n not in PRIVATE_TABLES}
    pd.testing.assert_frame_equal(renamed, events.corpus_tables(frames_only, res)["events"])
    assert not renamed.equals(events.corpus_tables(tables, res)["events"])


def test_outlet_framing_from_private_rows_equals_it_from_the_dataframes(every_table):
    tables, res = every_table
    frames_only = {n: t for n, t in tables.items() if n not in PRIVATE_TABLES}
    private = framing.corpus_tables(tables, res)["outlet_framing"]
    assert len(private) == len(tables["articles"])
    pd.testing.assert_frame_equal(private, framing.corpus_tables(frames_only, res)["outlet_framing"])
