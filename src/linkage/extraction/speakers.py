"""Who a speaker phrase names: per-document lookups of mentions, pronouns and cue words for quote attribution.

`Context.who` reads a speaker slot ("Japanese Prime Minister Shigeru Ishiba", "a senior official",
"he") and returns the `Speaker`: a registry actor, a new person found by `actors`, an anonymous
source with its group, or a group named by a demonym.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from .actors import AFFILIATION, Registry
from .corpus import Document
from .speech import PUNCT, Cues

__all__ = ["Speaker", "Context", "Shift", "At", "claim_owner", "noun_phrase", "quote_row"]

Row = dict[str, Any]

_SUBORDINATE_BEFORE = frozenset(
    ["after", "before", "when", "while", "as", "since", "because", "if", "until", "than", "with", "by", "to", "for", "from", "of", "at", "on", "in", "about", "against"]
)
_VERB_AFTER = re.compile(
    r"(?:,\s*[^,]{1,40},)?\s+(?:(?:\w+ly|also|then|has|have|had|was|is|will|would|could|may|might|must|should|did|does)\s+)*"
    r"([a-z]+)"
)
AFTER_SENTENCE_END = re.compile(r"[a-z][.?!][”’\"']?\s+$")
_TITLE_HEADS = (
    r"(?P<head>minister|secretary|president|ambassador|envoy|chancellor|governor|senator|premier|negotiator|"
    r"spokes(?:man|woman|person)|official|adviser|advisor)"
)
_DEFINITE_TITLE = re.compile(rf"(?:the|The)\s+(?:[A-Za-z.-]+\s+){{0,2}}{_TITLE_HEADS}")
_DEFINITE_START = re.compile(rf"(?P<np>(?:the|The)\s+(?:[A-Za-z.-]+\s+){{0,2}}{_TITLE_HEADS})\b")
_PRONOUN_WORD = re.compile(r"[A-Za-z]+")
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_PARENTHETICAL = re.compile(
    r",\s*(?P<inner>[^,]{1,40}),(?P<aux>\s*(?:(?:\w+ly|also|has|have|had|will|would|was|is|were|then|later)\s+)*)$"
)
_TOKEN_FULL = re.compile(r"[\w’'.-]+")
_TOKEN_TAIL = re.compile(r"[\w’'.-]+$")
_NEAR_AUX = re.compile(r"\w+ly|also|has|have|had|will|would|was|is|were|later|then|again|been|long|since|already")


def _near_subject(head: str) -> tuple[int, int] | None:
    """Span in `head` of the words just before a cue verb: up to six words, trailing auxiliaries and adverbs left out.

    Same result as a leftmost search of "WORDS{1,6} (AUX )*$" over `head`, without re-scanning it at every offset.
    """
    if not head or not head[-1].isspace():
        return None
    # the last twelve tokens at most, from the end: whole words, then the word-like tail of the first other token
    toks: list[str] = []
    aux = 0  # trailing auxiliaries and adverbs among them
    settled = False  # a word other than an auxiliary came
    for tok in reversed(head.rsplit(None, 12)[-12:]):
        whole = _TOKEN_FULL.fullmatch(tok) is not None
        if not whole:
            tail = _TOKEN_TAIL.search(tok)
            if not tail:
                break
            tok = tail.group()
        toks.append(tok)
        if not settled:
            if _NEAR_AUX.fullmatch(tok):
                aux += 1
            else:
                settled = True
        if not whole or (settled and len(toks) >= aux + 6):
            break  # six words before the auxiliaries: earlier ones are never part of the span
    if not toks:
        return None
    cursor = len(head.rstrip())
    starts, ends = [], []
    for tok in toks:
        at = head.rfind(tok, 0, cursor)
        starts.append(at)
        ends.append(at + len(tok))
        cursor = at
    n = len(toks)
    if aux == n:  # nothing but auxiliaries: the earliest token
        return starts[-1], ends[-1]
    last = aux  # index from the end of the last word before the auxiliaries
    first = min(n - 1, last + 5)
    return starts[first], ends[last]


_AUX_TAIL = re.compile(r"(?:(?:\w+ly|also|has|have|had|will|would|was|is|were|then|later)\s+)+$")
PREP_FILLER = re.compile(
    r"\s+(?:(?:in|on|at|during|to|with|after|before|for|last|this|earlier|late|from)\s+[^,;:“”\"]*?)?$"
)
"""Between a cue verb and "that": only prepositional or time phrases ("said in a speech in Tokyo on May 7 that")."""
_HEAD_QUALIFIED = re.compile(r"\s+(?:at|of|in|from|to|with|for|close\s+to)\s")
_HEAD_QUALIFIED_NAME = re.compile(r"\s+(?:at|of|in|from|with|for)\s+(?:the\s+)?[A-Z][a-z]")
_JOINED = re.compile(r" and (?:[A-Z][\w.]*\s+){0,3}")
"""Between two actors named together: "and", then perhaps a title ("Kato and Treasury Secretary Bessent")."""
_PRONOUN_SUBJECTS = frozenset({"he", "she", "they", "He", "She", "They"})
PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
"""Subject pronouns a speaker phrase may be ("he said"): resolved to the person they stand for."""
_AFFILIATION_END = re.compile(r"(?:^|\s+)" + AFFILIATION + "$")
"""A speaker's affiliation at the end of the words before a cue: "… of the University of Tokyo"."""
_OF_PHRASE = re.compile(r"\s+(?:close\s+to|to|of|for|at|from|with|under|around|in)\s+(?:the\s+)?(?:[\w.-]+\s+){0,4}$")
"""Between an unnamed-source noun and a person: the person qualifies the source ("aides to President Trump")."""
_CLAUSE_OPEN = re.compile(
    r"\s*(?P<np>[^;:—“”\"\n]{2,90}?),\s+"
    r"(?:a|an|the|who|whose|one\s+of|now|then|former|senior|chief|deputy|head\s+of|speaking|citing|[a-z]+(?:'s|’s)|[A-Z][\w.-]*’s)\b"
)
"""Sentence- or clause-initial NP followed by an appositive or parenthetical."""
_CLAUSE_OPEN_TITLED = re.compile(r"\s*(?P<np>[^;:—“”\"\n,]{2,90}?),\s+(?P<words>[a-z]+(?:\s+[a-z]+){0,2})\b")
"""The same with an appositive that opens with a title in lower case ("Richard Haass, president emeritus of …,")."""
_COMMA_SPACE = re.compile(r",\s")
_RELATIVE_SPLIT = re.compile(r"\b(?:that|which|whom|where|as)\s+(?=\S)")
_LEADING_CONJUNCTIONS = re.compile(r"^(?:(?:though|although|but|and|while|as|because|since|when|where|if|that|so)\s+)+", re.I)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_DEFINITE = re.compile(r"\s*(?:the|The)\s")
_ORG_WORD = r"(?:[A-Z][\w&.'’-]*|[A-Z]{2,})"
_ORG_NAME = re.compile(
    rf"(?:the\s+|The\s+)?(?P<name>{_ORG_WORD}(?:\s+{_ORG_WORD}){{0,4}}"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?{_ORG_WORD}(?:,?\s+(?:and\s+)?{_ORG_WORD}){{0,3}})?)"
)
"""A name of up to five capitalised words, with an "of/for/on …" tail ("Institute for International Economics")."""
_SOURCE_START = re.compile(r"[.;:“”\"\n]\s*|,\s")
_SOURCE_STOP = re.compile(r"[.;:,“”\"\n]|\s(?:said|says|told|met|who|that)\b")
POSSESSIVE_END = re.compile(r"(?:’s|'s|’|')$")
NP_END = re.compile(r",|\s+(?:on|in|at|during|before|after|last|this|when)\s")
HE_SHE = re.compile(r"(?<![\w-])(?:he|she|He|She)(?![\w-])")
_NOT_SUBJECT_NEXT = frozenset(
    ["to", "in", "of", "and", "or", "for", "at", "on", "with", "from", "by", "as", "about", "the", "a", "an", "into", "than", "that", "which", "who", "whom", "whose"]
)
_DESCRIPTOR = re.compile(
    r"(?P<owner>[A-Z][\w.-]*)(?:['’]s)?\s+(?P<words>(?:[A-Za-z-]+\s+){0,3}?)(?P<head>[A-Za-z-]+)"
    r"(?:\s+(?:for|on|to|in|at)\s+[^,;:“”\"]{1,60})?"
)
"""A role named by its country instead of a person: "Japan's chief tariff negotiator", "Tokyo's envoy for
the tariff talks", "Japan PM" (owner, words of the role, head noun, an optional "for/on …" tail)."""
_ROLE_ABBREVIATIONS = {"pm": "prime minister", "fm": "foreign minister"}
"""Role heads written short in headlines ("Japan PM")."""
_ROLE_FILLER = frozenset({"top", "new", "the"})
"""Words of a role description that need not appear in the registry role."""


