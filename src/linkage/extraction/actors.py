"""Actor mentions (registry + unknown named people) and the corpus-level `actors` table."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from rapidfuzz.distance import Levenshtein

from ..pipeline import settings as _settings
from ..pipeline.resources import Resources
from ..pipeline.schema import CORPUS_TABLES
from .corpus import CONTENT_ROLES, Document
from .countries import Countries, countries

__all__ = [
    "Actor", "Registry", "registry", "extract", "fuzzy_registry_person", "corpus_tables", "new_actor_id", "trie_pattern", "left_boundary",
    "PERSON_PRONOUNS", "AFFILIATION",
]

Row = dict[str, Any]

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
"""Pronouns that refer back to a person."""

_LOCATIVE_WORDS = frozenset({"in", "near", "outside", "around", "across", "throughout", "from"})
_MOTION = re.compile(r"(?:visit\w*|travel\w*|flew|fly|flies|flying|return\w*|arriv\w*|went|go|goes|going|head\w*|trip|came|come)")
"""Words before a city name that make it a place, not the government it stands for ("in Tokyo", "flew to Seoul")."""


def _locative(text: str, start: int, floor: int) -> bool:
    """Whether the words before `start` make the name after them a place."""
    before = text[max(floor, start - 30):start]
    if not before[-1:].isspace():
        return False
    words = before.rsplit(None, 2)
    if not words:
        return False
    last = words[-1].lstrip("(“\"‘'—").lower()
    if last in _LOCATIVE_WORDS:
        return True
    return last == "to" and len(words) >= 2 and bool(_MOTION.fullmatch(words[-2].lstrip("(“\"‘'—").lower()))

_FORMER = re.compile(r"(?:\b[Tt]hen-|\b[Ff]ormer\b|\b[Ee]x-)")
_ACTING_AFTER = re.compile(
    r"(?:’s|'s)\s|\s+(?:(?:has|had|have|was|is|will|would|also|then|later|once)\s+)?"
    r"(?:met|said|says|told|signed|visited|called|urged|warned|spoke|argued|wrote|announced|ordered|met|"
    r"agreed|rejected|insisted|promised|pledged|threatened|criticized|criticised|praised|responded|"
    r"added|noted|asked|declined|denied|won|lost|resigned|became|served|led|leads|took|takes)\b"
)
"""Words after a name that show a person acting (possessive or a verb of a person)."""
_NOUN_AFTER = re.compile(r"\s+[A-Z][a-z]")
_ODD_SPACE = re.compile(r"\s\s|[^\S ]")


def _single_spaced(form: str) -> str:
    """`form` with every run of whitespace as one space (name patterns allow any run between words)."""
    return " ".join(form.split()) if _ODD_SPACE.search(form) else form

"""A city name used as a modifier ("a Washington Democrat", "Tokyo Stock Exchange") is not the government."""
_DATELINE_AFTER = re.compile(r"\s*(?:[—–-]|,\s*[A-Z][a-z]+\s*[—–-]|\(\w+\)\s*[—–-])")
_CREDIT_BEFORE = re.compile(
    r"(?:\b(?:photo(?:graph)?s?|images?|pictures?|credits?|courtesy(?:\s+of)?|(?:additional\s+)?reporting|editing|writing)"
    r"\s*(?:by|:)?|^\s*by|/)\s*$",
    re.IGNORECASE,
)
_CREDIT_AFTER = re.compile(r"^\s*(?:/|\||\bfor\s+(?:The\s+)?[A-Z][\w ]*(?:Times|Post|News|Journal)\b)")
"""A name next to these is a byline or picture credit, never an actor."""

_UP = "A-ZÀ-ÖØ-Þ\u0100-\u017e"
_LO = "a-zß-öø-ÿ\u0100-\u017f"
_NAME_TOKEN = rf"[{_UP}](?:['’][{_UP}])?[{_LO}]+(?:[{_UP}][{_LO}]+)?(?:-[{_UP}]?[{_LO}]+)?"
_NAME_SEQ = re.compile(
    rf"{_NAME_TOKEN}(?:\s+(?:[A-Z]\.\s+)*(?:(?:de|van|von|der|den|da|al|bin|le|la|di|du|dos|del)\s+){{0,2}}{_NAME_TOKEN}){{1,6}}(?![\w-])"
)
_SINGLE_NAME = re.compile(rf"{_NAME_TOKEN}")
_HONORIFIC_NAME = re.compile(r"(?:Mr|Ms|Mrs|Dr|Prof)\.\s+([A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)(?![\w-])")
"""Runs of capitalised words (with middle initials): candidate person names."""

_APPOSITIVE = re.compile(
    r",\s+(?:a|an|the|who|one\s+of|now|then|former|senior|chief|deputy|head\s+of|[a-z]+(?:'s|’s))\b"
)
_INSIDE_NAME_BEFORE = re.compile(
    r"\b(?:University|Institute|College|School|Museum|Academy|Society|Foundation|Federation|Association|Chamber|"
    r"Port|Bay|Gulf|Sea|Strait)\s+of\s+(?:the\s+)?$"
)
"""A place named inside an organisation's or another place's name: "the University of Tokyo", "the Sea of Japan"."""
AFFILIATION = r"(?:of|at|from|with)\s+(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+(?:(?:of|for|and|on)\s+(?:the\s+)?)?[A-Z][\w&.'’-]*){0,6}"
"""A person's affiliation after their name: "of the Brookings Institution", "at Nomura Securities" (quotes uses it too)."""
_NAME_JOINERS = frozenset({"of", "for", "on", "and"})
_SLUG = re.compile(r"[^a-z0-9]+")
_TITLE_NOT_ALONE = re.compile(r",?\s+(?:[A-Z][a-z]|of\b)|['’]s\s+[Oo]ffice\b")
"""After a title, words that make it no mention of its holder: a name, "of X", or "'s Office" (the office, not the person)."""
_HONORIFICS = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.")


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
    gender: str = ""


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
    title_keys: dict[str, str]
    person_titles: dict[str, str]
    title_words: frozenset[str]
    speaker_alias_re: re.Pattern[str] | None = None
    surnames: dict[str, str] = field(default_factory=dict)
    single_appos_re: re.Pattern[str] | None = None
    nationalities: dict[str, str] = field(default_factory=dict)
    owned_forms: frozenset[str] = frozenset()
    """Forms naming a non-person actor of some country, which a nationality before them can rule out."""
    countries: Countries = field(default_factory=lambda: Countries([]))
    """The countries file: whose organisation, which government group."""
    not_names: frozenset[str] = frozenset()
    """Lower-cased words that are never part of a person's name (data/lexicons/not_names.csv)."""
    cue_after_re: re.Pattern[str] = re.compile(r"(?!)")
    """A speech verb right after a name (speech_cues.csv, use `after_name`): "Smith said" makes Smith a person."""
    affiliated_cue_re: re.Pattern[str] = re.compile(r"(?!)")
    """A name's affiliation, then such a verb: "Mireya Solis of the Brookings Institution said"."""
    cue_before_words: frozenset[str] = frozenset()
    """Words right before a surname that make it a person: speech verbs (use `before_name`: "said Smith") and "to"."""
    title_stop_words: frozenset[str] = frozenset()
    """Speech verbs a title before a name never reaches back over (use `ends_title`: "said Finance Minister Kato")."""
    by_given: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Registry people with a two-part name: first part -> [(second part, actor_id)], for misspellings."""
    by_family: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """The same keyed by the second part: second part -> [(first part, actor_id)]."""


def new_actor_id(name: str) -> str:
    """Id of a person found outside the registry: `new:` + a slug of the name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "new:" + _SLUG.sub("-", ascii_name.lower()).strip("-")


