"""Figures: money, percentages, counts, durations and ratios, with value, unit and what they measure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..pipeline.resources import Resources
from .corpus import Document
from .figure_claims import cue_claimer, quote_claimer
from .figure_scan import hits_by_sentence, number_hits
from .figure_what import APPROX_WORDS, STOP_ATTR, rate_of, what_of
from .fx import load_rates, reference_rate
from .numerals import NUMBER, NUMBER_WORD, NUMERAL, parse_number, scaled, text_index
from .speech import cues as speech_cues

__all__ = ["extract", "Patterns", "patterns"]

Row = dict[str, Any]


_VAGUE = {  # quantifier -> (low, high) multiples of the scale word
    "tens": (10, 100), "hundreds": (100, 1000), "thousands": (1000, 10000), "dozens": (24, 100),
    "several": (2, 10), "a few": (2, 10), "": (1, 1000),
}
_PLURAL_SCALE = {"thousands": 1e3, "millions": 1e6, "billions": 1e9, "trillions": 1e12}
_APPROX = re.compile(
    r"\b(about|around|approximately|roughly|nearly|almost|some|just over|just under|over|more than|less than|"
    r"as much as|as many as|as little as|as few as|as high as|as low as|"
    r"fewer than|up to|at least|at most|close to|under|above|below|upwards? of|an estimated|estimated)"
    r"\s+(?:a total of\s+)?$",
    re.IGNORECASE,
)
_APPROX_PHRASES = tuple(sorted((
    "about", "around", "approximately", "roughly", "nearly", "almost", "some", "just over", "just under", "over",
    "more than", "less than", "as much as", "as many as", "as little as", "as few as", "as high as", "as low as",
    "fewer than", "up to", "at least", "at most", "close to", "under", "above", "below", "upward of", "upwards of",
    "an estimated", "estimated"), key=len, reverse=True))


_APPROX_BY_LAST: dict[str, tuple[str, ...]] = {}
for _phrase in _APPROX_PHRASES:  # longest first, as in _APPROX_PHRASES
    _APPROX_BY_LAST[_phrase.rsplit(" ", 1)[-1]] = _APPROX_BY_LAST.get(_phrase.rsplit(" ", 1)[-1], ()) + (_phrase,)


def _approx_before(window: str) -> str:
    """The approximation word that ends `window` ("about ", "more than a total of "), or ""."""
    w = window.rstrip()
    if len(w) == len(window):
        return ""  # the figure must follow a space
    low = w.lower()
    if low.endswith(" a total of"):
        low = low[: -len(" a total of")].rstrip()
    i = len(low)
    while i and low[i - 1].isalnum():
        i -= 1
    # a phrase must end with the word that ends `low`, so only the phrases ending with that word are tried
    for phrase in _APPROX_BY_LAST.get(low[i:], ()):
        if low.endswith(phrase) and (len(low) == len(phrase) or not low[-len(phrase) - 1].isalnum()):
            return w[len(low) - len(phrase):len(low)] if len(low) <= len(w) else phrase
    return ""


_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_APPROX_AFTER = re.compile(r"\b(or (?:more|so|less))\b")
_PER = {"year": "year", "annum": "year", "month": "month", "week": "week", "day": "day", "quarter": "quarter",
        "annually": "year", "yearly": "year", "monthly": "month", "weekly": "week", "daily": "day"}
_PER_RE = (r"(?:\s+or\s+(?:more|so|less))?(?:\s+(?:per|a|an|each|every)\s+(?P<per>year|annum|month|week|day|quarter)\b"
           r"(?!\s+(?:ago|earlier|later|before|after|from\s+now)\b)|\s+(?P<per2>annually|yearly|monthly|weekly|daily)\b)?")
"""The rate basis after an amount ("a year", "per annum", "annually"); not "a year ago" (a date)."""
_ANAPHORIC = re.compile(r"\b(?:the|these|those|both|all|first|last|No\.|Group of|Article|Section|fiscal|[GC])\s*$", re.IGNORECASE)
_MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$|\b(?:19|20)\d\d\s*$"
)
_NAME_BEFORE = re.compile(r"(?<![.!?]\s)(?<!^)\b(?!(?:The|A|An|About|Some|Nearly|Over|Only|All|Another|Its|Their)\b)[A-Z][\w-]*\s$")
"""A number right after a capitalised word inside a sentence is part of a name ("Boeing 737", "Type 10")."""
_IRREGULAR_PLURALS = r"people|personnel|aircraft|staff|children|men|women|troops|police|sheep|fish|offspring"
_IRREGULAR = frozenset(_IRREGULAR_PLURALS.split("|"))
_COMPOUND_TAIL = re.compile(r"\s+([A-Za-z-]*[a-rt-z](?<!ss)(?<!us)(?<!is)s)\b")
_COUNT = re.compile(
    rf"(?<![\w$¥€£.,/-])(?P<num>{NUMERAL}|{NUMBER_WORD})(?![\w%-])"
    rf"(?P<noun>(?:\s+(?!(?:of|the|a|an|and|or|to|in|on|at|for|with|by|from|that|which|who|is|are|was|were|has|have|"
    rf"had|will|would|could|should|may|might|can|than|as|more|less|times|percent|per)\b)[\w’'.-]+?){{0,4}}?"
    rf"\s+(?:{_IRREGULAR_PLURALS}|[A-Za-z-]*[a-rt-z](?<!ss)(?<!us)(?<!is)s))\b",
    re.IGNORECASE,
)
_DEFINITE_COUNT_MIN = 1000
"""From this size a number after "the" is a count worth a row ("the 28,500 troops"); below it "the two countries"."""
_POSSESSIVE_BEFORE = re.compile(r"(?:\b(?:our|their|its|his|her|your|my)|\w[’']s)\s+$", re.IGNORECASE)
_FX_RATE = re.compile(
    rf"(?<![\w$¥€£.,-])(?P<num>{NUMERAL})\s+(?:(?:for|to)\s+(?:a|one|each|the)|per|against\s+the)\s+"
    r"(?:U\.S\.\s+|US\s+)?dollar\b"
    rf"(?:,?\s+(?:compared\s+with|compared\s+to|versus|vs\.?|against|up\s+from|down\s+from|from)\s+"
    rf"(?P<num2>{NUMERAL})(?![\w%-]|,\d|\.\d))?")
"""An exchange rate with the currency named earlier in the sentence ("trading at 145 for a dollar, compared with 158")."""
_RATIO = re.compile(
    rf"(?<![\w-])(?P<num>{NUMBER}|twice|thrice|half)\s+(?:times|as)\b"
    r"(?=\s+(?:the|as|that|what|more|less|higher|larger|bigger|greater|smaller|lower|much|many|its|their|his|her|our))"
    rf"|(?<![\w-])(?P<num2>{NUMBER})-fold\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    rf"(?<![\w$¥€£.,-])(?P<num>{NUMBER})(?:[- ]|\s+(?:more|full|straight|consecutive)\s+)"
    r"(?P<unit>year|month|week|day|hour|minute)s?(?P<old>-old)?\b",
    re.IGNORECASE,
)
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                 "eighth": 8, "ninth": 9, "tenth": 10}
_FRACTION_NUMERATORS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                        "nine": 9}
_FRACTION = re.compile(
    r"(?<![\w-])(?:(?P<num>a|one|two|three|four|five|six|seven|eight|nine)[\s-]+"
    r"(?P<den>half|halves|(?:third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth)s?)"
    r"(?=\s+of\s)(?!\s+of\s+an?\s+(?:century|hour|mile|point|percentage)\b)"
    r"|(?P<num2>two|three|four|five|six|seven|eight|nine)-(?P<den2>(?:third|quarter|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth)s)(?=\s+[a-z])"
    r"|(?P<half>half)(?=\s+(?:of|the|its|their|our|his|her|all)\s))",
    re.IGNORECASE,
)
"""A fraction in words before "of" ("two-thirds of", "a fifth of", "three quarters of", "half the"), or a hyphenated
plural fraction before a noun ("a two-thirds majority"). Not "a third round", "the first quarter", "a quarter of a
century"."""
_BETWEEN_BEFORE = re.compile(r"\b(?:between|among|amongst)\s+$", re.IGNORECASE)
"""A small number after "between" names the parties of a relation ("talks between two countries"), not a count."""
_MULTIPLY = re.compile(
    r"(?<![\w-])(?P<verb>double|triple|quadruple)(?:d|s)?(?![\w-])(?=\s+(?:its|their|his|her|our|the|this|that|"
    r"in|to|from|over|by|since|a|an|[\d$¥€£₩]))|(?<![\w-])(?P<verb2>doubl|tripl|quadrupl)ing(?=\s)",
    re.IGNORECASE,
)
"""A verb of multiplying ("to quadruple its payments", "tripled in a year", "doubling the budget"): a ratio; not
"double-down", "a double standard"."""
_MULTIPLES = {"doubl": 2.0, "double": 2.0, "tripl": 3.0, "triple": 3.0, "quadrupl": 4.0, "quadruple": 4.0}
_ELIDED_COUNT = re.compile(rf"(?<![\w$¥€£₩.,/-])(?P<num>{NUMERAL})(?=\s*(?:[,;)]|\.(?:\s|$)|$))")
"""A number standing alone at the end of a clause ("…, while South Korea stations 28,500,")."""
_OFFSET_AFTER = re.compile(r"\s+(?:ago|earlier|later|from now|hence)\b", re.IGNORECASE)
_OVER_PERIOD = re.compile(r"\b(?:for|of|after|lasting|spanning|than|in|to)\s+(?:just\s+)?over\s+$", re.IGNORECASE)


