"""Importing saved web pages and exports: metadata, clean text, idempotence, all-or-nothing, bad input."""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

import pytest

from linkage.cli import main
from linkage.extraction.corpus import segment_blocks
from linkage.ingest.pages import read_page
from linkage.pipeline.manifest import COLUMNS, load_articles, read_manifest
from linkage.pipeline.settings import Settings

HERE = Path(__file__).parent
PAGES = HERE / "data" / "html"
IMPORTS = HERE / "data" / "import"
FURNITURE = ("We use cookies", "Related stories", "Yen slides", "This is exactly what Tokyo", "All rights reserved",
             "Privacy", "Sign up now", "Home")


@pytest.fixture
def empty(project: Path) -> Path:
    """A project with the seeds' registry and lexicons but no articles."""
    (project / "data" / "articles.csv").write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    for f in (project / "data" / "raw").iterdir():
        f.unlink()
    return project


def _state(root: Path) -> dict[str, bytes]:
    """Every file under data/ (to show that a refused input changed nothing)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


def _roles(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for b in segment_blocks(text):
        out.setdefault(b.role, []).append(b.text)
    return out


# --- saved pages: metadata and clean text --------------------------------------------------

EXPECTED = {
    "opengraph.html": ("Ishiba keeps security out of tariff talks", "The Example Times", "2025-04-21T18:05+09:00",
                       '<meta property="article:published_time">', "Jane Doe"),
    "jsonld.html": ("Japan, U.S. to resume tariff talks as troop costs loom", "Pacific Wire", "2025-04-22T07:30-04:00",
                    "JSON-LD NewsArticle datePublished", "Ken Sato, Mary Jones"),
    "time.html": ("Tokyo braces for tariff round", "", "2025-04-23T06:00+09:00", "<time datetime>", ""),
    "liveblog.html": ("Live updates: Japan-U.S. tariff talks", "Wire Live", "2025-04-16T08:00-04:00",
                      "JSON-LD LiveBlogPosting datePublished", ""),
    "amp.html": ("Ishiba: security separate from trade", "Example News", "2025-04-20T21:10+09:00",
                 "JSON-LD NewsArticle datePublished", "Aiko Tanaka"),
    "meta_charset_cp1252.html": ("Ishiba keeps security out of tariff talks – café diplomacy", "The Example Times",
                                 "2025-04-21T18:05+09:00", '<meta property="article:published_time">', "Jane Doe"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_metadata_and_clean_text(name):
    headline, outlet, published, basis, author = EXPECTED[name]
    page = read_page(PAGES / name)
    assert (page.headline, page.outlet, page.published, page.author) == (headline, outlet, published, author)
    assert page.evidence.startswith(basis)
    assert page.extractor.startswith("trafilatura ")
    roles = _roles(page.text)
    assert roles["headline"] == [headline]
    body = "\n".join(roles.get("body", []))
    assert "Tariff negotiations are tariff negotiations" in body and "¥211 billion" in body
    for junk in FURNITURE:
        assert junk not in page.text, junk
    if author:
        assert roles["byline"] == [f"By {author}"]
    assert page.page == (PAGES / name).read_bytes()


def test_captions_and_credits_keep_their_roles():
    page = read_page(PAGES / "jsonld.html")
    roles = _roles(page.text)
    assert roles["caption"] == [
        "Prime Minister Shigeru Ishiba answers questions in the Diet in Tokyo on April 21. | KYODO",
        "U.S. Marines train in Okinawa Prefecture in January. | Reuters",
    ]
    assert roles["dateline"] == ["April 22, 2025"]
    assert roles["subhead"] == ["Troop costs"]
    assert _roles(read_page(PAGES / "amp.html").text)["caption"] == [
        "Prime Minister Shigeru Ishiba speaks on a television programme in Tokyo. | Example News"]


def test_canonical_url_from_link_or_og():
    assert read_page(PAGES / "amp.html").url == "https://news.example.org/2025/04/20/ishiba-security-trade.html"
    assert read_page(PAGES / "opengraph.html").url == "https://www.example-times.com/news/2025/04/21/ishiba-tariffs/"


# --- add PAGE.html ------------------------------------------------------------------------


def test_add_page_keeps_page_and_is_idempotent(empty, capsys):
    assert main(["--root", str(empty), "add", str(PAGES / "jsonld.html")]) == 0
    rows = read_manifest(Settings(empty))
    assert len(rows) == 1
    row = rows[0]
    assert row["outlet"] == "Pacific Wire" and row["published_basis"] == "stated"
    assert row["extractor"].startswith("trafilatura ") and row["author"] == "Ken Sato, Mary Jones"
    assert (empty / "data" / "html" / row["html_file"]).read_bytes() == (PAGES / "jsonld.html").read_bytes()
    import hashlib

    assert row["html_sha256"] == hashlib.sha256((PAGES / "jsonld.html").read_bytes()).hexdigest()
    article = load_articles(Settings(empty))[0]
    assert article.text.startswith("Japan, U.S. to resume tariff talks as troop costs loom\n")
    before = _state(empty)
    assert main(["--root", str(empty), "add", str(PAGES / "jsonld.html")]) == 0
    assert "same URL as article" in capsys.readouterr().out
    assert _state(empty) == before


def test_page_without_outlet_needs_flag(empty, capsys):
    before = _state(empty)
    assert main(["--root", str(empty), "add", str(PAGES / "time.html")]) == 2
    assert "no outlet" in capsys.readouterr().err
    assert _state(empty) == before
    assert main(["--root", str(empty), "add", str(PAGES / "time.html"), "--outlet", "Tokyo Brief"]) == 0


def test_old_manifest_without_new_columns_still_loads(project):
    settings = Settings(project)
    header = (project / "data" / "articles.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "duplicate_of" not in header
    assert len(load_articles(settings)) == 5
    assert main(["--root", str(project), "add", str(PAGES / "amp.html")]) == 0
    assert len(load_articles(settings)) == 6


# --- bad input: refused with a clear message, nothing written ------------------------------


def _refused(root: Path, path: Path, capsys, *extra: str) -> str:
    before = _state(root)
    assert main(["--root", str(root), "add", str(path), *extra]) == 2
    assert _state(root) == before
    return capsys.readouterr().err


def test_paywall_index_and_foreign_pages_refused(empty, capsys):
    assert "paywall stub" in _refused(empty, PAGES / "paywall.html", capsys)
    assert "no article text found" in _refused(empty, PAGES / "index_page.html", capsys)
    assert "not English" in _refused(empty, PAGES / "japanese.html", capsys)


def test_binary_huge_and_undecodable_pages_refused(empty, tmp_path, capsys):
    png = tmp_path / "photo.html"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    assert "PNG image" in _refused(empty, png, capsys)
    blob = tmp_path / "blob.html"
    blob.write_bytes(b"<html>\x00\x01\x02" * 100)
    assert "NUL bytes" in _refused(empty, blob, capsys)
    big = tmp_path / "big.html"
    text = (PAGES / "opengraph.html").read_text(encoding="utf-8")
    big.write_text(text.replace("</body>", "<!--" + "x" * (20 * 2**20) + "--></body>"), encoding="utf-8")
    assert "20.0 MB is larger" in _refused(empty, big, capsys)
    latin = tmp_path / "latin.html"  # windows-1252 bytes, no charset declared
    latin.write_bytes(text.replace('<meta charset="utf-8">', "").replace("Ishiba keeps", "Caf\u00e9 Ishiba keeps").encode("cp1252"))
    err = _refused(empty, latin, capsys)
    assert "does not decode as UTF-8" in err and "line" in err
    wrong = tmp_path / "wrong.html"  # declares UTF-8 but is windows-1252
    wrong.write_bytes(text.replace("Ishiba keeps", "Caf\u00e9 Ishiba keeps").encode("cp1252"))
    assert "the declared charset is wrong" in _refused(empty, wrong, capsys)


def test_date_without_offset_refused_unless_offset_given(empty, tmp_path, capsys):
    page = tmp_path / "naive.html"
    page.write_text((PAGES / "opengraph.html").read_text(encoding="utf-8").replace("T18:05:00+09:00", "T18:05:00"),
                    encoding="utf-8")
    assert "has no UTC offset" in _refused(empty, page, capsys)
    assert main(["--root", str(empty), "add", str(page), "--utc-offset", "+09:00"]) == 0
    row = read_manifest(Settings(empty))[0]
    assert row["published"] == "2025-04-21T18:05+09:00"
    assert "--utc-offset +09:00 applied" in row["published_evidence"]


# --- import: forms, all or nothing, idempotence ---------------------------------------------


def test_import_each_form(empty, capsys):
    root = str(empty)
    assert main(["--root", root, "import", str(IMPORTS / "stories.jsonl")]) == 0
    assert main(["--root", root, "import", str(IMPORTS / "stories.csv")]) == 0
    assert main(["--root", root, "import", str(IMPORTS / "folder"), "--outlet", "Tokyo Brief",
                 "--published", "2025-04-22T09:00+09:00"]) == 0
    rows = {r["outlet"]: r for r in read_manifest(Settings(empty))}
    assert set(rows) == {"The Example Times", "Pacific Wire", "The Example Ledger", "Tokyo Brief"}
    assert rows["Pacific Wire"]["published"] == "2025-04-17T13:00+00:00"
    assert rows["Pacific Wire"]["author"] == "Ken Sato"
    assert rows["The Example Ledger"]["headline"] == "Japan pays host-nation support"
    articles = {a.outlet: a for a in load_articles(Settings(empty))}
    assert len(articles) == 4  # the folder's page has the URL of the JSONL's first story: skipped
    assert articles["Pacific Wire"].text.startswith("Trump links troop costs to trade\n\nU.S. President")
    out = capsys.readouterr().out
    assert "skipped opengraph.html: same URL as article" in out


def test_bad_jsonl_line_rejects_the_whole_import(empty, tmp_path, capsys):
    lines = (IMPORTS / "stories.jsonl").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([lines[0], lines[1], '{"title": "broken", "text": '] ) + "\n", encoding="utf-8")
    before = _state(empty)
    assert main(["--root", str(empty), "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.jsonl, line 3: not valid JSON" in err and "nothing was added" in err
    assert _state(empty) == before


def test_csv_without_text_column_refused(empty, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,published,outlet\nA,2025-04-22T07:30:00-04:00,X\n", encoding="utf-8")
    before = _state(empty)
    assert main(["--root", str(empty), "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv: no text column" in err and "text, body, content" in err
    assert _state(empty) == before


def test_record_missing_field_names_line_and_field(empty, tmp_path, capsys):
    bad = tmp_path / "nodate.jsonl"
    bad.write_text(json.dumps({"text": "Japan said on Monday it would keep talking.", "outlet": "X"}) + "\n")
    assert main(["--root", str(empty), "import", str(bad)]) == 2
    assert "nodate.jsonl, line 1: field published is missing" in capsys.readouterr().err


def test_foreign_record_refused_or_skipped(empty, tmp_path, capsys):
    path = tmp_path / "mixed.jsonl"
    records = [
        {"title": "A", "text": "Japan will keep security issues out of its tariff negotiations with the United States.",
         "published": "2025-04-21T09:00+09:00", "outlet": "X", "url": "https://x.example/a"},
        {"title": "B", "text": "Le Japon séparera les questions de sécurité des négociations commerciales avec les États-Unis.",
         "published": "2025-04-21T09:00+09:00", "outlet": "Y", "url": "https://y.example/b"},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert main(["--root", str(empty), "import", str(path)]) == 2
    assert "mixed.jsonl, line 2" in capsys.readouterr().err
    assert read_manifest(Settings(empty)) == []
    assert main(["--root", str(empty), "import", str(path), "--skip-other-languages"]) == 0
    assert "skipped mixed.jsonl, line 2" in capsys.readouterr().out
    assert [r["outlet"] for r in read_manifest(Settings(empty))] == ["X"]


def _sentences(root: Path) -> list[str]:
    out = []
    for f in sorted((root / "data" / "raw").glob("*.txt")):
        out += [s for s in re.split(r"(?<=[.!?])\s+", f.read_text(encoding="utf-8")) if len(s.split()) > 8]
    return out


def test_thousand_record_import_then_nothing(empty, root, tmp_path, capsys):
    pool = _sentences(root)
    rng = random.Random(7)
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(1000):
            body = " ".join(rng.sample(pool, 4))
            handle.write(json.dumps({
                "title": f"Story {i}", "text": body, "publish_date": f"2025-04-{1 + i % 28:02d}T09:00:00+09:00",
                "media_name": f"Outlet {i % 37}", "url": f"https://news{i % 37}.example/story/{i}",
            }) + "\n")
    assert main(["--root", str(empty), "import", str(path)]) == 0
    assert capsys.readouterr().out.startswith("added 1000, skipped 0, rejected 0")
    assert len(load_articles(Settings(empty))) == 1000
    before = _state(empty)
    assert main(["--root", str(empty), "import", str(path)]) == 0
    assert capsys.readouterr().out.startswith("added 0, skipped 1000, rejected 0")
    assert _state(empty) == before


# --- wire copies ------------------------------------------------------------------------------


def test_wire_copy_flagged_and_filtered(empty, root, tmp_path):
    from linkage import build, load
    from linkage.presentation.views import framing_with_and_without_copies, without_copies

    original = (root / "data" / "raw" / "003_55ceb9b465f870cf.txt").read_text(encoding="utf-8")
    copy = original.replace("Prime Minister Ishiba", "Japan's prime minister").replace("Sunday", "Sunday morning")
    other = (root / "data" / "raw" / "004_79ac6091ef16edca.txt").read_text(encoding="utf-8")
    path = tmp_path / "wire.jsonl"
    records = [("Kyodo", original, "2025-04-20T12:00+09:00"), ("Copy Daily", copy, "2025-04-21T08:00+09:00"),
               ("Editorial Post", other, "2025-05-08T14:07+09:00")]
    path.write_text("".join(json.dumps({"text": t, "outlet": o, "published": p}) + "\n" for o, t, p in records))
    assert main(["--root", str(empty), "import", str(path)]) == 0
    rows = {r["outlet"]: r for r in read_manifest(Settings(empty))}
    assert rows["Copy Daily"]["duplicate_of"] == rows["Kyodo"]["article_id"]
    assert rows["Kyodo"]["duplicate_of"] == "" and rows["Editorial Post"]["duplicate_of"] == ""
    build(empty)
    tables = load(root=empty, rebuild=False)
    assert len(tables["articles"]) == 3
    kept = without_copies(tables)
    assert set(kept["articles"]["outlet"]) == {"Kyodo", "Editorial Post"}
    assert rows["Copy Daily"]["article_id"] not in set(kept["quotes"]["article_id"])
    compare = framing_with_and_without_copies(tables).set_index("outlet")
    assert compare.loc["Copy Daily", "articles_all"] == 1 and compare.loc["Copy Daily", "articles_originals"] == 0
    assert compare.loc["Kyodo", "articles_originals"] == 1


# --- done when: the five seeds as saved pages and as a JSONL export ----------------------------


def _seed_page(text: str, row: dict[str, str]) -> str:
    """A saved news page holding a seed article, laid out as a news site would (nav, figures, comments)."""
    blocks = segment_blocks(text, row["headline"])
    e = html.escape
    parts, nav, i = [], [], 0
    headline = next((b.text for b in blocks if b.role == "headline"), row["headline"])
    while i < len(blocks):
        b = blocks[i]
        if b.role == "headline":
            parts.append(f"<h1>{e(b.text)}</h1>")
        elif b.role == "dateline":
            parts.append(f'<p class="date"><time datetime="{row["published"]}">{e(b.text)}</time></p>')
        elif b.role == "subhead":
            parts.append(f"<h2>{e(b.text)}</h2>")
        elif b.role in ("body", "source", "byline"):
            parts.append(f"<p>{e(b.text)}</p>")
        elif b.role == "caption":
            caption, credit = b.text, ""
            if " | " in b.text:
                caption, credit = b.text.rsplit(" | ", 1)
            elif i + 1 < len(blocks) and blocks[i + 1].role == "caption" and blocks[i + 1].text.startswith(
                    (caption + " | ", "Credit", "Photo")):
                nxt = blocks[i + 1].text
                credit = nxt.rsplit(" | ", 1)[1] if " | " in nxt else nxt
                i += 1
            span = f' <span class="credit">{e(credit)}</span>' if credit else ""
            parts.append(f'<figure><img src="p{i}.jpg" alt=""><figcaption>{e(caption)}{span}</figcaption></figure>')
        else:
            nav.append(b.text)
        i += 1
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline or row["headline"],
          "datePublished": row["published"], "publisher": {"@type": "Organization", "name": row["outlet"]}}
    related = "".join(f"<li><a href='/r{k}'>{e(t)}</a></li>" for k, t in enumerate(nav) if t.strip("-"))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(headline)}</title>
<meta property="og:site_name" content="{e(row['outlet'])}"><link rel="canonical" href="{e(row['url'])}">
<script type="application/ld+json">{json.dumps(ld)}</script></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li></ul></nav></header>
<div class="cookie-banner"><p>We use cookies to improve your experience.</p></div>
<main><article>{''.join(parts)}</article>
<aside class="related"><h3>Popular articles</h3><ul>{related}</ul></aside>
<section class="comments"><p>Comments are closed.</p></section></main>
<footer><p>© 2025 {e(row['outlet'])}. All rights reserved.</p></footer></body></html>
"""


