"""The time zone of an outlet's country, from the `time_zone` column of data/lexicons/countries.csv.

`linkage add` completes a --published value given without a UTC offset with it. This reads the one
column it needs with the csv module, so that adding an article does not load the extraction package.
"""

from __future__ import annotations

import csv
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import InputError

__all__ = ["SEVERAL", "country_zone"]

SEVERAL = "several"
"""The `time_zone` of a country spanning several zones: a date there needs an explicit offset."""


def country_zone(countries_file: Path, country: str) -> ZoneInfo | str:
    """The zone of `country` (ISO 3166 alpha-2, any case) in `countries_file`.

    Returns the ZoneInfo of its one zone, SEVERAL for a country spanning several zones, or "" when the
    file, the column or the country is missing or its zone is blank.
    """
    code = country.strip().upper()
    if not code or not countries_file.is_file():
        return ""
    with countries_file.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        for row in reader:
            if (row.get("country") or "").strip().upper() != code:
                continue
            zone = (row.get("time_zone") or "").strip()
            if zone in ("", SEVERAL):
                return zone
            try:
                return ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise InputError(
                    f"{countries_file}, line {reader.line_num}: time_zone {zone!r} is not an IANA time zone name; write one "
                    f"such as Europe/Paris, {SEVERAL!r} for a country spanning several zones, or leave it empty."
                ) from None
    return ""
