"""Segment raw article text into role-labelled blocks and sentences, keeping exact offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

__all__ = [
    "BLOCK_ROLES", "CONTENT_ROLES", "Block", "Sentence", "Document",
    "segment_blocks", "split_sentences", "make_document",
]

BLOCK_ROLES = ("headline", "byline", "dateline", "subhead", "body", "caption", "source", "boilerplate")
CONTENT_ROLES = frozenset({"headline", "subhead", "body"})
"""Roles whose text later extractors read; captions, source lines and boilerplate never leak."""

Row = dict[str, Any]

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATELINE = re.compile(
    rf"^(?:\d{{1,2}}:\d{{2}}(?:\s*[AP]\.?M\.?)?\s*(?:[A-Z]{{2,4}})?,?\s*)?{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"(?:,?\s*\d{{1,2}}:\d{{2}}(?:\s*[AP]\.?M\.?)?\s*(?:[A-Z]{{2,4}})?)?$"
    rf"|^(?:Published|Updated|Posted)\b.*\d{{4}}.*$",
    re.IGNORECASE,
)
_AGENCY = r"(?:Reuters|REUTERS|AP|AFP|Kyodo|KYODO|Bloomberg|Jiji|Yonhap|Xinhua|dpa|UPI)"
_WIRE_DATELINE = re.compile(
    rf"^[A-Z][A-Z .'-]{{1,40}}(?:,\s*[A-Z][A-Za-z .]{{1,30}})?(?:,\s*{_MONTHS}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
    rf"(?:\s*\({_AGENCY}\))?\s*[-–—:]*$"
)
_BYLINE = re.compile(
    r"^(?:By|BY|Written by|Reporting by)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})*"
    r"(?:\s+in\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?(?:\s*[,|/]\s*[\w .'’-]{1,40})?$"
    r"|^(?:Staff [Ww]riter|Staff [Rr]eport|Correspondent)$"
)
_CREDITS = re.compile(
    r"^\((?:(?:Additional\s+)?[Rr]eporting|Writing|Written|Editing|Edited|Compiled|Produced)\s+by\s[^()]{1,400}\)$"
)
"""A wire story's closing credits: "(Reporting by Jane Doe in Tokyo; Editing by John Roe)"."""
_SOURCE_LINE = re.compile(r"^\((?:From|Source:|Originally published)\b.*\)$", re.IGNORECASE)
_NAV_MARKER = re.compile(
    r"(?:\bPOPULAR ARTICLES?\b|\bACCESS RANKING\b|\bMOST (?:READ|POPULAR)\b|^RELATED (?:ARTICLES|STORIES)\b|"
    r"^(?:Read more|Recommended|Trending)\s*:?$)",
)
_NAV_HINT = re.compile(r"POPULAR|RANKING|MOST|RELATED|Read more|Recommended|Trending")
_BOILERPLATE_LINE = re.compile(
    r"^(?:\[image:[^\]]*\]|[-–—•*|]+|in(?:\s*,)+|(?:Share|Tweet|Print|Email|Advertisement|ADVERTISEMENT)"
    r"(?:\s*[|/]\s*\w+)*|[\W_]+)$"
)
_UI_LINE = re.compile(
    r"^(?:Share (?:this|on|via)\b[^.!?]{0,40}|Sign up\b[^.!?]{0,60}|Subscribe (?:to|now|for|today)\b[^.!?]{0,60}|"
    r"Follow (?:us|@)[^.!?]{0,60}|(?:Related|See also|Also read|More from [^:]{1,40})\s*:.{0,150}|"
    r"(?:©|\(c\)|Copyright\s+(?:©|\(c\)|\d{4}))[^\n]{0,150}|All rights reserved)[.!]?$",
    re.IGNORECASE,
)
"""Page furniture: share and sign-up prompts, related-story links, copyright notices."""
_CREDIT_LINE = re.compile(
    r"^(?:(?:Photo |Image |Picture )?Credits?\s*:|(?:Photo|Photos|Photograph|Image|Picture|File photo)\s*:|"
    r"(?:Photo|Image|Picture)\s+(?:by|courtesy)\b|"
    r"(?:AP|AFP|REUTERS|Reuters|Getty Images|Kyodo|Bloomberg)(?:\s*(?:/|via)\s*.*)?$)"
)
_SPECIAL_LINE = re.compile(
    "|".join(f"(?{'i' if p.flags & re.IGNORECASE else ''}:{p.pattern})" for p in (_BOILERPLATE_LINE, _UI_LINE, _SOURCE_LINE, _DATELINE, _WIRE_DATELINE, _BYLINE, _CREDITS))
)
"""Matches a line any of the boilerplate, source, dateline and byline patterns match (one test for most lines)."""
_CAPTION_CREDIT_TAIL = re.compile(r"\s\|\s[^|]{2,80}$")
_CAPTION_POSITION = re.compile(r",\s*(?:left|right|center|centre|front|back|second from (?:left|right))\s*,|\((?:left|right|center)\)")
_END_PUNCT = re.compile(r"[.!?…][\"'”’)\]]*$|[:;]$")


