"""The challenge set's own invariants, and the challenge harness on a tiny fixture set built here."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from linkage.evaluation.challenge import GOLD_TABLES, evaluate_challenge, make_project
from linkage.evaluation.common import load_gold
from linkage.pipeline.manifest import load_articles, read_manifest
from linkage.pipeline.settings import Settings

REPO = Settings.discover(Path(__file__).resolve().parents[1])
CHALLENGE = REPO.root / "tests" / "challenge"


def test_challenge_manifest_rows_have_checksums_and_dated_evidence(tmp_path):
    settings = make_project(CHALLENGE, REPO, tmp_path / "p")
    rows = read_manifest(settings)
    assert len(rows) >= 20
    for row in rows:
        data = (CHALLENGE / "raw" / row["source_file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["article_id"]
        assert data.endswith(b"\n") and b"\r" not in data, row["article_id"]
        assert row["published"][10:11] == "T" and row["published"][-6] in "+-", row["article_id"]
        assert row["published_evidence"].strip() and row["url"].startswith("http"), row["article_id"]
    assert len(load_articles(settings)) == len(rows)  # the package's own validation accepts them


@pytest.mark.parametrize("table", GOLD_TABLES)
def test_every_gold_text_occurs_in_its_raw_file(tmp_path, table):
    settings = make_project(CHALLENGE, REPO, tmp_path / "p")
    if not (settings.gold / f"{table}.csv").is_file():
        pytest.skip(f"no {table} gold")
    rows = load_gold(settings, table)  # raises naming file and line when a text is not found
    assert rows
    raw = {r["article_id"]: (settings.raw / r["source_file"]).read_text(encoding="utf-8") for r in read_manifest(settings)}
    for r in rows:
        assert raw[r["article_id"]][r["char_start"]:r["char_end"]] == r["text"]


def _fixture(root: Path, stance_gold: str) -> Path:
    src = root / "challenge"
    (src / "raw").mkdir(parents=True)
    (src / "gold").mkdir()
    texts = {
        "alpha-2025-04-21": "Minister rejects link between troops and tariffs\n\n"
        "Prime Minister Shigeru Ishiba said on Monday that security and trade must be kept separate.\n\n"
        "“We will not mix the two issues,” Ishiba told reporters.\n",
        "beta-2025-04-22": "Talks resume\n\nThe talks will resume next week, officials said.\n",
    }
    rows = []
    for aid, text in texts.items():
        (src / "raw" / f"{aid}.txt").write_text(text, encoding="utf-8")
        rows.append([aid, f"{aid}.txt", hashlib.sha256(text.encode()).hexdigest(), "Fixture Daily", "JP", "news",
                     text.split("\n")[0], f"{aid[-10:]}T09:00+09:00", "minute", "stated", "fixture", "https://example.org", "en", ""])
    with open(src / "articles.x.csv", "w", newline="", encoding="utf-8") as h:
        w = csv.writer(h, lineterminator="\n")
        w.writerow(["article_id", "source_file", "sha256", "outlet", "outlet_country", "kind", "headline", "published",
                    "published_precision", "published_basis", "published_evidence", "url", "language", "notes"])
        w.writerows(rows)
    (src / "gold" / "quotes.x.csv").write_text(
        "article_id,text,kind,speaker,actor_id,speaker_group,attribution,after,occurrence\n"
        "alpha-2025-04-21,\"We will not mix the two issues,\",direct,Ishiba,shigeru-ishiba,japan_government,explicit,,\n",
        encoding="utf-8")
    (src / "gold" / "dates.x.csv").write_text(
        "article_id,text,occurrence,after,date_start,date_end,granularity,block\n"
        "alpha-2025-04-21,on Monday,,,2025-04-21,2025-04-21,day,\n"
        "beta-2025-04-22,next week,,,2025-04-28,2025-05-04,week,\n", encoding="utf-8")
    (src / "gold" / "framing.x.csv").write_text(
        "article_id,sentence_id,text,occurrence,topics,frames,stance,evaluation,voice\n" + stance_gold, encoding="utf-8")
    return src


_STANCE = ("alpha-2025-04-21,,Prime Minister Shigeru Ishiba said on Monday that security and trade must be kept separate.,,,,{},,\n"
           "beta-2025-04-22,,\"The talks will resume next week, officials said.\",,,,,,\n")


def _by_metric(scores):
    return {(s.table, s.metric): s for s in scores}


def test_harness_scores_a_fixture_challenge_set(tmp_path):
    scores = _by_metric(evaluate_challenge(REPO.root, _fixture(tmp_path / "a", _STANCE.format("separation"))))
    assert scores[("quotes", "direct+partial recall")].value == 1.0
    assert scores[("quotes", "direct+partial recall")].target == 0.97  # challenge target, not the seeds' one
    assert scores[("dates", "recall with exact range")].support == 2
    assert scores[("stance", "kappa")].support == 2
    assert "hand→package" in scores[("stance", "kappa")].note


def test_stance_scores_follow_the_hand_coding(tmp_path):
    right = _by_metric(evaluate_challenge(REPO.root, _fixture(tmp_path / "a", _STANCE.format("separation"))))
    wrong = _by_metric(evaluate_challenge(REPO.root, _fixture(tmp_path / "b", _STANCE.format("linkage"))))
    assert right[("stance", "agreement")].value > wrong[("stance", "agreement")].value
    # the package codes the first sentence the same both times, so the bias moves with the hand coding
    assert wrong[("stance", "mean article bias (package − hand)")].value < right[("stance", "mean article bias (package − hand)")].value


def test_fixture_manifest_with_other_columns_is_refused(tmp_path):
    src = _fixture(tmp_path / "a", _STANCE.format("separation"))
    (src / "articles.y.csv").write_text("article_id,source_file\n", encoding="utf-8")
    from linkage.errors import InputError

    with pytest.raises(InputError, match="header differs"):
        make_project(src, REPO, tmp_path / "p")
