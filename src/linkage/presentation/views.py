"""Tables the notebooks display and findings sentences computed from the tables (no logic in notebooks)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import charts, style
from .cells import (
    article_frame,
    day_label,
    is_true,
    numeric,
    per_value,
    pretty,
    stance_sign,
    table,
    voice_of,
)
from .htmltable import DataTable, Findings, Note
from .units import OTHER, Units, units

__all__ = [
    "load_tables", "corpus_table", "removed_text", "corpus_findings", "events_table", "who_reported_when",
    "timeline_findings", "outlet_framing_table", "stance_table", "cue_words", "framing_examples", "stance_examples",
    "framing_findings", "quotes_table", "voices_table", "voices_findings", "money_table", "tariff_table",
    "figures_table", "figures_findings", "summary_paragraph", "ALL_FINDINGS", "cost_facts_table", "cost_sentence",
    "without_copies", "framing_with_and_without_copies", "stance_agreement_note", "stance_method_note",
]

Tables = dict[str, pd.DataFrame]


FRESH_ENV = "LINKAGE_TABLES_FRESH"
"""Set by `linkage.presentation.report` after it has built the tables, so notebooks run in parallel never rebuild them."""


def load_tables(root: str | Path | None = None) -> Tables:
    """Every table as DataFrames (rebuilt first if an input is newer, unless the report has just built them)."""
    from ..pipeline.build import load

    return load(root=root, rebuild=False if os.environ.get(FRESH_ENV) == "1" else None)


def stance_agreement_note(root: str | Path | None = None) -> str:
    """The stance chart's method note on agreement with hand coding (kappa and bias from docs/stance_agreement.csv)."""
    from ..evaluation.agreement import note
    from ..pipeline.settings import Settings

    return note(Settings.discover(root).root)


def stance_method_note(root: str | Path | None = None) -> Note:
    """The stance chart's method note, to show right under the chart: how far its stance labels agree with hand
    coding of real coverage (kappa and bias from docs/stance_agreement.csv).

    The figures measure the package's rules, so a project without its own copy (a new corpus) uses the one of
    the checkout the package runs from; with neither, the note says how to write it.
    """
    from ..evaluation.agreement import AGREEMENT_FILE
    from ..pipeline.settings import Settings

    project = Settings.discover(root).root
    checkout = Path(__file__).resolve().parents[3]
    for place in (project, checkout):
        if (place / AGREEMENT_FILE).is_file():
            return Note(stance_agreement_note(place))
    return Note(f"Agreement of the stance labels with hand coding is not measured here ({AGREEMENT_FILE} is "
                "missing); run `python -m linkage evaluate` in the package's checkout to write it.")


def _labels(tables: Tables) -> dict[str, str]:
    arts = article_frame(tables)
    return dict(zip(arts["article_id"], arts["label"], strict=True))


