"""Stance rules on sentences written for these tests (none from the seeds or the challenge set): negation scoped by
clause, non-denials, agenda lists, hedged demands side by side, and headlines attributed with a colon."""

from __future__ import annotations

import pytest

from linkage.extraction import framing
from linkage.extraction.corpus import make_document
from linkage.pipeline.resources import Resources
from linkage.pipeline.settings import Settings


@pytest.fixture(scope="module")
def res(root) -> Resources:
    """Resources of the real project (the committed lexicons)."""
    return Resources(Settings(root))


def rows(res: Resources, text: str) -> list[dict]:
    doc = make_document("t", text, {})
    doc.tables["quotes"] = []
    return framing.extract(doc, res)["framing"]


def body(res: Resources, sentence: str) -> dict:
    """The framing row of one body sentence (a dummy first paragraph keeps it out of the headline slot)."""
    return rows(res, "Officials met on Monday.\n" + sentence + "\n")[-1]


def cues(res: Resources, sentence: str) -> list[dict]:
    doc = make_document("t", "Officials met on Monday.\n" + sentence + "\n", {})
    doc.tables["quotes"] = []
    return [c for c in framing.extract(doc, res)["framing_cues"] if c["sentence_id"] == 1]


# --- negation scope: the clause, however long --------------------------------------------------


def test_negation_far_back_in_the_same_clause_still_flips(res):
    sentence = ("Senior officials in Tokyo do not expect that the long-awaited list of American demands to be handed over "
                "next week will tie troop costs to the tariff talks.")
    neg = sentence.index("not")
    cue = sentence.index("tie troop")
    assert cue - neg > 60  # beyond the old character window
    assert body(res, sentence)["stance"] == "separation"


def test_negation_in_another_clause_does_not_flip(res):
    sentence = ("The yen was not mentioned, but aides said the bill for stationing American soldiers could come up "
                "in the trade negotiations.")
    assert body(res, sentence)["stance"] == "linkage"


def test_negation_before_a_relative_clause_stays_out_of_it(res):
    sentence = ("Tokyo has not yet answered the memo, which asks for the troop budget to be tied to the tariff deal.")
    assert body(res, sentence)["stance"] == "linkage"


# --- non-denials: 'would not say whether' withholds an answer ----------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The envoy would not say whether troop costs were discussed in the tariff negotiations.",
        "The spokesman refused to confirm that the cost of the bases came up in the trade talks.",
        "Asked about the tariff talks, the minister declined to comment on whether defense spending was raised.",
    ],
)
def test_non_denial_keeps_the_cue_hedged(res, sentence):
    row = body(res, sentence)
    assert row["stance"] == "linkage"
    stance_cues = [c for c in cues(res, sentence) if c["measure"].startswith("stance")]
    assert stance_cues and all(c["hedged"] and not c["negated"] for c in stance_cues)


def test_a_real_denial_still_flips(res):
    assert body(res, "The envoy said troop costs were not discussed in the tariff negotiations.")["stance"] == "separation"
    assert body(res, "The envoy did not discuss troop costs at the tariff negotiations.")["stance"] == "separation"


# --- agenda lists: a discuss / negotiate verb whose topics include the cost of the troops -------


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        # the cost of the security side and a trade matter in one list of topics: linkage
        ("Seoul's envoy flies to Washington to negotiate steel quotas, rice imports and the bill for American bases.", "linkage"),
        ("The ministers will take up auto tariffs as well as how much Tokyo spends on hosting the Marines.", "linkage"),
        ("Next week's talks on car levies and the price of keeping U.S. soldiers in Korea open in Seoul.", "linkage"),
        # several words between the verb and its object: the list is read up to the end of the clause
        ("In the tariff round, the delegation is also expected to address at some length the thorny question of "
         "what Tokyo pays toward stationing American troops.", "linkage"),
        # denied: separation, even when the security matter only sits beside a trade matter
        ("The two delegations held no discussions on export controls or defense.", "separation"),
        ("Negotiators did not talk about semiconductors, the yen or the alliance during the tariff round.", "separation"),
        # two topics merely side by side, not denied: no cue
        ("The foreign ministers discussed regional security and trade with their Australian counterpart.", ""),
        # a list without a security matter: no cue
        ("Officials will negotiate rice quotas, auto levies and currency policy.", ""),
        # the cost-sharing talks on their own, with no trade matter named: no cue
        ("Both governments will begin to address host-nation support before the current deal expires.", ""),
        # how the topics are kept: 'separately' ends the list, and the separation cue wins
        ("The allies will discuss troop costs separately from the tariff negotiations.", "separation"),
    ],
)
def test_agenda_lists(res, sentence, stance):
    assert body(res, sentence)["stance"] == stance


