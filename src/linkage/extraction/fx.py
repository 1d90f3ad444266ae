"""Reference exchange rates (data/fx_rates.csv) for converting a figure's currency to U.S. dollars."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pipeline.resources import Resources
    from .figures import Patterns

__all__ = ["load_rates", "reference_rate"]


def load_rates(res: Resources) -> dict[str, list[tuple[str, float, str]]]:
    """currency -> [(month, units per USD, source)] in month order, from data/fx_rates.csv."""
    rates: dict[str, list[tuple[str, float, str]]] = {}
    for r in res.csv("fx_rates.csv", required=("currency", "month", "units_per_usd", "source")):
        rates.setdefault(r["currency"], []).append((r["month"], float(r["units_per_usd"]), r["source"]))
    for items in rates.values():
        items.sort()
    return rates


def reference_rate(p: Patterns, code: str, month: str) -> tuple[float, str] | None:
    """The reference rate of `code` for the month nearest `month` (memoised in `p`), with its evidence."""
    key = (code, month)
    if key not in p.rate_memo:
        p.rate_memo[key] = _nearest_rate(p, code, month)
    return p.rate_memo[key]


def _nearest_rate(p: Patterns, code: str, month: str) -> tuple[float, str] | None:
    """The reference rate of `code` for the month nearest `month`, with its evidence."""
    items = p.rates.get(code)
    if not items:
        return None
    best = min(items, key=lambda it: abs(_month_index(it[0]) - _month_index(month)))
    return best[1], f"reference rate {best[1]:g} {code} per USD, {best[0]} (data/fx_rates.csv: {best[2]})"


def _month_index(month: str) -> int:
    year, _, mon = month.partition("-")
    return int(year) * 12 + int(mon or 1)
