"""Cross-outlet events timeline built from dated statements. Issue 4."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from .resources import Resources
from .schema import TABLES

__all__ = ["corpus_tables", "Candidate"]

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
    members: list[Candidate] = field(default_factory=list)

    @property
    def width(self) -> int:
        """Days in the range."""
        return (self.end - self.start).days + 1


def _triggers(res: Resources) -> list[tuple[re.Pattern[str], str]]:
    def build() -> list[tuple[re.Pattern[str], str]]:
        rows = res.csv("lexicons/event_triggers.csv", required=("stem", "type"))
        return [(re.compile(rf"\b{re.escape(r['stem'])}\w*", re.IGNORECASE), r["type"]) for r in rows]

    return res.memo("events.triggers", build)


def _terms(text: str) -> set[str]:
    out = set()
    for w in _WORD.findall(text):
        lw = w.lower().strip("’'-")
        lw = re.sub(r"[’']s$", "", lw)
        if lw in _STOP or len(lw) < 4:
            continue
        out.add(lw[:5])
    return out


def _day(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


def _candidates(tables: dict[str, pd.DataFrame], res: Resources) -> list[Candidate]:
    dates = tables.get("dates")
    sentences = tables.get("sentences")
    if dates is None or sentences is None or dates.empty:
        return []
    articles = tables["articles"]
    published = {r.article_id: _day(r.published) for r in articles.itertuples()}
    order = {aid: i for i, aid in enumerate(articles.article_id)}
    sent_text = {(r.article_id, int(r.sentence_id)): (int(r.char_start), r.text) for r in sentences.itertuples()}
    actor_kind = {}
    actors_df = tables.get("actors")
    if actors_df is not None and not actors_df.empty and "kind" in actors_df:
        actor_kind = {str(r.actor_id): str(r.kind) for r in actors_df.itertuples()}
    mentions: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for frame in (tables.get("mentions"), tables.get("quotes")):
        if frame is None or frame.empty:
            continue
        for r in frame.itertuples():
            if pd.isna(r.sentence_id) or pd.isna(r.actor_id) or not str(r.actor_id):
                continue
            mentions.setdefault((r.article_id, int(r.sentence_id)), []).append(
                (int(r.char_start), int(r.char_end), str(r.actor_id)))
    triggers = _triggers(res)
    grouped: dict[tuple[str, int], list[Any]] = {}
    for r in dates.itertuples():
        if pd.isna(r.sentence_id) or r.article_id not in published:
            continue
        grouped.setdefault((r.article_id, int(r.sentence_id)), []).append(r)
    out: list[Candidate] = []
    for (aid, sid), rows in grouped.items():
        if (aid, sid) not in sent_text:
            continue
        s0, text = sent_text[(aid, sid)]
        # dates of one sentence whose ranges overlap describe one statement ("Wednesday morning (7 p.m. in Japan)")
        rows = sorted(rows, key=lambda r: (_day(r.date_end) - _day(r.date_start)).days)
        merged: list[list[Any]] = []
        for r in rows:
            for group in merged:
                g = group[0]
                if _day(r.date_start) <= _day(g.date_end) and _day(g.date_start) <= _day(r.date_end):
                    group.append(r)
                    break
            else:
                merged.append([r])
        sentence_actors = {a for _, _, a in mentions.get((aid, sid), [])}
        for group in merged:
            first = group[0]
            lo = min(int(r.char_start) for r in group) - s0
            hi = max(int(r.char_end) for r in group) - s0
            type_window = text[max(0, lo - TYPE_WINDOW): hi + TYPE_WINDOW]
            term_window = text[max(0, lo - TERM_WINDOW): lo] + " " + text[hi: hi + TERM_WINDOW]
            types = {t for rx, t in triggers if rx.search(type_window)} or {"other"}
            window_actors = {a for s, e, a in mentions.get((aid, sid), [])
                             if s0 + lo - TERM_WINDOW <= s and e <= s0 + hi + TERM_WINDOW
                             and actor_kind.get(a, "") not in _COUNTRY_KINDS}
            out.append(Candidate(
                aid, sid, _day(first.date_start), _day(first.date_end), str(first.granularity), published[aid],
                order[aid], text, [str(r.text) for r in group], types, sentence_actors, window_actors,
                _terms(term_window)))
    return out


def _compatible(a: Candidate, b: Candidate) -> bool:
    if (a.start, a.end) == (b.start, b.end):
        return True
    narrow, wide = (a, b) if a.width <= b.width else (b, a)
    return wide.width <= MAX_CONTAINED_DAYS and wide.start <= narrow.start and narrow.end <= wide.end


def _score(c: Candidate, cluster: Candidate) -> float:
    """How well a candidate matches a cluster (its first member); below the threshold it stays apart."""
    if not (c.types & set().union(*(m.types for m in cluster.members))):
        return -1.0
    best = -1.0
    same_article = False
    for m in cluster.members:
        if m.article_id == c.article_id:
            same_article = True
            if m.sentence_id == c.sentence_id:
                return -1.0
        if not _compatible(c, m):
            return -1.0
        best = max(best, 2.0 * len(c.window_actors & m.window_actors) + len(c.terms & m.terms))
    return best if best >= (2.0 if same_article else 1.0) else -1.0


def _cluster(cands: list[Candidate]) -> list[Candidate]:
    cands = sorted(cands, key=lambda c: (c.width, c.published, c.order, c.sentence_id))
    clusters: list[Candidate] = []
    by_day: dict[date, list[int]] = {}
    by_range: dict[tuple[date, date], list[int]] = {}
    for c in cands:
        pool: set[int] = set(by_range.get((c.start, c.end), []))
        if c.width <= MAX_CONTAINED_DAYS:
            d = c.start
            while d <= c.end:
                pool.update(by_day.get(d, []))
                d += timedelta(days=1)
        best, best_score = None, 0.0
        for k in sorted(pool):
            s = _score(c, clusters[k])
            if s > best_score:
                best, best_score = k, s
        if best is None:
            c.members = [c]
            clusters.append(c)
            k = len(clusters) - 1
            by_range.setdefault((c.start, c.end), []).append(k)
            if c.width <= MAX_CONTAINED_DAYS:
                d = c.start
                while d <= c.end:
                    by_day.setdefault(d, []).append(k)
                    d += timedelta(days=1)
        else:
            clusters[best].members.append(c)
    return clusters


def _summary(c: Candidate, limit: int = 240) -> str:
    """The sentence, or for a long one the words around its date expression."""
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
    return re.sub(r"\s+", " ", text).strip()


def corpus_tables(tables: dict[str, pd.DataFrame], res: Resources) -> dict[str, pd.DataFrame]:
    """The `events` table: one row per event, merged across outlets."""
    columns = TABLES["events"]
    clusters = _cluster(_candidates(tables, res))
    outlet = {r.article_id: r.outlet for r in tables["articles"].itertuples()}
    rows = []
    for c in clusters:
        members = sorted(c.members, key=lambda m: (m.published, m.order, m.sentence_id))
        article_ids = list(dict.fromkeys(m.article_id for m in members))
        outlets = list(dict.fromkeys(outlet[a] for a in article_ids))
        first_pub = min(m.published for m in members)
        last_pub = max(m.published for m in members)
        background = (c.width > 31 or (first_pub - c.end).days > BACKGROUND_DAYS
                      or (c.start - last_pub).days > BACKGROUND_DAYS)
        rows.append({
            "event_id": 0, "date_start": c.start.isoformat(), "date_end": c.end.isoformat(),
            "granularity": c.granularity, "background": background, "summary": _summary(c),
            "actors": ";".join(sorted(set().union(*(m.actors for m in members)))),
            "article_ids": ";".join(article_ids), "outlets": ";".join(outlets), "n_outlets": len(outlets),
            "mentions": ";".join(f"{m.article_id}#{m.sentence_id}:{'/'.join(m.date_texts)}" for m in members),
            "types": ";".join(sorted(set().union(*(m.types for m in members)) - {"other"})),
        })
    rows.sort(key=lambda r: (r["date_start"], r["date_end"], r["article_ids"]))
    for i, r in enumerate(rows):
        r["event_id"] = i
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return {"events": frame}
