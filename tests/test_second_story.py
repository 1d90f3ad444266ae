"""A second story moves in with data files alone: EU–U.S. trade talks and NATO spending.

Two short articles written for this test, with their own actor registry, countries file and one
framing row, build in a fresh project; no Python is changed or patched. The generic lexicons
(speech cues, titles, units, event triggers, framing cues, words that are never names) are copied
from the repository, since they hold English, not the Japan story. Every expected row below was
written by hand from the texts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from linkage import build
from linkage.pipeline.manifest import add_article
from linkage.pipeline.settings import Settings

REPO = Path(__file__).resolve().parents[1]
GENERIC_LEXICONS = ("speech_cues.csv", "person_titles.csv", "units.csv", "event_triggers.csv", "framing.csv", "not_names.csv",
                    "non_denials.csv", "headline_speakers.csv", "term_heads.csv", "org_heads.csv")

EU_TRADE = """EU and U.S. negotiators resume trade talks

BRUSSELS — Trade Commissioner Maros Sefcovic met U.S. Trade Representative Jamieson Greer on Wednesday to resume talks on tariffs.

“We want a fair deal, not a deal at any price,” Sefcovic told reporters after the meeting.

“The door remains open,” a senior EU official said.

Olof Gill, a European Commission spokesman, said the talks would continue next week.

An EU official said defense spending has nothing to do with the trade talks.

The European Union's budget for fiscal 2026 sets aside more money for trade defense.
"""

NATO_SPENDING = """NATO allies agree to raise defense spending

THE HAGUE — NATO Secretary General Mark Rutte said on Wednesday that allies had agreed to spend 5% of GDP on defense by 2035.

“This is a quantum leap,” Rutte told reporters.

President Donald Trump has linked defense spending to trade, warning that allies who fall short could face higher tariffs.

The Pentagon's request for fiscal 2026 is $848 billion, a U.S. official said.

Britain's defense budget for fiscal 2026 will rise to 2.5% of GDP.

NATO leaders meet again next year.
"""

HUNGARY_BUDGET = """Hungary keeps its defense budget

Kovacs Zoltan, the government spokesman, said on Thursday that Hungary would keep its defense budget unchanged.

