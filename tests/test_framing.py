"""Framing measures: offsets, negation and hedging, voice, outlet scores, agreement with the hand coding."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pandas as pd
import pytest

from linkage.extraction import framing
from linkage.extraction.corpus import make_document
from linkage.pipeline.resources import Resources
from linkage.pipeline.schema import TABLES
from linkage.pipeline.settings import Settings

SAMPLE = Path(__file__).parent / "data" / "framing_sample_article.txt"


@pytest.fixture(scope="module")
def res(root) -> Resources:
    """Resources of the real project (the committed lexicon)."""
    return Resources(Settings(root))


def label(res: Resources, text: str, quotes: list[dict] | None = None) -> list[dict]:
    """Framing rows of a one-off text (first line is a headline when it has no final full stop)."""
    doc = make_document("t", text, {})
    doc.tables["quotes"] = quotes or []
    return framing.extract(doc, res)["framing"]


def body(res: Resources, sentence: str) -> dict:
    """The framing row of one body sentence (a dummy first paragraph keeps it out of the headline slot)."""
    rows = label(res, "Officials met on Monday.\n" + sentence + "\n")
    return rows[-1]


# --- negation, hedging and conditions ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Defense spending is on the agenda of the tariff talks.", "linkage"),
        ("Defense spending was not on the agenda of the tariff talks.", "separation"),
        ("The president did not delve deeply into security issues during talks over tariffs.", "separation"),
        ("The minister said the troop remarks have nothing to do with the tariff negotiations.", "separation"),
        ("Tokyo wants to keep security separate from the trade negotiations.", "separation"),
        ("Tokyo is wary of defense costs becoming a bargaining chip in the trade talks.", "separation"),
        ("Washington used troop costs as a bargaining chip in the trade talks.", "linkage"),
        ("Instead of divorcing tariffs from security, the White House may link them.", "linkage"),
        ("We cannot rule out that he will bring up the issue of security again in the trade talks.", "linkage"),
        ("If they do not keep security and trade separate, both talks will suffer.", "separation"),
    ],
)
def test_negation_flips_or_weakens(res, sentence, stance):
    assert body(res, sentence)["stance"] == stance


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Ishiba said Japan would not accept any linkage between tariffs and defense spending.", "separation"),
        ("Washington wants Tokyo to pay more for U.S. troops as part of a broader trade deal.", "linkage"),
        ("Officials denied that troop costs were raised during the trade talks.", "separation"),
        ("Japan rejected any attempt to tie security to trade.", "separation"),
        ("The tariff talks did not touch on defense.", "separation"),
        ("The tariff talks also touched on defense spending.", "linkage"),
        ("Trump threatened to withdraw troops unless Japan opened its markets.", "linkage"),
        ("The two sides agreed to discuss defense cost-sharing separately from the tariff talks.", "separation"),
        ("Tokyo has insisted that host-nation support is a separate matter from the tariff dispute.", "separation"),
        ("Critics say mixing defense and trade is a dangerous precedent for the alliance.", "separation"),
        ('"We will not trade our security for tariff relief," the prime minister said.', "separation"),
        ("Washington appears ready to make defense a central part of the trade negotiations.", "linkage"),
        ("Japan's top trade negotiator said security was not discussed.", "separation"),
        ("Officials said defense spending was raised during the tariff talks.", "linkage"),
        ("In a separate statement, the trade ministry said exports rose.", ""),
        ("The defense ministry announced a new missile base in Okinawa.", ""),
    ],
)
def test_other_wordings(res, sentence, stance):
    assert body(res, sentence)["stance"] == stance


def test_hedged_cue_counts_half(res):
    doc = make_document("t", "Officials met.\nThe White House may try to link defense costs to the tariff talks.\n", {})
    cues = framing.extract(doc, res)["framing_cues"]
    link = [c for c in cues if c["measure"].startswith("stance") and c["value"] == "linkage"]
    assert link and all(c["hedged"] and c["weight"] < 1 for c in link)
    assert any(c["measure"] == "operator" and c["text"] == "may" for c in cues)


def test_context_cue_needs_both_issues(res):
    # "separate" and "leverage" alone, with no security matter in view, say nothing about linkage
    assert body(res, "In a separate development, the yen gave Tokyo leverage in the car talks.")["stance"] == ""
    assert body(res, "Rice prices rose in a separate market.")["stance"] == ""


# --- evaluation of the "Japan doesn't pay" claim -------------------------------------------------


def test_challenge_and_endorsement(res):
    assert body(res, "Trump falsely claimed that Japan does not pay anything for the U.S. troops it hosts.")["evaluation"] == "challenge"
    assert body(res, "Japan pays about ¥210 billion a year to host U.S. forces.")["evaluation"] == "challenge"
    assert body(res, "The president said allies must pay their fair share for U.S. military protection.")["evaluation"] == "endorsement"
    assert body(res, "The alliance cannot be called one-sided.")["evaluation"] == "challenge"
    assert body(res, "Car exports fell in March.")["evaluation"] == ""
    assert body(res, "Japan already covers about 75 percent of the cost of hosting American forces.")["evaluation"] == "challenge"
    assert body(res, "Japan is a free rider on American security, the senator argued.")["evaluation"] == "endorsement"
    assert body(res, "The alliance is not a one-way street, the minister said.")["evaluation"] == "challenge"
    assert body(res, "The Pentagon wants Japan to raise defense spending to 3.5% of GDP.")["evaluation"] == "endorsement"


# --- voice ---------------------------------------------------------------------------------------


def test_voice_from_quotes_table(res):
    text = "Officials met.\nTokyo will keep security separate from the tariff talks, the minister added.\n"
    start = text.index("Tokyo")
    end = text.index(", the minister")
    quote = {"article_id": "t", "char_start": start, "char_end": end, "text": text[start:end], "kind": "indirect",
             "speaker_group": "japan_government"}
    row = label(res, text, [quote])[-1]
    assert row["stance"] == "separation"
    assert row["voice"] == "actor"
    assert row["speaker_group"] == "japan_government"


def test_voice_of_narration(res):
    row = body(res, "The White House has tied tariff relief to a bigger Japanese share of troop costs.")
    assert row["stance"] == "linkage"
    assert row["voice"] == "outlet"


# --- a new article in different words ------------------------------------------------------------


def test_sample_article_gets_sensible_labels(res):
    text = SAMPLE.read_text(encoding="utf-8")
    doc = make_document("sample", text, {"headline": text.splitlines()[0]})
    rows = {r["text"][:30]: r for r in framing.extract(doc, res)["framing"]}

    def row(prefix: str) -> dict:
        return next(r for k, r in rows.items() if k.startswith(prefix))

    # expected labels are the author's reading of the sample article
    assert row("Tokyo Insists")["stance"] == "separation"
    assert row("Japan's chief trade envoy")["stance"] == "separation"
    assert row('"Alliance funding')["stance"] == "separation"
    assert row('"Alliance funding')["voice"] == "actor"
    assert row("Officials in the Defense")["stance"] == "separation"
    assert row("According to two people")["stance"] == "separation"
    assert row("The White House, however")["stance"] == "linkage"
    assert row("A senior U.S. official")["stance"] == "linkage"
    assert row("Some analysts warn")["stance"] == "linkage"
    assert row("The president repeated")["evaluation"] == "endorsement"
    assert row("That claim is false")["evaluation"] == "challenge"
    assert row("Rice farmers")["stance"] == "" and "security" not in row("Rice farmers")["topics"]
    assert row("The central bank")["topics"] == ""
    assert {"trade", "security", "linkage"} <= set(row("Japan's chief trade envoy")["topics"].split(";"))


def test_lexicon_is_data(project):
    """A term added to the lexicon file is used without touching code."""
    path = project / "data" / "lexicons" / "framing.csv"
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(["horse-trad\\w*", "stance_context", "linkage", "1", "test"])
    res = Resources(Settings(project))
    row = body(res, "Diplomats expect horse-trading over troop costs in the tariff talks.")
    assert "horse-trading" in row["stance_cues"]


# --- tables built from the corpus ----------------------------------------------------------------


def test_rows_point_into_the_raw_text(tables, raw_texts):
    for name in ("framing", "framing_cues"):
        frame = tables[name]
        assert len(frame), name
        assert list(frame.columns[: len(TABLES[name])]) == TABLES[name]
        for r in frame.itertuples():
            assert raw_texts[r.article_id][r.char_start:r.char_end] == r.text


def test_every_cue_names_the_lexicon_line_that_matched(root, tables):
    """lexicon_line points at the framing.csv row of the cue's measure whose pattern finds the cue words."""
    import re

    lines = (root / "data" / "lexicons" / "framing.csv").read_text(encoding="utf-8").splitlines()
    cues = tables["framing_cues"]
    traced = cues[cues["lexicon_line"].notna()]
    assert len(traced) >= 0.95 * len(cues)
    for r in traced.itertuples():
        pattern, measure = next(csv.reader([lines[int(r.lexicon_line) - 1]]))[:2]
        # an agenda verb's cue is a stance or context cue, by what its list of topics names
        assert measure == r.measure or r.measure == "operator" or (measure, r.measure[:6]) == ("agenda", "stance"), (
            r.lexicon_line, r.measure)
        if measure in ("topic", "frame"):
            assert re.search(pattern, r.text, re.IGNORECASE), (r.lexicon_line, r.text)