_SCALE_AFTER = re.compile(r"\s+(thousand|million|billion|trillion|mil\.|bil\.|tril\.|mln|bn)(?![A-Za-z])", re.IGNORECASE)


_CHANGE_FROM = re.compile(
    rf"\b(?:up|down|rising|falling|increasing|decreasing|compared|compared with|compared to|versus|vs\.|from)\s+"
    rf"(?:from\s+)?(?:{APPROX_WORDS}\s+)?$"
)


def _say(verbs: frozenset[str]) -> re.Pattern[str]:
    """A claim verb of `verbs` after a name, with its auxiliary and "that" ("X has said that …")."""
    if not verbs:
        return re.compile(r"(?!)")
    return re.compile(r"\s+(?:(?:has|have|had)\s+)?(?:" + _alt(list(verbs)) + r")\s+(?:that\s+)?")


_PER_AFTER = re.compile(r"\s+(?:per|a|an|each|every)\s+(year|annum|month|week|day|quarter)\b")
_CONVERSION_GAP = re.compile(r"(?:\s*\(\s*|,\s*or\s+)(?:about|around|roughly|approximately|some|or)?\s*")


@dataclass(frozen=True)
class Patterns:
    """Compiled figure patterns and unit tables built from data/lexicons/units.csv."""

    money_symbol: re.Pattern[str]
    money_word: re.Pattern[str]
    money_vague: re.Pattern[str]
    percent: re.Pattern[str]
    gloss: re.Pattern[str]
    symbols: dict[str, str]
    words: dict[str, str]
    scales: dict[str, float]
    percent_units: frozenset[str]
    rates: dict[str, list[tuple[str, float, str]]]
    symbol_needles: tuple[tuple[str, bytes | None, bool], ...]
    """(symbol, what to find, is an ISO code) for the symbols that can start a figure."""
    word_needles: tuple[str, ...]
    """The currency words: money_word is tried only where one of them follows the number."""
    symbol_codes: dict[str, str]
    """Lower-cased symbol -> currency code (the first symbol of the lexicon wins)."""
    rate_memo: dict[tuple[str, str], tuple[float, str] | None]
    """(currency, month) -> fx.reference_rate answer, filled as articles need them."""
    currency_tokens: frozenset[bytes] | None
    """Last word of every currency word, as text_index words: money_word needs one of them in the article
    (its currency word stands between a space or hyphen and a word boundary). None: no such test."""
    say: re.Pattern[str] = re.compile(r"(?!)")
    """A claim verb right after a name ("X says (that) …", speech_cues.csv, use `figure_source`)."""


