"""Cross-outlet events timeline built from dated statements."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from ..pipeline.resources import Resources
from ..pipeline.schema import PRIVATE_TABLES, TABLES, row_tuples
from .corpus import Document

__all__ = ["corpus_tables", "extract", "Candidate"]

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


SUMMARY_CHARS = 80
"""Longest summary: who did what, in at most this many characters."""
_IRREGULAR_VERBS = frozenset("""
said told met made took gave held spoke wrote sent went came saw left began set put paid sought brought kept
struck won lost ran hit cut led rose fell grew became did thought felt found chose drew meant spent stood
says tells meets makes takes gives holds speaks writes sends goes comes sees leaves begins sets puts pays seeks
""".split())  # noqa: SIM905
_ING = {"saying": "said", "telling": "told", "making": "made", "taking": "took", "giving": "gave", "writing": "wrote",
        "speaking": "spoke", "meeting": "met", "holding": "held", "seeking": "sought", "sending": "sent"}
_QUOTE_MARKS = " “”\"‘’'"
_SPEECH = frozenset("""
said told says tells asserted emphasized emphasised stressed insisted argued claimed noted added warned stated
explained declared wrote posted remarked commented suggested urged asked
""".split())  # noqa: SIM905
_VERB = re.compile(
    r"(?:\s*,[^,]{1,90},)?\s+(?P<vp>(?:(?:has|have|had|will|would|could|did|does|do|was|were|is|are|also|then|later|"
    r"again|already|not|never|first|suddenly|repeatedly|reportedly|separately)\s+)*"
    r"(?P<verb>[a-z]{3,}(?:ed|ing)|[a-z]{2,}[^s\W]s|[a-z]+))\b")
_CLAUSE_END = re.compile(r"\s*(?:,(?!\d{3})|[;:(\u2014\u2013]|\s(?:which|who|while|whereas|because|although|though)\s)")
_LEAD = re.compile(
    r"^(?:(?:however|furthermore|meanwhile|moreover|then|also|still|separately|instead|earlier|later)\b,?\s*"
    r"|(?:in|on|at|during|after|before|by|since|until|following|early|late|amid|despite|according to)\b[^,]{0,60},\s*"
    r"|(?:this|last|next)\s+(?:week|weekend|month|year|\w+day)\b[^,]{0,30},\s*)+",
    re.IGNORECASE)


_NOT_VERBS = frozenset("""
during according including regarding concerning following pending notwithstanding morning evening spring thing
something nothing anything everything king ceiling building wedding
""".split())  # noqa: SIM905
"""Words that end in "-ing" (or look like a verb) but are not the verb after a subject ("Reyes during talks")."""


def _is_verb(word: str, vp: str) -> bool:
    if word in _NOT_VERBS:
        return False
    if vp != word:  # an auxiliary or adverb came first: "did not delve", "has already linked"
        return True
    return word in _IRREGULAR_VERBS or word in _ING or word.endswith(("ed", "ing")) or (
        word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")))


_DATE_PREPOSITIONS = frozenset(("early", "late", "over", "in", "on", "at", "during", "from", "for", "since", "by", "until",
                                "through", "of", "the", "as", "soon", "before", "after", "ahead", "no", "later", "than"))


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:])")


def _clean(text: str, dates: list[str]) -> str:
    for d in sorted(dates, key=len, reverse=True):
        at = text.find(d)
        while at >= 0:
            head = text[:at].split(" ")
            while len(head) > 1 and head[-2].lower() in _DATE_PREPOSITIONS and head[-1] == "":
                head = head[:-2] + [""]  # "… told lawmakers on " + "Monday": the preposition goes too
            lead = " ".join(head)
            text = lead + " " + text[at + len(d):]
            at = text.find(d, len(lead) + 1)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", text))
    return text.strip(" ,;:—–.")


def _shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())  # = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–(“\"")
    return cut + "…"


_AFTER_PREPOSITION = re.compile(r"\b(?:in|at|of|for|from|to|with|by|on|into|about|against)\s+(?:the\s+)?$", re.IGNORECASE)


def _bare_names(c: Candidate) -> list[tuple[int, int, str]]:
    """Capitalised names the registry does not know ("Japan will spend ..."), outside the known subjects."""
    subjects: list[tuple[int, int, str]] = []
    taken = [(a, b) for a, b, _ in c.subjects]
    for pn in _PROPER.finditer(c.text):
        if pn.group(1) in _NOT_NAMES:
            continue
        start, end = pn.span()
        if _AFTER_PREPOSITION.search(c.text, max(0, start - 8), start):
            continue  # "Defense spending in Japan is set to …": the name sits in a prepositional phrase
        if all(end <= a or start >= b for a, b in taken):
            subjects.append((start, end, pn.group() + _BARE))
    return subjects


def _clause(t: str, at: int, s: int, e: int, name: str) -> tuple[int, int, str, re.Match[str], int] | None:
    """(distance to the date, start, name, verb match, clause end) when a verb follows the subject, else None."""
    if t[e:e + 2] in ("’s", "'s"):
        return None
    m = _VERB.match(t, e)
    if not m or not _is_verb(m.group("verb"), m.group("vp")):
        return None
    verb = m.group("verb")
    if name.endswith(_BARE) and m.group("vp") == verb and not (verb in _IRREGULAR_VERBS or verb.endswith("ed")):
        return None  # "U.S. troops", "Cabinet meeting": a bare name needs an auxiliary or a past tense
    stop = _CLAUSE_END.search(t, m.end("verb"))
    end = stop.start() if stop else len(t)
    # the clause that holds the date tells what happened then; otherwise the nearest clause
    distance = 0 if s <= at <= end else min(abs(at - end), abs(s - at))
    return distance, s, name.rstrip(_BARE), m, end


def _statement(c: Candidate) -> str | None:
    """"Name verb-phrase" from the named subject (or resolved pronoun) whose clause holds the date; None if none."""
    found = _statement_parts(c)
    return None if found is None else _shorten(f"{found[1]} {found[2]}")


def _statement_parts(c: Candidate) -> tuple[int, str, str, str] | None:
    """(distance from the date to the clause, subject name, verb phrase, its words before the verb) of
    `_statement`; None if none."""
    t = c.text
    at = min((t.find(d) for d in c.date_texts if d in t), default=0)
    best: tuple[int, int, str, re.Match[str], int] | None = None
    for group in (c.subjects, None):
        if group is None:  # bare capitalised names only when no known subject's clause holds the date
            if best is not None and best[0] == 0:
                break
            group = _bare_names(c)
        for s, e, name in group:
            found = _clause(t, at, s, e, name)
            if found and (best is None or found[0] <= best[0]):  # on a tie the later, inner clause
                best = found
    if best is None:
        return None
    distance, s, name, m, end = best
    verb = m.group("verb")
    rest = t[m.end("verb"): end]
    lead = m.group("vp")[: m.start("verb") - m.start("vp")]
    verb = _ING.get(verb, verb[:-3] + "ed" if verb.endswith("ing") and not lead else verb)
    phrase = _clean(f"{lead}{verb}{rest}", c.all_date_texts)
    quote = c.quote
    before = t[:s].rstrip()
    if before.endswith(("”", '"')) and not quote:  # 'Security is security,” he said'
        quote = before
    core = quote.strip(_QUOTE_MARKS).rstrip(",")
    if verb in _SPEECH and core and " that " not in f" {phrase} " and len(phrase.split()) <= 6 \
            and " ".join(core.split()[:3]).lower() not in phrase.lower():  # not when the words are already there
        phrase = f"{phrase}: “{core}”"
    return distance, name, phrase, lead


_PARENTHETICAL = re.compile(r",\s(?!(?:and|but|or|while|so|yet)\b)[^,]{1,60},")


def _plain_summary(c: Candidate) -> str:
    """The sentence without its lead-in, parentheticals and dates."""
    text = _LEAD.sub("", c.text.strip())
    text = _PARENTHETICAL.sub("", text)  # "This meeting, expected to take place on Thursday, coincides …"
    text = _clean(text, c.all_date_texts)
    return _shorten(text[:1].upper() + text[1:])


def _best_summary(members: list[Candidate]) -> tuple[str, Candidate]:
    """The summary of the first report (most precise first) that names who acted."""
    for m in members:
        found = _statement(m)
        if found:
            return found, m
    return _plain_summary(members[0]), members[0]  # (its statement was None above)


def _excerpt(c: Candidate, limit: int = 240) -> str:
    """The report's sentence, or for a long one the words around its date expression."""
    text = c.text
    if len(text) > limit:
        at = max(0, text.find(c.date_texts[0]))
        lo = max(0, at - limit // 2)
        hi = min(len(text), lo + limit)
        lo = max(0, hi - limit)
        piece = text[lo:hi]
        if lo > 0:
            piece = "…" + piece.split(" ", 1)[-1]
        if hi < len(text):
            piece = piece.rsplit(" ", 1)[0] + "…"
        text = piece
    return " ".join(text.split())  # = re.sub(r"\s+", " ", text).strip(): both split on str.isspace characters


def corpus_tables(tables: dict[str, pd.DataFrame], res: Resources) -> dict[str, pd.DataFrame]:
    """The `events` table: one row per event, merged across outlets.

    It builds many small sets, lists and tuples; `pipeline.build` pauses the garbage collector
    while the corpus steps run (that saves about a quarter of this step's time).
    """
    return _events(tables, res)


def _events(tables: dict[str, pd.DataFrame], res: Resources) -> dict[str, pd.DataFrame]:
    columns = TABLES["events"]
    cands = _candidates(tables, res)
    clusters = _merge_same(_cluster(cands), _Names.of(tables), res)
    outlet = dict(_columns(tables["articles"], "article_id", "outlet"))
    past_dates = _past_dates(cands)
    rows = []
    for cluster in clusters:
        c = cluster.head
        members = sorted(cluster.members, key=lambda m: (m.published, m.order, m.sentence_id))
        article_ids = list(dict.fromkeys(m.article_id for m in members))
        outlets = list(dict.fromkeys(outlet[a] for a in article_ids))
        first_pub = min(m.published for m in members)
        last_pub = max(m.published for m in members)
        background = (c.width > 31 or (first_pub - c.end).days > BACKGROUND_DAYS
                      or (c.start - last_pub).days > BACKGROUND_DAYS)
        summary, source = _best_summary([c] + [m for m in cluster.members if m is not c])
        plan = c.start > last_pub  # every report was published before the event's date
        said = min((_said_on(m, past_dates) for m in members), default=first_pub) if plan else None
        rows.append({
            "event_id": 0, "date_start": c.start.isoformat(), "date_end": c.end.isoformat(),
            "granularity": c.granularity, "background": background, "summary": summary,
            "sentence": _excerpt(source),
            "actors": ";".join(sorted(set().union(*(m.actors for m in members)))),
            "article_ids": ";".join(article_ids), "outlets": ";".join(outlets), "n_outlets": len(outlets),
            "mentions": ";".join(f"{m.article_id}#{m.sentence_id}:{'/'.join(m.date_texts)}" for m in members),
            "types": ";".join(sorted(set().union(*(m.types for m in members)) - {"other"})),
            "label": cluster.label, "kind": "plan" if plan else "event",
            "said_on": said.isoformat() if said else "",
        })
    rows.sort(key=lambda r: (r["date_start"], r["date_end"], r["article_ids"]))
    for i, r in enumerate(rows):
        r["event_id"] = i
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return {"events": frame}


# --- short labels, same events merged, plans --------------------------------------------------------

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
    statements = []  # each report's parts, read only as far as the first that labels the event
    for found in map(_statement_parts, reports):
        if found is None:
            continue
        statements.append(found)
        distance, name, phrase, lead = found
        negated = _NEGATION.search(lead)
        if distance <= LABEL_NEAR and not negated and name.split(" ", 1)[0].lower() not in _PRONOUN_SUBJECT:
            return _cut(f"{names.short(name)} {phrase}")
    people = _people(cluster, names)
    nouns: list[tuple[bool, str]] = []  # (named by a verb, phrase): the first report's of the best rank
    best_rank: tuple[bool, int] | None = None
    for c in reports:
        span = _nearest_trigger(c, triggers)
        if span is not None:
            noun = (c.text[span[0]:span[1]].endswith("ed"), _noun_phrase(c, *span))
            rank = (noun[0], -min(len(noun[1].split()), 3))
            if best_rank is None or rank < best_rank:
                nouns, best_rank = [noun], rank
                if rank == (False, -3):
                    break  # no later report can rank higher (ties keep the first, the head's among equals)
    for verb, phrase in nouns[:1]:
        if (not verb and len(phrase.split()) >= 2) or (not statements and (people or not verb)):
            phrase = phrase[:1].upper() + phrase[1:] if not people else phrase
            return _cut(f"{', '.join(people)}: {phrase}" if people else phrase)
    if statements:
        return _cut(f"{names.short(statements[0][1])} {statements[0][2]}")
    return _cut(_plain_summary(cluster.head).rstrip("…"))


def _merge_same(clusters: list[_Cluster], names: _Names, res: Resources) -> list[_Cluster]:
    """Label every event; merge events with the same label whose date ranges are compatible (one report of the
    same happening split by the clustering)."""
    triggers = _triggers(res)
    out: list[_Cluster] = []
    by_label: dict[str, list[_Cluster]] = {}
    for cluster in clusters:
        cluster.label = _label(cluster, names, triggers)
        key = cluster.label.lower().rstrip("…")
        same = next((o for o in by_label.get(key, ()) if _compatible(o.head, cluster.head)
                     and _compatible(o.widest, cluster.widest)), None)
        if same is None:
            by_label.setdefault(key, []).append(cluster)
            out.append(cluster)
            continue
        for m in cluster.members:
            same.add(m)
        if cluster.head.width < same.head.width:
            same.head = cluster.head
    return out


def _past_dates(cands: list[Candidate]) -> dict[tuple[str, int], list[date]]:
    """Per sentence, the end dates of its candidates not after the article's publication (when it was said)."""
    out: dict[tuple[str, int], list[date]] = {}
    for c in cands:
        if c.end <= c.published and c.width <= MAX_CONTAINED_DAYS:
            out.setdefault((c.article_id, c.sentence_id), []).append(c.end)
    return out


def _said_on(c: Candidate, past_dates: dict[tuple[str, int], list[date]]) -> date:
    """When a plan or target was stated: a past day its sentence names ("he told a news conference Tuesday"),
    else the publication date of the article."""
    days = past_dates.get((c.article_id, c.sentence_id))
    return max(days) if days else c.published
