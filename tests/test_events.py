"""Events: dated statements merged across outlets into one timeline, background marked."""

from __future__ import annotations

import pandas as pd
from conftest import event_tables

from linkage.evaluation.numbers import score_events
from linkage.extraction import events
from linkage.pipeline.resources import Resources
from linkage.pipeline.schema import TABLES
from linkage.pipeline.settings import Settings


def test_same_event_from_two_outlets_is_one_row(root):
    tables = event_tables(
        [("a", 0, "Kim held talks on tariffs with U.S. officials at the White House on Wednesday."),
         ("a", 1, "Separately, Lee told reporters on Wednesday that exports had slowed."),
         ("b", 0, "The tariff talks, which took place this week, ended without a deal."),
         ("b", 1, "The alliance treaty was signed in 1960 after long negotiations.")],
        [("a", 0, "on Wednesday", "2025-06-11", "2025-06-11", "day"),
         ("a", 1, "on Wednesday", "2025-06-11", "2025-06-11", "day"),
         ("b", 0, "this week", "2025-06-09", "2025-06-15", "week"),
         ("b", 1, "in 1960", "1960-01-01", "1960-12-31", "year")],
    )
    out = events.corpus_tables(tables, Resources(Settings(root)))["events"]
    assert list(out.columns) == TABLES["events"]
    talks = out[out.summary.str.contains("White House")]
    assert len(talks) == 1
    assert talks.iloc[0].article_ids == "a;b" and talks.iloc[0].n_outlets == 2
    assert talks.iloc[0].date_start == "2025-06-11"
    statement = out[out.summary.str.contains("Lee told")]
    assert len(statement) == 1 and statement.iloc[0].article_ids == "a"
    treaty = out[out.date_start == "1960-01-01"]
    assert len(treaty) == 1 and bool(treaty.iloc[0].background)
    assert not bool(talks.iloc[0].background)


def test_no_dates_no_events(root):
    tables = event_tables([("a", 0, "Nothing dated here.")], [])
    out = events.corpus_tables(tables, Resources(Settings(root)))["events"]
    assert out.empty and list(out.columns) == TABLES["events"]


def test_key_events_of_the_talks(root, tables):
    scores = {s.metric: s for s in score_events(Settings(root), tables)}
    for metric in ("key events present once", "key events with all outlets", "background flag correct"):
        assert scores[metric].met, (metric, scores[metric].value)


def test_event_mentions_point_at_sentences(tables):
    sentences = {(r.article_id, int(r.sentence_id)) for r in tables["sentences"].itertuples()}
    for row in tables["events"].itertuples():
        for ref in str(row.mentions).split(";"):
            aid, rest = ref.split("#", 1)
            assert (aid, int(rest.split(":", 1)[0])) in sentences
            assert aid in str(row.article_ids).split(";")


def test_summary_says_who_did_what(root):
    tables = event_tables(
        [("a", 0, "Prime Minister Aiko Tanaka arrived in Seoul late on Monday after a day of talks."),
         ("a", 1, "On Tuesday, she told reporters that the two countries would sign a fisheries accord in 2026, "
                  "ending a dispute that has dragged on for nearly a decade and angered fishing crews on both sides."),
         ("b", 0, "“We are close,” Tanaka told a news conference in Seoul on Tuesday."),
         ("b", 1, "Separately, the ministry announced a new visa scheme on Wednesday.")],
        [("a", 0, "on Monday", "2025-06-09", "2025-06-09", "day"),
         ("a", 1, "On Tuesday", "2025-06-10", "2025-06-10", "day"),
         ("a", 1, "in 2026", "2026-01-01", "2026-12-31", "year"),
         ("b", 0, "on Tuesday", "2025-06-10", "2025-06-10", "day"),
         ("b", 1, "on Wednesday", "2025-06-11", "2025-06-11", "day")],
    )
    text = {(r["article_id"], r["sentence_id"]): (r["char_start"], r["text"]) for r in tables["sentences"].to_dict("records")}

    def mention(aid: str, sid: int, words: str) -> dict:
        start, sentence = text[(aid, sid)]
        at = start + sentence.index(words)
        return {"article_id": aid, "sentence_id": sid, "char_start": at, "char_end": at + len(words), "text": words,
                "actor_id": "aiko-tanaka"}

    tables["mentions"] = pd.DataFrame([mention("a", 0, "Aiko Tanaka"), mention("b", 0, "Tanaka")])
    tables["actors"] = pd.DataFrame([{"actor_id": "aiko-tanaka", "name": "Aiko Tanaka", "kind": "person"}])
    out = events.corpus_tables(tables, Resources(Settings(root)))["events"]
    assert (out.summary.str.len() <= events.SUMMARY_CHARS).all()
    tuesday = out[out.date_start == "2025-06-10"]
    assert len(tuesday) == 1 and tuesday.iloc[0].article_ids == "a;b"  # one event, both outlets
    # the pronoun "she" becomes the person named before; the date words are dropped
    assert tuesday.iloc[0].summary.startswith("Aiko Tanaka told reporters that the two countries")
    assert "Tuesday" not in tuesday.iloc[0].summary
    monday = out[out.date_start == "2025-06-09"].iloc[0]
    assert monday.summary == "Aiko Tanaka arrived in Seoul after a day of talks"
    accord = out[out.date_start == "2026-01-01"].iloc[0]
    # the clause ends at the comma: no participle tail, no date words
    assert accord.summary == "Aiko Tanaka told reporters that the two countries would sign a fisheries accord"
    visa = out[out.date_start == "2025-06-11"].iloc[0]
    assert visa.summary == "The ministry announced a new visa scheme"


def test_summary_keeps_numbers_and_drops_date_phrases(root):
    tables = event_tables(
        [("a", 0, "Japan pays an average of 211 billion yen a year to host about 54,000 U.S. troops, officials said on Monday."),
         ("a", 1, "Defense spending in Japan is set to reach 2 percent of GDP in 2027, officials said."),
         ("b", 0, "The pause ends soon, and a deal could be announced as early as Friday.")],
        [("a", 0, "on Monday", "2025-06-09", "2025-06-09", "day"),
         ("a", 1, "in 2027", "2027-01-01", "2027-12-31", "year"),
         ("b", 0, "Friday", "2025-06-13", "2025-06-13", "day")],
    )
    out = events.corpus_tables(tables, Resources(Settings(root)))["events"].set_index("date_start")
    # a thousands comma does not end the clause; the name in "spending in Japan" is not the subject
    assert out.loc["2025-06-09", "summary"] == "Japan pays an average of 211 billion yen a year to host about 54,000 U.S. troops"
    assert out.loc["2027-01-01", "summary"].startswith("Defense spending in Japan is set to reach 2 percent of GDP")
    assert out.loc["2025-06-13", "summary"].endswith("a deal could be announced")  # "as early as Friday" goes
