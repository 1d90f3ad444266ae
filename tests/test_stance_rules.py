"""Stance rules on sentences written for these tests (none from the seeds or the challenge set): negation scoped by
clause, non-denials, agenda lists, hedged demands side by side, and headlines attributed with a colon."""

from __future__ import annotations

import pytest

from linkage import framing
from linkage.corpus import make_document
from linkage.resources import Resources
from linkage.settings import Settings


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
