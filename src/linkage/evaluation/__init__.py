"""Score the extracted tables against hand-annotated gold under tests/gold/."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pandas as pd

from ..pipeline.settings import Settings
from .common import Score

__all__ = ["Score", "SCORERS", "evaluate", "format_scores"]

log = logging.getLogger(__name__)

Scorer = Callable[[Settings, dict[str, pd.DataFrame]], list[Score]]


def _scorers() -> list[tuple[str, Scorer]]:
    from . import framing_eval, numbers, segmentation, voices

    return [
        ("segmentation", segmentation.score),
        ("voices", voices.score),
        ("numbers", numbers.score),
        ("framing", framing_eval.score),
    ]


SCORERS = _scorers


def evaluate(root: str | None = None, only: str | None = None) -> list[Score]:
    """Build if needed, then score every table that has gold; return the scores."""
    from ..pipeline.build import load

    settings = Settings.discover(root)
    tables = load(root=settings.root)
    scores: list[Score] = []
    for name, scorer in _scorers():
        if only and only != name:
            continue
        scores.extend(scorer(settings, tables))
    return scores


def format_scores(scores: list[Score]) -> str:
    """A fixed-width table of scores with targets and a pass/fail mark."""
    lines = [f"{'table':<16}{'metric':<34}{'value':>8}{'target':>9}{'n':>6}  ok"]
    for s in scores:
        target = "" if s.target is None else f"{s.target:.2f}"
        mark = "" if s.met is None else ("yes" if s.met else "NO")
        lines.append(f"{s.table:<16}{s.metric:<34}{s.value:>8.3f}{target:>9}{s.support:>6}  {mark}")
        if s.note:
            lines.append(f"{'':<16}  {s.note}")
    return "\n".join(lines)
