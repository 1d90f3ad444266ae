"""Temporal expressions normalised to inclusive ISO date ranges against the publication date. Issue 4."""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from .corpus import Document
from .numbers import NUMBER, find_all, parse_number, text_index
from .resources import Resources

__all__ = ["extract", "resolve_text", "FISCAL_START_MONTH"]

Row = dict[str, Any]
Span = tuple[date, date, str, str]  # start, end, granularity, anchor

FISCAL_START_MONTH = 4
"""Japanese fiscal years run April to March: fiscal 2022 is 2022-04-01..2023-03-31."""

_MONTH_NAMES = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
    r"(?![a-z])"
)
YEAR = r"(?:1[89]|20)\d{2}"
_UNIT_ALT = r"week|weekend|month|year|decade"
_DAY_TO = r"(?:\s*(?:-|–|to|through)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?![\d:]))?"

_FUTURE = re.compile(
    r"\b(?:will|shall|going to|expected|scheduled|slated|set to|due to|plans? to|planned|planning|intends? to|"
    r"upcoming|coming|beginning|starting|begins|starts|to be held|to take place|would)\b|’ll|'ll",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:said|told|met|held|spoke|made|took|gave|began|went|came|saw|sent|wrote|was|were|had|did|left|"
    r"last|ago|earlier|since|(?<!\bbe\s)\w{3,}ed)\b",
    re.IGNORECASE,
)
_TENSE = re.compile(f"(?P<future>{_FUTURE.pattern})|(?P<past>{_PAST.pattern})", re.IGNORECASE)
"""Both cue lists in one scan (a future cue wins where both match: "expected", "to be held")."""
_TENSE_LOWER = re.compile(_TENSE.pattern)
"""_TENSE for lowercased text: the same matches, found several times faster than by case-insensitive matching."""
_FOLD_ODDITIES = ("İ", "ı", "ſ")
"""Characters that case-insensitive matching equates with an ASCII letter but str.lower() does not map to one."""


