"""Framing measures: topics, frames, stance (separation vs linkage) per sentence and per outlet.

Every label comes from cue patterns in `data/lexicons/framing.csv` (see `docs/codebook.md`); each
counted cue becomes a `framing_cues` row, so any label can be traced to the words behind it.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..pipeline.resources import Resources
from ..pipeline.schema import row_tuples
from .corpus import Document
from .framing_scan import Cue, CueScanner, Entry

__all__ = [
    "LEXICON", "TOPICS", "FRAMES", "OUTLET_COLUMNS", "Lexicon", "extract", "outlet_counts", "corpus_tables",
    "stance_score",
]

LEXICON = "lexicons/framing.csv"
TOPICS = ("trade", "security", "linkage")
FRAMES = (
    "economic", "security_defense", "fairness", "political_strategy", "legality", "capacity_resources",
)
FAMILY = {
    "topic": "topic", "frame": "frame", "stance": "stance", "stance_context": "stance",
    "evaluation": "evaluation", "support": "support", "operator": "operator", "agenda": "agenda",
}
"""Lexicon measure -> pattern family; each family is one compiled alternation scanned once per block."""

OPPOSITE = {"separation": "linkage", "linkage": "separation"}
_TWO_ISSUES = frozenset({"trade", "security"})
CONTEXT_SENTENCES = 2
"""A context cue counts when security and trade (or a negotiation) are named in its sentence or the ones before."""
MIXED_RATIO = 0.5
"""A sentence is `mixed` when the weaker stance has more than this share of the stronger one's weight."""
HEADLINE_WEIGHT = 2.0
"""The headline counts this many times in the stance score (prominence)."""
AGENDA_WORDS = 40
"""How many words after an agenda verb ('discuss', 'negotiate', 'talks on') its list of topics may run."""

_CLAUSE_BREAK = re.compile(
    r"[,;:—–()\[\]]|\b(?:but|however|while|whereas|although|though|because|since|which|who|whom|whose|where|when"
    r"|after|before|amid|meanwhile)\b",
    re.IGNORECASE,
)
"""Where a clause starts: the scope of a negation, hedge or condition is the clause that holds the cue."""
_QUOTE_SPAN = re.compile(r"“[^”]*(?:”|$)|\"[^\"\n]*(?:\"|$)", re.MULTILINE)
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
_RELATIVE_SAID = re.compile(r"(?:\bwhat\s+\w+|\b(?:be|is|was|been))\s+$", re.IGNORECASE)
"""'what he said is', 'it can be said': a speech verb that attributes nothing."""
_NO_QUOTE_KINDS = frozenset({"term", "indirect"})

Row = dict[str, Any]


class Lexicon(CueScanner):
    """The framing lexicon: the rows of data/lexicons/framing.csv, compiled for one-pass scanning (framing_scan)."""

    def __init__(self, rows: Iterable[dict[str, str]]) -> None:
        entries: list[Entry] = []
        for i, row in enumerate(rows):
            pattern = row.get("term_or_pattern", "")
            measure = row.get("measure", "")
            if not pattern or pattern.startswith("#") or measure not in FAMILY:
                continue
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{LEXICON}, row {i + 2}: bad pattern {pattern!r}: {exc}") from None
            entries.append(Entry(i, pattern, measure, row.get("value", ""), float(row.get("weight") or 1)))
        super().__init__(entries, FAMILY)


def _lexicon(res: Resources) -> Lexicon:
    return res.memo("framing.lexicon", lambda: Lexicon(res.csv(LEXICON, required=("term_or_pattern", "measure", "value", "weight"))))


NON_DENIALS = "lexicons/non_denials.csv"
NON_DENIAL_ENTRY = Entry(-1, "non-denial", "operator", "hedge", 0.5)
"""A negation followed by a verb that withholds an answer ('would not say whether'): it hedges, it does not flip."""


def _non_denial(res: Resources) -> re.Pattern[str]:
    """Matches, right after a negation, the verb of a non-denial (data/lexicons/non_denials.csv), up to three words on."""
    def build() -> re.Pattern[str]:
        forms = [r["form"].lower() for r in res.csv(NON_DENIALS, required=("form",)) if r["form"] and not r["form"].startswith("#")]
        alts = "|".join(r"\s+".join(map(re.escape, f.split())) for f in sorted(forms, key=len, reverse=True))
        return re.compile(r"\s+(?:[\w’'-]+\s+){0,3}?(?:" + alts + ")" if alts else r"(?!)")
    return res.memo("framing.non_denial", build)


# --- per-sentence analysis -----------------------------------------------------------------------


@dataclass
class _Sentence:
    sid: int
    start: int
    end: int
    text: str
    role: str
    cues: dict[str, list[Cue]]
    op_starts: list[int] = field(default_factory=list)


