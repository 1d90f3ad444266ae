"""The findings page (docs/findings.md) and the index: computed from the tables, current, honest on failure."""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

from linkage.pipeline.settings import Settings  # noqa: E402
from linkage.presentation import report  # noqa: E402


def test_committed_findings_page_equals_a_rebuild(tables, repo: Path):
    """docs/findings.md must be what `make report` writes from the seed tables (run it and commit)."""
    expected = report.findings_markdown(tables, report.plan(Settings(repo)))
    committed = (repo / report.FINDINGS_DOC).read_text(encoding="utf-8")
    assert committed == expected, "docs/findings.md is out of date: run `make report` and commit docs/findings.md"


def test_readme_takes_its_findings_from_the_findings_page(repo: Path):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "docs/findings.md" in readme
    assert "has no separation or linkage sentence of its own" not in readme, "hand-written finding in the README"


def test_findings_page_names_each_notebook_and_its_charts(tables, repo: Path):
    reports = report.plan(Settings(repo))
    text = report.findings_markdown(tables, reports)
    for r in reports:
        assert f"## {r.title}" in text
        for slug in r.charts:
            assert f"](../figures/{slug}.png)" in text
    assert "(s)" not in text


def _site(tmp_path: Path, root: Path) -> tuple[Settings, list[report.NotebookReport]]:
    settings = Settings(tmp_path)
    (tmp_path / "notebooks").mkdir()
    for nb in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        (tmp_path / "notebooks" / nb.name).write_bytes(nb.read_bytes())
    settings.figures.mkdir()
    settings.reports.mkdir()
    reports = report.plan(settings)
    for r in reports:
        for slug in r.charts:
            (settings.figures / f"{slug}.png").write_bytes((root / "figures" / f"{slug}.png").read_bytes())
    return settings, reports


def test_a_failed_notebook_is_named_and_its_charts_are_not_shown(tables, repo: Path, tmp_path: Path):
    settings, reports = _site(tmp_path, repo)
    failed = next(r for r in reports if r.charts)
    failed.error = "IndexError: tuple index out of range"
    since = time.time() - 5
    page = report.write_index(settings, reports, "summary", 1.0, {}, since).read_text(encoding="utf-8")
    assert "1 notebook failed" in page and "IndexError: tuple index out of range" in page
    for slug in failed.charts:
        assert f'alt="{slug.replace("_", " ")}"' not in page, "a chart of the failed notebook is shown"
        assert f"figures/{slug}.png — not shown: {failed.path.name} failed" in page
    others = [s for r in reports if r is not failed for s in r.charts]
    assert all(f'alt="{s.replace("_", " ")}"' in page for s in others)
    shown, missing = report._current(settings, reports, since)
    text = report.findings_markdown(tables, reports, shown=shown, missing=missing)
    assert f"`{failed.path.name}`: IndexError" in text
    assert not any(f"../figures/{s}.png)" in text for s in failed.charts)


def test_a_chart_left_from_an_earlier_run_is_not_shown(tables, repo: Path, tmp_path: Path):
    settings, reports = _site(tmp_path, repo)
    stale = next(s for r in reports for s in r.charts)
    old = time.time() - 3600
    os.utime(settings.figures / f"{stale}.png", (old, old))
    page = report.write_index(settings, reports, "summary", 1.0, {}, time.time() - 60).read_text(encoding="utf-8")
    assert f'alt="{stale.replace("_", " ")}"' not in page
    assert f"did not write figures/{stale}.png in this run" in page


def test_index_embeds_charts_small(repo: Path, tmp_path: Path):
    settings, reports = _site(tmp_path, repo)
    page = report.write_index(settings, reports, "summary", 1.0, {}, None)
    assert page.stat().st_size < 1_500_000
