"""Events, step 1: dated statements (candidates) of each article and of the corpus.

The per-article half (`extract`) runs with the other per-article stages; `_candidates` adds what depends on
the whole corpus (publication dates, who is a person, printed names)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from ..pipeline.resources import Resources
from ..pipeline.schema import PRIVATE_TABLES, row_tuples
from .corpus import Document

TYPE_WINDOW = 60
"""Characters either side of a date searched for event-type triggers."""
TERM_WINDOW = 100
"""Characters either side of a date whose content words describe the event."""
MAX_CONTAINED_DAYS = 7
"""A date range of at most this many days ("last week", "weekend") may merge with a day inside it."""
BACKGROUND_DAYS = 45
"""Events further than this from the publication date, or longer than a month, are background."""

_COUNTRY_KINDS = frozenset({"country", "place", "location", "city", "region", "nation"})
_STOP = frozenset(["a", "about", "above", "after", "again", "against", "all", "also", "although", "among", "an", "and", "any", "are", "around", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "during", "each", "even", "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "however", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less", "more", "most", "much", "must", "my", "near", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "since", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "though", "through", "to", "too", "under", "until", "up", "upon", "very", "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "would", "you", "your", "said", "says", "told", "according", "sources", "japan", "japanese", "u.s.", "united", "states", "america", "american", "washington", "tokyo", "minister", "ministers", "official", "officials", "secretary", "chief", "government", "president", "prime", "week", "weekend", "month", "year", "years", "today", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "last", "next", "earlier", "later", "early", "late", "morning", "evening", "night", "fiscal", "billion", "million", "trillion", "percent", "issue", "issues", "time"])
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]{3,}")


@dataclass
class Candidate:
    """One dated statement: a date expression in a sentence, with its type cues, actors and terms."""

    article_id: str
    sentence_id: int
    start: date
    end: date
    granularity: str
    published: date
    order: int
    text: str
    date_texts: list[str]
    types: set[str]
    actors: set[str]
    window_actors: set[str]
    terms: set[str]
    subjects: list[tuple[int, int, str]] = field(default_factory=list)
    """Spans (relative to `text`) that can name who acted, with the name to print: mentions and pronouns."""
    quote: str = ""
    """The first quotation of the sentence, for a summary whose verb only says that someone spoke."""
    all_date_texts: list[str] = field(default_factory=list)

    width: int = field(init=False, repr=False, compare=False)
    """Days in the range."""

    def __post_init__(self) -> None:
        self.width = (self.end - self.start).days + 1


Triggers = tuple[dict[str, list[tuple[str, str]]], list[tuple[str, str]], dict[str, str]]


def _triggers(res: Resources) -> Triggers:
    """Trigger stems bucketed by their first three letters (longest first), and multi-word stems."""

    def build() -> Triggers:
        rows = res.csv("lexicons/event_triggers.csv", required=("stem", "type"))
        buckets: dict[str, list[tuple[str, str]]] = {}
        for r in sorted(rows, key=lambda r: -len(r["stem"])):
            stem = r["stem"].lower()
            if " " not in stem:
                buckets.setdefault(stem[:3], []).append((stem, r["type"]))
        multi = [(r["stem"].lower(), r["type"]) for r in rows if " " in r["stem"]]
        return buckets, multi, {}

    return res.memo("events.triggers", build)


_PUNCT = "\"'“”‘’.,;:!?()[]{}—–…"


_WORDS = re.compile(r"[^\s\-—–\"'“”‘’.,;:!?()\[\]{}…]+(?:[’'.,:][^\s\-—–\"'“”‘’.,;:!?()\[\]{}…]+)*")
"""A lower-case word with its inner apostrophes and dots ("japan’s", "u.s"); dashes and outer punctuation split."""


def _tokens(text: str) -> list[str]:
    return _WORDS.findall(text.lower())


def _kind(tok: str, triggers: Triggers) -> str:
    """The event type of a word that starts with a trigger stem, or "" (remembered per word for the build)."""
    buckets, _, known = triggers
    kind = known.get(tok)
    if kind is None:
        kind = next((k for stem, k in buckets.get(tok[:3], ()) if tok.startswith(stem)), "")
        known[tok] = kind
    return kind


def _types(tokens: list[str], low: str, triggers: Triggers) -> set[str]:
    """Kinds of action named in a window (`low`, lower-cased; `tokens`, its words): a word that starts with a
    trigger stem."""
    multi, known = triggers[1], triggers[2]
    out: set[str | None] = set(map(known.get, tokens))
    if None in out:  # a word not seen before in this build
        out.discard(None)
        out.update(_kind(tok, triggers) for tok in tokens if tok not in known)
    out.discard("")
    for st, t in multi:  # (a plain loop: a generator costs more than the few multi-word stems)
        if st in low:
            out.add(t)
    return out


_TERM_OF: dict[str, str] = {}
"""Word -> its term (first five letters; "" for a stop word or a short one), remembered across calls."""


def _term(tok: str) -> str:
    term = _TERM_OF.get(tok)
    if term is None:
        word = tok[:-2] if tok.endswith(("’s", "'s")) else tok
        term = "" if len(word) < 4 or word in _STOP or not word[0].isalpha() else word[:5]
        if len(_TERM_OF) < 200_000:
            _TERM_OF[tok] = term
    return term


def _terms(tokens: list[str]) -> set[str]:
    out: set[str | None] = set(map(_TERM_OF.get, tokens))
    if None in out:  # a word not seen before (or the memo is full)
        out.discard(None)
        out.update(_term(tok) for tok in tokens if tok not in _TERM_OF)
    out.discard("")
    return out


_DAYS: dict[Any, date] = {}


def _day(value: Any) -> date:
    day = _DAYS.get(value)
    if day is None:
        day = date.fromisoformat(str(value)[:10])
        if len(_DAYS) < 100_000:
            _DAYS[value] = day
    return day


def _columns(frame: pd.DataFrame, *names: str, ints: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of the named columns as plain tuples (much faster than itertuples on Arrow-backed frames);
    the `ints` columns as int, -1 where missing."""
    cols = []
    for n in names:
        col = frame[n]
        if n in ints:
            col = pd.to_numeric(col, errors="coerce").fillna(-1).astype("int64")
        cols.append(col.tolist())
    return list(zip(*cols, strict=True))