def trie_pattern(words: list[str]) -> str:
    """A regex matching any of `words`, factored as a trie (much faster than a flat alternation)."""
    root: dict[str, Any] = {}
    for word in set(words):
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        optional = "" in node
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if optional else body

    return emit(root) or "(?!)"


def left_boundary(text: str, pos: int) -> bool:
    """Whether `pos` starts a word (no letter, digit or hyphen just before it)."""
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "-_")


def _compile(res: Resources) -> Registry:
    rows = res.csv("actors.csv", required=("actor_id", "name", "kind", "country", "group", "role", "aliases"))
    actors: dict[str, Actor] = {}
    forms: dict[str, list[tuple[str, str, bool]]] = {}
    titles: dict[str, list[str]] = {}
    speaker_aliases: dict[str, str] = {}
    surname_alone = set()
    surnames: dict[str, str] = {}
    by_given: dict[str, list[tuple[str, str]]] = {}
    by_family: dict[str, list[tuple[str, str]]] = {}
    known = countries(res)
    for row in rows:
        aid = row["actor_id"]
        actor = Actor(aid, row["name"], row["kind"], row["country"], row["group"], row["role"], True, row.get("gender", ""))
        actors[aid] = actor
        forms.setdefault(actor.name, []).append((aid, "full_name", False))
        surname = actor.name.split()[-1] if actor.kind == "person" else ""
        for alias in filter(None, (a.strip() for a in row["aliases"].split("|"))):
            prefix, _, value = alias.partition(":")
            if not value or prefix not in ("surname", "title", "place"):
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
        parts = actor.name.split()
        if actor.kind == "person" and len(parts) == 2:
            if actor.country in known.family_name_first:  # "Akazawa Ryosei", "Duck-soo Han"
                forms.setdefault(f"{parts[1]} {parts[0]}", []).append((aid, "full_name", False))
            by_given.setdefault(parts[0], []).append((parts[1], aid))
            by_family.setdefault(parts[1], []).append((parts[0], aid))
        if row.get("surname_alone", "").lower() in ("yes", "true", "1"):
            surname_alone.add(aid)
        for alias in filter(None, (a.strip() for a in row.get("speaker_aliases", "").split("|"))):
            speaker_aliases[alias] = aid
    name_re = re.compile(rf"(?:{trie_pattern(list(forms))})(?![\w-])")
    # titles as written in running text: lower case, Title Case, or the registry's own spelling
    title_keys: dict[str, str] = {}
    for key in titles:
        for variant in (key, key.title(), key[:1].upper() + key[1:], key.replace("u.s.", "U.S.")):
            title_keys[variant] = key
            title_keys[variant.replace("u.s.", "U.S.")] = key
            title_keys[re.sub(r"\bU\.s\.", "U.S.", variant)] = key
    # "he" is a literal prefix the regex engine finds fast; the caller checks the "T"/"t" before it
    title_re = re.compile(rf"he\s+(?P<t>{trie_pattern(list(title_keys))})(?![\w-])") if titles else None
    person_titles = {r["title"]: r.get("group", "") for r in res.csv("lexicons/person_titles.csv", required=("title",))}
    title_words = {t.lower() for t in person_titles}  # abbreviations keep their dot: "Gen." is a title, "Gen" a name
    for key in titles:
        title_words.add(key.split()[-1])
    speaker_alias_re = re.compile(rf"(?:{trie_pattern(list(speaker_aliases))})(?![\w-])") if speaker_aliases else None
    lower_titles = sorted({w for w in title_words if w.isalpha()})
    single_appos_re = re.compile(rf",\s+(?:the|a|an)\s+(?:[\w.-]+\s+){{0,3}}?(?:{trie_pattern(lower_titles)})\b")
    owned_forms = frozenset(
        form for form, entries in forms.items()
        if any(actors[aid].kind != "person" and actors[aid].country for aid, _f, _p in entries)
    )
    return Registry(
        actors, forms, titles, frozenset(surname_alone), speaker_aliases, name_re, title_re, title_keys,
        person_titles, frozenset(title_words), speaker_alias_re, surnames, single_appos_re, known.adjectives, owned_forms,
        known, frozenset(r["word"].strip().lower() for r in res.csv("lexicons/not_names.csv", required=("word",))),
        *_speech_cues(res), by_given, by_family,
    )


