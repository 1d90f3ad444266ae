"""Invariants of every batch of the challenge set (tests/challenge/): data and hand-made gold only.

Checks that the manifest rows match their raw files, that every date has evidence, that gold
tables have exactly the seeds' gold columns, and that every gold span is found in its raw text
where `after` and `occurrence` say (the rule the evaluation's gold loader applies).
"""

from __future__ import annotations

import csv
import hashlib
from datetime import datetime
from pathlib import Path

import pytest

from linkage.pipeline.manifest import COLUMNS, KINDS, OPTIONAL_COLUMNS

HERE = Path(__file__).parent
CHALLENGE = HERE / "challenge"
SEED_GOLD = HERE / "gold"
TABLES = ("quotes", "figures", "dates", "people", "framing")
QUOTE_KINDS = {"direct", "partial", "term", "indirect"}
STANCES = {"", "separation", "linkage", "mixed"}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


BATCHES = sorted(p.name.split(".")[1] for p in CHALLENGE.glob("articles.*.csv"))


def _gold(table: str) -> list[dict[str, str]]:
    return [r for b in BATCHES for r in _rows(CHALLENGE / "gold" / f"{table}.{b}.csv") if not r["article_id"].startswith("#")]


MANIFEST = [r for b in BATCHES for r in _rows(CHALLENGE / f"articles.{b}.csv")]
RAW = {r["article_id"]: (CHALLENGE / "raw" / r["source_file"]).read_bytes() for r in MANIFEST}


def locate(raw: str, text: str, after: str, occurrence: str) -> int:
    """Start of the gold span: the n-th occurrence of text at or after the start of `after` (-1 if absent)."""
    pos = raw.find(after) if after else 0
    if pos < 0:
        return -1
    found = -1
    for _ in range(int(occurrence or 1)):
        found = raw.find(text, pos)
        if found < 0:
            return -1
        pos = found + 1
    return found


def test_locate_follows_after_and_occurrence():
    raw = "on Monday we met; on Monday again; later on Monday"
    assert locate(raw, "on Monday", "", "") == 0
    assert locate(raw, "on Monday", "", "2") == 18
    assert locate(raw, "on Monday", "later", "") == raw.index("later on Monday") + 6
    assert locate(raw, "on Monday", "missing", "") == -1
    assert locate(raw, "on Monday", "", "4") == -1


@pytest.mark.parametrize("batch", BATCHES)
def test_manifest_has_the_project_columns(batch):
    with open(CHALLENGE / f"articles.{batch}.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert [c for c in COLUMNS if c not in OPTIONAL_COLUMNS] == [c for c in header if c not in OPTIONAL_COLUMNS]


def test_the_set_is_large_and_varied_enough():
    assert len(MANIFEST) >= 40
    assert len({r["outlet"] for r in MANIFEST}) >= 15
    assert len({r["article_id"] for r in MANIFEST}) == len(MANIFEST)


@pytest.mark.parametrize("row", MANIFEST, ids=lambda r: r["article_id"])
def test_manifest_row_matches_raw_file(row):
    data = RAW[row["article_id"]]
    assert hashlib.sha256(data).hexdigest() == row["sha256"]
    text = data.decode("utf-8")
    assert "\r" not in text and text.endswith("\n") and not text.startswith("\ufeff")
    assert row["source_file"] == f"{row['article_id']}.txt"
    assert row["kind"] in KINDS and row["language"] == "en" and len(row["outlet_country"]) == 2
    if row["headline"]:
        assert text.split("\n", 1)[0] == row["headline"]


@pytest.mark.parametrize("row", MANIFEST, ids=lambda r: r["article_id"])
def test_every_date_has_evidence_and_an_offset(row):
    stamp = datetime.fromisoformat(row["published"])
    assert stamp.tzinfo is not None
    assert row["published_precision"] in ("minute", "hour", "day")
    assert row["published_basis"] in ("stated", "inferred")
    assert len(row["published_evidence"]) > 20
    assert row["url"].startswith("http")
    assert stamp.strftime("%Y-%m-%d") in row["article_id"]


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("batch", BATCHES)
def test_gold_columns_equal_the_seed_gold_columns(table, batch):
    with open(CHALLENGE / "gold" / f"{table}.{batch}.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with open(SEED_GOLD / f"{table}.csv", encoding="utf-8", newline="") as handle:
        assert header == next(csv.reader(handle))


@pytest.mark.parametrize("table", TABLES)
def test_every_gold_span_occurs_in_its_raw_file(table):
    missing = []
    for row in _gold(table):
        raw = RAW[row["article_id"]].decode("utf-8")
        if locate(raw, row["text"], row.get("after", ""), row.get("occurrence", "")) < 0:
            missing.append((row["article_id"], row["text"][:60]))
    assert not missing


def test_gold_values_use_the_known_labels():
    for row in _gold("quotes"):
        assert row["kind"] in QUOTE_KINDS
        assert bool(row["speaker"]) == (row["kind"] != "term")
    framing = _gold("framing")
    assert len(framing) >= 200
    assert {r["stance"] for r in framing} <= STANCES
    for row in _gold("dates"):
        assert row["date_start"] <= row["date_end"]
    for row in _gold("figures"):
        assert row["value"] or (row["value_low"] and row["value_high"])
