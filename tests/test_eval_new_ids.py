"""Scoring treats a person outside the registry alike in the tables (`new:<slug>`) and the gold (`<slug>`)."""

from linkage.evaluation.common import gold_actor_id
from linkage.evaluation.voices import speaker_correct


def test_new_person_id_matches_bare_gold_slug():
    assert gold_actor_id("new:mari-tanaka") == "mari-tanaka"
    assert gold_actor_id("donald-trump") == "donald-trump"
    assert gold_actor_id(None) == ""
    assert speaker_correct({"actor_id": "mari-tanaka"}, {"actor_id": "new:mari-tanaka"})
    assert not speaker_correct({"actor_id": "mari-tanaka"}, {"actor_id": "new:mari-tanak"})


def test_a_speaker_without_an_actor_id_is_scored_by_kind():
    anonymous = {"actor_id": "", "speaker_group": "japan_government", "attribution": "anonymous"}
    joint = {"actor_id": "", "speaker_group": "unknown", "attribution": "explicit"}
    # an unnamed source must be found as one, in the same group
    assert speaker_correct(anonymous, {"actor_id": "", "speaker_group": "japan_government", "attribution": "anonymous"})
    assert not speaker_correct(anonymous, {"actor_id": "", "speaker_group": "japan_government", "attribution": "explicit"})
    assert not speaker_correct(anonymous, {"actor_id": "", "speaker_group": "unknown", "attribution": "anonymous"})
    assert speaker_correct({"actor_id": "", "speaker_group": "expert"}, {"actor_id": "", "speaker_group": "expert", "attribution": "anonymous"})
    # speakers named together: no single actor, the same group, and a speaker found
    assert speaker_correct(joint, {"actor_id": "", "speaker_group": "unknown", "attribution": "explicit"})
    assert not speaker_correct(joint, {"actor_id": "scott-bessent", "speaker_group": "unknown", "attribution": "explicit"})
    assert not speaker_correct(joint, {"actor_id": "", "speaker_group": "", "attribution": ""})