def _ints(column: pd.Series) -> list[int]:
    """A column as ints, -1 where missing."""
    return pd.to_numeric(column, errors="coerce").fillna(-1).astype("int64").tolist()


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_DateRow = tuple[int, int, int, str, date, date, str]
"""One date expression: (days in its range, char_start, char_end, text, date_start, date_end, granularity)."""

PrivateRow = tuple[Any, ...]
"""A row of a private per-article table (schema.PRIVATE_TABLES), values in declared column order."""

_SENTENCE_COLUMNS = PRIVATE_TABLES["event_sentences"]
_PEOPLE_COLUMNS = PRIVATE_TABLES["event_people"]


# --- per article: everything of a dated statement that depends on the article alone ----------------
#
# `extract` runs with the other per-article stages (in the worker processes; its rows are cached with
# the article). What depends on the whole corpus stays in `_candidates`: the publication date and
# position of each article (the `articles` table) and, from the `actors` table, which actors are
# people or countries and the name printed for a person (the name of an actor outside the registry
# comes from the first article that mentions it).


def extract(doc: Document, res: Resources) -> dict[str, list[dict[str, Any]]]:
    """The article's private `event_sentences` rows, and its `event_people` rows when a pronoun needs them."""
    tables = doc.tables
    dates = tables.get("dates")
    if not dates:
        return {"event_sentences": [], "event_people": []}
    span = ("char_start", "char_end", "text", "actor_id")
    sentences, people = _article_rows(
        doc.article_id,
        row_tuples(dates, ("sentence_id", "char_start", "char_end", "text", "date_start", "date_end", "granularity")),
        row_tuples(tables.get("sentences", ()), ("sentence_id", "char_start", "text")),
        [(_sid(sid), *rest) for sid, *rest in row_tuples(tables.get("mentions", ()), ("sentence_id", *span))],
        [(_sid(sid), *rest) for sid, *rest in row_tuples(tables.get("quotes", ()), ("sentence_id", *span))],
        _triggers(res),
    )
    return {
        "event_sentences": [dict(zip(_SENTENCE_COLUMNS, row, strict=True)) for row in sentences],
        "event_people": [dict(zip(_PEOPLE_COLUMNS, row, strict=True)) for row in people],
    }