def fuzzy_registry_person(reg: Registry, name: str) -> str:
    """The registry person a two-part `name` misspells, else "".

    One part must be spelt exactly as in the registry and the other be at least
    `FUZZY_NAME_MIN_LENGTH` letters long and within `FUZZY_NAME_MAX_EDITS` edits of the registry's
    ("Scott Besant" -> scott-bessent). A name close to two registry people matches neither.
    """
    parts = name.split()
    if len(parts) != 2:
        return ""
    limit, shortest = _settings.FUZZY_NAME_MAX_EDITS, _settings.FUZZY_NAME_MIN_LENGTH
    hits = set()
    for exact, other, table in ((parts[0], parts[1], reg.by_given), (parts[1], parts[0], reg.by_family)):
        for spelt, aid in table.get(exact, ()):
            if spelt == other or min(len(spelt), len(other)) < shortest:
                continue
            if Levenshtein.distance(spelt.lower(), other.lower(), score_cutoff=limit) <= limit:
                hits.add(aid)
    return hits.pop() if len(hits) == 1 else ""


def _speech_cues(res: Resources) -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str], frozenset[str]]:
    """The speech verbs that mark a name as a person's, after it or before it, and those that end a title
    (data/lexicons/speech_cues.csv, `uses`)."""
    after: list[str] = []
    before: set[str] = {"to"}
    ends_title: set[str] = set()
    for r in res.csv("lexicons/speech_cues.csv", required=("form", "type")):
        uses = {u.strip() for u in (r.get("uses") or "").split("|")}
        if "after_name" in uses:
            after.append(r["form"])
        if "before_name" in uses:
            before.add(r["form"].lower())
        if "ends_title" in uses:
            ends_title.add(r["form"].lower())
    cue_after = r",?\s+(?:" + "|".join(re.escape(w) for w in after) + r")\b" if after else r"(?!)"
    return re.compile(cue_after), re.compile(r"\s+" + AFFILIATION + cue_after), frozenset(before), frozenset(ends_title)


