"""Figures: values in base units, vague ranges, stated exchange rates, and what is not a figure."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from linkage.evaluation.numbers import score_figures
from linkage.extraction import figure_claims, figures
from linkage.extraction.corpus import make_document
from linkage.pipeline.resources import Resources
from linkage.pipeline.settings import Settings

SAMPLE = Path(__file__).parent / "data" / "figures_dates_sample.txt"


@pytest.fixture(scope="module")
def sample_rows(root):
    text = SAMPLE.read_text(encoding="utf-8")
    meta = {"published_dt": datetime(2025, 6, 11, 9, 0, tzinfo=timezone(timedelta(hours=9))),
            "published_precision": "minute"}
    doc = make_document("sample", text, meta)
    rows = figures.extract(doc, Resources(Settings(root)))["figures"]
    for r in rows:
        assert text[r["char_start"]:r["char_end"]] == r["text"]
    return {r["text"]: r for r in rows}


def _fig(tables, article_id, text):
    f = tables["figures"]
    rows = f[(f.article_id == article_id) & (f.text == text)]
    assert len(rows) >= 1, (article_id, text)
    return rows.iloc[0]


def test_yen_trillion_in_base_units(tables):
    row = _fig(tables, "yomiuri-2025-04-19", "¥1.055 trillion")
    assert row.category == "money" and row.unit == "JPY"
    assert row.value == pytest.approx(1.055e12, rel=1e-12)


def test_vague_amount_has_range_not_value(tables):
    row = _fig(tables, "yomiuri-editorial-2025-05-08", "hundreds of billions of dollars")
    assert row.unit == "USD"
    assert isinstance(row.value, float) and math.isnan(row.value)
    assert row.value_low == pytest.approx(1e11) and row.value_high == pytest.approx(1e12)


def test_rate_stated_in_the_article_is_preferred(tables):
    row = _fig(tables, "japantimes-2025-04-23", "¥227 billion")
    assert row.usd_value == pytest.approx(1.69e9)
    assert "stated" in row.usd_basis
    other = _fig(tables, "japantimes-2025-04-23", "¥456 billion")
    assert other.usd_value == pytest.approx(456e9 * 1.69 / 227)
    assert other.approx == "about"


def test_rate_per_year_and_ratio(tables):
    row = _fig(tables, "japantimes-2025-04-23", "$8 billion per year")
    assert row.per == "year" and row.value == pytest.approx(8e9)
    ratio = _fig(tables, "japantimes-2025-04-23", "four times")
    assert ratio.category == "ratio" and ratio.approx == "more than"


def test_no_figures_from_boilerplate_model_names_or_times(tables, raw_texts):
    f = tables["figures"]
    texts = set(f.text)
    assert not any("F-35" in t or t == "35" for t in texts)
    assert not any("p.m." in t for t in texts)
    blocks = tables["blocks"]
    hidden = blocks[~blocks.role.isin(["headline", "subhead", "body"])]
    for row in f.itertuples():
        inside = hidden[(hidden.article_id == row.article_id) & (hidden.char_start <= row.char_start)
                        & (hidden.char_end > row.char_start)]
        assert inside.empty, (row.article_id, row.text)


def test_sample_article_new_wording(sample_rows):
    won = sample_rows["1.5 trillion won"]
    assert (won["unit"], won["value"], won["approx"], won["per"]) == ("KRW", 1.5e12, "roughly", "year")
    assert won["usd_value"] == pytest.approx(1.1e9)
    assert sample_rows["8.3 percent"]["value"] == pytest.approx(8.3)
    assert sample_rows["€300 million"]["value"] == pytest.approx(3e8)
    assert sample_rows["€300 million"]["unit"] == "EUR"
    vague = sample_rows["tens of billions of dollars"]
    assert vague["value"] is None and (vague["value_low"], vague["value_high"]) == (1e10, 1e11)
    assert sample_rows["five times"]["approx"] == "nearly"
    assert sample_rows["28,500"]["category"] == "count" and sample_rows["28,500"]["value"] == 28500
    assert sample_rows["three"]["what"].endswith("fighters")
    assert (sample_rows["six-month"]["value"], sample_rows["six-month"]["unit"]) == (6, "month")
    yen = sample_rows["¥500 million"]
    assert yen["usd_value"] and "reference rate" in yen["usd_basis"]
    assert not any(t in sample_rows for t in ("16", "F-16", "2030", "2019", "9:30", "3"))


def test_scores_against_gold(root, tables):
    scores = {s.metric: s for s in score_figures(Settings(root), tables)}
    for metric in ("money+percent recall", "money+percent exact value+unit", "no boilerplate/date/model figure",
                   "span precision", "span recall"):
        assert scores[metric].met, (metric, scores[metric].value)


def _doc_with(text: str, mentions: list[tuple[str, str]], quotes: list[tuple[str, str, str]]):
    meta = {"published_dt": datetime(2025, 6, 11, tzinfo=timezone(timedelta(hours=9)))}
    doc = make_document("claims", text, meta)
    sid = doc.sentences[0].sentence_id
    doc.tables["mentions"] = [
        {"actor_id": actor, "char_start": text.index(words), "char_end": text.index(words) + len(words),
         "sentence_id": sid} for words, actor in mentions]
    doc.tables["quotes"] = [
        {"actor_id": actor, "kind": kind, "char_start": text.index(words), "char_end": text.index(words) + len(words),
         "sentence_id": sid} for words, actor, kind in quotes]
    return doc


def test_claimed_by_from_claim_cues_and_quotes(root):
    res = Resources(Settings(root))
    text = ("Contrary to Lee's claims that Seoul pays \u201chundreds of millions of dollars\u201d for nothing, "
            "the budget shows that Seoul will spend $1.2 billion this year.")
    rows = {r["text"]: r for r in figures.extract(_doc_with(text, [("Lee", "lee")], []), res)["figures"]}
    assert rows["hundreds of millions of dollars"]["claimed_by"] == "lee"
    assert rows["$1.2 billion"]["claimed_by"] == ""  # a new clause ends the claim
    text = "The ministry says it spends more on bases \u2014 about $3 billion a year."
    doc = _doc_with(text, [("The ministry", "ministry")], [("it spends more on bases", "ministry", "indirect")])
    rows = {r["text"]: r for r in figures.extract(doc, res)["figures"]}
    assert rows["$3 billion a year"]["claimed_by"] == "ministry"
    assert rows["$3 billion a year"]["per"] == "year"


def test_other_wording(root):
    text = ("Exports were worth about $40 billion, or 28.3% of its total exports. The index fell 2.8%. "
            "Trump wants $10 billion or more a year from Tokyo.")
    doc = make_document("w", text, {"published_dt": datetime(2025, 4, 26, tzinfo=timezone(timedelta(hours=9)))})
    rows = {r["text"]: r for r in figures.extract(doc, Resources(Settings(root)))["figures"]}
    assert rows["$40 billion"]["what"] == "Exports" and rows["$40 billion"]["approx"] == "about"
    assert rows["28.3%"]["what"] == "total exports"
    assert rows["2.8%"]["what"] == "index"
    ten = rows["$10 billion or more a year"]
    assert (ten["value"], ten["per"], ten["approx"]) == (1e10, "year", "or more")


def test_model_numbers_are_not_counts(root):
    text = "Japan will buy 100 Boeing 737 jets and Type 10 tanks, and Tokyo sent 500 troops."
    doc = make_document("m", text, {"published_dt": datetime(2025, 6, 11, tzinfo=timezone(timedelta(hours=9)))})
    got = [(r["text"], r["value"]) for r in figures.extract(doc, Resources(Settings(root)))["figures"]]
    assert got == [("100", 100.0), ("500", 500.0)]


def test_ranges_and_changes(root):
    text = ("Japan offered $1-2 billion. Tariffs of 10-15% apply. The levy rose from 10 to 25 percent, "
            "and aid went from $3 to $4 billion.")
    doc = make_document("r", text, {"published_dt": datetime(2025, 6, 11, tzinfo=timezone(timedelta(hours=9)))})
    got = [(r["text"], r["value"], r["value_low"], r["value_high"])
           for r in figures.extract(doc, Resources(Settings(root)))["figures"]]
    assert got == [
        ("$1-2 billion", None, 1e9, 2e9), ("10-15%", None, 10.0, 15.0), ("10", 10.0, None, None),
        ("25 percent", 25.0, None, None), ("$3", 3e9, None, None), ("$4 billion", 4e9, None, None),
    ]


def _expansions(parsed, limit: int = 5000) -> list[str]:
    """Strings a parsed regex matches: every alternative, optional parts both ways, repeats at their minimum or once."""
    import re._constants as c

    outs = [""]
    for op, arg in parsed:
        if op is c.LITERAL:
            options = [chr(arg)]
        elif op is c.IN:
            lit = [chr(v) for o, v in arg if o is c.LITERAL]
            options = lit[:1] or [" " if any(o is c.CATEGORY and v is c.CATEGORY_SPACE for o, v in arg) else "a"]
        elif op is c.CATEGORY:
            options = [" " if arg is c.CATEGORY_SPACE else "a"]
        elif op is c.AT:
            options = [""]
        elif op is c.SUBPATTERN:
            options = _expansions(arg[-1], limit)
        elif op is c.BRANCH:
            options = [s for branch in arg[1] for s in _expansions(branch, limit)]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            lo, hi, sub = arg
            inner = _expansions(sub, limit)
            options = ["".join([s] * lo) for s in inner] if lo else [""]
            if hi > lo:
                options += ["".join([s] * (lo + 1)) for s in inner]
        else:
            raise NotImplementedError(op)
        outs = [a + b for a in outs for b in options][:limit]
    return outs


def test_claim_prefilter_words_cover_every_claim_phrasing():
    # has_claim_word is a cheap stand-in for a CLAIM scan: a phrasing added to CLAIM without its stem in
    # _CLAIM_WORDS would be silently skipped, so every phrasing the regex accepts must contain a listed stem.
    import re._parser as sre_parse

    phrasings = _expansions(sre_parse.parse(figure_claims.CLAIM.pattern))
    assert len(phrasings) > 300  # both branches, every verb and noun form, with and without the optional words
    for text in phrasings:
        assert figure_claims.CLAIM.search("Her" + text if text.startswith(("’", "'")) else text), text
        assert figure_claims.has_claim_word(text), f"{text!r} matches CLAIM but holds none of _CLAIM_WORDS"


def _figures_of(root, text: str) -> list[tuple]:
    doc = make_document("x", text, {"published_dt": datetime(2025, 6, 11, tzinfo=timezone(timedelta(hours=9)))})
    return [(r["text"], r["category"], r["value"], r["unit"], r["per"])
            for r in figures.extract(doc, Resources(Settings(root)))["figures"]]


def test_exchange_rates_with_the_currency_named_before(root):
    got = _figures_of(root, "The won weakened sharply, trading at 1,470 to the dollar, compared with 1,390 in March.")
    assert got == [("1,470", "money", 1470.0, "KRW", "USD"), ("1,390", "money", 1390.0, "KRW", "USD")]
    got = _figures_of(root, "The euro fetched 0.88 per dollar on Monday.")
    assert got == [("0.88", "money", 0.88, "EUR", "USD")]
    # no currency named: not a rate
    assert _figures_of(root, "Shares rose to 145 for a dollar of earnings.") == []


def test_minutes_hours_and_definite_counts(root):
    got = _figures_of(root, "After a 40-minute call and three hours of talks, the 12,000 workers and our two "
                            "countries, the world's three largest economies and the two sides, met 3 envoys.")
    assert got == [("40-minute", "duration", 40.0, "minute", ""), ("three hours", "duration", 3.0, "hour", ""),
                   ("12,000", "count", 12000.0, "count", ""), ("3", "count", 3.0, "count", "")]


def test_won_yuan_and_euro_take_a_reference_rate(root):
    text = "Seoul pays ₩1.5 trillion a year, Beijing spent 30 billion yuan and Berlin €2 billion."
    doc = make_document("fx", text, {"published_dt": datetime(2025, 4, 20, tzinfo=timezone(timedelta(hours=9)))})
    rows = {r["unit"]: r for r in figures.extract(doc, Resources(Settings(root)))["figures"]}
    for code in ("KRW", "CNY", "EUR"):
        assert rows[code]["usd_value"] and "reference rate" in rows[code]["usd_basis"], code
        assert "data/fx_rates.csv" in rows[code]["usd_basis"]
    assert rows["KRW"]["usd_value"] == pytest.approx(1.5e12 / 1444.3)


def test_fractions_in_words_are_percentages(root):
    got = _figures_of(root, "Nearly two-thirds of the members backed it, a fifth of the staff left and three quarters "
                            "of the fund is spent; a two-thirds majority passed half the bills.")
    assert [(t, c, round(v, 2), u) for t, c, v, u, _ in got] == [
        ("two-thirds", "percent", 66.67, "percent"), ("a fifth", "percent", 20.0, "percent"),
        ("three quarters", "percent", 75.0, "percent"), ("two-thirds", "percent", 66.67, "percent"),
        ("half", "percent", 50.0, "percent")]
    # ordinals, quarters of a year and "a quarter of a century" are not fractions of a whole
    assert _figures_of(root, "A third round of talks in the first quarter ended a quarter of a century of calm.") == []


def test_vague_amounts_in_words_are_ranges(root):
    got = _figures_of(root, "Seoul may pay tens of trillions of won, Tokyo a few hundred billion yen and Berlin "
                            "several hundred million euros.")
    assert [(r[0], r[3]) for r in got] == [("tens of trillions of won", "KRW"), ("a few hundred billion yen", "JPY"),
                                           ("several hundred million euros", "EUR")]
    doc = make_document("v", "Seoul may pay tens of trillions of won and Tokyo a few hundred billion yen.",
                        {"published_dt": datetime(2025, 6, 11, tzinfo=timezone(timedelta(hours=9)))})
    rows = figures.extract(doc, Resources(Settings(root)))["figures"]
    assert [(r["value"], r["value_low"], r["value_high"]) for r in rows] == [(None, 1e13, 1e14), (None, 2e11, 1e12)]


def test_annual_rates_and_not_a_year_ago(root):
    got = _figures_of(root, "Prices rose 3% a year while Tokyo pays ₩2 trillion annually; a year ago it paid "
                            "$5 billion a year earlier than planned.")
    assert [(r[0], r[4]) for r in got] == [("3% a year", "year"), ("₩2 trillion annually", "year"),
                                           ("$5 billion", "")]


def test_parties_of_a_relation_are_not_counts(root):
    assert _figures_of(root, "Trade between two countries and among three allies grew, as did the two nations' ties.") == []
    assert _figures_of(root, "Between 2 and 3 percent.")[0][1] == "percent"


def test_verbs_of_multiplying_are_ratios(root):
    got = _figures_of(root, "Rents doubled in a decade, and the council wants to triple its housing fund.")
    assert [(r[0], r[1], r[2]) for r in got] == [("doubled", "ratio", 2.0), ("triple", "ratio", 3.0)]
    assert _figures_of(root, "He may double-down on a double standard.") == []


def test_a_count_whose_noun_is_left_out(root):
    text = "Canada keeps 1,200 soldiers in Latvia, while Norway stations 650, and Spain 400."
    doc = make_document("e", text, {"published_dt": datetime(2025, 6, 11, tzinfo=timezone(timedelta(hours=9)))})
    rows = figures.extract(doc, Resources(Settings(root)))["figures"]
    assert [(r["text"], r["category"], r["value"], r["what"]) for r in rows] == [
        ("1,200", "count", 1200.0, "soldiers"), ("650", "count", 650.0, "soldiers"), ("400", "count", 400.0, "soldiers")]
    # no count before it: a bare number is not a count ("since 1951" is a date, "in 2019" a year)
    assert _figures_of(root, "The pact was signed in 1951, and the fee is 650.") == []
