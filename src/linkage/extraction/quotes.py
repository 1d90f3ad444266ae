"""Quotes (direct, partial, term, indirect) with speaker attribution.

The quotation marks are paired here (`find_quote_spans`); who said each quotation is decided by the
ordered rules of `attribution.ATTRIBUTION_RULES` (listed in docs/method-quotes.md); reported speech
without quotation marks is read by `indirect`. Cue verbs, claim nouns and anonymous-source nouns come
from data/lexicons/speech_cues.csv (`speech`).
"""

from __future__ import annotations

import re
from typing import Any

from ..pipeline.resources import Resources
from .actors import registry
from .attribution import Quote, attribute, bare_cue, leading_cue
from .corpus import CONTENT_ROLES, Document
from .indirect import indirect
from .speakers import AFTER_SENTENCE_END, Context, Row, Speaker, quote_row
from .speech import Cues, cues

__all__ = ["Cues", "cues", "find_quote_spans", "extract"]

_MARKS = re.compile(r"[“”\"‘’'](?<!\w[’'](?=\w))")
"""Quotation marks; an apostrophe inside a word ("Japan’s", "don't") is never one."""

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


_WORD_BEFORE = re.compile(r"([\w-]+)\s*$")
_WORD_AFTER = re.compile(r"\s*([\w-]+)")


def _format_label(text: str, s: int, e: int, close: int, heads: frozenset[str]) -> bool:
    """Whether the quotation text[s:e] is a short label right before a format or measure noun and after a
    lower-case word ("a high-level “2+2” meeting", "a “reciprocal” tariff"), or has no letter at all
    ("in '2+2' trade talks"): a name, not someone's words in place."""
    if len(text[s:e].split()) > 3 or QUOTE_END.search(text[s:e]):
        return False
    if not any(ch.isalpha() for ch in text[s:e]):
        return True  # "2+2", "3+3": a format's name, never a speaker's words
    after = _WORD_AFTER.match(text, close + 1)
    if after is None or after.group(1).lower() not in heads:
        return False
    before = _WORD_BEFORE.search(text, max(0, s - 40), max(0, s - 1))
    return before is not None and before.group(1)[:1].islower()


QUOTE_END = re.compile(r"[.?!,]$")


def extract(doc: Document, res: Resources) -> dict[str, list[dict[str, Any]]]:
    """Find quotations and reported speech and attribute each to a speaker."""
    reg = registry(res)
    cue = cues(res)
    term_heads = res.memo("quotes.term_heads", lambda: frozenset(
        r["word"].strip().lower() for r in res.csv("lexicons/term_heads.csv", required=("word",))
    ))
    text = doc.text
    found: list[tuple[int, int, str, str]] = []  # inner start, inner end, mark, block role
    for block in doc.blocks:
        if block.role not in CONTENT_ROLES:
            continue
        for s, e, mark in find_quote_spans(text, block.char_start, block.char_end, block.role):
            found.append((s, e, mark, block.role))
    spans = [(s - 1, e + 1) for s, e, _m, _r in found]
    ctx = Context(doc, reg, cue, spans)
    rows: list[Row] = []
    prev: tuple[int, Speaker, int] | None = None  # block_id, speaker, sentence_id of the last attributed quote
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
        leading = leading_cue(ctx, sent.char_start, left)
        standalone = (
            not left.strip(" “‘\"'(—") or colon or leading is not None
            # a sentence the splitter did not cut off (the match can only start 2 or 3 characters before the trailing space)
            or bool(AFTER_SENTENCE_END.search(left, max(0, left_end - 3)))
            # "Ishiba said “We will protect our farmers.”": a whole sentence right after a speech verb
            or (quoted[:1].isupper() and quoted.rstrip(" ”’\"'")[-1:] in ".?!" and bare_cue(ctx, sent.char_start, left))
        )
        # the second half of a quotation split by its attribution ("“We are ready,” Iwaya said, “but …”")
        resumed = standalone and prev is not None and prev[2] == sent.sentence_id and rows and rows[-1]["kind"] == "direct"
        direct = standalone and (quoted[:1].isupper() or quoted[:1].isdigit() or resumed)
        if not direct and _format_label(text, s, e, close_pos, term_heads):
            speaker = None  # a high-level “2+2” meeting: the name of a format, no one's words
        else:
            speaker = attribute(Quote(ctx, e, right_start, left, right, sent, role, leading, colon, direct, prev))
        if direct:
            kind = "direct"
        elif speaker is not None:
            kind = "partial"
        else:
            kind = "term"
        if speaker is not None:
            prev = (block_id, speaker, sent.sentence_id)
        sp = speaker or Speaker("", "", "", "", "")
        if mark.endswith("…") and (speaker is None or speaker.attribution == "continued"):
            unclosed.append((len(rows), block_id))
        rows.append(quote_row(doc, len(rows), s, e, kind, sp, sent.sentence_id))
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
    for row in indirect(ctx, len(rows)):
        if (row["char_start"], row["char_end"]) not in seen:
            seen.add((row["char_start"], row["char_end"]))
            rows.append(row)
    rows.sort(key=lambda r: r["char_start"])
    for i, row in enumerate(rows):
        row["quote_id"] = i
    return {"quotes": rows}
