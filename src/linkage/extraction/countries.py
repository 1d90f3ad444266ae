"""Countries of the story, read from data/lexicons/countries.csv: the words that name each one, the
government group its officials belong to, when its fiscal year starts and in which order its people's
names are written. (Its `time_zone` column is read by `pipeline.zones` for `linkage add`.)

A new story adds or edits rows of that file; no code names a country.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..pipeline.resources import Resources

__all__ = ["LEXICON", "NAME_ORDERS", "Country", "Countries", "NO_COUNTRIES", "countries"]

LEXICON = "lexicons/countries.csv"
REGIONS = "lexicons/regions.csv"
"""Optional: states and provinces with their own fiscal year (a U.S. state's runs July-June, not October-September)."""
REGION_REQUIRED = ("region", "words", "country", "fiscal_start_month", "fiscal_year_named_by")
REQUIRED = ("country", "name", "adjectives", "capital", "government_words", "currency_words", "group",
            "fiscal_start_month", "fiscal_year_named_by", "home")
NAME_ORDERS = ("", "given_first", "family_first")
"""Values of the optional `name_order` column (empty: given_first)."""


def _split(cell: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in cell.split("|") if w.strip())


@dataclass(frozen=True)
class Country:
    """One row of the countries file."""

    code: str
    name: str
    adjectives: tuple[str, ...]
    """Words before a noun that say whose it is ("Japanese", "Japan's", "U.S.")."""
    capital: str
    government_words: tuple[str, ...]
    """Institutions and words that stand for the government ("White House", "Pentagon", "Diet")."""
    currency_words: tuple[str, ...]
    """Money that places a budget in the country ("yen", "¥")."""
    group: str
    """The government group of its officials (actors' and quotes' speaker_group); empty: not a side in the story."""
    fiscal_start_month: int
    """The month its fiscal year starts (0: not recorded)."""
    fiscal_named_by_end: bool
    """Whether fiscal year N is named by the calendar year it ends in (U.S. federal) rather than starts in."""
    home: bool
    """The story's home country: fiscal years of sentences that name no other country are its."""
    family_name_first: bool = False
    """Whether its people's names are written family name first in their own language, so that a registry
    person of this country is also found with the two parts of the name swapped ("Akazawa Ryosei" for
    "Ryosei Akazawa", "Duck-soo Han" for "Han Duck-soo")."""

    @property
    def words(self) -> tuple[str, ...]:
        """Every word that names the country or its government."""
        return tuple(w for w in (self.name, *self.adjectives, self.capital, *self.government_words) if w)

    def fiscal_year(self, year: int) -> tuple[date, date]:
        """The first and last day of fiscal year `year`."""
        month = self.fiscal_start_month or 1
        first = year - 1 if self.fiscal_named_by_end and month > 1 else year
        start = date(first, month, 1)
        end_year, end_month = (first + 1, month - 1) if month > 1 else (first, 12)
        return start, date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])

    def fiscal_year_of(self, day: date) -> int:
        """The fiscal year holding `day`."""
        month = self.fiscal_start_month or 1
        if month == 1:
            return day.year
        if self.fiscal_named_by_end:
            return day.year + 1 if day.month >= month else day.year
        return day.year if day.month >= month else day.year - 1


CALENDAR_YEAR = Country("", "", (), "", (), (), "", 1, False, False)
"""Fiscal years when no country is known: calendar years."""


