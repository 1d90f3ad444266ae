"""Column order of every table `build()` writes, and the data dictionary (`docs/data.md`) that documents each."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any, NamedTuple

__all__ = [
    "SPAN", "TABLES", "ARTICLE_TABLES", "ARTICLE_TYPES", "CORPUS_TABLES", "PRIVATE_TABLES", "PRIVATE_TYPES",
    "column_type", "row_tuples", "DOCS", "data_dictionary",
]

SPAN = ["article_id", "char_start", "char_end", "text"]
"""Columns every row that points into an article carries: raw[char_start:char_end] == text."""

ARTICLE_TABLES: dict[str, list[str]] = {
    "blocks": ["article_id", "block_id", "role", "char_start", "char_end", "text"],
    "sentences": ["article_id", "sentence_id", "block_id", "char_start", "char_end", "text"],
    "mentions": [
        "article_id", "mention_id", "actor_id", "char_start", "char_end", "text", "sentence_id",
        "form", "in_registry", "name", "group", "role", "fuzzy_match",
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
        "language", "notes", "author", "extractor", "html_file", "html_sha256", "duplicate_of", "n_chars", "n_blocks", "n_sentences", "n_body_chars", "n_removed_chars",
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


class TableDoc(NamedTuple):
    """What one table holds: a title, an optional note and the meaning of each column (or group)."""

    title: str
    columns: tuple[tuple[str, str], ...]
    note: str = ""


DOCS: dict[str, TableDoc] = {
    'articles': TableDoc(
        'the manifest plus lengths',
        (
            ('article_id', 'short stable slug: outlet + publication date'),
            ('source_file', 'file name under `data/raw/`'),
            ('sha256', 'checksum of the raw file; the build refuses a changed file'),
            ('outlet', 'publishing outlet (or the site and the wire it rewrites)'),
            ('outlet_country', 'ISO 3166 country of the outlet, empty where unknown'),
            ('kind', 'news, analysis, editorial or opinion'),
            ('headline', 'the headline as printed, empty when the text carries none'),
            ('published', 'ISO 8601 date-time with UTC offset'),
            ('published_precision', 'minute, hour or day (a day-precision time of 00:00 is a placeholder)'),
            ('published_basis', '`stated` (in the text or on the page) or `inferred` (from internal evidence)'),
            ('published_evidence', 'the words or reasoning the date rests on'),
            ('url', 'the original page, empty where unknown (never invented)'),
            ('language', 'ISO 639-1 code'),
            ('notes', 'caveats, including weak evidence'),
            ('author', 'byline names, from a saved page or an export (empty for plain texts)'),
            ('extractor', 'the main-text extractor and its version (`trafilatura 2.3.1`) for an article added from a saved page'),
            ('html_file, html_sha256', 'the saved page kept byte for byte under `data/html/`, and its checksum'),
            ('duplicate_of', 'the article this one copies (near-duplicate wire copy, MinHash shingles; see `docs/ingest.md`), empty otherwise'),
            ('n_chars, n_blocks, n_sentences', 'size of the raw text and of its segmentation'),
            ('n_body_chars, n_removed_chars', 'characters in headline/subhead/body blocks, and in captions, source lines and boilerplate (cleaned away)'),
        ),
    ),
    'blocks': TableDoc(
        'one row per non-blank line',
        (
            ('article_id, char_start, char_end, text', 'the line (white space trimmed)'),
            ('block_id', '0-based order within the article'),
            ('role', 'headline, byline, dateline, subhead, body, caption, source, boilerplate (only headline, subhead and body text is read by the extractors)'),
        ),
    ),
    'sentences': TableDoc(
        'sentences of headline, subhead and body blocks',
        (
            ('article_id, char_start, char_end, text', 'the sentence'),
            ('sentence_id', '0-based order within the article (headlines and subheads are one sentence each)'),
            ('block_id', 'the block it lies in'),
        ),
    ),
    'actors': TableDoc(
        'the registry plus every named person found outside it',
        (
            ('actor_id', 'stable slug from `data/actors.csv` (`donald-trump`); a person found in the text but not in the registry gets `new:<slug of the name>` (`new:sheila-smith`)'),
            ('name, kind, country', 'canonical name; person, organization, government_body, media (or country); ISO country, empty where none'),
            ('group', 'japan_government, us_government, other_government, legislator, former_official, expert, media, international_org, other — for new people inferred from their title or appositive ("an expert on …" → expert, "White House press secretary" → us_government, "a former U.S. trade negotiator" → former_official)'),
            ('role', 'role as of spring 2025 (registry), or the title/appositive the text gives a new person'),
            ('in_registry', 'false for people found only in the text: add them to `data/actors.csv` to curate them'),
            ('n_mentions, n_articles', 'how often and in how many articles the actor is mentioned (registry actors with no mention have 0)'),
            ('first_article_id, first_char_start, first_char_end, first_text', 'the first mention, to trace the actor back to the text'),
        ),
    ),
    'mentions': TableDoc(
        'one row per mention of an actor in headline, subhead or body text',
        (
            ('article_id, char_start, char_end, text', 'the mention as written (the name or alias only: "Shigeru Ishiba", "Tokyo", "prime minister")'),
            ('mention_id', '0-based order within the article'),
            ('actor_id', 'registry id or `new:…`'),
            ('sentence_id', 'the sentence it lies in'),
            ('form', '`full_name`, `surname`, `title` ("the U.S. president" → the actor holding or last introduced with that title) or `alias` ("Tokyo" or "Japan Govt" for the Japanese government, "EU")'),
            ('in_registry', 'false for people found only in the text'),
            ('name, group, role', "the actor's canonical name and group (copied for convenience), and for new people the title or appositive found"),
            ('fuzzy_match', 'the registry name a misspelt name was matched to ("Scott Bessent" for "Scott Besant": one part of a two-part name spelt exactly, the other of 5+ letters within 2 edits, one registry person only); empty when the text spells a registry form'),
        ),
    ),
    'quotes': TableDoc(
        'quotations and reported speech, one row per quoted span',
        (
            ('article_id, char_start, char_end, text', 'the words inside the quotation marks (offsets exclude the marks); for `indirect`, the reported clause'),
            ('quote_id', '0-based order within the article'),
            ('kind', '`direct` (a quoted sentence or more, standing as its own clause), `partial` (quoted words woven into the writer\'s sentence and attributed to someone, e.g. the alliance is "one-sided"), `term` (scare quotes or a coined term with no speaker, e.g. a single "theater"), `indirect` (reported speech without quotation marks, e.g. "Ishiba has repeatedly said … that the two issues must be dealt with separately")'),
            ('speaker', 'readable speaker: the canonical name (also when the text says "he"), or the words describing an unnamed source ("a senior Foreign Ministry official"); empty for terms'),
            ('actor_id', "the speaker's actor id; empty for unnamed sources and terms"),
            ('speaker_group', 'the speaker\'s group (as in `actors`); for unnamed sources inferred from the description ("Foreign Ministry", "Japanese" → japan_government; "experts" → expert; "sources" → unknown)'),
            ('cue', 'the word that attributes the words: a speech verb (said, told, asserted, saying, according to) or a claim noun (claims, gripes, assertion)'),
            ('attribution', '`explicit` (a name, title or organisation next to the cue), `pronoun` (he/she resolved to a person), `continued` (a later quotation of the same speaker with no new attribution), `anonymous` (an unnamed source)'),
            ('sentence_id', 'the sentence where the quoted span starts (a quotation may run over several sentences)'),
        ),
    ),
    'figures': TableDoc(
        'one row per number in headline, subhead or body text',
        (
            ('article_id, char_start, char_end, text', 'the figure as written (`¥1.055 trillion`, `$8 billion per year`, `2% of GDP`, `five-year`); an approximation word before it is not part of the span'),
            ('figure_id', '0-based order within the article'),
            ('category', '`money`, `percent` (also a fraction in words: "two-thirds of" → 66.67, "a fifth of" → 20, "half the" → 50), `count` ("six … jets", "12,000 workers"; not the parties of a relation: "the two countries", "between two countries"; a number whose noun is left out takes the noun of the count before it: "hosts 50,000 troops, while Korea stations 28,500"), `duration` ("five-year", "90 days", "65-year-old"), `ratio` ("four times", "twice", "three-fold", a verb of multiplying: "doubled", "to quadruple")'),
            ('value', 'the number in base units: ¥1.055 trillion → 1055000000000 (computed in decimal, so exact); empty for a vague amount'),
            ('value_low, value_high', 'the range of a vague amount: "hundreds of billions of dollars" → 1e11 … 1e12, "tens of trillions of won" → 1e13 … 1e14, "tens of" → 10 … 100 ×, "several"/"a few" → 2 … 10 × ("several hundred million" → 2e8 … 1e9), a bare plural "billions of" → 1 … 1000 ×; also a stated range ("$1-2 billion", "10-15%"). "From 10 to 25 percent" is two figures, not a range'),
            ('unit', 'ISO 4217 code for money (`JPY`, `USD`, `EUR`, …; a bare `$` is read as USD), `percent`, `count`, `ratio`, or `year`/`month`/`day` for durations (weeks are counted in days)'),
            ('per', 'the rate basis of an amount or percentage: `year` for "per year", "a year", "annually", "per annum" ("3% a year"; not "a year ago"); also `month`, `week`, `day`, `quarter`'),
            ('approx', 'the hedge right before the number, lower case: `about`, `around`, `over`, `more than`, `less than`, `nearly`, `roughly`, `up to`, … ; empty when exact'),
            ('what', 'the thing measured, in the sentence\'s words: the noun phrase the number modifies ("levy on cars, steel and aluminum"), the `for`/`on` complement of an amount ("cost of stationing U.S. troops"), the purpose ("to defend Japan"), or the subject that "has risen to" it; `conversion of ¥227 billion` for a dollar gloss in brackets; empty when no pattern applies'),
            ('claimed_by', '`actor_id` (from `mentions`/`quotes`) when the figure lies inside a quotation, or follows a claim cue ("Trump\'s claims that", "falsely claiming that", "X says …") whose claimant is a known actor; empty otherwise'),
            ('usd_value, usd_basis', 'the amount in U.S. dollars and how it was obtained: `USD`; `stated beside the figure: ¥227 billion ($1.69 billion)`; `rate stated in the article: … (134.32 JPY per USD)` for other amounts in that currency in the same article; or `reference rate … (data/fx_rates.csv: …)` for the publication month (nearest month listed). Empty for vague amounts and currencies without a rate'),
            ('sentence_id', 'the sentence it lies in'),
        ),
    ),
    'dates': TableDoc(
        'one row per temporal expression',
        (
            ('article_id, char_start, char_end, text', 'the expression (`on Wednesday`, `shortly after 7 p.m. in Japan`, `the five-year period from fiscal 2022 to 2026`)'),
            ('date_id', '0-based order within the article'),
            ('date_start, date_end', 'the inclusive ISO date range it denotes'),
            ('granularity', '`time`, `day`, `week` (also a weekend or "the past week"), `month`, `year`, `decade`, `fiscal_year`, `range` (several fiscal years, "since 2015", "within two years")'),
            ('anchor', '`absolute` (the text gives the year), `publication` (resolved against the article\'s publication date: weekdays, "last week", "March 27" without a year), `previous_date` (a time of day takes the day of a date in the same sentence, or of the last day mentioned before it)'),
            ('direction', '`past`, `future` or `same` (the range contains the publication date)'),
            ('sentence_id', 'the sentence; empty for a date read from a caption, dateline or source line'),
            ('time, zone', 'for a time of day: `19:00` and the zone as written (`Japan`, `JST`, `local time`), else empty'),
            ('block_role', 'the role of the block it lies in: `headline`, `subhead`, `body`, or — read explicitly for dates only — `caption` (a caption repeated with its credit line is read once), `dateline`, `source`'),
        ),
    ),
    'events': TableDoc(
        'the cross-outlet timeline, one row per event',
        (
            ('event_id', '0-based, in date order'),
            ('date_start, date_end, granularity', 'the narrowest date range any report gives for the event'),
            ('background', 'true for context rather than news: a range longer than 31 days, or one ending more than 45 days before (or starting more than 45 days after) the publication of the reports'),
            ('summary', 'who did what, at most 80 characters: the acting subject\'s name (a pronoun replaced by the person it refers to) and the verb phrase of the clause that holds the date, date words dropped; a bare speech verb is followed by the quotation ("Shigeru Ishiba told lawmakers: “National security…”"); without a subject, the sentence without its lead-in'),
            ('sentence', 'the most precise report behind the summary: its sentence, or 240 characters around its date'),
            ('actors', '`actor_id`s mentioned or quoted in the sentences behind the event, `;`-separated'),
            ('article_ids, outlets, n_outlets', 'every article and outlet that reported it, earliest first'),
            ('mentions', 'the reports behind it: `article_id#sentence_id:date text`, `;`-separated'),
            ('types', 'the kinds of action named near the date (`meeting`, `statement`, `agreement`, `demand`, `expiry`, `tariff`, `spending`, `decision`, `deployment`; from `data/lexicons/event_triggers.csv`)'),
            ('label', "who did what in at most 60 characters, built from the event's actors, type and object (see `docs/data-events.md`)"),
            ('kind', '`event`, or `plan` when every article that reports it was published before its date (a plan or target: "by 2027")'),
            ('said_on', 'for a plan, the day it was said (a past day its sentence names, else the publication date); empty for an event'),
        ),
    ),
    'framing': TableDoc(
        'one row per content sentence (headline, subheads, body)',
        (
            ('article_id, char_start, char_end, text', 'the sentence'),
            ('sentence_id', 'the sentence in `sentences`'),
            ('topics', '`;`-list of `trade`, `security`, `linkage` (linkage context: the relation between the two issues)'),
            ('frames', '`;`-list of `economic`, `security_defense`, `fairness`, `political_strategy`, `legality`, `capacity_resources`'),
            ('stance', '`separation`, `linkage`, `mixed` or empty'),
            ('stance_cues', 'the counted stance cues as `words -> value`, marked `(negated)` / `(hedged)`'),
            ('evaluation', '`challenge` (the "Japan doesn\'t pay" claim called false or corrected with figures), `endorsement` (the fair-share argument put forward) or empty'),
            ('voice', '`outlet` (the narration carries the stance) or `actor` (a quoted or reported speaker does)'),
            ('speaker_group', '`speaker_group` of the quote carrying the cue (from `quotes`), empty if none'),
        ),
        'Labels are defined in [`docs/codebook.md`](docs/codebook.md); cue lists are in `data/lexicons/framing.csv`.',
    ),
    'framing_cues': TableDoc(
        'one row per counted cue',
        (
            ('article_id, char_start, char_end, text', 'the cue words (for a context-dependent pattern, only the part that carries the cue)'),
            ('cue_id, sentence_id', 'order within the article; the sentence it lies in'),
            ('measure', "`topic`, `frame`, `stance` (names both issues), `stance_context` (counts only when both issues are in view), `evaluation`, `support` (Japan's payment, money figure), `operator` (a negation, hedge or condition that changed a stance cue)"),
            ('value', 'the label the cue gives after negation (a negated linkage cue reads `separation`)'),
            ('weight', 'its weight after hedges and weak negations'),
            ('negated, hedged', 'whether a negation flipped it / a hedge or condition weakened it'),
            ('lexicon_line', 'the line of `data/lexicons/framing.csv` whose pattern matched; empty for a cue made by a rule rather than a line: "X is X" ("security is security", read as separation) and a non-denial after a negation ("would not say whether", from `data/lexicons/non_denials.csv`, which hedges)'),
        ),
    ),
    'outlet_framing': TableDoc(
        'one row per article',
        (
            ('article_id, outlet, kind', 'from the manifest'),
            ('n_sentences', 'body sentences (shares below are over these)'),
            ('topic_trade, topic_security, topic_linkage', 'share of body sentences with the topic'),
            ('linkage_context_share', 'same as topic_linkage'),
            ('frame_*', 'share of body sentences with each frame'),
            ('separation_outlet, separation_actor, linkage_outlet, linkage_actor, mixed', 'sentences (body and subheads) by stance and voice'),
            ('headline_stance', 'stance of the headline, empty when none'),
            ('stance_score', '(L − S) / (L + S + 1) from −1 (separation) to +1 (linkage); L, S count linkage and separation sentences, mixed ones half, the headline twice (codebook §7)'),
            ('challenge_outlet, challenge_actor, endorsement_outlet, endorsement_actor, n_challenge, n_endorsement', 'sentences by evaluation and voice'),
            ('quoted_words_total, quoted_words_by_group', 'words in direct and partial quotes (`quotes` table), total and `group=words;…`'),
        ),
    ),
}
"""The data dictionary: `make docs` writes it to docs/data.md with `data_dictionary()`."""


_PREAMBLE = """\
# Data

