# ruff: noqa: F811  (pytest fixture `tiny` imported from test_charts and requested by name)
"""Charts at any corpus size: rows per article up to a dozen, per outlet beyond, "other outlets" past fifteen
outlets; never more than 3,000 px at 200 dpi; stable outlet colours."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from test_charts import ARTICLES, tiny  # noqa: E402,F401  (three hand-made articles)

from linkage.presentation import charts, style, units  # noqa: E402

MAX_PX = 3000


def scaled(tiny_tables: dict[str, pd.DataFrame], sizes: list[int]) -> dict[str, pd.DataFrame]:
    """A corpus of len(sizes) outlets, outlet k with sizes[k] articles; article j copies the rows of the j-th
    (cycling) hand-made article, so every table charts read has rows."""
    templates = [a for a, *_ in ARTICLES]
    ids, outlets = [], []
    for k, n in enumerate(sizes):
        for i in range(n):
            ids.append(f"o{k:03d}-a{i:04d}")
            outlets.append(f"Outlet {k:03d} (Group {k % 4})")
    out: dict[str, pd.DataFrame] = {}
    for name, frame in tiny_tables.items():
        if "article_id" not in frame or frame.empty:
            out[name] = frame.iloc[:0].copy()
            continue
        parts = []
        for j, aid in enumerate(ids):
            rows = frame[frame["article_id"] == templates[j % len(templates)]].copy()
            rows["article_id"] = aid
            parts.append(rows)
        out[name] = pd.concat(parts, ignore_index=True) if parts else frame.iloc[:0].copy()
    arts = out["articles"]
    arts["outlet"] = arts["article_id"].map(dict(zip(ids, outlets, strict=True)))
    out["articles"] = arts
    events = tiny_tables["events"].copy()
    events["article_ids"] = ";".join(ids[:40])
    out["events"] = events if ids else events.iloc[:0]
    return out


def _png_size(chart: charts.Chart) -> tuple[int, int]:
    """Pixel size of the chart's PNG at 200 dpi (figures are saved at their own size: no tight bounding box)."""
    width, height = chart.figure.get_size_inches()
    return round(width * 200), round(height * 200)


@pytest.mark.parametrize("sizes", [[], [1], [12], [3, 3, 2, 2, 3], [1] * 13, [30] + [2] * 49],
                         ids=["0 outlets", "1 article", "1 outlet x12", "5 outlets", "13 articles", "50 outlets"])
@pytest.mark.parametrize("chart", charts.CHARTS, ids=lambda f: f.__name__)
def test_every_chart_draws_within_3000_px_at_any_size(tiny, sizes, chart, tmp_path):
    drawn = chart(scaled(tiny, sizes))
    width, height = _png_size(drawn)
    assert width <= MAX_PX and height <= MAX_PX, f"{drawn.slug}: {width}x{height} px"
    if len(sizes) == 50:  # render the largest case for real
        drawn.save(tmp_path)
        with Image.open(drawn.files[0]) as image:
            assert image.size == (width, height)
    for text in drawn.figure.texts:
        assert "(s)" not in text.get_text(), text.get_text()


def test_rows_are_articles_up_to_a_dozen_then_outlets(tiny):
    few = units.units(scaled(tiny, [3, 3, 2, 2, 2]))
    assert few.by_article and len(few.rows) == 12 and few.noun == "articles"
    many = units.units(scaled(tiny, [3, 3, 2, 2, 3]))
    assert not many.by_article and len(many.rows) == 5
    assert many.rows["label"].tolist()[0] == "Outlet 000 (n=3)"
    assert int(many.rows["n"].sum()) == 13


def test_past_fifteen_outlets_the_largest_keep_a_row_and_the_rest_are_pooled(tiny):
    sizes = [2] * 20 + [9, 1]  # outlet 020 has most articles, outlet 021 fewest
    u = units.units(scaled(tiny, sizes))
    assert len(u.rows) == units.MAX_OUTLET_ROWS
    assert "Outlet 020 (Group 0)" in u.rows.index, "the largest outlet keeps its row"
    assert "Outlet 021 (Group 1)" not in u.rows.index
    other = u.rows.loc[units.OTHER]
    assert other["label"] == f"{other['outlets']} other outlets (n={other['n']})"
    assert int(u.rows["n"].sum()) == sum(sizes), "every article is in exactly one row"
    assert u.rows.loc[units.OTHER, "color"] == units.OTHER_COLOR
    order = u.order(pd.Series({k: i for i, k in enumerate(u.rows.index)}))
    assert order[-1] == units.OTHER, "the pooled row comes last whatever the measure"
    assert order[0] == u.rows.index[-2], "rows are ordered by the measure, largest first"


