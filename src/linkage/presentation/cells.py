"""Small readers shared by charts and views: list cells, flags, stance signs, voices, article labels."""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Callable
from typing import Any

import pandas as pd

from . import style

__all__ = [
    "split_list", "is_true", "pretty", "stance_sign", "voice_of", "article_frame", "table", "numeric",
    "day_label", "sentence_roles", "remembered", "per_value",
]

MEMO_SETS = 4
"""Sets of tables whose derived frames `remembered` functions keep (the notebook's, the report's, a test's few)."""


def _fresh(value: Any) -> Any:
    """A copy the caller may change: DataFrames and Series copied (also inside a tuple), other values as they are."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_fresh(v) for v in value)
    return value


def _weak(frame: Any) -> Any:
    """A weak reference to a table (the cache must not keep old tables alive), or the value itself (None)."""
    try:
        return weakref.ref(frame)
    except TypeError:
        return frame


def _same(ref: Any, frame: Any) -> bool:
    return (ref() if isinstance(ref, weakref.ref) else ref) is frame


def remembered(*names: str, key: Callable[..., Any] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Remember what a function derives from the tables `names` (the same DataFrame objects, as `load_tables`
    gives every view of a notebook), so the findings, charts and tables that need, say, the money rows compute
    them once. `key(*args)` keys the other arguments (default: the arguments themselves). Each call returns a
    copy. Tables are treated as read-only: a frame changed in place (same object) is not noticed."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        cache: list[tuple[tuple[Any, ...], Any, Any]] = []  # (weak references to the frames, extra key, result)

        @functools.wraps(fn)
        def inner(tables: Any, *args: Any) -> Any:
            frames = tuple(tables.get(n) for n in names)
            extra = key(*args) if key is not None else args
            for seen, seen_extra, result in cache:
                if seen_extra == extra and all(_same(r, f) for r, f in zip(seen, frames, strict=True)):
                    return _fresh(result)
            result = fn(tables, *args)
            cache.insert(0, (tuple(_weak(f) for f in frames), extra, result))
            del cache[MEMO_SETS:]
            return _fresh(result)

        inner.cache_clear = cache.clear  # type: ignore[attr-defined]
        return inner

    return wrap

_SEP = re.compile(r"\s*[;|]\s*")


_NAN = object()


def per_value(values: Any, fn: Callable[[Any], Any]) -> list[Any]:
    """`fn` of each cell of a column, computed once per distinct value (label columns repeat a few values over
    many rows)."""
    seen: dict[Any, Any] = {}
    out = []
    for v in (values.tolist() if hasattr(values, "tolist") else values):
        key = v if v == v else _NAN  # every NaN is one key
        try:
            found = seen[key]
        except KeyError:
            found = seen[key] = fn(v)
        except TypeError:  # an unhashable cell
            found = fn(v)
        out.append(found)
    return out


def split_list(cell: Any) -> list[str]:
    """Labels of a list cell ('a;b', 'a|b'); [] for empty or missing."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return []
    return [part for part in _SEP.split(str(cell).strip()) if part and part.lower() not in ("nan", "none")]


def is_true(cell: Any) -> bool:
    """A boolean flag read from CSV (True/1/yes)."""
    if isinstance(cell, bool):
        return cell
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return False
    return str(cell).strip().lower() in ("1", "1.0", "true", "yes", "y", "t")


def stance_sign(cell: Any) -> int:
    """-1 for separation, +1 for linkage, 0 for neutral/none, from a number or a label."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return 0
    try:
        value = float(cell)
    except (TypeError, ValueError):
        text = str(cell).strip().lower()
        if text.startswith("separ") or text in ("sep", "decouple", "decoupling"):
            return -1
        if text.startswith("link") or text.startswith("tie") or text == "linked":
            return 1
        return 0
    return (value > 0) - (value < 0)


def voice_of(cell: Any) -> str:
    """'quoted' for a voice given to an actor (quoted or paraphrased), else 'narration' (the outlet's own)."""
    text = "" if cell is None or (isinstance(cell, float) and pd.isna(cell)) else str(cell).lower()
    quoted = ("actor", "quot", "para", "indirect", "direct", "partial", "speech", "source")
    return "quoted" if text.startswith(quoted) else "narration"


def pretty(label: Any) -> str:
    """A display form of a snake_case label: 'us_government' -> 'US government'."""
    words = str(label).replace("_", " ").split()
    words = [w.upper() if len(w) == 2 and w.isalpha() else w for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def table(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """One table, or an empty frame with the declared columns when it is missing."""
    from ..pipeline.schema import TABLES

    frame = tables.get(name)
    if frame is None:
        return pd.DataFrame(columns=TABLES.get(name) or [])
    return frame


def numeric(series: pd.Series) -> pd.Series:
    """A column as floats (blank or malformed cells become NaN)."""
    return pd.to_numeric(series, errors="coerce")


def day_label(value: Any) -> str:
    """'Apr 19, 2025' for a date or date-time string."""
    stamp = pd.Timestamp(str(value)[:10])
    return f"{stamp.strftime('%b')} {stamp.day}, {stamp.year}"


@remembered("articles")
def article_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Articles in manifest order with display label, outlet colour, hatch and publication day."""
    arts = table(tables, "articles").copy()
    if arts.empty:
        return pd.DataFrame(columns=["article_id", "outlet", "kind", "published", "label", "color", "hatch", "day"])
    colors = style.outlet_colors(arts)
    hatches = ("", "///", "...", "xxx", "\\\\\\", "ooo")
    seen: dict[str, int] = {}
    hatch_list = []
    for outlet in arts["outlet"]:
        n = seen.get(outlet, 0)
        seen[outlet] = n + 1
        hatch_list.append(hatches[n % len(hatches)])
    day = pd.to_datetime(arts["published"].astype(str).str[:10])
    short = arts["outlet"].map({o: style.short_outlet(o) for o in arts["outlet"].unique()})
    # = style.article_label of each row, for the whole column at once
    arts["label"] = (short.astype(str) + " · " + arts["kind"].astype(object).astype(str) + " · "
                     + day.dt.strftime("%b ") + day.dt.day.astype(str))
    arts["color"] = arts["outlet"].map(colors)
    arts["hatch"] = hatch_list
    arts["day"] = day
    return arts.reset_index(drop=True)


def sentence_roles(tables: dict[str, pd.DataFrame], rows: pd.DataFrame) -> pd.Series:
    """The block role ('headline', 'subhead', 'body', ...) of the sentence of each row of `rows` (by
    article_id and sentence_id), aligned with `rows`; 'body' where the sentence or its block is not known."""
    sentences, blocks = table(tables, "sentences"), table(tables, "blocks")
    if rows.empty or sentences.empty or blocks.empty:
        return pd.Series(["body"] * len(rows), index=rows.index, dtype=object)
    role = sentences[["article_id", "sentence_id", "block_id"]].merge(
        blocks[["article_id", "block_id", "role"]], on=["article_id", "block_id"], how="left")
    role["sentence_id"] = pd.to_numeric(role["sentence_id"], errors="coerce")
    keys = pd.DataFrame({"article_id": rows["article_id"].to_numpy(),
                         "sentence_id": pd.to_numeric(rows["sentence_id"], errors="coerce").to_numpy()})
    found = keys.merge(role.drop_duplicates(["article_id", "sentence_id"]), on=["article_id", "sentence_id"],
                       how="left")["role"]
    return pd.Series(found.fillna("body").to_numpy(), index=rows.index, dtype=object)