class Block(NamedTuple):
    """A line-level unit of the article with its role."""

    block_id: int
    role: str
    char_start: int
    char_end: int
    text: str


class Sentence(NamedTuple):
    """A sentence inside a content block."""

    sentence_id: int
    block_id: int
    char_start: int
    char_end: int
    text: str


_START = attrgetter("char_start")


@dataclass
class Document:
    """One article with its segmentation and the tables extracted so far."""

    article_id: str
    text: str
    meta: dict[str, Any]
    blocks: list[Block]
    sentences: list[Sentence]
    tables: dict[str, list[Row]] = field(default_factory=dict)

    def block_of(self, block_id: int) -> Block:
        """The block with id `block_id`."""
        return self.blocks[block_id]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing character `offset`, if any."""
        i = bisect_right(self.sentences, offset, key=_START) - 1
        if i >= 0 and offset < self.sentences[i].char_end:
            return self.sentences[i]
        return None

    def content_sentences(self) -> list[Sentence]:
        """Sentences of headline, subhead and body blocks."""
        return self.sentences


_WIRE_TAIL = re.compile(r"\d|\)|[-–—:]$")
_CLOSERS = "\"'”’)]"
_OPEN_QUOTES = ('"', "“", "‘", "'")


def _lines(text: str) -> list[tuple[int, int]]:
    """Spans of non-blank lines, stripped of surrounding white space."""
    spans = []
    pos = 0
    for line in text.replace("\r", "\n").split("\n"):
        end = pos + len(line)
        stripped = line.strip()
        if stripped:
            if len(stripped) == len(line):
                spans.append((pos, end))
            else:
                start = pos + len(line) - len(line.lstrip())
                spans.append((start, start + len(stripped)))
        pos = end + 1
    return spans


def _word_count(text: str) -> int:
    return len(text.split())


def _at_most_words(text: str, limit: int) -> bool:
    """Whether `text` has at most `limit` words (splits no further than needed)."""
    return len(text.split(None, limit)) <= limit


def _ends_in(line: str, marks: str) -> bool:
    """Whether `line` ends in one of `marks`, optionally followed by closing quotes or brackets."""
    last = line.rstrip(_CLOSERS)[-1:]
    return bool(last) and last in marks


def _end_punct(line: str) -> bool:
    """Whether `line` ends like a sentence (_END_PUNCT, without scanning the whole line)."""
    return _ends_in(line, ".!?…") or line.endswith((":", ";"))


def segment_blocks(text: str, headline_hint: str = "") -> list[Block]:
    """Split `text` into non-blank lines and give each a role by the rules in docs/method.md."""
    spans = _lines(text)
    lines = [text[s:e] for s, e in spans]
    n = len(lines)
    roles: list[str | None] = [None] * n

    # Navigation: a marker line starts a list that runs to the end, unless body text resumes.
    if _NAV_HINT.search(text):
        for i, line in enumerate(lines):
            if roles[i] is None and _NAV_HINT.search(line) and _NAV_MARKER.search(line):
                for j in range(i, n):
                    later = lines[j]
                    if j > i and not _at_most_words(later, 30) and _end_punct(later):
                        break
                    roles[j] = "boilerplate"
    for i, line in enumerate(lines):
        if roles[i] is not None or not _SPECIAL_LINE.match(line):
            continue
        if _BOILERPLATE_LINE.match(line) or _UI_LINE.match(line):
            roles[i] = "boilerplate"
        elif _SOURCE_LINE.match(line):
            roles[i] = "source"
        elif _DATELINE.match(line) or (_WIRE_DATELINE.match(line) and len(line) <= 80 and _WIRE_TAIL.search(line)):
            roles[i] = "dateline"
        elif (_BYLINE.match(line) and _at_most_words(line, 12)) or _CREDITS.match(line):
            roles[i] = "byline"

    # Captions: a line repeated with a " | CREDIT" tail, a credit line and the line before it,
    # or a short unpunctuated line naming positions ("Akazawa, left, and ...").
    for i, line in enumerate(lines):
        if roles[i] is not None:
            continue
        tail = _CAPTION_CREDIT_TAIL.search(line) if "|" in line else None
        if tail:
            head = line[: tail.start()].strip()
            if i > 0 and lines[i - 1].strip() == head:
                roles[i - 1] = roles[i] = "caption"
            elif _at_most_words(head, 60) and not head.endswith(":"):
                roles[i] = "caption"
        elif _CREDIT_LINE.match(line) and _at_most_words(line, 15):
            roles[i] = "caption"
            first_open = next((k for k in range(n) if roles[k] is None), n)
            if i - 1 > first_open and roles[i - 1] is None and not _end_punct(lines[i - 1]) and _at_most_words(lines[i - 1], 40):
                roles[i - 1] = "caption"
        elif not _end_punct(line) and _at_most_words(line, 40) and _CAPTION_POSITION.search(line):
            roles[i] = "caption"

    # Headline: the first remaining line if it reads like one (or matches the manifest headline).
    first = next((i for i in range(n) if roles[i] is None), None)
    if first is not None:
        line = lines[first]
        hint = headline_hint.strip()
        if (hint and line == hint) or (_at_most_words(line, 30) and not line.endswith((".", "!"))):
            roles[first] = "headline"

    # Subheads: short unpunctuated lines between body paragraphs; everything else is body.
    for i, line in enumerate(lines):
        if roles[i] is not None:
            continue
        short = _at_most_words(line, 10) and not _ends_in(line, ".!…,;:") and not line.startswith(_OPEN_QUOTES)
        if short and i + 1 < n and roles[i + 1] in (None, "body", "caption"):
            roles[i] = "subhead"
        else:
            roles[i] = "body"
    return [
        Block(k, role or "body", s, e, text[s:e]) for k, ((s, e), role) in enumerate(zip(spans, roles, strict=True))
    ]


# --- sentences -------------------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen lt col maj capt sgt adm gov sen rep rev hon pres
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    no nos vol p pp fig approx est inc corp co ltd plc bros dept univ assn mil bil tril bn mn
    vs etc al cf e.g i.e a.m p.m u.s u.k u.n e.u d.c u.s.a""".split()
)
"""Tokens that end in a period without ending a sentence (lower case, without the final period)."""

