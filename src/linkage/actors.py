"""Actor mentions (registry + unknown named people) and the corpus-level `actors` table. Issue 3."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .corpus import CONTENT_ROLES, Document
from .resources import Resources
from .schema import CORPUS_TABLES

__all__ = ["Actor", "Registry", "registry", "extract", "corpus_tables", "new_actor_id", "PERSON_PRONOUNS"]

Row = dict[str, Any]

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
"""Pronouns that refer back to a person."""

_LOCATIVE = re.compile(
    r"(?:\b(?:in|near|outside|around|across|throughout|based\s+in|from)|"
    r"\b(?:visit\w*|travel\w*|flew|fly|flies|flying|return\w*|arriv\w*|went|go|goes|going|head\w*|trip|came|come)\s+to)\s+$",
    re.IGNORECASE,
)
"""Words before a city name that make it a place, not the government it stands for."""

_CREDIT_BEFORE = re.compile(
    r"(?:\b(?:photo(?:graph)?s?|images?|pictures?|credits?|courtesy(?:\s+of)?|(?:additional\s+)?reporting|editing|writing)"
    r"\s*(?:by|:)?|^\s*by|/)\s*$",
    re.IGNORECASE,
)
_CREDIT_AFTER = re.compile(r"^\s*(?:/|\||\bfor\s+(?:The\s+)?[A-Z][\w ]*(?:Times|Post|News|Journal)\b)")
"""A name next to these is a byline or picture credit, never an actor."""

_NAME_TOKEN = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z]?[a-z]+)?"
_NAME_SEQ = re.compile(
    rf"(?<![\w’'.-]){_NAME_TOKEN}(?:\s+(?:[A-Z]\.\s+)*(?:(?:de|van|von|der|da|al|bin|le|la)\s+)?{_NAME_TOKEN}){{0,4}}(?![\w-])"
)
"""Runs of capitalised words (with middle initials): candidate person names."""

_NOT_NAME = frozenset(
    ["the", "a", "an", "in", "on", "at", "for", "from", "with", "by", "as", "if", "when", "while", "after", "before", "since", "although", "though", "because", "this", "that", "these", "those", "then", "there", "here", "but", "and", "or", "so", "yet", "however", "meanwhile", "still", "he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "our", "my", "what", "who", "which", "where", "why", "how", "such", "some", "many", "most", "one", "two", "three", "no", "not", "instead", "indeed", "also", "even", "only", "now", "today", "yesterday", "tomorrow", "last", "next", "ultimately", "further", "furthermore", "moreover", "according", "regarding", "can", "is", "are", "was", "were", "do", "does", "did", "will", "would", "should", "could", "may", "might", "must", "has", "have", "had", "speaking", "addressing", "following", "despite", "during", "under", "over", "between", "among", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "mr", "mrs", "ms", "dr", "prof", "japan", "japanese", "america", "american", "u.s", "us", "united", "states", "china", "chinese", "korea", "korean", "south", "north", "east", "west", "europe", "european", "asia", "asian", "pacific", "india", "russia", "ukraine", "taiwan", "britain", "british", "germany", "france", "canada", "tokyo", "washington", "beijing", "seoul", "osaka", "okinawa", "guam", "yokohama", "london", "paris", "berlin", "new", "york", "council", "foundation", "ministry", "university", "institute", "bank", "fund", "union", "nations", "kingdom", "republic", "sea", "ocean", "peninsula", "prefecture", "city", "house", "party", "times", "news", "post", "journal", "agency", "group", "forces", "association", "corporation", "company", "motors", "inc", "ltd", "agreement", "treaty", "act", "street", "island", "islands", "airport", "station", "department", "office", "committee", "commission", "congress", "senate", "parliament", "diet", "cabinet", "court", "administration", "summit", "conference", "forum", "initiative", "program", "programme", "plan", "security", "defense", "defence", "trade", "tariff", "tariffs", "economic", "national", "federal", "government", "state", "states", "self", "white", "marines", "navy", "army", "air", "force", "force", "command", "alliance", "relations", "affairs", "trading", "exchange", "market", "markets", "reserve", "treasury", "commerce", "finance", "foreign", "prime", "minister", "president", "secretary", "chief", "representative", "negotiator", "leverage", "response", "subaru", "toyota", "honda", "nissan", "sony"]
)
"""Lower-cased words that are never part of a person's name (openers, places, organisations, titles)."""