def test_outlet_colours_do_not_depend_on_the_chart(tiny):
    tables = scaled(tiny, [4, 3, 5, 2, 1])
    u = units.units(tables)
    colours = dict(zip(u.rows.index, u.rows["color"], strict=True))
    assert colours["Outlet 002 (Group 2)"] == style.PALETTE[0], "the outlet with most articles gets the first colour"
    assert len(set(colours.values())) == 5
    corpus = charts.corpus_lengths(tables)
    ticks = {t.get_text(): t.get_color() for t in corpus.figure.axes[0].get_yticklabels()}
    assert ticks["Outlet 002 (n=5)"] == colours["Outlet 002 (Group 2)"]
    stance = charts.stance_by_voice(tables)
    ticks = {t.get_text(): t.get_color() for t in stance.figure.axes[0].get_yticklabels()}
    assert ticks["Outlet 002 (n=5)"] == colours["Outlet 002 (Group 2)"]


def test_outlet_rows_pool_their_articles(tiny):
    tables = scaled(tiny, [3, 3, 3, 3, 3])  # each outlet: one copy of each hand-made article
    chart = charts.stance_by_voice(tables)
    data = chart.data.set_index(["outlet", "voice"])
    # a-news 2 narration separation, b-analysis 0, a-editorial 0 -> mean 2/3 per article
    assert data.loc[("Outlet 000 (Group 0)", "narration"), "separation_per_article"] == pytest.approx(2 / 3)
    assert "n=3" in chart.figure.axes[0].get_yticklabels()[0].get_text()
    assert "leans to separation in" in chart.title and "of 5 outlets" in chart.title
    voices = charts.voices_by_group(tables).data
    share = voices.set_index(["outlet", "speaker_group"])["share"]
    assert share[("Outlet 000 (Group 0)", "japan_government")] == pytest.approx(3 / 5)


def test_stance_counts_leave_headlines_out_like_outlet_framing(tiny):
    tables = dict(tiny)
    tables["blocks"] = pd.DataFrame({"article_id": ["a-news", "a-news"], "block_id": [0, 1],
                                     "role": ["headline", "body"], "char_start": 0, "char_end": 1, "text": "x"})
    sentences = tiny["sentences"].copy()
    sentences["block_id"] = [0 if (a == "a-news" and s == 0) else 1 for a, s in
                             zip(sentences["article_id"], sentences["sentence_id"], strict=True)]
    tables["sentences"] = sentences
    counts = charts.stance_counts(tables).set_index(["article_id", "voice"])
    assert counts.loc[("a-news", "narration"), "separation"] == 1, "the headline's separation is not counted"
    shares = charts.label_shares(tables, "topics").set_index(["article_id", "label"])
    assert shares.loc[("a-news", "trade"), "of_sentences"] == 3


def test_chart_counts_follow_the_outlet_framing_rule(tables):
    """Stance counts and topic/frame shares in the charts are the outlet_framing table's, article by article."""
    framing = tables["outlet_framing"].set_index("article_id")
    counts = charts.stance_counts(tables)
    for row in counts.itertuples():
        voice = "outlet" if row.voice == "narration" else "actor"
        assert row.separation == framing.loc[row.article_id, f"separation_{voice}"], (row.article_id, row.voice)
        assert row.linkage == framing.loc[row.article_id, f"linkage_{voice}"], (row.article_id, row.voice)
    for column, prefix in (("topics", "topic_"), ("frames", "frame_")):
        for row in charts.label_shares(tables, column).itertuples():
            if f"{prefix}{row.label}" in framing:
                assert round(row.share, 3) == pytest.approx(framing.loc[row.article_id, f"{prefix}{row.label}"])


def test_tariff_chart_pools_articles_into_one_circle_per_rate_and_date(tiny):
    small = charts.tariff_rates(scaled(tiny, [3, 3, 2]))  # 8 articles: a marker per article, an article legend
    assert small.figure.legends and len(small.figure.legends[0].get_texts()) > 1
    big_tables = scaled(tiny, [30] + [2] * 49)  # 128 articles
    big = charts.tariff_rates(big_tables)
    ax = big.figure.axes[0]
    assert not big.figure.legends  # no legend of 128 articles
    points = [c for c in ax.collections if len(c.get_offsets())]
    drawn = sum(len(c.get_offsets()) for c in points)
    rows = charts.tariff_rows(big_tables)
    assert drawn == len(rows.drop_duplicates(["rate", "date", "date_basis"]))  # one circle per rate, date, basis
    assert len(ax.get_lines()) == 0
    sizes = [s for c in points for s in c.get_sizes()]
    assert max(sizes) > min(sizes)  # the area says how many articles
    legend = ax.get_legend()
    assert legend is not None and legend.get_title().get_text() == "articles"