def _tense_cues(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The _TENSE matches in text[lo:hi] (on the lowercased text unless a character forbids it)."""
    if not text.isascii() and any(ch in text for ch in _FOLD_ODDITIES):
        return _TENSE.finditer(text, lo, hi)
    return _TENSE_LOWER.finditer(text.lower(), lo, hi)


_THAN_AS = re.compile(r"\b(?:than|as)\s+$")
_CLAUSE = re.compile(r"[;\"“”]|,\s+(?:and|but|while|whereas)\s|\s(?:that)\s|\s[—–]\s")
"""Where a clause ends: tense cues beyond it do not govern a date."""
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


_US_CONTEXT = re.compile(r"\b(?:Pentagon|Congress|U\.S\.|United States|American|federal|Washington)\b")
_JAPAN_CONTEXT = re.compile(r"\b(?:Japan|Japanese|Tokyo|Diet)\b|¥|\byen\b")


def _fy(y: int, us: bool = False) -> tuple[date, date]:
    """Fiscal year `y`: Japanese (April to March) unless `us` (October of y-1 to September of y)."""
    if us:
        return date(y - 1, 10, 1), date(y, 9, 30)
    start = date(y, FISCAL_START_MONTH, 1)
    return start, _add_months(start, 12) - timedelta(days=1)


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
            lo = b.end()
    after = _CLAUSE.search(text, e, hi) if _CLAUSE_HINT.search(text, e, hi) else None
    if after:
        hi = after.start()
    for m in _tense_cues(text, lo, hi):
        label = "future" if m.group("future") else "past"
        if s <= m.start() < e or (label == "future" and _THAN_AS.search(text, max(0, m.start() - 8), m.start())):
            continue
        d = s - m.end() if m.end() <= s else m.start() - e
        if d < best_d or (d == best_d and label == "future"):
            best, best_d = label, d
    return best


class _Ctx:
    """What a resolver needs: the sentence text, the publication date and the last resolved day."""

    def __init__(self, pub: date, text: str, previous_day: date | None,
                 previous_range: tuple[date, date, str] | None = None) -> None:
        self.pub = pub
        self.text = text
        self.previous_day = previous_day
        self.previous_range = previous_range


Resolver = Callable[[re.Match[str], _Ctx], Span | None]


def _r_fiscal(m: re.Match[str], c: _Ctx) -> Span:
    us = bool(_US_CONTEXT.search(c.text)) and not _JAPAN_CONTEXT.search(c.text)
    if m.group("fmod"):  # "this fiscal year": the fiscal year holding the publication date, or a neighbour
        mod = m.group("fmod").lower().split()[-1]
        current = c.pub.year + 1 if us and c.pub.month >= 10 else \
            c.pub.year - 1 if not us and c.pub.month < FISCAL_START_MONTH else c.pub.year
        step = -1 if mod in ("last", "previous", "past") else 1 if mod in ("next", "coming", "following") else 0
        return (*_fy(current + step, us), "fiscal_year", "publication")
    y1 = int(m.group("y1"))
    if m.group("y2"):
        y2 = int(m.group("y2"))
        y2 = y2 if y2 >= 100 else (y1 // 100) * 100 + y2
        return _fy(y1, us)[0], _fy(y2, us)[1], "range", "absolute"
    if m.group("n"):
        n = int(parse_number(m.group("n")) or 1)
        if n > 1:
            return _fy(y1, us)[0], _fy(y1 + n - 1, us)[1], "range", "absolute"
    return (*_fy(y1, us), "fiscal_year", "absolute")


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
    if (d - c.pub).days > 183 or (d > c.pub and tense == "past"):
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
    mod = (m.group("mod") or "").lower()
    y = c.pub.year
    if mod == "last":
        y = y if mo < c.pub.month else y - 1
    elif mod == "next":
        y = y if mo > c.pub.month else y + 1
    elif mod != "this":
        tense = _tense(c.text, m.start(), m.end(), default="")
        if mo > c.pub.month and tense == "past":
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


def _r_year_range(m: re.Match[str], c: _Ctx) -> Span:
    y1, y2 = int(m.group("y1")), int(m.group("y2"))
    y2 = y2 if y2 >= 100 else (y1 // 100) * 100 + y2
    return date(y1, 1, 1), date(y2, 12, 31), "range", "absolute"


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


def _r_deictic(m: re.Match[str], c: _Ctx) -> Span:
    word = m.group().lower()
    shift = -1 if "yesterday" in word else 1 if "tomorrow" in word else 0
    d = c.pub + timedelta(days=shift)
    return d, d, "day", "publication"


def _r_weekday(m: re.Match[str], c: _Ctx) -> Span:
    if m.group("mon"):
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

    A month splits in thirds (1-10, 11-20, 21-end), a year in early (January-March), mid (May-August)
    and late (October-December), a week in early (Monday-Tuesday), mid (Wednesday-Thursday) and late
    (Friday-Sunday); a fiscal year's end is January-March of its second calendar year.
    """
    part = _EDGE_PART[m.group("edge").lower()]
    mod = re.sub(r"\s+", " ", (m.group("mod") or "").lower())
    p = c.pub
    step = -1 if mod in ("last", "the last", "the previous", "previous", "the past", "past") else \
        1 if mod in ("next", "the next", "the coming", "coming", "the following", "following") else 0
    anchor = "publication"
    unit = (m.group("unit") or "").lower()
    if m.group("fy"):
        start, end = _fy(int(m.group("fy")))
        anchor = "absolute"
        if part == "late":
            start = _add_months(end + timedelta(days=1), -3)
        elif part == "early":
            end = _add_months(start, 3) - timedelta(days=1)
        else:
            start, end = _add_months(start, 4), _add_months(start, 8) - timedelta(days=1)
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
        months = {"early": (1, 3), "mid": (5, 8), "late": (10, 12)}[part]
        return date(base.year, months[0], 1), _month_end(base.year, months[1]), "range", anchor
    days = {"early": (0, 1), "mid": (2, 3), "late": (4, 6)}[part]
    return base + timedelta(days=days[0]), base + timedelta(days=days[1]), "range", anchor


_PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [
    (re.compile(
        r"(?:(?i:at|by|until|till|before|toward|towards|around|near|from|through|since)\s+)?(?i:the\s+)?"
        r"(?P<edge>(?i:end|close|beginning|start|middle))\s+(?i:of)\s+(?:"
        r"(?P<mod>(?i:this|last|next|the current|the coming|the following|the previous|the past|the|current|coming))\s+"
        r"(?P<unit>(?i:month|year|week))\b"
        rf"|(?i:fiscal(?:\s+year)?|FY)\s?(?P<fy>{YEAR})\b"
        rf"|(?P<mon>{MON})(?:,?\s+(?P<y>{YEAR}))?\b(?!\.?\s*\d{{1,2}}\b)"
        rf"|(?P<y_>{YEAR})\b)"), None),
    (re.compile(
        rf"(?:(?:the\s+)?(?P<n>{NUMBER})[- ]years?(?:\s+period)?\s+(?:from|starting(?:\s+in)?|beginning(?:\s+in)?)\s+)?"
        rf"\b(?:(?i:fiscal)(?:\s+years?)?|FY)\s?(?P<y1>{YEAR})"
        rf"(?:\s*(?:to|through|until|-|–)\s*(?:(?i:fiscal)(?:\s+years?)?\s+|FY\s?)?(?P<y2>{YEAR}|\d{{2}})\b)?"
        r"|(?P<fmod>this|last|next|the current|the previous|the next|the coming|the following|the past|current|"
        r"previous|coming|following)\s+fiscal\s+year\b",
        re.IGNORECASE), _r_fiscal),
    (re.compile(r"\b(?:(?i:the)\s+)?(?:(?P<part>(?i:early|mid|late))[- ])?(?P<dec>(?:1[89]|20)\d0)s\b"), _r_decade),
    (re.compile(rf"\b(?P<mon>{MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_DAY_TO},?\s+(?P<y>{YEAR})\b"), _r_full),
    (re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{MON})\s+(?P<y>{YEAR})\b"), _r_full),
    (re.compile(rf"\b(?P<y>{YEAR})-(?P<m>\d{{2}})-(?P<d>\d{{2}})\b"), _r_iso),
    (re.compile(
        rf"\b(?:(?i:(?:the\s+)?(?:(?:early|mid|late)\s+|mid-)))?(?P<mon>{MON}),?\s+(?P<y>{YEAR})\b"), _r_month_year),
    (re.compile(
        rf"(?:(?P<wmod>(?i:last|next|this coming|this past|this|coming|on|early|late))\s+)?"
        rf"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?!s)"
        rf"(?:\s+(?i:morning|afternoon|evening|night))?(?:,?\s+(?P<mon>{MON})\s+(?P<d>\d{{1,2}})\b)?"), _r_weekday),
    (re.compile(rf"\b(?P<mon>{MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_DAY_TO}\b(?![\d:])"
                rf"|\b(?P<d_>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon_>{MON})\b(?!,?\s*\d)"), _r_month_day),
    (re.compile(
        rf"(?P<mod>(?i:in|since|until|by|from|through|during|last|next|this|earlier in|later in|early|late|of|before|after|"
        rf"ahead of|around))\s+"
        rf"(?:(?P<part>(?i:early|late|mid-))\s*)?(?P<mon>{MON})\b(?!\.?\s*\d)"
        rf"|\b(?P<part2>(?i:mid-))(?P<mon2>{MON})\b"), None),  # resolved by _r_month_any
    (re.compile(
        rf"\b(?:(?P<prep>(?i:from|between))\s+)?(?P<y1>{YEAR})\s*(?:-|–|(?i:to|and|through|until))\s*(?P<y2>{YEAR})\b"),
        _r_year_range),
    (re.compile(
        rf"(?:(?P<prep>(?i:in|by|since|until|till|through|before|after|from|during|around|circa|of|for))\s+)?"
        rf"(?<![\w$¥€£.,/-])(?P<y>{YEAR})(?![\w%-]|,\d|\.\d)"), _r_year),
    (re.compile(
        rf"(?P<pre>(?i:(?:(?:over|in|during|within|for)\s+)?(?:the\s+)?))"
        rf"(?P<mod>(?i:earlier\s+this|later\s+this|this\s+past|this\s+coming|this|last|next|past|coming|previous|following|current))"
        rf"\s+(?P<u>(?i:{_UNIT_ALT}))\b"), _r_relative),
    (re.compile(r"(?:(?i:over|on|at|during)\s+the\s+)?\bweekend\b"), _r_weekend),
    (re.compile(
        rf"\b(?:(?P<prep>(?i:in|within|after))\s+(?P<n>{NUMBER}|a|an)\s+(?P<u>(?i:year|month|week|day))s?\b"
        rf"(?!\s+(?i:ago|earlier|later|before|after|old))"
        rf"|(?P<n2>{NUMBER}|a|an)\s+(?P<u2>(?i:year|month|week|day))s?\s+(?P<ago>(?i:ago)))", re.IGNORECASE), None),
    (re.compile(r"\b(?i:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening))\b"), _r_deictic),
    (re.compile(
        r"(?:(?i:(?:shortly|just|right|soon|sometime|some time)\s+(?:after|before)|around|about|at|by|until|before|after|from)\s+)?"
        r"\b(?P<h>\d{1,2})(?::(?P<mi>\d{2}))?\s*(?P<ap>[ap])\.?m\.?(?![\w])"
        r"(?:\s+(?P<zone>(?:in|on)\s+(?:Japan|Tokyo|Washington|Beijing|Seoul|London|New York|the U\.S\.|the United States)"
        r"|(?:JST|EST|EDT|ET|PST|PDT|PT|GMT|UTC|BST|CET|KST)\b|local time))?"
        r"|\b(?i:at\s+)?(?i:noon|midnight)\b"
        r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)\s*(?P<zone24>JST|EST|EDT|ET|PST|PDT|PT|GMT|UTC|BST|CET|KST)\b"), _r_time),
    (re.compile(
        rf"(?:(?i:over|in|during|for|within)\s+)?(?i:the)\s+(?P<mod>(?i:past|last|next|coming|previous|following))\s+"
        rf"(?P<n>{NUMBER})\s+(?P<u>(?i:day|week|month|year|decade))s\b", re.IGNORECASE), _r_rolling),
    (re.compile(
        r"(?i:the)\s+(?P<rel>(?i:next|following|previous))\s+day\b|(?i:the)\s+day\s+(?P<ba>(?i:before|after))\b(?!\s+\w+day)"
        r"|(?P<n>(?i:a|one|two|three|four|five|six|\d+))\s+days?\s+(?P<le>(?i:later|earlier))\b(?!\s+than)"
        r"|(?P<same>(?i:that|the same)\s+day)\b"), _r_day_offset),
    (re.compile(
        rf"(?P<mod>(?i:this|last|next|early|late|in|by|until|since)(?:\s+the)?)\s+(?P<season>(?i:spring|summer|autumn|fall|winter))\b"
        rf"(?:\s+(?:of\s+)?(?P<y>{YEAR}))?(?!\s+(?:meeting|session|festival|school|olympics|games)s?\b)"), _r_season),
    (re.compile(r"\b(?i:at the time|at that time|back then|that year)\b"), _r_previous),
    (re.compile(
        rf"\b(?i:in|within)\s+(?i:less than|under|fewer than|more than|over|nearly|almost|about|just)\s+"
        rf"(?P<n>{NUMBER})\s+(?P<u>(?i:day|week|month|year))s?\b", re.IGNORECASE), _r_span_since),
]


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


_PATTERNS = [(rx, fn or (_r_edge if "edge" in rx.groupindex else _r_month_any if "mon2" in rx.groupindex
                         else _r_offset_any)) for rx, fn in _PATTERNS]


def _time_of(m: re.Match[str]) -> tuple[str, str]:
    groups = m.groupdict()
    if groups.get("h24"):
        return f"{int(m.group('h24')):02d}:{m.group('mi24')}", m.group("zone24")
    if not groups.get("h"):
        return ("12:00" if "noon" in m.group().lower() else "00:00"), ""
    h = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
    zone = re.sub(r"^(?:in|on)\s+", "", m.group("zone") or "")
    return f"{h:02d}:{m.group('mi') or '00'}", zone


_MONTH_PREFIXES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


_MONTH_FORMS = tuple(w.encode() for w in (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"))
_MONTH_FORMS = tuple((form, form.lower()) for form in _MONTH_FORMS)
_UNIT_FORMS = {unit: frozenset({unit.encode(), unit.encode() + b"s", unit.encode() + b"ly"})
               for unit in ("week", "month", "year", "decade")}
_UNIT_FORMS["week"] = _UNIT_FORMS["week"] | {b"weekend", b"weekends"}


def core_hits(text: str, low: str = "") -> dict[str, list[tuple[int, int]]]:
    """Literal cores of every pattern (the full patterns run only around them).

    The text is searched as ASCII bytes (one byte per character, offsets unchanged), and a needle is
    looked for only when its word occurs in the text at all (one set of the text's words).
    """
    raw, lowb, lwords = text_index(text)
    hits: dict[str, list[tuple[int, int]]] = {}

    def add(group: str, needle: bytes, source: bytes, length: int | None = None) -> None:
        n = length or len(needle)
        for p in find_all(source, needle):
            hits.setdefault(group, []).append((p, p + n))

    if b"fiscal" in lwords:
        add("fiscal", b"fiscal", lowb)
    if b"FY" in raw:
        add("fiscal", b"FY", raw)
    for p in find_all(raw, b"0s"):
        if p >= 3 and raw[p - 3:p].isdigit():
            hits.setdefault("decade", []).append((p - 3, p + 2))
    for form, lower in _MONTH_FORMS:
        if lower in lwords:
            for p in find_all(raw, form):
                end = p + len(form)
                if raw[p - 1:p].isalpha() or raw[end:end + 1].isalpha():
                    continue  # inside another word ("Marines")
                hits.setdefault("month", []).append((p, end))
    for century in (b"19", b"20"):
        for p in find_all(raw, century):
            if raw[p + 2:p + 4].isdigit() and not (p and raw[p - 1:p].isdigit()) and not raw[p + 4:p + 5].isdigit():
                hits.setdefault("year", []).append((p, p + 4))
    if b"weekend" in lwords or b"weekends" in lwords:
        add("weekend", b"weekend", lowb)
    for season in (b"spring", b"summer", b"autumn", b"fall", b"winter"):
        if season in lwords:
            add("season", season, lowb)
    anaphor = b"time" in lwords or b"then" in lwords or b"year" in lwords
    if anaphor:  # "at the time", "at that time", "back then", "that year"; one scan for both "... time"
        for p in find_all(lowb, b" time"):
            if p >= 6 and lowb.startswith(b"at the", p - 6):
                hits.setdefault("anaphor", []).append((p - 6, p + 5))
            elif p >= 7 and lowb.startswith(b"at that", p - 7):
                hits.setdefault("anaphor", []).append((p - 7, p + 5))
        add("anaphor", b"back then", lowb)
    for unit, forms in _UNIT_FORMS.items():
        if unit == "year" and (anaphor or forms & lwords):  # one scan for the unit and "that year"
            years = find_all(lowb, b"year")
            if years and forms & lwords:
                hits.setdefault("unit", []).extend((p, p + 4) for p in years)
            that_year = [(p - 5, p + 4) for p in years if p >= 5 and lowb.startswith(b"that ", p - 5)] if anaphor else []
            if that_year:
                hits.setdefault("anaphor", []).extend(that_year)
        elif forms & lwords:
            add("unit", unit.encode(), lowb)
    for p in find_all(lowb, b"day"):  # weekdays, "today", "yesterday" and the word "day" itself
        if not (p and lowb[p - 1:p].isalpha()):
            hits.setdefault("day", []).append((p, p + 3))
            continue
        for name in _WEEKDAY_NAMES:
            if text.startswith(name, p + 3 - len(name)):
                hits.setdefault("weekday", []).append((p + 3 - len(name), p + 3))
                break
        else:
            if lowb.startswith(b"today", p - 2) or lowb.startswith(b"yesterday", p - 6):
                start = p - 2 if lowb.startswith(b"today", p - 2) else p - 6
                hits.setdefault("deictic", []).append((start, p + 3))
    for word in (b"tonight", b"tomorrow"):
        if word in lwords:
            add("deictic", word, lowb)
    if b"this" in lwords:  # "this morning", "this afternoon", "this evening": one scan for "this "
        for p in find_all(lowb, b"this "):
            for part in (b"morning", b"afternoon", b"evening"):
                if lowb.startswith(part, p + 5):
                    hits.setdefault("deictic", []).append((p, p + 5 + len(part)))
    for p in find_all(raw, b":"):  # 24-hour times with a zone: "14:07 JST"
        tail = lowb[p + 3:p + 8]
        if p >= 1 and lowb[p - 1:p].isdigit() and tail[:1] == b" " and tail[1:2].isalpha():
            hits.setdefault("time", []).append((p - 2 if p >= 2 and lowb[p - 2:p - 1].isdigit() else p - 1, p + 8))
    for marker in (b"a.m", b"p.m", b"am", b"pm", b"noon", b"midnight"):
        if (len(marker) > 3 and marker not in lwords) or (marker[1:2] == b"." and b"m" not in lwords):
            continue
        for p in find_all(lowb, marker):
            if len(marker) == 2 and lowb[p + 2:p + 3].isalpha():
                continue  # "among", "Japan": not a time
            if len(marker) > 3 or (p and (lowb[p - 1:p].isdigit() or lowb[p - 1:p] == b" ")):
                hits.setdefault("time", []).append((max(0, p - 3), p + len(marker)))
    for group in hits.values():
        group.sort()
    return hits


_WINDOWS: list[tuple[int, int]] = [
    (48, 16), (40, 35), (15, 3), (4, 20), (4, 20), (1, 7), (15, 12), (16, 30), (6, 8), (16, 3),
    (12, 20), (14, 3), (26, 1), (16, 1), (22, 8), (1, 1), (26, 30),
    (48, 2), (22, 14), (22, 10), (14, 10), (36, 2),
]
"""Characters before and after a core hit that each pattern may reach (its optional leading and trailing words)."""
_CORE_GROUPS: list[tuple[str, ...]] = [
    ("unit", "month", "year", "fiscal"), ("fiscal",), ("decade",), ("month",), ("month",), ("year",), ("month",), ("weekday",), ("month",), ("month",),
    ("year",), ("year",), ("unit", "weekend"), ("weekend",), ("unit", "day"), ("deictic",), ("time",),
    ("unit", "day"), ("day",), ("season",), ("anaphor",), ("unit", "day"),
]
_BEFORE, _AFTER = 70, 50
_NEEDLES: list[tuple[str, ...]] = [
    ("end of", "close of", "beginning of", "start of", "middle of"), (), (), (), (), ("-",), (), (), (),
    ("in ", "since", "until", "by ", "from", "through", "during", "last", "next", "this", "early", "late", "mid-", "of ",
     "before", "after", "ahead", "around"),
    ("-", "–", " to ", " and ", "through", "until"), (),
    ("this", "last", "next", "past", "coming", "previous", "following", "current"), (),
    ("in ", "within", "after", "ago"), (), (),
    ("past", "last", "next", "coming", "previous", "following"),
    ("next", "following", "previous", "day before", "day after", "later", "earlier", "that day", "same day"),
    (), (), ("less than", "under", "fewer", "more than", "over", "nearly", "almost", "about", "just"),
]
"""Words one of which must occur near a core hit before a pattern is tried there (a fast substring test)."""


_NEEDLE_RX: list[re.Pattern[str] | None] = [
    re.compile("|".join(re.escape(n) for n in needles)) if needles else None for needles in _NEEDLES]
"""The needles of each pattern as one alternation: a single search per hit."""


_AT_WORD = [re.compile(r"(?<!\w)(?=\w)(?:" + rx.pattern + ")", rx.flags) for rx, _ in _PATTERNS]
"""Each pattern anchored at a word start, so one search finds the first word start where it matches."""


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
        plan = _PLANS[groups] = [(k, tuple(g for g in _CORE_GROUPS[k] if g in groups))
                                 for k in range(len(_PATTERNS)) if groups.intersection(_CORE_GROUPS[k])]
    return plan


def resolve_text(
    text: str, pub: date, previous_day: date | None = None, by_core: dict[str, list[tuple[int, int]]] | None = None,
    previous_range: tuple[date, date, str] | None = None,
) -> list[dict[str, Any]]:
    """Every temporal expression in `text` with its resolved range (offsets relative to `text`)."""
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
        fn = _PATTERNS[k][1]
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
                days = [f for f in found if f["granularity"] == "day" and f["e"] <= s]
                prev = max(days, key=lambda f: f["e"])["start"] if days else previous_day
            elif fn is _r_previous:
                earlier = [f for f in found if f["e"] <= s]
                if earlier:
                    last = max(earlier, key=lambda f: f["e"])
                    prev_range = (last["start"], last["end"], last["granularity"])
            span = fn(m, _Ctx(pub, text, prev, prev_range))
            if span is None:
                continue
            covered.update(range(s, e))
            item = {"s": s, "e": e, "start": span[0], "end": span[1], "granularity": span[2], "anchor": span[3],
                    "time": "", "zone": ""}
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
    roles = {b.block_id: b.role for b in doc.blocks}
    units: list[tuple[int, str, Any, str]] = [(s.char_start, s.text, s.sentence_id, roles.get(s.block_id, "body"))
                                              for s in doc.sentences]
    units += [(start, text, None, role) for start, text, role in _other_units(doc)]
    units.sort(key=lambda u: u[0])
    rows: list[Row] = []
    previous_day: date | None = None
    previous_range: tuple[date, date, str] | None = None
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
        for f in resolve_text(text, pub, previous_day if body else None, local, previous_range if body else None):
            if body and f["granularity"] in ("day", "time"):
                previous_day = f["start"]
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
