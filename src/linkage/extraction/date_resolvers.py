"""How each date phrasing becomes a date range: the resolvers, and the tense cues they read.

A resolver takes a match of its phrasing (`dates.PHRASINGS`) and the sentence around it and returns
(start, end, granularity, anchor), or None when the match is not a date after all.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from .countries import NO_COUNTRIES, Countries
from .numerals import parse_number

Span = tuple[date, date, str, str]  # start, end, granularity, anchor

_MONTH_NAMES = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_FUTURE = re.compile(
    r"\b(?:will|shall|going to|expected|scheduled|slated|set to|due to|plans? to|planned|planning|intends? to|"
    r"upcoming|coming|beginning|starting|begins|starts|to be held|to take place|would|"
    r"to (?:hold|meet|visit|host|resume|sign|launch))\b|’ll|'ll",  # a headline's "Seoul, Washington to hold talks"
    re.IGNORECASE,
)
_PAST_WORDS = frozenset((
    "said", "told", "met", "held", "spoke", "made", "took", "gave", "began", "went", "came", "saw", "sent", "wrote",
    "was", "were", "had", "did", "left", "last", "ago", "earlier", "since", "following"))
"""Past cues spelled out (a capitalised one still counts: headlines capitalise every word)."""
_PAST = re.compile(
    r"\b(?<!\bbe\s)(?:" + "|".join(sorted(_PAST_WORDS)) + r"|\w{3,}ed)\b",  # "will be held": a participle
    re.IGNORECASE,
)
_TENSE = re.compile(f"(?P<future>{_FUTURE.pattern})|(?P<past>{_PAST.pattern})", re.IGNORECASE)
"""Both cue lists in one scan (a future cue wins where both match: "expected", "to be held")."""
_TENSE_LOWER = re.compile(_TENSE.pattern)
"""_TENSE for lowercased text: the same matches, found several times faster than by case-insensitive matching."""
_FOLD_ODDITIES = ("İ", "ı", "ſ")
"""Characters that case-insensitive matching equates with an ASCII letter but str.lower() does not map to one."""


_LOWERED: list[str | None] = ["", ""]
"""The last text _tense_cues was asked about and its lowercased form (None where only case-insensitive matching
is right): the dates of one sentence share it, so a long sentence is lowercased once, not once per date."""


def _tense_cues(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The _TENSE matches in text[lo:hi] (on the lowercased text unless a character forbids it)."""
    if _LOWERED[0] is not text:
        odd = not text.isascii() and any(ch in text for ch in _FOLD_ODDITIES)
        _LOWERED[0], _LOWERED[1] = text, None if odd else text.lower()
    low = _LOWERED[1]
    if low is None:
        return _TENSE.finditer(text, lo, hi)
    return _TENSE_LOWER.finditer(low, lo, hi)


PAST_FLIP_DAYS = 92
"""A day of the month later in the year than publication is last year's on a past cue only when more than this many
days ahead: a past verb near "on July 8" in April governs the sentence, not the date (a year is written when it differs)."""
PAST_FLIP_MONTHS = 2
"""The same for a month: "in June" in April stays this year's on a past cue; "in November" in June is last year's."""
_FUTURE_MODS = frozenset(("until", "by", "through", "before", "ahead of"))
"""Words before a month that look ahead: "by June" in May is not last June whatever the verb's tense."""
_DURATIVE_PAST = re.compile(
    r"\b(?:ran|lasted|continued|remained|stayed|persisted|went on|ran on|carried on)\s+(?:on\s+)?$", re.IGNORECASE)