def test_agenda_cue_is_the_verb_and_names_its_lexicon_line(res):
    sentence = "Seoul's envoy flies to Washington to negotiate steel quotas, rice imports and the bill for American bases."
    agenda = [c for c in cues(res, sentence) if c["measure"] == "stance"]
    assert [c["text"] for c in agenda] == ["negotiate"]
    assert agenda[0]["lexicon_line"] is not None and agenda[0]["value"] == "linkage"


def test_quoted_topics_do_not_make_the_narrated_agenda_a_quoted_voice(res):
    row = rows(res, "Envoy to Negotiate ‘The Cost Of Our Troops Overseas’ At Tariff Round With Seoul\n")[0]
    assert row["stance"] == "linkage"
    assert row["voice"] == "outlet"


# --- negative judgements flip a cue in their clause, before or after it ------------------------


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The finance minister thinks it unwise to tie the alliance budget to the tariff round.", "separation"),
        ("Bundling troop costs with the auto levy talks is unacceptable, the minister said.", "separation"),
        ("Raising the bill for American bases during the tariff talks was not appropriate, the envoy argued.", "separation"),
        ("Trade and security are run by different ministries, so it would be a mistake to mix them.", "separation"),
        # the judgement sits in another clause: no flip
        ("Aides said troop costs would come up in the tariff talks, which critics call unacceptable.", "linkage"),
    ],
)
def test_negative_judgements(res, sentence, stance):
    assert body(res, sentence)["stance"] == stance


# --- more wordings of linkage and separation ---------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Washington may ask Seoul for bigger payments toward its troops as concessions for lower steel levies.", "linkage"),
        ("Reporters pressed the envoy about the defense questions raised by the commerce secretary during the auto tariff round.",
         "linkage"),
        ("Ahead of the tariff round, the vice minister said defense equipment purchases fall within the scope of the talks.", "linkage"),
        ("Ahead of the tariff round, the vice minister said defense equipment purchases fall outside the scope of the talks.", "separation"),
        ("For the White House, the tariff file and the troop bill are one and the same.", "linkage"),
        ("Before the tariff round, the commerce secretary complained about rice import rules and the cost of the Marines.",
         "linkage"),
    ],
)
def test_more_wordings(res, sentence, stance):
    assert body(res, sentence)["stance"] == stance


def test_security_raised_at_the_meeting_when_the_talks_are_about_trade(res):
    text = ("Officials met on Monday.\nThe two trade envoys sat down for their second round of tariff talks.\n"
            "At the meeting, the commerce secretary again attacked the mutual defense pact.\n"
            "The bill for the bases also came up at the meeting, an aide said.\n"
            "The alliance was not mentioned at the meeting, the ministry said.\n")
    stances = [r["stance"] for r in rows(res, text)]
    assert stances[2:] == ["linkage", "linkage", "separation"]


def test_a_meeting_with_no_trade_matter_in_view_is_no_cue(res):
    text = ("Officials met on Monday.\nThe defense chiefs held a two-hour session in Canberra.\n"
            "At the meeting, they reviewed the alliance's missile plans.\n")
    assert rows(res, text)[-1]["stance"] == ""


def test_a_judgement_inside_a_long_cue_flips_it(res):
    sentence = "Tokyo officials consider it unwise to bundle together troop costs and the tariff round."
    assert body(res, sentence)["stance"] == "separation"


def test_subject_of_the_talks_with_any_determiner(res):
    text = ("Officials met on Monday.\nThe tariff round resumes in Seoul next week.\n"
            "An aide said the upkeep of the Marines would be among the topics of those bilateral negotiations.\n"
            "Another said the garrison bill was one of the subjects of any future talks.\n")
    assert [r["stance"] for r in rows(res, text)][2:] == ["linkage", "linkage"]


def test_also_adds_a_cost_to_the_talks_in_view(res):
    text = ("Officials met on Monday.\nSeoul's trade minister flies to Washington for the tariff round on Tuesday.\n"
            "He will also take up how much Seoul spends on housing American soldiers.\n")
    assert rows(res, text)[-1]["stance"] == "linkage"
    # without 'also' and without a trade matter in the sentence, the cost-sharing talks may be meant: no cue
    text2 = text.replace("He will also take up", "He will take up")
    assert rows(res, text2)[-1]["stance"] == ""


