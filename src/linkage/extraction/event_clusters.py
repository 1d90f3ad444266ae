"""Events, step 2: reports of one happening grouped into an event (by date, type, actors and words)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .event_candidates import (
    MAX_CONTAINED_DAYS,
    Candidate,
)


def _compatible(a: Candidate, b: Candidate) -> bool:
    if (a.start, a.end) == (b.start, b.end):
        return True
    narrow, wide = (a, b) if a.width <= b.width else (b, a)
    return wide.width <= MAX_CONTAINED_DAYS and wide.start <= narrow.start and narrow.end <= wide.end


@dataclass
class _Cluster:
    """An event being built: its most precise report, its members and running profiles of actors and words."""

    head: Candidate
    widest: Candidate
    members: list[Candidate] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    actor_counts: dict[str, int] = field(default_factory=dict)
    term_counts: dict[str, int] = field(default_factory=dict)
    actors: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)
    sentences: set[tuple[str, int]] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    label: str = ""

    def add(self, c: Candidate) -> None:
        """Add a report; beyond three reports the profiles keep only what two or more share."""
        self.members.append(c)
        if c.width > self.widest.width:
            self.widest = c
        self.types |= c.types
        actors, terms = _tally(self.actor_counts, c.window_actors), _tally(self.term_counts, c.terms)
        self.sentences.add((c.article_id, c.sentence_id))
        self.articles.add(c.article_id)
        n = len(self.members)
        if n <= 3:
            self.actors |= c.window_actors
            self.terms |= c.terms
        elif n == 4:
            self.actors = {a for a, k in self.actor_counts.items() if k >= 2}
            self.terms = {t for t, k in self.term_counts.items() if k >= 2}
        else:  # counts only grow: what reaches two now comes from this report (no rescan of the counts)
            self.actors.update(actors)
            self.terms.update(terms)


def _tally(counts: dict[str, int], items: set[str]) -> list[str]:
    """Count `items` (a plain dict and loop: a Counter costs more for a handful); return those now seen twice."""
    second = []
    for x in items:
        n = counts.get(x, 0) + 1
        counts[x] = n
        if n == 2:
            second.append(x)
    return second


def _score(c: Candidate, cluster: _Cluster) -> float:
    """How well a candidate matches an event; -1 when it cannot join."""
    if c.types.isdisjoint(cluster.types) or (c.article_id, c.sentence_id) in cluster.sentences:
        return -1.0
    if not (_compatible(c, cluster.head) and _compatible(c, cluster.widest)):
        return -1.0
    score = 2.0 * len(c.window_actors & cluster.actors) + len(c.terms & cluster.terms)
    return score if score >= (2.0 if c.article_id in cluster.articles else 1.0) else -1.0


def _cluster(cands: list[Candidate]) -> list[_Cluster]:
    cands = sorted(cands, key=lambda c: (c.width, c.published, c.order, c.sentence_id))
    clusters: list[_Cluster] = []
    by_day: dict[int, list[int]] = {}  # by the day's ordinal
    by_range: dict[tuple[date, date], list[int]] = {}
    no_clusters: list[int] = []
    for c in cands:
        days = range(c.start.toordinal(), c.end.toordinal() + 1) if c.width <= MAX_CONTAINED_DAYS else range(0)
        pool: set[int] = set(by_range.get((c.start, c.end), no_clusters))
        for d in days:
            pool.update(by_day.get(d, no_clusters))
        best, best_score = None, 0.0
        for k in sorted(pool):
            s = _score(c, clusters[k])
            if s > best_score:
                best, best_score = k, s
        if best is None:
            cluster = _Cluster(head=c, widest=c)
            cluster.add(c)
            clusters.append(cluster)
            k = len(clusters) - 1
            by_range.setdefault((c.start, c.end), []).append(k)
            for d in days:
                by_day.setdefault(d, []).append(k)
        else:
            clusters[best].add(c)
    return clusters