def _words_pattern(words: Iterable[str], flags: int = 0) -> re.Pattern[str] | None:
    """One word of `words` standing alone: not inside a longer word, not after a dot ("u.s." in "a.u.s.")."""
    words = sorted(set(words), key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", flags)


class Countries:
    """The countries file, with the lookups the extractors need."""

    def __init__(self, rows: list[dict[str, str]], source: str = LEXICON, regions: list[dict[str, str]] | None = None,
                 region_source: str = REGIONS) -> None:
        self.rows: list[Country] = []
        for line, row in enumerate(rows, start=2):
            month_text, named_by = _fiscal_cells(row, source, line)
            order = (row.get("name_order") or "").strip()
            if order not in NAME_ORDERS:
                raise InputError(f"{source}, line {line}: name_order {order!r} must be given_first, family_first or empty")
            self.rows.append(Country(
                code=row["country"].strip(), name=row["name"].strip(), adjectives=_split(row["adjectives"]),
                capital=row["capital"].strip(), government_words=_split(row["government_words"]),
                currency_words=_split(row["currency_words"]), group=row["group"].strip(),
                fiscal_start_month=int(month_text or 0), fiscal_named_by_end=named_by == "end",
                home=(row.get("home") or "").strip().lower() == "yes", family_name_first=order == "family_first",
            ))
        homes = [c for c in self.rows if c.home]
        if len(homes) > 1:
            raise InputError(f"{source}: more than one home country ({', '.join(c.code for c in homes)}); mark one")
        self.home = homes[0] if homes else None
        self.family_name_first = frozenset(c.code for c in self.rows if c.family_name_first)
        """Codes of the countries whose people's names are written family name first."""
        self.adjectives = {adj: c.code for c in self.rows for adj in c.adjectives}
        """Adjective -> country code (an organisation's owner: "Chinese Foreign Ministry")."""
        self._group_words = [(p, c.group) for c in self.rows if c.group
                             if (p := _words_pattern(w.lower() for w in c.words)) is not None]
        self._fiscal = [(p, c) for c in self.rows if c.fiscal_start_month
                        if (p := _words_pattern((*c.words, *c.currency_words))) is not None]
        self._regions: list[tuple[re.Pattern[str], Country]] = []
        for line, row in enumerate(regions or [], start=2):
            month_text, named_by = _fiscal_cells(row, region_source, line)
            if not month_text:
                raise InputError(f"{region_source}, line {line}: fiscal_start_month is empty; give the month its fiscal "
                                 "year starts (1-12) or leave the region out")
            region = Country(code=row["country"].strip(), name=row["region"].strip(), adjectives=(), capital="",
                             government_words=(), currency_words=(), group="", fiscal_start_month=int(month_text),
                             fiscal_named_by_end=named_by == "end", home=False)
            pattern = _words_pattern(_split(row["words"]) or (region.name,))
            if pattern is not None:
                self._regions.append((pattern, region))

    @property
    def home_country(self) -> Country:
        """The home country, or calendar years when there is none."""
        return self.home or CALENDAR_YEAR

    def group_in(self, low: str, default: str = "") -> str:
        """The group of the first country (in file order) that lowercase `low` names, else `default`."""
        return next((group for pattern, group in self._group_words if pattern.search(low)), default)

    def fiscal_country(self, text: str) -> Country:
        """Whose fiscal year a sentence means: the one region (a U.S. state) it names when it names no other
        country than the region's; else the one country with a fiscal year it names; else the home country."""
        named = [c for pattern, c in self._fiscal if pattern.search(text)]
        if self._regions:
            regions = [r for pattern, r in self._regions if pattern.search(text)]
            if len(regions) == 1 and all(c.code == regions[0].code for c in named):
                return regions[0]
        if len(named) == 1:
            return named[0]
        return self.home_country


def _fiscal_cells(row: dict[str, str], source: str, line: int) -> tuple[str, str]:
    """The fiscal_start_month and fiscal_year_named_by cells of a row, checked."""
    month_text = (row.get("fiscal_start_month") or "").strip()
    named_by = (row.get("fiscal_year_named_by") or "").strip()
    if month_text and not (month_text.isdigit() and 1 <= int(month_text) <= 12):
        raise InputError(f"{source}, line {line}: fiscal_start_month {month_text!r} is not a month number 1-12")
    if named_by not in ("", "start", "end"):
        raise InputError(f"{source}, line {line}: fiscal_year_named_by {named_by!r} must be start or end")
    return month_text, named_by


NO_COUNTRIES = Countries([])
"""No country known: fiscal years are calendar years, no word names a government."""


def countries(res: Resources) -> Countries:
    """The countries file of this build (compiled once)."""
    def build() -> Countries:
        regions = (res.csv(REGIONS, required=REGION_REQUIRED)
                   if (res.settings.data / REGIONS).is_file() else None)
        return Countries(res.csv(LEXICON, required=REQUIRED), regions=regions,
                         region_source=str(res.settings.data / REGIONS))

    return res.memo("countries", build)