# --- hedged demands side by side ---------------------------------------------------------------


def test_demands_side_by_side_are_linkage_hedged_when_the_demand_is(res):
    sentence = "Seoul sought relief from the car tariffs, while the White House seemed to want a bigger troop payment."
    row = body(res, sentence)
    assert row["stance"] == "linkage"
    stance_cues = [c for c in cues(res, sentence) if c["measure"] == "stance"]
    assert stance_cues and all(c["hedged"] for c in stance_cues)
    plain = "Seoul sought relief from the car tariffs, while the White House wanted a bigger troop payment."
    assert body(res, plain)["stance"] == "linkage"
    assert not any(c["hedged"] for c in cues(res, plain) if c["measure"] == "stance")
    # one side's demands alone are no cue
    assert body(res, "Seoul sought relief from the car tariffs and wanted quicker customs checks.")["stance"] == ""


# --- headlines attributed with a colon are reported voices -------------------------------------


def headline(res: Resources, title: str) -> dict:
    return rows(res, title + "\nOfficials met on Monday.\n")[0]


@pytest.mark.parametrize(
    "title",
    [
        "Troop Costs Must Stay Out of the Tariff Round: Seoul Envoy",
        "Australian media: Canberra will keep defense costs out of the trade talks",
        "Tariff talks should not touch on troop costs: Korean officials",
    ],
)
def test_headline_attributed_with_a_colon_is_an_actor_voice(res, title):
    row = headline(res, title)
    assert row["stance"] == "separation"
    assert row["voice"] == "actor"


@pytest.mark.parametrize(
    "title",
    [
        "Analysis: Washington puts troop costs on the table in the tariff round",
        "Tariffs and troops: the White House's bargaining chips in the tariff round with Seoul",
        "Washington puts troop costs on the table in the tariff round",
    ],
)
def test_headline_without_a_speaker_stays_narration(res, title):
    row = headline(res, title)
    assert row["stance"] == "linkage"
    assert row["voice"] == "outlet"


def test_headline_colon_speaker_from_an_actor_mention(res):
    title = "Defense costs are no bargaining chip in the tariff round: Hanada"
    doc = make_document("t", title + "\nOfficials met on Monday.\n", {})
    at = title.index("Hanada")
    doc.tables["quotes"] = []
    doc.tables["mentions"] = [{"char_start": at, "char_end": at + 6, "group": "japan_government"}]
    row = framing.extract(doc, res)["framing"][0]
    assert (row["stance"], row["voice"], row["speaker_group"]) == ("separation", "actor", "japan_government")


# --- wordings found missing on real coverage (each test sentence written here) -----------------


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("At the steel tariff round, the commerce chief also mentioned base payments.", "linkage"),
        ("Officials in the tariff round want a deal that would combine steel, chips and defense matters.", "linkage"),
        ("The White House wants one stop shopping on tariffs and troops.", "linkage"),
        ("Seoul's spending on the U.S. troops may play a big role in a broader trade deal.", "linkage"),
        ("Washington widened the auto talks beyond tariffs to take in the upkeep of its troops.", "linkage"),
        ("The talks between the two trade chiefs over autos and alliance ties resume today.", "linkage"),
        ("Host-nation support may emerge as a central sticking point for Seoul and Washington in the tariff negotiations.",
         "linkage"),
        ("The new demand erodes the separation of trade from security.", "linkage"),
        ("Seoul says troop costs and car levies are unrelated.", "separation"),
        ("Defense issues were absent from the tariff accord.", "separation"),
        ("Washington will take up tariffs and troop costs one at a time.", "separation"),
        ("Defense-related issues were not discussed at the tariff talks.", "separation"),
    ],
)
def test_wordings_from_real_coverage_kinds(res, sentence, stance):
    assert body(res, sentence)["stance"] == stance


def test_a_linkage_cue_in_a_clause_about_a_trade_matter_only_is_no_cue(res):
    text = ("Officials met on Monday.\nThe defense chiefs spoke a day after the tariff round.\n"
            "The exchange rate did not come up, the finance ministry said.\n")
    assert rows(res, text)[-1]["stance"] == ""
    # the same cue about a security matter still counts
    text2 = text.replace("The exchange rate did not come up", "The troop bill did not come up")
    assert rows(res, text2)[-1]["stance"] == "separation"