def test_one_framing_row_per_content_sentence(tables):
    sentences = tables["sentences"].groupby("article_id").size()
    rows = tables["framing"].groupby("article_id").size()
    assert rows.to_dict() == sentences.to_dict()


def test_outlet_framing_orders_outlets_sensibly(tables):
    of = tables["outlet_framing"].set_index("article_id")
    assert list(tables["outlet_framing"].columns) == TABLES["outlet_framing"]
    score = of["stance_score"]
    assert score.between(-1, 1).all()
    assert score.idxmax() == "realnewsnow-2025-04-16"
    assert score["yomiuri-2025-04-19"] < 0
    assert score["srmtoday-kyodo-2025-04-21"] < 0
    assert score["realnewsnow-2025-04-16"] > score["japantimes-2025-04-23"] > score["srmtoday-kyodo-2025-04-21"]
    ed = of.loc["yomiuri-editorial-2025-05-08"]
    assert ed["n_challenge"] > ed["n_endorsement"]
    assert of.loc["realnewsnow-2025-04-16", "n_endorsement"] > of.loc["realnewsnow-2025-04-16", "n_challenge"]


def test_stance_score_formula():
    assert framing.stance_score(0, 0) == 0
    assert framing.stance_score(3, 0) == 0.75
    assert framing.stance_score(0, 3) == -0.75
    assert framing.stance_score(2, 2) == 0


