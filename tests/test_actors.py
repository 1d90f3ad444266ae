"""Actor registry, mentions and the actors table."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from linkage.extraction import actors
from linkage.extraction.corpus import make_document
from linkage.pipeline.resources import Resources
from linkage.pipeline.settings import Settings

GROUPS = {
    "japan_government", "us_government", "other_government", "legislator", "former_official", "expert", "media",
    "international_org", "other",
}
KINDS = {"person", "organization", "government_body", "country", "media"}


@pytest.fixture(scope="module")
def res(root: Path) -> Resources:
    return Resources(Settings(root))


def _mentions(text: str, res: Resources) -> list[dict]:
    doc = make_document("t", text, {})
    return actors.extract(doc, res)["mentions"]


def test_registry_rows_are_complete(root: Path) -> None:
    with open(root / "data" / "actors.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ids = [r["actor_id"] for r in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert row["name"] and row["role"], row["actor_id"]
        assert row["kind"] in KINDS, row["actor_id"]
        assert row["group"] in GROUPS, row["actor_id"]


def test_mentions_point_into_the_raw_text(tables, raw_texts) -> None:
    mentions = tables["mentions"]
    assert len(mentions)
    for row in mentions.itertuples():
        assert raw_texts[row.article_id][row.char_start:row.char_end] == row.text
        assert row.form in {"full_name", "surname", "title", "alias"}


def test_captions_and_credits_yield_no_actor(tables, raw_texts) -> None:
    blocks = tables["blocks"]
    outside = blocks[~blocks.role.isin(["headline", "subhead", "body"])]
    for row in tables["mentions"].itertuples():
        inside = outside[(outside.article_id == row.article_id) & (outside.char_start <= row.char_start) & (outside.char_end > row.char_start)]
        assert inside.empty, f"mention {row.text!r} lies in a {inside.role.iloc[0]} block"
    names = {str(n).lower() for n in tables["actors"]["name"]}
    for credit in ("chang w. lee", "jim watson", "the new york times", "afp", "getty images", "reuters"):
        assert credit not in names


def test_actors_table_lists_registry_and_counts(tables) -> None:
    table = tables["actors"].set_index("actor_id")
    assert table.loc["donald-trump", "n_articles"] == 5
    assert table.loc["sheila-smith", "n_mentions"] >= 3
    assert bool(table.loc["shigeru-ishiba", "in_registry"])


def test_unknown_people_are_found_and_flagged(res: Resources) -> None:
    text = (
        "Trade talks stall\n"
        "The deal is not close, said Maria Fernandes, an economist at the Lisbon Institute.\n"
        "Finance Minister Karl Brandt told reporters the tariff would stay. Brandt added nothing.\n"
        "Fernandes disagreed.\n"
    )
    rows = _mentions(text, res)
    by_text = {r["text"]: r for r in rows}
    assert by_text["Maria Fernandes"]["actor_id"] == "new:maria-fernandes"
    assert by_text["Maria Fernandes"]["in_registry"] is False
    assert by_text["Maria Fernandes"]["group"] == "expert"
    assert by_text["Karl Brandt"]["actor_id"] == "new:karl-brandt"
    surnames = [r for r in rows if r["form"] == "surname"]
    assert {r["actor_id"] for r in surnames} == {"new:karl-brandt", "new:maria-fernandes"}


def test_family_name_first_surnames(res: Resources) -> None:
    text = "Headline here\nTrade Minister Park Jin-woo said the talks would go on. Park then left.\n"
    ids = [r["actor_id"] for r in _mentions(text, res) if r["text"] == "Park"]
    assert ids == ["new:park-jin-woo"]


def test_credits_in_body_text_are_not_people(res: Resources) -> None:
    text = (
        "Headline here\n"
        "The minister spoke at length about the talks and the tariffs that followed them. Chang W. Lee / The New York Times\n"
        "The ministers met again on Friday, and the photographs were taken by the pool. Photo by Maria Lopez/AFP\n"
    )
    assert not [r for r in _mentions(text, res) if not r["in_registry"]]


def test_city_as_place_is_not_the_government(res: Resources) -> None:
    text = "Headline here\nOfficials in Tokyo were calm. Tokyo wants a deal, and Ishiba flew to Washington.\n"
    rows = _mentions(text, res)
    tokyo = [r for r in rows if r["text"] == "Tokyo"]
    assert len(tokyo) == 1 and text[tokyo[0]["char_start"]:].startswith("Tokyo wants")
    assert not [r for r in rows if r["text"] == "Washington"]


def test_surname_needs_the_person_in_the_article(res: Resources) -> None:
    text = "Headline here\nThe economist Adam Smith wrote about trade. Smith thought tariffs hurt.\n"
    assert not [r for r in _mentions(text, res) if r["actor_id"] == "sheila-smith"]


def test_title_resolves_to_the_person_introduced_with_it(res: Resources) -> None:
    text = (
        "Headline here\n"
        "British Prime Minister Keir Starmer met the press. The prime minister said little.\n"
    )
    titles = [r for r in _mentions(text, res) if r["form"] == "title"]
    assert [r["actor_id"] for r in titles] == ["new:keir-starmer"]
    text = "Headline here\nThe cabinet met. The prime minister said little.\n"
    titles = [r for r in _mentions(text, res) if r["form"] == "title"]
    assert [r["actor_id"] for r in titles] == ["shigeru-ishiba"]


def test_then_title_does_not_redirect(res: Resources) -> None:
    text = "Headline here\nIn 2019 then-Prime Minister Shinzo Abe met Trump. Now the prime minister is Ishiba.\n"
    rows = _mentions(text, res)
    assert [r["actor_id"] for r in rows if r["form"] == "title"] == ["shigeru-ishiba"]
    assert "shinzo-abe" in {r["actor_id"] for r in rows}


def test_test_article_people(root: Path, res: Resources) -> None:
    text = (root / "tests" / "data" / "voices_article.txt").read_text(encoding="utf-8")
    rows = _mentions(text, res)
    found = {r["actor_id"] for r in rows}
    for person in ("philip-goldberg", "daniel-russel", "victor-cha", "mireya-solis"):
        assert f"new:{person}" in found
    assert {"lee-jae-myung", "ahn-duk-geun"} <= found  # in the registry
    assert not {"new:haruka-sato", "new:maria-lopez"} & found
    assert not any(a.startswith("new:") and a.count("-") == 0 for a in found)


def test_wire_story_people_and_groups(root: Path, res: Resources) -> None:
    text = (root / "tests" / "data" / "voices_article_3.txt").read_text(encoding="utf-8")
    rows = _mentions(text, res)
    groups = {r["actor_id"]: r["group"] for r in rows}
    assert groups["new:karoline-leavitt"] == "us_government"  # "White House press secretary"
    assert groups["new:wendy-cutler"] == "former_official"  # "a former U.S. trade negotiator"
    assert groups["new:maria-cantwell"] == "legislator"
    assert "us-government" not in groups  # "a Washington Democrat" is not the government
    text = (root / "tests" / "data" / "voices_article_2.txt").read_text(encoding="utf-8")
    ids = {r["actor_id"] for r in _mentions(text, res)}
    assert "japan-government" not in ids  # the dateline "Tokyo —"
    assert not any("nomura" in i for i in ids)  # an organisation, not a person


def test_names_with_particles_and_accents(res: Resources) -> None:
    text = (
        "Headline here\nEuropean Commission President Ursula von der Leyen said the bloc would respond. "
        "José Manuel Albares, the Spanish foreign minister, agreed.\n"
    )
    ids = {r["actor_id"] for r in _mentions(text, res)}
    assert {"new:ursula-von-der-leyen", "new:jose-manuel-albares"} <= ids


def test_people_are_found_without_the_registry(project: Path) -> None:
    """Strip every person but Trump from the registry: the text alone must still yield every named person."""
    from linkage import build, load
    from linkage.evaluation.common import load_gold

    path = project / "data" / "actors.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for r in rows if r["kind"] != "person" or r["actor_id"] == "donald-trump"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    build(project)
    mentions = load("mentions", root=project, rebuild=False)
    found = {(r.article_id, r.actor_id) for r in mentions.itertuples()}
    for person in load_gold(Settings(project), "people"):
        if not person["actor_id"]:
            continue
        wanted = person["actor_id"] if person["actor_id"] == "donald-trump" else "new:" + person["actor_id"]
        assert (person["article_id"], wanted) in found, person


def test_groups_from_roles_before_and_after_the_name(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Japan's ambassador to the United States, Shigeo Yamada, told an audience that Tokyo pays enough.\n"
        "Katsuyuki Kawai, a lawmaker from the ruling party, said the bill was unfair.\n"
    )
    people = {m["actor_id"]: m for m in _mentions(text, res) if not m["in_registry"]}
    assert people["new:shigeo-yamada"]["group"] == "japan_government"  # the role precedes the name
    assert people["new:katsuyuki-kawai"]["group"] == "legislator"


def test_nationality_before_an_organisation_name(res: Resources) -> None:
    text = "Headline here\nA Chinese Foreign Ministry spokesman spoke. The Japanese Foreign Ministry and the Foreign Ministry agreed.\n"
    found = [m["actor_id"] for m in _mentions(text, res)]
    assert found.count("japan-foreign-ministry") == 2  # "Chinese Foreign Ministry" is not Japan's


@pytest.mark.parametrize("gap", ["  ", "\u00a0", " \t"])
def test_registry_name_with_odd_whitespace_is_still_the_actor(gap, res):
    """Name patterns allow any whitespace between words; the lookup must not depend on which."""
    text = f"Talks\n\nPrime Minister Shigeru{gap}Ishiba said the talks went well.\n"
    mentions = _mentions(text, res)
    assert [(m["text"], m["actor_id"]) for m in mentions] == [(f"Shigeru{gap}Ishiba", "shigeru-ishiba")]
    assert all(text[m["char_start"]:m["char_end"]] == m["text"] for m in mentions)


@pytest.mark.parametrize(
    ("sentence", "person"),
    [
        ("Mireya Solis of the Brookings Institution said the linkage was dangerous.", "Mireya Solis"),
        ("Mireya Solis at Brookings said the linkage was dangerous.", "Mireya Solis"),
        ("Ana Ruiz from the Peterson Institute for International Economics told reporters it was risky.", "Ana Ruiz"),
    ],
)
def test_a_person_named_with_an_affiliation_before_a_speech_verb_is_found(res: Resources, sentence, person) -> None:
    found = {m["text"]: m["actor_id"] for m in _mentions(sentence, res)}
    assert found.get(person, "").startswith("new:")
    # an organisation is not taken for a person
    assert not any(a.startswith("new:") for t, a in found.items() if t != person)


def test_a_name_before_an_appositive_that_opens_with_a_title_is_a_person(res: Resources) -> None:
    text = "Richard Haass, president emeritus of the Council on Foreign Relations, said it would backfire."
    assert {m["text"]: m["actor_id"] for m in _mentions(text, res)}.get("Richard Haass") == "new:richard-haass"
    # a place before a comma is not a person: "Ana Lee, Tokyo, said" has no title after the comma
    assert "Ana Lee" not in {m["text"] for m in _mentions("Ana Lee, Tokyo, said no.", res)}


@pytest.mark.parametrize(
    "text",
    ["Kazuto Suzuki of the University of Tokyo said it was risky.", "Ships entered the Sea of Japan on Monday."],
)
def test_a_place_inside_a_longer_name_is_no_mention(res: Resources, text) -> None:
    assert not [m for m in _mentions(text, res) if m["text"] in ("Tokyo", "Japan")]


def test_registry_people_in_the_other_name_order(res: Resources) -> None:
    text = "Headline here\nThe talks were led by Kato Katsunobu, the finance minister, who flew in on Monday.\n"
    rows = [r for r in _mentions(text, res) if r["text"] == "Kato Katsunobu"]
    assert [(r["actor_id"], r["form"]) for r in rows] == [("katsunobu-kato", "full_name")]


@pytest.mark.parametrize(("written", "actor_id"), [
    ("Scott Besent", "scott-bessent"),  # surname one edit off
    ("Jamison Greer", "jamieson-greer"),  # given name one edit off, surname exact
    ("Ryosei Akizawa", "ryosei-akazawa"),
])
def test_misspelt_registry_names_match_and_are_recorded(res: Resources, written: str, actor_id: str) -> None:
    text = f"Headline here\nOfficials met {written} on Tuesday in a hotel near the port.\n"
    rows = [r for r in _mentions(text, res) if r["text"] == written]
    assert [(r["actor_id"], r["in_registry"]) for r in rows] == [(actor_id, True)]
    assert rows[0]["fuzzy_match"] == {"scott-bessent": "Scott Bessent", "jamieson-greer": "Jamieson Greer",
                                      "ryosei-akazawa": "Ryosei Akazawa"}[actor_id]


@pytest.mark.parametrize("written", [
    "Scott Beck",  # surname too far off (and short)
    "Sarah Bessent",  # neither part exact enough: given name differs entirely
    "Scot Bessen",  # both parts misspelt
])
def test_names_too_far_from_the_registry_stay_new(res: Resources, written: str) -> None:
    text = f"Headline here\nEconomist {written} said the tariff would stay.\n"
    ids = {r["actor_id"] for r in _mentions(text, res)}
    assert not ids & {"scott-bessent"}


def test_a_prime_ministers_office_is_not_the_prime_minister(res: Resources) -> None:
    text = "Headline here\nAn official in the Prime Minister's Office briefed reporters on the plan.\n"
    assert not [r for r in _mentions(text, res) if r["actor_id"] == "shigeru-ishiba"]


def test_korean_ministers_of_the_tariff_talks_are_registered(res: Resources) -> None:
    text = "Headline here\nFinance Minister Choi Sangmok and Trade Minister Ahn Duk-geun met Bessent. Ahn said little.\n"
    ids = [(r["text"], r["actor_id"]) for r in _mentions(text, res)]
    assert ("Choi Sangmok", "choi-sang-mok") in ids
    assert ("Ahn", "ahn-duk-geun") in ids