_APPOSITIVE = re.compile(
    r"^,\s+(?:a|an|the|who|one\s+of|now|then|former|senior|chief|deputy|head\s+of|[a-z]+(?:'s|’s))\b"
)
_CUE_AFTER = re.compile(r"^\s+(?:said|says|told|tells|added|asked|wrote|writes|noted|argued|suggested|explained|warned)\b")
_CUE_BEFORE = re.compile(r"(?:\b(?:said|says|according\s+to|told|asked|added|wrote|noted|argued|suggested)\s+)$")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Actor:
    """One actor: a registry row or a named person found in the text."""

    actor_id: str
    name: str
    kind: str
    country: str
    group: str
    role: str
    in_registry: bool = True


@dataclass
class Registry:
    """The actor registry compiled into lookup tables and patterns (built once per build)."""

    actors: dict[str, Actor]
    forms: dict[str, list[tuple[str, str, bool]]]
    titles: dict[str, list[str]]
    surname_alone: frozenset[str]
    speaker_aliases: dict[str, str]
    name_re: re.Pattern[str]
    title_re: re.Pattern[str] | None
    person_titles: dict[str, str]
    title_prefix_re: re.Pattern[str]
    speaker_alias_re: re.Pattern[str] | None = None
    surnames: dict[str, str] = field(default_factory=dict)


def new_actor_id(name: str) -> str:
    """Id of a person found outside the registry: `new:` + a slug of the name."""
    return "new:" + _SLUG.sub("-", name.lower()).strip("-")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _compile(res: Resources) -> Registry:
    rows = res.csv("actors.csv", required=("actor_id", "name", "kind", "country", "group", "role", "aliases"))
    actors: dict[str, Actor] = {}
    forms: dict[str, list[tuple[str, str, bool]]] = {}
    titles: dict[str, list[str]] = {}
    speaker_aliases: dict[str, str] = {}
    surname_alone = set()
    surnames: dict[str, str] = {}
    for row in rows:
        aid = row["actor_id"]
        actor = Actor(aid, row["name"], row["kind"], row["country"], row["group"], row["role"])
        actors[aid] = actor
        forms.setdefault(actor.name, []).append((aid, "full_name", False))
        surname = actor.name.split()[-1] if actor.kind == "person" else ""
        for alias in filter(None, (a.strip() for a in row["aliases"].split("|"))):
            prefix, _, value = alias.partition(":")
            if not value:
                prefix, value = "", alias
            if prefix == "surname":
                forms.setdefault(value, []).append((aid, "surname", False))
                surnames[value] = aid
            elif prefix == "title":
                titles.setdefault(value.lower(), []).append(aid)
            elif prefix == "place":
                forms.setdefault(value, []).append((aid, "alias", True))
            else:
                form = "full_name" if actor.kind == "person" and surname and value.split()[-1] == surname else "alias"
                forms.setdefault(value, []).append((aid, form, False))
        if row.get("surname_alone", "").lower() in ("yes", "true", "1"):
            surname_alone.add(aid)
        for alias in filter(None, (a.strip() for a in row.get("speaker_aliases", "").split("|"))):
            speaker_aliases[alias] = aid
    name_re = re.compile(rf"(?<![\w-])(?:{_alternation(list(forms))})(?![\w-])")
    title_re = (
        re.compile(rf"(?<![\w-])the\s+({_alternation(list(titles))})(?![\w-])", re.IGNORECASE) if titles else None
    )
    person_titles = {r["title"]: r.get("group", "") for r in res.csv("lexicons/person_titles.csv", required=("title",))}
    caps = [t for t in person_titles if t[:1].isupper()] + [t.title() for t in titles] + list(titles)
    title_prefix_re = re.compile(
        rf"(?:(?<![\w-])(?:then-|former\s+)?(?:[A-Z][\w.]*\s+){{0,3}}(?:{_alternation(caps)})\.?,?\s+)$"
    )
    speaker_alias_re = (
        re.compile(rf"(?<![\w-])(?:{_alternation(list(speaker_aliases))})(?![\w-])") if speaker_aliases else None
    )
    return Registry(
        actors, forms, titles, frozenset(surname_alone), speaker_aliases, name_re, title_re, person_titles,
        title_prefix_re, speaker_alias_re, surnames,
    )


