"""The whole report at scale: 300 synthetic articles from 24 outlets, every notebook executed.

Nothing fails; every chart stays within 3,000 px; every report and the index stay within their byte bounds;
every table shows a bounded number of rows and says where the rest are; findings read right.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
ARTICLES, OUTLETS = 300, 24
REPORT_BYTES, INDEX_BYTES, MAX_PX = 3_000_000, 1_500_000, 3000


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """A synthetic project of 300 articles from 24 outlets with tables, notebooks run and reports written."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from linkage import build
    from linkage.presentation.report import build_reports

    dst = synth.generate(ARTICLES, tmp_path_factory.mktemp("large"), outlets=OUTLETS)
    shutil.copytree(ROOT / "notebooks", dst / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    build(dst)
    reports = build_reports(dst)
    failed = {r.path.name: r.error for r in reports if r.error}
    assert not failed, failed
    return dst


def test_the_corpus_is_large(large: Path):
    import pandas as pd

    arts = pd.read_csv(large / "data" / "articles.csv")
    assert len(arts) == ARTICLES and arts["outlet"].nunique() >= 15


def test_every_chart_is_within_3000_px(large: Path, repo: Path):
    from PIL import Image

    pngs = sorted((large / "figures").glob("*.png"))
    assert [p.name for p in pngs] == sorted(p.name for p in (repo / "figures").glob("*.png")), "every chart is drawn"
    for png in pngs:
        with Image.open(png) as image:
            assert max(image.size) <= MAX_PX, f"{png.name}: {image.size}"


def test_reports_stay_within_their_byte_bounds(large: Path):
    reports = large / "reports"
    index = reports / "index.html"
    assert index.stat().st_size <= INDEX_BYTES, f"index.html is {index.stat().st_size:,} bytes"
    for page in reports.glob("*.html"):
        assert page.stat().st_size <= REPORT_BYTES, f"{page.name} is {page.stat().st_size:,} bytes"
    assert '<div class="failed">' not in index.read_text(encoding="utf-8")


def test_long_tables_are_bounded_and_point_to_the_full_csv(large: Path):
    from linkage.pipeline.settings import TABLE_ROWS

    page = (large / "reports" / "03_framing_briefing.html").read_text(encoding="utf-8")
    tables = re.findall(r'<div class="lk-dt" data-total="([\d,]+)">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert tables
    for _, body in tables:
        assert body.count("<tr>") <= TABLE_ROWS
    assert any(int(total.replace(",", "")) > TABLE_ROWS for total, _ in tables), "expected a long table at 300"
    assert f"Showing {TABLE_ROWS} of" in page and "all rows: data/processed/framing.csv" in page
    assert "max-height:30em" not in page and "@media print" in page


def test_per_outlet_tables_and_findings(large: Path):
    findings = (large / "reports" / "findings.md").read_text(encoding="utf-8")
    assert f"{ARTICLES} articles from {OUTLETS} outlets" in findings
    assert "(s)" not in findings
    assert re.search(r"by outlet \(sentences pooled\), \d+ of \d+ outlets lean to separation", findings)
    page = (large / "reports" / "03_framing_briefing.html").read_text(encoding="utf-8")
    assert "(n=" in page, "per-outlet columns carry their number of articles"
