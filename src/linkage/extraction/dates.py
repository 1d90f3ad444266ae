"""Temporal expressions normalised to inclusive ISO date ranges against the publication date.

Each way of writing a date is one `Phrasing` record in PHRASINGS: its pattern, the resolver that turns
a match into a range (`date_resolvers`), and where the pattern is worth trying: near which literal
cores (`date_scan.core_hits`), in what window around them, and only where one of its needles occurs.
Phrasings are tried in order; the first to claim some characters keeps them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..pipeline.resources import Resources
from .corpus import Document
from .countries import Countries, countries
from .date_resolvers import (
    Resolver,
    _Ctx,
    _r_day_of_month,
    _r_day_offset,
    _r_decade,
    _r_deictic,
    _r_edge,
    _r_fiscal,
    _r_full,
    _r_iso,
    _r_month,
    _r_month_any,
    _r_month_day,
    _r_month_of_year,
    _r_month_year,
    _r_offset_any,
    _r_part_of_period,
    _r_previous,
    _r_relative,
    _r_rolling,
    _r_season,
    _r_span_since,
    _r_time,
    _r_week_of_month,
    _r_weekday,
    _r_weekday_range,
    _r_weekend,
    _r_year,
    _r_year_range,
    _time_of,
)
from .date_scan import core_hits
from .numerals import NUMBER

__all__ = ["extract", "resolve_text", "PHRASINGS", "Phrasing"]

Row = dict[str, Any]

MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
    r"(?![a-z])"
)
YEAR = r"(?:1[89]|20)\d{2}"
_UNIT_ALT = r"week|weekend|month|year|decade"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY_TO = r"(?:\s*(?:-|–|to|through|and|or)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?![\d:]|\s*(?:%|percent|per\b)))?"



@dataclass(frozen=True)
class Phrasing:
    """One way of writing a date, with what it takes to find and resolve it."""

    name: str
    example: str
    """Some texts it matches."""
    pattern: re.Pattern[str]
    resolve: Resolver
    cores: tuple[str, ...]
    """The groups of literal cores (date_scan.core_hits) one of which every match contains."""
    window: tuple[int, int]
    """Characters before and after a core hit that the pattern may reach (its optional leading and trailing words)."""
    needles: tuple[str, ...] = ()
    """Words (lowercase) one of which must occur in the window before the pattern is tried there (a fast substring test)."""


PHRASINGS: tuple[Phrasing, ...] = (
    Phrasing(
        "edge", "the end of the month, the beginning of next year, the middle of May, the close of fiscal 2025",
        re.compile(
            r"(?:(?i:at|by|until|till|before|toward|towards|around|near|from|through|since)\s+)?(?i:the\s+)?"
            r"(?P<edge>(?i:end|close|beginning|start|middle))\s+(?i:of)\s+(?:"
            r"(?P<mod>(?i:this|last|next|the current|the coming|the following|the previous|the past|the|current|coming))\s+"
            r"(?P<unit>(?i:month|year|week))\b"
            rf"|(?i:fiscal(?:\s+year)?|FY)\s?(?P<fy>{YEAR})\b"
            rf"|(?P<mon>{MON})(?:,?\s+(?P<y>{YEAR}))?\b(?!\.?\s*\d{{1,2}}\b)"
            rf"|(?P<y_>{YEAR})\b)"
            r"|(?:(?i:at|by|until|till|before|toward|towards|around|near|from|through|since)\s+)?(?i:the\s+)?"
            r"(?P<yend>(?i:year[- ]end|year[’']s\s+end))\b(?!\s+(?:bonus|party|parties|sales?|review|report|results?)\b)"),
        _r_edge, cores=('unit', 'month', 'year', 'fiscal'), window=(48, 16),
        needles=('end of', 'close of', 'beginning of', 'start of', 'middle of', 'year-end', 'year end', 's end'),
    ),
    Phrasing(
        "week_of_month", "the first week of June, in the last week of May 2024, the second week of next month",
        re.compile(
            r"(?:(?i:in|during|by|until|till|through|from|for|over|since|before|after)\s+)?(?i:the)\s+"
            r"(?P<ord>(?i:first|second|third|fourth|last|final))\s+(?i:week)\s+(?i:of)\s+(?:"
            rf"(?P<mon>{MON})(?:,?\s+(?P<y>{YEAR}))?\b(?!\.?\s*\d{{1,2}}\b)"
            r"|(?P<mod>(?i:this|next|last|the))\s+(?i:month)\b)"),
        _r_week_of_month, cores=('month', 'unit'), window=(44, 16),
        needles=('week of',),
    ),
    Phrasing(
        "fiscal_year", "fiscal 2025, FY2024-26, fiscal 2024-25, a three-year period from fiscal 2027, this fiscal year",
        re.compile(
            rf"(?:(?:the\s+)?(?P<n>{NUMBER})[- ]years?(?:\s+period)?\s+(?:from|starting(?:\s+in)?|beginning(?:\s+in)?)\s+)?"
            rf"\b(?:(?i:fiscal)(?:\s+years?)?|FY)\s?(?P<y1>{YEAR})"
            rf"(?:\s*(?P<sep>to|through|until|-|–|/)\s*(?:(?i:fiscal)(?:\s+years?)?\s+|FY\s?)?(?P<y2>{YEAR}|\d{{2}})\b)?"
            r"|(?P<fmod>this|last|next|the current|the previous|the next|the coming|the following|the past|current|"
            r"previous|coming|following)\s+fiscal\s+year\b",
            re.IGNORECASE),
        _r_fiscal, cores=('fiscal',), window=(40, 35),
    ),
    Phrasing(
        "decade", "the 1990s, the early 2000s",
        re.compile(r"\b(?:(?i:the)\s+)?(?:(?P<part>(?i:early|mid|late))[- ])?(?P<dec>(?:1[89]|20)\d0)s\b"),
        _r_decade, cores=('decade',), window=(15, 3),
    ),
    Phrasing(
        "month_day_year", "April 16, 2025; April 16 to 18, 2025",
        re.compile(rf"\b(?P<mon>{MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_DAY_TO},?\s+(?P<y>{YEAR})\b"),
        _r_full, cores=('month',), window=(4, 20),
    ),
    Phrasing(
        "day_month_year", "16 April 2025",
        re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{MON})\s+(?P<y>{YEAR})\b"),
        _r_full, cores=('month',), window=(4, 20),
    ),
    Phrasing(
        "iso_date", "2025-04-16",
        re.compile(rf"\b(?P<y>{YEAR})-(?P<m>\d{{2}})-(?P<d>\d{{2}})\b"),
        _r_iso, cores=('year',), window=(1, 7),
        needles=('-',),
    ),
    Phrasing(
        "month_year", "April 2025, mid-April 2025",
        re.compile(
            rf"\b(?:(?i:(?:the\s+)?(?:(?:early|mid|late)\s+|mid-)))?(?P<mon>{MON}),?\s+(?P<y>{YEAR})\b"),
        _r_month_year, cores=('month',), window=(15, 12),
    ),
    Phrasing(
        "weekday_range", "from Wednesday to Friday, on Thursday or Friday, Monday through Wednesday",
        re.compile(
            rf"(?:(?P<wmod>(?i:from|on|between))\s+)?(?P<wd>{_WEEKDAY})\s+(?:to|through|until|till|or|and|-|–)\s+"
            rf"(?P<wd2>{_WEEKDAY})(?!s)"),
        _r_weekday_range, cores=('weekday',), window=(10, 24),
        needles=(' to ', 'through', 'until', 'till', ' or ', ' and ', '-', '–'),
    ),
    Phrasing(
        "weekday", "Monday, last Thursday, this coming Friday, Tuesday, April 15",
        re.compile(
            rf"(?:(?P<wmod>(?i:last|next|this coming|this past|this|coming|on|early|late))\s+)?"
            rf"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?!s)"
            rf"(?:\s+(?i:morning|afternoon|evening|night))?(?:,?\s+(?P<mon>{MON})\s+(?P<d>\d{{1,2}})\b)?"),
        _r_weekday, cores=('weekday',), window=(16, 30),
    ),
    Phrasing(
        "month_day", "April 16, April 16-18, 16 April",
        re.compile(rf"\b(?P<mon>{MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_DAY_TO}\b(?!\d|:\d)"
                    rf"|\b(?P<d_>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon_>{MON})\b(?!,?\s*\d)"),
        _r_month_day, cores=('month',), window=(6, 8),
    ),
    Phrasing(
        "month_of_year", "October last year, in March this year, early June next year, May of last year",
        re.compile(
            rf"(?:(?i:in|since|until|by|from|through|during)\s+)?"
            rf"(?:(?P<part>(?i:early|late|mid-))\s*)?(?P<mon>{MON})\s+(?:(?i:of)\s+)?"
            rf"(?P<rel>(?i:last|this|next))\s+(?i:year)\b"),
        _r_month_of_year, cores=('month',), window=(20, 20),
        needles=('last year', 'this year', 'next year'),
    ),
    Phrasing(
        "month", "in April, since April, by early May, mid-April",
        re.compile(
            rf"(?P<mod>(?i:in|since|until|by|from|through|during|last|next|this|earlier in|later in|early|late|of|before|after|"
            rf"ahead of|around))\s+"
            rf"(?:(?P<part>(?i:early|late|mid-))\s*)?(?P<mon>{MON})\b(?!\.?\s*\d)"
            rf"|\b(?P<part2>(?i:mid-))(?P<mon2>{MON})\b"),
        _r_month_any, cores=('month',), window=(16, 3),
        needles=('in ', 'since', 'until', 'by ', 'from', 'through', 'during', 'last', 'next', 'this', 'early', 'late', 'mid-', 'of ', 'before', 'after', 'ahead', 'around'),
    ),
    Phrasing(
        "bare_month", "a June agreement, Eyeing June Deal, scheduled for June (May is left out: a verb too)",
        re.compile(
            r"(?P<mod>)(?P<part>)(?<![“\"‘'])\b(?P<mon>January|February|March|April|June|July|August|September|October|November|"
            r"December)\b(?!\.?\s*\d)(?!\s+(?:of\s+)?(?i:last|this|next)\s+year)"),
        _r_month, cores=('month',), window=(1, 1),
    ),
    Phrasing(
        "year_range", "2019-2021, from 2019 to 2021, the 1964-65 season, 2024/25",
        re.compile(
            rf"\b(?:(?P<prep>(?i:from|between))\s+)?(?P<y1>{YEAR})\s*(?:-|–|(?i:to|and|through|until))\s*(?P<y2>{YEAR})\b"
            rf"|(?<![\w$¥€£.,/-])(?P<y1_>{YEAR})[-–/](?P<y2_>\d{{2}})(?![\w%/-]|[.,]\d)"),
        _r_year_range, cores=('year',), window=(12, 20),
        needles=('-', '–', ' to ', ' and ', 'through', 'until', '/'),
    ),
    Phrasing(
        "year", "2019, in 2019, since 2019",
        re.compile(
            rf"(?:(?P<prep>(?i:in|by|since|until|till|through|before|after|from|during|around|circa|of|for))\s+)?"
            rf"(?<![\w$¥€£.,/-])(?P<y>{YEAR})(?![\w%-]|,\d|\.\d)"),
        _r_year, cores=('year',), window=(14, 3),
    ),
    Phrasing(
        "part_of_period", "late last year, early this month, mid-next year",
        re.compile(
            r"(?P<part>(?i:early|late|mid))(?:-|\s+)(?P<mod>(?i:last|this|next))\s+(?P<u>(?i:year|month|week))\b"),
        _r_part_of_period, cores=('unit',), window=(14, 1),
        needles=('early', 'late', 'mid'),
    ),
    Phrasing(
        "relative_period", "this week, last month, the past year, earlier this year, over the next decade",
        re.compile(
            rf"(?P<pre>(?i:(?:(?:over|in|during|within|for)\s+)?(?:the\s+)?))"
            rf"(?P<mod>(?i:earlier\s+this|later\s+this|this\s+past|this\s+coming|this|last|next|past|coming|previous|following|current))"
            rf"\s+(?P<u>(?i:{_UNIT_ALT}))\b"),
        _r_relative, cores=('unit', 'weekend'), window=(26, 1),
        needles=('this', 'last', 'next', 'past', 'coming', 'previous', 'following', 'current'),
    ),
    Phrasing(
        "weekend", "the weekend, over the weekend",
        re.compile(r"(?:(?i:over|on|at|during)\s+the\s+)?\bweekend\b"),
        _r_weekend, cores=('weekend',), window=(16, 1),
    ),
    Phrasing(
        "offset", "in three years, within a month, two weeks ago",
        re.compile(
            rf"\b(?:(?P<prep>(?i:in|within|after))\s+(?P<n>{NUMBER}|a|an)\s+(?P<u>(?i:year|month|week|day))s?\b"
            rf"(?!\s+(?i:ago|earlier|later|before|after|old))"
            rf"|(?P<n2>{NUMBER}|a|an)\s+(?P<u2>(?i:year|month|week|day))s?\s+(?P<ago>(?i:ago)))", re.IGNORECASE),
        _r_offset_any, cores=('unit', 'day'), window=(22, 8),
        needles=('in ', 'within', 'after', 'ago'),
    ),
    Phrasing(
        "day_of_month", "on the 9th, on the 17th (local time)",
        re.compile(
            r"(?i:on)\s+the\s+(?P<d>[12]?\d|3[01])(?:st|nd|rd|th)\b"
            r"(?=\s*(?:[,.;:()\"”’]|$)|\s+(?:to|that|and|in|at|when|with|as|for|after|before|while|but|about|over|on|by|from|during|amid|"
            r"regarding|where|which|who|of\s+this\s+month)\b)"),
        _r_day_of_month, cores=('ordinal',), window=(1, 40),
    ),
    Phrasing(
        "deictic", "today, tonight, yesterday, tomorrow, this morning",
        re.compile(r"\b(?i:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening))\b"),
        _r_deictic, cores=('deictic',), window=(1, 1),
    ),
    Phrasing(
        "clock_time", "7 p.m. in Japan, 14:07 JST, noon, around 9 a.m.",
        re.compile(
            r"(?:(?i:(?:shortly|just|right|soon|sometime|some time)\s+(?:after|before)|around|about|at|by|until|before|after|from)\s+)?"
            r"\b(?P<h>\d{1,2})(?::(?P<mi>\d{2}))?\s*(?P<ap>[ap])\.?m\.?(?![\w])"
            r"(?:\s+(?P<zone>(?:in|on)\s+(?:Japan|Tokyo|Washington|Beijing|Seoul|London|New York|the U\.S\.|the United States)"
            r"|(?:JST|EST|EDT|ET|PST|PDT|PT|GMT|UTC|BST|CET|KST)\b|local time))?"
            r"|\b(?i:at\s+)?(?i:noon|midnight)\b"
            r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)\s*(?P<zone24>JST|EST|EDT|ET|PST|PDT|PT|GMT|UTC|BST|CET|KST)\b"),
        _r_time, cores=('time',), window=(26, 30),
    ),
    Phrasing(
        "rolling_period", "the past three months, over the next two years",
        re.compile(
            rf"(?:(?i:over|in|during|for|within)\s+)?(?i:the)\s+(?P<mod>(?i:past|last|next|coming|previous|following))\s+"
            rf"(?P<n>{NUMBER})\s+(?P<u>(?i:day|week|month|year|decade))s\b", re.IGNORECASE),
        _r_rolling, cores=('unit', 'day'), window=(48, 2),
        needles=('past', 'last', 'next', 'coming', 'previous', 'following'),
    ),
    Phrasing(
        "day_offset", "the next day, the day before, two days later, that day",
        re.compile(
            r"(?i:the)\s+(?P<rel>(?i:next|following|previous))\s+day\b"
            r"|(?i:the)\s+(?i:day|night|evening)\s+(?P<ba>(?i:before|after))\b(?!\s+\w+day)"
            r"|(?P<n3>(?i:a|one|two|three|four|five|six|\d+))\s+days?\s+(?P<ba3>(?i:after|before))\b(?!\s+\w+day)"
            r"|(?P<n>(?i:a|one|two|three|four|five|six|\d+))\s+days?\s+(?P<le>(?i:later|earlier))\b(?!\s+than)"
            r"|(?P<same>(?i:that|the same)\s+day)\b"),
        _r_day_offset, cores=('day',), window=(22, 14),
        needles=('next', 'following', 'previous', 'day before', 'day after', 'days before', 'days after', 'night before',
                 'night after', 'evening before', 'evening after', 'later', 'earlier', 'that day', 'same day'),
    ),
    Phrasing(
        "season", "this spring, last summer, in the fall of 2024",
        re.compile(
            rf"(?P<mod>(?i:this|last|next|early|late|in|by|until|since)(?:\s+the)?)\s+(?P<season>(?i:spring|summer|autumn|fall|winter))\b"
            rf"(?:\s+(?:of\s+)?(?P<y>{YEAR}))?(?!\s+(?:meeting|session|festival|school|olympics|games)s?\b)"),
        _r_season, cores=('season',), window=(22, 10),
    ),
    Phrasing(
        "that_time", "at the time, at that time, back then, that year",
        re.compile(r"\b(?i:at the time|at that time|back then|that year)\b"),
        _r_previous, cores=('anaphor',), window=(14, 10),
    ),
    Phrasing(
        "span_so_far", "in less than two months, within about three weeks",
        re.compile(
            rf"\b(?i:in|within)\s+(?i:less than|under|fewer than|more than|over|nearly|almost|about|just)\s+"
            rf"(?P<n>{NUMBER})\s+(?P<u>(?i:day|week|month|year))s?\b", re.IGNORECASE),
        _r_span_since, cores=('unit', 'day'), window=(36, 2),
        needles=('less than', 'under', 'fewer', 'more than', 'over', 'nearly', 'almost', 'about', 'just'),
    ),
)
"""Every date phrasing, in the order they are tried."""

# --- the search: each phrasing tried only near its cores ---------------------------------------------

_WINDOWS: list[tuple[int, int]] = [p.window for p in PHRASINGS]
_NEEDLE_RX: list[re.Pattern[str] | None] = [
    re.compile("|".join(re.escape(n) for n in p.needles)) if p.needles else None for p in PHRASINGS]
"""The needles of each phrasing as one alternation: a single search per hit."""
_AT_WORD = [re.compile(r"(?<!\w)(?=\w)(?:" + p.pattern.pattern + ")", p.pattern.flags) for p in PHRASINGS]
"""Each pattern anchored at a word start, so one search finds the first word start where it matches."""
_BEFORE, _AFTER = 70, 50


def _matches(k: int, hits: list[tuple[int, int]], text: str, before: int = _BEFORE,
             after: int = _AFTER) -> list[re.Match[str]]:
    """Matches of pattern `k` that contain one of `hits`: for each hit, the leftmost match starting at a word
    start at most `before` characters earlier (patterns start at a word; no scan of every position)."""
    out: list[re.Match[str]] = []
    covered = 0
    n = len(text)
    search = _AT_WORD[k].search
    for hs, he in hits:
        if hs < covered:
            continue
        hi = min(n, he + after)
        pos = max(0, hs - before, covered)
        while True:
            m = search(text, pos, hi)
            if m is None or m.start() > hs:
                break
            if m.end() > hs and m.start() < he and m.end() > m.start():
                if hi < n:  # the window may have cut it short ("April 16 to 1|8"): the whole match from its start
                    m = search(text, m.start(), n) or m
                out.append(m)
                covered = m.end()
                break
            pos = m.start() + 1
    return out


_PLANS: dict[frozenset[str], list[tuple[int, tuple[str, ...]]]] = {}


def _plan(groups: frozenset[str]) -> list[tuple[int, tuple[str, ...]]]:
    """The patterns to try, in order, when cores of `groups` occur, each with the groups that feed it."""
    plan = _PLANS.get(groups)
    if plan is None:
        plan = _PLANS[groups] = [(k, tuple(g for g in p.cores if g in groups))
                                 for k, p in enumerate(PHRASINGS) if groups.intersection(p.cores)]
    return plan


def resolve_text(
    text: str, pub: date, previous_day: date | None = None, by_core: dict[str, list[tuple[int, int]]] | None = None,
    previous_range: tuple[date, date, str] | None = None, countries: Countries | None = None,
    quote_day: date | None = None, same_day: date | None = None,
) -> list[dict[str, Any]]:
    """Every temporal expression in `text` with its resolved range (offsets relative to `text`).

    Fiscal years are those of `countries` (data/lexicons/countries.csv); calendar years without it.
    "today" inside quotation marks is `quote_day` when given (the day the quoted words were said).
    "the same day" / "that day" with no day before it in `text` is `same_day` when given (see `extract`),
    else `previous_day`.
    """
    covered: set[int] = set()  # offsets inside a date already found: a core there needs no more patterns
    found: list[dict[str, Any]] = []
    if by_core is None:
        by_core = core_hits(text)
    if not by_core:
        return []
    low = ""
    merged: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for k, groups in _plan(frozenset(by_core)):
        if len(groups) == 1:
            hits = by_core[groups[0]]
        else:
            hits = merged.get(groups) or merged.setdefault(groups, sorted(h for g in groups for h in by_core[g]))
        before, after = _WINDOWS[k]
        if covered:
            hits = [h for h in hits if h[0] not in covered]
            if not hits:
                continue
        needle_rx = _NEEDLE_RX[k]
        if needle_rx is not None:
            low = low or text.lower()
            hits = [(hs, he) for hs, he in hits if needle_rx.search(low, max(0, hs - before), he + after)]
            if not hits:
                continue
        fn = PHRASINGS[k].resolve
        for m in _matches(k, hits, text, before, after):
            s, e = m.start(), m.end()
            if s == e or not covered.isdisjoint(range(s, e)):
                continue
            raw = text[s:e]
            lead = len(raw) - len(raw.lstrip())
            s += lead
            e = s + len(raw.strip())
            prev, prev_range = previous_day, previous_range
            if fn is _r_day_offset:
                days = [f for f in found if f["granularity"] == "day" and f["e"] <= s and not f["offset"]]
                fallback = same_day if same_day is not None and m.group("same") else previous_day
                prev = max(days, key=lambda f: f["e"])["start"] if days else fallback
            elif fn is _r_previous:
                earlier = [f for f in found if f["e"] <= s]
                if earlier:
                    last = max(earlier, key=lambda f: f["e"])
                    prev_range = (last["start"], last["end"], last["granularity"])
            span = fn(m, _Ctx(pub, text, prev, prev_range, countries, quote_day))
            if span is None:
                continue
            covered.update(range(s, e))
            item = {"s": s, "e": e, "start": span[0], "end": span[1], "granularity": span[2], "anchor": span[3],
                    "time": "", "zone": "", "offset": fn is _r_day_offset}
            if fn is _r_time:
                item["time"], item["zone"] = _time_of(m)
            found.append(item)
    found.sort(key=lambda f: f["s"])
    # times take the day of a date in the same sentence, or the last day mentioned before
    day = previous_day
    same = [g for g in found if g["granularity"] == "day"] if any(f["granularity"] == "time" for f in found) else []
    for i, f in enumerate(found):
        if f["granularity"] == "time":
            ref = min(same, key=lambda g: abs(g["s"] - f["s"]))["start"] if same else day
            if ref is not None:
                f["start"] = f["end"] = ref
                f["anchor"] = "previous_date"
        elif f["granularity"] == "day":
            day = f["start"]
        found[i] = f
    return found


def _direction(start: date, end: date, pub: date) -> str:
    if end < pub:
        return "past"
    if start > pub:
        return "future"
    return "same"


def _other_units(doc: Document) -> list[tuple[int, str, str]]:
    """Caption, dateline and source blocks (read for dates only), without the second copy of a caption
    repeated with a credit tail."""
    units: list[tuple[int, str, str]] = []
    previous = ""
    for b in doc.blocks:
        if b.role not in ("caption", "dateline", "source"):
            continue
        if b.role == "caption":
            if previous and b.text.startswith(previous):
                continue
            previous = b.text
        units.append((b.char_start, b.text, b.role))
    return units


def extract(doc: Document, res: Resources) -> dict[str, list[Row]]:
    """Find temporal expressions and resolve them against the publication date."""
    published = doc.meta.get("published_dt")
    if published is None:
        return {"dates": []}
    pub = published.date()
    known = countries(res)
    roles = {b.block_id: b.role for b in doc.blocks}
    units: list[tuple[int, str, Any, str]] = [(s.char_start, s.text, s.sentence_id, roles.get(s.block_id, "body"))
                                              for s in doc.sentences]
    units += [(start, text, None, role) for start, text, role in _other_units(doc)]
    units.sort(key=lambda u: u[0])
    rows: list[Row] = []
    # An article that has placed its story on the day before publication (a report from a time zone behind, or
    # an overnight story) quotes words said that day: "today" inside its quotations is that day.
    day_before, day_before_seen = pub - timedelta(days=1), False
    previous_day: date | None = None
    previous_range: tuple[date, date, str] | None = None
    # "the same day" points back to the last day named in its paragraph or the one before; with none there, to
    # the last day named in the first dated paragraph (the lead's: the story's day), not to a background date
    # named paragraphs back
    paragraph = {b.block_id: k for k, b in enumerate(b for b in doc.blocks if b.role == "body")}
    block_of = {s.sentence_id: s.block_id for s in doc.sentences}
    lead_day: tuple[int, date] | None = None  # (paragraph, day): the last day named in the first dated paragraph
    recent_day: tuple[int, date] | None = None  # (paragraph, day) of the last day named in the body
    starts = [u[0] for u in units]
    per_unit: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for group, spans in core_hits(doc.text).items():
        for hs, he in spans:
            k = bisect_right(starts, hs) - 1
            if k < 0 or he > units[k][0] + len(units[k][1]):
                continue
            base = units[k][0]
            per_unit.setdefault(k, {}).setdefault(group, []).append((hs - base, he - base))
    for k, (start, text, sentence_id, role) in enumerate(units):
        local = per_unit.get(k)
        if not local:
            continue
        body = sentence_id is not None
        para = paragraph.get(block_of.get(sentence_id, -1), -1) if body else -1
        same_day = None
        if body and para >= 0:
            near = recent_day if recent_day is not None and para - recent_day[0] <= 1 else lead_day
            same_day = near[1] if near is not None else None
        for f in resolve_text(text, pub, previous_day if body else None, local, previous_range if body else None, known,
                              quote_day=day_before if body and day_before_seen else None, same_day=same_day):
            if body and f["granularity"] == "day" and not f["offset"] and f["start"] == day_before:
                day_before_seen = True
            if body and f["granularity"] in ("day", "time") and not f["offset"]:
                previous_day = f["start"]  # "the day before" keeps the day it counts from: the next one counts from it too
                if para >= 0 and f["granularity"] == "day":
                    recent_day = (para, f["start"])
                    if lead_day is None or lead_day[0] == para:
                        lead_day = (para, f["start"])
            if body:
                previous_range = (f["start"], f["end"], f["granularity"])
            rows.append({
                "article_id": doc.article_id, "date_id": len(rows),
                "char_start": start + f["s"], "char_end": start + f["e"], "text": text[f["s"]:f["e"]],
                "date_start": f["start"].isoformat(), "date_end": f["end"].isoformat(),
                "granularity": f["granularity"], "anchor": f["anchor"],
                "direction": _direction(f["start"], f["end"], pub), "sentence_id": sentence_id,
                "time": f["time"], "zone": f["zone"],
                "block_role": role,
            })
    return {"dates": rows}