def registry(res: Resources) -> Registry:
    """The compiled registry for this build."""
    return res.memo("actors.registry", lambda: _compile(res))


def _content_blocks(doc: Document) -> list[tuple[int, int, str]]:
    return [(b.char_start, b.char_end, b.role) for b in doc.blocks if b.role in CONTENT_ROLES]


def _prev_word(text: str, start: int, floor: int) -> str:
    """The token just before `start` (within the block), or '' at the block start."""
    j = start
    while j > floor and text[j - 1] == " ":
        j -= 1
    k = j
    while k > floor and not text[k - 1].isspace():
        k -= 1
    return text[k:j]


def _sentence_initial(text: str, pos: int, floor: int) -> bool:
    """Whether `pos` starts a sentence (block start, or after . ? ! with optional quotes)."""
    j = pos
    while j > floor and text[j - 1] in " “\"‘'(":
        j -= 1
    return j == floor or text[j - 1] in ".?!:;—"


@dataclass
class _Cand:
    start: int
    end: int
    actor_id: str
    form: str
    title: str = ""
    rank: int = 0


def _group_from_context(context: str, reg: Registry, title_group: str) -> str:
    """A new person's group from the words around the name (title, appositive)."""
    low = context.lower()
    if title_group:
        return title_group
    if re.search(r"\b(?:expert|analyst|professor|scholar|fellow|researcher|economist|strategist|think tank)\b", low):
        return "expert"
    if re.search(r"\b(?:minister|secretary|president|official|ambassador|spokes\w+|negotiator|adviser|advisor)\b", low):
        if re.search(r"\b(?:former|ex-|then-)", low):
            return "former_official"
        if re.search(r"\b(?:japan|japanese|tokyo)\b", low):
            return "japan_government"
        if re.search(r"\b(?:u\.s\.|us|american|washington|white house|trump)\b", low):
            return "us_government"
        return "other_government"
    if re.search(r"\b(?:reporter|journalist|editor|correspondent|columnist)\b", low):
        return "media"
    return "other"


def _find_new_people(doc: Document, reg: Registry, taken: list[tuple[int, int]]) -> list[tuple[_Cand, str, str, str]]:
    """Capitalised names outside the registry with a person cue (title, appositive, speech verb)."""
    text = doc.text
    found = []
    for bstart, bend, _role in _content_blocks(doc):
        for m in _NAME_SEQ.finditer(text, bstart, bend):
            tokens = m.group().split()
            offsets = [m.start() + o.start() for o in re.finditer(r"\S+", m.group())]
            # drop leading openers and everything up to the last title word
            cut = 0
            for i, tok in enumerate(tokens):
                low = tok.lower().rstrip(".")
                if tok in reg.person_titles or low in _NOT_NAME and i < len(tokens) - 1:
                    cut = i + 1
            title = " ".join(tokens[:cut])
            tokens, offsets = tokens[cut:], offsets[cut:]
            if not tokens:
                continue
            start = offsets[0]
            end = m.end()
            name = text[start:end]
            if any(t.lower().rstrip(".") in _NOT_NAME for t in tokens if not re.fullmatch(r"[A-Z]\.", t)):
                continue
            if any(s < end and start < e for s, e in taken):
                continue
            before, after = text[max(bstart, start - 60):start], text[end:min(bend, end + 120)]
            if _CREDIT_BEFORE.search(before) or _CREDIT_AFTER.match(after):
                continue
            has_title = bool(title) and any(t in reg.person_titles or t.lower() in reg.titles for t in title.split())
            if not has_title:
                tm = reg.title_prefix_re.search(text, max(bstart, start - 60), start)
                if tm and not re.search(r"(?:then-|former)", tm.group()):
                    has_title, title = True, tm.group().strip(" ,")
            appos = _APPOSITIVE.match(after)
            cue = _CUE_AFTER.match(after) or _CUE_BEFORE.search(before)
            if len(tokens) < 2 and not has_title:
                continue
            if not (has_title or appos or cue):
                continue
            role = ""
            if appos:
                role = re.split(r"[,.;:—]", after[1:], maxsplit=1)[0].strip()
            elif title:
                role = title
            title_group = next((reg.person_titles.get(t, "") for t in title.split() if reg.person_titles.get(t)), "")
            group = _group_from_context(f"{title} {role}", reg, title_group)
            form = "full_name" if len(tokens) >= 2 else "surname"
            found.append((_Cand(start, end, new_actor_id(name), form, title, rank=1), name, group, role))
    return found