def _hits(text: str, words: set[str], pattern: re.Pattern[str], titled: list[tuple[int, int]]) -> list[re.Match[str]]:
    """Matches of `pattern` at the word starts where one of `words` occurs, in text order.

    A capitalised word counts only where it opens a sentence or inside a Title Case block (`titled`).
    """
    found: dict[int, re.Match[str]] = {}
    for word in _roots(words):  # every occurrence of a word is an occurrence of its root: one scan per root
        capital = word[0].isupper()  # "According …" opens a sentence; "United States" is no cue
        i = text.find(word)
        while i >= 0:
            before = text[i - 1] if i else "\n"
            if not (before.isalnum() or before in "-_"):
                if capital:
                    j = i - 1
                    while j >= 0 and text[j] in " “\"‘'(":
                        j -= 1
                    ok = j < 0 or text[j] in ".!?:;—\n" or any(s <= i < e for s, e in titled)
                else:
                    ok = True
                m = pattern.match(text, i) if ok else None
                if m:
                    found[i] = m
            i = text.find(word, i + 1)
    return [found[i] for i in sorted(found)]


def _roots(words: set[str]) -> list[str]:
    """The words none of the others is a prefix of ("say" stands for "says" and "saying")."""
    roots: list[str] = []
    for word in sorted(words):  # a word sorts right after its prefixes and their other extensions
        if not roots or not word.startswith(roots[-1]):
            roots.append(word)
    return roots


