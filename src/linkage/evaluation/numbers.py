"""Scores for figures, dates and events against the hand-made gold in tests/gold/."""

from __future__ import annotations

import csv
import logging
import math
import re
from typing import Any

import pandas as pd

from ..pipeline.settings import Settings
from .common import Score, load_gold, match_spans, prf

__all__ = ["score", "score_figures", "score_dates", "score_events"]

log = logging.getLogger(__name__)

Row = dict[str, Any]
_MODEL_NAME = re.compile(r"^[A-Z]{1,4}-?\d{1,4}[A-Z]?$")


def _num(value: Any) -> float | None:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _same(a: Any, b: Any) -> bool:
    x, y = _num(a), _num(b)
    if x is None or y is None:
        return x is None and y is None
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)


def _records(frame: pd.DataFrame) -> list[Row]:
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in frame.to_dict("records")]


def _actor_names(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    actors = tables.get("actors")
    if actors is None or actors.empty or "name" not in actors:
        return {}
    return {str(r.actor_id): str(r.name) for r in actors.itertuples()}


def score_figures(settings: Settings, tables: dict[str, pd.DataFrame]) -> list[Score]:
    """Span precision/recall, money+percent recall, exact value and unit, approx, claims, and no false kinds."""
    gold = load_gold(settings, "figures")
    pred = _records(tables["figures"])
    pairs = match_spans(gold, pred, min_overlap=0.5)
    p, r, _ = prf(len(gold), len(pred), len(pairs))
    matched_pred = {id(b) for _, b in pairs}
    matched_gold = {id(a) for a, _ in pairs}
    for g in gold:
        if id(g) not in matched_gold:
            log.info("figure missed: %s %r", g["article_id"], g["text"])
    for q in pred:
        if id(q) not in matched_pred:
            log.info("figure extra: %s %r (%s)", q["article_id"], q["text"], q["category"])
    key = [g for g in gold if g["category"] in ("money", "percent")]
    key_found = [(g, q) for g, q in pairs if g["category"] in ("money", "percent")]
    exact = 0
    for g, q in key_found:
        ok = q["unit"] == g["unit"] and all(_same(g[c], q[c]) for c in ("value", "value_low", "value_high"))
        exact += ok
        if not ok:
            log.info("figure value: %s %r gold %s %s [%s, %s], got %s %s [%s, %s]", g["article_id"], g["text"],
                     g["value"], g["unit"], g["value_low"], g["value_high"], q["value"], q["unit"],
                     q["value_low"], q["value_high"])
    all_exact = sum(q["unit"] == g["unit"] and q["category"] == g["category"]
                    and all(_same(g[c], q[c]) for c in ("value", "value_low", "value_high")) for g, q in pairs)
    approx_ok = sum((g.get("approx") or "") == (q.get("approx") or "") for g, q in pairs)
    per_ok = sum((g.get("per") or "") == (q.get("per") or "") for g, q in pairs)
    names = _actor_names(tables)
    claims = [(g, q) for g, q in pairs if g.get("claimed_by")]
    claim_ok = 0
    for g, q in claims:
        who = str(q.get("claimed_by") or "")
        label = f"{who} {names.get(who, '')}".lower()
        hit = bool(who) and g["claimed_by"].lower() in label
        claim_ok += hit
        if not hit:
            log.info("figure claim: %s %r gold %s, got %r", g["article_id"], g["text"], g["claimed_by"], who)
    blocks = tables["blocks"]
    non_content = blocks[~blocks.role.isin(["headline", "subhead", "body"])]
    spans_by_article: dict[str, list[tuple[int, int]]] = {}
    for b in non_content.itertuples():
        spans_by_article.setdefault(b.article_id, []).append((int(b.char_start), int(b.char_end)))
    dates = tables["dates"]
    date_spans: dict[str, list[tuple[int, int]]] = {}
    for d in dates.itertuples():
        date_spans.setdefault(d.article_id, []).append((int(d.char_start), int(d.char_end)))
    bad = 0
    for q in pred:
        s, e = int(q["char_start"]), int(q["char_end"])
        in_block = any(a <= s < b for a, b in spans_by_article.get(q["article_id"], []))
        in_date = q["category"] != "duration" and any(
            not (e <= a or s >= b) for a, b in date_spans.get(q["article_id"], []))
        model = bool(_MODEL_NAME.match(str(q["text"])))
        if in_block or in_date or model:
            bad += 1
            log.info("figure from boilerplate/date/model name: %s %r", q["article_id"], q["text"])
    return [
        Score("figures", "span precision", p, 0.90, len(pred)),
        Score("figures", "span recall", r, 0.90, len(gold)),
        Score("figures", "money+percent recall", len(key_found) / len(key) if key else 1.0, 1.0, len(key)),
        Score("figures", "money+percent exact value+unit", exact / len(key) if key else 1.0, 1.0, len(key)),
        Score("figures", "all: exact category+value+unit", all_exact / len(pairs) if pairs else 1.0, 0.95, len(pairs)),
        Score("figures", "approx agreement", approx_ok / len(pairs) if pairs else 1.0, 0.90, len(pairs)),
        Score("figures", "per agreement", per_ok / len(pairs) if pairs else 1.0, 0.90, len(pairs)),
        Score("figures", "claimed_by recall", claim_ok / len(claims) if claims else 1.0, None, len(claims)),
        Score("figures", "no boilerplate/date/model figure", 1.0 if bad == 0 else 0.0, 1.0, bad),
    ]


def score_dates(settings: Settings, tables: dict[str, pd.DataFrame]) -> list[Score]:
    """Recall of temporal expressions with the exact inclusive range, span precision, granularity agreement."""
    gold = load_gold(settings, "dates")
    pred = _records(tables["dates"])
    pairs = match_spans(gold, pred, min_overlap=0.5)
    exact = 0
    for g, q in pairs:
        ok = str(q["date_start"]) == g["date_start"] and str(q["date_end"]) == g["date_end"]
        exact += ok
        if not ok:
            log.info("date range: %s %r gold %s..%s, got %s..%s", g["article_id"], g["text"], g["date_start"],
                     g["date_end"], q["date_start"], q["date_end"])
    found = {id(g) for g, _ in pairs}
    for g in gold:
        if id(g) not in found:
            log.info("date missed: %s %r", g["article_id"], g["text"])
    used = {id(q) for _, q in pairs}
    for q in pred:
        if id(q) not in used:
            log.info("date extra: %s %r %s..%s", q["article_id"], q["text"], q["date_start"], q["date_end"])
    p, r, _ = prf(len(gold), len(pred), len(pairs))
    gran = sum(str(q["granularity"]) == g["granularity"] for g, q in pairs)
    body = [g for g in gold if not g.get("block")]
    body_exact = sum(1 for g, q in pairs if not g.get("block") and str(q["date_start"]) == g["date_start"]
                     and str(q["date_end"]) == g["date_end"])
    return [
        Score("dates", "recall with exact range", exact / len(gold) if gold else 1.0, 0.95, len(gold)),
        Score("dates", "recall with exact range (body)", body_exact / len(body) if body else 1.0, 0.95, len(body)),
        Score("dates", "span recall", r, 0.95, len(gold)),
        Score("dates", "span precision", p, 0.90, len(pred)),
        Score("dates", "granularity agreement", gran / len(pairs) if pairs else 1.0, 0.90, len(pairs)),
    ]


def _gold_events(settings: Settings) -> list[Row]:
    path = settings.gold / "events.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if not r["event"].startswith("#")]


def score_events(settings: Settings, tables: dict[str, pd.DataFrame]) -> list[Score]:
    """Each gold event present exactly once (date range + cue in its summary or source sentence), with every
    reporting outlet, background flag right."""
    gold = _gold_events(settings)
    events = tables["events"]
    once = outlets = background = 0
    for g in gold:
        cues = [c.lower() for c in g["cue"].split("|")]
        rows = events[(events.date_start.astype(str) == g["date_start"]) & (events.date_end.astype(str) == g["date_end"])]
        said = rows.summary.astype(str) + " " + (rows["sentence"].astype(str) if "sentence" in rows else "")
        rows = rows[said.str.lower().map(lambda s, cs=cues: any(c in s for c in cs)).to_numpy()]
        if len(rows) == 1:
            once += 1
            row = rows.iloc[0]
            have = set(str(row.article_ids).split(";"))
            want = set(g["article_ids"].split(";"))
            if want <= have:
                outlets += 1
            else:
                log.info("event outlets: %s: missing %s", g["event"], ", ".join(sorted(want - have)))
            flag = str(row.background).lower() in ("true", "1")
            if flag == (g["background"] == "1"):
                background += 1
            else:
                log.info("event background: %s: got %s", g["event"], row.background)
        else:
            log.info("event %s: %d matching rows", g["event"], len(rows))
    n = len(gold)
    return [
        Score("events", "key events present once", once / n if n else 1.0, 1.0, n),
        Score("events", "key events with all outlets", outlets / n if n else 1.0, 1.0, n),
        Score("events", "background flag correct", background / n if n else 1.0, 1.0, n),
        Score("events", "events (rows)", float(len(events)), None, len(events)),
    ]


def score(settings: Settings, tables: dict[str, pd.DataFrame]) -> list[Score]:
    """Scores of the figures, dates and events tables (each only when its gold file exists)."""
    scores: list[Score] = []
    if (settings.gold / "figures.csv").is_file() and "figures" in tables:
        scores += score_figures(settings, tables)
    if (settings.gold / "dates.csv").is_file() and "dates" in tables:
        scores += score_dates(settings, tables)
    if (settings.gold / "events.csv").is_file() and "events" in tables:
        scores += score_events(settings, tables)
    return scores