def _key_rows(tables, table: str, columns: list[str]) -> dict[str, list[tuple]]:
    arts = tables["articles"].set_index("article_id")["url"].to_dict()
    frame = tables[table]
    out: dict[str, list[tuple]] = {}
    for rec in frame.to_dict("records"):
        out.setdefault(arts[rec["article_id"]], []).append(tuple(str(rec[c]) for c in columns))
    return {k: sorted(v) for k, v in out.items()}


COMPARE = {"quotes": ["text", "kind", "speaker"], "figures": ["text", "category", "value", "unit"],
           "dates": ["text", "date_start", "date_end", "granularity"]}


def test_seed_pages_and_jsonl_give_the_same_tables(root, empty, tables, tmp_path, capsys):
    from linkage import build, load

    seeds = read_manifest(Settings(root))
    folder = tmp_path / "pages"
    folder.mkdir()
    jsonl = tmp_path / "seeds.jsonl"
    with open(jsonl, "w", encoding="utf-8") as handle:
        for row in seeds:
            text = (root / "data" / "raw" / row["source_file"]).read_text(encoding="utf-8")
            (folder / f"{row['article_id']}.html").write_text(_seed_page(text, row), encoding="utf-8")
            handle.write(json.dumps({"text": text, "title": row["headline"], "published": row["published"],
                                     "media_name": row["outlet"], "url": row["url"], "language": "en",
                                     "kind": row["kind"]}) + "\n")
    by_url = {r["url"]: r for r in seeds}
    for name, source in (("pages", folder), ("jsonl", jsonl)):
        proj = tmp_path / f"proj-{name}"
        import shutil

        shutil.copytree(empty, proj)
        assert main(["--root", str(proj), "import", str(source)]) == 0, capsys.readouterr().err
        capsys.readouterr()
        rows = read_manifest(Settings(proj))
        assert len(rows) == 5
        for r in rows:
            seed = by_url[r["url"]]
            assert (r["outlet"], r["published"]) == (seed["outlet"], seed["published"])
            assert r["headline"] == (seed["headline"] or r["headline"])
        if name == "jsonl":
            for r in rows:
                seed = by_url[r["url"]]
                assert r["sha256"] == seed["sha256"]  # the very same text, so offsets are equal too
        else:
            for a in load_articles(Settings(proj)):
                assert "POPULAR ARTICLE" not in a.text and "We use cookies" not in a.text
        build(proj)
        got = load(root=proj, rebuild=False)
        for table, cols in COMPARE.items():
            assert _key_rows(got, table, cols) == _key_rows(tables, table, cols), (name, table)
        before = _state(proj)
        assert main(["--root", str(proj), "import", str(source)]) == 0
        assert capsys.readouterr().out.startswith("added 0, skipped 5, rejected 0")
        assert len(read_manifest(Settings(proj))) == 5
        assert {k: v for k, v in _state(proj).items() if "processed" not in k} == \
            {k: v for k, v in before.items() if "processed" not in k}
