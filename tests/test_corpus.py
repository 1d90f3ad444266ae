"""Segmentation: block roles on the saved real articles, and sentence boundaries."""

from __future__ import annotations

import pytest

from linkage.extraction.corpus import make_document, segment_blocks, split_sentences


def _doc(raw_texts, article_id):
    return make_document(article_id, raw_texts[article_id])


def _role_of(doc, prefix):
    hits = [b.role for b in doc.blocks if b.text.startswith(prefix)]
    assert hits, prefix
    return hits


@pytest.mark.parametrize(
    ("article_id", "prefix", "role"),
    [
        ("yomiuri-2025-04-19", "Security Issues Separate", "headline"),
        ("yomiuri-2025-04-19", "Economic revitalization minister Ryosei Akazawa, left", "caption"),
        ("yomiuri-2025-04-19", "6:00 JST, April 19, 2025", "dateline"),
        ("yomiuri-2025-04-19", "“We cannot rule out", "body"),
        ("yomiuri-2025-04-19", '"Politics" POPULAR ARTICLE', "boilerplate"),
        ("yomiuri-2025-04-19", "Japan Eyes Plan to Accept Up To 1.23 Mil.", "boilerplate"),
        ("yomiuri-2025-04-19", "JN ACCESS RANKING", "boilerplate"),
        ("yomiuri-2025-04-19", "Japan Govt Adopts Measures", "boilerplate"),
        ("japantimes-2025-04-23", "Prime Minister Shigeru Ishiba wants", "body"),
        ("japantimes-2025-04-23", "Japan’s response", "subhead"),
        ("japantimes-2025-04-23", "Leverage for Trump?", "subhead"),
        ("japantimes-2025-04-23", "Newly manufactured Subaru cars", "caption"),
        ("japantimes-2025-04-23", "U.S. Marines simulate the rescue", "caption"),
        ("japantimes-2025-04-23", "U.S. President Donald J. Trump and then-Prime Minister", "caption"),
        ("realnewsnow-2025-04-16", "in , ,", "boilerplate"),
        ("realnewsnow-2025-04-16", "Trump To Discuss", "headline"),
        ("realnewsnow-2025-04-16", "President Trump shakes hands", "caption"),
        ("realnewsnow-2025-04-16", "Credit: Photo by JIM WATSON", "caption"),
        ("srmtoday-kyodo-2025-04-21", "Japan to separate security issues", "headline"),
        ("srmtoday-kyodo-2025-04-21", "[image: ]", "boilerplate"),
        ("srmtoday-kyodo-2025-04-21", "The Kyodo News Plus is reporting", "body"),
        ("yomiuri-editorial-2025-05-08", "14:07 JST, May 8, 2025", "dateline"),
        ("yomiuri-editorial-2025-05-08", "(From The Yomiuri Shimbun, May 8, 2025)", "source"),
        ("yomiuri-editorial-2025-05-08", "Europe’s Military Buildup", "boilerplate"),
    ],
)
def test_block_roles_on_real_articles(raw_texts, article_id, prefix, role):
    assert set(_role_of(_doc(raw_texts, article_id), prefix)) == {role}


def test_article_without_headline_starts_with_body(raw_texts):
    doc = _doc(raw_texts, "japantimes-2025-04-23")
    assert "headline" not in {b.role for b in doc.blocks}


def test_no_sentence_comes_from_boilerplate_or_captions(raw_texts):
    for aid in raw_texts:
        doc = _doc(raw_texts, aid)
        roles = {b.block_id: b.role for b in doc.blocks}
        assert {roles[s.block_id] for s in doc.sentences} <= {"headline", "subhead", "body"}
        joined = " ".join(s.text for s in doc.sentences)
        assert "POPULAR ARTICLE" not in joined and "REUTERS" not in joined and "[image" not in joined


