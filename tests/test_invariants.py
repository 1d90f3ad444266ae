"""Every row that points into an article satisfies raw[char_start:char_end] == text."""

from __future__ import annotations

import pytest

from linkage.pipeline.schema import SPAN, TABLES

SPAN_TABLES = [name for name, cols in TABLES.items() if set(SPAN) <= set(cols)]


@pytest.mark.parametrize("name", SPAN_TABLES)
def test_offsets_point_at_text(tables, raw_texts, name):
    frame = tables[name]
    for row in frame.itertuples():
        raw = raw_texts[row.article_id]
        assert raw[int(row.char_start) : int(row.char_end)] == row.text, (name, row.article_id, row.char_start)


def test_tables_have_declared_columns(tables):
    for name, cols in TABLES.items():
        if cols:
            assert list(tables[name].columns)[: len(cols)] == cols, name
