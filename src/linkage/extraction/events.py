"""Cross-outlet events timeline built from dated statements: candidates (event_candidates), clusters
(event_clusters), summaries (event_summaries), labels (event_labels); this module merges and writes the table."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..pipeline.resources import Resources
from ..pipeline.schema import TABLES
from .event_candidates import (
    _PRONOUN,
    BACKGROUND_DAYS,
    MAX_CONTAINED_DAYS,
    TERM_WINDOW,
    TYPE_WINDOW,
    Candidate,
    _candidates,
    _columns,
    _triggers,
    extract,
)
from .event_clusters import (
    _Cluster,
    _cluster,
    _compatible,
)
from .event_labels import (
    LABEL_CHARS,
    _label,
    _Names,
    light_verbs,
)
from .event_summaries import (
    SUMMARY_CHARS,
    _best_summary,
    _excerpt,
)
from .speech import cues as speech_cues

__all__ = [
    "corpus_tables", "extract", "Candidate", "LABEL_CHARS", "SUMMARY_CHARS", "TYPE_WINDOW", "TERM_WINDOW",
    "MAX_CONTAINED_DAYS", "BACKGROUND_DAYS", "_PRONOUN", "_Cluster",
]


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
    speech = speech_cues(res).uses.get("summary_quote", frozenset())
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
        summary, source = _best_summary([c] + [m for m in cluster.members if m is not c], speech)
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


def _merge_same(clusters: list[_Cluster], names: _Names, res: Resources) -> list[_Cluster]:
    """Label every event; merge events with the same label whose date ranges are compatible (one report of the
    same happening split by the clustering)."""
    triggers = _triggers(res)
    speech = speech_cues(res).uses.get("summary_quote", frozenset())
    verbs = res.memo("events.light_verbs", lambda: light_verbs(res.csv("lexicons/event_triggers.csv",
                                                                       required=("stem", "type"))))
    out: list[_Cluster] = []
    by_label: dict[str, list[_Cluster]] = {}
    for cluster in clusters:
        cluster.label = _label(cluster, names, triggers, speech, verbs)
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