def _bucket(cues: list[tuple[str, Cue]], sentences: list[_Sentence], starts: list[int]) -> None:
    """Put each cue into the sentence that holds it (cues arrive mostly in text order: the last sentence is tried first)."""
    i = 0
    sent = sentences[0]
    n = len(sentences)
    for family, cue in cues:
        start = cue[1]
        if not (sent.start <= start < sent.end):
            if i + 1 < n and sentences[i + 1].start <= start < sentences[i + 1].end:
                i += 1
            else:
                i = bisect.bisect_right(starts, start) - 1
                if i < 0:
                    i = 0
                    sent = sentences[0]
                    continue
            sent = sentences[i]
        if sent.start <= start and cue[2] <= sent.end:
            bucket = sent.cues.get(family)
            if bucket is None:
                sent.cues[family] = [cue]
            else:
                bucket.append(cue)


def _clause_start(text: str, sent_start: int, pos: int) -> int:
    """Start of the clause that ends at `pos` (absolute): after the last clause break before it in the sentence."""
    last = sent_start
    for m in _CLAUSE_BREAK.finditer(text, sent_start, pos):
        last = m.end()
    return last


@dataclass
class _Scored:
    cue: Cue
    value: str
    weight: float
    negated: bool
    hedged: bool
    operators: tuple[Cue, ...] = ()


def _score_stance(text: str, sent: _Sentence, cue: Cue) -> _Scored:
    """Apply negations, conditions and hedges found earlier in the cue's clause."""
    lo = _clause_start(text, sent.start, cue.start)
    negations = 0
    factor = 1.0
    hedge = 1.0
    conditional = False
    used: list[Cue] = []
    ops = sent.cues.get("operator", [])
    first = bisect.bisect_left(sent.op_starts, lo)
    last = bisect.bisect_left(sent.op_starts, cue.start)
    for op in ops[first:last]:
        if op.end > cue.start:
            continue
        kind = op.entry.value
        if kind == "judgement":  # 'inappropriate to link them': a negation
            kind = "negation"
        if kind in ("conditional", "negation", "hedge"):
            used.append(op)
        if kind == "conditional":
            conditional = True
            hedge = min(hedge, op.entry.weight)
        elif kind == "negation":
            if conditional:
                hedge = min(hedge, 0.5)
            else:
                negations += 1
                factor *= op.entry.weight
        elif kind == "hedge":
            hedge = min(hedge, op.entry.weight)
    # a negative judgement after the cue, in its clause: 'discussing security in the trade talks is not appropriate'
    # (or inside a long cue: 'considers it inappropriate to link them together')
    stop = _CLAUSE_BREAK.search(text, cue.end, sent.end)
    hi = stop.start() if stop is not None else sent.end
    for op in ops[bisect.bisect_right(sent.op_starts, cue.start):bisect.bisect_left(sent.op_starts, hi)]:
        if op.entry.value == "judgement" and op.end <= hi and not conditional:
            used.append(op)
            negations += 1
    value = cue.entry.value
    negated = negations % 2 == 1
    if negated:
        value = OPPOSITE.get(value, value)
    return _Scored(cue, value, cue.entry.weight * factor * hedge, negated, hedge < 1.0, tuple(used))


def _trade_subject(text: str, sent: _Sentence, cue: Cue) -> bool:
    """Whether the cue's clause is about a trade matter only: one named before the cue and no security matter in the
    clause ('the exchange rate did not come up, but ...': a linkage context cue there says nothing about security).
    A separation cue may be said of the talks themselves ('the consultations will focus mainly on economic measures')."""
    if cue.entry.value != "linkage":
        return False
    lo = _clause_start(text, sent.start, cue.start)
    stop = _CLAUSE_BREAK.search(text, cue.end, sent.end)
    hi = stop.start() if stop is not None else sent.end
    topics = [c for c in sent.cues.get("topic", ()) if lo <= c.start < hi]
    if any(c.entry.value == "security" for c in topics) or any(lo <= c.start < hi and c.entry.value == "both"
                                                                for c in sent.cues.get("operator", ())):
        return False
    return any(c.entry.value == "trade" and c.end <= cue.start for c in topics)


_TAUTOLOGY = re.compile(r"(?<!\w)((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+(?:is|are)\s+\1(?!\w)")
"""'X is X': 'Security is security and trade is trade', 'Tariff negotiations are tariff negotiations'."""
TAUTOLOGY_ENTRY = Entry(-1, _TAUTOLOGY.pattern, "stance_context", "separation", 1.0)
"""A tautology about one of the two issues asserts that it is its own matter (separation)."""


