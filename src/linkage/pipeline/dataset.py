"""The tables of a large corpus as one Parquet dataset, partitioned by outlet and month (hive style).

    parquet/<table>/outlet_slug=<slug>/month=YYYY-MM/part-0.parquet

Every table with an `article_id` column is split by its article's outlet (`outlet_slug`: the
outlet name in lower case, each run of other characters than letters and digits made one `-`)
and month of publication (`month`: the first seven characters of `published`, the outlet's own
date). The other tables (actors, events) are written whole as parquet/<table>/part-0.parquet. The
partition keys are not columns of the files: pyarrow, pandas, DuckDB (`hive_partitioning`) and
Spark add them from the folder names. Rows keep the build's order within each file.

The dataset is written into the build folder from the table's own Parquet file, batch by batch
(never a whole table in memory), before the build is published, so it follows the same atomic
publish as every other output (outputs.publish).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DATASET", "PARTITIONS", "outlet_slug", "write_dataset"]

DATASET = "parquet"
"""The dataset's folder inside a build (data/processed/parquet/)."""

PARTITIONS = ("outlet_slug", "month")
"""The partition keys, in folder order."""

READ_ROWS = 131_072
"""Rows read from a table's Parquet file at a time while splitting it."""


def outlet_slug(outlet: str) -> str:
    """The outlet as a folder-safe key: "The Japan Times" -> "the-japan-times"."""
    return re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-") or "unknown"


def write_dataset(folder: Path, articles: pd.DataFrame) -> Path:
    """Write folder/parquet/ from the tables' Parquet files in build `folder`; `articles` gives outlet and month."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    root = folder / DATASET
    ids = pa.array(articles["article_id"].astype(str).tolist(), type=pa.string())
    slugs = pa.array([outlet_slug(str(o)) for o in articles["outlet"]], type=pa.string())
    months = pa.array([str(p)[:7] for p in articles["published"]], type=pa.string())
    partitioning = ds.partitioning(pa.schema([(k, pa.string()) for k in PARTITIONS]), flavor="hive")
    for source in sorted(folder.glob("*.parquet")):
        name = source.stem
        target = root / name
        target.mkdir(parents=True)
        reader = pq.ParquetFile(source)
        schema = reader.schema_arrow.remove_metadata()
        if "article_id" not in schema.names:
            shutil.copyfile(source, target / "part-0.parquet")
            continue
        full = schema.append(pa.field(PARTITIONS[0], pa.string())).append(pa.field(PARTITIONS[1], pa.string()))

        def batches(reader=reader, schema=schema, full=full, name=name):  # a generator of record batches
            for batch in reader.iter_batches(batch_size=READ_ROWS):
                where = pc.index_in(pc.cast(batch.column("article_id"), pa.string()), value_set=ids)
                if where.null_count:
                    raise RuntimeError(f"{name}: rows of an article missing from the articles table")
                columns = [batch.column(c) for c in schema.names]
                yield pa.RecordBatch.from_arrays([*columns, slugs.take(where), months.take(where)], schema=full)

        ds.write_dataset(
            batches(), target, schema=full, format="parquet", partitioning=partitioning,
            basename_template="part-{i}.parquet", use_threads=False, preserve_order=True, existing_data_behavior="error",
            max_rows_per_file=0, max_open_files=4096, max_partitions=1_000_000,
        )
    return root
