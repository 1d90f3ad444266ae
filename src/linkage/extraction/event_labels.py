"""Events, step 4: short labels (who did what, from the event's actors, type and object)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .event_candidates import (
    _WORDS,
    TYPE_WINDOW,
    Candidate,
    Triggers,
    _columns,
    _kind,
)
from .event_clusters import (
    _Cluster,
    _tally,
)
from .event_summaries import (
    _clean,
    _plain_summary,
    _statement_parts,
)

# --- short labels

LABEL_CHARS = 60
"""Longest event label: who did what, in at most this many characters."""
LABEL_NEAR = 30
"""A statement labels an event when its clause holds the date or ends (or starts) within this many characters of
it ("In July 2019, Trump demanded …"; "Japan will spend around ¥227 billion ($1.69 billion) this year")."""
LABEL_PEOPLE = 2
"""People named in a label built from an event noun ("Trump, Akazawa: talks over tariffs at the White House")."""
_PHRASE_WORDS = 8
"""Longest event-noun phrase in a label, in words (modifiers, the noun and what follows it)."""
_NEGATION = re.compile(r"\b(?:not|never|no longer)\b|n[’']t\b", re.IGNORECASE)
_MODIFIER_STOP = frozenset("""
a an the this that these those his her its their our my your of in on at for to from by with about during amid after
before following over under into than and or but as is are was were be been has have had will would could should
may might must can did does do not no also then said says told
""".split())  # noqa: SIM905
"""Words that end a modifier run before an event noun and are dropped from the end of a label."""
_NOT_EVENT_NOUNS = frozenset(("according", "accordingly"))
"""Words that start with a trigger stem but name no event."""
_PHRASE_END = re.compile(r"\s*(?:[,;:()\u2014\u2013]|\s(?:which|who|while|whereas|because|although|though|and|but|"
                         r"that|as|indicating|saying|causing|expected)\s)")
_PRONOUN_SUBJECT = frozenset(("his", "her", "their", "its", "this", "that", "these", "those", "it", "they"))


@dataclass
class _Names:
    """Actor kinds and printed names of the corpus, and the short name a label uses (a person's surname)."""

    kind: dict[str, str]
    name: dict[str, str]

    @classmethod
    def of(cls, tables: dict[str, Any]) -> _Names:
        actors = tables.get("actors")
        if actors is None or actors.empty or "kind" not in actors or "name" not in actors:
            return cls({}, {})
        rows = _columns(actors, "actor_id", "kind", "name")
        return cls({str(a): str(k) for a, k, _ in rows}, {str(a): str(n) for a, _, n in rows})

    def short(self, text: str) -> str:
        """"Shigeru Ishiba" -> "Ishiba" for a person's full name; other names unchanged."""
        for actor, name in self.name.items():
            if name == text and self.kind.get(actor) == "person" and " " in name:
                return name.rsplit(" ", 1)[1]
        return text


def _cut(text: str, limit: int = LABEL_CHARS) -> str:
    """`text` to at most `limit` characters, cut at a word (with "…"); a trailing function word dropped."""
    text = " ".join(text.split()).strip(" ,;:—–")
    if len(text) <= limit:
        return text
    words = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–(“\"").split(" ")
    while len(words) > 2 and words[-1].lower() in _MODIFIER_STOP:
        words.pop()
    return " ".join(words) + "…"


def _trigger_spans(c: Candidate, triggers: Triggers) -> list[tuple[int, int]]:
    """(start, end) of every word of the sentence that starts with a trigger stem."""
    return [m.span() for m in _WORDS.finditer(c.text)
            if m.group().lower() not in _NOT_EVENT_NOUNS and _kind(m.group().lower(), triggers)]


def _nearest_trigger(c: Candidate, triggers: Triggers) -> tuple[int, int] | None:
    """(start, end) of the event noun nearest the candidate's date (within TYPE_WINDOW characters), moved back
    to the first of a chain of trigger words ("talks over tariffs"); None if no trigger is near."""
    t = c.text
    found = [(t.find(d), d) for d in c.date_texts if d in t]
    if not found:
        return None
    lo, hi = min(a for a, _ in found), max(a + len(d) for a, d in found)
    spans = [sp for sp in _trigger_spans(c, triggers) if not lo <= sp[0] < hi]
    best: tuple[int, int, int] | None = None
    for k, (start, end) in enumerate(spans):
        distance = lo - end if end <= lo else start - hi
        if distance <= TYPE_WINDOW and (best is None or distance < best[0]):
            best = (distance, k, start)
    if best is None:
        return None
    k = best[1]
    while k > 0 and len(t[spans[k - 1][1]: spans[k][0]].split()) <= 1 and "," not in t[spans[k - 1][1]: spans[k][0]]:
        k -= 1  # "talks over tariffs": the phrase starts at the first noun of the chain
    return spans[k]


_DANGLING = re.compile(r"\s+(?:\w+ing|\w+ed)$")


def _noun_phrase(c: Candidate, start: int, end: int) -> str:
    """The event noun at [start, end) with up to three modifiers before it and its complement after it, date
    words removed: "emergency meeting", "talks over tariffs at the White House"."""
    t = c.text
    mods: list[str] = []
    for w in reversed(t[:start].split()[-3:]):
        bare = w.rstrip("’'")
        if not bare.isascii() or not bare.replace("-", "").replace(".", "").isalnum() or bare.lower() in _MODIFIER_STOP \
                or bare.lower().endswith("ly"):
            break
        mods.insert(0, w)
    stop = _PHRASE_END.search(t, end)
    tail = t[end: stop.start() if stop else len(t)]
    words = (" ".join(mods) + " " + t[start:end] + tail).split()
    words = _clean(" ".join(words[:_PHRASE_WORDS]), c.all_date_texts).rstrip(" .").split()
    while len(words) > 2 and words[-1].lower() in _MODIFIER_STOP:
        words.pop()  # "spending to a total of [about]"
    phrase = " ".join(words)
    return _DANGLING.sub("", phrase) if len(words) > 2 else phrase  # "gathering beginning [Wednesday]"


def _people(cluster: _Cluster, names: _Names) -> list[str]:
    """Short names of the people of an event, most often mentioned first (ties: the head's, then the first
    named in a report)."""
    head = cluster.head
    counts: dict[str, int] = {}
    first: dict[str, tuple[bool, int]] = {}  # (not in the head's sentence, earliest position in a report)
    for m in cluster.members:
        _tally(counts, m.actors)
        for a in m.actors:
            at = m.text.find(names.name.get(a, "\x00"))
            if at >= 0:
                first[a] = min(first.get(a, (True, at)), (m is not head, at))
    people = [a for a in counts if names.kind.get(a) == "person" and a in names.name]
    people.sort(key=lambda a: (-counts[a], first.get(a, (True, 1 << 30)), a))
    return [names.short(names.name[a]) for a in people[:LABEL_PEOPLE]]


def _label(cluster: _Cluster, names: _Names, triggers: Triggers) -> str:
    """Who did what in at most LABEL_CHARS characters, from the event's actors, type and object.

    In order: the statement of a report whose subject is a name, whose clause holds the date and whose verb is
    not negated ("Nakatani said that …"); else the event noun nearest the date with its modifiers and
    complement, after the event's people ("Trump, Akazawa: talks over tariffs at the White House"), when it
    has two words or more; else any statement; else that noun; else the sentence's own words."""
    reports = [cluster.head] + [m for m in cluster.members if m is not cluster.head]
    statements = [found for found in map(_statement_parts, reports) if found is not None]
    for distance, name, phrase, lead in statements:
        negated = _NEGATION.search(lead)
        if distance <= LABEL_NEAR and not negated and name.split(" ", 1)[0].lower() not in _PRONOUN_SUBJECT:
            return _cut(f"{names.short(name)} {phrase}")
    people = _people(cluster, names)
    nouns: list[tuple[bool, str]] = []  # (named by a verb, phrase)
    for c in reports:
        span = _nearest_trigger(c, triggers)
        if span is not None:
            nouns.append((c.text[span[0]:span[1]].endswith("ed"), _noun_phrase(c, *span)))
    nouns.sort(key=lambda n: (n[0], -min(len(n[1].split()), 3)))  # (stable: the head's first among equals)
    for verb, phrase in nouns[:1]:
        if (not verb and len(phrase.split()) >= 2) or (not statements and (people or not verb)):
            phrase = phrase[:1].upper() + phrase[1:] if not people else phrase
            return _cut(f"{', '.join(people)}: {phrase}" if people else phrase)
    if statements:
        return _cut(f"{names.short(statements[0][1])} {statements[0][2]}")
    return _cut(_plain_summary(cluster.head).rstrip("…"))