def extract(doc: Document, res: Resources) -> dict[str, list[Row]]:
    """Find actor mentions in headline, subhead and body text (registry forms, titles, new people)."""
    reg = registry(res)
    text = doc.text
    blocks = _content_blocks(doc)
    cands: list[_Cand] = []
    for bstart, bend, _role in blocks:
        for m in reg.name_re.finditer(text, bstart, bend):
            surface = m.group()
            for aid, form, place in reg.forms[surface]:
                if place and _LOCATIVE.search(text, max(bstart, m.start() - 30), m.start()):
                    continue
                tm = reg.title_prefix_re.search(text, max(bstart, m.start() - 60), m.start())
                title = tm.group().strip(" ,") if tm else ""
                cands.append(_Cand(m.start(), m.end(), aid, form, title))
    full = {c.actor_id for c in cands if c.form == "full_name" or (c.form == "surname" and c.title)}
    kept: list[_Cand] = []
    for c in cands:
        if c.form == "surname":
            if c.actor_id not in reg.surname_alone and c.actor_id not in full:
                continue
            block_start, role = next((s, r) for s, e, r in blocks if s <= c.start < e)
            prev = _prev_word(text, c.start, block_start)
            if (
                role == "body" and re.fullmatch(r"[A-Z][a-z]+", prev) and not c.title
                and not _sentence_initial(text, c.start, block_start) and prev.lower() not in _NOT_NAME
            ):
                continue  # another person's surname: "Adam Smith"
        kept.append(c)
    # titles: "the prime minister" (not "the prime minister of X", not followed by a name)
    if reg.title_re is not None:
        for bstart, bend, _role in blocks:
            for m in reg.title_re.finditer(text, bstart, bend):
                after = text[m.end():bend]
                if re.match(r",?\s+(?:[A-Z][a-z]|of\b)", after):
                    continue
                kept.append(_Cand(m.start(1), m.end(1), "", "title", m.group(1).lower()))
    taken = [(c.start, c.end) for c in kept]
    new_people = _find_new_people(doc, reg, taken)
    extra: dict[str, tuple[str, str, str]] = {}
    for cand, name, group, role in new_people:
        extra.setdefault(cand.actor_id, (name, group, role))
        kept.append(cand)
    # other occurrences of new people (full name again, or the surname alone)
    for aid, (name, _group, _role) in extra.items():
        forms = {name: "full_name"}
        parts = name.split()
        if len(parts) > 1:
            forms[parts[-1]] = "surname"
            if "-" in parts[-1] and len(parts) == 2:
                forms[parts[0]] = "surname"  # family name first: "Ahn Duk-geun" -> "Ahn"
        pattern = re.compile(rf"(?<![\w-])(?:{_alternation(list(forms))})(?![\w-])")
        for bstart, bend, _role in blocks:
            for m in pattern.finditer(text, bstart, bend):
                kept.append(_Cand(m.start(), m.end(), aid, forms[m.group()], rank=2))
    # longest first, registry before new people; no overlaps
    kept.sort(key=lambda c: (c.start, -(c.end - c.start), c.rank))
    chosen: list[_Cand] = []
    last_end = -1
    for c in kept:
        if c.start < last_end:
            continue
        if chosen and c.actor_id and chosen[-1].actor_id == c.actor_id and text[chosen[-1].end:c.start].strip() == "(":
            continue  # "Association of Southeast Asian Nations (ASEAN)": one mention
        chosen.append(c)
        last_end = c.end
    rows: list[Row] = []
    recent_titles: list[tuple[str, str]] = []  # (title text, actor_id) of person mentions so far
    for c in chosen:
        aid = c.actor_id
        if c.form == "title":
            aid = _resolve_title(c.title, recent_titles, reg)
            if not aid:
                continue
        elif c.title and not c.title.lower().startswith(("then-", "former")):
            recent_titles.append((c.title.lower(), aid))
        sent = doc.sentence_at(c.start)
        if sent is None:
            continue
        actor = reg.actors.get(aid)
        if actor is not None:
            name, group, role, in_reg = actor.name, actor.group, "", True
        else:
            name, group, role = extra.get(aid, (text[c.start:c.end], "other", ""))
            in_reg = False
        rows.append({
            "article_id": doc.article_id, "mention_id": len(rows), "actor_id": aid,
            "char_start": c.start, "char_end": c.end, "text": text[c.start:c.end],
            "sentence_id": sent.sentence_id, "form": c.form, "in_registry": in_reg,
            "name": name, "group": group, "role": role,
        })
    return {"mentions": rows}


