"""Shared scoring helpers: gold loading, span matching, precision/recall, Cohen's kappa."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..pipeline.files import numbered_rows, read_raw
from ..pipeline.manifest import read_manifest
from ..pipeline.settings import Settings

__all__ = ["Score", "gold_actor_id", "load_gold", "match_spans", "prf", "kappa", "raw_texts"]

Row = dict[str, Any]


@dataclass(frozen=True)
class Score:
    """One measured figure: table, metric, value, target (None if no target) and support."""

    table: str
    metric: str
    value: float
    target: float | None = None
    support: int = 0
    note: str = ""

    @property
    def met(self) -> bool | None:
        """Whether the target is met (None when there is no target)."""
        return None if self.target is None else self.value >= self.target - 1e-9


def gold_actor_id(actor_id: object) -> str:
    """The package's actor id as the gold writes it: a person outside the registry is `new:<slug>`
    in the tables and a bare `<slug>` in the gold ("a new id such as akihisa-ota")."""
    text = str(actor_id or "")
    return text[4:] if text.startswith("new:") else text


def raw_texts(settings: Settings) -> dict[str, str]:
    """article_id -> raw text, for every manifest row."""
    return {r["article_id"]: read_raw(settings.raw / r["source_file"]) for r in read_manifest(settings)}


def load_gold(settings: Settings, name: str) -> list[Row]:
    """Read tests/gold/<name>.csv; rows give `text` (+ optional `occurrence`, 1-based) and get offsets.

    A gold row locates its span by searching the raw text for `text` (the n-th occurrence, and
    after `after`, if given), so annotators write words, not offsets. A row that cannot be found
    raises ValueError naming the gold file and line.
    """
    path = settings.gold / f"{name}.csv"
    texts = raw_texts(settings)
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, row in numbered_rows(csv.DictReader(handle)):
            if row.get("article_id", "").startswith("#"):
                continue
            raw = texts.get(row["article_id"])
            if raw is None:
                raise ValueError(f"{path}, line {number}: unknown article_id {row['article_id']!r}")
            text = row["text"]
            pos = raw.find(row["after"]) if row.get("after") else 0
            if pos < 0:
                raise ValueError(f"{path}, line {number}: 'after' text not found in {row['article_id']}")
            for _ in range(int(row.get("occurrence") or 1)):
                found = raw.find(text, pos)
                if found < 0:
                    raise ValueError(f"{path}, line {number}: text {text!r} not found in {row['article_id']}")
                pos = found + 1
            row = dict(row)
            row["char_start"], row["char_end"] = found, found + len(text)
            rows.append(row)
    return rows


def _overlap(a: Row, b: Row) -> int:
    return min(a["char_end"], b["char_end"]) - max(a["char_start"], b["char_start"])


def match_spans(
    gold: Iterable[Row], pred: Iterable[Row], *, min_overlap: float = 0.5,
    compatible: Callable[[Row, Row], bool] | None = None,
) -> list[tuple[Row, Row]]:
    """Greedy one-to-one matching of gold and predicted spans in the same article by overlap.

    A pair matches when the overlap covers at least `min_overlap` of the shorter span.
    """
    pred_by_article: dict[str, list[Row]] = {}
    for p in pred:
        pred_by_article.setdefault(str(p["article_id"]), []).append(p)
    used: set[int] = set()
    pairs = []
    for g in gold:
        best, best_ov = None, 0.0
        for p in pred_by_article.get(str(g["article_id"]), []):
            if id(p) in used or (compatible and not compatible(g, p)):
                continue
            ov = _overlap(g, p)
            shorter = min(g["char_end"] - g["char_start"], p["char_end"] - p["char_start"]) or 1
            if ov > 0 and ov / shorter >= min_overlap and ov > best_ov:
                best, best_ov = p, ov
        if best is not None:
            used.add(id(best))
            pairs.append((g, best))
    return pairs


def prf(n_gold: int, n_pred: int, n_match: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (1.0 where the denominator is zero)."""
    p = n_match / n_pred if n_pred else 1.0
    r = n_match / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa for two equal-length label sequences."""
    if len(a) != len(b):
        raise ValueError("kappa needs two label lists of the same length")
    n = len(a)
    if n == 0:
        return 1.0
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    labels = set(a) | set(b)
    expected = sum((a.count(lab) / n) * (b.count(lab) / n) for lab in labels)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def gold_path(settings: Settings, name: str) -> Path:
    """Path of a gold file."""
    return settings.gold / f"{name}.csv"