def test_agreement_with_hand_coding(root, tables):
    from linkage.evaluation import framing_eval

    scores = {s.metric: s for s in framing_eval.score(Settings(root), tables)}
    for topic in framing.TOPICS:
        assert scores[f"topic {topic} kappa"].value >= 0.8
    assert scores["stance kappa"].value >= 0.7


# --- unseen articles in other wordings: hand-coded before running the method ---------------------

NEW_ARTICLES = {
    # a U.S. op-ed endorsing the fair-share argument and the linkage
    "framing_oped_us.txt": (
        ["linkage", "", "", "", "linkage", "linkage", "separation", "linkage", "", "", "linkage", "linkage", ""],
        ["", "", "endorsement", "endorsement", "", "", "", "", "challenge", "endorsement", "endorsement", "endorsement", ""],
    ),
    # a news piece following the Japanese government line
    "framing_govline_jp.txt": (
        ["separation", "separation", "separation", "", "separation", "", "separation", "separation", "separation", "", ""],
        ["", "", "", "challenge", "", "challenge", "", "", "", "challenge", ""],
    ),
    # a neutral wire piece
    "framing_wire_neutral.txt": (
        ["", "", "", "linkage", "separation", "", "", "", "", ""],
        ["", "", "", "", "", "challenge", "endorsement", "", "", ""],
    ),
}