def _reach(hits: list[re.Match[str]]) -> list[int]:
    """For each hit, the furthest end of it and every hit before it."""
    reach, far = [], 0
    for m in hits:
        far = max(far, m.end())
        reach.append(far)
    return reach


def _inside(hits: list[re.Match[str]], starts: list[int], reach: list[int], start: int, end: int) -> list[re.Match[str]]:
    """The hits (sorted by start; `reach[k]` = the largest end among hits[:k + 1]) lying inside [start, end)."""
    i = bisect_left(starts, start)
    j = bisect_left(starts, end, i)
    if i == j:
        return []
    if reach[j - 1] <= end:
        return hits[i:j]
    return [m for m in hits[i:j] if m.end() <= end]


@dataclass
class Speaker:
    speaker: str
    actor_id: str
    group: str
    attribution: str
    cue: str


class Context:
    """Per-document lookups: mentions, quote regions, sentences."""

    def __init__(self, doc: Document, reg: Registry, cue: Cues, spans: list[tuple[int, int]]):
        self.doc, self.reg, self.cue = doc, reg, cue
        self.text = doc.text
        self.spans = sorted(spans)
        self.span_starts = [s for s, _ in self.spans]
        mentions = doc.tables.get("mentions", [])
        if self.spans:
            mentions = [m for m in mentions if not self.in_quote(int(m["char_start"]))]
        self.mentions = sorted(mentions, key=lambda m: m["char_start"])
        self.mention_starts = [m["char_start"] for m in self.mentions]
        # every cue verb and claim noun of the document, found once: the token set narrows the words to look for
        token_words = cue.token_words
        present = {token_words[t] for t in cue.cue_tokens.intersection(self.text.split())}
        titled = [(b.char_start, b.char_end) for b in doc.blocks if b.role in ("headline", "subhead")]
        self.verb_hits = _hits(self.text, present & cue.verb_words, cue.verb_re, titled)
        self.verb_starts = [m.start() for m in self.verb_hits]
        self.verb_reach = _reach(self.verb_hits)
        self.noun_hits = _hits(self.text, present & cue.noun_words, cue.noun_re, titled)
        self.noun_starts = [m.start() for m in self.noun_hits]
        self.noun_reach = _reach(self.noun_hits)
        self.subjects: dict[tuple[int, int, str, bool], Speaker | None] = {}
        self._roles: list[tuple[str, str, str]] | None = None
        self.new_names: dict[str, str] = {}
        self.new_groups: dict[str, str] = {}
        for m in doc.tables.get("mentions", []):
            if not m.get("in_registry", True):
                self.new_names.setdefault(m["actor_id"], m.get("name") or m["text"])
                if m.get("group"):
                    self.new_groups.setdefault(m["actor_id"], m["group"])

    def verbs(self, start: int, end: int) -> list[re.Match[str]]:
        """Cue verbs inside text[start:end]."""
        return _inside(self.verb_hits, self.verb_starts, self.verb_reach, start, end)

    def nouns(self, start: int, end: int) -> list[re.Match[str]]:
        """Claim nouns inside text[start:end]."""
        return _inside(self.noun_hits, self.noun_starts, self.noun_reach, start, end)

    def quote_end(self, pos: int) -> int:
        """Where the quotation around `pos` ends (after its closing mark), or -1 outside quotations."""
        i = bisect_right(self.span_starts, pos) - 1
        return self.spans[i][1] if i >= 0 and pos < self.spans[i][1] else -1

    def in_quote(self, pos: int) -> bool:
        i = bisect_right(self.span_starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]

    def kind(self, actor_id: str) -> str:
        actor = self.reg.actors.get(actor_id)
        return actor.kind if actor else "person"

    def named(self, actor_id: str) -> str:
        actor = self.reg.actors.get(actor_id)
        if actor:
            return actor.name
        return self.new_names.get(actor_id, actor_id)

    def group(self, actor_id: str) -> str:
        actor = self.reg.actors.get(actor_id)
        if actor:
            return actor.group
        return self.new_groups.get(actor_id, "other")

    def person_ending_at(self, pos: int) -> str:
        """The actor id of a person mention that ends at `pos` (it may start before a phrase does), else ""."""
        i = bisect_left(self.mention_starts, pos)
        for m in reversed(self.mentions[max(0, i - 3):i]):
            if m["char_end"] == pos and self.person(m["actor_id"]):
                return m["actor_id"]
        return ""

    def mentions_in(self, start: int, end: int) -> list[Row]:
        i = bisect_left(self.mention_starts, start)
        j = bisect_left(self.mention_starts, end)
        return [m for m in self.mentions[i:j] if m["char_end"] <= end]

    def subject_like(self, m: Row) -> bool:
        """Whether a mention looks like a clause subject: a verb follows, and no preposition or subordinator precedes."""
        start = m["char_start"]
        before = self.text[max(0, start - 12):start].split()
        if before and before[-1].lower() in _SUBORDINATE_BEFORE:
            return False
        word = _VERB_AFTER.match(self.text, m["char_end"], m["char_end"] + 80)
        return bool(word) and word.group(1) not in _NOT_SUBJECT_NEXT

    def gender(self, actor_id: str) -> str:
        """m or f where the registry records it, else ''."""
        actor = self.reg.actors.get(actor_id)
        return actor.gender if actor else ""

    def person(self, actor_id: str) -> bool:
        return self.kind(actor_id) == "person"

    def resolve_pronoun(self, pos: int) -> str:
        """Actor a he/she at `pos` refers to: the subject-like person before it, going back sentence by sentence."""
        sent = self.doc.sentence_at(pos)
        if sent is None:
            return ""
        word = _PRONOUN_WORD.match(self.text, pos)
        wanted = _PRONOUN_GENDER.get(word.group().lower(), "") if word else ""
        sid = sent.sentence_id
        first = True
        # in an earlier paragraph, a person named only as an object ("removed Yoon from office") is taken
        # only if no paragraph before names a subject
        fallback = ""
        while sid >= 0 and sent.sentence_id - sid <= 5:
            s = self.doc.sentences[sid]
            stop = pos if first else s.char_end
            people = [
                m for m in self.mentions_in(s.char_start, stop)
                if self.person(m["actor_id"]) and self.gender(m["actor_id"]) in ("", wanted or self.gender(m["actor_id"]))
            ]
            if people:
                subj = [m for m in people if self.subject_like(m)]
                if subj or s.block_id == sent.block_id:
                    return (subj or people)[0]["actor_id"]
                fallback = fallback or people[0]["actor_id"]
            sid -= 1
            first = False
        return fallback

    def joint_subject(self, pos: int) -> Speaker | None:
        """Two actors joined by "and" as the subject earlier in the sentence of `pos` ("Seoul and Washington agreed
        to …, which they called …"): one speaker with no single actor id, in their common group (else unknown)."""
        sent = self.doc.sentence_at(pos)
        if sent is None:
            return None
        found = self.mentions_in(sent.char_start, pos)
        for a, b in zip(found, found[1:], strict=False):
            if a["actor_id"] != b["actor_id"] and _JOINED.fullmatch(self.text, a["char_end"], b["char_start"]) and self.subject_like(b):
                ga, gb = self.group(a["actor_id"]), self.group(b["actor_id"])
                name = self.text[a["char_start"]:b["char_end"]]
                return Speaker(name, "", ga if ga == gb else "unknown", "explicit", "")
        return None

    def resolve_relative(self, pos: int) -> str:
        """Actor a relative `who` at `pos` refers to: the nearest mention before it in the sentence."""
        sent = self.doc.sentence_at(pos)
        if sent is None:
            return ""
        before = [m for m in self.mentions_in(sent.char_start, pos)]
        return before[-1]["actor_id"] if before else ""

    def anonymous(self, phrase: str, phrase_start: int) -> Speaker | None:
        """An unnamed source ("a senior Foreign Ministry official") with its group, if `phrase` names one."""
        heads = list(self.cue.anon_re.finditer(phrase))
        if not heads:
            return None
        m = heads[-1]
        for h in heads[:-1]:  # "an official at the Ministry of …": the first noun is the source
            if _HEAD_QUALIFIED.match(phrase, h.end()):
                m = h
                break
        head = m.group().lower()
        group = self.cue.anon_group.get(head, "")
        speaker = phrase.strip(" ,")
        speaker = _COMMA_SPACE.split(speaker, maxsplit=1)[0].rstrip(".")
        speaker = _RELATIVE_SPLIT.split(speaker)[-1]  # "talks that U.S. officials"
        speaker = _LEADING_CONJUNCTIONS.sub("", speaker)
        qualified = group == "unknown" and _HEAD_QUALIFIED.match(phrase, m.end())  # "a source close to the prime minister"
        if group == "unknown" and not qualified:
            # "a Japanese government source": the country named before the noun; "the sources": an earlier source
            group = self._country_group(phrase[: m.start()]) or self._earlier_source(phrase, phrase_start) or group
        if not group or qualified:
            inside = self.mentions_in(phrase_start + m.end(), phrase_start + len(phrase)) if qualified else (
                self.mentions_in(phrase_start, phrase_start + len(phrase))
            )
            if inside:
                group = self.group(inside[-1]["actor_id"])
            elif not qualified:
                low = phrase.lower()
                group = self.reg.countries.group_in(low, "")
                if not group:
                    # another country's officials ("a senior South Korean trade official")
                    named = _CAPITALISED.search(phrase[: m.start()]) or _HEAD_QUALIFIED_NAME.match(phrase, m.end())
                    group = "other_government" if named else "unknown"
        if group in ("unknown", "") and _DEFINITE.match(phrase):
            group = self._earlier_source(phrase, phrase_start) or group  # "The senior official" again
        return Speaker(speaker, "", group, "anonymous", "")

    def _country_group(self, words: str) -> str:
        """The government group of a country named in `words` ("Japanese government" -> japan_government;
        another country's -> other_government), else ""."""
        low = words.lower()
        group = self.reg.countries.group_in(low, "")
        if group:
            return group
        named = any(w.strip(PUNCT) in self.reg.countries.adjectives for w in words.split())
        return "other_government" if named else ""

    def _earlier_source(self, phrase: str, phrase_start: int) -> str:
        """For a definite unnamed source ("the sources", "The senior official"), the group of the nearest
        unnamed source described before it with more words ("government sources", "a senior official in
        the Prime Minister's Office"; "the sources" after "several Japanese government officials"), else ""."""
        if not _DEFINITE.match(phrase):
            return ""
        text = self.text
        hits = list(self.cue.anon_re.finditer(text, max(0, phrase_start - 3000), phrase_start))
        for hit in reversed(hits[-12:]):
            if self.in_quote(hit.start()):
                continue
            line_start = text.rfind("\n", 0, hit.start()) + 1
            floor = max(line_start, hit.start() - 60)
            cut = max((k.end() for k in _SOURCE_START.finditer(text, floor, hit.start())), default=floor)
            stop = _SOURCE_STOP.search(text, hit.end(), min(len(text), hit.end() + 60))
            earlier = text[cut:stop.start() if stop else hit.end()]
            if not earlier.strip() or _DEFINITE.match(earlier):
                continue  # another definite mention: look further back
            sp = self.anonymous(earlier, cut)
            if sp is not None and sp.group not in ("unknown", ""):
                return sp.group
        return ""

    def who(self, phrase: str, start: int, cue: str, *, last: bool = True) -> Speaker | None:
        """The speaker named by a short phrase next to a cue verb ("Smith", "he", "a senior official")."""
        lead = len(phrase) - len(phrase.lstrip(" ,’'‘“”\""))
        phrase, start = phrase[lead:].rstrip(" ,’'‘“”\""), start + lead
        end = start + len(phrase)
        stripped = phrase
        low = stripped.lower()
        if not stripped:
            return None
        last_word = stripped.rsplit(None, 1)[-1]
        if last_word in _PRONOUN_SUBJECTS and last_word != stripped and not self.mentions_in(start, end):
            # "On Wednesday he", "Later she"
            start += len(stripped) - len(last_word)
            stripped, low = last_word, last_word.lower()
        if low == "they":
            joint = self.joint_subject(start)
            if joint is not None:  # "Kato and Bessent met …, where they agreed": both of them
                joint.cue = cue
                return joint
        if low in PRONOUNS:
            aid = self.resolve_pronoun(start)
            if aid:
                return Speaker(self.named(aid), aid, self.group(aid), "pronoun", cue)
            return None
        if low == "who":
            aid = self.resolve_relative(start)
            return Speaker(self.named(aid), aid, self.group(aid), "explicit", cue) if aid else None
        holder = ""
        if "’s " in stripped or "'s " in stripped or stripped[:1].isupper():
            # the role may end a longer phrase: "a day after Japan's chief tariff negotiator"
            for k in (i for i, ch in enumerate(stripped) if ch.isupper() and (i == 0 or stripped[i - 1] == " ")):
                holder = self.role_holder(stripped[k:])
                if holder:
                    break
        if holder:  # "Japan's chief tariff negotiator said": the registry person holding that role
            return Speaker(self.named(holder), holder, self.group(holder), "explicit", cue)
        definite = _DEFINITE_TITLE.fullmatch(stripped)
        if definite:  # "the minister said": the last person named with that role
            aid = self.holder_before(definite.group("head").lower(), start)
            if aid:
                return Speaker(self.named(aid), aid, self.group(aid), "explicit", cue)
            if not self.mentions_in(start, end):
                group = self.reg.countries.group_in(low, "") or self._earlier_source(stripped, start) or "unknown"
                return Speaker(stripped, "", group, "anonymous", cue)
        affiliation = _AFFILIATION_END.search(phrase) if " " in phrase else None
        if affiliation is not None:  # "Kazuto Suzuki of the University of Tokyo said": the person, not the place
            at = start + affiliation.start()
            while at > 0 and self.text[at - 1].isspace():
                at -= 1
            person = self.person_ending_at(at)
            if person:
                return Speaker(self.named(person), person, self.group(person), "explicit", cue)
        inside = self.mentions_in(start, end)
        # the head of the phrase decides: "a senior Foreign Ministry official" is anonymous
        anon = None
        maybe_anon = any(w.strip(PUNCT) in self.cue.anon_first for w in phrase.split())
        for a in self.cue.anon_re.finditer(phrase) if maybe_anon else ():
            if not any(m["char_start"] <= start + a.start() < m["char_end"] for m in inside):
                anon = a  # an unnamed-source noun not part of a name ("Foreign Ministry" is a name)
        people = [m for m in inside if self.person(m["actor_id"])]
        after_anon = [m for m in people if anon and m["char_start"] >= start + anon.end()]
        if anon and after_anon and _OF_PHRASE.match(self.text, start + anon.end(), after_anon[0]["char_start"]):
            after_anon = []  # "aides to President Trump": the person only qualifies the unnamed source
        if anon and not after_anon:
            sp = self.anonymous(phrase, start)
            if sp is not None:
                sp.cue = cue
            return sp
        if inside:
            pick = (people or inside)[-1 if last else 0]
            aid = pick["actor_id"]
            return Speaker(self.named(aid), aid, self.group(aid), "explicit", cue)
        if self.reg.speaker_alias_re is not None:
            m = self.reg.speaker_alias_re.fullmatch(stripped)
            if m:
                aid = self.reg.speaker_aliases[m.group()]
                return Speaker(stripped, aid, self.group(aid), "explicit", cue)
        return self.organisation(stripped, cue)

    def role_holder(self, phrase: str) -> str:
        """The one registry person a role description names ("Japan's chief tariff negotiator", "Tokyo's envoy
        for US tariff talks", "Japan PM"): a country, its name, capital or adjective, as owner, and a head noun
        (with the words before it) found in the person's registry role or titles; "" when none or several fit."""
        m = _DESCRIPTOR.fullmatch(phrase)
        if m is None:
            return ""
        owner = m.group("owner").lower()
        code = ""
        for c in self.reg.countries.rows:
            if owner in (c.name.lower(), c.capital.lower()) or owner in (a.lower() for a in c.adjectives):
                code = c.code
                break
        if not code:
            return ""
        head = m.group("head").lower()
        head = _ROLE_ABBREVIATIONS.get(head, head)
        if head.split()[-1] not in self.reg.title_words and head not in _ROLE_ABBREVIATIONS.values():
            return ""  # "Japan Times", "Tokyo Electric": a name, not a role
        words = [w for w in m.group("words").lower().split() if w not in _ROLE_FILLER] + head.split()
        if self._roles is None:
            self._roles = []
            titles: dict[str, list[str]] = {}
            for title, aids in self.reg.titles.items():
                for aid in aids:
                    titles.setdefault(aid, []).append(title)
            for aid, actor in self.reg.actors.items():
                if actor.kind == "person":
                    described = " | ".join([actor.role, *titles.get(aid, [])]).lower()
                    self._roles.append((aid, actor.country, described))
        fits = [
            aid for aid, country, described in self._roles
            if country == code and "former" not in described
            and all(re.search(rf"\b{re.escape(w)}\b", described) for w in words)
        ]
        return fits[0] if len(fits) == 1 else ""

    def opening_role(self, floor: int, pos: int, *, whole: bool) -> str | None:
        """The registry person a role description opening text[floor:pos] names: all of it before a cue
        (`whole`, trailing auxiliaries left out), or its first words up to a comma; None if it names none."""
        lead = self.text[floor:pos]
        if not lead[:1].isupper() or "’s " not in lead and "'s " not in lead and len(lead) > 40:
            return None  # a role description is possessive ("Japan's …") or short ("Japan tariff envoy")
        if whole:
            aux = _AUX_TAIL.search(lead)
            lead = (lead[:aux.start()] if aux else lead).strip()
            return self.role_holder(lead) or None if len(lead) <= 80 else None
        words = lead.split(",", 1)[0].split()
        for k in range(min(len(words), 9), 1, -1):
            holder = self.role_holder(" ".join(words[:k]))
            if holder:
                return holder
        return None

    def organisation(self, phrase: str, cue: str) -> Speaker | None:
        """An organisation outside the registry named by the shape of its name ("The Daiwa Institute of
        Research", "the Korea Development Institute"): id `new:<slug>`, group from data/lexicons/org_heads.csv."""
        heads = self.cue.org_heads
        if not heads:
            return None
        m = _ORG_NAME.fullmatch(phrase)
        if m is None:
            return None
        name = m.group("name")
        words = [w.strip(",") for w in name.split()]
        found = [w for w in words if w in heads]
        if not found:
            return None
        group = heads[found[0]] or self._country_group(name) or "other_government"
        slug = re.sub(r"[^a-z0-9]+", "-", name.replace(".", "").lower()).strip("-")
        return Speaker(name, "new:" + slug, group, "explicit", cue)

    def holder_before(self, head: str, pos: int) -> str:
        """The last person mentioned before `pos` whose role contains `head` ("minister", "spokeswoman")."""
        i = bisect_left(self.mention_starts, pos)
        for m in reversed(self.mentions[max(0, i - 40):i]):
            aid = m["actor_id"]
            actor = self.reg.actors.get(aid)
            role = (actor.role if actor else m.get("role", "")) or ""
            if actor is not None and actor.kind != "person":
                continue
            if head in role.lower():
                return aid
        return ""

    def appositive_subject(self, pos: int, floor: int, cue: str) -> Speaker | None:
        """The subject before an appositive or parenthetical ending in a comma ("Victor Cha, a Korea expert at …, said")."""
        aux = _AUX_TAIL.search(self.text, max(floor, pos - 40), pos)
        j = aux.start() if aux else pos
        while j > floor and self.text[j - 1] == " ":
            j -= 1
        if j <= floor or self.text[j - 1] != ",":
            return None
        m = _CLAUSE_OPEN.match(self.text, floor, j)
        if m is None:
            m = _CLAUSE_OPEN_TITLED.match(self.text, floor, j)
            if m is not None and not any(w in self.reg.title_words for w in m.group("words").split()):
                m = None
        if m is None or pos - floor > 300:
            return None
        subj = m.group("np")
        if self.in_quote(m.start("np")) or QUOTE_CHAR.search(self.text, m.start("np"), pos):
            return None
        return self.who(subj, m.start("np"), cue)

    def subject_before(self, pos: int, floor: int, cue: str, immediate: bool) -> Speaker | None:
        """The subject of a cue at `pos`: the word(s) just before it, else the nearest person before it."""
        if self.in_quote(floor):  # a sentence that opens inside a quotation: its speaker is named where it opened
            opened = self.doc.sentence_at(self.spans[bisect_right(self.span_starts, floor) - 1][0])
            if opened is not None:
                floor = opened.char_start
        key = (pos, floor, cue, immediate)
        if key not in self.subjects:
            self.subjects[key] = self._subject_before(pos, floor, cue, immediate)
        found = self.subjects[key]
        return Speaker(found.speaker, found.actor_id, found.group, found.attribution, found.cue) if found else None

    def _subject_before(self, pos: int, floor: int, cue: str, immediate: bool) -> Speaker | None:
        opening = self.opening_role(floor, pos, whole=True)
        if opening is not None:  # "Tokyo's envoy for US tariff talks in Washington said …"
            return Speaker(self.named(opening), opening, self.group(opening), "explicit", cue)
        near_floor = max(floor, pos - 90)
        head = self.text[near_floor:pos]
        par = _PARENTHETICAL.search(head)
        if par:  # "Goldberg, for his part, said"; "the ambassador, Shigeo Yamada, told"
            inner_start = near_floor + par.start("inner")
            named = [m for m in self.mentions_in(inner_start, near_floor + par.end("inner")) if self.person(m["actor_id"])]
            if len(named) == 1 and named[0]["char_start"] == inner_start:
                aid = named[0]["actor_id"]
                return Speaker(self.named(aid), aid, self.group(aid), "explicit", cue)
            head = head[:par.start()] + " " + par.group("aux")
        near = _near_subject(head)
        if near:
            sp = self.who(head[near[0]:near[1]], near_floor + near[0], cue)
            if sp:
                return sp
        appos = self.appositive_subject(pos, floor, cue)
        if appos is not None:
            return appos
        if immediate:
            return None
        people = [m for m in self.mentions_in(floor, pos) if self.person(m["actor_id"])]
        head = self.text[floor:pos]
        pron = [p for p in HE_SHE.finditer(head) if not self.in_quote(floor + p.start())]
        # ", saying …": the subject of the clause, not a person it names later ("Hayashi responded to Trump's remarks, saying")
        subjects = [m for m in people if self.subject_like(m)] if self.text[floor:pos].rstrip().endswith(",") else []
        best_m = subjects[-1] if subjects else people[-1] if people else None
        best_p = pron[-1] if pron else None
        if best_p is not None and (best_m is None or floor + best_p.start() > best_m["char_start"]):
            aid = self.resolve_pronoun(floor + best_p.start())
            return Speaker(self.named(aid), aid, self.group(aid), "pronoun", cue) if aid else None
        if best_m is not None:
            aid = best_m["actor_id"]
            return Speaker(self.named(aid), aid, self.group(aid), "explicit", cue)
        opening = self.opening_role(floor, pos, whole=False)
        if opening is not None:  # "Tokyo's envoy … has left for Washington, saying …"
            return Speaker(self.named(opening), opening, self.group(opening), "explicit", cue)
        opener = _DEFINITE_START.match(self.text, floor, pos)  # "The minister was …, branding …"
        if opener:
            return self.who(opener.group("np"), opener.start("np"), cue)
        return None