Generated from `src/linkage/pipeline/schema.py` (`DOCS`) by `make docs`;
a test checks that this file is current.

## Inputs

- `data/raw/*.txt` — the article texts exactly as received (immutable; never edited by code).
- `data/articles.csv` — the manifest, one row per article (its columns are those of `articles` below,
  without the lengths).
- `data/actors.csv` — the registry of people, governments and organisations; `data/lexicons/` — the
  word lists the extractors read (see `data/lexicons/README.md`); `data/fx_rates.csv` — reference
  exchange rates.

## Tables

Every table is written to `data/processed/<table>.csv` (UTF-8, header row); from 200 articles on also to
`<table>.parquet` and to the Parquet dataset `data/processed/parquet/<table>/`, partitioned by outlet and month
(`outlet_slug=…/month=YYYY-MM/`; see `docs/dask.md` for a DuckDB query over it). Every row
that points into an article carries `article_id`, `char_start`, `char_end` and `text`, with
`raw[char_start:char_end] == text` where `raw` is the file under `data/raw/` read with
`open(path, encoding="utf-8", newline="")`.
"""


def data_dictionary() -> str:
    """The data dictionary as Markdown: every written table, its columns in order, what each means."""
    parts = [_PREAMBLE]
    for name in sorted(TABLES, key=lambda t: t != "articles"):
        doc = DOCS[name]
        parts.append(f"\n### `{name}` — {doc.title}\n")
        if doc.note:
            parts.append(f"\n{doc.note}\n")
        parts.append("\n| column | meaning |\n|---|---|\n")
        parts.extend(f"| {columns} | {meaning} |\n" for columns, meaning in doc.columns)
    return "".join(parts)