“We will not pay for other people's wars,” Kovacs said.
"""

ACTORS = """actor_id,name,kind,country,group,role,aliases,surname_alone,speaker_aliases,notes,gender
maros-sefcovic,Maros Sefcovic,person,EU,eu_government,European Commissioner for Trade,surname:Sefcovic|title:trade commissioner,yes,,,m
jamieson-greer,Jamieson Greer,person,US,us_government,U.S. Trade Representative,surname:Greer,yes,,,m
mark-rutte,Mark Rutte,person,,nato,NATO Secretary General,surname:Rutte|title:NATO secretary general,yes,,,m
donald-trump,Donald Trump,person,US,us_government,President of the United States,surname:Trump|title:president,yes,,,m
zoltan-kovacs,Zoltan Kovacs,person,HU,hu_government,Hungarian government spokesman,surname:Kovacs,yes,,,m
"""

COUNTRIES = """country,name,adjectives,capital,government_words,currency_words,group,fiscal_start_month,fiscal_year_named_by,home,time_zone,name_order,note
EU,European Union,European|EU|EU's,Brussels,European Commission,euro|€,eu_government,1,start,yes,Europe/Brussels,,the EU budget year is the calendar year
US,United States,American|U.S.|US,Washington,White House|Pentagon|Congress|administration,,us_government,10,end,,several,,federal fiscal 2026 = October 2025 to September 2026
GB,United Kingdom,British|Britain's|UK,London,Downing Street,pound|£,gb_government,4,start,,Europe/London,,fiscal 2026 = April 2026 to March 2027
HU,Hungary,Hungarian,Budapest,,forint,hu_government,,,,Europe/Budapest,family_first,Hungarian names are written family name first
"""

STORY_FRAMING_ROW = "NATO,topic,security,1,the alliance by name (second story)\n"


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> dict[str, pd.DataFrame]:
    root = tmp_path_factory.mktemp("second-story")
    data = root / "data"
    (data / "lexicons").mkdir(parents=True)
    (data / "raw").mkdir()
    for name in GENERIC_LEXICONS:
        shutil.copy(REPO / "data" / "lexicons" / name, data / "lexicons" / name)
    with (data / "lexicons" / "framing.csv").open("a", encoding="utf-8") as f:
        f.write(STORY_FRAMING_ROW)
    (data / "lexicons" / "countries.csv").write_text(COUNTRIES, encoding="utf-8")
    (data / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (data / "fx_rates.csv").write_text("currency,month,units_per_usd,source\n", encoding="utf-8")
    (data / "articles.csv").write_text(
        "article_id,source_file,sha256,outlet,outlet_country,kind,headline,published,published_precision,"
        "published_basis,published_evidence,url,language,notes\n", encoding="utf-8")
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    settings = Settings(root)
    drafts = tmp_path_factory.mktemp("drafts")
    for name, text, outlet, country, published in (
        ("eu_trade.txt", EU_TRADE, "Brussels Wire", "", "2025-07-10T09:00+02:00"),
        ("nato_spending.txt", NATO_SPENDING, "Atlantic Ledger", "", "2025-06-26T18:00+02:00"),
        # a day alone: the outlet's country gives the offset, from the story's countries file
        ("hungary_budget.txt", HUNGARY_BUDGET, "Danube Post", "HU", "2025-06-26"),
    ):
        (drafts / name).write_text(text, encoding="utf-8")
        add_article(settings, drafts / name, outlet=outlet, published=published, outlet_country=country,
                    article_id=name.removesuffix(".txt").replace("_", "-"))
    build(root, jobs=1, cache=False)
    processed = data / "processed"
    return {name: pd.read_csv(processed / f"{name}.csv", keep_default_na=False)
            for name in ("actors", "mentions", "quotes", "dates", "framing", "articles")}


def test_registry_actors_and_a_new_person_take_their_groups_from_data(story):
    actors = story["actors"].set_index("actor_id")
    assert actors.loc["maros-sefcovic", "group"] == "eu_government"
    assert actors.loc["jamieson-greer", "group"] == "us_government"
    assert actors.loc["mark-rutte", "group"] == "nato"
    assert actors.loc["donald-trump", "group"] == "us_government"
    # a spokesman outside the registry: his group comes from the countries file ("European" -> eu_government)
    assert actors.loc["new:olof-gill", "group"] == "eu_government"
    assert str(actors.loc["new:olof-gill", "in_registry"]) == "False"


def test_quotes_have_the_right_speakers_and_groups(story):
    got = {
        (r.article_id, r.kind, r.text, r.speaker, r.actor_id, r.speaker_group, r.attribution)
        for r in story["quotes"].itertuples()
    }
    expected = {
        ("eu-trade", "direct", "We want a fair deal, not a deal at any price,", "Maros Sefcovic", "maros-sefcovic",
         "eu_government", "explicit"),
        ("eu-trade", "direct", "The door remains open,", "a senior EU official", "", "eu_government", "anonymous"),
        ("eu-trade", "indirect", "the talks would continue next week", "Olof Gill", "new:olof-gill", "eu_government",
         "explicit"),
        ("eu-trade", "indirect", "defense spending has nothing to do with the trade talks", "An EU official", "",
         "eu_government", "anonymous"),
        ("nato-spending", "indirect", "allies had agreed to spend 5% of GDP on defense by 2035", "Mark Rutte",
         "mark-rutte", "nato", "explicit"),
        ("nato-spending", "direct", "This is a quantum leap,", "Mark Rutte", "mark-rutte", "nato", "explicit"),
        ("nato-spending", "indirect", "allies who fall short could face higher tariffs", "Donald Trump", "donald-trump",
         "us_government", "explicit"),
        ("nato-spending", "indirect", "The Pentagon's request for fiscal 2026 is $848 billion", "a U.S. official", "",
         "us_government", "anonymous"),
        ("hungary-budget", "indirect", "Hungary would keep its defense budget unchanged", "Zoltan Kovacs", "zoltan-kovacs",
         "hu_government", "explicit"),
        ("hungary-budget", "direct", "We will not pay for other people's wars,", "Zoltan Kovacs", "zoltan-kovacs",
         "hu_government", "explicit"),
    }
    assert got == expected


def test_fiscal_years_follow_the_country_each_sentence_names(story):
    dates = story["dates"]
    fiscal = {(r.article_id, r.text, r.date_start, r.date_end)
              for r in dates.itertuples() if r.granularity == "fiscal_year"}
    assert fiscal == {
        ("eu-trade", "fiscal 2026", "2026-01-01", "2026-12-31"),  # the EU: calendar years
        ("nato-spending", "fiscal 2026", "2025-10-01", "2026-09-30"),  # the Pentagon: U.S. federal
        ("nato-spending", "fiscal 2026", "2026-04-01", "2027-03-31"),  # Britain: April to March
    }


def test_framing_reads_the_story_with_the_generic_cues_and_one_story_row(story):
    framing = story["framing"]
    by_text = {(r.article_id, r.text): r for r in framing.itertuples()}
    trump = by_text[("nato-spending", "President Donald Trump has linked defense spending to trade, warning that allies "
                                      "who fall short could face higher tariffs.")]
    assert set(trump.topics.split(";")) == {"trade", "security", "linkage"}
    assert trump.stance == "linkage"
    denial = by_text[("eu-trade", "An EU official said defense spending has nothing to do with the trade talks.")]
    assert denial.stance == "separation"
    nato = by_text[("nato-spending", "NATO leaders meet again next year.")]
    assert nato.topics == "security"  # only the story's own row names it


def test_a_country_brings_its_own_time_zone_and_name_order(story):
    # Budapest is UTC+2 in June (summer time): the zone came from the story's countries file
    article = story["articles"].set_index("article_id").loc["hungary-budget"]
    assert (article["published"], article["published_precision"]) == ("2025-06-26T00:00+02:00", "day")
    # "Kovacs Zoltan" (family name first) is the registry's Zoltan Kovacs, because Hungary is family_first
    mentions = story["mentions"]
    swapped = mentions[(mentions["article_id"] == "hungary-budget") & (mentions["text"] == "Kovacs Zoltan")]
    assert swapped["actor_id"].tolist() == ["zoltan-kovacs"]
    assert not story["actors"]["actor_id"].str.startswith("new:kovacs").any()
