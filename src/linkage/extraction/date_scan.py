"""Where dates may be: the literal cores of the date phrasings (month names, years, "fiscal", weekdays, ...)
found in one pass over a text, so that the full patterns run only around them."""

from __future__ import annotations

from .numerals import find_all, text_index

__all__ = ["core_hits"]

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


_MONTH_FORMS = tuple((form.encode(), form.lower().encode()) for form in (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"))
"""Each month word as it is written and lowercased (ASCII bytes)."""
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
    if b"the" in lwords:  # "on the 9th": a day of the month without the month
        for p in find_all(lowb, b"on the "):
            if lowb[p + 7:p + 8].isdigit():
                hits.setdefault("ordinal", []).append((p, p + 8))
    for word in (b"night", b"evening"):  # "the night before", "the evening after": read as "the day before"
        if word in lwords:
            for p in find_all(lowb, word):
                end = p + len(word)
                if lowb.startswith(b" before", end) or lowb.startswith(b" after", end):
                    hits.setdefault("day", []).append((p, end))
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
