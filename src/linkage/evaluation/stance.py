"""Stance of hand-coded sentences against the framing table: confusion matrix, kappa, recall per class and
the mean article bias (package minus hand coding on the −1…+1 article score of `outlet_framing`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from ..extraction.framing import HEADLINE_WEIGHT, stance_score
from ..pipeline.settings import Settings
from .common import Score, kappa, load_gold

__all__ = ["LABELS", "score", "pairs", "confusion", "article_bias"]

LABELS = ("separation", "linkage", "mixed", "none")


def _label(value: Any) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    return text or "none"


def pairs(gold: list[dict], framing: pd.DataFrame) -> list[tuple[dict, str, str]]:
    """(gold row, gold label, package label) per gold sentence; the package sentence is the one starting at the
    same offset, else the one covering most (at least half) of it; none found gives "none"."""
    by_article: dict[str, list[dict]] = {}
    for r in framing.to_dict("records"):
        by_article.setdefault(str(r["article_id"]), []).append(r)
    out = []
    for g in gold:
        best, best_ov = None, 0
        for r in by_article.get(g["article_id"], []):
            if int(r["char_start"]) == g["char_start"]:
                best = r
                break
            ov = min(int(r["char_end"]), g["char_end"]) - max(int(r["char_start"]), g["char_start"])
            if ov > best_ov:
                best, best_ov = r, ov
        if best is not None and int(best["char_start"]) != g["char_start"] and best_ov * 2 < g["char_end"] - g["char_start"]:
            best = None
        out.append((g, _label(g.get("stance")), _label(best["stance"]) if best is not None else "none"))
    return out


def confusion(rows: list[tuple[dict, str, str]]) -> dict[tuple[str, str], int]:
    """Counts of (gold label, package label)."""
    return dict(Counter((a, b) for _, a, b in rows))


def _article_score(labels: list[tuple[bool, str]]) -> float:
    link = sep = 0.0
    for headline, lab in labels:
        w = HEADLINE_WEIGHT if headline else 1.0
        link += w * {"linkage": 1.0, "mixed": 0.5}.get(lab, 0.0)
        sep += w * {"separation": 1.0, "mixed": 0.5}.get(lab, 0.0)
    return stance_score(link, sep)


def article_bias(rows: list[tuple[dict, str, str]], headline_ids: set[tuple[str, int]]) -> tuple[float, dict[str, tuple[float, float]]]:
    """Mean over articles of (package score − hand score), each score computed like `outlet_framing.stance_score`
    over the hand-coded sentences only; also the per-article (hand, package) scores."""
    per: dict[str, list[tuple[bool, str, str]]] = {}
    for g, a, b in rows:
        per.setdefault(g["article_id"], []).append(((g["article_id"], g["char_start"]) in headline_ids, a, b))
    scores = {aid: (_article_score([(h, a) for h, a, _ in v]), _article_score([(h, b) for h, _, b in v])) for aid, v in per.items()}
    bias = sum(p - h for h, p in scores.values()) / len(scores) if scores else 0.0
    return bias, scores


def score(settings: Settings, tables: dict[str, pd.DataFrame], targets: dict[str, float] | None = None) -> list[Score]:
    """Stance agreement on the hand-coded sentences of gold/framing.csv."""
    framing = tables.get("framing")
    if framing is None or not (settings.gold / "framing.csv").is_file():
        return []
    targets = targets or {}
    gold = load_gold(settings, "framing")
    rows = pairs(gold, framing)
    gl, pl = [a for _, a, _ in rows], [b for _, _, b in rows]
    conf = confusion(rows)
    labels = [lab for lab in LABELS if lab in gl or lab in pl]
    matrix = "; ".join(f"{a}→" + ", ".join(f"{b} {conf.get((a, b), 0)}" for b in labels) for a in labels)
    out = [Score("stance", "agreement", sum(a == b for a, b in zip(gl, pl, strict=True)) / len(rows) if rows else 1.0,
                 None, len(rows)),
           Score("stance", "kappa", kappa(gl, pl), targets.get("kappa"), len(rows), f"hand→package: {matrix}")]
    for lab in ("separation", "linkage"):
        n = gl.count(lab)
        hit = conf.get((lab, lab), 0)
        out.append(Score("stance", f"{lab} recall", hit / n if n else 1.0, targets.get("recall"), n))
        m = pl.count(lab)
        out.append(Score("stance", f"{lab} precision", hit / m if m else 1.0, None, m))
    blocks = tables.get("blocks")
    heads: set[tuple[str, int]] = set()
    if blocks is not None and len(blocks):
        for b in blocks[blocks.role == "headline"].itertuples():
            heads.add((str(b.article_id), int(b.char_start)))
    bias, per = article_bias(rows, heads)
    out.append(Score("stance", "mean article bias (package − hand)", bias, None, len(per)))
    if "bias" in targets:
        out.append(Score("stance", f"article bias within ±{targets['bias']:.2f}", float(abs(bias) <= targets["bias"] + 1e-9),
                         1.0, len(per)))
    return out