def _with_label(frame: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    out = frame.copy()
    out.insert(0, "article", out["article_id"].map(_labels(tables)).fillna(out["article_id"]))
    return out.drop(columns=["article_id"])


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _csv(name: str) -> str:
    """Where the full table lies, for a bounded report table."""
    return f"data/processed/{name}.csv"


def _names(labels: list[str], limit: int = 6) -> str:
    """'A; B; C' or, past `limit`, 'A; B; …; F and 37 more'."""
    if len(labels) <= limit:
        return "; ".join(labels)
    return "; ".join(labels[:limit]) + f" and {len(labels) - limit:,} more"


def _by_unit_columns(long: pd.DataFrame, u: Units, value: str, agg: str = "sum") -> pd.DataFrame:
    """Rows of `long` (with article_id) pivoted to one column per chart row (article, or outlet with n=)."""
    keyed = long.assign(unit=u.key(long["article_id"]))
    return keyed.groupby("unit")[value].agg(agg)


_KIND_NOUNS = {"news": ("news report", "news reports"), "analysis": ("analysis", "analyses"),
               "opinion": ("opinion piece", "opinion pieces"), "editorial": ("editorial", "editorials")}


def _kind(kind: str, n: int) -> str:
    one, many = _KIND_NOUNS.get(kind, (kind, f"{kind} pieces"))
    return f"{n:,} {one if n == 1 else many}"


# ------------------------------------------------------------------ 01 corpus


def corpus_table(tables: Tables) -> DataTable:
    """One row per article: outlet, kind, date and its basis, headline, size and what was cleaned away."""
    arts = table(tables, "articles")
    frame = pd.DataFrame({
        "article_id": arts["article_id"], "outlet": arts["outlet"], "kind": arts["kind"],
        "published": arts["published"], "date basis": arts["published_basis"], "headline": arts["headline"],
        "characters": numeric(arts["n_chars"]), "kept": numeric(arts["n_body_chars"]),
        "removed": numeric(arts["n_removed_chars"]), "sentences": numeric(arts["n_sentences"]),
    })
    return DataTable(frame, "Kept = headline, subheads, body; removed = captions, credits, source lines, navigation.",
                     _csv("articles"))


def removed_text(tables: Tables) -> DataTable:
    """Every line cleaned away before analysis (captions, credits, source lines, navigation, datelines)."""
    blocks = table(tables, "blocks")
    kept = blocks[~blocks["role"].isin(["headline", "subhead", "body"])]
    frame = _with_label(kept[["article_id", "block_id", "role", "text"]], tables)
    return DataTable(frame, "Lines not read by any extractor.", _csv("blocks") + " (role other than headline, "
                     "subhead or body)")


def corpus_findings(tables: Tables) -> Findings:
    """Key facts of the corpus in words."""
    arts = table(tables, "articles")
    if arts.empty:
        return Findings(["The manifest lists no articles yet."])
    frame = article_frame(tables)
    kinds = arts["kind"].value_counts()
    kind_text = ", ".join(_kind(k, int(n)) for k, n in kinds.items())
    stated = int((arts["published_basis"] == "stated").sum())
    chars = numeric(arts["n_chars"])
    removed = numeric(arts["n_removed_chars"])
    longest = frame.loc[chars.idxmax(), "label"]
    most_removed = frame.loc[(removed / chars).idxmax(), "label"]
    outlets = style.outlet_order(arts)
    if len(outlets) > style.SOURCE_OUTLETS:
        sizes = arts["outlet"].value_counts().reindex(outlets).sort_values(ascending=False, kind="stable")
        named = "most articles: " + ", ".join(f"{style.short_outlet(o)} {int(n):,}" for o, n in sizes.head(3).items())
    else:
        named = ", ".join(style.short_outlet(o) for o in outlets)
    return Findings([
        f"{_plural(len(arts), 'article')} from {_plural(len(outlets), 'outlet')} "
        f"({named}), published between "
        f"{day_label(frame['day'].min())} and {day_label(frame['day'].max())}: {kind_text}.",
        f"{stated} publication date{'s are' if stated != 1 else ' is'} stated in the text or on the page; "
        f"{len(arts) - stated} {'are' if len(arts) - stated != 1 else 'is'} inferred from internal evidence "
        "(see the notes column of the manifest).",
        f"{removed.sum() / chars.sum():.0%} of the raw characters were captions, credits, source lines or site "
        f"navigation and were removed before analysis; the largest share was removed from {most_removed}.",
        f"The longest text is {longest} ({int(chars.max()):,} characters); the shortest has "
        f"{int(chars.min()):,}.",
    ])


# ------------------------------------------------------------------ 02 timeline


def events_table(tables: Tables) -> DataTable:
    """Every event, most widely reported first: its label, dates, kind, panel and the articles that report it."""
    events, marks = charts.timeline_rows(tables)
    if events.empty:
        return DataTable(pd.DataFrame(columns=["date", "event", "background", "reported by"]), "No events yet.")
    events = events.sort_values(["n_reporting", "n_articles", "x_start", "event_id"],
                                ascending=[False, False, True, True], kind="stable")
    reporters = marks.groupby("event_id")["article_id"].apply(list).to_dict() if not marks.empty else {}
    labels = _labels(tables)
    frame = pd.DataFrame({
        "event": events["label"], "date start": events["date_start"], "date end": events["date_end"],
        "kind": ["plan or target, said " + str(d)[:10] if p else "period" if long else "event" for p, long, d in
                 zip(events["plan"], events["period"], events["said_on"] if "said_on" in events else [""] * len(events),
                     strict=True)],
        "history": events["panel"].eq("background"), "outlets": events["n_reporting"],
        "articles": events["n_articles"],
        "reported by": [_names([labels[a] for a in reporters.get(e, [])], 8) for e in events["event_id"]],
        "sentence": events["sentence"],
    })
    return DataTable(frame.reset_index(drop=True), "Most widely reported first. History = dated before the articles' "
                     "year; a plan or target is a statement of the day it was said, dated by its target; a period "
                     "lasts longer than a month (or reaches past the articles' dates) and is no row of the timeline.",
                     _csv("events"))


def who_reported_when(tables: Tables) -> DataTable:
    """Events of the talks shown on the timeline × articles (or outlets, beyond 12 articles): days from the event
    to the report."""
    events, marks = charts.timeline_rows(tables)
    if events.empty or marks.empty:
        return DataTable(pd.DataFrame(columns=["event"]), "No events yet.")
    shown = charts.timeline_selection(events)
    talks = shown[(shown["panel"] == "talks") & ~shown["plan"]].set_index("event_id")
    u = units(tables)
    hits = marks[marks["event_id"].isin(talks.index)].assign(unit=lambda m: u.key(m["article_id"]))
    hits = hits.assign(days=(pd.to_datetime(hits["published"]) - hits["event_id"].map(talks["start"])).dt.days)
    first = hits.groupby(["event_id", "unit"])["days"].min()
    frame = pd.DataFrame({"date": talks["date_start"], "event": talks["label"],
                          "articles": hits.groupby("event_id")["article_id"].nunique().reindex(talks.index)
                          .fillna(0).astype(int)})
    for key in u.order():
        col = first.xs(key, level="unit") if key in first.index.get_level_values("unit") else pd.Series(dtype=float)
        frame[u.rows.at[key, "label"]] = [f"+{int(col[e])} d" if e in col.index else "" for e in talks.index]
    frame = frame.sort_values("articles", ascending=False, kind="stable")
    caption = ("Cell: days from the event to the article's publication." if u.by_article else
               "Cell: days from the event to the outlet's first article that reports it (n = the outlet's articles).")
    return DataTable(frame.reset_index(drop=True), caption, _csv("events"))


def timeline_findings(tables: Tables) -> Findings:
    """When things happened and who reported them."""
    events, marks = charts.timeline_rows(tables)
    if events.empty:
        return Findings(["No events extracted yet: the events table is empty."])
    talks = events[(events["panel"] == "talks") & ~events["plan"]]
    plans = events[events["plan"]]
    back = events[(events["panel"] == "background") & ~events["period"]]
    out = []
    if not talks.empty:
        dated = talks[~talks["period"]]  # (as the chart: periods are not dated events)
        dated = dated if not dated.empty else talks
        plan_words = "1 plan or target" if len(plans) == 1 else f"{len(plans)} plans or targets"
        periods = int(events["period"].sum())
        period_words = (f"; {_plural(periods, 'period')} (longer than a month, or history reaching past the "
                        "articles) are listed apart" if periods else "")
        out.append(f"{_plural(len(dated), 'event')} of the talks are dated between {day_label(dated['start'].min())} "
                   f"and {day_label(dated['end'].max())}; {_plural(len(back), 'event')} of earlier years are "
                   f"background history, and {plan_words} placed on the day said{period_words}.")
    top = charts.most_reported(events)
    if top is not None:
        n_art = int(article_frame(tables)["article_id"].nunique())
        out.append(f"The most widely reported event is “{top['label']}” "
                   f"({charts.span_text(top['start'], top['end'])}), in {top['n_articles']} of {n_art} articles "
                   f"from {_plural(int(top['n_reporting']), 'outlet')}.")
    if not marks.empty:
        shared = int((events["n_articles"] > 1).sum())
        out.append(f"{shared} of {len(events)} events are reported by more than one article; the other "
                   f"{len(events) - shared} each rest on a single article.")
        arts = article_frame(tables)
        first = arts.sort_values("day").iloc[0]
        out.append(f"The earliest article, {first['label']}, appeared on {day_label(first['day'])}.")
    return Findings(out)


# ------------------------------------------------------------------ 03 framing


def outlet_framing_table(tables: Tables) -> DataTable:
    """The outlet_framing table turned on its side: one row per measure, one column per article."""
    frame = table(tables, "outlet_framing")
    if frame.empty or "article_id" not in frame:
        return DataTable(pd.DataFrame(columns=["measure"]), "No outlet framing yet.")
    u = units(tables)
    if not u.by_article:
        numbers = frame.drop(columns=[c for c in ("outlet", "kind") if c in frame]).set_index("article_id")
        numbers = numbers.apply(pd.to_numeric, errors="coerce").dropna(axis=1, how="all")
        means = numbers.groupby(u.key(pd.Series(numbers.index, index=numbers.index))).mean()
        body = means.reindex(u.order()).rename(index=u.rows["label"]).T.round(3)
        body.index.name = "measure"
        return DataTable(body.reset_index(), "One column per outlet: the mean over its n articles (shares are "
                         "fractions of each article's body sentences).", _csv("outlet_framing"))
    labels = _labels(tables)
    body = frame.drop(columns=[c for c in ("outlet", "kind") if c in frame]).set_index("article_id")
    body = body.rename(index=labels).T
    body = body.apply(lambda col: [round(v, 3) if isinstance(v, float) else v for v in col])
    body.index.name = "measure"
    return DataTable(body.reset_index(), "One column per article; shares are fractions of its body sentences, "
                     "stance counts leave the headline out.", _csv("outlet_framing"))


def stance_table(tables: Tables) -> DataTable:
    """Separation, linkage and neutral sentences per article and voice."""
    counts = charts.stance_counts(tables)
    if counts.empty:
        return DataTable(counts, "No framing yet.")
    if len(counts) > 24:  # articles with most stance sentences first
        counts = counts.assign(_k=counts["separation"] + counts["linkage"]).sort_values(
            "_k", ascending=False, kind="stable").drop(columns="_k")
    return DataTable(_with_label(counts.drop(columns=["outlet"]), tables), "Sentences by stance (headlines left "
                     "out, as in outlet_framing).", _csv("framing"))


def cue_words(tables: Tables) -> DataTable:
    """The cue words behind each label: how often each cue fired, in how many articles."""
    cues = table(tables, "framing_cues")
    cols = ["measure", "value", "cue", "times", "articles", "negated", "hedged"]
    if cues.empty:
        return DataTable(pd.DataFrame(columns=cols), "No framing cues yet.")
    frame = cues.assign(cue=cues["text"].astype(str).str.lower(),
                        neg=per_value(cues["negated"], is_true), hedge=per_value(cues["hedged"], is_true))
    out = frame.groupby(["measure", "value", "cue"], dropna=False).agg(
        times=("cue", "size"), articles=("article_id", "nunique"), negated=("neg", "sum"), hedged=("hedge", "sum"),
    ).reset_index().sort_values(["measure", "value", "times", "cue"], ascending=[True, True, False, True])
    if len(out) > 200:
        out = out.sort_values(["times", "measure", "value", "cue"], ascending=[False, True, True, True], kind="stable")
    return DataTable(out[cols].reset_index(drop=True), "negated/hedged: how many of the matches were.",
                     _csv("framing_cues"))


def framing_examples(tables: Tables) -> DataTable:
    """Every labelled sentence with its topics, frames, stance and voice (filter to find examples)."""
    framing = table(tables, "framing")
    if framing.empty:
        return DataTable(pd.DataFrame(columns=["article", "sentence"]), "No framing yet.")
    stance = {-1: "separation", 0: "", 1: "linkage"}
    frame = pd.DataFrame({
        "article_id": framing["article_id"], "id": framing["sentence_id"], "sentence": framing["text"],
        "topics": framing["topics"], "frames": framing["frames"],
        "stance": per_value(framing["stance"], lambda s: stance[stance_sign(s)]),
        "voice": per_value(framing["voice"], voice_of), "cues": framing["stance_cues"],
    })
    if len(frame) > 200:  # sentences with a stance first
        frame = frame.assign(_k=frame["stance"].eq("")).sort_values("_k", kind="stable").drop(columns="_k")
    return DataTable(_with_label(frame, tables), "Type a word (e.g. 'separate', 'link') to filter.", _csv("framing"))


def stance_examples(tables: Tables, per_article: int = 2) -> DataTable:
    """For each article, its first separation and linkage sentences (narration and quoted), with their cues."""
    framing = table(tables, "framing")
    cols = ["article_id", "stance", "voice", "sentence", "cues"]
    if framing.empty:
        return DataTable(pd.DataFrame(columns=cols), "No framing yet.")
    frame = pd.DataFrame({
        "article_id": framing["article_id"], "sentence_id": framing["sentence_id"],
        "stance": per_value(framing["stance"], lambda v: {-1: "separation", 0: "", 1: "linkage"}[stance_sign(v)]),
        "voice": per_value(framing["voice"], voice_of), "sentence": framing["text"], "cues": framing["stance_cues"],
    })
    frame = frame[frame["stance"] != ""]
    picked = frame.groupby(["article_id", "stance"], sort=False).head(per_article)
    order = {a: i for i, a in enumerate(article_frame(tables)["article_id"])}
    picked = picked.sort_values(["article_id", "stance", "sentence_id"],
                                key=lambda c: c.map(order) if c.name == "article_id" else c, kind="stable")
    return DataTable(_with_label(picked[cols], tables), "First sentences of each stance per article.", _csv("framing"))


def framing_findings(tables: Tables) -> Findings:
    """Topics, frames and stance in words."""
    counts = charts.stance_counts(tables)
    if counts.empty:
        return Findings(["No framing labels yet: the framing table is empty."])
    arts = article_frame(tables).set_index("article_id")
    out = []
    for column, noun in (("topics", "topic"), ("frames", "frame")):
        shares = charts.label_shares(tables, column)
        if shares.empty:
            continue
        overall = shares.groupby("label")["sentences"].sum().sort_values(ascending=False, kind="stable")
        out.append(f"The most frequent {noun} across the corpus is “{pretty(overall.index[0])}” "
                   f"({int(overall.iloc[0]):,} sentences), then “{pretty(overall.index[1])}”." if len(overall) > 1 else
                   f"The only {noun} labelled is “{pretty(overall.index[0])}”.")
    total = counts.groupby("article_id")[["separation", "linkage"]].sum()
    n = len(arts)
    many = n > 12
    for voice, noun in (("narration", "in their own words"), ("quoted", "through quoted voices")):
        sub = counts[counts["voice"] == voice].set_index("article_id")
        sep = arts["label"].reindex(sub.index[sub["separation"] > sub["linkage"]]).tolist()
        link = arts["label"].reindex(sub.index[sub["linkage"] > sub["separation"]]).tolist()
        if many:
            os_, ol, no = charts.outlet_leans(counts, voice)
            out.append(f"{noun.capitalize()}, {len(sep):,} of {_plural(n, 'article')} lean to separation and "
                       f"{len(link):,} to linkage; by outlet (sentences pooled), {os_:,} of {_plural(no, 'outlet')} "
                       f"lean to separation and {ol:,} to linkage.")
            continue
        out.append(f"{noun.capitalize()}, {len(sep)} of {_plural(n, 'article')} "
                   f"{'leans' if len(sep) == 1 else 'lean'} to separation"
                   + (f" ({'; '.join(sep)})" if sep else "") + f" and {len(link)} to linkage"
                   + (f" ({'; '.join(link)})" if link else "") + ".")
    net = (total["linkage"] - total["separation"]).sort_values(kind="stable")
    if len(net) and many:
        u = units(tables)
        per = counts.assign(unit=u.key(counts["article_id"])).groupby("unit")[["separation", "linkage"]].sum()
        lean = (per["linkage"] - per["separation"]) / counts.groupby(u.key(counts["article_id"]))["article_id"].nunique()
        lean = lean.drop(index=OTHER, errors="ignore").sort_values(kind="stable")
        if len(lean) > 1:
            out.append(f"Most separation-leaning outlet (net sentences per article): {u.rows.at[lean.index[0], 'label']}; "
                       f"most linkage-leaning: {u.rows.at[lean.index[-1], 'label']}.")
    elif len(net):
        out.append(f"Most separation-leaning by net sentences (separation minus linkage, both voices): "
                   f"{arts.loc[net.index[0], 'label']}; most linkage-leaning: "
                   f"{arts.loc[net.index[-1], 'label']}.")
    scores = table(tables, "outlet_framing")
    if not scores.empty and "stance_score" in scores and not many:
        score = numeric(scores.set_index("article_id")["stance_score"]).dropna().sort_values(kind="stable")
        out.append("Stance score (−1 separation to +1 linkage, headline counted twice): " + "; ".join(
            f"{arts.loc[a, 'label']} {v:+.2f}".replace("+0.00", "0.00").replace("-", "−") for a, v in score.items()
            if a in arts.index) + ".")
    return Findings(out)


# ------------------------------------------------------------------ 04 voices


def quotes_table(tables: Tables) -> DataTable:
    """Every quotation with its speaker, group, kind and cue (searchable)."""
    quotes = table(tables, "quotes")
    cols = ["article_id", "quote_id", "speaker", "speaker_group", "kind", "text", "cue"]
    frame = quotes.reindex(columns=cols)
    frame["speaker_group"] = [pretty(g) if isinstance(g, str) and g else "" for g in frame["speaker_group"]]
    return DataTable(_with_label(frame, tables), "Type a name or word to filter; click a header to sort.",
                     _csv("quotes"))


def voices_table(tables: Tables) -> DataTable:
    """Quotations per speaker group (rows) and article (columns)."""
    counts = charts.voice_counts(tables)
    if counts.empty:
        return DataTable(pd.DataFrame(columns=["speaker group"]), "No quotes yet.")
    u = units(tables)
    keyed = counts.assign(unit=u.key(counts["article_id"]))
    wide = keyed.pivot_table(index="speaker_group", columns="unit", values="quotes", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=[k for k in u.order() if k in wide.columns]).rename(columns=u.rows["label"])
    wide = wide.fillna(0).astype(int)
    wide["total"] = wide.sum(axis=1)
    wide = wide.sort_values("total", ascending=False, kind="stable").reset_index()
    wide["speaker_group"] = wide["speaker_group"].map(pretty)
    return DataTable(wide.rename(columns={"speaker_group": "speaker group"}),
                     "Quotations per group and article." if u.by_article else
                     "Quotations per group and outlet (n = the outlet's articles).", _csv("quotes"))


def voices_findings(tables: Tables) -> Findings:
    """Who is quoted, by group and outlet."""
    quotes = table(tables, "quotes")
    if quotes.empty:
        return Findings(["No quotations extracted yet: the quotes table is empty."])
    arts = article_frame(tables).set_index("article_id")
    groups = quotes["speaker_group"].astype(object).fillna("unattributed").replace("", "unattributed").value_counts()
    speakers = quotes["speaker"].dropna().astype(str)
    speakers = speakers[speakers.str.strip() != ""].value_counts()
    kinds = quotes["kind"].astype(object).fillna("").value_counts()
    kind_text = ", ".join(f"{n:,} {k}" for k, n in kinds.items() if k)
    out = [f"{_plural(len(quotes), 'quotation')} in {_plural(quotes['article_id'].nunique(), 'article')}"
           + (f": {kind_text}." if kind_text else "."),
           "By group: " + ", ".join(f"{pretty(g)} {n:,} ({charts._percent(n / len(quotes))})"
                                    for g, n in groups.items()) + "."]
    if len(speakers):
        out.append(f"Most quoted speaker: {speakers.index[0]} ({_plural(int(speakers.iloc[0]), 'quotation')}).")
        per = quotes.dropna(subset=["speaker"]).groupby("speaker")["article_id"].nunique()
        single = sorted(s for s, n in per.items() if n == 1 and str(s).strip())
        out.append(f"{_plural(len(single), 'speaker')} {'is' if len(single) == 1 else 'are'} quoted in only one "
                   f"article, of {_plural(len(per), 'named speaker')}.")
    per_article = quotes.groupby("article_id").size()
    top = per_article.idxmax()
    out.append(f"{arts.loc[top, 'label']} quotes the most ({_plural(int(per_article.max()), 'quotation')}).")
    return Findings(out)


# ------------------------------------------------------------------ 05 figures and claims


def money_table(tables: Tables) -> DataTable:
    """Money figures in U.S. dollars, claimed or reported, with the conversion basis."""
    rows = charts.money_rows(tables)
    frame = pd.DataFrame({
        "article_id": rows["article_id"], "figure": rows["text"], "what": rows["what"], "status": rows["status"],
        "claimed by": rows["claimed_by_name"], "USD": rows["usd"].round(0), "USD low": rows["usd_low"].round(0),
        "USD high": rows["usd_high"].round(0), "conversion basis": rows["usd_basis"],
    })
    if len(frame) > 200:  # claims first, then the largest sums
        frame = frame.assign(_c=frame["status"].ne("claimed")).sort_values(["_c", "USD"], ascending=[True, False],
                                                                           kind="stable").drop(columns="_c")
    return DataTable(_with_label(frame, tables), "USD low/high differ for ranges such as “hundreds of billions”.",
                     _csv("figures"))


def tariff_table(tables: Tables) -> DataTable:
    """Tariff rates with the date each is tied to."""
    rows = charts.tariff_rows(tables)
    return DataTable(_with_label(rows.drop(columns=["outlet"]), tables), "Tariff rates in tariff sentences.",
                     _csv("figures"))


def figures_table(tables: Tables) -> DataTable:
    """Every numeric figure (money, percentages, counts, durations)."""
    figs = table(tables, "figures")
    cols = ["article_id", "figure_id", "text", "category", "value", "unit", "what", "claimed_by", "usd_value"]
    return DataTable(_with_label(figs.reindex(columns=cols), tables), "All figures.", _csv("figures"))


CLAIMS_LISTED = 5
"""Claimed figures named one by one in the findings (those in most articles); the rest are counted."""


def cost_facts_table(tables: Tables) -> DataTable:
    """Each sum of money once, with what it pays for, its period, its yearly value and how many report it."""
    from .cost_facts import TOPIC_NAMES, money_facts

    facts = money_facts(tables, charts.money_rows(tables))
    frame = pd.DataFrame({
        "sum": facts["text"], "what": facts["what"], "status": facts["status"], "claimed by": facts["claimed_by_name"],
        "topic": facts["topic"].map(TOPIC_NAMES).fillna(facts["topic"]), "period": facts["basis"] + " " +
        facts["period"].fillna(""), "USD": facts["usd"].round(0), "USD a year": facts["usd_per_year"].round(0),
        "articles": facts["n_articles"], "outlets": facts["outlets"],
    }).sort_values(["articles", "USD"], ascending=[False, False], kind="stable")
    return DataTable(frame.reset_index(drop=True), "One row per fact: reports of the same sum (same status, speaker, "
                     "topic and period, values within 10%) are merged.")


def cost_sentence(tables: Tables) -> str:
    """The claim set against the yearly cost of hosting U.S. troops reported, in one sentence ("" if either is
    missing)."""
    from .cost_facts import comparison, money_facts

    found = comparison(money_facts(tables, charts.money_rows(tables)))
    if found is None:
        return ""
    claim = found["claim"]
    yearly = charts.usd_text(found["high"]) if found["low"] == found["high"] else \
        f"{charts.usd_text(found['low'])} to {charts.usd_text(found['high'])}"
    who = f" ({claim['claimed_by_name']})" if claim["claimed_by_name"] else ""
    if found["ratio"] >= 1.5:
        relation = f"is at least {found['ratio']:,.0f} times"
    elif found["ratio"] >= 0.67:
        relation = "is of the order of"
    else:
        relation = "is below"
    return (f"The claimed “{claim['text']}”{who} {relation} the yearly cost of hosting U.S. troops that the "
            f"articles report ({yearly} a year, {_plural(found['n'], 'reported figure')}).")


def figures_findings(tables: Tables) -> Findings:
    """Claimed vs reported costs and tariff rates, in words."""
    from .cost_facts import money_facts

    money = charts.money_rows(tables)
    rates = charts.tariff_rows(tables)
    figs = table(tables, "figures")
    if figs.empty:
        return Findings(["No figures extracted yet: the figures table is empty."])
    facts = money_facts(tables, money)
    out = [f"{_plural(len(figs), 'figure')} in the articles, of which {len(money):,} "
           f"{'is a sum' if len(money) == 1 else 'are sums'} of money "
           f"({_plural(len(facts), 'distinct fact')} once reports of the same sum are merged) and {len(rates):,} "
           f"{'is a tariff rate' if len(rates) == 1 else 'are tariff rates'}."]
    claims = facts[facts["status"] == "claimed"].sort_values("n_articles", ascending=False, kind="stable")
    for _, c in claims.head(CLAIMS_LISTED).iterrows():
        amount = (charts.usd_text(c["usd"]) if c["usd_high"] <= c["usd_low"] else
                  f"{charts.usd_text(c['usd_low'])} to {charts.usd_text(c['usd_high'])}")
        out.append(f"Claimed by {c['claimed_by_name'] or 'a speaker'}: “{c['text']}” ({amount}), in "
                   f"{_plural(int(c['n_articles']), 'article')}.")
    if len(claims) > CLAIMS_LISTED:
        out.append(f"{_plural(len(claims) - CLAIMS_LISTED, 'other claimed figure')} (see the money table).")
    sentence = cost_sentence(tables)
    if sentence:
        out.append(sentence)
    totals = facts[facts["basis"].eq("total")]
    if not totals.empty:
        out.append(f"{_plural(len(totals), 'sum')} {'is a total' if len(totals) == 1 else 'are totals'} over several "
                   "years; the chart shows them per year beside their period.")
    if not money.empty:
        out.append("Conversion to U.S. dollars: " + charts.basis_text(money["usd_basis"]) + ".")
    if not rates.empty:
        levels = sorted(rates["rate"].unique())
        out.append("Tariff rates mentioned: " + ", ".join(f"{r:g}%" for r in levels) + ".")
    return Findings(out)


# ------------------------------------------------------------------ index


ALL_FINDINGS = {
    "01": corpus_findings, "02": timeline_findings, "03": framing_findings, "04": voices_findings,
    "05": figures_findings,
}
"""Findings function of each numbered notebook."""


def summary_paragraph(tables: Tables) -> str:
    """One paragraph for reports/index.html answering the question from the tables (stance, claim, voices)."""
    arts = table(tables, "articles")
    if arts.empty:
        return "The manifest lists no articles yet."
    parts = [list(corpus_findings(tables))[0]]
    counts = charts.stance_counts(tables)
    if not counts.empty and int((counts["separation"] + counts["linkage"]).sum()):
        (ns, nl), (qs, ql) = charts.leans(counts, "narration"), charts.leans(counts, "quoted")
        parts.append(f"In their own words, {ns} of {len(arts)} articles lean to presenting the cost of U.S. troops "
                     f"and the tariffs as separate and {nl} as linked; in the voices they quote, {qs} lean to "
                     f"separation and {ql} to linkage.")
    sentence = cost_sentence(tables)
    if sentence:
        parts.append(sentence)
    quotes = charts.voice_counts(tables)
    if not quotes.empty:
        groups = quotes.groupby("speaker_group")["quotes"].sum().sort_values(ascending=False, kind="stable")
        parts.append(f"{pretty(groups.index[0])} voices are quoted most ({int(groups.iloc[0])} of "
                     f"{int(groups.sum())} quotations).")
    rates = charts.tariff_rows(tables)
    if not rates.empty:
        parts.append("Tariff rates in play: " + ", ".join(f"{r:g}%" for r in sorted(rates["rate"].unique())) + ".")
    return " ".join(parts)


# ------------------------------------------------------------------ wire copies


def without_copies(tables: Tables) -> Tables:
    """The tables without the articles flagged as near-duplicates (`articles.duplicate_of`) of an earlier one.

    Each wire story then counts once; the tables given are left as they are.
    """
    arts = tables["articles"]
    if "duplicate_of" not in arts:
        return dict(tables)
    flagged = set(arts.loc[arts["duplicate_of"].fillna("").astype(str).str.strip() != "", "article_id"])
    return {
        name: frame[~frame["article_id"].isin(flagged)] if "article_id" in frame.columns else frame
        for name, frame in tables.items()
    }


def framing_with_and_without_copies(tables: Tables) -> pd.DataFrame:
    """Per outlet: articles, mean stance score and articles with outlet-voiced linkage or separation
    framing, over all articles and without the flagged wire copies (columns suffixed _all / _originals)."""
    columns = ["outlet", "articles", "stance_score", "linkage_outlet", "separation_outlet"]

    def summary(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return pd.DataFrame(columns=columns).set_index("outlet")
        return frame.groupby("outlet").agg(
            articles=("article_id", "count"),
            stance_score=("stance_score", lambda s: pd.to_numeric(s, errors="coerce").mean()),
            linkage_outlet=("linkage_outlet", lambda s: int((pd.to_numeric(s, errors="coerce") > 0).sum())),
            separation_outlet=("separation_outlet", lambda s: int((pd.to_numeric(s, errors="coerce") > 0).sum())),
        )

    full = summary(tables["outlet_framing"])
    kept = summary(without_copies(tables)["outlet_framing"])
    out = full.add_suffix("_all").join(kept.add_suffix("_originals"), how="left")
    for col in ("articles", "linkage_outlet", "separation_outlet"):
        out[f"{col}_originals"] = out[f"{col}_originals"].fillna(0).astype(int)
    return out.reset_index()
