"""The Parquet dataset of a large build (data/processed/parquet/): partitioned by outlet and month, same rows as the CSV."""

from __future__ import annotations

import csv
import importlib.util
import math
import shutil
import sys
from pathlib import Path

import pytest

from linkage import build
from linkage.pipeline import build as pipeline_module
from linkage.pipeline.dataset import PARTITIONS, outlet_slug
from linkage.pipeline.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The published build folder of a 60-article synthetic corpus, built as a large corpus."""
    spec = importlib.util.spec_from_file_location("bench_synth_dataset", ROOT / "benchmarks" / "synth.py")
    module = sys.modules.setdefault("bench_synth_dataset", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    root = module.generate(60, tmp_path_factory.mktemp("synth") / "corpus")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline_module, "LARGE_CORPUS", 10)
        build(root, jobs=1)
    return (root / "data" / "processed").resolve()


def _csv_rows(folder: Path, name: str) -> tuple[list[str], list[list[str]]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def _as_written(value) -> str:
    """A Parquet value as the CSV writes it (empty for null and NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _article_keys(folder: Path) -> dict[str, tuple[str, str]]:
    header, rows = _csv_rows(folder, "articles")
    at = {c: i for i, c in enumerate(header)}
    return {r[at["article_id"]]: (outlet_slug(r[at["outlet"]]), r[at["published"]][:7]) for r in rows}


def test_outlet_slug():
    assert outlet_slug("The Japan News (The Yomiuri Shimbun)") == "the-japan-news-the-yomiuri-shimbun"
    assert outlet_slug("Nikkei Asia") == "nikkei-asia"
    assert outlet_slug("***") == "unknown"


def test_every_table_holds_the_csv_rows_in_hive_partitions(built):
    import pyarrow.dataset as ds

    keys = _article_keys(built)
    assert len({k[0] for k in keys.values()}) > 1 and len({k[1] for k in keys.values()}) > 1
    for name in TABLES:
        header, rows = _csv_rows(built, name)
        folder = built / "parquet" / name
        table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
        partitioned = "article_id" in header
        assert table.column_names == header + (list(PARTITIONS) if partitioned else []), name
        found = [[_as_written(v) for v in row.values()] for row in table.to_pylist()]
        if partitioned:
            for row in found:
                assert tuple(row[-2:]) == keys[row[header.index("article_id")]], name
            paths = {p.relative_to(folder).parts[:2] for p in folder.rglob("*.parquet")}
            assert paths == {(f"outlet_slug={s}", f"month={m}") for s, m in keys.values() if (s, m) in {tuple(r[-2:]) for r in found}}
            found = [row[:-2] for row in found]
        else:
            assert [p.name for p in folder.iterdir()] == ["part-0.parquet"], name
        assert sorted(found) == sorted(rows), name
        assert len(rows) > 0, name


def test_pandas_and_duckdb_read_the_dataset(built):
    import duckdb
    import pandas as pd

    keys = _article_keys(built)
    header, rows = _csv_rows(built, "quotes")
    at = header.index("article_id")
    expected: dict[tuple[str, str], int] = {}
    for row in rows:
        expected[keys[row[at]]] = expected.get(keys[row[at]], 0) + 1

    frame = pd.read_parquet(built / "parquet" / "quotes")
    assert len(frame) == len(rows)
    assert list(frame.columns) == header + list(PARTITIONS)
    by_pandas = frame.groupby(["outlet_slug", "month"], observed=True).size()
    assert {(str(s), str(m)): int(n) for (s, m), n in by_pandas.items()} == expected

    glob = str(built / "parquet" / "quotes" / "**" / "*.parquet")
    found = duckdb.sql(
        f"SELECT outlet_slug, month, count(*) FROM read_parquet('{glob}', hive_partitioning = true) GROUP BY ALL"
    ).fetchall()
    assert {(s, m): n for s, m, n in found} == expected
    for name in TABLES:
        glob = str(built / "parquet" / name / "**" / "*.parquet")
        [(count,)] = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = true)").fetchall()
        assert count == len(_csv_rows(built, name)[1]), name


def test_a_small_build_writes_no_dataset(project):
    build(project)
    assert not (project / "data" / "processed" / "parquet").exists()
    shutil.rmtree(project / "data" / "builds")


def test_the_duckdb_query_in_the_docs_runs(built, repo):
    import re

    import duckdb

    text = (repo / "docs" / "dask.md").read_text(encoding="utf-8")
    (query,) = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    assert "data/processed/parquet/quotes" in query
    found = duckdb.sql(query.replace("data/processed/", f"{built.as_posix()}/")).fetchall()
    assert found and all(m in ("2025-04", "2025-05") for _, m, _, _ in found)
    assert sum(n for *_, n in found) > 0
