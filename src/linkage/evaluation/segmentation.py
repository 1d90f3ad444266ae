"""Scores for blocks (role per line) and sentences (boundaries) against tests/gold/."""

from __future__ import annotations

import logging

import pandas as pd

from ..pipeline.settings import Settings
from .common import Score, load_gold, prf

__all__ = ["score"]

log = logging.getLogger(__name__)


def score(settings: Settings, tables: dict[str, pd.DataFrame]) -> list[Score]:
    """Block-role accuracy per role and sentence-boundary precision/recall."""
    scores: list[Score] = []
    blocks = tables["blocks"]
    if (settings.gold / "blocks.csv").is_file():
        # Gold lists every line that is not body text; any other line is body.
        gold = load_gold(settings, "blocks")
        gold_role = {(g["article_id"], g["char_start"]): g["role"] for g in gold}
        pred, truth = [], []
        for row in blocks.itertuples():
            key = (row.article_id, row.char_start)
            pred.append(row.role)
            truth.append(gold_role.get(key, "body"))
            if pred[-1] != truth[-1]:
                log.info("block %s@%s: gold %s, got %s: %r", row.article_id, row.char_start, truth[-1], pred[-1], row.text[:60])
        missing = [g for g in gold if not ((blocks.article_id == g["article_id"]) & (blocks.char_start == g["char_start"])).any()]
        for g in missing:
            log.info("gold block not a line start: %s %r", g["article_id"], g["text"][:60])
        for role in sorted(set(truth) | set(pred)):
            tp = sum(p == t == role for p, t in zip(pred, truth, strict=True))
            p, r, _ = prf(truth.count(role), pred.count(role), tp)
            scores.append(Score("blocks", f"{role} precision", p, 0.95, pred.count(role)))
            scores.append(Score("blocks", f"{role} recall", r, 0.95, truth.count(role)))
    if (settings.gold / "sentences.csv").is_file():
        # Gold gives the first words of every sentence; a boundary is a sentence start offset.
        gold = load_gold(settings, "sentences")
        gold_starts = {(g["article_id"], g["char_start"]) for g in gold}
        articles = {g["article_id"] for g in gold}
        sents = tables["sentences"]
        sents = sents[sents.article_id.isin(articles)]
        pred_starts = {(r.article_id, r.char_start) for r in sents.itertuples()}
        for miss in sorted(gold_starts - pred_starts):
            log.info("missed sentence start %s@%s", *miss)
        for extra in sorted(pred_starts - gold_starts):
            log.info("extra sentence start %s@%s", *extra)
        p, r, _ = prf(len(gold_starts), len(pred_starts), len(gold_starts & pred_starts))
        scores.append(Score("sentences", "start precision", p, 0.97, len(pred_starts)))
        scores.append(Score("sentences", "start recall", r, 0.97, len(gold_starts)))
    return scores