def _may_be_tautology(low: str, start: int, end: int) -> bool:
    """Cheap test: the word before some ' is ' / ' are ' recurs among the three words after it."""
    for verb in (" is ", " are "):
        i = low.find(verb, start, end)
        while i >= 0:
            before = low[max(start, i - 30):i].rsplit(None, 1)
            after = [w.strip(".,;:!?”\"'’") for w in low[i + len(verb):min(end, i + len(verb) + 40)].split(None, 3)[:3]]
            if before and before[-1].strip("“\"'‘’") in after:
                return True
            i = low.find(verb, i + 1, end)
    return False


def _tautologies(low: str, sent: _Sentence) -> list[Cue]:
    """'X is X' cues whose X is a trade or security term (a topic cue lies inside it)."""
    out: list[Cue] = []
    topics = sent.cues.get("topic", ())
    for m in _TAUTOLOGY.finditer(low, sent.start, sent.end):
        s, e = m.span(1)
        if any(s <= c.start and c.end <= e and c.entry.value in ("trade", "security") for c in topics):
            out.append(Cue(TAUTOLOGY_ENTRY, m.start(), m.end()))
    return out


_OBJECT_END = re.compile(
    r"[;:!?—–()\[\]]|\b(?:but|however|while|whereas|although|though|because|since|which|who|whom|whose|where|when"
    r"|after|before|amid|meanwhile|if|unless|said|says|told|according|instead"
    r"|(?P<apart>separately|apart|independently|one\s+(?:at\s+a\s+time|after\s+(?:the\s+)?other|by\s+one)|in\s+sequence|sequentially))\b"
)
"""Where the topic list of an agenda verb ends: its clause ends, or the sentence says how the topics are kept."""
_LIST_GLUE = re.compile(
    r"[\s,“”\"'‘’]*(?:(?:and|or|as well as|plus|along with)\s+)?[\s“”\"'‘’]*"
    r"(?:(?!(?:in|to|for|of|with|at|on|over|about|by|from|during)\b)[\w’'.-]+\s+){0,3}?[\s“”\"'‘’]*"
)
"""What may stand between two items of one list: commas, 'and', 'or', 'as well as' and a few words, no preposition."""
_BARGAINING = re.compile(r"negotiat|talks|consultations|bargain")
"""Agenda words of a negotiation: talks over trade and security ties are one bargain over both (not mere co-occurrence)."""
_ALSO = re.compile(r"\b(?:also|even|too)\s+(?:[\w’'-]+\s+)?$")
"""'would also discuss what Japan pays': a cost added to the talks already in view."""


def _agendas(low: str, sent: _Sentence) -> tuple[list[Cue], set[tuple[int, int]]]:
    """Stance cues from agenda verbs whose list of topics names a security matter ('to negotiate tariffs, the cost
    of military support and trade fairness'; 'No discussions on currency, security').

    The cue is the verb (its clause scopes negations; quoted topics do not make the verb a quoted voice). With a cost of the security side
    ('the cost of', 'pays', 'host-nation support') and a trade matter in the list, the cue names both issues (measure
    `stance`); otherwise it is a context cue that needs both issues in view and a trade matter named in the sentence (or,
    for a cost, an 'also' that adds it to the talks in view: 'would also discuss what Japan pays for the bases'). Security merely side by side with a trade
    matter ('discussed security and trade') counts only when denied ('no discussions on currency, security') unless the
    agenda word is a negotiation ('talks over trade and security ties': one bargain over both): the
    second set returned holds the spans of those denial-only cues.
    """
    cues: list[Cue] = []
    denial_only: set[tuple[int, int]] = set()
    topics = sent.cues.get("topic", ())
    costs = [c for c in sent.cues.get("operator", ()) if c.entry.value == "cost"]
    # a trade matter, or talks not named for the security side ('defense talks'), in the sentence; a 'deal' may be
    # the cost-sharing agreement itself
    security_ends = [c.end for c in topics if c.entry.value == "security"]
    trade_named = any(c.entry.value == "trade" for c in topics) or any(
        c.entry.value == "negotiation" and not low.startswith("deal", c.start)
        and not any(0 <= c.start - e <= 12 for e in security_ends)
        for c in sent.cues.get("operator", ()))
    for verb in sent.cues.get("agenda", ()):
        end = sent.end
        stop = _OBJECT_END.search(low, verb.end, sent.end)
        if stop is not None:
            if stop.group("apart"):
                continue  # 'discuss troop costs separately', 'take up tariffs and troops one at a time': a separation cue
            end = stop.start()
        words = list(itertools.islice(_WORD.finditer(low, verb.end, end), AGENDA_WORDS + 1))
        if len(words) > AGENDA_WORDS:
            end = words[AGENDA_WORDS].start()
        inside = [c for c in topics if verb.end <= c.start and c.end <= end]
        security = [c for c in inside if c.entry.value == "security"]
        if not security:
            continue
        trade = [c for c in inside if c.entry.value == "trade"]
        cost = any(verb.end <= c.start and c.end <= end for c in costs)
        span = (verb.start, verb.end)
        if cost and trade:
            measure = "stance"
        else:
            measure = "stance_context"
            if not trade and not trade_named and not (cost and _ALSO.search(low, max(sent.start, verb.start - 20), verb.start)):
                continue  # the talks in view may be the cost-sharing talks themselves: the trade side must be named
            if trade and not cost and not _BARGAINING.match(low, verb.start) and any(
                _LIST_GLUE.fullmatch(low, min(a.end, b.end), max(a.start, b.start))
                for a in security for b in trade if a.end <= b.start or b.end <= a.start
            ):
                denial_only.add(span)
        weight = verb.entry.weight if cost else verb.entry.weight / 2  # 'discussed defense' alone is a weak cue
        cues.append(Cue(dataclasses.replace(verb.entry, measure=measure, weight=weight), *span))
    return cues, denial_only