def registry(res: Resources) -> Registry:
    """The compiled registry for this build."""
    return res.memo("actors.registry", lambda: _compile(res))


def _content_blocks(doc: Document) -> list[tuple[int, int, str]]:
    return [(b.char_start, b.char_end, b.role) for b in doc.blocks if b.role in CONTENT_ROLES]


def _prev_word(text: str, start: int, floor: int) -> tuple[str, int]:
    """The token just before `start` (within the block) and its start, or ('', start) at the block start."""
    j = start
    while j > floor and text[j - 1] == " ":
        j -= 1
    low = j - 80 if j - 80 > floor else floor  # bound the search: a token is never that long
    k = text.rfind(" ", low, j) + 1
    if k < low:
        k = low
    n = text.rfind("\n", k, j)  # a line break inside the word ends it too
    if n >= 0:
        k = n + 1
    return text[k:j], k


def _sentence_initial(text: str, pos: int, floor: int) -> bool:
    """Whether `pos` starts a sentence (block start, or after . ? ! with optional quotes)."""
    j = pos
    while j > floor and text[j - 1] in " “\"‘'(":
        j -= 1
    return j == floor or text[j - 1] in ".?!:;—"


_TITLE_STOPS = frozenset(("the", "a", "an", "and", "with", "by", "of", "to", "for"))
"""Function words a title before a name never reaches back over."""


def _title_before(text: str, start: int, floor: int, reg: Registry) -> str:
    """The title written just before a name ("Prime Minister", "White House press secretary", "then-Prime Minister")."""
    j = start
    while j > floor and text[j - 1] == " ":
        j -= 1
    if j <= floor or not (text[j - 1].isalpha() or text[j - 1] in ".,"):
        return ""  # a title ends in a letter or an abbreviation's dot
    word, at = _prev_word(text, start, floor)
    bare = word.rstrip(",").lower()
    if not word or not (
        bare in reg.title_words or bare.rstrip(".") in reg.title_words or bare.split("-")[-1] in reg.title_words
    ):
        return ""
    begin = at
    for _ in range(4):
        word, k = _prev_word(text, begin, floor)
        low = word.lower()
        if not word or not word[:1].isalpha() or word[-1] in ",;:" or (word[-1] == "." and low.rstrip(".") not in reg.title_words and "." not in word[:-1]):
            break
        if low in reg.not_names and not word[:1].isupper() and low not in reg.title_words:
            break
        if low in _TITLE_STOPS or low in reg.title_stop_words:
            break
        if word[:1].islower() and low not in reg.title_words and text[begin:begin + 1].isupper() and not _FORMER.match(word):
            break  # "including Treasury Secretary": a lower-case word joins only a lower-case title
        begin = k
    return text[begin:start].strip(" ,")


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    actor_id: str
    form: str
    title: str = ""
    rank: int = 0
    role: str = "body"
    fuzzy: str = ""


