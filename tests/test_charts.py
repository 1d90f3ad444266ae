"""Charts: drawn from hand-made tables with known contents, robust to empty tables, byte-identical rebuilds."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

from pathlib import Path  # noqa: E402

import matplotlib.colors as mcolors  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from linkage.pipeline.schema import TABLES  # noqa: E402
from linkage.presentation import charts, style  # noqa: E402

ARTICLES = [
    # article_id, outlet, kind, published
    ("a-news", "Daily Alpha (Alpha Group)", "news", "2025-04-10T06:00+09:00"),
    ("b-analysis", "Beta Times", "analysis", "2025-04-12T00:00+09:00"),
    ("a-editorial", "Daily Alpha (Alpha Group)", "editorial", "2025-04-20T14:00+09:00"),
]


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=TABLES[name]) if rows else pd.DataFrame(columns=TABLES[name])


@pytest.fixture
def tiny() -> dict[str, pd.DataFrame]:
    """Three articles from two outlets with a known set of rows in every table charts read."""
    arts = _frame("articles", [
        {"article_id": a, "outlet": o, "kind": k, "published": p, "published_basis": "stated",
         "n_chars": 1000, "n_body_chars": 800, "n_removed_chars": 150, "n_sentences": 4}
        for a, o, k, p in ARTICLES
    ])
    sentences = _frame("sentences", [
        {"article_id": a, "sentence_id": i, "text": f"Sentence {i} about the tariff talks."}
        for a, *_ in ARTICLES for i in range(4)
    ])
    framing = _frame("framing", [
        # a-news: 2 narration separation, 1 quoted linkage, 1 neutral narration
        {"article_id": "a-news", "sentence_id": 0, "topics": "trade;security", "frames": "economic",
         "stance": "separation", "voice": "outlet"},
        {"article_id": "a-news", "sentence_id": 1, "topics": "trade", "frames": "economic",
         "stance": "separation", "voice": "outlet"},
        {"article_id": "a-news", "sentence_id": 2, "topics": "security", "frames": "political_strategy",
         "stance": "linkage", "voice": "actor"},
        {"article_id": "a-news", "sentence_id": 3, "topics": "trade", "frames": "", "stance": "", "voice": "outlet"},
        # b-analysis: 1 quoted separation, 2 narration linkage
        {"article_id": "b-analysis", "sentence_id": 0, "topics": "security", "frames": "economic",
         "stance": "separation", "voice": "actor"},
        {"article_id": "b-analysis", "sentence_id": 1, "topics": "security", "frames": "economic",
         "stance": "linkage", "voice": "outlet"},
        {"article_id": "b-analysis", "sentence_id": 2, "topics": "security", "frames": "economic",
         "stance": "linkage", "voice": "outlet"},
    ])
    quotes = _frame("quotes", [
        {"article_id": "a-news", "quote_id": 0, "text": "q", "kind": "direct", "speaker": "Ishiba",
         "speaker_group": "japan_government"},
        {"article_id": "a-news", "quote_id": 1, "text": "q", "kind": "indirect", "speaker": "Ishiba",
         "speaker_group": "japan_government"},
        {"article_id": "b-analysis", "quote_id": 0, "text": "q", "kind": "direct", "speaker": "Trump",
         "speaker_group": "us_government"},
        {"article_id": "a-editorial", "quote_id": 0, "text": "q", "kind": "partial", "speaker": "Trump",
         "speaker_group": "us_government"},
        {"article_id": "a-editorial", "quote_id": 1, "text": "q", "kind": "partial", "speaker": "Ishiba",
         "speaker_group": "japan_government"},
    ])
    figures = _frame("figures", [
        {"article_id": "a-news", "figure_id": 0, "text": "¥1 trillion", "category": "money", "value": 1e12,
         "unit": "JPY", "what": "host-nation support", "usd_value": 7e9, "usd_basis": "reference rate 142.9 JPY per USD",
         "sentence_id": 0},
        {"article_id": "b-analysis", "figure_id": 0, "text": "$8 billion", "category": "money", "value": 8e9,
         "unit": "USD", "what": "annual demand", "usd_value": 8e9, "usd_basis": "USD", "sentence_id": 1},
        {"article_id": "b-analysis", "figure_id": 1, "text": "hundreds of billions of dollars", "category": "money",
         "value_low": 1e11, "value_high": 1e12, "unit": "USD", "what": "to defend Japan", "claimed_by": "Trump",
         "sentence_id": 2},
        {"article_id": "b-analysis", "figure_id": 2, "text": "24%", "category": "percent", "value": 24,
         "unit": "percent", "what": "tariff on Japanese goods", "sentence_id": 3},
        {"article_id": "a-editorial", "figure_id": 0, "text": "25%", "category": "percent", "value": 25,
         "unit": "percent", "what": "tariff on cars", "sentence_id": 1},
        {"article_id": "a-editorial", "figure_id": 1, "text": "2%", "category": "percent", "value": 2,
         "unit": "percent", "what": "share of GDP for defence", "sentence_id": 2},
        {"article_id": "a-editorial", "figure_id": 2, "text": "six", "category": "count", "value": 6,
         "unit": "count", "what": "jets", "sentence_id": 2},
    ])
    dates = _frame("dates", [
        {"article_id": "a-editorial", "date_id": 0, "text": "April 3", "date_start": "2025-04-03",
         "date_end": "2025-04-03", "granularity": "day", "sentence_id": 1},
    ])
    events = _frame("events", [
        {"event_id": "e1", "date_start": "2025-04-08", "date_end": "2025-04-08", "background": 0,
         "summary": "Talks at the White House", "article_ids": "a-news;b-analysis"},
        {"event_id": "e2", "date_start": "2025-04-11", "date_end": "2025-04-11", "background": 0,
         "summary": "Minister speaks", "article_ids": "b-analysis"},
        {"event_id": "e3", "date_start": "2022-04-01", "date_end": "2027-03-31", "background": 1,
         "summary": "Five-year cost-sharing deal", "article_ids": "a-editorial"},
    ])
    sentences.loc[(sentences["article_id"] == "a-editorial") & (sentences["sentence_id"] == 2), "text"] = (
        "Defence spending will reach 2% of GDP.")
    return {"articles": arts, "sentences": sentences, "framing": framing, "quotes": quotes, "figures": figures,
            "dates": dates, "events": events, "blocks": _frame("blocks", []), "framing_cues": _frame("framing_cues", [])}


def _texts(chart: charts.Chart) -> list[str]:
    return [t.get_text() for t in chart.figure.texts]


def _bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _markers(ax) -> list[Line2D]:
    return [ln for ln in ax.lines if ln.get_marker() not in (None, "None", "") and len(ln.get_xdata()) == 1]


def _check_frame(chart: charts.Chart) -> None:
    texts = _texts(chart)
    source = [t for t in texts if t.startswith("Source:")]
    assert source, "no source line"
    for outlet in ("Daily Alpha", "Beta Times"):
        assert outlet in source[0]
    assert "(Alpha Group)" not in source[0]
    assert chart.title and chart.title in " ".join(t.replace("\n", " ") for t in texts)
    for ax in chart.figure.axes:
        if ax.axison:
            assert ax.get_xlabel() or ax.get_ylabel(), f"{chart.slug}: unlabelled axes"


def test_outlet_colours_are_one_per_outlet_in_manifest_order_and_distinct():
    colors = style.outlet_colors(["B", "A", "B", "C"])
    assert list(colors) == ["B", "A", "C"]
    assert len(set(colors.values())) == 3
    assert style.outlet_colors(["B", "A", "B", "C", "New outlet"])["A"] == colors["A"], "appending changes colours"
    assert "New outlet" in style.outlet_colors(["B", "A", "C", "New outlet"])
    assert all(mcolors.is_color_like(c) for c in style.PALETTE)
    assert len(set(style.PALETTE)) == len(style.PALETTE)


def test_corpus_lengths_has_one_bar_per_article_per_part(tiny):
    chart = charts.corpus_lengths(tiny)
    _check_frame(chart)
    ax = chart.figure.axes[0]
    assert len(_bars(ax)) == 3 * 3
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Daily Alpha · news · Apr 10", "Beta Times · analysis · Apr 12", "Daily Alpha · editorial · Apr 20"]
    assert chart.data["removed_chars"].tolist() == [150, 150, 150]
    assert chart.title.startswith("15%")


def test_articles_of_one_outlet_share_its_colour(tiny):
    chart = charts.corpus_lengths(tiny)
    kept = _bars(chart.figure.axes[0])[:3]
    assert kept[0].get_facecolor() == kept[2].get_facecolor() != kept[1].get_facecolor()
    assert kept[0].get_hatch() != kept[2].get_hatch()


def test_stance_counts_split_narration_and_quoted(tiny):
    counts = charts.stance_counts(tiny).set_index(["article_id", "voice"])
    assert counts.loc[("a-news", "narration"), ["separation", "linkage", "neutral"]].tolist() == [2, 0, 1]
    assert counts.loc[("a-news", "quoted"), ["separation", "linkage"]].tolist() == [0, 1]
    assert counts.loc[("b-analysis", "narration"), ["separation", "linkage"]].tolist() == [0, 2]
    assert counts.loc[("b-analysis", "quoted"), ["separation", "linkage"]].tolist() == [1, 0]
    chart = charts.stance_by_voice(tiny)
    _check_frame(chart)
    narration, quoted = chart.figure.axes[:2]
    widths = [round(b.get_width()) for b in _bars(narration)]
    assert widths == [-2, 0, 0, 0, 2, 0]  # separation drawn left (negative) for 3 articles, then linkage
    assert chart.title.startswith("Narration leans to separation in 1 of 3 articles and to linkage in 1")


def test_topics_frames_bars_per_label_and_article(tiny):
    chart = charts.topics_frames(tiny)
    _check_frame(chart)
    topics_ax, frames_ax = chart.figure.axes[:2]
    # two topics (trade, security) x two articles with framing rows
    assert len(_bars(topics_ax)) == 2 * 2
    assert {t.get_text() for t in topics_ax.get_yticklabels()} == {"Trade", "Security"}
    shares = charts.label_shares(tiny, "topics").set_index(["article_id", "label"])["share"]
    assert shares[("a-news", "trade")] == pytest.approx(3 / 4)
    assert shares[("b-analysis", "security")] == pytest.approx(1.0)
    assert {t.get_text() for t in frames_ax.get_yticklabels()} == {"Economic", "Political strategy"}


def test_voices_by_group(tiny):
    chart = charts.voices_by_group(tiny)
    _check_frame(chart)
    ax = chart.figure.axes[0]
    assert len(_bars(ax)) == 2 * 3
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Japan government", "US government"]
    assert sorted(round(b.get_width()) for b in _bars(ax)) == [0, 0, 1, 1, 1, 2]
    assert chart.title.startswith("Japan government voices are quoted most: 3 of 5")


def test_costs_are_in_usd_on_a_log_scale_with_claim_marked(tiny):
    chart = charts.costs(tiny)
    _check_frame(chart)
    ax = chart.figure.axes[0]
    assert ax.get_xscale() == "log"
    assert "U.S. dollars" in ax.get_xlabel()
    assert len(_markers(ax)) == 3
    rows = chart.data.set_index("text")
    assert rows.loc["¥1 trillion", "usd"] == pytest.approx(7e9)
    assert rows.loc["hundreds of billions of dollars", "status"] == "claimed"
    assert rows.loc["hundreds of billions of dollars", ["usd_low", "usd_high"]].tolist() == [1e11, 1e12]
    subtitle = _texts(chart)[1].replace("\n", " ")
    assert "Conversion basis" in subtitle and "reference rates (142.9 JPY/USD)" in subtitle
    # no sum here says its period: nothing is a yearly cost of hosting troops, so the title compares nothing
    assert "×" not in chart.title and "no yearly cost of hosting U.S. troops" in chart.title


def test_tariff_rates_only_tariffs_with_dates(tiny):
    chart = charts.tariff_rates(tiny)
    _check_frame(chart)
    ax = chart.figure.axes[0]
    assert len(_markers(ax)) == 2  # the 2% of GDP is not a tariff; the count is not a rate
    data = chart.data.set_index("text")
    assert data.loc["25%", "date"] == "2025-04-03" and data.loc["25%", "date_basis"] == "date in the sentence"
    assert data.loc["24%", "date"] == "2025-04-12" and data.loc["24%", "date_basis"].startswith("publication")
    assert [t.get_text() for t in ax.get_yticklabels()][0].startswith("25%")


def test_timeline_panels_and_outlet_markers(tiny):
    history = _frame("events", [{"event_id": "e4", "date_start": "2019-07-01", "date_end": "2019-07-31",
                                 "background": 1, "summary": "Demand for $8 billion", "article_ids": "a-editorial"}])
    chart = charts.timeline({**tiny, "events": pd.concat([tiny["events"], history], ignore_index=True)})
    _check_frame(chart)
    talks, background = chart.figure.axes[:2]
    assert talks.get_title(loc="left") == "The talks and what was said in 2025"
    assert background.get_title(loc="left") == "Background history"
    assert [t.get_text() for t in talks.get_yticklabels()] == ["Talks at the White House · Apr 8",
                                                               "Minister speaks · Apr 11"]
    # the five-year deal runs to 2027, past the articles: a period, not history
    assert [t.get_text() for t in background.get_yticklabels()] == ["Demand for $8 billion · Jul 2019"]
    marker_count = len([m for m in _markers(talks) if m.get_marker() != "D"])
    assert marker_count == 3  # e1 reported by two articles, e2 by one
    assert "most widely reported: Talks at the White House (Apr 8), in 2 of 3 articles" in chart.title


@pytest.mark.parametrize("chart", charts.CHARTS, ids=lambda f: f.__name__)
def test_every_chart_copes_with_empty_tables(tiny, chart, tmp_path):
    empty = {"articles": tiny["articles"]}
    drawn = chart(empty)
    if drawn.empty:
        assert drawn.title.startswith("No data yet")
    drawn.save(tmp_path)
    assert (tmp_path / f"{drawn.slug}.png").stat().st_size > 1000


def test_saving_twice_is_byte_identical_and_carries_no_date(tiny, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    charts.timeline(tiny).save(first)
    charts.timeline(tiny).save(second)
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    svg = next(first.glob("*.svg")).read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    png = next(first.glob("*.png")).read_bytes()
    assert b"tIME" not in png and b"Software" not in png


def test_png_is_200_dpi(tiny, tmp_path):
    from PIL import Image

    chart = charts.voices_by_group(tiny).save(tmp_path)
    with Image.open(chart.files[0]) as image:
        width, _ = image.size
        assert width == round(chart.figure.get_figwidth() * 200)


def test_committed_figures_equal_a_rebuild(tables, repo: Path, tmp_path):
    """figures/ must be exactly what the code writes from the current tables (run `make report` and commit)."""
    if (repo / "data" / "articles.csv").read_bytes() != (repo / "tests" / "fixtures" / "seeds.csv").read_bytes():
        pytest.skip("data/ holds articles beyond the five seeds: figures/ shows that corpus, not the seeds'")
    charts.write_all(tables, tmp_path)
    built = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in (repo / "figures").iterdir() if p.suffix in (".png", ".svg", ".csv"))
    assert built == committed, "figures/ lists other files than the charts write; run `make report`"
    stale = [name for name in built if (tmp_path / name).read_bytes() != (repo / "figures" / name).read_bytes()]
    assert not stale, f"figures/ is out of date ({', '.join(stale)}): run `make report` and commit figures/"


def test_findings_are_sentences_computed_from_the_tables(tiny):
    from linkage.presentation import views

    corpus = list(views.corpus_findings(tiny))
    assert corpus[0].startswith("3 articles from 2 outlets (Daily Alpha, Beta Times)")
    assert "2 news reports" not in corpus[0] and "1 news report" in corpus[0]
    assert "1 analysis" in corpus[0] and "1 editorial" in corpus[0]
    voices = list(views.voices_findings(tiny))
    assert voices[0].startswith("5 quotations in 3 articles")
    assert any("Japan government 3 (60%)" in s for s in voices)
    money = " ".join(views.figures_findings(tiny))
    assert "Claimed by Trump: “hundreds of billions of dollars” ($100 billion to $1 trillion)" in money
    assert "Tariff rates mentioned: 24%, 25%." in money
    summary = views.summary_paragraph(tiny)
    assert "In their own words, 1 of 3 articles lean to presenting" in summary


def test_tables_and_findings_escape_html():
    from linkage.presentation.htmltable import DataTable, Findings

    frame = pd.DataFrame({"text": ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">'], "n": [1, 2]})
    html = DataTable(frame, "caption <b>")._repr_html_()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "caption <b>" not in html
    assert html.count("<script>") == 1  # only the table's own sorter/filter
    findings = Findings(["a <script>x</script> b"])._repr_html_()
    assert "<script>" not in findings and "&lt;script&gt;" in findings


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2025-04-16", "2025-04-16", "Apr 16"), ("2025-04-01", "2025-04-22", "Apr 1–22"),
    ("2019-07-01", "2019-07-31", "Jul 2019"), ("1970-01-01", "1979-12-31", "1970s"),
    ("2015-01-01", "2015-12-31", "2015"), ("2022-04-01", "2027-03-31", "Apr 2022–Mar 2027"),
    ("2019-07-04", "2019-07-04", "Jul 4, 2019"),
])
def test_event_dates_are_labelled_in_few_words(start, end, expected):
    assert charts.span_text(pd.Timestamp(start), pd.Timestamp(end), 2025) == expected


def test_markers_cycle_for_any_number_of_articles_per_outlet():
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(15)], "outlet": ["One"] * 14 + ["Two"]})
    marked = charts._markers(arts)
    assert len(marked) == 15 and marked["marker"].notna().all()
    assert marked["marker"].iloc[:6].nunique() == 6, "the first six articles of an outlet get distinct shapes"
    assert marked["marker"].iloc[6] == marked["marker"].iloc[0]
    assert charts._markers(arts.iloc[:0])["marker"].tolist() == []
