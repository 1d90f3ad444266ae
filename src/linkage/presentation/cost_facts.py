"""Sums of money as facts to compare like with like: what each sum pays for, over what period, and one row per
fact however many articles report it.

`charts.money_rows` gives every money figure in U.S. dollars. Here each figure gets
- a topic (`hosting`: the cost of hosting U.S. troops in Japan; `defense_budget`; `defending`: what is paid to
  defend Japan; else `other`), from the figure's `what` and the words around it in its sentence;
- a period: `per year` (“per year”, “this year”, “annually”), `N-year total` (“over the five-year period”,
  “from fiscal 2022 to 2026”) or `unspecified`, and from it the amount per year;
- a fact: figures of one status, claimant, topic and period whose dollar values lie within FACT_RATIO of each
  other are one fact (“over ¥1 trillion” and “¥1.055 trillion” for the same five years), however many articles
  or outlets report it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .cells import numeric, remembered, table

__all__ = ["money_facts", "comparison", "TOPIC_NAMES", "FACT_RATIO"]

FACT_RATIO = 1.1
"""Two sums of one topic and period within this ratio of each other are one fact reported twice."""
WINDOW = 110
"""Characters either side of a figure (up to the next sum of money) read for its topic and period."""

TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("hosting", re.compile(
        r"\b(?:station(?:ing|ed)?|host(?:ing|s|ed)?|host-nation|cost-sharing|burden-sharing|special measures agreement|"
        r"SMA|exclusive-use|(?:U\.S\.|American|US) (?:troops|forces|military|bases|service members)|military bases)\b",
        re.IGNORECASE)),
    ("defense_budget", re.compile(r"\bdefen[cs]e (?:spending|budget|outlays)|military (?:spending|budget)\b",
                                  re.IGNORECASE)),
    ("defending", re.compile(r"\bto (?:defend|protect)\b", re.IGNORECASE)),
)
"""What a sum pays for, first match wins (in the figure's `what`, then the words around it). Written from the
phrasing of the seed articles and common wire phrasing of host-nation support; extend as new phrasings appear."""
TOPIC_NAMES = {"hosting": "the cost of hosting U.S. troops", "defense_budget": "defence budget",
               "defending": "defending Japan", "other": "other"}

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_ANNUAL = re.compile(r"\b(?:(?:per|a|an|each|every|this|next|last) (?:fiscal )?year|annual(?:ly)?|yearly|"
                     r"(?:per|a) annum)\b", re.IGNORECASE)
_YEARS = re.compile(r"\b(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")[- ]years?\b", re.IGNORECASE)
_FISCAL_RANGE = re.compile(r"\b(?:from|between) (?:fiscal |FY)?((?:19|20)\d\d) (?:to|and|through) (?:fiscal |FY)?"
                           r"((?:19|20)\d\d)\b", re.IGNORECASE)
_FROM_YEAR = re.compile(r"\b(?:from|since|starting(?: in)?) (?:fiscal |FY)?((?:19|20)\d\d)\b", re.IGNORECASE)


def period_of(before: str, after: str) -> tuple[str, int | None, str]:
    """(basis, years, period words) of a sum from the words just before and after it.

    basis: "per year", "total" (over `years` years) or "unspecified"."""
    after_first = after[:60]
    for text in (after_first, before[-60:], after, before):
        span = _FISCAL_RANGE.search(text)
        if span:
            y0, y1 = int(span.group(1)), int(span.group(2))
            if 0 < y1 - y0 < 20:
                return "total", y1 - y0 + 1, f"fiscal {y0}–{y1}"
        many = _YEARS.search(text)
        if many:
            word = many.group(1).lower()
            n = int(word) if word.isdigit() else _NUMBER_WORDS[word]
            if n > 1:
                start = _FROM_YEAR.search(text)
                return "total", n, f"{n} years" + (f" from fiscal {start.group(1)}" if start else "")
        if _ANNUAL.search(text):
            return "per year", 1, _ANNUAL.search(text).group(0)
    return "unspecified", None, ""


def _topic(what: str, context: str) -> str:
    for text in (what, context):
        for name, pattern in TOPICS:
            if pattern.search(text):
                return name
    return "other"


def _rows_key(rows: pd.DataFrame) -> tuple:
    """What tells two sets of money rows apart: their figures and values (for `remembered`)."""
    if rows.empty:
        return (0,)
    return (len(rows), tuple(rows.columns), int(pd.util.hash_pandas_object(
        rows[["article_id", "figure_id", "usd", "status", "what"]].astype(str), index=False).sum()))


@remembered("sentences", "figures", key=_rows_key)
def money_facts(tables: dict[str, pd.DataFrame], rows: pd.DataFrame) -> pd.DataFrame:
    """One row per fact: the money rows (`charts.money_rows`) with topic and period, reports of one fact merged.

    Columns: fact_id, status, claimed_by_name, topic, basis, years, period, text (the most precise report),
    what, usd, usd_low, usd_high, usd_per_year, n_articles, n_outlets, article_ids, outlets, figure_ids."""
    cols = ["fact_id", "status", "claimed_by_name", "topic", "basis", "years", "period", "text", "what", "usd",
            "usd_low", "usd_high", "usd_per_year", "n_articles", "n_outlets", "article_ids", "outlets", "figure_ids"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    sents = table(tables, "sentences")
    figs = table(tables, "figures")
    wanted = set(rows["article_id"])  # only the articles with sums of money
    sents = sents[sents["article_id"].isin(wanted)]
    figs = figs[figs["article_id"].isin(wanted)]
    text_of = {(a, s): (int(c), str(t)) for a, s, c, t in zip(
        sents["article_id"], numeric(sents["sentence_id"]), numeric(sents["char_start"]).fillna(0), sents["text"],
        strict=True)}
    span_of = {(a, f): (int(s), int(e)) for a, f, s, e in zip(
        figs["article_id"], numeric(figs["figure_id"]), numeric(figs["char_start"]), numeric(figs["char_end"]),
        strict=True) if s == s and e == e}  # (a figure without offsets: the whole sentence is its context)
    money_spans: dict[tuple[str, float], list[tuple[int, int]]] = {}
    for aid, sid, fid in zip(rows["article_id"], numeric(rows["sentence_id"]), numeric(rows["figure_id"]), strict=True):
        if (aid, fid) in span_of:
            money_spans.setdefault((aid, sid), []).append(span_of[(aid, fid)])
    out = []
    for r in rows.itertuples(index=False):
        sid = float(r.sentence_id) if pd.notna(r.sentence_id) else np.nan
        start, text = text_of.get((r.article_id, sid), (0, ""))
        s, e = span_of.get((r.article_id, float(r.figure_id)), (start, start + len(text)))
        s, e = s - start, e - start
        others = sorted(x - start for pair in money_spans.get((r.article_id, sid), []) for x in pair)
        lo = max([0, s - WINDOW] + [x for x in others if x <= s and x != s])
        hi = min([len(text), e + WINDOW] + [x for x in others if x >= e and x != e])
        before, after = text[lo:s], text[e:hi]
        what = r.what if isinstance(r.what, str) else ""
        if getattr(r, "per", None) == "year":
            basis, years, period = "per year", 1, "per year"
        else:
            basis, years, period = period_of(before, after)
        out.append({**r._asdict(), "topic": _topic(what, before + " " + after), "basis": basis, "years": years,
                    "period": period})
    frame = pd.DataFrame(out)
    frame["usd_per_year"] = np.where(frame["basis"].eq("per year"), frame["usd"],
                                     np.where(frame["basis"].eq("total"), frame["usd"] / frame["years"].astype(float),
                                              np.nan))
    return _merge_reports(frame, cols)


def _merge_reports(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Reports of one fact (same status, claimant, topic, period; values within FACT_RATIO) as one row."""
    frame = frame.assign(claimed_by_name=frame["claimed_by_name"].fillna("").astype(str),
                         years_key=frame["years"].fillna(0).astype(int))
    facts: list[dict] = []
    keys = ["status", "claimed_by_name", "topic", "basis", "years_key"]
    for _, group in frame.sort_values("usd", kind="stable").groupby(keys, sort=False, dropna=False):
        current: list[dict] = []
        for r in group.to_dict("records"):
            if current and not (r["usd_low"] <= current[0]["usd_high"] * FACT_RATIO
                                and r["usd"] <= current[0]["usd"] * FACT_RATIO):
                facts.append(_fact(current))
                current = []
            current.append(r)
        if current:
            facts.append(_fact(current))
    out = pd.DataFrame(facts)
    out = out.sort_values(["status", "topic", "usd"], kind="stable").reset_index(drop=True)
    out["fact_id"] = range(len(out))
    return out.reindex(columns=cols)


def _fact(reports: list[dict]) -> dict:
    """A fact from its reports: the words and value of the most precise (not approximate; else the first)."""
    precise = [r for r in reports if not (isinstance(r.get("approx"), str) and r.get("approx"))]
    head = (precise or reports)[0]
    articles = list(dict.fromkeys(r["article_id"] for r in reports))
    outlets = list(dict.fromkeys(r["outlet"] for r in reports))
    return {**{k: head[k] for k in ("status", "claimed_by_name", "topic", "basis", "years", "period", "text", "what",
                                     "usd", "usd_low", "usd_high", "usd_per_year")},
            "n_articles": len(articles), "n_outlets": len(outlets), "article_ids": ";".join(articles),
            "outlets": ";".join(outlets),
            "figure_ids": ";".join(f"{r['article_id']}#{r['figure_id']}" for r in reports)}


def comparison(facts: pd.DataFrame) -> dict | None:
    """The largest claim set against the yearly cost of hosting U.S. troops that the articles report (not a
    speaker's claim): {claim, low, high, ratio, n}, or None when either side is missing."""
    if facts.empty:
        return None
    claims = facts[facts["status"].eq("claimed")]
    yearly = facts[facts["status"].eq("reported") & facts["topic"].eq("hosting") & facts["usd_per_year"].notna()]
    if claims.empty or yearly.empty:
        return None
    claim = claims.sort_values(["usd_high", "usd_low", "n_articles"], kind="stable").iloc[-1]
    low, high = float(yearly["usd_per_year"].min()), float(yearly["usd_per_year"].max())
    return {"claim": claim, "low": low, "high": high, "ratio": float(claim["usd_low"]) / high, "n": len(yearly)}