def _group_from_context(context: str, title_group: str, known: Countries) -> str:
    """A new person's group from the words around the name (title, appositive); a government's from the country named."""
    low = context.lower()
    if title_group:
        return title_group
    if re.search(
        r"\b(?:expert|analyst|professor|scholar|fellow|researcher|economist|strategist|think tank|historian|"
        r"scientist|lecturer|specialist)s?\b", low,
    ):
        return "expert"
    if re.search(
        r"\b(?:minister|secretar(?:y|ies)|president|official|ambassador|spokes\w+|negotiator|advis[eo]r|"
        r"trade representative|envoy)s?\b", low,
    ):
        if re.search(r"\b(?:former|ex-|then-)", low):
            return "former_official"
        return known.group_in(low, "other_government")
    if re.search(r"\b(?:lawmaker|legislator|congress(?:man|woman|member)|parliamentarian|member of parliament)s?\b", low):
        return "legislator"
    if re.search(r"\b(?:reporter|journalist|editor|correspondent|columnist)\b", low):
        return "media"
    return "other"


_ROLE_BEFORE = re.compile(r"(?:^|(?<=[.;:—]\s)|(?<=\n))(?P<role>[^.;:—\n“”\"]{3,80}),\s+$")


def _role_before(text: str, start: int, floor: int, reg: Registry) -> str:
    """A role in an NP that a name stands in apposition to ("the ministry's spokesman, Taro Yamada, …")."""
    if start - floor < 5 or text[start - 2:start] != ", ":
        return ""
    m = _ROLE_BEFORE.search(text, max(floor, start - 82), start)
    if m is None:
        return ""
    role = m.group("role").strip()
    words = {w.lower().strip(".,") for w in role.split()}
    return role if words & reg.title_words and not words & reg.title_stop_words else ""


def _title_group(title: str, reg: Registry) -> str:
    """The group the lexicon gives the longest title inside `title` ("Trade Representative" beats "Representative")."""
    best, group = 0, ""
    for key, value in reg.person_titles.items():
        if len(key) > best and re.search(rf"(?<![\w]){re.escape(key)}(?![\w])", title):
            best, group = len(key), value
    return group


def _is_credit(text: str, start: int, end: int, floor: int) -> bool:
    """A byline or picture credit ("Photo by …", "Name / Outlet", "Name/AFP")."""
    return bool(_CREDIT_BEFORE.search(text, max(floor, start - 40), start) or _CREDIT_AFTER.match(text, end))


