"""The generated documentation is current and complete."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from pathlib import Path

from linkage.pipeline import schema

ROOT = Path(__file__).resolve().parents[1]


def test_data_dictionary_is_current():
    committed = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    assert committed == schema.data_dictionary(), "docs/data.md is stale: run `make docs` and commit it"


def test_every_written_column_is_documented_once():
    """Each column is named by exactly one entry (`frame_*` stands for a family), and no entry names nothing."""
    for table, columns in schema.TABLES.items():
        patterns = [c.strip() for group, _ in schema.DOCS[table].columns for c in group.split(",")]
        for column in columns:
            assert sum(fnmatchcase(column, p) for p in patterns) == 1, (table, column)
        for pattern in patterns:
            assert any(fnmatchcase(c, pattern) for c in columns), (table, pattern)


def test_every_table_documented_is_written():
    assert set(schema.DOCS) == set(schema.TABLES)


def test_readme_stays_short_and_its_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) <= 15_000, "README.md over 15 KB: move detail into docs/"
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if "://" not in target:
            assert (ROOT / target).exists(), target
