"""Scoring treats a person outside the registry alike in the tables (`new:<slug>`) and the gold (`<slug>`)."""

from linkage.evaluation.common import gold_actor_id
from linkage.evaluation.voices import speaker_correct


def test_new_person_id_matches_bare_gold_slug():
    assert gold_actor_id("new:mari-tanaka") == "mari-tanaka"
    assert gold_actor_id("donald-trump") == "donald-trump"
    assert gold_actor_id(None) == ""
    assert speaker_correct({"actor_id": "mari-tanaka"}, {"actor_id": "new:mari-tanaka"})
    assert not speaker_correct({"actor_id": "mari-tanaka"}, {"actor_id": "new:mari-tanak"})
