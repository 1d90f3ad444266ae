"""Figures and dates on three articles written for the tests in other house styles (wire copy, a U.S.
daily, a Japanese daily in English); every expected value below was worked out by hand from the text."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from linkage.extraction import dates, figures
from linkage.extraction.corpus import make_document
from linkage.pipeline.resources import Resources
from linkage.pipeline.settings import Settings

DATA = Path(__file__).parent / "data"
ARTICLES = {  # file -> publication time (wire: Friday; U.S. daily: Wednesday; Japanese daily: Wednesday)
    "numbers_wire.txt": datetime(2025, 6, 20, 15, 30, tzinfo=timezone(timedelta(hours=9))),
    "numbers_us_daily.txt": datetime(2025, 7, 16, 6, 0, tzinfo=timezone(timedelta(hours=-4))),
    "numbers_jp_daily.txt": datetime(2025, 9, 3, 5, 0, tzinfo=timezone(timedelta(hours=9))),
}

# (text, occurrence, category, value, low, high, unit, per, approx, what starts with)
FIGURES: dict[str, list[tuple[Any, ...]]] = {
    "numbers_wire.txt": [
        ("25 percent", 1, "percent", 25, None, None, "percent", "", "", "levy on automobiles"),
        ("$550 billion", 1, "money", 5.5e11, None, None, "USD", "", "up to", "Japanese investment"),
        ("1.37 million", 1, "count", 1.37e6, None, None, "count", "", "about", "vehicles"),
        ("6 trillion yen", 1, "money", 6e12, None, None, "JPY", "", "roughly", None),
        ("$41 billion", 1, "money", 4.1e10, None, None, "USD", "", "", None),
        ("28.3%", 1, "percent", 28.3, None, None, "percent", "", "", "total exports"),
        ("8.7 trillion yen", 1, "money", 8.7e12, None, None, "JPY", "", "", "defense"),
        ("7.9 trillion yen", 1, "money", 7.9e12, None, None, "JPY", "", "", "defense"),
        ("five-year", 1, "duration", 5, None, None, "year", "", "", None),
        ("211 billion yen a year", 1, "money", 2.11e11, None, None, "JPY", "year", "", "to host"),
        ("54,000", 1, "count", 54000, None, None, "count", "", "about", "U.S. troops"),
        ("11", 2, "count", 11, None, None, "count", "", "", "warships"),
        ("48", 1, "count", 48, None, None, "count", "", "", None),
    ],
    "numbers_us_daily.txt": [
        ("$15 billion to $20 billion a year", 1, "money", None, 1.5e10, 2e10, "USD", "year", "as much as", None),
        ("three", 1, "count", 3, None, None, "count", "", "", "officials"),
        ("1.8 percent", 1, "percent", 1.8, None, None, "percent", "", "about", None),
        ("2%", 1, "percent", 2, None, None, "percent", "", "", None),
        ("3.5 per cent", 1, "percent", 3.5, None, None, "percent", "", "", None),
        ("28,500", 1, "count", 28500, None, None, "count", "", "roughly", "troops"),
        ("₩1.5 trillion annually", 1, "money", 1.5e12, None, None, "KRW", "year", "about", None),
        ("$1.1 billion", 1, "money", 1.1e9, None, None, "USD", "year", "about", "conversion of"),  # restates the annual sum
        ("10%", 1, "percent", 10, None, None, "percent", "", "", "across-the-board tariff"),
        ("24 percent", 1, "percent", 24, None, None, "percent", "", "", None),
        ("90 days", 1, "duration", 90, None, None, "day", "", "", None),
        ("70 years", 1, "duration", 70, None, None, "year", "", "", None),
        ("hundreds of billions of dollars", 1, "money", None, 1e11, 1e12, "USD", "", "", None),
        ("65-year-old", 1, "duration", 65, None, None, "year", "", "", None),
        ("two", 1, "count", 2, None, None, "count", "", "", "aircraft carriers"),
    ],
    "numbers_jp_daily.txt": [
        ("¥8.8 tril.", 1, "money", 8.8e12, None, None, "JPY", "", "", None),
        ("¥8.8 trillion", 1, "money", 8.8e12, None, None, "JPY", "", "", None),
        ("3%", 1, "percent", 3, None, None, "percent", "", "about", None),
        ("¥1 trillion", 1, "money", 1e12, None, None, "JPY", "", "", "long-range missiles"),
        ("12", 1, "count", 12, None, None, "count", "", "", "new destroyers"),
        ("five-year", 1, "duration", 5, None, None, "year", "", "", None),
        ("¥43 trillion", 1, "money", 4.3e13, None, None, "JPY", "", "about", None),
        ("¥1.055 trillion", 1, "money", 1.055e12, None, None, "JPY", "", "", None),
        ("five years", 2, "duration", 5, None, None, "year", "", "", None),
        ("¥147", 1, "money", 147, None, None, "JPY", "", "around", None),
        ("20 percent", 1, "percent", 20, None, None, "percent", "", "more than", None),
        ("€120 million", 1, "money", 1.2e8, None, None, "EUR", "", "", "joint research project"),
        ("500 million won", 1, "money", 5e8, None, None, "KRW", "", "", "training exchanges"),
    ],
}
NOT_FIGURES = {  # phrases no figure may overlap: dates, times, model names, ordinals
    "numbers_wire.txt": ["June 20", "Two weeks ago", "July 9", "F-35A", "fiscal 2025", "January 2022", "seventh"],
    "numbers_us_daily.txt": ["April 5", "April 9", "Aug. 1", "9:30 a.m. EDT"],
    "numbers_jp_daily.txt": ["FY2026", "fiscal 2026", "December 2022", "Sept. 12", "F-35", "since 2021"],
}
# (key phrase, occurrence, date_start, date_end): the one date row overlapping the phrase
DATES: dict[str, list[tuple[str, int, str, str]]] = {
    "numbers_wire.txt": [
        ("July", 1, "2025-07-01", "2025-07-31"),
        ("June 20", 1, "2025-06-20", "2025-06-20"),
        ("next Tuesday", 1, "2025-06-24", "2025-06-24"),
        ("said Friday", 1, "2025-06-20", "2025-06-20"),
        ("July 9", 1, "2025-07-09", "2025-07-09"),
        ("Monday evening", 1, "2025-06-16", "2025-06-16"),
        ("last year", 1, "2024-01-01", "2024-12-31"),
        ("Two weeks ago", 1, "2025-06-02", "2025-06-08"),
        ("end of the month", 1, "2025-06-21", "2025-06-30"),
        ("fiscal 2025", 1, "2025-04-01", "2026-03-31"),
        ("fiscal 2024", 1, "2024-04-01", "2025-03-31"),
        ("January 2022", 1, "2022-01-01", "2022-01-31"),
        ("mid-April", 1, "2026-04-11", "2026-04-20"),
    ],
    "numbers_us_daily.txt": [
        ("last Thursday", 1, "2025-07-10", "2025-07-10"),
        ("next month", 1, "2025-08-01", "2025-08-31"),
        ("April 5", 1, "2025-04-05", "2025-04-05"),
        ("April 9", 1, "2025-04-09", "2025-04-09"),
        ("Aug. 1", 1, "2025-08-01", "2025-08-01"),
        ("as early as Friday", 1, "2025-07-18", "2025-07-18"),
        ("Tuesday night", 1, "2025-07-15", "2025-07-15"),
        ("since April", 1, "2025-04-01", "2025-07-16"),
        ("9:30 a.m. EDT", 1, "2025-07-14", "2025-07-14"),
        ("on Monday", 1, "2025-07-14", "2025-07-14"),
        ("end of the year", 1, "2025-12-01", "2025-12-31"),
    ],
    "numbers_jp_daily.txt": [
        ("FY2026", 1, "2026-04-01", "2027-03-31"),
        ("fiscal 2026", 1, "2026-04-01", "2027-03-31"),
        ("this fiscal year", 1, "2025-04-01", "2026-03-31"),
        ("end of this month", 1, "2025-09-21", "2025-09-30"),
        ("next five years", 1, "2025-09-04", "2030-09-03"),
        ("December 2022", 1, "2022-12-01", "2022-12-31"),
        ("fiscal 2023 to 2027", 1, "2023-04-01", "2028-03-31"),
        ("five years from fiscal 2022", 1, "2022-04-01", "2027-03-31"),
        ("on Tuesday", 1, "2025-09-02", "2025-09-02"),
        ("on Tuesday", 2, "2025-09-02", "2025-09-02"),
        ("Sept. 12", 1, "2025-09-12", "2025-09-12"),
        ("in three years", 1, "2022-09-03", "2025-09-02"),
        ("since 2021", 1, "2021-01-01", "2025-09-03"),
    ],
}


@pytest.fixture(scope="module")
def built(root) -> dict[str, tuple[str, list[dict], list[dict]]]:
    res = Resources(Settings(root))
    out = {}
    for name, published in ARTICLES.items():
        text = (DATA / name).read_text(encoding="utf-8")
        doc = make_document(name, text, {"published_dt": published, "published_precision": "minute"})
        out[name] = (text, figures.extract(doc, res)["figures"], dates.extract(doc, res)["dates"])
    return out


def _at(text: str, phrase: str, occurrence: int) -> tuple[int, int]:
    pos = -1
    for _ in range(occurrence):
        pos = text.index(phrase, pos + 1)
    return pos, pos + len(phrase)


def _same(got: Any, want: Any) -> bool:
    if want is None:
        return got is None or (isinstance(got, float) and math.isnan(got))
    return got is not None and math.isclose(float(got), float(want), rel_tol=1e-9)


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_of_unseen_articles(built, name):
    text, rows, _ = built[name]
    problems = []
    for phrase, occ, category, value, low, high, unit, per, approx, what in FIGURES[name]:
        s, e = _at(text, phrase, occ)
        hit = [r for r in rows if (r["char_start"], r["char_end"]) == (s, e)]
        if not hit:
            near = [r["text"] for r in rows if r["char_start"] < e and s < r["char_end"]]
            problems.append(f"missing {phrase!r} (overlapping: {near})")
            continue
        r = hit[0]
        got = (r["category"], r["unit"], r["per"], r["approx"])
        if got != (category, unit, per, approx):
            problems.append(f"{phrase!r}: {got} != {(category, unit, per, approx)}")
        if not (_same(r["value"], value) and _same(r["value_low"], low) and _same(r["value_high"], high)):
            problems.append(f"{phrase!r}: values {r['value'], r['value_low'], r['value_high']}")
        if what is not None and not r["what"].startswith(what):
            problems.append(f"{phrase!r}: what {r['what']!r} does not start with {what!r}")
    assert not problems, problems


@pytest.mark.parametrize("name", list(NOT_FIGURES))
def test_no_figures_in_dates_times_and_names(built, name):
    text, rows, _ = built[name]
    for phrase in NOT_FIGURES[name]:
        s, e = _at(text, phrase, 1)
        assert not [r["text"] for r in rows if r["char_start"] < e and s < r["char_end"]], phrase


def test_stated_conversion_gives_the_dollar_value(built):
    _, rows, _ = built["numbers_wire.txt"]
    yen = next(r for r in rows if r["text"] == "6 trillion yen")
    assert yen["usd_value"] == pytest.approx(4.1e10) and "stated" in yen["usd_basis"]


@pytest.mark.parametrize("name", list(DATES))
def test_dates_of_unseen_articles(built, name):
    text, _, rows = built[name]
    problems = []
    for phrase, occ, start, end in DATES[name]:
        s, e = _at(text, phrase, occ)
        hit = [r for r in rows if r["char_start"] < e and s < r["char_end"]]
        if len(hit) != 1:
            problems.append(f"{phrase!r}: {len(hit)} rows {[r['text'] for r in hit]}")
        elif (hit[0]["date_start"], hit[0]["date_end"]) != (start, end):
            problems.append(f"{phrase!r}: {hit[0]['text']!r} {hit[0]['date_start']}..{hit[0]['date_end']}")
    assert not problems, problems


def test_time_of_day_keeps_its_zone(built):
    text, _, rows = built["numbers_us_daily.txt"]
    times = [r for r in rows if r["granularity"] == "time"]
    assert len(times) == 1 and times[0]["time"] == "09:30" and times[0]["zone"] == "EDT"