def _sid(value: Any) -> int:
    """A sentence id as int, -1 where missing (as `_ints` reads a column)."""
    sid = _int(value)
    return -1 if sid is None else sid


def _article_rows(
    aid: str,
    dates: list[tuple[Any, ...]],
    sentences: list[tuple[Any, ...]],
    mentions: list[tuple[Any, ...]],
    quotes: list[tuple[Any, ...]],
    triggers: Triggers,
) -> tuple[list[PrivateRow], list[PrivateRow]]:
    """`event_sentences` and `event_people` rows of one article.

    dates: (sentence_id, char_start, char_end, text, date_start, date_end, granularity); sentences:
    (sentence_id, char_start, text); mentions and quotes: (sentence_id as int, -1 if missing,
    char_start, char_end, text, actor_id).
    """
    grouped: dict[int, list[_DateRow]] = {}
    for sid, char_start, char_end, words, day0, day1, granularity in dates:
        sid = _int(sid)
        if sid is None:
            continue
        d0, d1 = _day(day0), _day(day1)
        grouped.setdefault(sid, []).append(
            ((d1 - d0).days, int(char_start), int(char_end), str(words), d0, d1, str(granularity)))
    if not grouped:
        return [], []
    sent_text: dict[int, tuple[int, str]] = {
        sid: (int(start), str(text)) for sid, start, text in sentences if sid in grouped}
    people: list[tuple[int, int, str]] = []  # every mention with an actor, for pronouns
    named: dict[int, list[tuple[int, int, str, str]]] = {}  # who can be a summary's subject
    here_of: dict[int, list[tuple[int, int, str]]] = {}  # actors of dated sentences
    for sid, start, end, words, actor in mentions:
        if sid < 0 or actor is None or actor != actor or not str(actor):
            continue
        actor = str(actor)
        people.append((sid, int(start), actor))
        if sid in grouped:
            start, end = int(start), int(end)
            named.setdefault(sid, []).append((start, end, actor, str(words)))
            here_of.setdefault(sid, []).append((start, end, actor))
    said: dict[int, tuple[str, str]] = {}
    for sid, start, end, words, actor in quotes:
        if sid not in grouped:
            continue
        has = actor is not None and actor == actor and str(actor) != ""
        if sid not in said:
            said[sid] = (str(words), str(actor) if has else "")
        if has:
            here_of.setdefault(sid, []).append((int(start), int(end), str(actor)))
    out: list[PrivateRow] = []
    no_mentions: list[tuple[int, int, str]] = []
    need_people = False
    for sid, rows in grouped.items():
        found = sent_text.get(sid)
        if found is None:
            continue
        s0, text = found
        # dates of one sentence whose ranges overlap describe one statement ("Wednesday morning (7 p.m. in Japan)")
        merged: list[list[_DateRow]] = [rows]
        if len(rows) > 1:
            rows.sort(key=_WIDTH)
            merged = []
            for r in rows:
                for group in merged:
                    g = group[0]
                    if r[4] <= g[5] and g[4] <= r[5]:
                        group.append(r)
                        break
                else:
                    merged.append([r])
        here = here_of.get(sid, no_mentions)
        quote, speaker = said.get(sid, ("", ""))
        subjects = [(s - s0, e - s0, actor, words) for s, e, actor, words in named.get(sid, ())]
        pronouns = [pm.span() for pm in _PRONOUN.finditer(text)]
        owner = _POSSESSIVE.match(text)  # "His administration has slapped …": the sentence's subject is his
        if owner:
            pronouns.insert(0, owner.span(1))
        need_people = need_people or bool(pronouns and not speaker)
        candidates = []
        for group in merged:
            first = group[0]
            if len(group) == 1:
                lo, hi = first[1] - s0, first[2] - s0
            else:
                lo = min(r[1] for r in group) - s0
                hi = max(r[2] for r in group) - s0
            type_window = text[max(0, lo - TYPE_WINDOW): hi + TYPE_WINDOW].lower()
            term_window = text[max(0, lo - TERM_WINDOW): lo] + " " + text[hi: hi + TERM_WINDOW]
            types = _types(_WORDS.findall(type_window), type_window, triggers) or {"other"}
            w0, w1 = s0 + lo - TERM_WINDOW, s0 + hi + TERM_WINDOW
            window = {a for s, e, a in here if w0 <= s and e <= w1}  # (countries are dropped in `_candidates`)
            candidates.append((first[4].toordinal(), first[5].toordinal(), first[6], [r[3] for r in group], types,
                               window, _terms(_tokens(term_window)), lo, hi))
        out.append((aid, sid, s0, text, quote, speaker, {a for _, _, a in here}, subjects, pronouns,
                    [r[3] for r in rows], candidates))
    return out, ([(aid, *p) for p in sorted(people)] if need_people else [])