def quote_row(doc: Document, qid: int, s: int, e: int, kind: str, sp: Speaker, sentence_id: int) -> Row:
    return {
        "article_id": doc.article_id, "quote_id": qid, "char_start": s, "char_end": e, "text": doc.text[s:e],
        "kind": kind, "speaker": sp.speaker, "actor_id": sp.actor_id, "speaker_group": sp.group,
        "cue": sp.cue, "attribution": sp.attribution, "sentence_id": sentence_id,
    }


QUOTE_CHAR = re.compile(r"[“”\"]")


_CLAIM_AGENT = re.compile(r"\s+(?:by|from)\s+((?:[^,.;:“”\"]|\.(?=\S)|(?<=\b[A-Z])\.|(?<=\bM[rs])\.|(?<=\bMrs)\.|(?<=\bDr)\.){1,70}?)(?=\s+(?:that|to|for|of)\b|[,;:]|(?<!\b[A-Z])(?<!\bM[rs])(?<!\bMrs)(?<!\bDr)\.(?!\S)|$)")
_CLAIM_PRONOUN = re.compile(r"\s+(?P<pron>he|she|they)\s+(?:has|had|holds|held|made|makes)\b")


def claim_owner(ctx: Context, string: str, base: int, m: re.Match[str]) -> Speaker | None:
    """Whose claim a claim noun is: "Trump's claims", "his gripes", "the view he has"."""
    noun = m.group()
    pos = ctx.cue.possessor_re.search(string, max(0, m.start() - 80), m.start())
    if pos:
        pos_text = pos.group("pos")
        if pos_text.lower() in ("his", "her", "their", "its"):
            aid = ctx.resolve_pronoun(base + pos.start("pos"))
            return Speaker(ctx.named(aid), aid, ctx.group(aid), "pronoun", noun) if aid else None
        return ctx.who(POSSESSIVE_END.sub("", pos_text), base + pos.start("pos"), noun)
    agent = _CLAIM_AGENT.match(string, m.end())
    if agent:  # "a suggestion by Treasury Secretary Scott Bessent that …"
        sp = ctx.who(agent.group(1), base + agent.start(1), noun)
        if sp:
            return sp
    pron = _CLAIM_PRONOUN.match(string, m.end())
    if pron:
        aid = ctx.resolve_pronoun(base + pron.start("pron"))
        return Speaker(ctx.named(aid), aid, ctx.group(aid), "pronoun", noun) if aid else None
    return None


def noun_phrase(phrase: str) -> str:
    """The noun phrase at the start of a speaker slot: up to an appositive comma or a time phrase."""
    return NP_END.split(phrase, maxsplit=1)[0]




class At:
    """A stand-in match that only knows where it starts."""

    def __init__(self, start: int):
        self._start = start

    def start(self) -> int:
        return self._start


class Shift:
    """A match on a slice, with offsets moved back into the slice's coordinates."""

    def __init__(self, m: re.Match[str], base: int):
        self._m, self._base = m, base

    def group(self) -> str:
        return self._m.group()

    def start(self) -> int:
        return self._m.start() - self._base

    def end(self) -> int:
        return self._m.end() - self._base
