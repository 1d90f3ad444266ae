"""Events: the shortcuts taken for speed give what the plain definitions give."""

from __future__ import annotations

import random
import re
from datetime import date

from linkage.extraction import events


def _candidate(rng: random.Random, n: int) -> events.Candidate:
    words = [f"term{i}" for i in range(12)]
    actors = [f"actor{i}" for i in range(6)]
    day = date(2025, 6, 11)
    return events.Candidate(
        "a", n, day, day, "day", day, 0, "text", ["Wednesday"], {"meeting"}, set(),
        set(rng.sample(actors, rng.randint(0, 3))), set(rng.sample(words, rng.randint(0, 6))))


def test_cluster_profiles_keep_what_two_reports_share():
    rng = random.Random(7)
    for _ in range(50):
        members = [_candidate(rng, n) for n in range(rng.randint(1, 12))]
        cluster = events._Cluster(head=members[0], widest=members[0])
        for k, c in enumerate(members, start=1):
            cluster.add(c)
            seen = members[:k]
            if k <= 3:
                actors = set().union(*(m.window_actors for m in seen))
                terms = set().union(*(m.terms for m in seen))
            else:
                actors = {a for a in set().union(*(m.window_actors for m in seen))
                          if sum(a in m.window_actors for m in seen) >= 2}
                terms = {t for t in set().union(*(m.terms for m in seen)) if sum(t in m.terms for m in seen) >= 2}
            assert cluster.actors == actors and cluster.terms == terms


def test_pronoun_pattern_is_the_plain_one():
    plain = re.compile(r"\b(?:he|she|He|She)\b")
    texts = ["He said she would go.", "the shed", "She’s here; he’s not", "_he 3he ähe", "sHe HE SHE", "Ashe he-man",
             "“He” (she)", "he", "She", "xhe she_ sheh", "Über he, éhe She."]
    for text in texts:
        assert [m.span() for m in events._PRONOUN.finditer(text)] == [m.span() for m in plain.finditer(text)], text