def _drop_overlaps(cues: list[Cue]) -> list[Cue]:
    """Keep the longest of overlapping cues (a specific phrase beats a word inside it); O(n log n)."""
    starts: list[int] = []
    kept: list[Cue] = []
    for cue in sorted(cues, key=lambda c: (c.start - c.end, c.start)):
        i = bisect.bisect_right(starts, cue.start)
        if i and kept[i - 1].end > cue.start:
            continue
        if i < len(kept) and kept[i].start < cue.end:
            continue
        starts.insert(i, cue.start)
        kept.insert(i, cue)
    return kept


def _overlapping_quotes(sentences: list[_Sentence], quotes: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """For each sentence, the quote spans that overlap it (one sweep over both, in order)."""
    ordered = sorted(quotes)
    out: list[list[tuple[int, int, str]]] = []
    active: list[tuple[int, int, str]] = []
    j = 0
    for sent in sentences:
        while j < len(ordered) and ordered[j][0] < sent.end:
            active.append(ordered[j])
            j += 1
        active = [q for q in active if q[1] > sent.start]
        out.append([q for q in active if q[0] < sent.end])
    return out


def _quote_spans(doc: Document) -> list[tuple[int, int, str]]:
    """(start, end, speaker_group) of quotations: the quotes table, plus quotation marks in content blocks."""
    spans: list[tuple[int, int, str]] = []
    for q in doc.tables.get("quotes") or ():
        try:
            s, e = int(q["char_start"]), int(q["char_end"])
        except (KeyError, TypeError, ValueError):
            continue
        spans.append((s, e, str(q.get("speaker_group") or "")))
    for block in doc.blocks:
        if block.role not in ("headline", "subhead", "body"):
            continue
        for m in _QUOTE_SPAN.finditer(doc.text, block.char_start, block.char_end):
            if len(_WORD.findall(m.group())) >= 4:
                spans.append((m.start(), m.end(), ""))
    return spans


HEADLINE_SPEAKERS = "lexicons/headline_speakers.csv"
_COLON_SIDE_WORDS = 5
"""A headline side naming its speaker ('Korean media', 'Japan PM') has at most this many words."""


def _headline_speakers(res: Resources) -> frozenset[str]:
    """Nouns that name a speaker beside a headline colon (data/lexicons/headline_speakers.csv)."""
    return res.memo("framing.headline_speakers", lambda: frozenset(
        r["form"].lower() for r in res.csv(HEADLINE_SPEAKERS, required=("form",)) if r["form"] and not r["form"].startswith("#")))


def _colon_voice(doc: Document, sent: _Sentence, speakers: frozenset[str]) -> str | None:
    """The speaker group ('' when unknown) of a headline attributed with a colon ('…: Japan PM', 'Korean media: …'):
    one side of the colon is short and ends in a speaker noun or an actor mention; None otherwise."""
    text = doc.text
    i = text.find(":", sent.start, sent.end)
    j = text.rfind(":", sent.start, sent.end)
    mentions = doc.tables.get("mentions") or ()
    for lo, hi in ((sent.start, i), (j + 1, sent.end)):
        side = text[lo:hi].strip(" “”\"'‘’.!?")
        words = _WORD.findall(side)
        if not words or len(words) > _COLON_SIDE_WORDS or "’s" in side or "'s" in side:
            continue
        end = lo + len(text[lo:hi].rstrip(" “”\"'‘’.!?"))
        groups = [str(m.get("group") or "") for m in mentions if lo <= int(m["char_start"]) and int(m["char_end"]) <= end]
        if words[-1].lower() in speakers or any(int(m["char_end"]) == end and lo <= int(m["char_start"]) for m in mentions):
            return next((g for g in groups if g), "")
    return None


def _voice(doc: Document, sent: _Sentence, deciding: list[_Scored], quotes: list[tuple[int, int, str]],
           speakers: frozenset[str] = frozenset()) -> tuple[str, str]:
    """(voice, speaker_group): `actor` when the deciding cues are quoted or the sentence reports speech.

    `quotes` are the quote spans overlapping the sentence.
    """
    group = ""
    quoted = False
    for s, e, g in quotes:
        if any(min(e, sc.cue.end) > max(s, sc.cue.start) for sc in deciding):
            quoted = True
            group = group or g
    if quoted:
        return "actor", group
    if sent.role == "headline" and ":" in sent.text:
        colon = _colon_voice(doc, sent, speakers)
        if colon is not None:
            return "actor", group or colon
    if not deciding and quotes:
        inside = sum(max(0, min(e, sent.end) - max(s, sent.start)) for s, e, _ in quotes)
        if inside * 2 >= sent.end - sent.start:
            return "actor", next((g for _, _, g in quotes if g), "")
    for op in sent.cues.get("operator", ()):
        if op.entry.value == "attribution" and not _RELATIVE_SAID.search(doc.text[max(sent.start, op.start - 20):op.start]):
            return "actor", group or next((g for _, _, g in quotes if g), "")
    return "outlet", group


def _cue_row(aid: str, sid: int, text: str, cue: Cue, value: str, weight: float, negated: bool, hedged: bool) -> Row:
    return {
        "article_id": aid, "cue_id": 0, "sentence_id": sid, "char_start": cue.start, "char_end": cue.end,
        "text": text[cue.start:cue.end], "measure": cue.entry.measure, "value": value,
        "weight": weight if weight == cue.entry.weight else round(weight, 3),
        "negated": negated, "hedged": hedged, "lexicon_line": cue.entry.line,
    }


def extract(doc: Document, res: Resources) -> dict[str, list[Row]]:
    """Label each content sentence and record the cue words behind every label."""
    lex = _lexicon(res)
    text = doc.text
    aid = doc.article_id
    roles = {b.block_id: b.role for b in doc.blocks}
    sentences = [_Sentence(s.sentence_id, s.char_start, s.char_end, s.text, roles.get(s.block_id, "body"), {}) for s in doc.sentences]
    if not sentences:
        return {"framing": [], "framing_cues": []}
    starts = [s.start for s in sentences]
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: keep offsets exact
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    # one scan over the span of the content sentences; cues outside a sentence (captions) are dropped
    _bucket(lex.scan(low, sentences[0].start, max(s.end for s in sentences)), sentences, starts)
    non_denial = _non_denial(res)
    speakers = _headline_speakers(res)
    views: list[set[str]] = []
    for sent in sentences:
        for family, cues in sent.cues.items():
            if family not in ("topic", "frame") and len(cues) > 1:
                sent.cues[family] = _drop_overlaps(cues)
        ops = sent.cues.get("operator")
        if ops:  # 'would not say whether': a non-denial hedges the cue instead of flipping it
            sent.cues["operator"] = [Cue(NON_DENIAL_ENTRY, c.start, c.end)
                                     if c.entry.value == "negation" and non_denial.match(low, c.end, sent.end) else c for c in ops]
        sent.op_starts = [c.start for c in sent.cues.get("operator", ())]
        labels = {c.entry.value for c in sent.cues.get("topic", ())}
        for c in sent.cues.get("operator", ()):
            if c.entry.value == "negotiation":
                labels.add("negotiation")
            elif c.entry.value == "both":  # 'the two issues': both sides are in view
                labels.add("both")
        views.append(labels)
    quotes_by_sentence = _overlapping_quotes(sentences, _quote_spans(doc))
    framing: list[Row] = []
    cue_rows: list[Row] = []
    for i, sent in enumerate(sentences):
        sid = sent.sid
        cues_here: list[Row] = []
        topics = views[i] & _TWO_ISSUES
        if "linkage" in views[i] and len(topics) == 2:  # a linking word with both issues named
            topics.add("linkage")
        frames = {c.entry.value for c in sent.cues.get("frame", ())}
        for fam in ("topic", "frame"):
            for c in sent.cues.get(fam, ()):
                e = c.entry
                cues_here.append({
                    "article_id": aid, "cue_id": 0, "sentence_id": sid, "char_start": c.start, "char_end": c.end,
                    "text": text[c.start:c.end], "measure": e.measure, "value": e.value, "weight": e.weight,
                    "negated": False, "hedged": False, "lexicon_line": e.line,
                })
        near = views[i] | views[i - 1] if i else views[i]
        security_view = "security" in near or "both" in near
        trade_view = False
        if security_view:
            view = set().union(near, *views[max(0, i - CONTEXT_SENTENCES):i + 1])
            trade_view = "trade" in view or "negotiation" in view or "both" in view
        # stance
        scored: list[_Scored] = []
        stance_cues_here = sent.cues.get("stance", [])
        if security_view and trade_view and _may_be_tautology(low, sent.start, sent.end):
            stance_cues_here = stance_cues_here + _tautologies(low, sent)
        denial_only: set[tuple[int, int]] = set()
        if "agenda" in sent.cues:
            agenda, denial_only = _agendas(low, sent)
            if agenda:
                stance_cues_here = _drop_overlaps(stance_cues_here + agenda)
        for cue in stance_cues_here:
            if cue.entry.measure == "stance_context" and (not (security_view and trade_view) or _trade_subject(text, sent, cue)):
                continue
            sc = _score_stance(text, sent, cue)
            if not sc.negated and (cue.start, cue.end) in denial_only:
                continue  # two topics side by side in a list of what was discussed: no cue unless denied
            scored.append(sc)
        stance = ""
        if scored:
            link = sum(s.weight for s in scored if s.value == "linkage")
            sep = sum(s.weight for s in scored if s.value == "separation")
            if max(link, sep) > 0:
                if min(link, sep) > MIXED_RATIO * max(link, sep):
                    stance = "mixed"
                else:
                    stance = "linkage" if link > sep else "separation"
            topics.add("linkage")
            applied: dict[int, Cue] = {}
            for sc in scored:
                cues_here.append(_cue_row(aid, sid, text, sc.cue, sc.value, sc.weight, sc.negated, sc.hedged))
                for op in sc.operators:
                    applied[op.start] = op
            for op in sorted(applied.values(), key=lambda c: c.start):
                cues_here.append(_cue_row(aid, sid, text, op, op.entry.value, op.entry.weight, False, False))
        if stance:  # whether to bargain the issues together is a claim about negotiating strategy
            frames.add("political_strategy")
        # evaluation of the "Japan doesn't pay" / fair-share claim
        evaluation, eval_cues = "", []
        if ("evaluation" in sent.cues or "support" in sent.cues) and ("security" in views[i] or (i and "security" in views[i - 1])):
            evaluation, eval_cues = _evaluate(text, sent, sid, aid, cues_here)
        if evaluation:  # the fair-share claim is a fairness argument, whichever side the sentence takes
            frames.add("fairness")
        deciding = [s for s in scored if stance == "mixed" or s.value == stance] + eval_cues
        voice, group = _voice(doc, sent, deciding, quotes_by_sentence[i], speakers)
        stance_cues = " | ".join(
            f"{text[sc.cue.start:sc.cue.end]} -> {sc.value}{' (negated)' if sc.negated else ''}{' (hedged)' if sc.hedged else ''}"
            for sc in scored
        ) if scored else ""
        framing.append({
            "article_id": aid, "sentence_id": sid, "char_start": sent.start, "char_end": sent.end, "text": sent.text,
            "topics": ";".join(t for t in TOPICS if t in topics),
            "frames": ";".join(f for f in FRAMES if f in frames),
            "stance": stance, "stance_cues": stance_cues, "evaluation": evaluation,
            "voice": voice, "speaker_group": group,
        })
        cue_rows.extend(cues_here)
    for n, row in enumerate(cue_rows):
        row["cue_id"] = n
    return {"framing": framing, "framing_cues": cue_rows}


def _evaluate(text: str, sent: _Sentence, sid: int, aid: str, out: list[Row]) -> tuple[str, list[_Scored]]:
    """`challenge`, `endorsement` or '' for a sentence with a security matter in view; appends the counted cues to `out`."""
    cues = sent.cues.get("evaluation", [])
    chal = [c for c in cues if c.entry.value == "challenge"]
    # a denied demand ('Washington has not asked Tokyo to pay more') puts no fair-share argument forward
    endo = [c for c in cues if c.entry.value == "endorsement" and not _score_stance(text, sent, c).negated]
    support = sent.cues.get("support", [])
    contribution = [c for c in support if c.entry.value == "contribution"]
    money = [c for c in support if c.entry.value == "money"]
    has_security = any(c.entry.value == "security" for c in sent.cues.get("topic", ()))
    figures = bool(contribution and money and has_security and not endo)
    for c in cues:
        out.append(_cue_row(aid, sid, text, c, c.entry.value, c.entry.weight, False, False))
    if figures:
        for c in contribution + money:
            out.append(_cue_row(aid, sid, text, c, "challenge", c.entry.weight, False, False))
    if chal or figures:
        deciding = chal + (contribution if figures else [])
        return "challenge", [_Scored(c, "challenge", c.entry.weight, False, False) for c in deciding]
    if endo:
        return "endorsement", [_Scored(c, "endorsement", c.entry.weight, False, False) for c in endo]
    return "", []


# --- outlet level --------------------------------------------------------------------------------

OUTLET_COLUMNS = [
    "article_id", "outlet", "kind", "n_sentences",
    *(f"topic_{t}" for t in TOPICS), "linkage_context_share",
    *(f"frame_{f}" for f in FRAMES),
    "separation_outlet", "separation_actor", "linkage_outlet", "linkage_actor", "mixed",
    "headline_stance", "stance_score",
    "challenge_outlet", "challenge_actor", "endorsement_outlet", "endorsement_actor", "n_challenge", "n_endorsement",
    "quoted_words_total", "quoted_words_by_group",
]
"""Columns of `outlet_framing` (shares are over body sentences)."""


def stance_score(linkage: float, separation: float) -> float:
    """(L − S) / (L + S + 1): −1 all separation, +1 all linkage, near 0 when balanced or silent."""
    return round((linkage - separation) / (linkage + separation + 1.0), 3)


def _words(text: Any) -> int:
    return len(_WORD.findall(str(text))) if isinstance(text, str) else 0


def outlet_counts(doc: Document, res: Resources) -> dict[str, list[Row]]:
    """The article's private `article_framing` row: its `outlet_framing` values after article_id, outlet and kind."""
    aid = doc.article_id
    tables = doc.tables
    roles = _roles(
        [(aid, b["block_id"], b["role"]) for b in tables.get("blocks", ())],
        [(aid, s["sentence_id"], s["block_id"]) for s in tables.get("sentences", ())],
    )
    quoted = _quoted([(aid, _text(q.get("kind")), _text(q.get("speaker_group")), q.get("text"))
                      for q in tables.get("quotes", ())])
    rows = tables.get("framing", ())
    values = row_tuples(rows, _FRAMING_COLUMNS)
    counts = _counts([(aid, sid, *("" if v is None else v for v in labels)) for sid, *labels in values], roles)
    return {"article_framing": [{"article_id": aid, "counts": _values(counts.get(aid, _EMPTY), quoted.get(aid, {}))}]}


_FRAMING_COLUMNS = ("sentence_id", "topics", "frames", "stance", "evaluation", "voice")


def _text(value: Any) -> str:
    """A text value as the corpus step reads it from a DataFrame (fillna("").astype(str)): "" where missing."""
    return "" if value is None or value != value else str(value)


def _roles(blocks: Iterable[tuple[str, int, str]], sentences: Iterable[tuple[str, int, int]]) -> dict[tuple[str, int], str]:
    """The role of each sentence's block, by (article_id, sentence_id), from (article_id, block_id, role) and
    (article_id, sentence_id, block_id)."""
    block_role = {(a, b): r for a, b, r in blocks}
    return {(a, s): block_role.get((a, b), "body") for a, s, b in sentences}


def _quoted(quotes: Iterable[tuple[str, str, str, Any]]) -> dict[str, dict[str, int]]:
    """Quoted words per article and speaker group, from (article_id, kind, speaker_group, text)."""
    quoted: dict[str, dict[str, int]] = {}
    for a, kind, g, t in quotes:
        if kind in _NO_QUOTE_KINDS:
            continue
        per = quoted.setdefault(a, {})
        g = g or "unattributed"
        per[g] = per.get(g, 0) + _words(t)
    return quoted


def _counts(rows: Iterable[tuple[Any, ...]], roles: dict[tuple[str, int], str]) -> dict[str, dict[str, Any]]:
    """Per article, in one pass over its framing rows (article_id, sentence_id, topics, frames, stance,
    evaluation, voice): counts of labels among body sentences, of stance and evaluation per voice, and the
    headline stances (in order)."""
    counts: dict[str, dict[str, Any]] = {}
    for aid, sid, topics, frames, stance, evaluation, voice in rows:
        acc = counts.get(aid)
        if acc is None:
            acc = counts[aid] = {"body": 0, "labels": {}, "voiced": {}, "mixed": 0, "heads": []}
        role = roles.get((aid, int(sid)))
        if role is None or role == "body":
            acc["body"] += 1
            labels = acc["labels"]
            for label in {*str(topics).split(";"), *(f"frame:{f}" for f in str(frames).split(";"))}:
                labels[label] = labels.get(label, 0) + 1
        voiced = acc["voiced"]
        if role == "headline":
            acc["heads"].append(stance)
        else:
            key = (stance, voice)
            voiced[key] = voiced.get(key, 0) + 1
            if stance == "mixed":
                acc["mixed"] += 1
        key = (f"evaluation:{evaluation}", voice)
        voiced[key] = voiced.get(key, 0) + 1
    return counts


_EMPTY: dict[str, Any] = {"body": 0, "labels": {}, "voiced": {}, "mixed": 0, "heads": []}
"""The counts of an article without framing rows."""


def _values(acc: dict[str, Any], groups: dict[str, int]) -> list[Any]:
    """An article's `outlet_framing` values after article_id, outlet and kind, from its counts and quoted words."""
    labels, voiced, heads = acc["labels"], acc["voiced"], acc["heads"]
    n = acc["body"] or 1
    rec: Row = {"n_sentences": acc["body"]}
    for t in TOPICS:
        rec[f"topic_{t}"] = round(labels.get(t, 0) / n, 3)
    rec["linkage_context_share"] = rec["topic_linkage"]
    for f in FRAMES:
        rec[f"frame_{f}"] = round(labels.get(f"frame:{f}", 0) / n, 3)
    for stance in ("separation", "linkage"):
        for voice in ("outlet", "actor"):
            rec[f"{stance}_{voice}"] = voiced.get((stance, voice), 0)
    rec["mixed"] = acc["mixed"]
    head = heads[0] if heads else ""
    rec["headline_stance"] = head
    link = rec["linkage_outlet"] + rec["linkage_actor"] + 0.5 * rec["mixed"]
    sep = rec["separation_outlet"] + rec["separation_actor"] + 0.5 * rec["mixed"]
    for h in heads:
        link += HEADLINE_WEIGHT * {"linkage": 1.0, "mixed": 0.5}.get(h, 0.0)
        sep += HEADLINE_WEIGHT * {"separation": 1.0, "mixed": 0.5}.get(h, 0.0)
    rec["stance_score"] = stance_score(link, sep)
    for ev in ("challenge", "endorsement"):
        for voice in ("outlet", "actor"):
            rec[f"{ev}_{voice}"] = voiced.get((f"evaluation:{ev}", voice), 0)
        rec[f"n_{ev}"] = rec[f"{ev}_outlet"] + rec[f"{ev}_actor"]
    rec["quoted_words_total"] = sum(groups.values())
    rec["quoted_words_by_group"] = ";".join(f"{g}={w}" for g, w in sorted(groups.items(), key=lambda x: (-x[1], x[0])))
    return [rec[c] for c in OUTLET_COLUMNS[3:]]


def corpus_tables(tables: dict[str, Any], res: Resources) -> dict[str, pd.DataFrame]:
    """The `outlet_framing` table: one row per article.

    Each article's values come from its private `article_framing` row (computed with the article);
    a caller that passes only the per-article DataFrames gets them computed from those here.
    """
    articles = tables.get("articles")
    private = tables.get("article_framing")
    if private is not None:
        values = dict(private)
    else:
        framing = tables.get("framing")
        if articles is None or framing is None:
            return {"outlet_framing": pd.DataFrame(columns=OUTLET_COLUMNS)}
        values = _values_from_frames(tables)
    if articles is None:
        return {"outlet_framing": pd.DataFrame(columns=OUTLET_COLUMNS)}
    filled = articles.fillna("")
    ids = filled["article_id"].tolist()
    outlets = filled["outlet"].tolist() if "outlet" in filled else [""] * len(filled)
    kinds = filled["kind"].tolist() if "kind" in filled else [""] * len(filled)
    empty = _values(_EMPTY, {})  # an article without framing rows
    out = [[aid, outlet, kind, *values.get(aid, empty)] for aid, outlet, kind in zip(ids, outlets, kinds, strict=True)]
    return {"outlet_framing": pd.DataFrame(out, columns=OUTLET_COLUMNS)}


def _values_from_frames(tables: dict[str, Any]) -> dict[str, list[Any]]:
    """Each article's `outlet_framing` values (after article_id, outlet and kind) from the per-article DataFrames."""
    framing = tables["framing"]
    roles: dict[tuple[str, int], str] = {}
    sentences, blocks = tables.get("sentences"), tables.get("blocks")
    if sentences is not None and blocks is not None and len(sentences):
        roles = _roles(
            zip(blocks["article_id"].tolist(), blocks["block_id"].astype(int).tolist(), blocks["role"].tolist(), strict=True),
            zip(sentences["article_id"].tolist(), sentences["sentence_id"].astype(int).tolist(),
                sentences["block_id"].astype(int).tolist(), strict=True),
        )
    quotes = tables.get("quotes")
    quoted: dict[str, dict[str, int]] = {}
    if quotes is not None and len(quotes):
        kinds = quotes["kind"].fillna("").astype(str) if "kind" in quotes else pd.Series([""] * len(quotes))
        groups_col = quotes["speaker_group"].fillna("").astype(str) if "speaker_group" in quotes else pd.Series([""] * len(quotes))
        quoted = _quoted(zip(quotes["article_id"].tolist(), kinds.tolist(), groups_col.tolist(), quotes["text"].tolist(), strict=True))
    counts: dict[str, dict[str, Any]] = {}
    if len(framing):
        needed = ("article_id", "sentence_id", "topics", "frames", "stance", "evaluation", "voice")
        counts = _counts(zip(*(framing[c].fillna("").tolist() if c in framing else [""] * len(framing) for c in needed),
                             strict=True), roles)
    ids = tables["articles"]["article_id"].fillna("").tolist()
    return {aid: _values(counts.get(aid, _EMPTY), quoted.get(aid, {})) for aid in ids}