# --- over the corpus ------------------------------------------------------------------------------


def _candidates(tables: dict[str, Any], res: Resources) -> list[Candidate]:
    """Every dated statement of the corpus, from the private `event_sentences` rows (or, when a caller
    passes only the per-article DataFrames, from rows computed from them here)."""
    sentence_rows = tables.get("event_sentences")
    if sentence_rows is None:
        sentence_rows, people_rows = _rows_from_frames(tables, res)
    else:
        people_rows = tables.get("event_people") or []
    if not sentence_rows:
        return []
    articles = tables["articles"]
    published = {a: _day(p) for a, p in _columns(articles, "article_id", "published")}
    order = {aid: i for i, aid in enumerate(articles["article_id"].tolist())}
    actor_kind = {}
    actors_df = tables.get("actors")
    if actors_df is not None and not actors_df.empty and "kind" in actors_df:
        actor_kind = {str(a): str(k) for a, k in _columns(actors_df, "actor_id", "kind")}
    actor_name: dict[str, str] = {}
    if actors_df is not None and not actors_df.empty and "name" in actors_df:
        actor_name = {str(a): str(n) for a, n in _columns(actors_df, "actor_id", "name")}
    persons = {a for a, k in actor_kind.items() if k == "person"}
    mentioned: dict[str, list[tuple[int, int, str]]] = {}  # each article's mentions, for pronouns
    for aid, sid, start, actor in people_rows:
        mentioned.setdefault(aid, []).append((sid, start, actor))
    people: dict[str, list[tuple[int, int, str]]] = {}  # of those, the people's (when first needed)
    days: dict[int, date] = {}
    out: list[Candidate] = []
    for aid, sid, s0, text, quote, speaker, sentence_actors, named, pronouns, all_dates, found in sentence_rows:
        pub = published.get(aid)
        if pub is None:
            continue
        subjects = [(s, e, actor_name.get(a, w) if a in persons else w) for s, e, a, w in named]
        pronoun_actors = []
        for p0, p1 in pronouns:  # "he told ...": the quote's speaker or the last person named before
            who = speaker
            if not who:
                items = people.get(aid)
                if items is None:
                    items = people[aid] = [m for m in mentioned.get(aid, ()) if m[2] in persons]
                who = _last_person(items, sid, s0 + p0)
            if who and who in actor_name:
                words = text[p0:p1].split()  # "he", or a possessive and its noun ("His administration")
                if len(words) > 1:  # names who acted, but the owner is no actor of the event (its profile is kept)
                    subjects.append((p0, p1, f"{actor_name[who]} {words[-1]}"))
                    continue
                subjects.append((p0, p1, actor_name[who]))
                pronoun_actors.append((p0, who))
        subjects.sort()
        for d0, d1, granularity, date_texts, types, window, terms, lo, hi in found:
            window_actors = {a for a in window if actor_kind.get(a, "") not in _COUNTRY_KINDS}
            if pronoun_actors:
                window_actors |= {a for at, a in pronoun_actors if lo - TERM_WINDOW <= at <= hi + TERM_WINDOW}
            start = days.get(d0)
            if start is None:
                start = days[d0] = date.fromordinal(d0)
            end = days.get(d1)
            if end is None:
                end = days[d1] = date.fromordinal(d1)
            out.append(Candidate(
                aid, sid, start, end, granularity, pub, order[aid], text, date_texts, types, sentence_actors,
                window_actors, terms, subjects, quote, all_dates))
    return out