def _article_rows(res: Resources, name: str) -> tuple[list[dict], dict]:
    """Framing rows (all stages run before framing) and the outlet row of one test article."""
    from linkage.pipeline.build import ARTICLE_STAGES

    text = (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")
    doc = make_document(name, text, {})
    for _, stage in ARTICLE_STAGES:
        doc.tables.update(stage(doc, res))
    sentences = pd.DataFrame([{"article_id": name, "sentence_id": s.sentence_id, "block_id": s.block_id} for s in doc.sentences])
    blocks = pd.DataFrame([{"article_id": name, "block_id": b.block_id, "role": b.role} for b in doc.blocks])
    out = framing.corpus_tables({
        "articles": pd.DataFrame([{"article_id": name, "outlet": name, "kind": "news"}]),
        "framing": pd.DataFrame(doc.tables["framing"]), "sentences": sentences, "blocks": blocks,
    }, res)["outlet_framing"]
    return doc.tables["framing"], out.iloc[0].to_dict()


@pytest.mark.parametrize("name", sorted(NEW_ARTICLES))
def test_unseen_articles_agree_with_hand_coding(res, name):
    rows, _ = _article_rows(res, name)
    stances, evaluations = NEW_ARTICLES[name]
    assert len(rows) == len(stances)
    got_stance = [r["stance"] for r in rows]
    got_eval = [r["evaluation"] for r in rows]
    agree_stance = sum(a == b for a, b in zip(got_stance, stances, strict=True)) / len(rows)
    agree_eval = sum(a == b for a, b in zip(got_eval, evaluations, strict=True)) / len(rows)
    assert agree_stance >= 0.85, list(zip(got_stance, stances, strict=True))
    assert agree_eval >= 0.8, list(zip(got_eval, evaluations, strict=True))
    # the headline stance is always right: it weighs twice in the score
    assert got_stance[0] == stances[0]


def test_unseen_articles_are_ordered_by_stance(res):
    scores = {name: _article_rows(res, name)[1]["stance_score"] for name in NEW_ARTICLES}
    assert scores["framing_govline_jp.txt"] < scores["framing_wire_neutral.txt"] < scores["framing_oped_us.txt"]
    assert scores["framing_govline_jp.txt"] < -0.5 < 0.5 < scores["framing_oped_us.txt"]
    assert -0.5 <= scores["framing_wire_neutral.txt"] <= 0.5


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ('"Security is security and trade is trade," the minister told reporters.', "separation"),
        ("Tariff negotiations are tariff negotiations, and the alliance is the alliance.", "separation"),
        ("The minister discussed security and trade with his counterpart.", ""),
        ("Defense cost-sharing should not be mixed with tariff negotiations.", "separation"),
        ("Officials insist that alliance funding is a separate matter from the tariff talks.", "separation"),
        ('"We are not going to trade away our security arrangements for a lower car tariff," he said.', "separation"),
        ('Critics of the tariff talks warned: "If you put troops on the bargaining table, you tell Beijing the alliance has a price tag."', "separation"),
        ("Aides signaled that the bill for American bases could come up in the tariff talks.", "linkage"),
        ("Washington wants the tariff dispute and troop costs settled in one package deal.", "linkage"),
        ("The White House is trying to bundle defense payments with the trade negotiations.", "linkage"),
        ("Seoul rejected a push to tie troop costs to the trade deal.", "separation"),
        ("Washington offered tariff relief in exchange for higher payments for U.S. forces.", "linkage"),
        ('"We will not pay for protection with our car exports," he said of the tariff talks.', "separation"),
        ("Trade is trade, the minister said.", ""),
    ],
)
def test_probe_wordings(res, sentence, stance):
    assert body(res, sentence)["stance"] == stance


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("The defense budget has a price tag of ¥8 trillion, the trade ministry noted.", ""),
        ("Negotiators hope to come up with a compromise on auto tariffs and defense.", ""),
        ("Japan's security and trade policies are run by different ministries.", ""),
        ("The alliance is not for sale, the minister told reporters.", "separation"),
        ("Japan will not accept a package deal that covers tariffs and troop costs.", "separation"),
        ("Some in Washington want a grand bargain covering tariffs and troops.", "linkage"),
        ("Washington sought higher host-nation payments as part of the trade deal.", "linkage"),
    ],
)
def test_wordings_without_false_alarms(res, sentence, stance):
    assert body(res, sentence)["stance"] == stance


# --- the lexicon scan ----------------------------------------------------------------------------


