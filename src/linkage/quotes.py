"""Quotes (direct, partial, term, indirect) with speaker attribution. Issue 3.

The attribution rules, in the order they are tried, are documented in the README (Method: actors and
quotes). Cue verbs, claim nouns and anonymous-source nouns come from data/lexicons/speech_cues.csv.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from .actors import AFFILIATION, Registry, left_boundary, registry, trie_pattern
from .corpus import CONTENT_ROLES, Document
from .resources import Resources

__all__ = ["Cues", "cues", "find_quote_spans", "extract"]

Row = dict[str, Any]

_SUBORDINATE_BEFORE = frozenset(
    ["after", "before", "when", "while", "as", "since", "because", "if", "until", "than", "with", "by", "to", "for", "from", "of", "at", "on", "in", "about", "against"]
)
_VERB_AFTER = re.compile(
    r"(?:,\s*[^,]{1,40},)?\s+(?:(?:\w+ly|also|then|has|have|had|was|is|will|would|could|may|might|must|should|did|does)\s+)*"
    r"([a-z]+)"
)
_AFTER_SENTENCE_END = re.compile(r"[a-z][.?!][”’\"']?\s+$")
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
_NEAR_AUX = re.compile(r"\w+ly|also|has|have|had|will|would|was|is|were|later|then|again|been|long")


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
_PREP_FILLER = re.compile(
    r"\s+(?:(?:in|on|at|during|to|with|after|before|for|last|this|earlier|late|from)\s+[^,;:“”\"]*?)?$"
)
"""Between a cue verb and "that": only prepositional or time phrases ("said in a speech in Tokyo on May 7 that")."""
_HEAD_QUALIFIED = re.compile(r"\s+(?:at|of|in|from|to|with|for|close\s+to)\s")
_HEAD_QUALIFIED_NAME = re.compile(r"\s+(?:at|of|in|from|with|for)\s+(?:the\s+)?[A-Z][a-z]")
_PRONOUN_SUBJECTS = frozenset({"he", "she", "they", "He", "She", "They"})
_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
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
_ACCORDING_SLOT = re.compile(r"\s*([^,.;:“”\"]{1,60})")
_POSSESSIVE_END = re.compile(r"(?:’s|'s|’|')$")
_NP_END = re.compile(r",|\s+(?:on|in|at|during|before|after|last|this|when)\s")
_HE_SHE = re.compile(r"(?<![\w-])(?:he|she|He|She)(?![\w-])")
_MARKS = re.compile(r"[“”\"‘’'](?<!\w[’'](?=\w))")
"""Quotation marks; an apostrophe inside a word ("Japan’s", "don't") is never one."""
_WORDS = re.compile(r"[\w’'-]+")
_NOT_SUBJECT_NEXT = frozenset(
    ["to", "in", "of", "and", "or", "for", "at", "on", "with", "from", "by", "as", "about", "the", "a", "an", "into", "than", "that", "which", "who", "whom", "whose"]
)
_DEMONYMS = {
    "japanese": "japan_government", "japan": "japan_government", "tokyo": "japan_government",
    "u.s.": "us_government", "us": "us_government", "american": "us_government",
    "washington": "us_government", "white house": "us_government", "pentagon": "us_government",
    "administration": "us_government",
}
_DEMONYM_RES = [(re.compile(rf"(?<![\w.]){re.escape(w)}(?![\w])"), g) for w, g in _DEMONYMS.items()]


def _demonym_group(low: str, default: str) -> str:
    """The group of the first demonym or capital named in lowercase `low` ("japanese" -> japan_government), else `default`."""
    return next((g for pattern, g in _DEMONYM_RES if pattern.search(low)), default)


@dataclass
class Cues:
    """Speech cues compiled from the lexicon."""

    verb_re: re.Pattern[str]
    participles: frozenset[str]
    noun_re: re.Pattern[str]
    possessor_re: re.Pattern[str]
    anon_re: re.Pattern[str]
    anon_group: dict[str, str]
    trailing_re: re.Pattern[str]
    inverted_re: re.Pattern[str]
    comma_cue_re: re.Pattern[str]
    verb_words: frozenset[str] = frozenset()
    noun_words: frozenset[str] = frozenset()
    cue_tokens: frozenset[str] = frozenset()
    anon_first: frozenset[str] = frozenset()
    token_words: dict[str, str] = field(default_factory=dict)
    """Each cue token form -> the cue word it spells."""

    def __post_init__(self) -> None:
        self.cue_tokens = _token_forms(self.verb_words | self.noun_words)
        self.token_words = {t: t.strip(_PUNCT) for t in self.cue_tokens}

    def verbs(self, text: str, start: int, end: int) -> list[re.Match[str]]:
        """Cue verbs in text[start:end] that start a word."""
        return [m for m in self.verb_re.finditer(text, start, end) if left_boundary(text, m.start())]


def _cased(words: list[str]) -> list[str]:
    return [w for word in words for w in (word, word[:1].upper() + word[1:])]


def _compile(res: Resources) -> Cues:
    rows = res.csv("lexicons/speech_cues.csv", required=("form", "type"))
    verbs = [r["form"] for r in rows if r["type"] in ("verb", "participle", "according")]
    participles = frozenset(r["form"] for r in rows if r["type"] == "participle")
    nouns = [r["form"] for r in rows if r["type"] == "noun"]
    anon = {r["form"]: r.get("group", "") for r in rows if r["type"] == "anonymous"}
    verb = trie_pattern(_cased(verbs))
    verb_words = {f.split()[0].lower() for f in verbs}
    noun_words = {n.lower() for n in nouns} | {n.lower() + "s" for n in nouns}
    return Cues(
        verb_words=frozenset(verb_words | {w.capitalize() for w in verb_words}),
        noun_words=frozenset(noun_words | {w.capitalize() for w in noun_words}),
        verb_re=re.compile(rf"(?:{verb})(?![\w-])"),
        participles=participles,
        noun_re=re.compile(rf"(?:{trie_pattern(nouns)})s?(?![\w-])"),
        # whose claim: "Trump's", "the Trump administration's", "his" (+ up to three words) before the noun
        possessor_re=re.compile(
            r"(?P<pos>(?<![\w-])(?:his|her|their|its)|[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*(?:\s+[a-z]+)?(?:’s|'s|’|'))"
            r"\s+(?:[\w-]+\s+){0,3}$"
        ),
        anon_re=re.compile(rf"(?<![\w-])(?:{trie_pattern(_cased(list(anon)))})(?![\w-])"),
        anon_group={k.lower(): v for k, v in anon.items()},
        anon_first=frozenset(w for form in _cased(list(anon)) for w in form.split()[:1]),
        # “…,” WHO CUE   /   “…,” CUE WHO
        trailing_re=re.compile(
            rf"\s*(?P<who>[^,;:?!“”\"—]{{1,90}}?(?:,[^,;:?!“”\"—]{{1,70}},)?)\s+(?:(?:also|then|later)\s+)?"
            rf"(?P<cue>{verb})(?![\w-])"
        ),
        inverted_re=re.compile(rf"\s*(?P<cue>{verb})\s+(?P<who>[^,;:?!“”\"—(]{{1,90}})"),
        comma_cue_re=re.compile(rf",\s+(?P<cue>{verb})\s+(?P<who>[^,.;“”\"]{{1,60}})(?=[,.;]|$)"),
    )


def cues(res: Resources) -> Cues:
    """The compiled cue lexicon for this build."""
    return res.memo("quotes.cues", lambda: _compile(res))


def find_quote_spans(text: str, start: int, end: int, role: str) -> list[tuple[int, int, str]]:
    """Quoted spans in text[start:end] as (first char inside, end inside, mark).

    Double quotes (curly or straight) pair up; single quotes count as quotation marks when they open
    after a space or line start and close before a non-letter, outside a double quotation (nested
    single quotes stay part of the outer quotation). An unclosed double quotation runs to the block end.
    """
    spans: list[tuple[int, int, str]] = []
    open_pos, open_mark = -1, ""
    straight_inside = -1  # a straight " inside a curly quotation: nested, unless no ” ever closes it
    for m in _MARKS.finditer(text, start, end):
        pos, ch = m.start(), m.group()
        prev = text[pos - 1] if pos > start else " "
        nxt = text[pos + 1] if pos + 1 < end else " "
        if open_mark == "“" and ch == '"':
            if straight_inside < 0 and not prev.isspace():
                straight_inside = pos
            continue
        if open_mark in ("“", '"'):
            if ch == "”" or (ch == '"' and open_mark == '"') or ch == "“" and not prev.isspace():
                spans.append((open_pos + 1, pos, open_mark))
                open_pos, open_mark, straight_inside = -1, "", -1
            continue
        if open_mark in ("‘", "'"):
            if ch in "’'" and not prev.isspace() and not (nxt.isalnum()):
                spans.append((open_pos + 1, pos, open_mark))
                open_pos, open_mark = -1, ""
            elif ch in "“\"" and (prev.isspace() or prev in "(—[") and not nxt.isspace():
                open_pos, open_mark = pos, ch
            continue
        if ch in "“\"" and not nxt.isspace() and (ch == "“" or prev.isspace() or prev in "(—[-:," or pos == start) or ch in "‘'" and (prev.isspace() or prev in "(—[" or pos == start) and nxt.isalpha():
            open_pos, open_mark = pos, ch
    if open_mark == "“" and straight_inside >= 0:
        spans.append((open_pos + 1, straight_inside, open_mark))  # “… closed by a straight quote
    elif open_mark in ("“", '"') and open_pos >= 0:
        stop = end
        while stop > open_pos + 1 and text[stop - 1].isspace():
            stop -= 1
        spans.append((open_pos + 1, stop, open_mark + "…"))  # unclosed: runs to the paragraph end
    out = []
    for s, e, mark in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e, mark))
    return out


_PUNCT = ",.:;!?“”\"‘’'()[]—–/"
_TOKEN_PREFIXES = ("", "“", "\"", "‘", "(", "—")
_TOKEN_SUFFIXES = ("", ",", ".", ":", ";", "!", "?", "”", "\"", "’", "'", ",”", ".”", ",\"", ".\"", ")", "),", ").", "—")


def _token_forms(words: frozenset[str]) -> frozenset[str]:
    """The words as whitespace-separated tokens may spell them, with punctuation attached."""
    return frozenset(p + w + s for w in words for p in _TOKEN_PREFIXES for s in _TOKEN_SUFFIXES)


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


@dataclass
class _Speaker:
    speaker: str
    actor_id: str
    group: str
    attribution: str
    cue: str


class _Context:
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
        self.subjects: dict[tuple[int, int, str, bool], _Speaker | None] = {}
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
        while sid >= 0 and sent.sentence_id - sid <= 5:
            s = self.doc.sentences[sid]
            stop = pos if first else s.char_end
            people = [
                m for m in self.mentions_in(s.char_start, stop)
                if self.person(m["actor_id"]) and self.gender(m["actor_id"]) in ("", wanted or self.gender(m["actor_id"]))
            ]
            if people:
                subj = [m for m in people if self.subject_like(m)]
                return (subj or people)[0]["actor_id"]
            sid -= 1
            first = False
        return ""

    def resolve_relative(self, pos: int) -> str:
        """Actor a relative `who` at `pos` refers to: the nearest mention before it in the sentence."""
        sent = self.doc.sentence_at(pos)
        if sent is None:
            return ""
        before = [m for m in self.mentions_in(sent.char_start, pos)]
        return before[-1]["actor_id"] if before else ""

    def anonymous(self, phrase: str, phrase_start: int) -> _Speaker | None:
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
        if not group or qualified:
            inside = self.mentions_in(phrase_start + m.end(), phrase_start + len(phrase)) if qualified else (
                self.mentions_in(phrase_start, phrase_start + len(phrase))
            )
            if inside:
                group = self.group(inside[-1]["actor_id"])
            elif not qualified:
                low = phrase.lower()
                group = _demonym_group(low, "")
                if not group:
                    # another country's officials ("a senior South Korean trade official")
                    named = _CAPITALISED.search(phrase[: m.start()]) or _HEAD_QUALIFIED_NAME.match(phrase, m.end())
                    group = "other_government" if named else "unknown"
        return _Speaker(speaker, "", group, "anonymous", "")

    def who(self, phrase: str, start: int, cue: str, *, last: bool = True) -> _Speaker | None:
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
        if low in _PRONOUNS:
            aid = self.resolve_pronoun(start)
            if aid:
                return _Speaker(self.named(aid), aid, self.group(aid), "pronoun", cue)
            return None
        if low == "who":
            aid = self.resolve_relative(start)
            return _Speaker(self.named(aid), aid, self.group(aid), "explicit", cue) if aid else None
        definite = _DEFINITE_TITLE.fullmatch(stripped)
        if definite:  # "the minister said": the last person named with that role
            aid = self.holder_before(definite.group("head").lower(), start)
            if aid:
                return _Speaker(self.named(aid), aid, self.group(aid), "explicit", cue)
            if not self.mentions_in(start, end):
                group = _demonym_group(low, "unknown")
                return _Speaker(stripped, "", group, "anonymous", cue)
        affiliation = _AFFILIATION_END.search(phrase) if " " in phrase else None
        if affiliation is not None:  # "Kazuto Suzuki of the University of Tokyo said": the person, not the place
            at = start + affiliation.start()
            while at > 0 and self.text[at - 1].isspace():
                at -= 1
            person = self.person_ending_at(at)
            if person:
                return _Speaker(self.named(person), person, self.group(person), "explicit", cue)
        inside = self.mentions_in(start, end)
        # the head of the phrase decides: "a senior Foreign Ministry official" is anonymous
        anon = None
        maybe_anon = any(w.strip(_PUNCT) in self.cue.anon_first for w in phrase.split())
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
            return _Speaker(self.named(aid), aid, self.group(aid), "explicit", cue)
        if self.reg.speaker_alias_re is not None:
            m = self.reg.speaker_alias_re.fullmatch(stripped)
            if m:
                aid = self.reg.speaker_aliases[m.group()]
                return _Speaker(stripped, aid, self.group(aid), "explicit", cue)
        return None

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

    def appositive_subject(self, pos: int, floor: int, cue: str) -> _Speaker | None:
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
        if self.in_quote(m.start("np")) or _QUOTE_CHAR.search(self.text, m.start("np"), pos):
            return None
        return self.who(subj, m.start("np"), cue)

    def subject_before(self, pos: int, floor: int, cue: str, immediate: bool) -> _Speaker | None:
        """The subject of a cue at `pos`: the word(s) just before it, else the nearest person before it."""
        key = (pos, floor, cue, immediate)
        if key not in self.subjects:
            self.subjects[key] = self._subject_before(pos, floor, cue, immediate)
        found = self.subjects[key]
        return _Speaker(found.speaker, found.actor_id, found.group, found.attribution, found.cue) if found else None

    def _subject_before(self, pos: int, floor: int, cue: str, immediate: bool) -> _Speaker | None:
        near_floor = max(floor, pos - 90)
        head = self.text[near_floor:pos]
        par = _PARENTHETICAL.search(head)
        if par:  # "Goldberg, for his part, said"; "the ambassador, Shigeo Yamada, told"
            inner_start = near_floor + par.start("inner")
            named = [m for m in self.mentions_in(inner_start, near_floor + par.end("inner")) if self.person(m["actor_id"])]
            if len(named) == 1 and named[0]["char_start"] == inner_start:
                aid = named[0]["actor_id"]
                return _Speaker(self.named(aid), aid, self.group(aid), "explicit", cue)
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
        pron = [p for p in _HE_SHE.finditer(head) if not self.in_quote(floor + p.start())]
        best_m = people[-1] if people else None
        best_p = pron[-1] if pron else None
        if best_p is not None and (best_m is None or floor + best_p.start() > best_m["char_start"]):
            aid = self.resolve_pronoun(floor + best_p.start())
            return _Speaker(self.named(aid), aid, self.group(aid), "pronoun", cue) if aid else None
        if best_m is not None:
            aid = best_m["actor_id"]
            return _Speaker(self.named(aid), aid, self.group(aid), "explicit", cue)
        opener = _DEFINITE_START.match(self.text, floor, pos)  # "The minister was …, branding …"
        if opener:
            return self.who(opener.group("np"), opener.start("np"), cue)
        return None


def extract(doc: Document, res: Resources) -> dict[str, list[dict[str, Any]]]:
    """Find quotations and reported speech and attribute each to a speaker."""
    reg = registry(res)
    cue = cues(res)
    text = doc.text
    found: list[tuple[int, int, str, str]] = []  # inner start, inner end, mark, block role
    for block in doc.blocks:
        if block.role not in CONTENT_ROLES:
            continue
        for s, e, mark in find_quote_spans(text, block.char_start, block.char_end, block.role):
            found.append((s, e, mark, block.role))
    spans = [(s - 1, e + 1) for s, e, _m, _r in found]
    ctx = _Context(doc, reg, cue, spans)
    rows: list[Row] = []
    prev: tuple[int, _Speaker, int] | None = None  # block_id, speaker, sentence_id of the last attributed quote
    unclosed: list[tuple[int, int]] = []  # (row index, block id) of quotations running to the paragraph end
    for s, e, mark, role in found:
        sent = doc.sentence_at(s)
        end_sent = doc.sentence_at(e - 1) or sent
        if sent is None:
            continue
        block_id = sent.block_id
        open_pos, close_pos = s - 1, e
        while close_pos < len(text) and text[close_pos] not in "”\"’'":
            if close_pos >= end_sent.char_end:
                break
            close_pos += 1
        left = text[sent.char_start:open_pos]
        right_start = min(close_pos + 1, end_sent.char_end)
        right = text[right_start:end_sent.char_end]
        quoted = text[s:e]
        left_end = len(left.rstrip())
        colon = left_end > 0 and left[left_end - 1] == ":"
        leading = _leading_cue(ctx, sent.char_start, left)
        standalone = (
            not left.strip(" “‘\"'(—") or colon or leading is not None
            # a sentence the splitter did not cut off (the match can only start 2 or 3 characters before the trailing space)
            or bool(_AFTER_SENTENCE_END.search(left, max(0, left_end - 3)))
            # "Ishiba said “We will protect our farmers.”": a whole sentence right after a speech verb
            or (quoted[:1].isupper() and quoted.rstrip(" ”’\"'")[-1:] in ".?!" and _bare_cue(ctx, sent.char_start, left))
        )
        # the second half of a quotation split by its attribution ("“We are ready,” Iwaya said, “but …”")
        resumed = standalone and prev is not None and prev[2] == sent.sentence_id and rows and rows[-1]["kind"] == "direct"
        direct = standalone and (quoted[:1].isupper() or quoted[:1].isdigit() or resumed)
        speaker = _attribute(ctx, e, right_start, left, right, sent, leading)
        if speaker is None and colon:
            speaker = _colon_speaker(ctx, left, sent.char_start, role)
        # “…,” wrote the Asahi Shimbun: attributed to someone we cannot resolve, so not to the last speaker either
        direct_unknown = speaker is None and direct and _speaker_named_after(ctx, right)
        if speaker is None and prev is not None and direct and prev[0] == block_id and not direct_unknown:
            sp = prev[1]
            speaker = _Speaker(sp.speaker, sp.actor_id, sp.group, "continued", sp.cue)
        if speaker is None and direct and not direct_unknown:
            speaker = _previous_subject(ctx, sent)
        if speaker is None and prev is not None and direct and prev[0] in (block_id - 1, block_id - 2) and not direct_unknown:
            sp = prev[1]
            speaker = _Speaker(sp.speaker, sp.actor_id, sp.group, "continued", sp.cue)
        if speaker is None and prev is not None and not direct and prev[2] == sent.sentence_id:
            sp = prev[1]
            speaker = _Speaker(sp.speaker, sp.actor_id, sp.group, "continued", sp.cue)
        if speaker is None and role in ("headline", "subhead"):
            people = [m for m in ctx.mentions_in(sent.char_start, sent.char_end) if ctx.person(m["actor_id"])]
            if people:
                aid = people[0]["actor_id"]
                speaker = _Speaker(ctx.named(aid), aid, ctx.group(aid), "explicit", "")
        if direct:
            kind = "direct"
        elif speaker is not None:
            kind = "partial"
        else:
            kind = "term"
        if speaker is not None:
            prev = (block_id, speaker, sent.sentence_id)
        sp = speaker or _Speaker("", "", "", "", "")
        if mark.endswith("…") and (speaker is None or speaker.attribution == "continued"):
            unclosed.append((len(rows), block_id))
        rows.append(_row(doc, len(rows), s, e, kind, sp, sent.sentence_id))
        rows[-1]["_block"] = block_id
    # a quotation left open at a paragraph end is continued by the next paragraph's quotation
    for index, block_id in reversed(unclosed):
        nxt = rows[index + 1] if index + 1 < len(rows) else None
        if nxt is not None and nxt["_block"] == block_id + 1 and nxt["attribution"]:
            for key in ("speaker", "actor_id", "speaker_group", "cue"):
                rows[index][key] = nxt[key]
            rows[index]["attribution"] = "continued"
    for row in rows:
        row.pop("_block", None)
    seen = set()
    for row in _indirect(ctx, len(rows)):
        if (row["char_start"], row["char_end"]) not in seen:
            seen.add((row["char_start"], row["char_end"]))
            rows.append(row)
    rows.sort(key=lambda r: r["char_start"])
    for i, row in enumerate(rows):
        row["quote_id"] = i
    return {"quotes": rows}


def _row(doc: Document, qid: int, s: int, e: int, kind: str, sp: _Speaker, sentence_id: int) -> Row:
    return {
        "article_id": doc.article_id, "quote_id": qid, "char_start": s, "char_end": e, "text": doc.text[s:e],
        "kind": kind, "speaker": sp.speaker, "actor_id": sp.actor_id, "speaker_group": sp.group,
        "cue": sp.cue, "attribution": sp.attribution, "sentence_id": sentence_id,
    }


_CUE_FILLER = re.compile(
    r"(?:\s+(?:reporters|journalists|lawmakers|legislators|parliament|(?:the\s+|The\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}))?"
    r"(?:\s+(?:in|on|at|during|to|with|after|before|for|last|this|earlier|late|from)\s+[^,;:“”\"]*?)?\s*"
)
"""After a cue and before the comma that opens a quotation: whom it was told to, where and when
("told The Yomiuri Shimbun, “…”", "emphasized at a plenary session on Monday, “…”")."""

_DIRECT_CUES = frozenset({
    "said", "says", "say", "told", "added", "wrote", "writes", "replied", "answered", "asked", "declared", "stated",
    "tweeted", "posted", "insisted", "warned",
})


def _bare_cue(ctx: _Context, base: int, left: str) -> bool:
    """Whether the text before a quotation ends with a speech verb and no punctuation ("… said “…”")."""
    if not left[-1:].isspace():
        return False
    end = base + len(left.rstrip())
    found = ctx.verbs(max(base, end - 15), end)
    return bool(found) and found[-1].end() == end and found[-1].group().lower() in _DIRECT_CUES


def _leading_cue(ctx: _Context, base: int, left: str) -> _Shift | None:
    """A cue verb ending the text before a quotation, before a comma or colon ("Ishiba asserted, “…”")."""
    stripped = left.rstrip()
    if not stripped.endswith((",", ":")):
        return None
    stripped = stripped[:-1].rstrip()
    end = base + len(stripped)
    found = ctx.verbs(max(base, end - 110), end)
    if not found:
        return None
    v = found[-1]
    if v.end() == end or _CUE_FILLER.fullmatch(ctx.text, v.end(), end):
        return _Shift(v, base)
    return None


def _inside(hits: list[re.Match[str]], starts: list[int], reach: list[int], start: int, end: int) -> list[re.Match[str]]:
    """The hits (sorted by start; `reach[k]` = the largest end among hits[:k + 1]) lying inside [start, end)."""
    i = bisect_left(starts, start)
    j = bisect_left(starts, end, i)
    if i == j:
        return []
    if reach[j - 1] <= end:
        return hits[i:j]
    return [m for m in hits[i:j] if m.end() <= end]


def _speaker_named_after(ctx: _Context, right: str) -> bool:
    """Whether the words right after a quotation attribute it in place: a cue verb, then a short phrase
    ("…,” wrote the Asahi Shimbun"), or a short phrase, then a cue verb ("…,” the newspaper said")."""
    cue = ctx.cue
    m = cue.inverted_re.match(right)
    if m is None:
        m = cue.trailing_re.match(right)
        if m is None or m.start("cue") > 40:
            return False
    words = m.group("who").split()
    # a pronoun ("…,” he said) may well be the last speaker: leave it to the continuation rules
    return bool(words) and words[0][:1].isalpha() and words[0].lower() not in _PRONOUNS


def _attribute(
    ctx: _Context, e: int, right_start: int, left: str, right: str, sent: Any, leading: _Shift | None
) -> _Speaker | None:
    """Apply the attribution rules in order; None when no rule names a speaker. `leading` is _leading_cue of `left`."""
    cue = ctx.cue
    near = ctx.verbs(right_start, right_start + min(len(right), 260))  # no cue close after it: R1 cannot apply
    # R1 trailing: “…,” Smith said / “…,” said a senior official
    m = cue.trailing_re.match(right) if near else None
    if m and not ctx.verbs(right_start + m.start("who"), right_start + m.end("who")):
        sp = ctx.who(m.group("who"), right_start + m.start("who"), m.group("cue"))
        if sp:
            return sp
    m = cue.inverted_re.match(right) if near and not right[:near[0].start() - right_start].strip() else None
    if m:
        sp = ctx.who(_np(m.group("who")), right_start + m.start("who"), m.group("cue"), last=False)
        if sp:
            return sp
    # R2 leading: Ishiba asserted, “…”
    base = sent.char_start
    if leading:
        sp = ctx.subject_before(base + leading.start(), base, leading.group(), immediate=False)
        if sp:
            return sp
    # R3 woven quotes: the nearest evidence before the quote in its sentence
    best: tuple[int, _Speaker] | None = None
    for hit in ctx.nouns(base, base + len(left)):
        m = _Shift(hit, base)
        sp = _claim_owner(ctx, left, base, m)
        if sp and (best is None or m.end() >= best[0]):
            best = (m.end(), sp)
    for hit in ctx.verbs(base, base + len(left)):
        m = _Shift(hit, base)
        word = m.group()
        lowered = word.lower()
        sp = None
        if lowered.startswith("according"):
            after = _ACCORDING_SLOT.match(left[m.end():])
            if after:
                sp = ctx.who(after.group(1), base + m.end() + after.start(1), word)
        else:
            if left[:m.start()].rstrip().endswith(","):  # "…, said Schoff, by …"
                inv = _SLOT_TO_PUNCT.match(ctx.text, base + m.end(), sent.char_end)
                if inv:
                    sp = ctx.who(_np(inv.group(1)), inv.start(1), word, last=False)
            agent = _BY_AGENT.match(ctx.text, base + m.end(), sent.char_end)
            if sp is None and agent:  # "described by one diplomat as “…”"
                sp = ctx.who(agent.group(1), agent.start(1), word)
            if sp is None:
                sp = ctx.subject_before(base + m.start(), base, word, immediate=lowered not in cue.participles)
        if sp and (best is None or m.end() >= best[0]):
            best = (m.end(), sp)
    if best is not None:
        return best[1]
    # R4: attribution later in the sentence (“give” Trump things … “and let him …,” Schoff suggested)
    text = ctx.text
    for m in _CLOSE_MARK.finditer(text, e, sent.char_end):
        t = cue.trailing_re.match(text, m.end(), sent.char_end)
        if t and not ctx.verbs(t.start("who"), t.end("who")):
            sp = ctx.who(t.group("who"), t.start("who"), t.group("cue"))
            if sp:
                return sp
    for m in ctx.verbs(e, sent.char_end):
        if m.group().lower().startswith("according") or text[e:m.start()].rstrip().endswith(","):
            after = _SLOT_TO_PUNCT.match(text, m.end(), sent.char_end)
            if after:
                sp = ctx.who(_np(after.group(1)), after.start(1), m.group(), last=False)
                if sp:
                    return sp
    return None


_BY_AGENT = re.compile(r"\s+by\s+([^,.;:“”\"]{1,60}?)(?=\s+as\b|[,.;:]|$)")
_HEADLINE_SPEAKER = re.compile(r"^\s*(?P<who>[^:“”\"‘]{2,40}):\s*$")


def _previous_subject(ctx: _Context, sent: Any) -> _Speaker | None:
    """The person the sentence before a bare quotation is about ("Bessent was blunt. “The clock is running.”")."""
    doc = ctx.doc
    sid = sent.sentence_id - 1
    if sid < 0 or ctx.in_quote(doc.sentences[sid].char_start):
        return None
    before = doc.sentences[sid]
    if before.block_id < sent.block_id - 1:
        return None
    people = [m for m in ctx.mentions_in(before.char_start, before.char_end) if ctx.person(m["actor_id"])]
    subject = [m for m in people if ctx.subject_like(m)]
    if not subject:
        return None
    aid = subject[0]["actor_id"]
    return _Speaker(ctx.named(aid), aid, ctx.group(aid), "continued", "")


def _colon_speaker(ctx: _Context, left: str, base: int, role: str) -> _Speaker | None:
    """Speaker of a quotation introduced by a colon: the clause subject ("Kato put it bluntly: “…”")."""
    if role == "headline":
        m = _HEADLINE_SPEAKER.match(left)
        if m:
            sp = ctx.who(m.group("who"), base + m.start("who"), ":")
            if sp:
                return sp
            group = _demonym_group(m.group("who").lower(), "")
            return _Speaker(m.group("who").strip(), "", group, "explicit", ":")
    people = [m for m in ctx.mentions_in(base, base + len(left)) if ctx.person(m["actor_id"])]
    subject = [m for m in people if ctx.subject_like(m)]
    if subject or people:
        aid = (subject or people)[0]["actor_id"]
        return _Speaker(ctx.named(aid), aid, ctx.group(aid), "explicit", ":")
    he = _HE_SHE.search(left)
    if he:
        aid = ctx.resolve_pronoun(base + he.start())
        if aid:
            return _Speaker(ctx.named(aid), aid, ctx.group(aid), "pronoun", ":")
    return ctx.anonymous(left, base) if ctx.cue.anon_re.search(left) else None


_SLOT_TO_PUNCT = re.compile(r"\s+([^,.;:“”\"]{1,60})(?=[,.;:]|$)")
_CLOSE_MARK = re.compile(r"[”\"’']\s*")
_CLAIM_AGENT = re.compile(r"\s+(?:by|from)\s+((?:[^,.;:“”\"]|\.(?=\S)|(?<=\b[A-Z])\.|(?<=\bM[rs])\.|(?<=\bMrs)\.|(?<=\bDr)\.){1,70}?)(?=\s+(?:that|to|for|of)\b|[,;:]|(?<!\b[A-Z])(?<!\bM[rs])(?<!\bMrs)(?<!\bDr)\.(?!\S)|$)")
_CLAIM_PRONOUN = re.compile(r"\s+(?P<pron>he|she|they)\s+(?:has|had|holds|held|made|makes)\b")


def _claim_owner(ctx: _Context, string: str, base: int, m: re.Match[str]) -> _Speaker | None:
    """Whose claim a claim noun is: "Trump's claims", "his gripes", "the view he has"."""
    noun = m.group()
    pos = ctx.cue.possessor_re.search(string, max(0, m.start() - 80), m.start())
    if pos:
        pos_text = pos.group("pos")
        if pos_text.lower() in ("his", "her", "their", "its"):
            aid = ctx.resolve_pronoun(base + pos.start("pos"))
            return _Speaker(ctx.named(aid), aid, ctx.group(aid), "pronoun", noun) if aid else None
        return ctx.who(_POSSESSIVE_END.sub("", pos_text), base + pos.start("pos"), noun)
    agent = _CLAIM_AGENT.match(string, m.end())
    if agent:  # "a suggestion by Treasury Secretary Scott Bessent that …"
        sp = ctx.who(agent.group(1), base + agent.start(1), noun)
        if sp:
            return sp
    pron = _CLAIM_PRONOUN.match(string, m.end())
    if pron:
        aid = ctx.resolve_pronoun(base + pron.start("pron"))
        return _Speaker(ctx.named(aid), aid, ctx.group(aid), "pronoun", noun) if aid else None
    return None


def _np(phrase: str) -> str:
    """The noun phrase at the start of a speaker slot: up to an appositive comma or a time phrase."""
    return _NP_END.split(phrase, maxsplit=1)[0]


_SAY_CLAUSE = re.compile(
    r"(?:sa(?:ys?|id)|added|argued|warned|insisted|predicted|noted|stressed|acknowledged|conceded|claimed|"
    r"suggested|told\s+(?:reporters|journalists|lawmakers|the\s+[a-z]+|[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3}))\s+"
    r"(?=(?:the|a|an|such|this|these|those|it|he|she|they|we|there|its|his|her|their)\s"
    r"|(?!(?:on|in|at|during|after|before|to|for|with|by|last|this|that|from|of|earlier|later|when|while|as|and|but|or|"
    r"repeatedly|again|in|publicly|privately|recently)\b)(?:[\w.’'$-]+\s+){1,5}?"
    r"(?:was|were|is|are|would|will|should|could|can|must|may|might|had|has|have|did|does|do|expected|expects|"
    r"wanted|wants|needed|needs|planned|plans|remained|remains|hoped|hopes|saw|sees|intended|intends)\s)"
)
"""A speech verb followed directly by a clause without "that" ("said talks would resume", "has said South Korea should pay")."""
_ACCORDING_END = re.compile(r",\s+according\s+to\s+([^,.;]{1,60})")
_ACCORDING_START = re.compile(
    r"According\s+to\s+([^,]{1,60})"
    r"(?:,\s+(?:a|an|the|who|one\s+of)\s(?:(?!\b(?:is|are|was|were|will|would|has|have|had|wants?|plans?|can|could|should|must|may|might)\b)[^,]){1,80})?"
    r",\s+"
)
_THAT = re.compile(r"\sthat\s")
_CLAUSE_END = re.compile(r",\s+(?:following|according|said|says|and\s+as|while|as\s+well|[a-z]+ing)\b|;")
"""Where a reported clause stops: a comma before a participle or "according", or a semicolon (see _clause_stop)."""
_SUBORDINATORS = r"(?:[Cc]ontrary\s+to|[Dd]espite|[Uu]nlike|[Aa]mid|[Aa]s|[Ww]hile|[Aa]lthough|[Tt]hough|[Bb]ecause|[Ss]ince|[Ww]hen|[Ii]f|[Aa]fter|[Bb]efore)\b"
_SUBORDINATE_OPEN = re.compile(_SUBORDINATORS)
_SUBORDINATE_AFTER_COMMA = re.compile(r",\s*" + _SUBORDINATORS)
_QUOTE_CHAR = re.compile(r"[“”\"]")


def _subordinate(text: str, st: int, cue_at: int) -> bool:
    """Whether text[st:cue_at] ends inside a fronted or subordinate phrase: a subordinator at its start or after its last comma.

    A reported clause inside one ends at its first comma ("Contrary to X's claims that …, the …").
    """
    comma = text.rfind(",", st, cue_at)
    if comma >= 0:
        return _SUBORDINATE_AFTER_COMMA.match(text, comma, cue_at) is not None
    return _SUBORDINATE_OPEN.match(text, st, cue_at) is not None


def _clause_stop(text: str, c0: int, en: int) -> int:
    """Start of the first clause break in text[c0:en] (en if none): _CLAUSE_END, or " — " before a lowercase word after the last dash."""
    m = _CLAUSE_END.search(text, c0, en)
    stop = m.start() if m else en
    dash = text.rfind("—", c0, en)  # only the last dash can open a trailing aside
    if dash > c0 and text[dash - 1].isspace():
        after = dash + 1
        while after < en and text[after].isspace():
            after += 1
        if after > dash + 1 and after < en and "a" <= text[after] <= "z":
            at = dash - 1
            while at > c0 and text[at - 1].isspace():
                at -= 1
            stop = min(stop, at)
    return stop


def _clause_end(text: str, c0: int, en: int, st: int | None = None, cue_at: int | None = None) -> int:
    c1 = _clause_stop(text, c0, en)
    if st is not None and cue_at is not None and _subordinate(text, st, cue_at):
        comma = text.find(", ", c0, c1)
        c1 = comma if comma > 0 else c1
    full = c1
    while c1 > c0 and text[c1 - 1] in " .,”\"":
        c1 -= 1
    if text.count("“", c0, c1) > text.count("”", c0, c1):  # keep a quotation that closes the clause whole
        close = text.find("”", c1, full)
        if close >= 0:
            c1 = close + 1
    return c1


def _indirect(ctx: _Context, start_id: int) -> list[Row]:
    """Reported speech without quotation marks: CUE that CLAUSE; CLAUSE, according to X; CLAUSE, X said."""
    doc, cue, text = ctx.doc, ctx.cue, ctx.text
    rows: list[Row] = []

    def add(c0: int, c1: int, sp: _Speaker, sid: int) -> None:
        dateline = _DATELINE.match(text, c0, c1)
        if dateline:  # "WASHINGTON - The Pentagon is …" when the dateline stayed in the sentence
            c0 = dateline.end()
        rows.append(_row(doc, start_id + len(rows), c0, c1, "indirect", sp, sid))

    for sent in doc.sentences:
        st, en = sent.char_start, sent.char_end
        if ctx.in_quote(st):
            continue
        sid = sent.sentence_id
        sent_verbs = ctx.verbs(st, en)
        has_verb = bool(sent_verbs)
        at = text.find(" that ", st, en)
        if not has_verb and not (at >= 0 and ctx.nouns(st, en)):
            continue  # no speech verb, and no claim noun + "that": nothing reported here
        # CUE (…) that CLAUSE  /  CLAIM-NOUN that CLAUSE
        while at >= 0:
            t_start, c0 = at, at + 6
            at = text.find(" that ", c0 - 1, en)
            if ctx.in_quote(t_start) or text[c0] in "“\"":
                continue
            window_start = max(st, t_start - 50)
            verbs = [v for v in ctx.verbs(window_start, t_start) if not v.group().lower().startswith("according")]
            sp = None
            if not verbs and t_start - st > 50:
                verbs = [
                    v for v in ctx.verbs(max(st, t_start - 110), t_start)
                    if not v.group().lower().startswith("according") and _PREP_FILLER.match(text, v.end(), t_start)
                ]
            between = len(text[verbs[-1].end():t_start].split()) if verbs else 0
            if verbs and not _QUOTE_CHAR.search(text, verbs[-1].end(), t_start) and (
                between <= 6 or (between <= 14 and _PREP_FILLER.match(text, verbs[-1].end(), t_start))
            ):
                v = verbs[-1]
                sp = ctx.subject_before(v.start(), st, v.group(), immediate=v.group().lower() not in cue.participles)
            else:
                nouns = [n for n in ctx.nouns(window_start, t_start) if n.end() == t_start]
                if nouns:
                    sp = _claim_owner(ctx, text[st:en], st, _Shift(nouns[-1], st))
            if sp is not None:
                c1 = _clause_end(text, c0, en, st, t_start)
                if c1 - c0 >= 8:
                    add(c0, c1, sp, sid)
        if not has_verb:
            continue
        # WHO say(s)/said CLAUSE (no "that"): "experts say such a scenario is unlikely"
        for v in sent_verbs:
            m = _SAY_CLAUSE.match(text, v.start(), en) if v.group().split()[0] in _SAY_WORDS else None
            if m is None or ctx.in_quote(m.start()):
                continue
            sp = ctx.subject_before(m.start(), st, text[m.start():m.end()].strip(), immediate=True)
            if sp is None:
                continue
            c0 = m.end()
            c1 = _clause_end(text, c0, en)
            inside = any(r["char_start"] <= c0 and c1 <= r["char_end"] for r in rows[-3:])  # nested in a reported clause
            if c1 - c0 >= 8 and not inside and text[c0] not in "“\"‘'":
                add(c0, c1, sp, sid)
        body = text[st:en]
        # CLAUSE, according to X.  /  According to X, CLAUSE.
        m = _ACCORDING_END.search(body) if "ccording" in body else None
        if m and not _QUOTE_CHAR.search(body, 0, m.start()):
            sp = ctx.who(m.group(1), st + m.start(1), "according to")
            if sp:
                add(st, st + m.start(), sp, sid)
            continue
        m = _ACCORDING_START.match(body) if body.startswith("According") else None
        if m and not _QUOTE_CHAR.search(body):
            sp = ctx.who(m.group(1), st + m.start(1), "according to")
            if sp:
                c1 = en
                while c1 > st and text[c1 - 1] == ".":
                    c1 -= 1
                add(st + m.end(), c1, sp, sid)
            continue
        # CLAUSE, said X (, …).  /  CLAUSE, X added.
        sp = None
        m = None
        for v in sent_verbs:  # the first cue verb right after a comma
            comma = text.rfind(",", st, v.start())
            if comma >= 0 and not text[comma + 1:v.start()].strip():
                m = cue.comma_cue_re.match(body, comma - st)
                if m:
                    break
        if m and _SAY_CLAUSE.match(text, st + m.start("cue")):
            m = None  # "X, a scholar, said Washington was …": a reported clause, not "CLAUSE, said X"
        if m and not _THAT.search(body, 0, m.start()):
            sp = ctx.who(_np(m.group("who")), st + m.start("who"), m.group("cue"), last=False)
        if sp is None:
            m = _final_cue(ctx, st, body)
            if m is not None:
                sp = ctx.who(m[1], st + m[0] + 1, m[2])
                m = _At(m[0])
        if sp is not None and m is not None and not _QUOTE_CHAR.search(body, 0, m.start()):
            add(st, st + m.start(), sp, sid)
    return rows


_DATELINE = re.compile(r"[A-Z][A-Z .,'’-]{1,40}(?:\([^)]{1,30}\))?\s+[-—–]\s+(?=\S)")
_SAY_WORDS = frozenset({
    "say", "says", "said", "added", "argued", "warned", "insisted", "predicted", "noted", "stressed",
    "acknowledged", "conceded", "claimed", "suggested", "told",
})
_TIME_TAIL = re.compile(
    r"(?:\s+(?:(?:on|in|at|last|this|late|early)\s+[^,;]{1,30}|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight)\b[^,;]{0,20}))?\.?"
)


def _final_cue(ctx: _Context, st: int, body: str) -> tuple[int, str, str] | None:
    """"CLAUSE, X said (on Monday)." -> (offset of the comma, X, cue), when the sentence ends so."""
    verbs = ctx.verbs(st + max(0, len(body) - 70), st + len(body))
    if not verbs:
        return None
    v = _Shift(verbs[-1], st)
    if not _TIME_TAIL.fullmatch(body, v.end()):
        return None
    comma = body.rfind(",", 0, v.start())
    if comma < 0 or v.start() - comma > 62 or _QUOTE_CHAR.search(body, comma, v.start()) or ";" in body[comma:v.start()]:
        return None
    who = body[comma + 1:v.start()]
    return (comma, who, v.group()) if who.strip() else None


class _At:
    """A stand-in match that only knows where it starts."""

    def __init__(self, start: int):
        self._start = start

    def start(self) -> int:
        return self._start


class _Shift:
    """A match on a slice, with offsets moved back into the slice's coordinates."""

    def __init__(self, m: re.Match[str], base: int):
        self._m, self._base = m, base

    def group(self) -> str:
        return self._m.group()

    def start(self) -> int:
        return self._m.start() - self._base

    def end(self) -> int:
        return self._m.end() - self._base