def _find_new_people(
    doc: Document, reg: Registry, taken: list[tuple[int, int]], blocks: list[tuple[int, int, str]],
) -> list[tuple[_Cand, str, str, str]]:
    """Capitalised names outside the registry with a person cue (title, appositive, speech verb)."""
    text = doc.text
    found = []
    covered = bytearray(len(text) + 1)  # 1 where a mention already covers the character
    for s, e in taken:
        covered[s:e] = b"\x01" * (e - s)
    honorifics = any(h in text for h in _HONORIFICS)
    for bstart, bend, role in blocks:
        if role == "headline":
            continue  # Title Case makes every word look like a name; people named there recur in the body
        matches = [(m.start(), m.end()) for m in _NAME_SEQ.finditer(text, bstart, bend)]
        if honorifics and any(text.find(h, bstart, bend) >= 0 for h in _HONORIFICS):
            matches += [(m.start(1), m.end(1)) for m in _HONORIFIC_NAME.finditer(text, bstart, bend)]
        if reg.single_appos_re is not None:  # "Koizumi, the farm minister, said"
            for m in reg.single_appos_re.finditer(text, bstart, bend):
                word, at = _prev_word(text, m.start(), bstart)
                if _SINGLE_NAME.fullmatch(word):
                    matches.append((at, at + len(word)))
        for mstart, mend in matches:
            if covered[mstart] or covered[mend - 1]:
                continue
            if not left_boundary(text, mstart) and not _FORMER.search(text, max(bstart, mstart - 6), mstart):
                continue  # part of a hyphenated word, unless "then-Prime Minister …"
            tokens = text[mstart:mend].split()
            # drop leading openers, and everything up to the last title word ("Trade Minister Ahn Duk-geun")
            lows = [t.lower().rstrip(".") for t in tokens]
            cut = 0
            for i, low in enumerate(lows[:-1]):
                if low in reg.not_names or low in reg.title_words:
                    cut = i + 1
            if any(low in reg.not_names for low, t in zip(lows[cut:], tokens[cut:], strict=True) if len(t) > 2):
                continue
            if cut:
                offset = mstart
                for tok in tokens[:cut]:
                    offset = text.index(tok, offset) + len(tok)
                while text[offset].isspace():
                    offset += 1
                start = offset
            else:
                start = mstart
            tokens = tokens[cut:]
            end = mend
            if covered[start] or covered[end - 1]:
                continue
            if len(tokens) == 2:
                aid = fuzzy_registry_person(reg, " ".join(tokens))
                if aid and not _is_credit(text, start, end, bstart):  # "Treasury Secretary Scott Besant"
                    title = _title_before(text, start, bstart, reg) if start > bstart else ""
                    found.append((_Cand(start, end, aid, "full_name", title, role=role, fuzzy=reg.actors[aid].name), "", "", ""))
                    covered[start:end] = b"\x01" * (end - start)
                    continue
            appos = _APPOSITIVE.match(text, end, bend)
            prev, at = _prev_word(text, start, bstart)
            if prev.lower() in _NAME_JOINERS and _prev_word(text, at, bstart)[0].lower().strip(".,") in reg.not_names:
                continue  # the tail of an organisation's name: "Peterson Institute for International Economics"
            cue = (bool(reg.cue_after_re.match(text, end, bend)) or prev.lower() in reg.cue_before_words
                   or (len(tokens) in (2, 3) and bool(reg.affiliated_cue_re.match(text, end, bend))))
            honorific = prev.rstrip(".") in ("Mr", "Ms", "Mrs", "Dr", "Prof") and prev.endswith(".")
            acting = len(tokens) in (2, 3) and bool(_ACTING_AFTER.match(text, end, bend))
            title = _title_before(text, start, bstart, reg) if prev else ""
            # the first words after a comma, for an appositive that carries a title ("Koizumi, the farm minister,")
            after = re.split(r"[\s,]+", text[end + 1:min(bend, end + 50)].lstrip())[:4] if text.startswith(",", end) else []
            if len(tokens) < 2 and not (title or honorific or (appos and any(w.lower() in reg.title_words for w in after))):
                continue
            # or one that opens with a title in lower case: "Richard Haass, president emeritus of …,"
            appositive = bool(appos) or (
                len(tokens) in (2, 3) and bool(after) and after[0][:1].islower()
                and any(w.lower() in reg.title_words for w in after[:3])
            )
            # a bare two- or three-word name acting in the sentence: "Joe Biden's", "Xi Jinping met"
            if not (title or appositive or cue or honorific or acting):
                continue
            if _is_credit(text, start, end, bstart):
                continue
            former = bool(_FORMER.search(title))
            name = text[start:end]
            role_text = ""
            if appositive:
                role_text = re.split(r"[,;:—(]|(?<!\b[A-Z])\.(?=\s|$)", text[end + 1:bend], maxsplit=1)[0].strip()
            elif title:
                role_text = title
            else:
                role_text = _role_before(text, start, bstart, reg)  # "Japan's ambassador to the U.S., Shigeo Yamada, said"
            title_group = _title_group(title, reg)
            group = _group_from_context(f"{title} {role_text}", title_group, reg.countries)
            form = "full_name" if len(tokens) >= 2 else "surname"
            cand = _Cand(start, end, new_actor_id(name), form, "" if former else title, rank=1, role=role)
            found.append((cand, name, group, role_text))
            covered[start:end] = b"\x01" * (end - start)
    return found