def _lowered(text: str) -> str:
    """The text lower-cased as `framing.extract` does (offsets kept)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _scanned(lex: framing.Lexicon, low: str, start: int = 0, end: int | None = None) -> set[tuple[str, int, int, int]]:
    end = len(low) if end is None else end
    return {(family, cue.entry.index, cue.start, cue.end) for family, cue in lex.scan(low, start, end)}


def _cue_texts(tables) -> list[tuple[int, str, str]]:
    """(lexicon line, cue text, its sentence from the cue on) of the first cue of each line in the built corpus."""
    sentences = {(r.article_id, r.sentence_id): r for r in tables["framing"].itertuples()}
    out: dict[int, tuple[int, str, str]] = {}
    for r in tables["framing_cues"].dropna(subset=["lexicon_line"]).itertuples():
        sent = sentences[(r.article_id, r.sentence_id)]
        out.setdefault(int(r.lexicon_line), (int(r.lexicon_line), r.text, sent.text[r.char_start - sent.char_start:]))
    return list(out.values())


def test_scan_finds_what_trying_every_regex_at_every_anchor_finds(res, tables):
    """The scan's shortcuts (required words, cached word filters) drop no cue, wherever the cue sits and in any case."""
    lex = framing._lexicon(res)
    cues = _cue_texts(tables)
    assert len(cues) >= 30
    texts = [s.text for s in tables["sentences"].itertuples()]
    for _line, cue, rest in cues:
        texts += [cue, rest, rest[: len(cue)], "é" + rest, "Aé" + cue + "é", rest.upper(), rest.title(), "İ " + rest, "x" * 400 + " " + rest]
    for text in texts:
        low = _lowered(text)
        assert _scanned(lex, low) == _every_branch(lex, low), text
    # parts of texts: the scan may start or end anywhere (inside a word, right after a non-word character)
    rnd = random.Random(7)
    pieces = ["a", "é", "_", " ", "-", "’", "¥", "2", ".", "\n", "“", *(cue for _, cue, _ in cues)]
    for _ in range(3000):
        low = _lowered("".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))))
        start = rnd.randint(0, len(low))
        end = rnd.randint(start, len(low))
        assert _scanned(lex, low, start, end) == _every_branch(lex, low, start, end), (low, start, end)


def test_each_lexicon_cue_is_found_at_the_edges_of_a_text_and_in_any_case(res, tables):
    """A cue alone, at the very start or end, in upper or mixed case is found; a letter (even é) right before it blocks it."""
    lex = framing._lexicon(res)
    lines = {e.line: e for e in lex.entries}
    checked = 0
    for line, cue, _rest in _cue_texts(tables):
        entry = lines[line]
        if entry.measure not in ("topic", "frame"):
            continue  # other cues may need words around them
        checked += 1
        for text, at in ((cue, 0), ("On Monday, " + cue, 11), (cue.upper(), 0), (cue.swapcase() + " today.", 0), ("“" + cue.title(), 1)):
            found = {(c.entry.line, c.start, c.end) for _, c in lex.scan(_lowered(text), 0, len(text))}
            assert (line, at, at + len(cue)) in found, (line, text)
        blocked = "café" + cue if cue[0].isalnum() else None
        if blocked is not None:
            found = {(c.entry.line, c.start) for _, c in lex.scan(_lowered(blocked), 0, len(blocked))}
            assert (line, 4) not in found, (line, blocked)
            assert re.compile(r"(?<!\w)(?:" + entry.pattern + ")", re.IGNORECASE).match(blocked, 4) is None  # as in `re`
    assert checked >= 15


def _every_branch(lex: framing.Lexicon, low: str, start: int = 0, end: int | None = None) -> set[tuple[str, int, int, int]]:
    """What the lexicon says the scan must find, with no shortcut at all: every branch tried at every word start
    in low[start:end] where its leading literal occurs (plus the residual pattern, which the scan runs as it is)."""
    end = len(low) if end is None else end
    found = set()
    branches = [(lit, regex, entry) for lit, items in lex._by_literal.items() for regex, entry, _whole in items]
    branches += [(lit, regex, entry) for lit, items in lex._single.items() for regex, entry in items]
    starts = [p for p in range(start, end) if p == 0 or not re.match(r"\w", low[p - 1])]
    for lit, regex, entry in branches:
        for p in starts:
            if low.startswith(lit, p):
                hit = regex.match(low, p, end)
                if hit is not None:
                    span = hit.span("cue") if "cue" in regex.groupindex and hit.group("cue") is not None else hit.span()
                    found.add((framing.FAMILY[entry.measure], entry.index, *span))
    if lex._residual is not None:
        for m in lex._residual.finditer(low, start, end):
            entry = lex._residual_entries[m.lastgroup]
            found.add((framing.FAMILY[entry.measure], entry.index, m.start(), m.end()))
    return found


def test_scan_finds_every_cue_the_lexicon_patterns_match(res, tables):
    """No shortcut of the scan (whole-word literals, required words, word caches) loses a cue its pattern matches."""
    lex = framing._lexicon(res)
    texts = [s.text for s in tables["sentences"].itertuples()]
    texts += [
        "Tokyo doesn’t pay anything for the bases, he said.",  # "does" + \s* + "n’t": no space after the literal
        "We don't pay anything and they didn't pay anything either.",
        "Japan does not pay anything, he claimed.",
    ]
    for text in texts:
        low = _lowered(text)
        assert _scanned(lex, low) == _every_branch(lex, low), text
