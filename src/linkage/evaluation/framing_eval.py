"""Agreement of the framing table with the hand coding in tests/gold/framing.csv (percent agreement, Cohen's kappa)."""

from __future__ import annotations

import logging

import pandas as pd

from ..extraction.framing import FRAMES, TOPICS
from ..pipeline.settings import Settings
from .common import Score, kappa, load_gold

__all__ = ["score", "agreement"]

log = logging.getLogger(__name__)

TARGETS = {"topic": 0.8, "stance": 0.7}
"""Kappa targets from the issue: topics >= 0.8 (each topic), stance >= 0.7."""

NONE = "none"


def agreement(gold: list[str], pred: list[str]) -> tuple[float, float]:
    """(percent agreement as a fraction, Cohen's kappa) of two label lists."""
    n = len(gold)
    agree = sum(g == p for g, p in zip(gold, pred, strict=True)) / n if n else 1.0
    return agree, kappa(gold, pred)


def _labels(value: object) -> set[str]:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return {v.strip() for v in text.split(";") if v.strip()}


def _one(value: object) -> str:
    labels = _labels(value)
    return next(iter(labels)) if labels else NONE


def _overlapping(gold: dict, records: list[dict]) -> dict | None:
    """The predicted sentence covering most of the gold sentence (at least half of it), if any."""
    best, best_ov = None, 0
    for r in records:
        if str(r["article_id"]) != gold["article_id"]:
            continue
        ov = min(int(r["char_end"]), gold["char_end"]) - max(int(r["char_start"]), gold["char_start"])
        if ov > best_ov:
            best, best_ov = r, ov
    return best if best_ov * 2 >= gold["char_end"] - gold["char_start"] else None


def score(settings: Settings, tables: dict[str, pd.DataFrame]) -> list[Score]:
    """Per-measure agreement of `framing` with the hand coding; every disagreement is logged."""
    path = settings.gold / "framing.csv"
    framing = tables.get("framing")
    if not path.is_file() or framing is None:
        return []
    gold = load_gold(settings, "framing")
    records = framing.to_dict("records")
    pred = {(str(r["article_id"]), int(r["char_start"])): r for r in records}
    pairs = []
    for g in gold:
        p = pred.get((g["article_id"], int(g["char_start"])))
        if p is None:  # sentence boundaries moved: take the sentence overlapping it most
            p = _overlapping(g, records)
        if p is None:
            log.info("framing: gold sentence not in the table: %s %r", g["article_id"], g["text"][:60])
            p = {"topics": "", "frames": "", "stance": "", "evaluation": "", "voice": "", "text": g["text"]}
        pairs.append((g, p))
    out: list[Score] = []
    n = len(pairs)

    def add(measure: str, gl: list[str], pl: list[str], target: float | None, rows: list[tuple[dict, dict]]) -> None:
        agree, k = agreement(gl, pl)
        out.append(Score("framing", f"{measure} agreement", agree, None, len(gl)))
        out.append(Score("framing", f"{measure} kappa", k, target, len(gl)))
        for (g, _p), a, b in zip(rows, gl, pl, strict=True):
            if a != b:
                log.info("framing %s: gold=%s method=%s | %s #%s: %s", measure, a, b, g["article_id"], g.get("sentence_id", ""), g["text"][:110])

    for topic in TOPICS:
        add(f"topic {topic}", [str(topic in _labels(g["topics"])) for g, _ in pairs],
            [str(topic in _labels(p["topics"])) for _, p in pairs], TARGETS["topic"], pairs)
    add("stance", [_one(g["stance"]) for g, _ in pairs], [_one(p["stance"]) for _, p in pairs], TARGETS["stance"], pairs)
    add("evaluation", [_one(g["evaluation"]) for g, _ in pairs], [_one(p["evaluation"]) for _, p in pairs], None, pairs)
    for frame in FRAMES:
        add(f"frame {frame}", [str(frame in _labels(g["frames"])) for g, _ in pairs],
            [str(frame in _labels(p["frames"])) for _, p in pairs], None, pairs)
    voiced = [(g, p) for g, p in pairs if _one(g["voice"]) != NONE and _one(p["stance"]) + _one(p["evaluation"]) != NONE * 2]
    if voiced:
        add("voice (stance sentences)", [_one(g["voice"]) for g, _ in voiced], [_one(p["voice"]) for _, p in voiced], None, voiced)
    log.info("framing: %d hand-coded sentences compared", n)
    return out