def _rows_from_frames(tables: dict[str, Any], res: Resources) -> tuple[list[PrivateRow], list[PrivateRow]]:
    """The `event_sentences` and `event_people` rows of every article, from the per-article DataFrames."""
    dates = tables.get("dates")
    sentences = tables.get("sentences")
    if dates is None or sentences is None or dates.empty:
        return [], []
    parts: dict[str, tuple[list[Any], list[Any], list[Any], list[Any]]] = {}
    for aid, *row in _columns(dates, "article_id", "sentence_id", "char_start", "char_end", "text", "date_start",
                              "date_end", "granularity"):
        parts.setdefault(aid, ([], [], [], []))[0].append(row)
    for aid, *row in _columns(sentences, "article_id", "sentence_id", "char_start", "text"):
        if aid in parts:
            parts[aid][1].append(row)
    for at, name in ((2, "mentions"), (3, "quotes")):
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        columns = (frame["article_id"].tolist(), _ints(frame["sentence_id"]),
                   *(frame[c].tolist() for c in ("char_start", "char_end", "text", "actor_id")))
        for aid, *row in zip(*columns, strict=True):
            if aid in parts:
                parts[aid][at].append(row)
    triggers = _triggers(res)
    sentence_rows: list[PrivateRow] = []
    people_rows: list[PrivateRow] = []
    for aid, (dated, texts, mentions, quotes) in parts.items():
        found, people = _article_rows(aid, dated, texts, mentions, quotes, triggers)
        sentence_rows += found
        people_rows += people
    return sentence_rows, people_rows


def _WIDTH(r: _DateRow) -> int:
    """Sort key: days in a date's range."""
    return r[0]


_PROPER = re.compile(r"\b([A-Z][\w.&-]*)(?:\s+[A-Z][\w.&-]*)*")
_NOT_NAMES = frozenset("""
The This That These Those A An It Its He She They We I You In On At For But And Or If When While As After Before
However Furthermore Meanwhile Moreover Then Also Still Separately Instead Earlier Later Contrary According Under
Over With Without Despite Since Until During Following Speaking Asked Both All Some Many Most Such There Here What
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September
October November December Early Late Last Next Even Only Just Not No
""".split())  # noqa: SIM905
_BARE = "\x00"
"""Marks a subject found only by its capital letters: it needs a finite verb ("Cabinet meeting" is no statement)."""
_POSSESSIVE = re.compile(r"\W{0,3}((?:His|Her)\s+[a-z][a-z-]{2,})\b")
"""A sentence that opens with "His …" or "Her …" plus one noun: its subject belongs to the last person named."""
_PRONOUN = re.compile(r"[HhSs](?<!\w[HhSs])(?:(?<=[Hh])e|(?<=[Ss])he)\b")
"""\b(?:he|she|He|She)\b, written to start with a character class so that the regex engine skips ahead fast."""


def _last_person(items: list[tuple[int, int, str]], sid: int, before: int) -> str:
    """The actor_id of the person mentioned last before offset `before` (in this or an earlier sentence)."""
    best = ""
    for s, start, actor in items:
        if s > sid or start >= before:
            break
        best = actor
    return best