def _last_words(phrases: list[str]) -> frozenset[bytes] | None:
    """The last ASCII word of each phrase ("u.s. dollars" -> b"dollars"); None if a phrase has none."""
    out = set()
    for phrase in phrases:
        pieces = re.split(r"[^0-9a-z]+", phrase.lower())
        last = [piece for piece in pieces if piece][-1:]
        if not phrase.isascii() or not last:
            return None
        out.add(last[0].encode())
    return frozenset(out)


def _alt(tokens: list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))


def patterns(res: Resources) -> Patterns:
    """Patterns compiled once per build from the units lexicon and the reference exchange rates."""

    def build() -> Patterns:
        rows = res.csv("lexicons/units.csv", required=("token", "kind", "code", "multiplier"))
        symbols = {r["token"]: r["code"] for r in rows if r["kind"] == "currency_symbol"}
        words = {r["token"].lower(): r["code"] for r in rows if r["kind"] == "currency_word"}
        scales = {r["token"].lower(): float(r["multiplier"]) for r in rows if r["kind"] == "scale"}
        percent_units = frozenset(r["token"].lower() for r in rows if r["kind"] == "percent")
        sym, word, scale = _alt(list(symbols)), _alt(list(words)), _alt(list(scales))
        scale_re = rf"(?P<scale>{scale})(?![A-Za-z])|(?P<scale1>[mbk]n?)\b"
        money_symbol = re.compile(
            rf"(?<![\w])(?P<cur>{sym})\s?(?P<num>{NUMERAL})(?:\s*(?:-|–|to)\s*(?:{sym})?(?P<hi>{NUMERAL}))?"
            rf"(?:[\s-]?(?:{scale_re}))?{_PER_RE}", re.IGNORECASE
        )
        money_word = re.compile(
            rf"(?<![\w$¥€£.,-])(?P<num>{NUMBER})[\s-]+(?:(?P<scale>{scale})[\s-]+)?(?P<cur>{word})\b{_PER_RE}",
            re.IGNORECASE,
        )
        money_vague = re.compile(
            rf"(?:(?P<cur0>{sym})\s?)?\b(?:(?P<vague>tens|hundreds|thousands|dozens|several|a few)\s+(?:of\s+)?)?"
            r"(?:(?P<hundred>hundred)\s+)?(?P<scale>thousands|millions|billions|trillions|thousand|million|billion|trillion)"
            rf"(?:\s+of)?(?:\s+(?P<cur>{word}))?\b{_PER_RE}",
            re.IGNORECASE,
        )
        percent = re.compile(
            rf"(?<![\w.-])(?P<num>{NUMBER})(?:\s*(?:-|–|to)\s*(?P<hi>{NUMERAL}))?[\s-]?(?P<unit>{_alt(list(percent_units))})"
            r"(?![A-Za-z])"
            r"(?P<of>\s+of\s+(?:GDP|gross domestic product|GNP|gross national product))?" + _PER_RE,
            re.IGNORECASE,
        )
        gloss = re.compile(
            rf"(?:\s*\(\s*|,\s*or\s+)(?:about|around|roughly|approximately|some|or)?\s*(?P<cur>{sym})\s?(?P<num>{NUMERAL})"
            rf"(?:\s?(?:{scale_re}))?(?:\s*\)|(?=[,.;:]?(?:\s|$)))"
        )
        rates = load_rates(res)
        codes: dict[str, str] = {}
        for token, code in symbols.items():
            codes.setdefault(token.lower(), code)
        needles = tuple((s, s.encode(), True) if s.isascii() and s.isalpha()
                        else (s, s.encode() if s.isascii() else None, False)
                        for s in symbols if (s.isascii() and s.isalpha()) or len(s) == 1)
        return Patterns(money_symbol, money_word, money_vague, percent, gloss, symbols, words, scales,
                        percent_units, rates, needles, tuple(words), codes, {}, _last_words(list(words)),
                        _say(speech_cues(res).uses.get("figure_source", frozenset())))

    return res.memo("figures.patterns", build)


