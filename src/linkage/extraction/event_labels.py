"""Events, step 4: short labels (who did what, from the event's actors, type and object)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
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
        """"Shigeru Ishiba" -> "Ishiba" for a person's full name, also before a noun ("Donald Trump administration"
        -> "Trump administration"); other names unchanged."""
        for actor, name in self.name.items():
            if " " in name and self.kind.get(actor) == "person" and (text == name or text.startswith(name + " ")):
                return name.rsplit(" ", 1)[1] + text[len(name):]
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


_AUXILIARIES = frozenset("""
has have had will would could did does do was were is are also then later again already not never first suddenly
repeatedly reportedly separately
""".split())  # noqa: SIM905
"""Words of a verb group before its verb (as the statement finds them)."""
_ADVERBS = frozenset("also then later again already first suddenly repeatedly reportedly separately".split())
"""Adverbs a headline leaves out ("has also slapped" -> "slapped")."""
_OPINION = re.compile(r"^(?:he|she|they|we|i|it)\s+(?:believes?|thinks?|feels?|hopes?|says?|said)\s+(?:that\s+)?",
                      re.IGNORECASE)
_THERE_IS = re.compile(r"^there\s+(?:is|are|was|were|will be|would be)\s+", re.IGNORECASE)
_ARTICLE = re.compile(r"(?<![\w’'-])(?:a|an|the)\s+(?=[\w$¥€£“‘\"'])", re.IGNORECASE)
_AS_HE = re.compile(r",?\s+(?:as|while|because|although|though|since)\s+(?:he|she|they|it|we)\s.*$", re.IGNORECASE)
"""A trailing clause about the subject ("… issues as he clamors for leverage"): a headline ends before it."""
_BOUNDARY = frozenset("""
to for with in on at of as while because and but which who whom whose that such from by after before during amid
over under into than including since until unless whereas although though so or
""".split())  # noqa: SIM905
"""Words a long label may be cut before: what comes before them is a phrase of its own."""
LABEL_SHORTEST = 24
"""A label cut at a phrase boundary keeps at least this many characters (else it is cut at a word, with "…")."""
_PARENS = re.compile(r"\([^()]*\)")


def _without_parentheses(c: Candidate) -> Candidate:
    """The report with parenthetical asides ("($1.69 billion)") blanked out, offsets kept, unless they hold its date."""
    t = c.text
    if "(" not in t:
        return c
    blank = _PARENS.sub(lambda m: m.group() if any(d in m.group() for d in c.date_texts) else " " * len(m.group()), t)
    return c if blank == t else replace(c, text=blank)


def _outside_quotes(text: str, edit) -> str:
    """`edit` applied to the stretches of `text` outside quotation marks."""
    parts = re.split(r"(“[^”]*”?|\"[^\"]*\"?)", text)
    return "".join(part if k % 2 else edit(part) for k, part in enumerate(parts))


def _headline(name: str, phrase: str, speech: frozenset[str]) -> str:
    """Subject and verb phrase as a headline: adverbs and articles dropped, "has linked" -> "linked",
    "will spend" -> "to spend", "said that there is X" -> "Name: X", "asserted: “…”" -> "Name: “…”"."""
    words = phrase.split()
    k = 0
    while k < len(words) - 1 and words[k].lower() in _AUXILIARIES:
        k += 1
    group = [w for w in words[:k] if w.lower() not in _ADVERBS]
    verb, rest = words[k] if words else "", words[k + 1:]
    if len(group) == 1 and group[0].lower() in ("has", "have", "had") and verb.endswith("ed"):
        group = []  # "has linked" -> "linked"
    elif [w.lower() for w in group] == ["will"]:
        group = ["to"]  # "will spend" -> "to spend"
    bare = verb.rstrip(":").lower()
    if not group and bare in speech and (verb.endswith(":") or (rest and rest[0].lower() == "that")):
        said = " ".join(rest[1:] if rest and rest[0].lower() == "that" else rest)
        said = _THERE_IS.sub("", _OPINION.sub("", said))
        text = f"{name}: {said}"
    else:
        if rest and rest[0].lower() == "that":
            rest = rest[1:]  # "demanded that Japan pay" -> "demanded Japan pay"
        text = " ".join([name, *group, verb, *rest])
    return _outside_quotes(text, lambda part: _AS_HE.sub("", _ARTICLE.sub("", part)))


def _fit(text: str, limit: int = LABEL_CHARS) -> str:
    """`text` in at most `limit` characters: whole when it fits, else cut before the last phrase boundary that
    fits (a preposition, conjunction or comma outside quotation marks), else at a word with "…"."""
    text = " ".join(text.split()).strip(" ,;:—–")
    if len(text) <= limit:
        return text
    words = text.split(" ")
    best, length, depth = 0, 0, 0
    for k, w in enumerate(words):
        if k and depth == 0 and LABEL_SHORTEST <= length <= limit and (words[k - 1].endswith((",", ";")) or (
                w.lower() in _BOUNDARY and words[k - 1].lower() not in _BOUNDARY)):  # "such as": before "such"
            best = k
        length += len(w) + (1 if k else 0)
        depth += w.count("“") - w.count("”") + (w.count('"') % 2 if depth == 0 else -(w.count('"') % 2))
        if length > limit:
            break
    if not best:
        return _cut(text, limit)
    kept = words[:best]
    while len(kept) > 2 and kept[-1].lower() in _MODIFIER_STOP:
        kept.pop()
    return " ".join(kept).rstrip(" ,;:—–")


def light_verbs(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(stem, verb) of the event nouns that take a verb in a label ("talks" -> "hold"), longest stem first,
    from the `verb` column of data/lexicons/event_triggers.csv."""
    found = [(r["stem"].lower(), (r.get("verb") or "").strip()) for r in rows]
    return sorted(((stem, verb) for stem, verb in found if verb and " " not in stem), key=lambda x: -len(x[0]))


