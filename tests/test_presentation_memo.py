"""Views derive money, tariff, timeline and framing rows once per set of tables (cells.remembered)."""

from __future__ import annotations

import math

import pandas as pd

from linkage.presentation import cells


def test_remembered_computes_once_per_set_of_frames_and_hands_out_copies():
    calls = []

    @cells.remembered("a")
    def doubled(tables, factor=2):
        calls.append(factor)
        return tables["a"] * factor

    first = {"a": pd.DataFrame({"x": [1, 2]}), "b": pd.DataFrame({"y": [0]})}
    out = doubled(first)
    out.loc[0, "x"] = 99  # a caller changing its copy changes nothing remembered
    assert doubled(first)["x"].tolist() == [2, 4] and calls == [2]
    assert doubled({**first, "b": pd.DataFrame()})["x"].tolist() == [2, 4] and calls == [2]  # "b" is not read
    assert doubled(first, 3)["x"].tolist() == [3, 6] and calls == [2, 3]  # other arguments: computed again
    other = {"a": pd.DataFrame({"x": [1, 2]})}  # equal content, another frame: computed again
    assert doubled(other)["x"].tolist() == [2, 4] and calls == [2, 3, 2]


def test_remembered_keeps_a_bounded_number_of_table_sets():
    calls = []

    @cells.remembered("a")
    def size(tables):
        calls.append(1)
        return len(tables["a"])

    sets = [{"a": pd.DataFrame({"x": range(k)})} for k in range(cells.MEMO_SETS + 1)]
    for s in sets:
        size(s)
    size(sets[-1])
    assert len(calls) == cells.MEMO_SETS + 1  # the newest is remembered
    size(sets[0])
    assert len(calls) == cells.MEMO_SETS + 2  # the oldest was let go


def test_per_value_calls_once_per_distinct_value_nan_included():
    seen = []

    def label(v):
        seen.append(v)
        return "none" if isinstance(v, float) and math.isnan(v) else str(v).upper()

    column = pd.Series(["a", "b", "a", float("nan"), None, float("nan"), "b"], dtype=object)
    assert cells.per_value(column, label) == ["A", "B", "A", "none", "NONE", "none", "B"]
    assert len(seen) == 4  # a, b, NaN, None


def test_remembered_does_not_keep_old_tables_alive():
    import gc
    import weakref

    @cells.remembered("a")
    def total(tables):
        return int(tables["a"]["x"].sum())

    frame = pd.DataFrame({"x": [1, 2, 3]})
    assert total({"a": frame}) == 6
    gone = weakref.ref(frame)
    del frame
    gc.collect()
    assert gone() is None
