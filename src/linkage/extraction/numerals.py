"""Number words and numerals: shared by the figures and dates extractors."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["NUMERAL", "NUMBER_WORD", "NUMBER", "ascii_bytes", "find_all", "parse_number", "scaled", "text_index",
           "word_set", "word_value"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_EXTRA = {"a dozen": 12, "dozen": 12, "a hundred": 100, "one hundred": 100, "hundred": 100,
          "half a": 0.5, "a half": 0.5, "a": 1, "an": 1}

NUMERAL = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
"""A numeral: 1,055 or 1.055 or 90."""

NUMBER_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|a dozen|dozen|(?:a|one) hundred)"
)
"""A cardinal written as a word (one to ninety-nine, a dozen, a hundred)."""

NUMBER = rf"(?:{NUMERAL}|{NUMBER_WORD})"

_WORD = re.compile(NUMBER_WORD, re.IGNORECASE)


def word_value(word: str) -> float | None:
    """The value of a cardinal written as a word, or None."""
    w = word.lower().strip()
    if w in _UNITS:
        return float(_UNITS[w])
    if w in _TENS:
        return float(_TENS[w])
    if w in _EXTRA:
        return float(_EXTRA[w])
    if "-" in w:
        tens, _, unit = w.partition("-")
        if tens in _TENS and unit in _UNITS:
            return float(_TENS[tens] + _UNITS[unit])
    return None


def parse_number(text: str) -> float | None:
    """The value of a numeral ("1,055.5") or number word ("five"), or None."""
    t = text.strip()
    if not t:
        return None
    if t[0].isdigit():
        try:
            return float(t.replace(",", ""))
        except ValueError:
            return None
    return word_value(t) if _WORD.fullmatch(t) else None


def scaled(text: str, multiplier: float) -> float | None:
    """`text` times `multiplier` computed in decimal, so "1.055" x 1e12 is exactly 1.055e12."""
    t = text.strip().replace(",", "")
    if multiplier == 1.0 and t[:1].isdigit() and len(t) <= 20:  # well inside the 28 digits of the context
        try:
            return float(t)  # the decimal product is exact here, so this is the same float
        except ValueError:
            pass
    try:
        return float(Decimal(t) * Decimal(repr(multiplier)))
    except InvalidOperation:
        value = parse_number(text)
        return None if value is None else value * multiplier


def find_all(text: Any, needle: Any, start: int = 0, end: int | None = None) -> list[int]:
    """Every start offset of `needle` in text[start:end] (str.find or bytes.find: much faster than a regex scan)."""
    out = []
    stop = len(text) if end is None else end
    pos = text.find(needle, start, stop)
    while pos >= 0:
        out.append(pos)
        pos = text.find(needle, pos + 1, stop)
    return out


_PUNCT = bytes(range(33, 128)).translate(None, b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_TO_SPACE = bytes.maketrans(_PUNCT, b" " * len(_PUNCT))


def ascii_bytes(text: str) -> bytes:
    """`text` as ASCII bytes, one byte per character ("?" for others), so offsets are unchanged."""
    return text.encode("ascii", "replace")


def word_set(raw: bytes) -> frozenset[bytes]:
    """The distinct words of ASCII bytes (punctuation splits words): a cheap test of which needles can occur."""
    return frozenset(raw.translate(_TO_SPACE).split())


_LAST_INDEX: list[Any] = [None, None]


def text_index(text: str) -> tuple[bytes, bytes, frozenset[bytes]]:
    """`text` as ASCII bytes, the same lowercased, and the set of its lowercased words.

    Remembered for the last text seen, so the figures and dates stages of one article share it.
    """
    if _LAST_INDEX[0] is text:
        return _LAST_INDEX[1]
    raw = ascii_bytes(text)
    low = raw.lower()
    index = (raw, low, word_set(low))
    _LAST_INDEX[0], _LAST_INDEX[1] = text, index
    return index