_VERB_BEFORE = frozenset("to will would could should may might must can shall i we you they he she".split())
"""A word after which the words before an event noun are a verb phrase ("intend to continue discussions"), so
the noun takes no verb of its own in a label."""


def _with_verb(people: list[str], noun: str, phrase: str, verbs: list[tuple[str, str]]) -> str | None:
    """"Trump and Akazawa hold talks over tariffs …", "Kato attends finance ministers' gathering": the people, the
    noun's verb and the noun phrase; None when the noun takes no verb or no one is named."""
    low = noun.lower()
    verb = next((v for stem, v in verbs if low.startswith(stem)), None) if low else None
    if verb is None or not people or low.endswith("ed"):
        return None
    if len(people) == 1:
        verb = verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z")) else "s")
    return f"{' and '.join(people)} {verb} {phrase}"


def _label(cluster: _Cluster, names: _Names, triggers: Triggers, speech: frozenset[str],
           verbs: list[tuple[str, str]] = ()) -> str:
    """Who did what in at most LABEL_CHARS characters, from the event's actors, type and object.

    In order: the statement of a report whose subject is a name (or a pronoun resolved to one), whose clause holds
    the date and whose verb is not negated, as a headline ("Nakatani: “no reason” to renegotiate …"); else the
    event noun nearest the date with its modifiers and complement, with the event's people and the noun's verb
    ("Trump and Akazawa hold talks over tariffs at White House"), when it has two words or more; else any
    statement; else that noun; else the sentence's own words. A long label is cut at a phrase boundary."""
    reports = [cluster.head] + [m for m in cluster.members if m is not cluster.head]
    statements = [found for found in (_statement_parts(_without_parentheses(c), speech) for c in reports)
                  if found is not None]
    for distance, name, phrase, lead in statements:
        negated = _NEGATION.search(lead)
        if distance <= LABEL_NEAR and not negated and name.split(" ", 1)[0].lower() not in _PRONOUN_SUBJECT:
            return _fit(_headline(names.short(name), phrase, speech))
    people = _people(cluster, names)
    nouns: list[tuple[bool, str, str]] = []  # (named by a verb, phrase, the noun)
    for c in reports:
        span = _nearest_trigger(c, triggers)
        if span is not None:
            word, phrase = c.text[span[0]:span[1]], _noun_phrase(c, *span)
            before = c.text[:span[0]].split()
            mods = next((i for i, w in enumerate(phrase.split()) if word in w), 0)  # words before the noun
            at = len(before) - mods - 1
            verbal = 0 <= at < len(before) and before[at].lower() in _VERB_BEFORE
            nouns.append((word.endswith("ed"), phrase, "" if verbal else word))
    nouns.sort(key=lambda n: (n[0], -min(len(n[1].split()), 3)))  # (stable: the head's first among equals)
    for by_verb, phrase, word in nouns[:1]:
        if (not by_verb and len(phrase.split()) >= 2) or (not statements and (people or not by_verb)):
            phrase = _outside_quotes(phrase, lambda part: _ARTICLE.sub("", part))
            done = _with_verb(people, word, phrase, verbs)
            if done is None:
                phrase = phrase[:1].upper() + phrase[1:] if not people else phrase
                done = f"{' and '.join(people)}: {phrase}" if people else phrase
            return _fit(done)
    if statements:
        return _fit(_headline(names.short(statements[0][1]), statements[0][2], speech))
    return _fit(_plain_summary(cluster.head).rstrip("…"))
