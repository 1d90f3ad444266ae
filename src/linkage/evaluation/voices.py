"""Scores for actors, mentions and quotes against the hand-made gold in tests/gold/."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from ..pipeline.settings import Settings
from .common import Score, gold_actor_id, load_gold, match_spans, prf

__all__ = ["score", "speaker_correct"]

log = logging.getLogger(__name__)

Row = dict[str, Any]

QUOTE_GROUPS = {"direct+partial": ("direct", "partial"), "term": ("term",), "indirect": ("indirect",)}
"""Kinds scored together: the targets apply to direct + partial quotations."""


def _records(frame: pd.DataFrame | None) -> list[Row]:
    if frame is None or not len(frame):
        return []
    rows = frame.to_dict("records")
    for row in rows:
        row["char_start"], row["char_end"] = int(row["char_start"]), int(row["char_end"])
        for key, value in list(row.items()):
            if value is None or (isinstance(value, float) and pd.isna(value)):
                row[key] = ""
    return rows


def speaker_correct(gold: Row, pred: Row) -> bool:
    """Same named actor; for a speaker with no actor id, no actor id and the same group, and: for an unnamed
    source (gold attribution anonymous or not given), attribution anonymous; for speakers named together
    ("Kato and Bessent", gold attribution explicit), a speaker found (any attribution)."""
    if gold.get("actor_id"):
        return gold_actor_id(pred.get("actor_id")) == gold["actor_id"]
    if pred.get("actor_id") or str(pred.get("speaker_group")) != gold.get("speaker_group", ""):
        return False
    found = str(pred.get("attribution") or "")
    if gold.get("attribution", "anonymous") in ("", "anonymous"):
        return found == "anonymous"
    return found != ""


def _quote_scores(settings: Settings, quotes: list[Row]) -> list[Score]:
    gold = load_gold(settings, "quotes")
    articles = {g["article_id"] for g in gold}
    quotes = [q for q in quotes if q["article_id"] in articles]
    scores = []
    for name, kinds in QUOTE_GROUPS.items():
        g = [r for r in gold if r["kind"] in kinds]
        p = [r for r in quotes if r["kind"] in kinds]
        pairs = match_spans(g, p)
        matched_g = {id(a) for a, _ in pairs}
        matched_p = {id(b) for _, b in pairs}
        for r in g:
            if id(r) not in matched_g:
                log.info("quotes %s: missed %s %r", name, r["article_id"], r["text"][:70])
        for r in p:
            if id(r) not in matched_p:
                log.info("quotes %s: extra %s %s %r", name, r["article_id"], r["kind"], r["text"][:70])
        precision, recall, _ = prf(len(g), len(p), len(pairs))
        target_p, target_r = (0.95, 0.97) if name == "direct+partial" else (None, None)
        scores.append(Score("quotes", f"{name} precision", precision, target_p, len(p)))
        scores.append(Score("quotes", f"{name} recall", recall, target_r, len(g)))
        if name == "direct+partial":
            scores.append(Score("quotes", "speaker correct (direct+partial)", _speakers_right(pairs, "speaker"), 0.95, len(pairs)))
            same_kind = sum(a["kind"] == b["kind"] for a, b in pairs)
            scores.append(Score("quotes", "kind agrees (direct vs partial)", same_kind / len(pairs) if pairs else 1.0, None, len(pairs)))
        if name == "indirect":
            scores.append(Score("quotes", "speaker correct (indirect)", _speakers_right(pairs, "indirect speaker"), None, len(pairs)))
    return scores


def _speakers_right(pairs: list[tuple[Row, Row]], what: str) -> float:
    """Share of matched (gold, found) quotations whose speaker is right (1.0 for none); logs each wrong one."""
    good = 0
    for a, b in pairs:
        if speaker_correct(a, b):
            good += 1
        else:
            log.info(
                "quotes %s: %s %r gold %s/%s, got %s/%s (%s)", what, a["article_id"], a["text"][:50],
                a.get("actor_id") or a.get("speaker"), a.get("speaker_group"),
                b.get("actor_id") or b.get("speaker"), b.get("speaker_group"), b.get("attribution"),
            )
    return good / len(pairs) if pairs else 1.0


def _mention_scores(settings: Settings, mentions: list[Row]) -> list[Score]:
    gold = load_gold(settings, "mentions")
    articles = {g["article_id"] for g in gold}
    mentions = [m for m in mentions if m["article_id"] in articles]
    pairs = match_spans(gold, mentions, compatible=lambda g, p: g["actor_id"] == str(p["actor_id"]))
    mg, mp = {id(a) for a, _ in pairs}, {id(b) for _, b in pairs}
    for g in gold:
        if id(g) not in mg:
            log.info("mentions: missed %s %r (%s) at %s", g["article_id"], g["text"], g["actor_id"], g["char_start"])
    for p in mentions:
        if id(p) not in mp:
            log.info("mentions: extra %s %r (%s) at %s", p["article_id"], p["text"], p["actor_id"], p["char_start"])
    precision, recall, _ = prf(len(gold), len(mentions), len(pairs))
    form_ok = sum(a["form"] == b["form"] for a, b in pairs)
    return [
        Score("mentions", "precision", precision, None, len(mentions)),
        Score("mentions", "recall", recall, None, len(gold)),
        Score("mentions", "form agrees", form_ok / len(pairs) if pairs else 1.0, None, len(pairs)),
    ]


def _people_scores(settings: Settings, mentions: list[Row], actors: pd.DataFrame | None) -> list[Score]:
    gold = load_gold(settings, "people")
    found = {(m["article_id"], gold_actor_id(m["actor_id"])) for m in mentions}
    people = [g for g in gold if g.get("actor_id")]
    credits = [g for g in gold if not g.get("actor_id")]
    hit = 0
    for g in people:
        if (g["article_id"], g["actor_id"]) in found:
            hit += 1
        else:
            log.info("people: %s not found in %s", g["actor_id"], g["article_id"])
    names = set()
    if actors is not None and len(actors):
        names = {str(n).lower() for n in actors["name"]}
    texts = {str(m["text"]).lower() for m in mentions}
    leaked = [g for g in credits if g["text"].lower() in names or g["text"].lower() in texts]
    for g in leaked:
        log.info("credit listed as an actor: %r (%s)", g["text"], g["article_id"])
    return [
        Score("actors", "named-person recall", hit / len(people) if people else 1.0, 1.0, len(people)),
        Score("actors", "credits kept out", 1 - len(leaked) / len(credits) if credits else 1.0, 1.0, len(credits)),
    ]


def score(settings: Settings, tables: dict[str, pd.DataFrame]) -> list[Score]:
    """Quote precision/recall by kind group, speaker accuracy, named-person recall, mention precision/recall."""
    scores: list[Score] = []
    mentions = _records(tables.get("mentions"))
    if (settings.gold / "quotes.csv").is_file():
        scores += _quote_scores(settings, _records(tables.get("quotes")))
    if (settings.gold / "people.csv").is_file():
        scores += _people_scores(settings, mentions, tables.get("actors"))
    if (settings.gold / "mentions.csv").is_file():
        scores += _mention_scores(settings, mentions)
    return scores