def extract(doc: Document, res: Resources) -> dict[str, list[Row]]:
    """Find actor mentions in headline, subhead and body text (registry forms, titles, new people)."""
    reg = registry(res)
    text = doc.text
    blocks = _content_blocks(doc)
    cands: list[_Cand] = []
    for bstart, bend, role in blocks:
        for m in reg.name_re.finditer(text, bstart, bend):
            mstart, mend = m.span()
            before = text[mstart - 1] if mstart else ""
            if before and (before.isalnum() or before in "-_"):
                continue  # not at a word start (left_boundary)
            matched = _single_spaced(m.group())
            owner = ""  # "Chinese Foreign Ministry" is not Japan's Foreign Ministry
            if before == " " and mstart > bstart and matched in reg.owned_forms:
                owner = reg.nationalities.get(_prev_word(text, mstart, bstart)[0], "")
            for aid, form, place in reg.forms[matched]:
                if owner and reg.actors[aid].kind != "person" and reg.actors[aid].country not in (owner, ""):
                    continue
                if place and (
                    _locative(text, mstart, bstart)
                    or _INSIDE_NAME_BEFORE.search(text, max(bstart, mstart - 40), mstart)
                    or (mstart == bstart and _DATELINE_AFTER.match(text, mend))
                    or _NOUN_AFTER.match(text, mend)
                ):
                    continue  # a place, or a dateline ("TOKYO —")
                title = _title_before(text, mstart, bstart, reg) if form in ("full_name", "surname") else ""
                cands.append(_Cand(mstart, mend, aid, form, title, role=role))
    full = {c.actor_id for c in cands if c.form == "full_name" or (c.form == "surname" and c.title)}
    block_starts = [s for s, _e, _r in blocks]
    kept: list[_Cand] = []
    for c in cands:
        if c.form == "surname":
            next_to_cue = (reg.cue_after_re.match(text, c.end)
                           or _prev_word(text, c.start, 0)[0].lower().rstrip(",") in reg.cue_before_words)
            if c.actor_id not in reg.surname_alone and c.actor_id not in full and not next_to_cue:
                continue
            if c.role == "body" and not c.title:
                block_start = block_starts[bisect_right(block_starts, c.start) - 1]  # candidates lie inside blocks
                prev, at = _prev_word(text, c.start, block_start)
                if (
                    prev[:1].isupper() and prev[1:].isalpha() and prev[1:].islower()
                    and prev.lower() not in reg.not_names and not _sentence_initial(text, at, block_start)
                ):
                    continue  # another person's surname: "Adam Smith"
        kept.append(c)
    # titles: "the prime minister" (not "the prime minister of X", not followed by a name)
    if reg.title_re is not None:
        for bstart, bend, role in blocks:
            for m in reg.title_re.finditer(text, bstart + 1, bend):
                at = m.start() - 1
                if text[at] not in "Tt" or not left_boundary(text, at) or _TITLE_NOT_ALONE.match(text, m.end(), m.end() + 10):
                    continue
                kept.append(_Cand(m.start("t"), m.end("t"), "", "title", reg.title_keys[m.group("t")], role=role))
    taken = [(c.start, c.end) for c in kept]
    new_people = _find_new_people(doc, reg, taken, blocks)
    extra: dict[str, tuple[str, str, str]] = {}
    full_new = {n.split()[-1]: c.actor_id for c, n, _g, _r in new_people if c.form == "full_name" and not c.fuzzy}
    misspelt: dict[str, tuple[str, str]] = {}  # misspelt name or its surname -> (actor_id, form)
    for cand, name, group, role_text in new_people:
        if cand.fuzzy:  # a registry person's name misspelt: the registry actor, the spelling recorded
            written = text[cand.start:cand.end]
            misspelt[_single_spaced(written)] = (cand.actor_id, "full_name")
            if written.split()[-1] != cand.fuzzy.split()[-1]:
                misspelt[written.split()[-1]] = (cand.actor_id, "surname")
            kept.append(cand)
            continue
        if cand.form == "surname" and name in full_new:  # "Treasury Secretary Bessent" after "Scott Bessent"
            cand.actor_id = full_new[name]
            kept.append(cand)
            continue
        if cand.form == "surname" and name in reg.surnames:
            cand.actor_id, cand.rank = reg.surnames[name], 0  # "Koizumi, the farm minister": the registry's Koizumi
            kept.append(cand)
            continue
        if cand.actor_id not in extra or (role_text and not extra[cand.actor_id][2]):
            extra[cand.actor_id] = (name, group, role_text)
        kept.append(cand)
    # a surname shared with a person found in the text belongs to that person unless the registry
    # actor is named in full ("Adam Smith … Smith said" is not Sheila Smith)
    new_surnames = {name.split()[-1] for name, _g, _r in extra.values()} | {name.split()[0] for name, _g, _r in extra.values()}
    if new_surnames:
        kept = [
            c for c in kept
            if not (c.form == "surname" and c.rank == 0 and c.actor_id not in full and text[c.start:c.end] in new_surnames)
        ]
    # other occurrences of new people (full name again, or the surname alone)
    for aid, (name, _group, _role) in extra.items():
        forms = {name: "full_name"}
        parts = name.split()
        if len(parts) > 1:
            forms[parts[-1]] = "surname"
            if "-" in parts[-1] and len(parts) == 2:
                forms[parts[0]] = "surname"  # family name first: "Ahn Duk-geun" -> "Ahn"
        pattern = re.compile(rf"(?:{trie_pattern(list(forms))})(?![\w-])")
        for bstart, bend, _role in blocks:
            for m in pattern.finditer(text, bstart, bend):
                if left_boundary(text, m.start()):
                    kept.append(_Cand(m.start(), m.end(), aid, forms[_single_spaced(m.group())], rank=2))
    if misspelt:  # the misspelling again, or its surname alone ("Besant said")
        pattern = re.compile(rf"(?:{trie_pattern(list(misspelt))})(?![\w-])")
        for bstart, bend, _role in blocks:
            for m in pattern.finditer(text, bstart, bend):
                if left_boundary(text, m.start()):
                    aid, form = misspelt[_single_spaced(m.group())]
                    kept.append(_Cand(m.start(), m.end(), aid, form, rank=1, fuzzy=reg.actors[aid].name))
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
        elif c.title and not _FORMER.search(c.title):
            recent_titles.append((c.title.lower(), aid))
        sent = doc.sentence_at(c.start)
        if sent is None:
            continue
        actor = reg.actors.get(aid)
        if actor is not None:
            name, group, role_text, in_reg = actor.name, actor.group, "", True
        else:
            name, group, role_text = extra.get(aid, (text[c.start:c.end], "other", ""))
            in_reg = False
        rows.append({
            "article_id": doc.article_id, "mention_id": len(rows), "actor_id": aid,
            "char_start": c.start, "char_end": c.end, "text": text[c.start:c.end],
            "sentence_id": sent.sentence_id, "form": c.form, "in_registry": in_reg,
            "name": name, "group": group, "role": role_text, "fuzzy_match": c.fuzzy,
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
        def column(name: str) -> list[Any]:
            """One column as Python values ("" throughout when the table lacks it)."""
            return mentions[name].tolist() if name in mentions.columns else [""] * len(mentions)

        for actor_id, article_id, char_start, char_end, text, name, group, role in zip(
            *(column(c) for c in ("actor_id", "article_id", "char_start", "char_end", "text", "name", "group", "role")),
            strict=True,
        ):
            aid = str(actor_id)
            entry = stats.get(aid)
            if entry is None:
                entry = stats[aid] = {
                    "n": 0, "articles": set(), "first": (article_id, int(char_start), int(char_end), text),
                    "name": name or text, "group": group or "other", "role": role or "",
                }
            entry["n"] += 1
            entry["articles"].add(article_id)
            if not entry["role"] and role:
                entry["role"] = role
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