def _split(text):
    return [text[s:e] for s, e in split_sentences(text, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U.S. President Donald Trump spoke. He left.", ["U.S. President Donald Trump spoke.", "He left."]),
        ("It makes money without having to protect the U.S. Then, during a meeting, he spoke.",
         ["It makes money without having to protect the U.S.", "Then, during a meeting, he spoke."]),
        ("They met on Jan. 31 in Okinawa. It rained.", ["They met on Jan. 31 in Okinawa.", "It rained."]),
        ("Shortly after 7 p.m. Japan time, he posted. Then he left.",
         ["Shortly after 7 p.m. Japan time, he posted.", "Then he left."]),
        ("Up to 1.23 Mil. Foreign Workers came. Good.", ["Up to 1.23 Mil. Foreign Workers came.", "Good."]),
        ("U.S. President Donald J. Trump met Gov. Ueda. They talked.",
         ["U.S. President Donald J. Trump met Gov. Ueda.", "They talked."]),
        ("“The bigger question is what is U.S. strategy?” the expert asked. “Is he retreating?”",
         ["“The bigger question is what is U.S. strategy?” the expert asked.", "“Is he retreating?”"]),
        ("He said it was “one-sided.” Then he left.", ["He said it was “one-sided.”", "Then he left."]),
        ("Ishiba said, \"We will work hard.\" He smiled.", ["Ishiba said, \"We will work hard.\"", "He smiled."]),
        ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
        ("The rate was 2.5 percent. Costs rose to ¥1.055 trillion.", ["The rate was 2.5 percent.", "Costs rose to ¥1.055 trillion."]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert _split(text) == expected


def test_sentences_stay_inside_their_block(raw_texts):
    for aid in raw_texts:
        doc = _doc(raw_texts, aid)
        for s in doc.sentences:
            block = doc.blocks[s.block_id]
            assert block.char_start <= s.char_start < s.char_end <= block.char_end


def test_segment_blocks_handles_empty_and_blank_text():
    assert segment_blocks("") == []
    assert segment_blocks("\n \n\t\n") == []


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("By Jane Doe", "byline"),
        ("By Jane Doe and John Roe, Staff Writers", "byline"),
        ("By Alice Grant in Tokyo", "byline"),
        ("By Alice Grant and Bo Li in New York", "byline"),
        ("By the way this is body", "subhead"),
        ("SEOUL, May 2, 2025 (Reuters) -", "dateline"),
        ("WASHINGTON (AP) —", "dateline"),
        ("TOKYO —", "dateline"),
        ("BREAKING NEWS TODAY", "subhead"),
        ("Photo: Kim Hong-Ji / Reuters", "caption"),
    ],
)
def test_wire_style_lines(line, role):
    text = f"A Headline About Talks\n{line}\nThe minister spoke on Friday. Talks went on.\nMore text follows here.\n"
    roles = [b.role for b in segment_blocks(text)]
    assert roles[0] == "headline"
    assert roles[1] == role
    assert roles[2] == "body"


@pytest.mark.parametrize("line", ["“We are close,” Sen. Maria Cantwell said. “Very close.”", "He said no.", "“Not now,” she said,"])
def test_short_quoted_or_punctuated_paragraph_is_body(line):
    text = f"A Headline About Talks\nThe minister spoke on Friday. Talks went on.\n{line}\nMore text follows here.\n"
    assert [b.role for b in segment_blocks(text)][2] == "body"


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("(Reporting by Jane Doe; Editing by John Roe)", "byline"),
        ("(Reporting by Jane Doe in Tokyo and John Roe in Washington; Additional reporting by Ann Lee; "
         "Writing by Sam Poe; Editing by Tom Moe and Kim Joe)", "byline"),
        ("(Writing by Sam Poe)", "byline"),
        ("(Reporting by the ministry was incomplete, officials said.) And more followed.", "body"),
    ],
)
def test_wire_closing_credits_are_no_body_text(line, role):
    text = f"A Headline About Talks\nThe minister spoke on Friday. Talks went on.\n{line}\n"
    assert [b.role for b in segment_blocks(text)][2] == role


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("Share this article", "boilerplate"),
        ("Sign up for our newsletter", "boilerplate"),
        ("Follow us on X for more.", "boilerplate"),
        ("Related: Trump says allies must pay more", "boilerplate"),
        ("© 2025 Reuters. All rights reserved.", "boilerplate"),
        ("Copyright 2025 The Associated Press. All rights reserved.", "boilerplate"),
        ("Subscribers to the plan said it was fair.", "body"),
        ("Copyright law was not discussed, he said.", "body"),
        ("Sharing the costs was fair, he said.", "body"),
    ],
)
def test_page_furniture_is_boilerplate(line, role):
    text = f"A Headline About Talks\nThe minister spoke on Friday. Talks went on.\n{line}\nMore text follows here.\n"
    assert [b.role for b in segment_blocks(text)][2] == role
