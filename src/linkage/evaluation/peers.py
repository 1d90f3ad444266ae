"""Peers a user would otherwise pick, scored like the package on the same gold: dateparser `search_dates`
(dates), quantulum3 (figures), textacy direct quotations (quotes). A peer that is not installed is skipped
with a message; none downloads anything."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from ..pipeline.manifest import read_manifest
from ..pipeline.settings import Settings
from .common import Score, load_gold, match_spans, prf, raw_texts

__all__ = ["Peer", "PEERS", "peer_scores"]


@dataclass(frozen=True)
class Peer:
    """One peer: its name, the table it is compared on, the module it needs and why it may be unavailable."""

    name: str
    table: str
    module: str
    unavailable: str = ""

    def missing(self) -> str:
        """Why the peer cannot run here ('' when it can)."""
        if self.unavailable:
            return self.unavailable
        if importlib.util.find_spec(self.module) is None:
            return f"{self.module} is not installed (pip install -r requirements-dev.txt)"
        return ""


PEERS = (
    Peer("dateparser search_dates", "dates", "dateparser"),
    Peer("quantulum3", "figures", "quantulum3"),
    Peer("textacy direct quotations", "quotes", "textacy",
         "no spaCy English model is published on PyPI by spaCy (en_core_web_sm is downloaded from GitHub, which "
         "the project may not do), and textacy's direct_quotations needs a parser: a blank pipeline finds none"),
)


def _published(settings: Settings) -> dict[str, datetime]:
    return {r["article_id"]: datetime.fromisoformat(r["published"]) for r in read_manifest(settings)}


def _date_rows(settings: Settings) -> list[dict[str, Any]]:
    from dateparser.search import search_dates

    rows = []
    published = _published(settings)
    for aid, text in raw_texts(settings).items():
        base = published[aid].replace(tzinfo=None)
        found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period"}) or []
        pos = 0
        for phrase, when in found:
            start = text.find(phrase, pos)
            if start < 0:
                start = text.find(phrase)
            if start < 0:
                continue
            pos = start + len(phrase)
            day = when.date().isoformat()
            rows.append({"article_id": aid, "char_start": start, "char_end": start + len(phrase), "text": phrase,
                         "date_start": day, "date_end": day})
    return rows


def _date_scores(settings: Settings) -> list[Score]:
    gold = load_gold(settings, "dates")
    pred = _date_rows(settings)
    pairs = match_spans(gold, pred)
    exact = sum(q["date_start"] == g["date_start"] and q["date_end"] == g["date_end"] for g, q in pairs)
    p, r, _ = prf(len(gold), len(pred), len(pairs))
    return [Score("dates", "recall with exact range", exact / len(gold) if gold else 1.0, None, len(gold)),
            Score("dates", "span recall", r, None, len(gold)), Score("dates", "span precision", p, None, len(pred))]


_CURRENCY = {"yen": "JPY", "dollar": "USD", "United States dollar": "USD", "euro": "EUR", "Japanese yen": "JPY"}


def _figure_rows(settings: Settings) -> list[dict[str, Any]]:
    from quantulum3 import parser

    rows = []
    for aid, text in raw_texts(settings).items():
        for q in parser.parse(text):
            start, end = q.span
            unit = q.unit.name if q.unit else ""
            entity = q.unit.entity.name if q.unit and q.unit.entity else ""
            if entity == "currency":
                category, code = "money", _CURRENCY.get(unit, unit)
            elif unit == "percentage":
                category, code = "percent", "percent"
            elif entity == "time":
                category, code = "duration", unit.rstrip("s")
            else:
                category, code = "count", "count"
            rows.append({"article_id": aid, "char_start": start, "char_end": end, "text": text[start:end],
                         "category": category, "value": float(q.value), "unit": code})
    return rows


def _figure_scores(settings: Settings) -> list[Score]:
    gold = load_gold(settings, "figures")
    pred = _figure_rows(settings)
    pairs = match_spans(gold, pred)
    p, r, _ = prf(len(gold), len(pred), len(pairs))
    key = [g for g in gold if g["category"] in ("money", "percent")]
    key_pairs = [(g, q) for g, q in pairs if g["category"] in ("money", "percent")]

    def same(g: dict, q: dict) -> bool:
        value = g["value"] or g["value_low"]
        return bool(value) and abs(float(value) - q["value"]) <= 1e-9 * max(1.0, abs(float(value))) and q["unit"] == g["unit"]

    exact = sum(same(g, q) for g, q in key_pairs)
    return [Score("figures", "span precision", p, None, len(pred)), Score("figures", "span recall", r, None, len(gold)),
            Score("figures", "money+percent recall", len(key_pairs) / len(key) if key else 1.0, None, len(key)),
            Score("figures", "money+percent exact value+unit", exact / len(key) if key else 1.0, None, len(key))]


def peer_scores(settings: Settings) -> dict[str, tuple[list[Score], str]]:
    """Peer name -> (scores, message); a peer that cannot run gets no scores and the reason."""
    out: dict[str, tuple[list[Score], str]] = {}
    for peer in PEERS:
        why = peer.missing()
        if why or not (settings.gold / f"{peer.table}.csv").is_file():
            out[peer.name] = ([], why or f"no gold/{peer.table}.csv")
            continue
        scorer = {"dates": _date_scores, "figures": _figure_scores}[peer.table]
        out[peer.name] = (scorer(settings), "")
    return out


def frame(scores: list[Score]) -> pd.DataFrame:
    """Scores as rows (table, metric, value, target, n)."""
    return pd.DataFrame([(s.table, s.metric, s.value, s.target, s.support) for s in scores],
                        columns=["table", "metric", "value", "target", "n"])
