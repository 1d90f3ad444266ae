"""Column order of every table `build()` writes; the README's data dictionary documents each."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

__all__ = [
    "SPAN", "TABLES", "ARTICLE_TABLES", "ARTICLE_TYPES", "CORPUS_TABLES", "PRIVATE_TABLES", "PRIVATE_TYPES",
    "column_type", "row_tuples",
]

SPAN = ["article_id", "char_start", "char_end", "text"]
"""Columns every row that points into an article carries: raw[char_start:char_end] == text."""

ARTICLE_TABLES: dict[str, list[str]] = {
    "blocks": ["article_id", "block_id", "role", "char_start", "char_end", "text"],
    "sentences": ["article_id", "sentence_id", "block_id", "char_start", "char_end", "text"],
    "mentions": [
        "article_id", "mention_id", "actor_id", "char_start", "char_end", "text", "sentence_id",
        "form", "in_registry", "name", "group", "role",
    ],
    "quotes": [
        "article_id", "quote_id", "char_start", "char_end", "text", "kind", "speaker", "actor_id",
        "speaker_group", "cue", "attribution", "sentence_id",
    ],
    "figures": [
        "article_id", "figure_id", "char_start", "char_end", "text", "category", "value",
        "value_low", "value_high", "unit", "per", "approx", "what", "claimed_by", "usd_value",
        "usd_basis", "sentence_id",
    ],
    "dates": [
        "article_id", "date_id", "char_start", "char_end", "text", "date_start", "date_end",
        "granularity", "anchor", "direction", "sentence_id", "time", "zone", "block_role",
    ],
    "framing": [
        "article_id", "sentence_id", "char_start", "char_end", "text", "topics", "frames",
        "stance", "stance_cues", "evaluation", "voice", "speaker_group",
    ],
    "framing_cues": [
        "article_id", "cue_id", "sentence_id", "char_start", "char_end", "text", "measure",
        "value", "weight", "negated", "hedged", "lexicon_line",
    ],
}
"""Tables with one set of rows per article (cached per article, built in parallel)."""

_SPAN_INTS = {"char_start": "int", "char_end": "int"}

ARTICLE_TYPES: dict[str, dict[str, str]] = {
    "blocks": {"block_id": "int", **_SPAN_INTS},
    "sentences": {"sentence_id": "int", "block_id": "int", **_SPAN_INTS},
    "mentions": {"mention_id": "int", "sentence_id": "int", "in_registry": "bool", **_SPAN_INTS},
    "quotes": {"quote_id": "int", "sentence_id": "int", **_SPAN_INTS},
    "figures": {
        "figure_id": "int", "sentence_id": "int", "value": "float", "value_low": "float", "value_high": "float",
        "usd_value": "float", **_SPAN_INTS,
    },
    "dates": {"date_id": "int", "sentence_id": "int", **_SPAN_INTS},
    "framing": {"sentence_id": "int", **_SPAN_INTS},
    "framing_cues": {
        "cue_id": "int", "sentence_id": "int", "weight": "float", "negated": "bool", "hedged": "bool",
        "lexicon_line": "int", **_SPAN_INTS,
    },
}
"""Columns of the per-article tables that hold numbers or booleans ("int", "float", "bool"); every other column holds text.

These fix the Parquet column types, whatever a corpus holds; any column may be empty (null).
"""


def column_type(table: str, column: str) -> str:
    """The type of a per-article table's column: "int", "float", "bool" or "str"."""
    return ARTICLE_TYPES.get(table, {}).get(column, "str")

CORPUS_TABLES: dict[str, list[str]] = {
    "articles": [
        "article_id", "source_file", "sha256", "outlet", "outlet_country", "kind", "headline",
        "published", "published_precision", "published_basis", "published_evidence", "url",
        "language", "notes", "n_chars", "n_blocks", "n_sentences", "n_body_chars", "n_removed_chars",
    ],
    "actors": [
        "actor_id", "name", "kind", "country", "group", "role", "in_registry", "n_mentions",
        "n_articles", "first_article_id", "first_char_start", "first_char_end", "first_text",
    ],
    "events": [
        "event_id", "date_start", "date_end", "granularity", "background", "summary", "sentence", "actors",
        "article_ids", "outlets", "n_outlets", "mentions", "types", "label", "kind", "said_on",
    ],
    "outlet_framing": [
        "article_id", "outlet", "kind", "n_sentences", "topic_trade", "topic_security", "topic_linkage",
        "linkage_context_share", "frame_economic", "frame_security_defense", "frame_fairness",
        "frame_political_strategy", "frame_legality", "frame_capacity_resources", "separation_outlet",
        "separation_actor", "linkage_outlet", "linkage_actor", "mixed", "headline_stance", "stance_score",
        "challenge_outlet", "challenge_actor", "endorsement_outlet", "endorsement_actor", "n_challenge",
        "n_endorsement", "quoted_words_total", "quoted_words_by_group",
    ],
}
"""Tables built from the per-article tables of the whole corpus."""

TABLES: dict[str, list[str]] = {**ARTICLE_TABLES, **CORPUS_TABLES}

PRIVATE_TABLES: dict[str, list[str]] = {
    "event_sentences": [
        "article_id", "sentence_id", "sentence_start", "text", "quote", "speaker", "actors", "subjects",
        "pronouns", "date_texts", "candidates",
    ],
    "event_people": ["article_id", "sentence_id", "char_start", "actor_id"],
    "article_framing": ["article_id", "counts"],
}
"""Per-article tables only the corpus steps read: computed with the article (in the workers, cached with its
entry), handed to the corpus steps as lists of row tuples, never written to data/processed.

`event_sentences`: one row per dated sentence, what `events` needs of it that depends on the article alone;
`event_people`: the article's mentions (for pronouns), only when a dated sentence has a pronoun to resolve;
`article_framing`: the article's `outlet_framing` values after `article_id`, `outlet` and `kind`.
"""

PRIVATE_TYPES: dict[str, dict[str, str]] = {
    "event_sentences": {
        "article_id": "str", "sentence_id": "int", "sentence_start": "int", "text": "str", "quote": "str",
        "speaker": "str", "actors": "set[str]", "subjects": "list[tuple[int, int, str, str]]",
        "pronouns": "list[tuple[int, int]]", "date_texts": "list[str]",
        "candidates": "list[tuple[int, int, str, list[str], set[str], set[str], set[str], int, int]]",
    },
    "event_people": {"article_id": "str", "sentence_id": "int", "char_start": "int", "actor_id": "str"},
    "article_framing": {"article_id": "str", "counts": "list[int | float | str]"},
}
"""Python types of the private tables' values (plain data: they travel in marshal cache entries)."""


def row_tuples(rows: Sequence[dict[str, Any]], names: Sequence[str]) -> list[tuple[Any, ...]]:
    """Rows (dicts) as tuples of the named values in order; None where a row lacks one."""
    if len(names) > 1:
        try:
            return list(map(itemgetter(*names), rows))
        except KeyError:
            pass
    return [tuple(row.get(n) for n in names) for row in rows]
