"""Quotes and speaker attribution."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkage.evaluation import voices
from linkage.extraction import actors, quotes
from linkage.extraction.corpus import make_document
from linkage.extraction.quotes import find_quote_spans
from linkage.pipeline.resources import Resources
from linkage.pipeline.settings import Settings


@pytest.fixture(scope="module")
def res(root: Path) -> Resources:
    return Resources(Settings(root))


def _quotes(text: str, res: Resources) -> list[dict]:
    doc = make_document("t", text, {})
    doc.tables.update(actors.extract(doc, res))
    return quotes.extract(doc, res)["quotes"]


def _spans(text: str, role: str = "body") -> list[str]:
    return [text[s:e] for s, e, _ in find_quote_spans(text, 0, len(text), role)]


def test_quote_marks() -> None:
    assert _spans("“One,” he said. “Two.”") == ["One,", "Two."]
    assert _spans('"Straight," she said.') == ["Straight,"]
    assert _spans("Trump To Discuss ‘Cost Of Support’ With Japan", "headline") == ["Cost Of Support"]
    assert _spans("“If Trump wants a ‘win’ here, fine,” he said.") == ["If Trump wants a ‘win’ here, fine,"]
    assert _spans("Japan’s allies’ costs don’t rise") == []
    assert _spans("“This quotation runs on to the end of the paragraph") == ["This quotation runs on to the end of the paragraph"]


def test_quote_rows_point_into_the_raw_text(tables, raw_texts) -> None:
    q = tables["quotes"]
    assert len(q)
    for row in q.itertuples():
        raw = raw_texts[row.article_id]
        assert raw[row.char_start:row.char_end] == row.text
        assert row.kind in {"direct", "partial", "term", "indirect"}
        if row.kind != "indirect":
            assert raw[row.char_start - 1] in "“\"‘'", row.text  # offsets exclude the marks


def test_gold_targets_met(root: Path, tables) -> None:
    scores = voices.score(Settings(root), tables)
    missed = [s for s in scores if s.met is False]
    assert not missed, missed


@pytest.fixture(scope="module")
def article(root: Path, res: Resources) -> dict[str, dict]:
    text = (root / "tests" / "data" / "voices_article.txt").read_text(encoding="utf-8")
    return {r["text"]: r for r in _quotes(text, res) if r["kind"] != "indirect"}


def test_attribution_after_and_continued(article) -> None:
    first = article["We will keep the two files on separate desks. Mixing them helps nobody,"]
    assert (first["kind"], first["actor_id"], first["attribution"]) == ("direct", "ahn-duk-geun", "explicit")
    second = article["Our exporters need certainty, not threats."]
    assert (second["actor_id"], second["attribution"]) == ("ahn-duk-geun", "continued")


def test_partial_with_parenthetical_subject(article) -> None:
    q = article["a fairer split"]
    assert (q["kind"], q["actor_id"]) == ("partial", "new:philip-goldberg")


def test_anonymous_sources_and_groups(article) -> None:
    q = article["shakedown,"]
    assert (q["kind"], q["attribution"], q["speaker_group"]) == ("partial", "anonymous", "other")
    q = article["The numbers are not the issue,"]
    assert q["attribution"] == "anonymous" and q["speaker"] == "a senior South Korean trade official"
    assert q["speaker_group"] == "other_government"
    assert article["Trust is."]["attribution"] == "continued"


def test_inverted_attribution_with_appositive_and_nested_quote(article) -> None:
    q = article["I don’t think anyone in the room believed the ‘final offer’ was final,"]
    assert (q["kind"], q["actor_id"]) == ("direct", "new:victor-cha")
    assert "final offer" not in article  # nested single quotes stay inside the outer quotation
    assert article["Both sides left space to walk back."]["actor_id"] == "new:victor-cha"


def test_quote_inside_another_persons_claim(article) -> None:
    assert article["strategic patience"]["actor_id"] == "new:mireya-solis"
    q = article["double within a year"]
    assert (q["kind"], q["actor_id"]) == ("partial", "new:philip-goldberg")


def test_term_without_speaker(res: Resources) -> None:
    text = "Headline here\nThe region would be treated as a single “theater,” a term for an area of operations.\n"
    (q,) = _quotes(text, res)
    assert (q["kind"], q["speaker"], q["actor_id"]) == ("term", "", "")


def test_pronoun_skips_the_quotation_and_finds_the_subject(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Foreign Minister Takeshi Iwaya, meanwhile, spoke after Trump left.\n"
        "“We will talk next year about it, as planned,” he told a news conference.\n"
    )
    (q,) = [r for r in _quotes(text, res) if r["kind"] == "direct"]
    assert (q["actor_id"], q["attribution"], q["cue"]) == ("takeshi-iwaya", "pronoun", "told")


def test_indirect_speech(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Ishiba has repeatedly said that the two issues must be dealt with separately, following the talks.\n"
        "The deal will slip, according to two people familiar with the matter.\n"
    )
    rows = [r for r in _quotes(text, res) if r["kind"] == "indirect"]
    assert rows[0]["text"] == "the two issues must be dealt with separately"
    assert rows[0]["actor_id"] == "shigeru-ishiba"
    assert rows[1]["text"] == "The deal will slip" and rows[1]["attribution"] == "anonymous"


def _article_quotes(root: Path, res: Resources, name: str) -> dict[str, dict]:
    text = (root / "tests" / "data" / name).read_text(encoding="utf-8")
    return {r["text"]: r for r in _quotes(text, res) if r["kind"] != "indirect"}


def test_colons_single_quotes_and_open_paragraphs(root: Path, res: Resources) -> None:
    q = _article_quotes(root, res, "voices_article_2.txt")
    # "Japan PM: …" names the registry's prime minister; a voice no actor holds keeps its words and country
    assert q["No Link"]["actor_id"] == "shigeru-ishiba" and q["No Link"]["speaker_group"] == "japan_government"
    media = {r["text"]: r for r in _quotes('Japanese Media: "No Link" Between Tariffs and Troops\nBody.\n', res)}
    assert media["No Link"]["speaker"] == "Japanese Media" and media["No Link"]["speaker_group"] == "japan_government"
    assert q["We will not back down,"]["attribution"] == "anonymous"  # British single quotes
    assert q["This is about trade, not troops."]["actor_id"] == "katsunobu-kato"  # "put it bluntly: “…”"
    assert q["Why now?"]["actor_id"] == "scott-bessent"
    assert q["The clock is running. Japan knows that."]["actor_id"] == "scott-bessent"
    opened = q["The first paragraph of a long statement runs on here without a closing mark."]
    assert opened["speaker"] == "the ministry" and opened["attribution"] == "continued"
    assert q["a fair deal for all,"]["speaker"] == "one diplomat"
    assert q["Rice is all we have,"]["actor_id"] == "new:tanaka"


def test_wire_story_attribution(root: Path, res: Resources) -> None:
    q = _article_quotes(root, res, "voices_article_3.txt")
    assert q["we're in the final stretch,"]["actor_id"] == "howard-lutnick"
    assert q["Nothing is agreed until everything is agreed,"]["actor_id"] == "ryosei-akazawa"
    assert q["trading away leverage for headlines."]["actor_id"] == "new:maria-cantwell"
    assert q["And the bill will come due for farmers."]["actor_id"] == "new:maria-cantwell"
    assert q["very soon."]["actor_id"] == "new:karoline-leavitt"
    assert q["pay big"]["actor_id"] == "donald-trump"
    assert q["I'll believe it when I see the text,"]["actor_id"] == "new:wendy-cutler"


def test_parentheticals_abbreviations_and_nested_straight_quotes(root: Path, res: Resources) -> None:
    q = _article_quotes(root, res, "voices_article_4.txt")
    assert q["The alliance will survive this,"]["actor_id"] == "new:kurt-campbell"  # "Campbell, now at …, said"
    assert q["We have no comment,"]["speaker"] == "the official"
    assert q["It is premature,"]["actor_id"] == "new:taro-yamada"  # "the ministry’s spokesman, Taro Yamada, told"
    assert q["Very close."]["kind"] == "direct" and q["Very close."]["actor_id"] == "new:maria-cantwell"
    assert q["Talks continue,"]["actor_id"] == "jamieson-greer"  # "U.S. Trade Representative … said"
    assert q['He said "no" to me, twice,']["actor_id"] == "howard-lutnick"  # straight quotes nested in curly
    assert q["We will see."]["actor_id"] == "shigeru-ishiba"


def test_other_smith_is_not_the_registry_smith(res: Resources) -> None:
    text = (
        "Headline here\nThe economist Adam Smith wrote about trade in 1776, argued Jane Doe, a historian.\n"
        "“Tariffs hurt,” Smith said in his book.\n"
    )
    (q,) = [r for r in _quotes(text, res) if r["kind"] == "direct"]
    assert q["actor_id"] == "new:adam-smith"


def test_wire_byline_and_reporting_credits(root: Path, res: Resources) -> None:
    text = (root / "tests" / "data" / "voices_article_5.txt").read_text(encoding="utf-8")
    doc = make_document("t", text, {})
    doc.tables.update(actors.extract(doc, res))
    ids = {m["actor_id"] for m in doc.tables["mentions"]}
    assert not {"new:yoshifumi-takemoto", "new:kantaro-komiya", "new:kim-coghill"} & ids
    q = {r["text"]: r for r in quotes.extract(doc, res)["quotes"] if r["kind"] != "indirect"}
    assert q["no deal"]["actor_id"] == "ryosei-akazawa"  # headline: "Akazawa says 'no deal'"
    assert q["productive"]["speaker"] == "U.S. officials" and q["productive"]["speaker_group"] == "us_government"
    assert q["I think we'll have something substantive soon,"]["actor_id"] == "scott-bessent"
    assert q["The two sides are still far apart on autos,"]["actor_id"] == "new:koichi-nakano"
    assert q["not sacrifice"]["actor_id"] == "shigeru-ishiba"


def test_pronoun_gender_from_the_registry(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Sheila Smith met Gen Nakatani on Friday. “The alliance is strong,” she said.\n"
        "Smith left early, and Nakatani stayed behind. “We will see,” he said.\n"
    )
    got = [r["actor_id"] for r in _quotes(text, res) if r["kind"] == "direct"]
    assert got == ["sheila-smith", "gen-nakatani"]


def test_definite_titles_and_more_cue_verbs(root: Path, res: Resources) -> None:
    q = _article_quotes(root, res, "voices_article_6.txt")
    assert q["unfair."]["actor_id"] == "donald-trump"  # "He calls it “unfair.”"
    assert q["unacceptable."]["kind"] == "partial" and q["unacceptable."]["attribution"] == "anonymous"
    assert q["We are calm,"]["actor_id"] == "gen-nakatani"  # "the minister said" → the last minister named
    assert q["No comment,"]["actor_id"] == "new:karoline-leavitt"  # "the press secretary said"


def _by_text(rows: list[dict], kind: str) -> dict[str, dict]:
    return {r["text"]: r for r in rows if r["kind"] == kind}


def test_reported_clause_without_that(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Jane Roe, a trade scholar at the Institute for Economic Studies, said Washington was likely to keep pressing.\n"
        "Trump has said South Korea should pay $10 billion a year, calling the country rich.\n"
        "Mark Doe said talks would resume on Friday.\n"
    )
    rows = _by_text(_quotes(text, res), "indirect")
    assert rows["Washington was likely to keep pressing"]["actor_id"] == "new:jane-roe"  # not the Washington in the clause
    assert rows["South Korea should pay $10 billion a year"]["actor_id"] == "donald-trump"
    assert rows["talks would resume on Friday"]["actor_id"] == "new:mark-doe"
    assert not any(t.startswith("Jane Roe") for t in rows)  # "X, APPOSITIVE, said CLAUSE" is not "CLAUSE, said X"


def test_anonymous_sources_in_reported_speech(res: Resources) -> None:
    text = (
        "Headline here\n"
        "A senior official at the Ministry of Trade, Industry and Energy, speaking on condition of anonymity, said talks would resume next week.\n"
        "According to two people familiar with the plans, the White House wants Japan to pay more.\n"
        "A Japanese diplomat, who asked not to be named because the talks are private, said Tokyo expected a hard bargain.\n"
        "Negotiators met on Monday, as aides to President Trump signaled that the bill for American bases could come up.\n"
    )
    rows = _by_text(_quotes(text, res), "indirect")
    official = rows["talks would resume next week"]
    assert (official["attribution"], official["actor_id"], official["speaker_group"]) == ("anonymous", "", "other_government")
    people = rows["the White House wants Japan to pay more"]
    assert (people["attribution"], people["speaker_group"]) == ("anonymous", "unknown")
    diplomat = rows["Tokyo expected a hard bargain"]
    assert (diplomat["attribution"], diplomat["speaker_group"]) == ("anonymous", "japan_government")
    aides = rows["the bill for American bases could come up"]
    assert (aides["attribution"], aides["actor_id"], aides["speaker_group"]) == ("anonymous", "", "us_government")
    assert aides["speaker"] == "aides to President Trump"


def test_whose_words_a_claim_noun_names(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Foreign Minister Takeshi Iwaya said on Friday that the issues were separate, rejecting a suggestion by "
        "U.S. Treasury Secretary Scott Bessent that the two could be settled in a \"one-stop shopping\" package.\n"
    )
    q = _by_text(_quotes(text, res), "partial")["one-stop shopping"]
    assert q["actor_id"] == "scott-bessent"


def test_pronoun_after_a_time_phrase(res: Resources) -> None:
    text = (
        "Headline here\n"
        "The president has repeatedly complained about Japan. "
        "On Wednesday he wrote on social media that allies \"must pay up or protect themselves,\" without naming Japan.\n"
    )
    q = _by_text(_quotes(text, res), "partial")["must pay up or protect themselves,"]
    assert (q["actor_id"], q["attribution"], q["cue"]) == ("donald-trump", "pronoun", "wrote")


def test_us_daily_straight_quotes_and_running_paragraphs(root: Path, res: Resources) -> None:
    text = (root / "tests" / "data" / "voices_article_7.txt").read_text(encoding="utf-8")
    rows = _quotes(text, res)
    q = _by_text(rows, "direct")
    assert q["Every option is on the table,"]["actor_id"] == "pete-hegseth"
    hegseth = "The president expects our allies to carry more of the load, and we are going to make sure they do."
    assert q[hegseth]["actor_id"] == "pete-hegseth"
    assert q["You do not put a price on an alliance,"]["actor_id"] == "new:joe-wilson"
    # a quotation left open at the paragraph end and resumed in the next paragraph
    assert q["Our partners in Tokyo and Seoul host our forces because it serves our interests too."]["actor_id"] == "new:joe-wilson"
    resumed = "If we start sending invoices, we should not be surprised when they start asking what they get in return."
    assert q[resumed]["actor_id"] == "new:joe-wilson"
    assert q["The leverage is real, but it is not free,"]["actor_id"] == "new:mira-rapp-hooper"  # present-tense "says X"
    partial = _by_text(rows, "partial")["already pays its fair share"]
    assert partial["actor_id"] == "new:shigeo-yamada"  # "Japan's ambassador …, Shigeo Yamada, told"
    ind = _by_text(rows, "indirect")
    assert ind["the approach is a mistake"]["actor_id"] == "new:joe-wilson"
    assert ind["Washington has few good options"]["speaker_group"] == "expert"
    wire = [t for t in ind if t.startswith("The Pentagon is reviewing")]
    assert len(wire) == 1 and ind[wire[0]]["attribution"] == "anonymous"  # dateline kept out of the clause


def test_japanese_daily_unnamed_officials(root: Path, res: Resources) -> None:
    text = (root / "tests" / "data" / "voices_article_8.txt").read_text(encoding="utf-8")
    rows = _quotes(text, res)
    direct = _by_text(rows, "direct")
    q = direct["If the two issues are bundled, Japan will be forced into a corner,"]
    assert (q["attribution"], q["speaker_group"]) == ("anonymous", "japan_government")
    q = direct["We cannot keep giving in,"]
    assert (q["attribution"], q["speaker_group"]) == ("anonymous", "legislator")
    partial = _by_text(rows, "partial")
    assert partial["must be discussed on their own merits."]["actor_id"] == "shigeru-ishiba"
    assert partial["step up"]["actor_id"] == "george-glass"  # "said in a speech in Tokyo on May 7 that"
    ind = _by_text(rows, "indirect")
    src = ind["the government would not accept any linkage"]
    assert (src["attribution"], src["speaker_group"]) == ("anonymous", "japan_government")  # "close to the prime minister"
    assert ind["it wants a larger contribution"]["actor_id"] == "us-government"  # "Washington, for its part, has signaled"
    assert ind["Japan should \"step up\" its defense spending"]["actor_id"] == "george-glass"
    mod = ind["the Self-Defense Forces and U.S. forces will hold a joint exercise next month"]
    assert (mod["attribution"], mod["speaker_group"]) == ("anonymous", "japan_government")
    first = [r for r in ind.values() if r["text"].startswith("The government intends")]
    assert len(first) == 1 and first[0]["attribution"] == "anonymous"


def test_press_briefing_replies(root: Path, res: Resources) -> None:
    text = (root / "tests" / "data" / "voices_article_9.txt").read_text(encoding="utf-8")
    rows = _quotes(text, res)
    direct = _by_text(rows, "direct")
    assert (direct["Everything is connected,"]["actor_id"], direct["Everything is connected,"]["cue"]) == ("scott-bessent", "replied")
    assert direct["But we are not sending anyone a bill today."]["actor_id"] == "scott-bessent"
    q = direct["I'm not going to negotiate from this podium,"]
    assert (q["actor_id"], q["attribution"], q["cue"]) == ("scott-bessent", "pronoun", "answered")  # the reporter is no person
    assert direct["We'll get there,"]["actor_id"] == "scott-bessent"
    partial = _by_text(rows, "partial")
    assert partial["great respect"]["actor_id"] == "scott-bessent"
    assert partial["very optimistic"]["actor_id"] == "new:karoline-leavitt"
    ind = _by_text(rows, "indirect")
    assert ind['the president was "very optimistic" about a deal']["actor_id"] == "new:karoline-leavitt"


def test_split_inverted_and_unnamed_attributions(res: Resources) -> None:
    text = (
        "Headline here\n"
        "“We’re not there yet,” said Yoji Muto, Japan’s economy minister.\n"
        "“It’s a negotiation,” according to one Japanese official.\n"
        "“This is,” Greer said, “a historic day for American workers.”\n"
        "A senior administration official told reporters on condition of anonymity that Japan “has to move first.”\n"
    )
    rows = _quotes(text, res)
    direct = _by_text(rows, "direct")
    assert direct["We’re not there yet,"]["actor_id"] == "yoji-muto"
    q = direct["It’s a negotiation,"]
    assert (q["attribution"], q["speaker_group"]) == ("anonymous", "japan_government")
    assert direct["a historic day for American workers."]["actor_id"] == "jamieson-greer"
    partial = _by_text(rows, "partial")["has to move first."]
    assert (partial["attribution"], partial["speaker_group"]) == ("anonymous", "us_government")
    # a reported clause ending in a quotation keeps the quotation whole
    assert "Japan “has to move first.”" in _by_text(rows, "indirect")


def test_whole_sentence_right_after_a_speech_verb_is_direct(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Speaking to reporters on Friday, Prime Minister Shigeru Ishiba said “We will protect our farmers.”\n"
        "The ministry called the plan “A Bad Idea” in a statement.\n"
    )
    rows = {r["text"]: r for r in _quotes(text, res) if r["kind"] != "indirect"}
    q = rows["We will protect our farmers."]
    assert (q["kind"], q["actor_id"]) == ("direct", "shigeru-ishiba")
    assert rows["A Bad Idea"]["kind"] != "direct"  # a capitalised term is not a sentence


def test_cue_with_place_time_or_listener_before_the_comma(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Ishiba emphasized at a House of Councillors plenary session on Monday, “We must secure a deal that protects jobs.”\n"
        "A senior Liberal Democratic Party lawmaker told The Yomiuri Shimbun, “We cannot accept linkage.”\n"
        "‘We are watching closely,’ a Chinese Foreign Ministry spokesman said.\n"
    )
    rows = _by_text(_quotes(text, res), "direct")
    assert rows["We must secure a deal that protects jobs."]["actor_id"] == "shigeru-ishiba"
    q = rows["We cannot accept linkage."]
    assert (q["attribution"], q["speaker_group"]) == ("anonymous", "legislator")
    q = rows["We are watching closely,"]  # another country's Foreign Ministry, not Japan's
    assert (q["attribution"], q["speaker_group"]) == ("anonymous", "other_government")


@pytest.mark.parametrize(
    ("later", "speaker"),
    [
        # attributed in place to someone the registry does not know: no one, rather than the last speaker
        ("“It would be a grave mistake,” wrote the Asahi Shimbun in an editorial.", ""),
        ("“It would be a grave mistake,” the newspaper said.", ""),
        # a pronoun or no attribution at all: the last speaker goes on
        ("“It would be a grave mistake,” he said.", "Howard Lutnick"),
        ("“It would be a grave mistake.”", "Howard Lutnick"),
    ],
)
def test_a_quote_attributed_in_place_is_not_continued_from_the_last_speaker(res, later, speaker):
    text = f"Headline about the talks\n“We want a fair deal,” Howard Lutnick said on Friday.\nEconomists disagree.\n{later}\n"
    rows = [r for r in _quotes(text, res) if r["kind"] == "direct"]
    assert [r["speaker"] for r in rows] == ["Howard Lutnick", speaker]


@pytest.mark.parametrize(
    "sentence",
    [
        "Kazuto Suzuki of the University of Tokyo told reporters the plan was risky.",
        "“It is risky,” said Kazuto Suzuki of the University of Tokyo.",
        "Mireya Solis of the Brookings Institution said the linkage was dangerous.",
    ],
)
def test_the_speaker_is_the_person_not_the_affiliation(res, sentence):
    rows = [r for r in _quotes(f"Headline about the talks\n{sentence}\n", res) if r["kind"] in ("direct", "indirect")]
    assert len(rows) == 1
    assert rows[0]["speaker"] in ("Kazuto Suzuki", "Mireya Solis") and rows[0]["actor_id"].startswith("new:")


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Richard Haass, president emeritus of the Council on Foreign Relations, said the plan would backfire.",
         "Richard Haass"),
        ("Sam Ode, chief economist at Nomura Securities, said growth would slow.", "Sam Ode"),
        ("In Tokyo, officials at the ministry said the plan would backfire.", "officials at the ministry"),
    ],
)
def test_subject_before_an_appositive_that_opens_with_a_title(res, sentence, speaker):
    rows = [r for r in _quotes(f"Headline about the talks\n{sentence}\n", res) if r["kind"] == "indirect"]
    assert [r["speaker"] for r in rows] == [speaker]


def test_partial_quote_in_a_clause_the_sentence_ends_by_attributing(res: Resources) -> None:
    text = (
        "Headline here\n"
        "The new plan offers “real relief” to farmers across the country, Hayashi said on Tuesday.\n"
        "Exports will stay “robust” this year, Trump said Friday as officials prepared for another round of talks.\n"
    )
    rows = _quotes(text, res)
    partial = _by_text(rows, "partial")
    assert partial["real relief"]["actor_id"] == "yoshimasa-hayashi"
    assert partial["robust"]["actor_id"] == "donald-trump"
    indirect = _by_text(rows, "indirect")
    assert indirect["The new plan offers “real relief” to farmers across the country"]["actor_id"] == "yoshimasa-hayashi"
    assert indirect["Exports will stay “robust” this year"]["actor_id"] == "donald-trump"


def test_a_quotation_before_a_final_attribution_is_no_reported_clause(res: Resources) -> None:
    rows = _quotes("Headline here\n“We will hold firm on every point,” Hayashi said on Tuesday.\n", res)
    assert [r["kind"] for r in rows] == ["direct"]


def test_label_verbs_attribute_the_label_but_report_no_clause(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Ishiba has characterized that demand as “unacceptable” for an ally.\n"
        "Trump criticized the pact as “unfair” on Monday.\n"
    )
    rows = _quotes(text, res)
    partial = _by_text(rows, "partial")
    assert partial["unacceptable"]["actor_id"] == "shigeru-ishiba"
    assert partial["unfair"]["actor_id"] == "donald-trump"
    assert not [r for r in rows if r["kind"] == "indirect"]


def test_a_quoted_format_name_is_a_term_even_in_an_attributed_sentence(res: Resources) -> None:
    text = (
        "Headline here\n"
        "The two allies will open a new “3+3” dialogue in June, Hayashi said on Tuesday.\n"
        "Seoul wants relief from the “secondary” levies, Trump said Friday.\n"
        "Trump “welcomes” talks with Japan, Ishiba said.\n"
        "Korea eyes gains in “1+1” trade talks, the minister says.\n"
        "They agreed to keep up “candid” dialogue, Kato said.\n"
    )
    rows = _quotes(text, res)
    kinds = {r["text"]: r["kind"] for r in rows if r["kind"] != "indirect"}
    assert kinds == {"3+3": "term", "secondary": "term", "welcomes": "partial", "1+1": "term", "candid": "partial"}


def test_hailed_words_and_both_sides_as_speakers(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Ishiba warned of hard talks after Trump hailed “a great start” in the first round.\n"
        "Both sides agreed to hold “regular and candid exchanges” on trade.\n"
    )
    partial = _by_text(_quotes(text, res), "partial")
    assert partial["a great start"]["actor_id"] == "donald-trump"
    assert (partial["regular and candid exchanges"]["attribution"], partial["regular and candid exchanges"]["speaker_group"]) == ("anonymous", "unknown")


def test_unnamed_sources_take_the_country_named_or_described_earlier(res: Resources) -> None:
    text = (
        "Headline here\n"
        "Prices will rise next year, a French government source said.\n"
        "A senior aide in the Chancellor's Office briefed reporters on Monday.\n"
        "The senior official said the pact would be renewed.\n"
        "Several Japanese government officials told reporters that the pact came up.\n"
        "Tokyo wants to keep the two issues apart, the sources said.\n"
    )
    rows = _by_text(_quotes(text, res), "indirect")
    assert rows["Prices will rise next year"]["speaker_group"] == "other_government"
    assert rows["Tokyo wants to keep the two issues apart"]["speaker_group"] == "japan_government"
    assert rows["Tokyo wants to keep the two issues apart"]["attribution"] == "anonymous"


@pytest.mark.parametrize(("sentence", "clause"), [
    ("Defense Minister Gen Nakatani said Friday border checks at the port are “routine work” for now.",
     "border checks at the port are “routine work” for now"),
    ("Defense Minister Gen Nakatani also said at a press conference he has no plans to travel this month.",
     "he has no plans to travel this month"),
    ("Finance Minister Katsunobu Kato said if the rally goes on, they could act on the yen.",
     "if the rally goes on, they could act on the yen"),
    ("Trade Minister Yoji Muto rejected the levy, saying the measures weren't fair.", "the measures weren't fair"),
])
def test_reported_clause_after_when_and_where_without_that(res: Resources, sentence: str, clause: str) -> None:
    rows = [r for r in _quotes("Headline here\n" + sentence + "\n", res) if r["kind"] == "indirect"]
    assert [r["text"] for r in rows] == [clause]


@pytest.mark.parametrize("sentence", [
    "Finance Minister Katsunobu Kato told reporters on Monday that rates were stable.",  # the "that" reader's
    "Finance Minister Katsunobu Kato said over the weekend that rates were stable.",
])
def test_no_loose_clause_where_another_reader_or_nothing_applies(res: Resources, sentence: str) -> None:
    rows = [r for r in _quotes("Headline here\n" + sentence + "\n", res) if r["kind"] == "indirect"]
    assert all(r["text"] == "rates were stable" for r in rows)


def test_no_clause_from_a_participle_outside_the_speech_verbs(res: Resources) -> None:
    text = "Headline here\nKato echoed the view, cautioning against a pact the farmers would oppose.\n"
    assert not [r for r in _quotes(text, res) if r["kind"] == "indirect"]


@pytest.mark.parametrize(("sentence", "speaker", "actor_id", "group"), [
    ("Growth will slow to 1%, the Korea Development Institute said on Monday.",
     "Korea Development Institute", "new:korea-development-institute", "expert"),
    ("“We see risks,” the Peterson Institute for International Economics said.",
     "Peterson Institute for International Economics", "new:peterson-institute-for-international-economics", "expert"),
    ("The Bank of Korea warned that prices would rise.", "Bank of Korea", "new:bank-of-korea", "other"),
])
def test_an_organisation_outside_the_registry_speaks(res, sentence, speaker, actor_id, group) -> None:
    row = next(r for r in _quotes("Headline here\n" + sentence + "\n", res) if r["speaker"])
    assert (row["speaker"], row["actor_id"], row["speaker_group"], row["attribution"]) == (speaker, actor_id, group, "explicit")


def test_a_capitalised_phrase_without_an_organisation_noun_is_no_organisation(res: Resources) -> None:
    from linkage.extraction.actors import registry
    from linkage.extraction.speakers import Context
    from linkage.extraction.speech import cues

    ctx = Context(make_document("t", "Headline here\nNothing.\n", {}), registry(res), cues(res), [])
    assert ctx.organisation("Blue Sky Partners", "said") is None
    assert ctx.organisation("the Brookings Institution", "said").actor_id == "new:brookings-institution"


def test_since_and_already_between_subject_and_cue(res: Resources) -> None:
    text = "Headline here\nTrade Minister Yoji Muto objected at first. He has since signalled little, but he has already noted that the quota would stay.\n"
    rows = _by_text(_quotes(text, res), "indirect")
    assert rows["the quota would stay"]["actor_id"] == "yoji-muto"


@pytest.mark.parametrize(("sentence", "clause"), [
    ("Japan's chief negotiator said on Friday that the talks had gone well.", "the talks had gone well"),
    ("A week later, Japan’s top tariff negotiator said that progress was slow.", "progress was slow"),
    ("Tokyo's envoy to the trade talks flew to Washington, saying he was hopeful of progress.", "he was hopeful of progress"),
])
def test_a_role_named_by_its_country_is_the_registry_person_holding_it(res: Resources, sentence: str, clause: str) -> None:
    rows = _by_text(_quotes("Headline here\n" + sentence + "\n", res), "indirect")
    assert rows[clause]["actor_id"] == "ryosei-akazawa"
    assert rows[clause]["attribution"] == "explicit"


def test_a_role_no_registry_person_holds_names_nobody(res: Resources) -> None:
    from linkage.extraction.actors import registry
    from linkage.extraction.speakers import Context
    from linkage.extraction.speech import cues

    ctx = Context(make_document("t", "Headline here\nNothing.\n", {}), registry(res), cues(res), [])
    assert ctx.role_holder("Japan PM") == "shigeru-ishiba"
    assert ctx.role_holder("Japan's chief negotiator") == "ryosei-akazawa"
    assert ctx.role_holder("Brazil's chief negotiator") == ""  # no such person in the registry
    assert ctx.role_holder("Japan's ambassador") == ""  # Japan's registry people hold other roles
    assert ctx.role_holder("Japan Times") == ""  # a name, not a role



def test_a_dotted_abbreviation_does_not_end_a_clause_after_said(res: Resources) -> None:
    text = "Headline here\nYoji Muto said talks with his close ally and U.S. President Donald Trump were going well.\n"
    rows = _by_text(_quotes(text, res), "indirect")
    assert rows["talks with his close ally and U.S. President Donald Trump were going well"]["actor_id"] == "yoji-muto"


@pytest.mark.parametrize(("sentence", "clause"), [
    ('Trade Minister Yoji Muto also said that "fair trade" is the goal of every partner.',
     '"fair trade" is the goal of every partner'),
    ("Trade Minister Yoji Muto warned that “the coming weeks will be hard for exporters.”",
     "“the coming weeks will be hard for exporters.”"),
])
def test_a_reported_clause_may_open_with_a_quotation(res: Resources, sentence: str, clause: str) -> None:
    rows = [r for r in _quotes("Headline here\n" + sentence + "\n", res) if r["kind"] == "indirect"]
    assert [r["actor_id"] for r in rows] == ["yoji-muto"]
    assert rows[0]["text"].rstrip(".”,") == clause.rstrip(".”,")


@pytest.mark.parametrize("sentence", [
    "Trade Minister Yoji Muto voiced his hope that “we can settle this by June.”",  # first person: his own words
    "Trade Minister Yoji Muto’s assertion that “farmers lose nothing” is plainly false.",  # a claim noun's quoted content
])
def test_a_quotation_that_is_the_whole_clause_in_the_speakers_voice_is_no_reported_clause(res: Resources, sentence: str) -> None:
    rows = _quotes("Headline here\n" + sentence + "\n", res)
    assert not [r for r in rows if r["kind"] == "indirect"]
    assert [r["kind"] for r in rows] == ["partial"]


def test_speech_reported_after_a_quotation_that_opens_the_sentence(res: Resources) -> None:
    text = (
        "Headline here\nTrade Minister Yoji Muto told reporters, “Our line is firm. We will not give in” on rice, "
        "noting that farmers would face “grave harm” from the cuts.\n"
    )
    rows = _quotes(text, res)
    clause = _by_text(rows, "indirect")["farmers would face “grave harm” from the cuts"]
    assert clause["actor_id"] == "yoji-muto"
    assert _by_text(rows, "partial")["grave harm"]["actor_id"] == "yoji-muto"


def test_the_attribution_after_a_quotation_is_no_reported_clause(res: Resources) -> None:
    text = "Headline here\nYoji Muto spoke. “We are ready. The talks go on,” he said, according to a report by Kyodo News.\n"
    assert not [r for r in _quotes(text, res) if r["kind"] == "indirect"]


def test_a_participle_after_a_comma_takes_the_clause_subject_not_a_person_named_later(res: Resources) -> None:
    text = "Headline here\nYoji Muto replied on Monday to Trump’s complaint, saying: “Our market is open.”\n"
    row = _by_text(_quotes(text, res), "direct")["Our market is open."]
    assert row["actor_id"] == "yoji-muto"


def test_a_pronoun_skips_a_person_named_only_as_an_object_in_an_earlier_paragraph(res: Resources) -> None:
    text = (
        "Headline here\nPrime Minister Shigeru Ishiba said on Monday he had spoken to the president.\n"
        "The call came a week after a court removed President Yoon Suk Yeol from office.\n"
        "“It was a good call,” he wrote.\n"
    )
    assert _by_text(_quotes(text, res), "direct")["It was a good call,"]["actor_id"] == "shigeru-ishiba"


def test_a_pronoun_takes_a_person_named_as_an_object_in_its_own_paragraph(res: Resources) -> None:
    text = (
        "Headline here\nFinance Minister Katsunobu Kato spoke on Monday.\n"
        "Nothing came up in Yoji Muto's meeting. Currency was not discussed, he said.\n"
    )
    assert _by_text(_quotes(text, res), "indirect")["Currency was not discussed"]["actor_id"] == "yoji-muto"


def test_a_quotation_ending_on_an_exclamation_mark_takes_the_cue_the_splitter_cut_off(res: Resources) -> None:
    text = "Headline here\nThe delegation arrived. “What a great day for both nations!” Yoji Muto wrote in a post on Monday.\n"
    row = _by_text(_quotes(text, res), "direct")["What a great day for both nations!"]
    assert (row["actor_id"], row["attribution"]) == ("yoji-muto", "explicit")


def test_a_sentence_of_its_own_after_an_exclamation_does_not_attribute_it(res: Resources) -> None:
    text = "Headline here\nThe delegation arrived. “What a day!” Yoji Muto said the talks had gone well.\n"
    row = _by_text(_quotes(text, res), "direct")["What a day!"]
    assert row["attribution"] != "explicit"


def test_a_clause_closed_by_a_quotation_before_a_final_cue(res: Resources) -> None:
    text = 'Headline here\nThe next round of talks will "go on through the summer," Yoji Muto said.\n'
    rows = _by_text(_quotes(text, res), "indirect")
    assert rows['The next round of talks will "go on through the summer,"']["actor_id"] == "yoji-muto"


def test_a_clause_without_that_may_open_with_a_quoted_phrase(res: Resources) -> None:
    text = 'Headline here\nYoji Muto said "fair trade" and the "cost of defense" were both on the agenda.\n'
    rows = _by_text(_quotes(text, res), "indirect")
    assert rows['"fair trade" and the "cost of defense" were both on the agenda']["actor_id"] == "yoji-muto"


def test_a_quotation_that_is_all_of_a_participles_clause_is_no_reported_clause(res: Resources) -> None:
    text = "Headline here\nLater Yoji Muto changed course, saying “rice is not on the table” and dropping the demand.\n"
    assert not [r for r in _quotes(text, res) if r["kind"] == "indirect"]


def test_a_final_cue_followed_by_a_participle_with_its_own_cue(res: Resources) -> None:
    text = (
        'Headline here\nSuch a deal would be "a matter for later," Trade Minister Yoji Muto said at a briefing, '
        "stressing that the two issues are separate.\n"
    )
    rows = _by_text(_quotes(text, res), "indirect")
    assert rows['Such a deal would be "a matter for later,"']["actor_id"] == "yoji-muto"
    assert rows["the two issues are separate"]["actor_id"] == "yoji-muto"


def test_a_sentence_adverb_before_a_pronoun_and_cue_is_no_clause(res: Resources) -> None:
    text = "Headline here\nYoji Muto met them. Still, he hinted at a deal later, signaling his hopes.\n"
    assert not [r for r in _quotes(text, res) if r["kind"] == "indirect"]


def test_a_headline_giving_its_speaker_after_a_colon(res: Resources) -> None:
    rows = _by_text(_quotes("Farm tariffs are not up for talks: Japan PM\nBody text here.\n", res), "indirect")
    assert rows["Farm tariffs are not up for talks"]["actor_id"] == "shigeru-ishiba"
    assert not [r for r in _quotes("Tariff talks resume: what comes next\nBody text here.\n", res) if r["kind"] == "indirect"]


def test_they_after_two_actors_joined_by_and_is_both_of_them(res: Resources) -> None:
    text = (
        "Headline here\nFinance Minister Katsunobu Kato and Treasury Secretary Scott Bessent met in May, "
        "where they agreed on a “frank” exchange on currencies.\n"
    )
    row = _by_text(_quotes(text, res), "partial")["frank"]
    assert (row["speaker"], row["actor_id"], row["speaker_group"], row["attribution"]) == (
        "Katsunobu Kato and Treasury Secretary Scott Bessent", "", "unknown", "explicit")