"""A past verb of lasting right before "through"/"until": "the exhibition ran through September" looks back."""
_THAN_AS = re.compile(r"\b(?:than|as)\s+$")
_CLAUSE = re.compile(r"(?P<term>[\"“][^\s\"“”]{1,24}[\"”])|[;\"“”]|,\s+(?:and|but|while|whereas)\s|\s(?:that)\s|\s[—–]\s")
"""Where a clause ends: tense cues beyond it do not govern a date (a quoted term of one word, "2+2", does not end
one: matches of the group `term` are skipped)."""
_CLAUSE_HINT = re.compile(r"[;\"“”,—–]|that")
"""Something every _CLAUSE match contains: where this finds nothing, _CLAUSE need not run."""
_ADJ_PAST = re.compile(r"(?:since|last|past)\s+(?:on\s+)?$", re.IGNORECASE)


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, n: int) -> date:
    k = d.year * 12 + d.month - 1 + n
    y, m = divmod(k, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _month_num(token: str) -> int:
    return _MONTH_NAMES[token.lower().rstrip(".")]


def _year_span(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


_CUE_BEFORE = {
    ("beginning",): "future", ("starting",): "future", ("until",): "future", ("till",): "future",
    ("through",): "future", ("before",): "future", ("by",): "future", ("ahead", "of"): "future",
    ("as", "early", "as"): "future", ("as", "soon", "as"): "future", ("no", "later", "than"): "future",
    ("since",): "past", ("last",): "past", ("past",): "past",
}
_FILLERS = frozenset(("on", "the", "a", "an"))


def _adjacent_cue(before: str) -> str:
    """'future' or 'past' when the words right before a date say so ("until", "as early as", "since"), or ""."""
    if not before[-1:].isspace():
        return ""
    words = before.lower().split()[-4:]
    if words and words[-1] in _FILLERS:
        words.pop()
        if words and words[-1] in _FILLERS:  # "on the", only "on" before the filler counts for the past cues
            return ""
    for n in (1, 2, 3):
        cue = _CUE_BEFORE.get(tuple(words[-n:])) if len(words) >= n else None
        if cue:
            return cue
    return ""


def _tense(text: str, s: int, e: int, default: str = "past") -> str:
    """'future' or 'past' by the nearest tense cue around text[s:e]; `default` when there is none.

    News reports the past, so weekdays default to it; a month or a day of the month without a year
    only moves to another year on an explicit cue (`default=""`).
    """
    adjacent = _adjacent_cue(text[max(0, s - 24):s])
    if adjacent:
        return adjacent
    best, best_d = default, 10**9
    lo, hi = max(0, s - 90), min(len(text), e + 90)
    if _CLAUSE_HINT.search(text, lo, s):
        for b in _CLAUSE.finditer(text, lo, s):
            if not b.group("term"):
                lo = b.end()
    if _CLAUSE_HINT.search(text, e, hi):
        for b in _CLAUSE.finditer(text, e, hi):
            if not b.group("term"):
                hi = b.start()
                break
    for m in _tense_cues(text, lo, hi):
        label = "future" if m.group("future") else "past"
        if s <= m.start() < e or (label == "future" and _THAN_AS.search(text, max(0, m.start() - 8), m.start())):
            continue
        if label == "past" and m.start() and text[m.start()].isupper() and text[m.start() - 1] == " " \
                and text[max(0, m.start() - 2)] not in ".!?" and m.group().lower() not in _PAST_WORDS:
            continue  # "United States", "Red Cross": a name inside a sentence, not a verb in the past
        d = s - m.end() if m.end() <= s else m.start() - e
        if d < best_d or (d == best_d and label == "future"):
            best, best_d = label, d
    return best


class _Ctx:
    """What a resolver needs: the sentence text, the publication date, the last resolved day and the countries."""

    def __init__(self, pub: date, text: str, previous_day: date | None,
                 previous_range: tuple[date, date, str] | None = None, countries: Countries | None = None,
                 quote_day: date | None = None) -> None:
        self.quote_day = quote_day
        """The day quoted words were said when it is not the publication day (see dates.extract), else None."""
        self.pub = pub
        self.text = text
        self.previous_day = previous_day
        self.previous_range = previous_range
        self.countries = countries if countries is not None else NO_COUNTRIES


Resolver = Callable[[re.Match[str], _Ctx], Span | None]


def _r_fiscal(m: re.Match[str], c: _Ctx) -> Span:
    """A fiscal year of the country the sentence names (countries.csv), else of the story's home country."""
    fy = c.countries.fiscal_country(c.text).fiscal_year
    if m.group("fmod"):  # "this fiscal year": the fiscal year holding the publication date, or a neighbour
        mod = m.group("fmod").lower().split()[-1]
        current = c.countries.fiscal_country(c.text).fiscal_year_of(c.pub)
        step = -1 if mod in ("last", "previous", "past") else 1 if mod in ("next", "coming", "following") else 0
        return (*fy(current + step), "fiscal_year", "publication")
    y1 = int(m.group("y1"))
    if m.group("y2"):
        y2 = _full_year(y1, m.group("y2"))
        country = c.countries.fiscal_country(c.text)
        if y2 == y1 + 1 and m.group("sep") in ("-", "–", "/") and country.fiscal_start_month > 1:
            # "fiscal 2024-25": the one fiscal year that runs from 2024 into 2025 (named by its end in the U.S.)
            return (*fy(y2 if country.fiscal_named_by_end else y1), "fiscal_year", "absolute")
        return fy(y1)[0], fy(y2)[1], "range", "absolute"
    if m.group("n"):
        n = int(parse_number(m.group("n")) or 1)
        if n > 1:
            return fy(y1)[0], fy(y1 + n - 1)[1], "range", "absolute"
    return (*fy(y1), "fiscal_year", "absolute")


def _r_decade(m: re.Match[str], c: _Ctx) -> Span:
    d = int(m.group("dec"))
    lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get((m.group("part") or "").lower(), (0, 9))
    return date(d + lo, 1, 1), date(d + hi, 12, 31), "decade", "absolute"


def _r_full(m: re.Match[str], c: _Ctx) -> Span | None:
    try:
        d = date(int(m.group("y")), _month_num(m.group("mon")), int(m.group("d")))
        end = d.replace(day=int(m.group("d2"))) if m.groupdict().get("d2") else d
    except ValueError:
        return None
    if end < d:
        end = d
    return d, end, "day" if end == d else "range", "absolute"


def _r_iso(m: re.Match[str], c: _Ctx) -> Span | None:
    try:
        d = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return d, d, "day", "absolute"


def _r_month_year(m: re.Match[str], c: _Ctx) -> Span:
    y, mo = int(m.group("y")), _month_num(m.group("mon"))
    return date(y, mo, 1), _month_end(y, mo), "month", "absolute"


def _r_month_day(m: re.Match[str], c: _Ctx) -> Span | None:
    mo = _month_num(m.group("mon") or m.group("mon_"))
    dd = int(m.group("d") or m.group("d_"))
    try:
        d = date(c.pub.year, mo, dd)
    except ValueError:
        return None
    tense = _tense(c.text, m.start(), m.end(), default="")
    if (d - c.pub).days > 183 or ((d - c.pub).days > PAST_FLIP_DAYS and tense == "past"):
        d = d.replace(year=d.year - 1)
    elif (c.pub - d).days > 183 and tense == "future":
        d = d.replace(year=d.year + 1)
    if m.group("mon") and m.group("d2"):
        try:
            end = d.replace(day=int(m.group("d2")))
        except ValueError:
            end = d
        if end > d:
            return d, end, "range", "publication"
    return d, d, "day", "publication"


def _r_month(m: re.Match[str], c: _Ctx) -> Span:
    mo = _month_num(m.group("mon"))
    mod = re.sub(r"\s+", " ", (m.group("mod") or "").lower())
    y = c.pub.year
    if mo == c.pub.month and mod in ("later in", "earlier in"):  # the rest of the month, or what has gone of it
        if mod == "later in":
            return min(c.pub + timedelta(days=1), _month_end(y, mo)), _month_end(y, mo), "month", "publication"
        return date(y, mo, 1), max(date(y, mo, 1), c.pub - timedelta(days=1)), "month", "publication"
    if mod == "last":
        y = y if mo < c.pub.month else y - 1
    elif mod == "next":
        y = y if mo > c.pub.month else y + 1
    elif mod in ("through", "until") and _DURATIVE_PAST.search(c.text, max(0, m.start() - 24), m.start()):
        y = y if mo <= c.pub.month else y - 1  # "ran through September" written in March: last September
    elif mod != "this":
        tense = _tense(c.text, m.start(), m.end(), default="")
        if mo - c.pub.month > PAST_FLIP_MONTHS and tense == "past" and mod not in _FUTURE_MODS:
            y -= 1
        elif mo < c.pub.month and tense == "future":
            y += 1
    start, end = date(y, mo, 1), _month_end(y, mo)
    if mod == "since" and start <= c.pub:  # "since April": from the month to the publication date
        return start, c.pub, "range", "publication"
    part = (m.group("part") or "").lower().rstrip("-")
    if part == "early":
        end = date(y, mo, 10)
    elif part == "mid":
        start, end = date(y, mo, 11), date(y, mo, 20)
    elif part == "late":
        start = date(y, mo, 21)
    return start, end, "month", "publication"


def _month_part(start: date, end: date, part: str) -> tuple[date, date]:
    """Early (days 1-10), mid (11-20) or late (21-end) of the month `start`..`end`."""
    if part == "early":
        return start, start.replace(day=10)
    if part == "mid":
        return start.replace(day=11), start.replace(day=20)
    if part == "late":
        return start.replace(day=21), end
    return start, end


def _r_month_of_year(m: re.Match[str], c: _Ctx) -> Span:
    """"October last year", "early June next year": the month of the year named relative to publication."""
    y = c.pub.year + {"last": -1, "this": 0, "next": 1}[m.group("rel").lower()]
    mo = _month_num(m.group("mon"))
    start, end = _month_part(date(y, mo, 1), _month_end(y, mo), (m.group("part") or "").lower().rstrip("-"))
    return start, end, "month", "publication"


def _r_part_of_period(m: re.Match[str], c: _Ctx) -> Span:
    """"late last year", "early this month", "mid-next week": a part of the period (as _r_edge splits them)."""
    part = m.group("part").lower()
    step = {"last": -1, "this": 0, "next": 1}[m.group("mod").lower()]
    unit = m.group("u").lower()
    p = c.pub
    if unit == "month":
        base = _add_months(date(p.year, p.month, 1), step)
        start, end = _month_part(base, _month_end(base.year, base.month), part)
        return start, end, "range", "publication"
    if unit == "year":
        months = {"early": (1, 3), "mid": (5, 8), "late": (10, 12)}[part]
        y = p.year + step
        return date(y, months[0], 1), _month_end(y, months[1]), "range", "publication"
    base = _week(p)[0] + timedelta(days=7 * step)
    days = {"early": (0, 1), "mid": (2, 3), "late": (4, 6)}[part]
    return base + timedelta(days=days[0]), base + timedelta(days=days[1]), "range", "publication"


def _r_day_of_month(m: re.Match[str], c: _Ctx) -> Span | None:
    """"on the 9th": that day of the publication month, or of the month before when the day is still to come
    (unless the sentence looks ahead)."""
    dd = int(m.group("d"))
    p = c.pub
    base = date(p.year, p.month, 1)
    if dd > p.day and _tense(c.text, m.start(), m.end()) != "future":
        base = _add_months(base, -1)
    try:
        d = base.replace(day=dd)
    except ValueError:
        return None
    return d, d, "day", "publication"


def _full_year(y1: int, y2_text: str) -> int:
    """The second year of a range written short ("1964-65" -> 1965, "1999-00" -> 2000)."""
    y2 = int(y2_text)
    if y2 >= 100:
        return y2
    y2 += (y1 // 100) * 100
    return y2 + 100 if y2 < y1 else y2


def _r_year_range(m: re.Match[str], c: _Ctx) -> Span | None:
    """"2019-2021", "from 2019 to 2021", and a range written short: "the 1964-65 season" (both calendar years)."""
    if m.group("y1_"):
        y1 = int(m.group("y1_"))
        y2 = _full_year(y1, m.group("y2_"))
        if not y1 < y2 <= y1 + 9:
            return None  # "2024-12" is a year and month, "2019-05" not a range of years
        return date(y1, 1, 1), date(y2, 12, 31), "range", "absolute"
    y1, y2 = int(m.group("y1")), _full_year(int(m.group("y1")), m.group("y2"))
    return date(y1, 1, 1), date(y2, 12, 31), "range", "absolute"


_ORDINAL_WEEKS = {"first": 0, "second": 1, "third": 2, "fourth": 3}


def _r_week_of_month(m: re.Match[str], c: _Ctx) -> Span:
    """"the first week of June": days 1-7 of the month (the second week 8-14, the third 15-21, the fourth 22-28),
    "the last week" its last seven days; the month's year as for a month alone ("in June")."""
    p = c.pub
    if m.group("mon"):
        mo = _month_num(m.group("mon"))
        if m.group("y"):
            y, anchor = int(m.group("y")), "absolute"
        else:
            y, anchor = _r_month(_Named(m.group("mon"), m.start(), m.end()), c)[0].year, "publication"
        base = date(y, mo, 1)
    else:
        mod = m.group("mod").lower()
        base = _add_months(date(p.year, p.month, 1), {"last": -1, "next": 1}.get(mod, 0))
        anchor = "publication"
    last = _month_end(base.year, base.month)
    order = m.group("ord").lower()
    if order in ("last", "final"):
        return last - timedelta(days=6), last, "week", anchor
    start = base + timedelta(days=7 * _ORDINAL_WEEKS[order])
    return start, start + timedelta(days=6), "week", anchor


class _Named:
    """A month name seen by _r_month as a bare month at the given place in the sentence."""

    def __init__(self, mon: str, start: int, end: int) -> None:
        self._mon, self._start, self._end = mon, start, end

    def group(self, name: str) -> str | None:
        return self._mon if name == "mon" else ""

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def _r_year(m: re.Match[str], c: _Ctx) -> Span:
    y = int(m.group("y"))
    prep = (m.group("prep") or "").lower()
    if prep == "since" and y <= c.pub.year:
        return date(y, 1, 1), c.pub, "range", "absolute"
    return (*_year_span(y), "year", "absolute")


def _week(d: date) -> tuple[date, date]:
    start = d - timedelta(days=d.weekday())
    return start, start + timedelta(days=6)


def _weekend(d: date, direction: str) -> tuple[date, date]:
    if d.weekday() >= 5:
        sat = d - timedelta(days=d.weekday() - 5)
    elif direction == "future":
        sat = d + timedelta(days=5 - d.weekday())
    else:
        sat = d - timedelta(days=d.weekday() + 2)
    return sat, sat + timedelta(days=1)


def _calendar_period(mod: str, p: date, first: date, last: date, months: int, rolling: bool) -> tuple[date, date] | None:
    """The calendar month or year `first`..`last` (`months` long) holding `p`, moved or cut as `mod` says."""
    one = timedelta(days=1)
    if mod in ("this", "current"):
        return first, last
    if mod == "earlier this":
        return first, max(first, p - one)
    if mod == "later this":
        return min(last, p + one), last
    if mod in ("last", "past", "previous"):
        if rolling:
            return _add_months(p, -months), p - one
        return _add_months(first, -months), first - one
    if mod in ("next", "coming", "following"):
        following = _add_months(first, months)
        return following, _add_months(following, months) - one
    return None


def _r_relative(m: re.Match[str], c: _Ctx) -> Span | None:
    mod = re.sub(r"\s+", " ", m.group("mod").lower())
    unit = m.group("u").lower()
    rolling = bool(m.group("pre").strip()) or mod in ("past", "the past")
    p = c.pub
    one = timedelta(days=1)
    if unit == "week":
        ws, we = _week(p)
        if mod in ("this", "current"):
            if p.weekday() == 6 and _tense(c.text, m.start(), m.end()) == "future":
                return ws + timedelta(days=7), we + timedelta(days=7), "week", "publication"  # on a Sunday: the coming week
            return ws, we, "week", "publication"
        if mod == "earlier this":
            return ws, max(ws, p - one), "week", "publication"
        if mod == "later this":
            return min(we, p + one), we, "week", "publication"
        if mod in ("last", "past", "previous"):
            if rolling:
                return p - timedelta(days=7), p - one, "week", "publication"
            return ws - timedelta(days=7), ws - one, "week", "publication"
        if mod in ("next", "coming", "following"):
            return ws + timedelta(days=7), we + timedelta(days=7), "week", "publication"
    if unit == "weekend":
        if mod in ("last", "past", "this past", "previous"):
            return (*_weekend(p - one if p.weekday() >= 5 else p, "past"), "week", "publication")
        if mod in ("next", "coming", "this coming", "following"):
            return (*_weekend(p + one if p.weekday() == 5 else p, "future"), "week", "publication")
        return (*_weekend(p, _tense(c.text, m.start(), m.end())), "week", "publication")
    if unit in ("month", "year"):
        months = 1 if unit == "month" else 12
        first, last = (date(p.year, p.month, 1), _month_end(p.year, p.month)) if months == 1 else _year_span(p.year)
        period = _calendar_period(mod, p, first, last, months, rolling)
        return None if period is None else (*period, unit, "publication")
    if unit == "decade":
        if mod in ("last", "past", "previous"):
            return _add_months(p, -120), p, "decade", "publication"
        if mod in ("next", "coming"):
            return p, _add_months(p, 120), "decade", "publication"
    return None


def _r_weekend(m: re.Match[str], c: _Ctx) -> Span:
    return (*_weekend(c.pub, _tense(c.text, m.start(), m.end())), "week", "publication")


_SUPERLATIVE = re.compile(
    r"\b(?:first|only|highest|lowest|biggest|largest|smallest|longest|shortest|worst|best|strongest|weakest|"
    r"fewest|most|least|latest|largest|greatest|deepest|sharpest|steepest|fastest|slowest)\b(?:\s+[\w-]+){0,4}\s+$", re.IGNORECASE)


def _r_offset(m: re.Match[str], c: _Ctx) -> Span | None:
    n_text = m.group("n").lower()
    n = 1 if n_text in ("a", "an") else parse_number(n_text)
    if n is None:
        return None
    n = int(n)
    unit = m.group("u").lower()
    prep = (m.group("prep") or "").lower()
    sign = -1 if m.group("ago") else 1
    p = c.pub
    if prep == "in" and _SUPERLATIVE.search(c.text, max(0, m.start() - 60), m.start()):
        # "the first such visit in three years", "the highest level in a decade": the span up to now
        months = {"year": 12 * n, "month": n}.get(unit)
        start = _add_months(p, -months) if months else p - timedelta(days=n * (7 if unit == "week" else 1))
        return start, p - timedelta(days=1), "range", "publication"
    if unit == "year":
        target = (*_year_span(p.year + sign * n), "year")
        if prep == "within":
            return p, _add_months(p, 12 * n), "range", "publication"
    elif unit == "month":
        t = _add_months(p, sign * n)
        target = (date(t.year, t.month, 1), _month_end(t.year, t.month), "month")
        if prep == "within":
            return p, _add_months(p, n), "range", "publication"
    elif unit == "week":
        t = p + timedelta(days=7 * sign * n)
        target = (*_week(t), "week")
        if prep == "within":
            return p, p + timedelta(days=7 * n), "range", "publication"
    else:
        t = p + timedelta(days=sign * n)
        target = (t, t, "day")
        if prep == "within":
            return p, p + timedelta(days=n), "range", "publication"
    return target[0], target[1], target[2], "publication"


def _inside_quote(text: str, at: int) -> bool:
    """Whether text[at] lies inside quotation marks opened earlier in the sentence."""
    before = text[:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _r_deictic(m: re.Match[str], c: _Ctx) -> Span:
    """"today", "yesterday": from the publication day, or inside a quotation from the day the words were said."""
    word = m.group().lower()
    shift = -1 if "yesterday" in word else 1 if "tomorrow" in word else 0
    if c.quote_day is not None and _inside_quote(c.text, m.start()):
        d = c.quote_day + timedelta(days=shift)
        return d, d, "day", "previous_date"
    d = c.pub + timedelta(days=shift)
    return d, d, "day", "publication"


def _r_weekday_range(m: re.Match[str], c: _Ctx) -> Span:
    """"from Wednesday to Friday", "on Thursday or Friday": the first day as a weekday, the second the next such
    weekday after it."""
    first = _r_weekday(m, c)[0]
    w2 = _WEEKDAYS[m.group("wd2").lower()]
    last = first + timedelta(days=(w2 - first.weekday()) % 7)
    return first, last, "range" if last > first else "day", "publication"


def _r_weekday(m: re.Match[str], c: _Ctx) -> Span:
    if m.groupdict().get("mon"):
        try:
            d = date(c.pub.year, _month_num(m.group("mon")), int(m.group("d")))
            return d, d, "day", "publication"
        except ValueError:
            pass
    w = _WEEKDAYS[m.group("wd").lower()]
    mod = (m.group("wmod") or "").lower()
    p = c.pub
    if mod in ("last", "this past"):
        delta = (p.weekday() - w) % 7 or 7
        d = p - timedelta(days=delta)
    elif mod == "next":  # "next Thursday": the Thursday of next week
        d = p - timedelta(days=p.weekday()) + timedelta(days=7 + w)
    elif mod in ("this coming", "coming"):
        delta = (w - p.weekday()) % 7 or 7
        d = p + timedelta(days=delta)
    elif _tense(c.text, m.start(), m.end()) == "future":
        d = p + timedelta(days=(w - p.weekday()) % 7)
    else:
        d = p - timedelta(days=(p.weekday() - w) % 7)
    return d, d, "day", "publication"


def _r_rolling(m: re.Match[str], c: _Ctx) -> Span | None:
    n = parse_number(m.group("n"))
    if n is None:
        return None
    n = int(n)
    unit = m.group("u").lower()
    months = {"month": 1, "year": 12, "decade": 120}.get(unit)
    one = timedelta(days=1)
    if m.group("mod").lower() in ("past", "last", "previous"):
        start = _add_months(c.pub, -months * n) if months else c.pub - timedelta(days=n * (7 if unit == "week" else 1))
        return start, c.pub - one, "range", "publication"
    end = _add_months(c.pub, months * n) if months else c.pub + timedelta(days=n * (7 if unit == "week" else 1))
    return c.pub + one, end, "range", "publication"


def _r_previous(m: re.Match[str], c: _Ctx) -> Span | None:
    """"at the time", "that year": the range of the date mentioned last."""
    if c.previous_range is None:
        return None
    start, end, gran = c.previous_range
    if m.group().lower().endswith("year"):
        start, end, gran = date(start.year, 1, 1), date(start.year, 12, 31), "year"
    return start, end, gran, "previous_date"


def _r_span_since(m: re.Match[str], c: _Ctx) -> Span | None:
    """"in less than two months" (so far) or "within about three weeks" (from now)."""
    n = parse_number(m.group("n"))
    if n is None:
        return None
    n = int(n)
    unit = m.group("u").lower()
    months = {"month": 1, "year": 12}.get(unit)
    if _tense(c.text, m.start(), m.end()) == "future":
        end = _add_months(c.pub, months * n) if months else c.pub + timedelta(days=n * (7 if unit == "week" else 1))
        return c.pub, end, "range", "publication"
    start = _add_months(c.pub, -months * n) if months else c.pub - timedelta(days=n * (7 if unit == "week" else 1))
    return start, c.pub, "range", "publication"


def _r_day_offset(m: re.Match[str], c: _Ctx) -> Span | None:
    if c.previous_day is None:
        return None
    if m.group("rel"):
        shift = -1 if m.group("rel").lower() == "previous" else 1
    elif m.group("ba"):
        shift = -1 if m.group("ba").lower() == "before" else 1
    elif m.groupdict().get("ba3"):
        # "He spoke on Friday, a day after the talks": the event it names lies that many days before the day
        # in view; at the head of a sentence ("A day after the talks, he left") the anchor is not known
        if not c.text[:m.start()].strip(" \"“‘'("):
            return None
        n_text = m.group("n3").lower()
        n = 1 if n_text in ("a", "one") else int(parse_number(n_text) or 1)
        shift = -n if m.group("ba3").lower() == "after" else n
    elif m.group("same"):
        shift = 0
    else:
        n_text = m.group("n").lower()
        n = 1 if n_text in ("a", "one") else int(parse_number(n_text) or 1)
        shift = n if m.group("le").lower() == "later" else -n
    d = c.previous_day + timedelta(days=shift)
    return d, d, "day", "previous_date"


_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}


def _season_span(name: str, year: int) -> tuple[date, date]:
    first, last = _SEASONS[name]
    if first > last:  # winter runs into the next year
        return date(year, first, 1), _month_end(year + 1, last)
    return date(year, first, 1), _month_end(year, last)


def _r_season(m: re.Match[str], c: _Ctx) -> Span:
    name = m.group("season").lower()
    mod = m.group("mod").lower().split()[0]
    if m.group("y"):
        return (*_season_span(name, int(m.group("y"))), "range", "absolute")
    y = c.pub.year
    this = _season_span(name, y)
    if name == "winter" and c.pub.month <= 2:
        this = _season_span(name, y - 1)
    if mod == "last":
        if this[0] > c.pub or this[0] <= c.pub <= this[1]:
            this = _season_span(name, this[0].year - 1)
    elif mod == "next":
        if this[0] <= c.pub:
            this = _season_span(name, this[0].year + 1)
    elif mod != "this" and _tense(c.text, m.start(), m.end(), default="") == "past" and this[0] > c.pub:
        this = _season_span(name, this[0].year - 1)
    elif mod != "this" and _tense(c.text, m.start(), m.end()) == "future" and this[1] < c.pub:
        this = _season_span(name, this[0].year + 1)
    return this[0], this[1], "range", "publication"


def _r_time(m: re.Match[str], c: _Ctx) -> Span:
    if c.previous_day is not None:
        return c.previous_day, c.previous_day, "time", "previous_date"
    return c.pub, c.pub, "time", "publication"


_EDGE_PART = {"end": "late", "close": "late", "beginning": "early", "start": "early", "middle": "mid"}


def _r_edge(m: re.Match[str], c: _Ctx) -> Span | None:
    """"the end of the month", "the beginning of next year", "the middle of May": a part of a period.

    A month splits in thirds (1-10, 11-20, 21-end); the beginning of a year is January, its middle June-July
    and its end ("the end of the year", "year-end") December; a week splits in early (Monday-Tuesday), mid
    (Wednesday-Thursday) and late (Friday-Sunday); a fiscal year's end is its last month (March 2026 for
    Japan's fiscal 2025). ("Late this year", a vaguer phrase, is October-December: _r_part_of_period.)
    """
    if m.group("yend"):  # "by year-end": the end of the year in view (this one)
        y = c.pub.year
        return date(y, 12, 1), date(y, 12, 31), "range", "publication"
    part = _EDGE_PART[m.group("edge").lower()]
    mod = re.sub(r"\s+", " ", (m.group("mod") or "").lower())
    p = c.pub
    step = -1 if mod in ("last", "the last", "the previous", "previous", "the past", "past") else \
        1 if mod in ("next", "the next", "the coming", "coming", "the following", "following") else 0
    anchor = "publication"
    unit = (m.group("unit") or "").lower()
    if m.group("fy"):
        start, end = c.countries.fiscal_country(c.text).fiscal_year(int(m.group("fy")))
        anchor = "absolute"
        if part == "late":
            start = _add_months(end + timedelta(days=1), -1)
        elif part == "early":
            end = _add_months(start, 1) - timedelta(days=1)
        else:
            start, end = _add_months(start, 5), _add_months(start, 7) - timedelta(days=1)
        return start, end, "range", anchor
    if m.group("mon"):
        mo = _month_num(m.group("mon"))
        if m.group("y"):
            y, anchor = int(m.group("y")), "absolute"
        else:
            y = p.year
            tense = _tense(c.text, m.start(), m.end(), default="")
            if mo > p.month and tense == "past":
                y -= 1
            elif mo < p.month and tense == "future":
                y += 1
        unit, base = "month", date(y, mo, 1)
    elif m.group("y_"):
        unit, base, anchor = "year", date(int(m.group("y_")), 1, 1), "absolute"
    elif unit == "month":
        base = _add_months(date(p.year, p.month, 1), step)
    elif unit == "year":
        base = date(p.year + step, 1, 1)
    elif unit == "week":
        base = _week(p)[0] + timedelta(days=7 * step)
    else:
        return None
    if unit == "month":
        last = _month_end(base.year, base.month)
        bounds = {"early": (1, 10), "mid": (11, 20), "late": (21, last.day)}[part]
        return base.replace(day=bounds[0]), base.replace(day=bounds[1]), "range", anchor
    if unit == "year":
        months = {"early": (1, 1), "mid": (6, 7), "late": (12, 12)}[part]
        return date(base.year, months[0], 1), _month_end(base.year, months[1]), "range", anchor
    days = {"early": (0, 1), "mid": (2, 3), "late": (4, 6)}[part]
    return base + timedelta(days=days[0]), base + timedelta(days=days[1]), "range", anchor


class _MonthMatch:
    """The two alternatives of the bare-month pattern seen as one match by _r_month."""

    def __init__(self, mm: re.Match[str]) -> None:
        self.mm = mm

    def group(self, name: str) -> str | None:
        mm = self.mm
        if name == "mon":
            return mm.group("mon") or mm.group("mon2")
        if name == "part":
            return mm.group("part") or mm.group("part2")
        return mm.group(name)

    def start(self) -> int:
        return self.mm.start()

    def end(self) -> int:
        return self.mm.end()


def _r_month_any(m: re.Match[str], c: _Ctx) -> Span | None:
    return _r_month(_MonthMatch(m), c)  # type: ignore[arg-type]


def _r_offset_any(m: re.Match[str], c: _Ctx) -> Span | None:
    if m.group("n2"):
        class _A:
            def group(self, name: str) -> str | None:
                return {"n": m.group("n2"), "u": m.group("u2"), "prep": "", "ago": "ago"}.get(name)

        return _r_offset(_A(), c)  # type: ignore[arg-type]
    return _r_offset(m, c)


def _time_of(m: re.Match[str]) -> tuple[str, str]:
    groups = m.groupdict()
    if groups.get("h24"):
        return f"{int(m.group('h24')):02d}:{m.group('mi24')}", m.group("zone24")
    if not groups.get("h"):
        return ("12:00" if "noon" in m.group().lower() else "00:00"), ""
    h = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
    zone = re.sub(r"^(?:in|on)\s+", "", m.group("zone") or "")
    return f"{h:02d}:{m.group('mi') or '00'}", zone