def _resolve_title(title: str, recent: list[tuple[str, str]], reg: Registry) -> str:
    """A title mention refers to the last person introduced with that title, else the registry holder."""
    for prefix, aid in reversed(recent):
        if prefix.endswith(title):
            return aid
    holders = reg.titles.get(title, [])
    return holders[0] if holders else ""


def corpus_tables(tables: dict[str, pd.DataFrame], res: Resources) -> dict[str, pd.DataFrame]:
    """The `actors` table: every registry actor plus the named people found outside it, with counts."""
    reg = registry(res)
    mentions = tables.get("mentions")
    columns = CORPUS_TABLES["actors"]
    stats: dict[str, dict[str, Any]] = {}
    if mentions is not None and len(mentions):
        for row in mentions.itertuples(index=False):
            aid = str(row.actor_id)
            entry = stats.get(aid)
            if entry is None:
                entry = stats[aid] = {
                    "n": 0, "articles": set(), "first": (row.article_id, int(row.char_start), int(row.char_end), row.text),
                    "name": getattr(row, "name", "") or row.text, "group": getattr(row, "group", "") or "other",
                    "role": getattr(row, "role", "") or "",
                }
            entry["n"] += 1
            entry["articles"].add(row.article_id)
            if not entry["role"] and getattr(row, "role", ""):
                entry["role"] = row.role
    out = []
    for aid, actor in reg.actors.items():
        st = stats.get(aid)
        out.append(_actor_row(actor, st))
    for aid, st in stats.items():
        if aid in reg.actors:
            continue
        out.append(_actor_row(Actor(aid, str(st["name"]), "person", "", str(st["group"]), str(st["role"]), False), st))
    return {"actors": pd.DataFrame(out, columns=columns)}


def _actor_row(actor: Actor, st: dict[str, Any] | None) -> Row:
    first = st["first"] if st else ("", None, None, "")
    return {
        "actor_id": actor.actor_id, "name": actor.name, "kind": actor.kind, "country": actor.country,
        "group": actor.group, "role": actor.role, "in_registry": actor.in_registry,
        "n_mentions": st["n"] if st else 0, "n_articles": len(st["articles"]) if st else 0,
        "first_article_id": first[0], "first_char_start": first[1], "first_char_end": first[2], "first_text": first[3],
    }