SENTENCE_STARTERS = frozenset(
    """a an the this that these those then there here but and or so yet however meanwhile still
    he she it they we i you his her its their our my in on at for from with by as if when while
    after before since although though because what who which where why how such some many most
    one two three four five six seven eight nine ten no not nor instead indeed also even only
    now today yesterday tomorrow last next ultimately further furthermore moreover""".split()
)
"""Words that, capitalised after a dotted abbreviation like "U.S.", show that a new sentence starts."""

_CANDIDATE = re.compile(r"[.!?…][.!?…]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]*[A-Z0-9¥$£€])")
"""Punctuation that may end a sentence ("[.!?…]+" spelt so that the regex engine scans for its first character fast)."""
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]*([A-Za-z0-9¥$£€][\w’'-]*)")


def _token_before(text: str, stop: int) -> str:
    """The ASCII letters and dots before the period at `stop - 1`, from the first letter ("U.S", "Mr"; 64 characters at most)."""
    floor = max(0, stop - 64)
    i = stop - 1
    while i > floor and text[i - 1] in _TOKEN_CHARS:
        i -= 1
    while i < stop - 1 and text[i] == ".":
        i += 1
    return text[i:stop - 1]


def _is_boundary(text: str, end: int) -> bool:
    """Decide whether the punctuation run ending at `end` closes a sentence."""
    punct_start = end
    while punct_start > 0 and text[punct_start - 1] in "\"'”’)]":
        punct_start -= 1
    if text[punct_start - 1] != ".":
        return True  # ! ? … end sentences (lower-case continuations never reach here)
    token = _token_before(text, punct_start)
    if not token:
        return True
    if "." in token or (len(token) == 1 and token.isupper()):
        # Dotted abbreviations (U.S., p.m.) and initials (J.): a sentence ends only if the next
        # word is a common sentence starter ("the U.S. Then, ...").
        if len(token) == 1 and token.isupper():
            return False
        nxt = _NEXT_WORD.match(text, end)
        return (nxt.group(1).lower() if nxt else "") in SENTENCE_STARTERS
    return token.lower() not in ABBREVIATIONS


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] into sentence spans (absolute offsets, trimmed of white space)."""
    spans = []
    cursor = start
    for match in _CANDIDATE.finditer(text, start, end):
        stop = match.end()
        if _is_boundary(text, stop):
            spans.append((cursor, stop))
            cursor = stop
    spans.append((cursor, end))
    out = []
    for s, e in spans:
        if s < e and not text[s].isspace() and not text[e - 1].isspace():
            out.append((s, e))  # nothing to trim
            continue
        seg = text[s:e]
        left = len(seg) - len(seg.lstrip())
        right = len(seg.rstrip())
        if right > left:
            out.append((s + left, s + right))
    return out


def make_document(article_id: str, text: str, meta: dict[str, Any] | None = None) -> Document:
    """Segment `text` into blocks and content sentences."""
    meta = dict(meta or {})
    blocks = segment_blocks(text, meta.get("headline", ""))
    sentences: list[Sentence] = []
    for block in blocks:
        if block.role == "body":
            for s, e in split_sentences(text, block.char_start, block.char_end):
                sentences.append(Sentence(len(sentences), block.block_id, s, e, text[s:e]))
        elif block.role in CONTENT_ROLES:
            sentences.append(Sentence(len(sentences), block.block_id, block.char_start, block.char_end, block.text))
    return Document(article_id, text, meta, blocks, sentences)
