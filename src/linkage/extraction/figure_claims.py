"""Who claims a figure: the speaker of a quotation that holds it, or the person before a claim cue
("X says", "X's claim that") earlier in its sentence."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["CLAIM", "cue_claimer", "has_claim_word", "quote_claimer"]

Row = dict[str, Any]

CLAIM = re.compile(
    r"(?:’s|'s)\s+(?:false\s+|repeated\s+|latest\s+)?(?:claims?|assertions?|allegations?|insistence|arguments?|"
    r"complaints?|contention)\s+(?:that\s+)?"
    r"|\b(?:falsely|inaccurately|wrongly|repeatedly|erroneously)?\s*(?:claim(?:s|ed|ing)?|assert(?:s|ed|ing)?|"
    r"alleg(?:es|ed|ing)|insist(?:s|ed|ing)?|argu(?:es|ed|ing))\s+(?:that\s+)?",
)
_CLAIM_WORDS = ("claim", "assert", "alleg", "insist", "argu", "complaint", "contention")
"""Every match of CLAIM holds one of these (case as written); tests/test_figures.py checks every phrasing of CLAIM."""


def has_claim_word(text: str) -> bool:
    """Whether CLAIM can match anywhere in `text` (a substring test per word instead of a regex scan)."""
    return any(word in text for word in _CLAIM_WORDS)


_APPOSITIVE = re.compile(
    r"[\s”\"’']*[—–:]\s*(?:(?:about|around|approximately|roughly|nearly|almost|some|over|more than|less than|up to)\s+)?$"
)
_CLAUSE_BREAK = re.compile(r",\s+(?:the|a|an|this|these|those|its|their|his|her|our)\s", re.IGNORECASE)


def _in_scope(text: str) -> bool:
    """A claim reaches the figure unless a new clause ("…, the latest SMA shows …") starts in between."""
    return not _CLAUSE_BREAK.search(text)


def quote_claimer(quotes: list[Row], abs_start: int, raw: str) -> str | None:
    """actor_id of the speaker when the figure at `abs_start` lies in one of `quotes` (the tightest), else None."""
    best: Row | None = None
    for q in quotes:
        qs, qe = q.get("char_start", 0), q.get("char_end", 0)
        inside = qs <= abs_start < qe and (q.get("kind") != "indirect" or _in_scope(raw[qs:abs_start]))
        # an appositive after a dash continues the reported statement: "it pours more cash — about ¥456 billion"
        appended = qe <= abs_start and bool(_APPOSITIVE.match(raw, qe, abs_start))
        if (inside or appended) and (best is None or qe - qs < best["char_end"] - best["char_start"]):
            best = q
    return None if best is None else str(best["actor_id"])


def cue_claimer(mentions: list[Row], abs_start: int, sent_start: int, sent_text: str, say: re.Pattern[str]) -> str:
    """actor_id of the claimant of a claim cue ("X says", "X's claim that") before the figure, or ""."""
    mentions = [m for m in mentions if m.get("char_start", -1) < abs_start and m.get("actor_id")]
    if not mentions:
        return ""
    rel = abs_start - sent_start
    cue_start, cue_end = None, None
    if has_claim_word(sent_text):
        for m in CLAIM.finditer(sent_text, 0, rel):
            if m.group().strip():
                cue_start, cue_end = m.start(), m.end()
    for men in mentions:  # "X says (that) ..." with the figure later in the sentence
        end = men["char_end"] - sent_start
        said = say.match(sent_text, end)
        if said and end < rel and (cue_start is None or end > cue_start):
            cue_start, cue_end = end, said.end()
    if cue_start is None or cue_end is None or not _in_scope(sent_text[cue_end:rel]):
        return ""
    before = [m for m in mentions if m["char_end"] - sent_start <= cue_start + 1]
    return str(before[-1]["actor_id"]) if before else ""