def _group(m: re.Match[str], name: str) -> str | None:
    """Group `name` of `m`, or None when its pattern has no such group (m.groupdict().get without the dict)."""
    return m.group(name) if name in m.re.groupindex else None


def _scale(p: Patterns, m: re.Match[str]) -> float:
    scale = _group(m, "scale")
    if scale:
        return p.scales.get(scale.lower(), 1.0)
    scale1 = _group(m, "scale1")
    if scale1:
        return {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}.get(scale1.lower(), 1.0)
    return 1.0


def _per(m: re.Match[str]) -> str:
    word = _group(m, "per") or _group(m, "per2") or ""
    return _PER.get(word.lower(), "")


def _symbol_code(p: Patterns, cur: str) -> str:
    return p.symbol_codes.get(cur.lower(), "")


def _anchored(rx: re.Pattern[str], text: str, starts: list[int], taken: set[int] | None = None,
              low: str = "", needles: tuple[str, ...] = (), reach: int = 40) -> list[re.Match[str]]:
    """Matches of `rx` beginning exactly at one of `starts` (cheap: no scan of the whole sentence).

    A start inside an earlier figure is skipped, and with `needles` the pattern is only tried when one
    of them occurs within `reach` characters of the start (substring tests: first on the whole
    sentence, then on the window).
    """
    if needles:
        needles = [n for n in needles if n in low]
        if not needles:
            return []
    out = []
    for pos in starts:
        if taken and pos in taken:
            continue
        if needles:
            window = low[pos:pos + reach]
            for n in needles:
                if n in window:
                    break
            else:
                continue
        m = rx.match(text, pos)
        if m and m.end() > m.start():
            out.append(m)
    return out


