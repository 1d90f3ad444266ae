"""Quotes (direct, partial, term, indirect) with speaker attribution. Issue 3.

The attribution rules, in the order they are tried, are documented in the README (Method: actors and
quotes). Cue verbs, claim nouns and anonymous-source nouns come from data/lexicons/speech_cues.csv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .actors import Registry, registry
from .corpus import CONTENT_ROLES, Document
from .resources import Resources

__all__ = ["Cues", "cues", "find_quote_spans", "extract"]

Row = dict[str, Any]

_MARKS = re.compile(r"[“”\"‘’']")
_WORDS = re.compile(r"[\w’'-]+")
_NOT_SUBJECT_NEXT = frozenset(
    ["to", "in", "of", "and", "or", "for", "at", "on", "with", "from", "by", "as", "about", "the", "a", "an", "into", "than", "that", "which", "who", "whom", "whose"]
)
_DEMONYMS = {
    "japanese": "japan_government", "japan": "japan_government", "tokyo": "japan_government",
    "u.s.": "us_government", "us": "us_government", "american": "us_government",
    "washington": "us_government", "white house": "us_government", "pentagon": "us_government",
}


@dataclass
class Cues:
    """Speech cues compiled from the lexicon."""

    verb_re: re.Pattern[str]
    participles: frozenset[str]
    noun_re: re.Pattern[str]
    anon_re: re.Pattern[str]
    anon_group: dict[str, str]
    trailing_re: re.Pattern[str]
    inverted_re: re.Pattern[str]
    leading_re: re.Pattern[str]
    that_re: re.Pattern[str]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def _compile(res: Resources) -> Cues:
    rows = res.csv("lexicons/speech_cues.csv", required=("form", "type"))
    verbs = [r["form"] for r in rows if r["type"] in ("verb", "participle", "according")]
    participles = frozenset(r["form"] for r in rows if r["type"] == "participle")
    nouns = [r["form"] for r in rows if r["type"] == "noun"]
    anon = {r["form"]: r.get("group", "") for r in rows if r["type"] == "anonymous"}
    verb = _alt(verbs)
    return Cues(
        verb_re=re.compile(rf"(?<![\w-])(?:{verb})(?![\w-])", re.IGNORECASE),
        participles=participles,
        noun_re=re.compile(
            rf"(?P<pos>(?<![\w-])(?:his|her|their|its)|[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*(?:\s+[a-z]+)?(?:’s|'s|’|'))"
            rf"\s+(?:[\w-]+\s+){{0,3}}?(?P<noun>(?:{_alt(nouns)})s?)(?![\w-])"
            rf"|(?P<noun2>(?:{_alt(nouns)})s?)\s+(?P<pron>he|she|they)\s+(?:has|had|holds|held|made|makes)\b",
        ),
        anon_re=re.compile(rf"(?<![\w-])(?:{_alt(list(anon))})(?![\w-])", re.IGNORECASE),
        anon_group={k.lower(): v for k, v in anon.items()},
        # “…,” WHO CUE   /   “…,” CUE WHO
        trailing_re=re.compile(rf"^\s*(?P<who>[^,.;:?!“”\"—]{{1,90}}?)\s+(?:(?:also|then|later)\s+)?(?P<cue>{verb})(?![\w-])"),
        inverted_re=re.compile(rf"^\s*(?P<cue>{verb})\s+(?P<who>[^,.;:?!“”\"—(]{{1,90}})"),
        # WHO CUE, “…”   /   …, CUE: “…”
        leading_re=re.compile(rf"(?P<cue>{verb})\s*[,:]\s*$", re.IGNORECASE),
        that_re=re.compile(rf"(?<![\w-])(?P<cue>{verb})(?P<mid>(?:\s+[\w’'.$-]+){{0,6}}?)\s+that\s+", re.IGNORECASE),
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
    for m in _MARKS.finditer(text, start, end):
        pos, ch = m.start(), m.group()
        prev = text[pos - 1] if pos > start else " "
        nxt = text[pos + 1] if pos + 1 < end else " "
        if open_mark in ("“", '"'):
            if ch == "”" or (ch == '"' and open_mark == '"') or (ch == '"' and open_mark == "“") or ch == "“" and not prev.isspace():
                spans.append((open_pos + 1, pos, open_mark))
                open_pos, open_mark = -1, ""
            continue
        if open_mark in ("‘", "'"):
            if ch in "’'" and not prev.isspace() and not (nxt.isalnum()):
                spans.append((open_pos + 1, pos, open_mark))
                open_pos, open_mark = -1, ""
            elif ch in "“\"" and (prev.isspace() or prev in "(—[") and not nxt.isspace():
                open_pos, open_mark = pos, ch
            continue
        if ch in "“\"" and not nxt.isspace() and (ch == "“" or prev.isspace() or prev in "(—[-" or pos == start) or ch in "‘'" and (prev.isspace() or prev in "(—[" or pos == start) and nxt.isalpha():
            open_pos, open_mark = pos, ch
    if open_mark in ("“", '"') and open_pos >= 0:
        stop = end
        while stop > open_pos + 1 and text[stop - 1].isspace():
            stop -= 1
        spans.append((open_pos + 1, stop, open_mark))
    out = []
    for s, e, mark in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e, mark))
    return out


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
        self.spans = spans
        self.mentions = [
            m for m in doc.tables.get("mentions", []) if not self.in_quote(int(m["char_start"]))
        ]

    def in_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.spans)

    def kind(self, actor_id: str) -> str:
        actor = self.reg.actors.get(actor_id)
        return actor.kind if actor else "person"

    def named(self, actor_id: str) -> str:
        actor = self.reg.actors.get(actor_id)
        if actor:
            return actor.name
        return next((m["name"] for m in self.mentions if m["actor_id"] == actor_id and m.get("name")), actor_id)

    def group(self, actor_id: str) -> str:
        actor = self.reg.actors.get(actor_id)
        if actor:
            return actor.group
        return next((m["group"] for m in self.mentions if m["actor_id"] == actor_id and m.get("group")), "other")

    def mentions_in(self, start: int, end: int) -> list[Row]:
        return [m for m in self.mentions if start <= m["char_start"] and m["char_end"] <= end]

    def subject_like(self, m: Row) -> bool:
        after = self.text[m["char_end"]:m["char_end"] + 40]
        word = re.match(r"\s+(?:(?:\w+ly|also|then|has|have|had|was|is|will|would|could|may|might|must|should|did|does)\s+)*([a-z]+)", after)
        return bool(word) and word.group(1) not in _NOT_SUBJECT_NEXT

    def person(self, actor_id: str) -> bool:
        return self.kind(actor_id) == "person"

    def resolve_pronoun(self, pos: int) -> str:
        """Actor a he/she at `pos` refers to: the subject-like person before it, going back sentence by sentence."""
        sent = self.doc.sentence_at(pos)
        if sent is None:
            return ""
        sid = sent.sentence_id
        first = True
        while sid >= 0 and sent.sentence_id - sid <= 5:
            s = self.doc.sentences[sid]
            stop = pos if first else s.char_end
            people = [m for m in self.mentions_in(s.char_start, stop) if self.person(m["actor_id"])]
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
        head = m.group().lower()
        group = self.cue.anon_group.get(head, "")
        speaker = phrase.strip(" ,")
        speaker = re.split(r",\s", speaker, maxsplit=1)[0]
        speaker = re.sub(
            r"^(?:(?:though|although|but|and|while|as|because|since|when|where|if|that|so)\s+)+", "", speaker, flags=re.I
        )
        if not group:
            inside = self.mentions_in(phrase_start, phrase_start + len(phrase))
            if inside:
                group = self.group(inside[-1]["actor_id"])
            else:
                low = phrase.lower()
                group = next((g for w, g in _DEMONYMS.items() if re.search(rf"(?<![\w.]){re.escape(w)}(?![\w])", low)), "")
                if not group:
                    # another country's officials ("a senior South Korean trade official")
                    group = "other_government" if re.search(r"\b[A-Z][a-z]+\b", phrase[: m.start()]) else "unknown"
        return _Speaker(speaker, "", group, "anonymous", "")

    def who(self, phrase: str, start: int, cue: str, *, last: bool = True) -> _Speaker | None:
        """The speaker named by a short phrase next to a cue verb ("Smith", "he", "a senior official")."""
        end = start + len(phrase)
        stripped = phrase.strip()
        low = stripped.lower()
        if low in ("he", "she", "they", "i", "we"):
            aid = self.resolve_pronoun(start + phrase.find(stripped))
            if aid:
                return _Speaker(stripped, aid, self.group(aid), "pronoun", cue)
            return None
        if low == "who":
            aid = self.resolve_relative(start)
            return _Speaker(self.named(aid), aid, self.group(aid), "explicit", cue) if aid else None
        inside = self.mentions_in(start, end)
        # the head of the phrase decides: "a senior Foreign Ministry official" is anonymous
        anon = self.cue.anon_re.search(phrase)
        people = [m for m in inside if self.person(m["actor_id"])]
        if anon and not (people and people[-1]["char_end"] > start + anon.end()):
            return self.anonymous(phrase, start)
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

    def subject_before(self, pos: int, floor: int, cue: str, immediate: bool) -> _Speaker | None:
        """The subject of a cue at `pos`: the word(s) just before it, else the nearest person before it."""
        head = self.text[floor:pos]
        head = re.sub(r",\s*[^,]{1,40},\s*$", " ", head)  # "Goldberg, for his part, said"
        near = re.search(
            r"(?P<who>(?<![\w-])(?:he|she|they|He|She|They|who|[\w’'.-]+(?:\s+[\w’'.-]+){0,5}?))\s+"
            r"(?:(?:\w+ly|also|has|have|had|will|would|was|is|were|later|then|again|been|long)\s+)*$",
            head,
        )
        if near:
            sp = self.who(near.group("who"), floor + near.start("who"), cue)
            if sp:
                return sp
        if immediate:
            return None
        people = [m for m in self.mentions_in(floor, pos) if self.person(m["actor_id"])]
        pron = [p for p in re.finditer(r"(?<![\w-])(?:he|she|He|She)(?![\w-])", head) if not self.in_quote(floor + p.start())]
        best_m = people[-1] if people else None
        best_p = pron[-1] if pron else None
        if best_p is not None and (best_m is None or floor + best_p.start() > best_m["char_start"]):
            aid = self.resolve_pronoun(floor + best_p.start())
            return _Speaker(best_p.group(), aid, self.group(aid), "pronoun", cue) if aid else None
        if best_m is not None:
            aid = best_m["actor_id"]
            return _Speaker(self.named(aid), aid, self.group(aid), "explicit", cue)
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
    for s, e, _mark, role in found:
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
        standalone = not left.strip(" “‘\"'(—") or bool(cue.leading_re.search(left))
        direct = standalone and (quoted[:1].isupper() or quoted[:1].isdigit())
        speaker = _attribute(ctx, s, e, open_pos, right_start, left, right, sent, role)
        if speaker is None and prev is not None and direct and prev[0] in (block_id, block_id - 1, block_id - 2):
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
        rows.append(_row(doc, len(rows), s, e, kind, sp, sent.sentence_id))
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


def _attribute(ctx: _Context, s: int, e: int, open_pos: int, right_start: int, left: str, right: str, sent: Any, role: str) -> _Speaker | None:
    """Apply the attribution rules in order; None when no rule names a speaker."""
    cue = ctx.cue
    # R1 trailing: “…,” Smith said / “…,” said a senior official
    m = cue.trailing_re.match(right)
    if m and not cue.verb_re.search(m.group("who")):
        sp = ctx.who(m.group("who"), right_start + m.start("who"), m.group("cue"))
        if sp:
            return sp
    m = cue.inverted_re.match(right)
    if m:
        sp = ctx.who(_np(m.group("who")), right_start + m.start("who"), m.group("cue"), last=False)
        if sp:
            return sp
    # R2 leading: Ishiba asserted, “…”
    m = cue.leading_re.search(left)
    if m:
        at = sent.char_start + m.start("cue")
        sp = ctx.subject_before(at, sent.char_start, m.group("cue"), immediate=False)
        if sp:
            return sp
    # R4 woven quotes: the nearest evidence before the quote in its sentence
    best: tuple[int, _Speaker] | None = None
    base = sent.char_start
    for m in cue.noun_re.finditer(left):
        sp = _possessor(ctx, m, base)
        if sp and (best is None or m.end() >= best[0]):
            best = (m.end(), sp)
    for m in cue.verb_re.finditer(left):
        word = m.group()
        lowered = word.lower()
        at = base + m.start()
        sp = None
        if lowered == "according to":
            after = re.match(r"\s*([^,.;:“”\"]{1,60})", left[m.end():])
            if after:
                sp = ctx.who(after.group(1), base + m.end() + after.start(1), word)
        else:
            inv = re.match(r"\s+([^,.;:“”\"]{1,60})(?=[,.;:]|$)", ctx.text[base + m.end():sent.char_end])
            prior = left[:m.start()]
            if inv and re.search(r",\s*$", prior):  # "…, said Schoff, by …"
                sp = ctx.who(_np(inv.group(1)), base + m.end() + inv.start(1), word, last=False)
            if sp is None:
                sp = ctx.subject_before(at, base, word, immediate=lowered not in cue.participles)
        if sp and (best is None or m.end() >= best[0]):
            best = (m.end(), sp)
    if best is not None:
        return best[1]
    # R5: attribution later in the sentence (“give” Trump things … “and let him …,” Schoff suggested)
    rest = ctx.text[e:sent.char_end]
    for m in re.finditer(r"[”\"’']\s*", rest):
        tail = rest[m.end():]
        t = cue.trailing_re.match(tail)
        if t and not cue.verb_re.search(t.group("who")):
            sp = ctx.who(t.group("who"), e + m.end() + t.start("who"), t.group("cue"))
            if sp:
                return sp
    for m in cue.verb_re.finditer(rest):
        prior = rest[:m.start()]
        if m.group().lower() == "according to" or re.search(r",\s*$", prior):
            after = re.match(r"\s+([^,.;:“”\"]{1,60})(?=[,.;:]|$)", rest[m.end():])
            if after:
                sp = ctx.who(_np(after.group(1)), e + m.end() + after.start(1), m.group(), last=False)
                if sp:
                    return sp
    return None


def _possessor(ctx: _Context, m: re.Match[str], base: int) -> _Speaker | None:
    """Whose claim a claim noun is: "Trump's claims", "his gripes", "the view he has"."""
    if m.group("pos"):
        pos_text = m.group("pos")
        if pos_text.lower() in ("his", "her", "their", "its"):
            aid = ctx.resolve_pronoun(base + m.start("pos"))
            return _Speaker(pos_text, aid, ctx.group(aid), "pronoun", m.group("noun")) if aid else None
        return ctx.who(re.sub(r"(?:’s|'s|’|')$", "", pos_text), base + m.start("pos"), m.group("noun"))
    aid = ctx.resolve_pronoun(base + m.start("pron"))
    return _Speaker(m.group("pron"), aid, ctx.group(aid), "pronoun", m.group("noun2")) if aid else None


def _np(phrase: str) -> str:
    """The noun phrase at the start of a speaker slot: up to an appositive comma or a time phrase."""
    phrase = re.split(r",|\s+(?:on|in|at|during|before|after|last|this|when)\s", phrase, maxsplit=1)[0]
    return phrase


_SAY_CLAUSE = re.compile(
    r"(?<![\w-])(?P<cue>say|says|said)\s+(?=(?:the|a|an|such|this|these|those|it|he|she|they|we|there|its|his|her|their)\s)"
)
_CLAUSE_END = re.compile(r",\s+(?:following|according|said|says|and\s+as|while|as\s+well)\b|[;]|\s+—\s+(?=[a-z])(?![^—]*—)")


def _indirect(ctx: _Context, start_id: int) -> list[Row]:
    """Reported speech without quotation marks: CUE that CLAUSE; CLAUSE, according to X; CLAUSE, X said."""
    doc, cue, text = ctx.doc, ctx.cue, ctx.text
    rows: list[Row] = []
    for sent in doc.sentences:
        st, en = sent.char_start, sent.char_end
        if ctx.in_quote(st):
            continue
        body = text[st:en]
        # CUE (…) that CLAUSE
        for m in cue.that_re.finditer(body):
            at = st + m.start("cue")
            if ctx.in_quote(at) or m.group("cue").lower() == "according to":
                continue
            if re.search(r"[“”\"]", m.group("mid")):
                continue
            c0 = st + m.end()
            stop = _CLAUSE_END.search(text, c0, en)
            c1 = stop.start() if stop else en
            while c1 > c0 and text[c1 - 1] in " .,”\"":
                c1 -= 1
            if c1 - c0 < 8 or text[c0] in "“\"":
                continue
            sp = ctx.subject_before(at, st, m.group("cue"), immediate=m.group("cue").lower() not in cue.participles)
            if sp is None:
                continue
            rows.append(_row(doc, start_id + len(rows), c0, c1, "indirect", sp, sent.sentence_id))
        # CLAIM-NOUN that CLAUSE ("the administration's assertions that …")
        for m in cue.noun_re.finditer(body):
            if not m.group("pos") or not body.startswith(" that ", m.end()):
                continue
            c0 = st + m.end() + len(" that ")
            stop = _CLAUSE_END.search(text, c0, en)
            c1 = stop.start() if stop else en
            while c1 > c0 and text[c1 - 1] in " .,”\"":
                c1 -= 1
            sp = _possessor(ctx, m, st)
            if sp is not None and c1 - c0 >= 8 and text[c0] not in "“\"":
                rows.append(_row(doc, start_id + len(rows), c0, c1, "indirect", sp, sent.sentence_id))
        # WHO say(s)/said CLAUSE (no "that"): "experts say such a scenario is unlikely"
        for m in _SAY_CLAUSE.finditer(body):
            at = st + m.start("cue")
            if ctx.in_quote(at):
                continue
            sp = ctx.subject_before(at, st, m.group("cue"), immediate=True)
            if sp is None:
                continue
            c0 = st + m.end()
            stop = _CLAUSE_END.search(text, c0, en)
            c1 = stop.start() if stop else en
            while c1 > c0 and text[c1 - 1] in " .,”\"":
                c1 -= 1
            if c1 - c0 >= 8 and not re.search(r"[“”\"]", text[c0:c1]):
                rows.append(_row(doc, start_id + len(rows), c0, c1, "indirect", sp, sent.sentence_id))
        # CLAUSE, according to X.  /  According to X, CLAUSE.
        m = re.search(r",\s+according\s+to\s+([^,.;]{1,60})", body)
        if m and re.search(r"[“”\"]", body[: m.start()]):
            m = None
        if m:
            sp = ctx.who(m.group(1), st + m.start(1), "according to")
            if sp:
                c1 = st + m.start()
                rows.append(_row(doc, start_id + len(rows), st, c1, "indirect", sp, sent.sentence_id))
            continue
        m = re.match(r"According\s+to\s+([^,]{1,60})(?:,\s+(?:a|an|the|who|one\s+of)\s[^,]{1,80})?,\s+", body)
        if m and re.search(r"[“”\"]", body):
            m = None
        if m:
            sp = ctx.who(m.group(1), st + m.start(1), "according to")
            if sp:
                c1 = en
                while c1 > st and text[c1 - 1] in ".":
                    c1 -= 1
                rows.append(_row(doc, start_id + len(rows), st + m.end(), c1, "indirect", sp, sent.sentence_id))
            continue
        # CLAUSE, said X (, …).  /  CLAUSE, X added.
        m = re.search(rf",\s+(?P<cue>{cue.verb_re.pattern})\s+(?P<who>[^,.;“”\"]{{1,60}})(?=[,.;]|$)", body)
        sp = None
        if m and not any(t.start() < m.start() for t in cue.that_re.finditer(body)):
            sp = ctx.who(_np(m.group("who")), st + m.start("who"), m.group("cue"), last=False)
        if sp is None:
            m = re.search(
                rf",\s+(?P<who>[^,;]{{1,60}}?)\s+(?P<cue>{cue.verb_re.pattern})"
                rf"(?:\s+(?:on|in|at|last|this|late|early)\s+[^,;]{{1,30}})?\.?$",
                body,
            )
            if m:
                sp = ctx.who(m.group("who"), st + m.start("who"), m.group("cue"))
        if sp is not None and m is not None and not re.search(r"[“”\"]", body[: m.start()]):
            c1 = st + m.start()
            rows.append(_row(doc, start_id + len(rows), st, c1, "indirect", sp, sent.sentence_id))
    return rows
