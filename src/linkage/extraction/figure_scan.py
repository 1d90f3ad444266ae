"""Where figures may start: numerals, number words, currency symbols and vague amounts, found in one
pass over the text (as bytes), then handed to the sentence that holds each."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from .corpus import Sentence
from .numerals import find_all, text_index

if TYPE_CHECKING:
    from .figures import Patterns

__all__ = ["number_hits", "hits_by_sentence"]

_NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
    "sixty", "seventy", "eighty", "ninety", "dozen", "hundred", "twice", "thrice", "half",
)
_FRACTION_WORDS = ("third", "thirds", "quarter", "quarters", "fourth", "fourths", "fifth", "fifths", "sixth", "sixths",
                   "seventh", "sevenths", "eighth", "eighths", "ninth", "ninths", "tenth", "tenths")
"""Denominators of fractions in words ("two-thirds", "a fifth of"): the fraction pattern is tried around them."""
_MULTIPLIER_WORDS = ("double", "doubled", "doubles", "doubling", "triple", "tripled", "triples", "tripling", "quadruple",
                     "quadrupled", "quadruples", "quadrupling")
"""Verbs of multiplying ("pushed Tokyo to quadruple its payments"): a ratio."""
_VAGUE_WORDS = ("tens", "hundreds", "thousands", "dozens", "several", "few", "millions", "billions", "trillions",
                "thousand", "million", "billion", "trillion")


_ALL_WORDS = _NUMBER_WORDS + _VAGUE_WORDS + _FRACTION_WORDS + _MULTIPLIER_WORDS
_WORD_AT = re.compile(r"(?:" + "|".join(sorted(_ALL_WORDS, key=len, reverse=True)) + r")(?![a-z])")
_WORD_NEEDLES = frozenset(w.encode() for w in _ALL_WORDS)
_WORD_AT_B = re.compile(_WORD_AT.pattern.encode())
_VAGUE_BYTES = frozenset(w.encode() for w in _VAGUE_WORDS)
_FRACTION_BYTES = frozenset(w.encode() for w in _FRACTION_WORDS)
_A_BEFORE = frozenset((b"dozen", b"hundred", b"few"))
_LETTERS_ONLY = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 else 32 for c in range(256))
"""Byte table: ASCII letters to lower case, every other byte to a space."""
_DIGIT_CLASS = bytes(48 if 48 <= c <= 57 else 44 if c in b".," else 32 for c in range(256))
"""Byte table: digits to "0", "." and "," to ",", every other byte to a space."""


def _numeral_starts(digits: bytes) -> list[int]:
    """Where numerals start in `digits` (text mapped by _DIGIT_CLASS): a digit not after a digit, nor
    after "." or "," that follow a digit. One memchr-fast find per run of digits, "." and ","."""
    if b",,0" in digits:  # rare: a digit after ".," starts a numeral inside a run; test every digit
        return [pos for pos in find_all(digits, b"0")
                if pos == 0 or digits[pos - 1] == 32 or (digits[pos - 1] == 44 and (pos == 1 or digits[pos - 2] != 48))]
    out = []
    pos = digits.find(b"0")
    while pos >= 0:
        out.append(pos)  # the first digit of a run is always a start
        end = digits.find(b" ", pos)
        if end < 0:
            break
        pos = digits.find(b"0", end)
    return out


def number_hits(text: str, p: Patterns) -> list[tuple[int, str]]:
    """Where a figure can start: numerals, number words, currency symbols, vague amounts, fraction words.

    The text is searched as ASCII bytes (one byte per character, so offsets are kept), mapped by
    byte tables so that a few bytes.find calls land only on the starts of numerals and words.
    """
    raw, low, words = text_index(text)
    out: list[tuple[int, str]] = []
    out.extend((pos, "num") for pos in _numeral_starts(raw.translate(_DIGIT_CLASS)))
    present = _WORD_NEEDLES & words  # only the number words the text has
    if present:
        letters = b" " + low.translate(_LETTERS_ONLY)  # offsets shift by one: " one" finds "one" at a word start
        seen: set[int] = set()
        for needle in present:
            for pos in find_all(letters, b" " + needle):
                if pos in seen:
                    continue
                seen.add(pos)
                m = _WORD_AT_B.match(low, pos)
                if not m:
                    continue
                word = m.group()
                if word in _FRACTION_BYTES:
                    out.append((pos, "frac"))
                elif word in _A_BEFORE and low[max(0, pos - 2):pos] == b"a ":
                    out.append((pos - 2, "vague" if word in _VAGUE_BYTES else "num"))
                else:
                    out.append((pos, "vague" if word in _VAGUE_BYTES else "num"))
    for symbol, needle, iso in p.symbol_needles:
        if iso:  # ISO codes written before the number: "USD 1.5 billion"
            for pos in find_all(raw, needle):
                if text[pos + len(symbol):pos + len(symbol) + 2].strip()[:1].isdigit():
                    out.append((pos, "sym"))
        else:
            for pos in find_all(raw if needle else text, needle or symbol):
                out.append((pos - 2 if text[max(0, pos - 2):pos] in ("US", "JP") else pos, "sym"))
    out.sort()
    return out


def hits_by_sentence(hits: list[tuple[int, str]], sentences: list[Sentence]
                      ) -> list[tuple[Sentence, list[int], list[int], list[int], list[int]]]:
    """Each hit to the sentence that holds it, as offsets in the sentence: (sentence, nums, syms, vagues, fracs)."""
    out: list[tuple[Sentence, list[int], list[int], list[int], list[int]]] = []
    if not hits:
        return out
    starts = [sent.char_start for sent in sentences]
    last = -1
    for pos, kind in hits:
        k = bisect_right(starts, pos) - 1
        if k < 0 or pos >= sentences[k].char_end:
            continue
        if k != last:
            out.append((sentences[k], [], [], [], []))
            last = k
        out[-1][_KIND_SLOT[kind]].append(pos - starts[k])
    return out


_KIND_SLOT = {"num": 1, "sym": 2, "vague": 3, "frac": 4}