_MONTH_ABBREVIATIONS = frozenset(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"))


def _not_count(text: str, pos: int) -> bool:
    """A cheap test before the patterns: a year ("2025") or a day after a month ("April 19")."""
    four = text[pos:pos + 5]
    if len(four) >= 4 and four[:4].isdigit() and four[:2] in ("19", "20") and not four[4:].isdigit():
        return True
    if pos < 2 or text[pos - 1] != " ":
        return False
    word = text[text.rfind(" ", 0, pos - 1) + 1:pos - 1].rstrip(".")
    return word[:3] in _MONTH_ABBREVIATIONS and word[:1].isupper() or (len(word) == 4 and word[:2] in ("19", "20")
                                                                        and word.isdigit())


def _fraction_value(m: re.Match[str]) -> float:
    """A fraction in words as a percentage ("two-thirds" -> 66.67 (200/3), "a fifth" -> 20, "half" -> 50)."""
    if m.group("half"):
        return 50.0
    num, den = (m.group("num"), m.group("den")) if m.group("num") else (m.group("num2"), m.group("den2"))
    den_word = den.lower()
    den_n = _DENOMINATORS.get(den_word) or _DENOMINATORS[den_word[:-1]]
    return 100.0 * _FRACTION_NUMERATORS[num.lower()] / den_n


def _candidates(p: Patterns, text: str, nums: list[int], syms: list[int], vagues: list[int],
                currency_words: bool = True, fracs: list[int] | tuple[int, ...] = ()) -> list[dict[str, Any]]:
    """Figures in one sentence, by pattern priority; later patterns never overlap earlier ones.

    `currency_words` False says the article has no currency word ("yen", "dollars"): money_word is skipped.
    """
    found: list[dict[str, Any]] = []
    taken: set[int] = set()  # character offsets inside figures found so far

    def free(s: int, e: int) -> bool:
        return not taken or taken.isdisjoint(range(s, e))

    def add(s: int, e: int, **kw: Any) -> None:
        taken.update(range(s, e))
        found.append({"s": s, "e": e, **kw})

    for m in _anchored(p.money_vague, text, sorted(set(vagues) | set(syms))) if vagues or syms else ():
        if not (m.group("cur") or m.group("cur0")) or not free(m.start(), m.end()):
            continue
        scale_word = m.group("scale").lower()
        hundred = 100.0 if m.group("hundred") else 1.0  # "several hundred billion yen": 2 … 10 × 100 × 1e9
        if m.group("hundred") and (m.group("vague") or "").lower() not in ("several", "a few"):
            continue
        if scale_word not in _PLURAL_SCALE:  # "several billion dollars", "a trillion dollars"
            if not m.group("vague") and text[max(0, m.start() - 2):m.start()].lower() == "a " and not m.group("cur0"):
                code = p.words.get((m.group("cur") or "").lower(), "")
                add(m.start() - 2, m.end(), category="money", value=p.scales.get(scale_word, 1.0), low=None,
                    high=None, unit=code, per=_per(m))
                continue
            if not m.group("vague") or m.group("vague").lower() not in ("several", "a few"):
                continue
            base = p.scales.get(scale_word, 1.0) * hundred
        else:
            base = _PLURAL_SCALE[scale_word]
        lo, hi = _VAGUE[(m.group("vague") or "").lower()]
        code = p.words.get((m.group("cur") or "").lower()) or _symbol_code(p, m.group("cur0") or "")
        add(m.start(), m.end(), category="money", value=None, low=lo * base, high=hi * base, unit=code, per=_per(m))
    halves = [pos for pos in nums if text[pos:pos + 4].lower() == "half"] if nums else []
    for pos in sorted((*fracs, *halves)):  # "two-thirds of", "a fifth of", "half the": a percentage
        if taken and pos in taken:
            continue
        m = _FRACTION.search(text, max(0, pos - 7), min(len(text), pos + 48))
        while m and m.end() <= pos:
            m = _FRACTION.search(text, m.end(), min(len(text), pos + 48))
        if m and m.start() <= pos and free(m.start(), m.end()):
            add(m.start(), m.end(), category="percent", value=_fraction_value(m), low=None, high=None,
                unit="percent", per="")
    nums = [pos for pos in nums if not _not_count(text, pos)]  # years and days of a month start no figure
    low = text.lower() if nums else ""
    for rx, kind, starts, needles in ((p.money_symbol, "symbol", syms, ()),
                                      (p.money_word, "word", nums if currency_words else [], p.word_needles)):
        if not starts:
            continue
        for m in _anchored(rx, text, starts, taken, low, needles):
            if not free(m.start(), m.end()):
                continue
            num = parse_number(m.group("num"))
            if num is None:
                continue
            code = _symbol_code(p, m.group("cur")) if kind == "symbol" else p.words.get(m.group("cur").lower(), "")
            scale = _scale(p, m)
            if _group(m, "hi") and _FROM_BEFORE.search(text[max(0, m.start() - 6):m.start()]):
                second = m.start("hi")
                while second > 0 and (text[second - 1] in "$¥€£₩" or text[second - 1].isupper()):
                    second -= 1  # back over the currency symbol of the second amount
                add(m.start(), m.end("num"), category="money", value=scaled(m.group("num"), scale), low=None,
                    high=None, unit=code, per="")
                add(second, m.end(), category="money", value=scaled(m.group("hi"), scale), low=None,
                    high=None, unit=code, per=_per(m))
                continue
            if _group(m, "hi"):  # "$1-2 billion": a range
                add(m.start(), m.end(), category="money", value=None, low=scaled(m.group("num"), scale),
                    high=scaled(m.group("hi"), scale), unit=code, per=_per(m))
                continue
            add(m.start(), m.end(), category="money", value=scaled(m.group("num"), scale), low=None, high=None,
                unit=code, per=_per(m))
    if not nums:
        found.sort(key=lambda f: f["s"])
        return _ranges(text, found)
    if "dollar" in low:
        for m in _anchored(_FX_RATE, text, nums, taken, low, ("dollar",), 40):
            code = _rate_currency(p, text[:m.start()])
            if not code or not free(m.start(), m.end()):
                continue
            add(m.start(), m.start() + len(m.group("num")), category="money", value=parse_number(m.group("num")),
                low=None, high=None, unit=code, per="USD")
            if m.group("num2"):
                add(m.start("num2"), m.end("num2"), category="money", value=parse_number(m.group("num2")),
                    low=None, high=None, unit=code, per="USD")
    for m in _anchored(p.percent, text, nums, taken, low, ("%", "per", "pct"), 24):
        num = parse_number(m.group("num"))
        if num is not None and free(m.start(), m.end()):
            hi = parse_number(m.group("hi") or "")
            if hi is not None and _FROM_BEFORE.search(text[max(0, m.start() - 6):m.start()]):
                # "from 10 to 25 percent" is a change between two figures, not a range
                add(m.start(), m.start() + len(m.group("num")), category="percent", value=num, low=None, high=None,
                    unit="percent", per="")
                add(m.start("hi"), m.end(), category="percent", value=hi, low=None, high=None, unit="percent", per="")
            elif hi is not None:  # "10-15%"
                add(m.start(), m.end(), category="percent", value=None, low=num, high=hi, unit="percent", per=_per(m))
            else:  # "3% a year": a rate per year
                add(m.start(), m.end(), category="percent", value=num, low=None, high=None, unit="percent", per=_per(m))
    for m in _anchored(_RATIO, text, nums, taken, low, ("time", "fold", " as "), 30):
        word = (m.group("num") or m.group("num2") or "").lower()
        num = {"twice": 2.0, "thrice": 3.0, "half": 0.5}.get(word) or parse_number(word)
        if num is not None and free(m.start(), m.end()):
            add(m.start(), m.end(), category="ratio", value=num, low=None, high=None, unit="ratio", per="")
    for m in _anchored(_MULTIPLY, text, nums, taken, low, ("doubl", "tripl", "quadrupl"), 12):
        if free(m.start(), m.end()):
            value = _MULTIPLES[(m.group("verb") or m.group("verb2")).lower()]
            add(m.start(), m.end(), category="ratio", value=value, low=None, high=None, unit="ratio", per="")
    for m in _anchored(_DURATION, text, nums, taken, low, ("year", "month", "week", "day", "hour", "minute"), 32):
        num = parse_number(m.group("num"))
        if num is None or not free(m.start(), m.end()) or _MONTH_BEFORE.search(text[max(0, m.start() - 12): m.start()]):
            continue
        if _OFFSET_AFTER.match(text, m.end()):
            continue  # "two weeks ago" is a date, not a duration
        unit = m.group("unit").lower()
        value, unit = (num * 7, "day") if unit == "week" else (num, unit)
        add(m.start(), m.end(), category="duration", value=value, low=None, high=None, unit=unit, per="")
    for m in _anchored(_COUNT, text, nums, taken):
        raw = m.group("num")
        num = parse_number(raw)
        scale = _SCALE_AFTER.match(text, m.start() + len(raw))
        if num is not None and scale:  # "1.23 million foreign workers"
            num = scaled(raw, p.scales.get(scale.group(1).lower(), 1.0)) or num
        if num is None or num < 2 or not free(m.start(), m.end()) or _OFFSET_AFTER.match(text, m.end()):
            continue
        if raw.isdigit() and len(raw) == 4 and 1800 <= num <= 2100:
            continue  # a year
        before = text[max(0, m.start() - 12): m.start()]
        anaphoric = _ANAPHORIC.search(before)
        if anaphoric and num >= _DEFINITE_COUNT_MIN and anaphoric.group().strip().lower() in ("the", "these", "those"):
            anaphoric = None  # "the 28,500 U.S. troops": a count given with its article
        if anaphoric or _MONTH_BEFORE.search(before) or _NAME_BEFORE.search(text[:m.start()][-30:]):
            continue
        if num < 10 and _BETWEEN_BEFORE.search(before):
            continue  # "talks between two countries": the parties of a relation, not a count
        if num < 10 and _POSSESSIVE_BEFORE.search(before):
            continue  # "our two countries", "the world's two biggest economies": the parties, not a count
        end = scale.end() if scale else m.start() + len(raw)
        noun_end = m.end()
        more = _COMPOUND_TAIL.match(text, noun_end)
        if more and text[m.start():noun_end].rsplit(None, 1)[-1].lower() in _IRREGULAR and \
                more.group(1).lower() not in STOP_ATTR:
            noun_end = more.end()  # "two aircraft carriers": an irregular plural used as a modifier
        add(m.start(), end, category="count", value=num, low=None, high=None, unit="count", per="", noun_end=noun_end)
    counts = [f for f in found if f["category"] == "count"]
    if counts:  # "Japan hosts 50,000 troops, while Korea stations 28,500,": the noun left out is the earlier count's
        for pos in nums:
            m = _ELIDED_COUNT.match(text, pos)
            before = [f for f in counts if f["e"] <= pos]
            if not m or not before or not free(m.start(), m.end("num")):
                continue
            num = parse_number(m.group("num"))
            if num is None or num < 100 or (len(m.group("num")) == 4 and 1800 <= num <= 2100):
                continue
            prev = before[-1]
            add(m.start(), m.end("num"), category="count", value=num, low=None, high=None, unit="count", per="",
                noun_end=m.end("num"), what=text[prev["e"]:prev["noun_end"]].strip())
    found.sort(key=lambda f: f["s"])
    return _ranges(text, found)


_RANGE_GAP = re.compile(r"\s*(?:to|-|–|and)\s*$")
_RANGE_FROM = re.compile(r"\b(?:from|between)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)


def _rate_currency(p: Patterns, before: str) -> str:
    """The code of the last currency other than the dollar named in `before` ("The yen ... 145 for a dollar")."""
    best, code = -1, ""
    low = before.lower()
    for word, c in p.words.items():
        if c == "USD":
            continue
        at = low.rfind(word)
        if at > best and (at == 0 or not low[at - 1].isalnum()) and not low[at + len(word):at + len(word) + 1].isalnum():
            best, code = at, c
    return code


def _ranges(text: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join "$15 billion to $20 billion" into one range; "from X to Y" stays a change between two figures."""
    out: list[dict[str, Any]] = []
    for f in found:
        prev = out[-1] if out else None
        if (prev is not None and f["category"] == prev["category"] == "money" and f["unit"] == prev["unit"]
                and prev["value"] is not None and f["value"] is not None and not prev["per"]
                and f["value"] > prev["value"] and _RANGE_GAP.fullmatch(text, prev["e"], f["s"])):
            lead = text[max(0, prev["s"] - 24):prev["s"]]
            gap = text[prev["e"]:f["s"]]
            since = _RANGE_FROM.search(lead)
            word = since.group().lower() if since else ""
            if word.startswith("between") == ("and" in gap) and not word.startswith("from"):
                out[-1] = {**prev, "e": f["e"], "value": None, "low": prev["value"], "high": f["value"],
                           "per": f["per"]}
                continue
        out.append(f)
    return out


def extract(doc: Document, res: Resources) -> dict[str, list[Row]]:
    """Find numeric figures with value, unit and what they measure."""
    p = patterns(res)
    rows: list[Row] = []
    glossed: dict[int, tuple[float, str]] = {}  # row index -> (usd value, gloss text)
    stated: dict[str, tuple[float, str]] = {}  # currency -> (units per USD, evidence)
    by_sentence = hits_by_sentence(number_hits(doc.text, p), doc.sentences)
    if not by_sentence:
        return {"figures": rows}
    raw, _, words = text_index(doc.text)
    # \x1c-\x1f are white space to the patterns but join words in text_index: then no word test
    currency_words = (p.currency_tokens is None or not p.currency_tokens.isdisjoint(words)
                      or any(c in raw for c in (b"\x1c", b"\x1d", b"\x1e", b"\x1f")))
    quotes: list[tuple[int, int, Row]] | None = None
    mentions_by_sentence: dict[Any, list[Row]] | None = None
    for sent, nums, syms, vagues, fracs in by_sentence:
        text = sent.text
        cands = _candidates(p, text, nums, syms, vagues, currency_words, fracs)
        if not cands:
            continue
        if quotes is None:
            quotes = sorted(((q["char_start"], q["char_end"], q) for q in doc.tables.get("quotes", [])
                             if q.get("actor_id")), key=lambda t: t[0])
        # quotes that reach into the sentence or end just before it (an appended "— about ¥456 billion")
        near = [q for qs, qe, q in quotes if qs < sent.char_end and qe > sent.char_start - 4]
        for i, c in enumerate(cands):
            s, e, category = c["s"], c["e"], c["category"]
            approx = _approx_before(text[max(0, s - 40):s]) or _APPROX_AFTER.search(text, s, e)
            if approx and category == "duration" and approx.lower() == "over" \
                    and not _OVER_PERIOD.search(text, max(0, s - 40), s):
                approx = None  # "over two years" names the period, "for over 70 years" an approximate length
            if category == "count":
                what = c.get("what") or text[e:c["noun_end"]].lstrip()
            else:
                what = what_of(text, s, e, category)
                if not what and rows and rows[-1]["sentence_id"] == sent.sentence_id \
                        and rows[-1]["category"] == category and _CHANGE_FROM.search(text, max(0, s - 40), s):
                    what = rows[-1]["what"]  # "2 percent of GDP ..., up from about 1.6 percent"
            if category == "money" and not c["per"]:
                c["per"] = rate_of(what, text[max(0, s - 30):s])
            claimer = quote_claimer(near, sent.char_start + s, doc.text)
            if claimer is None:
                if mentions_by_sentence is None:
                    mentions_by_sentence = {}
                    for men in doc.tables.get("mentions", []):
                        mentions_by_sentence.setdefault(men.get("sentence_id"), []).append(men)
                claimer = cue_claimer(mentions_by_sentence.get(sent.sentence_id, []), sent.char_start + s,
                                       sent.char_start, text, p.say)
            row = {
                "article_id": doc.article_id, "figure_id": len(rows),
                "char_start": sent.char_start + s, "char_end": sent.char_start + e, "text": text[s:e],
                "category": category, "value": c["value"], "value_low": c["low"], "value_high": c["high"],
                "unit": c["unit"], "per": c["per"],
                "approx": (approx if isinstance(approx, str) else approx.group(1)).lower() if approx else "",
                "what": what, "claimed_by": claimer,
                "usd_value": None, "usd_basis": "", "sentence_id": sent.sentence_id,
            }
            if category == "money" and c["unit"] != "USD" and c["value"]:
                g = p.gloss.match(text, e)
                nxt = cands[i + 1] if i + 1 < len(cands) else None
                if g and not row["per"]:
                    per = _PER_AFTER.match(text, g.end())
                    row["per"] = _PER[per.group(1).lower()] if per else ""
                    if per and nxt:
                        nxt["per"] = row["per"]
                elif g and nxt and not nxt["per"]:
                    nxt["per"] = row["per"]  # "₩1.5 trillion annually, or about $1.1 billion"
                if g and _symbol_code(p, g.group("cur")) == "USD" and nxt and nxt["unit"] == "USD" and nxt["value"]:
                    glossed[len(rows)] = (nxt["value"], text[s:g.end()].strip())
                    stated.setdefault(c["unit"], (c["value"] / nxt["value"], text[s:g.end()].strip()))
            if (category == "money" and i > 0 and cands[i - 1]["category"] == "money"
                    and _CONVERSION_GAP.fullmatch(text, cands[i - 1]["e"], s)):
                row["what"] = f"conversion of {text[cands[i - 1]['s']:cands[i - 1]['e']]}"
            rows.append(row)
    month: str | None = None
    for k, row in enumerate(rows):
        if row["category"] != "money" or not row["unit"]:
            continue
        if row["unit"] == "USD":
            if row["value"] is not None:
                row["usd_value"], row["usd_basis"] = row["value"], "USD"
            continue
        if row["value"] is None:
            continue
        if k in glossed:
            row["usd_value"], row["usd_basis"] = glossed[k][0], f"stated beside the figure: {glossed[k][1]}"
        elif row["unit"] in stated:
            rate, evidence = stated[row["unit"]]
            row["usd_value"] = row["value"] / rate
            row["usd_basis"] = f"rate stated in the article: {evidence} ({rate:.2f} {row['unit']} per USD)"
        else:
            if month is None:
                month = doc.meta["published_dt"].strftime("%Y-%m") if doc.meta.get("published_dt") else ""
            if month and (ref := reference_rate(p, row["unit"], month)):
                row["usd_value"], row["usd_basis"] = row["value"] / ref[0], ref[1]
    return {"figures": rows}
