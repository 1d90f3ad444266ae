"""Event labels, plans and merging; sums of money as facts with periods; the timeline, costs and framing-over-time
charts on corpora of 0, 1, 5 and 50 outlets."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import event_tables

from linkage.extraction import events
from linkage.pipeline.resources import Resources
from linkage.pipeline.schema import TABLES
from linkage.pipeline.settings import Settings
from linkage.presentation import charts, cost_facts

MAX_PX = 3000


PEOPLE = [("mina-park", "Mina Park", "person"), ("tom-reyes", "Tom Reyes", "person")]


def test_label_says_who_did_what_from_actors_type_and_object(root):
    tables = event_tables(
        [("a", 0, "Mina Park did not say much to Tom Reyes during talks over rice quotas at the Blue House on "
                  "Wednesday."),
         ("b", 0, "Tom Reyes told reporters on Tuesday that exports had slowed sharply in the spring.")],
        [("a", 0, "on Wednesday", "2025-06-11", "2025-06-11", "day"),
         ("b", 0, "on Tuesday", "2025-06-10", "2025-06-10", "day")],
        mentions=[("a", 0, "Mina Park", "mina-park"), ("a", 0, "Tom Reyes", "tom-reyes"),
                  ("b", 0, "Tom Reyes", "tom-reyes")],
        actors=PEOPLE,
    )
    out = events.corpus_tables(tables, Resources(Settings(root)))["events"]
    assert list(out.columns) == TABLES["events"]
    assert (out["label"].str.len() <= events.LABEL_CHARS).all()
    talks = out[out.date_start == "2025-06-11"].iloc[0]
    # a negated verb names no event: the label is the event noun with its people (surnames) and its verb
    assert talks.label == "Park and Reyes hold talks over rice quotas at Blue House"
    told = out[out.date_start == "2025-06-10"].iloc[0]
    assert told.label.startswith("Reyes told reporters that exports had slowed")
    assert set(out["kind"]) == {"event"} and (out["said_on"].fillna("") == "").all()


def test_a_target_date_is_a_plan_said_on_the_day_its_sentence_names(root):
    tables = event_tables(
        [("a", 0, "Tom Reyes said on Tuesday that the pact expires in 2027."),
         ("b", 0, "The ministry plans to double the budget by 2028.")],
        [("a", 0, "on Tuesday", "2025-06-10", "2025-06-10", "day"),
         ("a", 0, "in 2027", "2027-01-01", "2027-12-31", "year"),
         ("b", 0, "by 2028", "2028-01-01", "2028-12-31", "year")],
        mentions=[("a", 0, "Tom Reyes", "tom-reyes")], actors=PEOPLE,
    )
    out = events.corpus_tables(tables, Resources(Settings(root)))["events"].set_index("date_start")
    assert out.loc["2027-01-01", "kind"] == "plan" and out.loc["2027-01-01", "said_on"] == "2025-06-10"
    assert out.loc["2028-01-01", "kind"] == "plan" and out.loc["2028-01-01", "said_on"] == "2025-06-13"
    assert out.loc["2025-06-10", "kind"] == "event"
    # the chart places plans at the day said, in the panel of the talks, never as history of 2027/2028
    rows, _ = charts.timeline_rows({**tables, "events": out.reset_index()})
    plans = rows[rows["plan"]]
    assert set(plans["panel"]) == {"talks"}
    assert sorted(plans["x_start"].dt.strftime("%Y-%m-%d")) == ["2025-06-10", "2025-06-13"]


def test_reports_that_get_the_same_label_and_compatible_dates_merge(root):
    # two reports of one meeting that share no content word and no actor near the date: the clustering keeps them
    # apart, the labels (same people, same event noun) bring them together
    tables = event_tables(
        [("a", 0, "Mina Park and Tom Reyes: summit in Geneva on Wednesday."),
         ("b", 0, "Mina Park and Tom Reyes: summit in Geneva this week.")],
        [("a", 0, "on Wednesday", "2025-06-11", "2025-06-11", "day"),
         ("b", 0, "this week", "2025-06-09", "2025-06-15", "week")],
        mentions=[("a", 0, "Mina Park", "mina-park"), ("a", 0, "Tom Reyes", "tom-reyes"),
                  ("b", 0, "Mina Park", "mina-park"), ("b", 0, "Tom Reyes", "tom-reyes")], actors=PEOPLE,
    )
    out = events.corpus_tables(tables, Resources(Settings(root)))["events"]
    summit = out[out["label"].str.contains("summit in Geneva")]
    assert len(summit) == 1 and summit.iloc[0].article_ids == "a;b" and summit.iloc[0].date_start == "2025-06-11"


def test_events_of_different_days_with_one_sentence_stay_apart(tables):
    """The seeds' G20 gathering (Apr 23) and Kato's meeting (Apr 24) share a sentence but are two events."""
    ev = tables["events"]
    kato = ev[ev["sentence"].astype(str).str.contains("coincides with Kato")]
    assert len(kato) == 2 and kato["label"].nunique() == 2


@pytest.mark.parametrize(("before", "after", "basis", "years"), [
    ("Japan will spend around ", " this year on wages", "per year", 1),
    ("Japan is paying a total of ", " over the five-year period from fiscal 2022 to 2026", "total", 5),
    ("spending to a total of about ", " over the five years from fiscal 2023.", "total", 5),
    ("the pact costs ", " from fiscal 2016 to 2020 for the bases", "total", 5),
    ("he demanded ", " annually", "per year", 1),
    ("the U.S. pays “", "” to defend them", "unspecified", None),
])
def test_period_of_a_sum(before, after, basis, years):
    got = cost_facts.period_of(before, after)
    assert got[:2] == (basis, years)


def _money_tables(figures: list[dict], sentences: list[tuple[str, int, str]], outlets=("Outlet A", "Outlet B")) -> dict:
    arts = pd.DataFrame([{"article_id": a, "outlet": o, "kind": "news", "published": "2025-04-20",
                          "published_basis": "stated"} for a, o in zip(("a", "b"), outlets, strict=True)],
                        columns=TABLES["articles"])
    sents = pd.DataFrame([{"article_id": a, "sentence_id": i, "char_start": 0, "char_end": len(t), "text": t}
                          for a, i, t in sentences], columns=TABLES["sentences"])
    rows = []
    for f in figures:
        text = dict(((a, i), t) for a, i, t in sentences)[(f["article_id"], f["sentence_id"])]
        at = text.index(f["text"])
        rows.append({"category": "money", "char_start": at, "char_end": at + len(f["text"]), **f})
    return {"articles": arts, "sentences": sents, "figures": pd.DataFrame(rows, columns=TABLES["figures"]),
            "actors": pd.DataFrame(columns=TABLES["actors"])}


def test_a_sum_reported_twice_counts_once_and_totals_become_per_year():
    tables = _money_tables([
        {"article_id": "a", "figure_id": 0, "sentence_id": 0, "text": "¥1.05 trillion", "value": 1.05e12,
         "unit": "JPY", "usd_value": 7.3e9, "what": "cost of stationing U.S. troops"},
        {"article_id": "b", "figure_id": 0, "sentence_id": 0, "text": "¥1 trillion", "value": 1e12, "approx": "over",
         "unit": "JPY", "usd_value": 6.9e9, "what": "share of the cost of hosting U.S. forces"},
        {"article_id": "b", "figure_id": 1, "sentence_id": 1, "text": "¥220 billion", "value": 2.2e11, "unit": "JPY",
         "usd_value": 1.5e9, "what": "expenses at U.S. military bases"},
        {"article_id": "a", "figure_id": 1, "sentence_id": 1, "text": "hundreds of billions of dollars",
         "value_low": 1e11, "value_high": 1e12, "unit": "USD", "claimed_by": "someone", "what": "to defend Japan"},
    ], [("a", 0, "Japan pays ¥1.05 trillion over the five-year period from fiscal 2022 to 2026 for U.S. troops."),
        ("b", 0, "Japan's share for the five-year period from fiscal 2022 has risen to over ¥1 trillion."),
        ("b", 1, "Japan will spend ¥220 billion this year on bases."),
        ("a", 1, "He says the U.S. pays “hundreds of billions of dollars” to defend Japan.")])
    facts = cost_facts.money_facts(tables, charts.money_rows(tables))
    total = facts[facts["basis"] == "total"]
    assert len(total) == 1 and total.iloc[0].n_articles == 2 and total.iloc[0].text == "¥1.05 trillion"
    assert total.iloc[0].usd_per_year == pytest.approx(7.3e9 / 5)
    found = cost_facts.comparison(facts)
    assert found["low"] == pytest.approx(7.3e9 / 5) and found["high"] == pytest.approx(1.5e9)
    assert found["ratio"] == pytest.approx(1e11 / 1.5e9)
    chart = charts.costs(tables)
    assert "at least 67× the yearly cost of hosting U.S. troops" in chart.title
    ax = chart.figure.axes[0]
    lo, hi = ax.get_xlim()
    assert lo >= 1e8 and hi <= 1e13  # the axis fits the data, not a quadrillion
    assert not any("…" in t.get_text() for t in ax.get_yticklabels())  # labels wrap, never cut
    markers = {line.get_marker() for line in ax.get_lines() if line.get_marker() not in (None, "None", "", "|")}
    assert markers == {"*", "o"}  # one mark for claims, another for reported sums


# ---------------------------------------------------------------- charts at 0, 1, 5, 50 outlets


def _corpus(n_outlets: int, per_outlet: int) -> dict:
    """n_outlets × per_outlet articles over six weeks, events reported by a varying number of outlets, framing
    counts and sums of money."""
    arts, of, ev, figs, sents = [], [], [], [], []
    k = 0
    for o in range(n_outlets):
        for j in range(per_outlet):
            aid = f"o{o}-{j}"
            day = pd.Timestamp("2025-04-01") + pd.Timedelta(days=(k * 3) % 42)
            arts.append({"article_id": aid, "outlet": f"Outlet {o}", "kind": "news",
                         "published": day.strftime("%Y-%m-%d"), "published_basis": "stated"})
            of.append({"article_id": aid, "outlet": f"Outlet {o}", "kind": "news", "n_sentences": 20,
                       "separation_outlet": k % 4, "separation_actor": 1, "linkage_outlet": k % 3,
                       "linkage_actor": 0})
            text = f"Japan pays ¥{200 + k} billion this year to host U.S. troops, he said of the “billions” claim."
            sents.append({"article_id": aid, "sentence_id": 0, "char_start": 0, "char_end": len(text), "text": text})
            at = text.index("¥")
            figs.append({"article_id": aid, "figure_id": 0, "sentence_id": 0, "char_start": at,
                         "char_end": at + len(f"¥{200 + k} billion"), "text": f"¥{200 + k} billion",
                         "category": "money", "value": (200 + k) * 1e9, "unit": "JPY",
                         "usd_value": (200 + k) * 1e9 / 145, "what": "cost of hosting U.S. troops"})
            k += 1
    ids = [a["article_id"] for a in arts]
    for e in range(40):
        reporters = ids[e % max(len(ids), 1):][: 1 + e % 7] if ids else []
        start = pd.Timestamp("2025-03-20") + pd.Timedelta(days=e) if e % 5 else pd.Timestamp(f"{1990 + e}-01-01")
        end = start if e % 5 else start + pd.Timedelta(days=364)
        ev.append({"event_id": e, "date_start": start.strftime("%Y-%m-%d"), "date_end": end.strftime("%Y-%m-%d"),
                   "background": e % 5 == 0, "summary": f"Event number {e} happened", "label": f"Event {e}",
                   "kind": "plan" if e % 11 == 3 else "event", "said_on": "2025-04-02" if e % 11 == 3 else "",
                   "article_ids": ";".join(reporters),
                   "outlets": ";".join(dict.fromkeys(a.split("-")[0].replace("o", "Outlet ") for a in reporters)),
                   "n_outlets": 1})
    frame = {name: pd.DataFrame(rows, columns=TABLES[name]) for name, rows in
             (("articles", arts), ("outlet_framing", of), ("events", ev), ("figures", figs), ("sentences", sents))}
    frame["actors"] = pd.DataFrame(columns=TABLES["actors"])
    return frame


@pytest.mark.parametrize(("n_outlets", "per_outlet"), [(0, 0), (1, 1), (1, 9), (5, 3), (50, 2)])
@pytest.mark.parametrize("chart", [charts.timeline, charts.costs, charts.framing_over_time],
                         ids=lambda f: f.__name__)
def test_charts_work_and_stay_within_3000_px(chart, n_outlets, per_outlet):
    drawn = chart(_corpus(n_outlets, per_outlet))
    width, height = (x * 200 for x in drawn.figure.get_size_inches())
    assert width <= MAX_PX and height <= MAX_PX
    drawn.png_bytes()  # draws without error
    if n_outlets == 0:
        assert drawn.empty


def test_timeline_shows_at_most_25_most_reported_events_and_no_2025_item_as_history():
    tables = _corpus(50, 2)
    chart = charts.timeline(tables)
    shown = chart.data.drop_duplicates("event_id")
    assert len(shown) <= charts.TIMELINE_ROWS
    history = shown[shown["panel"] == "background"]
    assert (history["date_start"] < "2025-01-01").all()
    rows, _ = charts.timeline_rows(tables)
    talks = rows[rows["panel"] == "talks"]
    cutoff = talks.sort_values("n_reporting", ascending=False)["n_reporting"].iloc[len(shown) - len(history) - 1]
    assert (shown[shown["panel"] == "talks"]["n_reporting"] >= cutoff).all()


def test_framing_over_time_counts_articles_per_point_and_pools_small_outlets():
    rows = charts.framing_over_time_rows(_corpus(50, 2))
    assert rows["n_articles"].sum() == 100
    assert rows["group"].nunique() == charts.OVER_TIME_GROUPS + 1 and "other outlets" in set(rows["group"])
    assert ((rows["separation_share"] >= 0) & (rows["separation_share"] <= 1)).all()
    daily = charts.framing_over_time_rows(_corpus(1, 3))
    assert daily["period"].nunique() == 3  # three days within four weeks: one point a day


def test_periods_are_no_timeline_rows_and_history_never_reaches_past_the_articles():
    tables = _corpus(3, 2)  # articles from Apr 1 to mid-May 2025
    extra = [  # a whole year of the talks, two months, a month; a five-year total reaching 2027; a year of history
        ("2025-01-01", "2025-12-31", "Year-long spending"), ("2025-02-20", "2025-04-20", "Two months of threats"),
        ("2025-03-01", "2025-03-31", "A month of rallies"), ("2022-04-01", "2027-03-31", "Five-year total"),
        ("2015-01-01", "2015-12-31", "A law enacted"),
    ]
    ev = tables["events"]
    rows = [{**ev.iloc[1].to_dict(), "event_id": 100 + i, "date_start": s, "date_end": e, "label": name,
             "kind": "event", "said_on": ""} for i, (s, e, name) in enumerate(extra)]
    tables["events"] = pd.concat([ev, pd.DataFrame(rows)], ignore_index=True)
    rows_, _ = charts.timeline_rows(tables)
    period = dict(zip(rows_["label"], rows_["period"], strict=True))
    assert period["Year-long spending"] and period["Two months of threats"] and period["Five-year total"]
    assert not period["A month of rallies"] and not period["A law enacted"]
    chart = charts.timeline(tables)
    shown = set(chart.data["label"])
    assert not shown & {"Year-long spending", "Two months of threats", "Five-year total"}
    history = chart.data[chart.data["panel"] == "background"]
    last = pd.to_datetime(tables["articles"]["published"]).max()
    assert (pd.to_datetime(history["date_end"]) <= last).all()
    assert "left out of the rows" in chart.figure.texts[1].get_text()


# ---------------------------------------------------------------- labels as headlines


@pytest.fixture
def labels_of(root):
    """The label of each event (by its start date) of two articles with the given sentences, dates and mentions."""

    def run(sentences, dated, mentions=(), actors=PEOPLE) -> dict[str, str]:
        tables = event_tables(sentences, dated, mentions=mentions, actors=actors)
        out = events.corpus_tables(tables, Resources(Settings(root)))["events"]
        return dict(zip(out["date_start"], out["label"], strict=True))

    return run


def test_label_resolves_a_possessive_subject_to_the_person_named_before(labels_of):
    labels = labels_of(
        [("a", 0, "Tom Reyes spoke at length about the economy."),
         ("a", 1, "His ministry has also raised duties on imported steel on Tuesday, to 40%.")],
        [("a", 1, "on Tuesday", "2025-06-10", "2025-06-10", "day")],
        mentions=[("a", 0, "Tom Reyes", "tom-reyes")])
    assert labels["2025-06-10"] == "Reyes ministry raised duties on imported steel"


def test_label_is_a_headline_that_fits_and_cuts_at_a_phrase(labels_of):
    labels = labels_of(
        [("a", 0, "Mina Park said on Monday that there is no reason to delay the vote on the new budget for the "
                  "northern provinces."),
         ("a", 1, "Norway will spend around ¥5 billion ($34 million) this year on repairs for the embassy."),
         ("b", 0, "Tom Reyes has already linked the subsidies to the fishing quotas at a forum in Oslo on "
                  "Wednesday, as he seeks leverage in the talks that follow."),
         ("b", 1, "Mina Park criticised the levy on Friday as she prepared for the vote.")],
        [("a", 0, "on Monday", "2025-06-09", "2025-06-09", "day"),
         ("a", 1, "this year", "2025-01-01", "2025-12-31", "year"),
         ("b", 0, "on Wednesday", "2025-06-11", "2025-06-11", "day"),
         ("b", 1, "on Friday", "2025-06-06", "2025-06-06", "day")],
        mentions=[("a", 0, "Mina Park", "mina-park"), ("b", 0, "Tom Reyes", "tom-reyes"),
                  ("b", 1, "Mina Park", "mina-park")])
    assert labels["2025-06-09"] == "Park: no reason to delay vote on new budget"  # said that there is -> colon
    assert labels["2025-01-01"] == "Norway to spend around ¥5 billion on repairs for embassy"  # aside dropped
    assert labels["2025-06-11"] == "Reyes linked subsidies to fishing quotas at forum in Oslo"
    assert labels["2025-06-06"] == "Park criticised levy"  # "as she prepared …" is about her, not the event
    assert all(len(v) <= events.LABEL_CHARS and not v.endswith("…") for v in labels.values())


def test_a_cut_inside_a_quotation_says_so_and_a_verb_phrase_takes_no_light_verb(labels_of):
    labels = labels_of(
        [("a", 0, "Mina Park said on Monday that “we will not accept any deal that trades our farmers away for a "
                  "few points of tariff relief”."),
         ("b", 0, "Tom Reyes told reporters that they intend to continue discussions on the quotas next year.")],
        [("a", 0, "on Monday", "2025-06-09", "2025-06-09", "day"),
         ("b", 0, "next year", "2026-01-01", "2026-12-31", "year")],
        mentions=[("a", 0, "Mina Park", "mina-park"), ("b", 0, "Tom Reyes", "tom-reyes")])
    quote = labels["2025-06-09"]
    assert quote.startswith("Park: “we will not accept any deal") and quote.endswith("…")  # no cut at "that" inside
    assert len(quote) <= events.LABEL_CHARS
    assert "holds continue" not in labels["2026-01-01"] and "Reyes" in labels["2026-01-01"]


def test_one_person_attends_a_gathering(labels_of):
    labels = labels_of(
        [("a", 0, "The forum coincides with Tom Reyes's attendance at the trade ministers' gathering beginning "
                  "Wednesday.")],
        [("a", 0, "Wednesday", "2025-06-11", "2025-06-11", "day")],
        mentions=[("a", 0, "Tom Reyes", "tom-reyes")])
    assert labels["2025-06-11"] == "Reyes attends trade ministers' gathering"
