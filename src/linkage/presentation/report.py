"""Execute every notebook and write self-contained HTML reports: `python -m linkage.presentation.report`."""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..pipeline.settings import Settings
from .htmltable import escape

__all__ = [
    "NotebookReport", "notebooks", "execute", "export", "write_index", "build_reports", "main", "charts_of",
    "findings_markdown", "write_findings", "FINDINGS_DOC", "plan",
]

FINDINGS_DOC = Path("docs") / "findings.md"
"""The committed copy of reports/findings.md (reports/ is not committed); a test holds it to the tables."""

INDEX_IMAGE_PX = 1000
"""Charts in index.html are embedded at most this wide (the full 200-dpi PNGs are in figures/)."""

INDEX_IMAGE_BYTES = 140_000
"""...and at most this many bytes each (narrower if need be): seven charts keep index.html under 1.5 MB."""

log = logging.getLogger(__name__)

OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{% block extra_css %}<style>
body{max-width:1180px;margin:0 auto}
.jp-RenderedHTMLCommon{font-size:15px;line-height:1.55}
.jp-RenderedHTMLCommon h1{font-size:1.9em}
.lk-nav{font:14px sans-serif;padding:.6em 1em;border-bottom:1px solid #ddd;margin-bottom:.5em}
</style>{% endblock extra_css %}
{% block body_header %}{{ super() }}<nav class="lk-nav">{{ resources.lk_nav }}</nav>{% endblock body_header %}
"""
"""The lab template without any script fetched from the network (no require.js, MathJax or mermaid)."""

_QUESTION = re.compile(r"\*\*Question\.\*\*\s*(.+)")
_CHART_CALL = re.compile(r"\bcharts\.(\w+)\(")


@dataclass
class NotebookReport:
    """One executed notebook and the report files written from it."""

    path: Path
    title: str
    question: str
    html: Path
    briefing: Path
    seconds: float = 0.0
    error: str = ""
    charts: tuple[str, ...] = ()


def notebooks(settings: Settings) -> list[Path]:
    """The numbered notebooks (NN_name.ipynb) in reading order."""
    return sorted((settings.root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def charts_of(path: Path) -> list[str]:
    """File stems of the briefing charts a notebook draws (its `charts.<function>(` calls), in order."""
    from .charts import CHARTS

    slugs = {chart.__name__: chart.slug for chart in CHARTS}  # type: ignore[attr-defined]
    nb = nbformat.read(path, as_version=4)
    calls = [m.group(1) for cell in nb.cells if cell.cell_type == "code" for m in _CHART_CALL.finditer(cell.source)]
    return list(dict.fromkeys(slugs[c] for c in calls if c in slugs))


def _heading(nb: nbformat.NotebookNode) -> tuple[str, str]:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = cell.source
            title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), "")
            match = _QUESTION.search(text)
            return title, (match.group(1).strip() if match else "")
    return "", ""


def execute(path: Path, settings: Settings, timeout: int = 300, *, fresh: bool = False) -> tuple[nbformat.NotebookNode, str]:
    """Run a notebook top to bottom in a fresh kernel (working directory notebooks/); return it and any error.

    `fresh=True` tells the notebook the tables were just built, so it loads them without a staleness rebuild.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    env = {**os.environ, "LINKAGE_ROOT": str(settings.root), "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    if fresh:
        env["LINKAGE_TABLES_FRESH"] = "1"
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(env=env, stderr=subprocess.DEVNULL)  # the kernel's transport warning is noise
    except CellExecutionError as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        return nb, (f"{getattr(exc, 'ename', '')}: {getattr(exc, 'evalue', '')}".strip(": ")
                    or (lines[-1] if lines else type(exc).__name__))
    return nb, ""


def export(nb: nbformat.NotebookNode, target: Path, *, title: str, nav: str, code: bool) -> None:
    """Write one self-contained HTML file (images embedded, no network fetches); `code=False` hides inputs."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab", extra_loaders=[DictLoader({"linkage_offline.html.j2": OFFLINE_TEMPLATE})],
        template_file="linkage_offline.html.j2", embed_images=True, exclude_input=not code,
        exclude_input_prompt=not code, exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "lk_nav": nav})
    target.write_text(body, encoding="utf-8")


def _nav(reports: list[NotebookReport], current: NotebookReport, briefing: bool) -> str:
    links = ['<a href="index.html">Index</a>']
    for r in reports:
        target = r.briefing if briefing else r.html
        name = escape(r.title)
        links.append(f"<strong>{name}</strong>" if r is current else f'<a href="{target.name}">{name}</a>')
    other = current.html if briefing else current.briefing
    switch = "with code" if briefing else "briefing (no code)"
    return " · ".join(links) + f' — <a href="{other.name}">{switch}</a>'


_INDEX_CSS = """
body{font:16px/1.55 -apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#222;max-width:980px;
 margin:2em auto;padding:0 1.2em}
h1{font-size:1.8em;margin-bottom:.2em}.lede{font-size:1.05em;color:#333}
.meta{color:#5f5f5f;font-size:.9em}
ol.books>li{margin:1.1em 0}.q{color:#444;font-style:italic}.links a{margin-right:1em}
ul.f{margin:.3em 0;padding-left:1.2em;font-size:.93em}ul.f li{margin:.15em 0}
.failed{border:2px solid #b00;background:#fff4f4;padding:.6em 1em;margin:1em 0}
figure.missing{color:#b00}
@media print{figure{page-break-inside:avoid}.links{display:none}}
figure{margin:1.6em 0;border-top:1px solid #e5e5e5;padding-top:1em}
figure img{max-width:100%;height:auto}figcaption{color:#5f5f5f;font-size:.85em}
"""


def _thumbnail(png: Path, budget: int = INDEX_IMAGE_BYTES) -> bytes:
    """The chart PNG at most INDEX_IMAGE_PX wide in a 256-colour palette, narrowed further until it is at most
    `budget` bytes (or 400 px wide), so the index stays small whatever the charts hold."""
    from PIL import Image

    with Image.open(png) as source:
        source = source.convert("RGB")
        width = min(INDEX_IMAGE_PX, source.width)
        while True:
            image = source if width == source.width else source.resize(
                (width, max(1, round(source.height * width / source.width))), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG", optimize=True)
            if buffer.tell() <= budget or width <= 400:
                return buffer.getvalue()
            width = max(400, int(width * 0.75))


def _current(settings: Settings, reports: list[NotebookReport], since: float | None) -> tuple[list[str], dict[str, str]]:
    """Chart stems to show (drawn by a notebook that ran without error, in this run when `since` is given) and,
    for every other chart of a notebook, why it is not shown."""
    shown, missing = [], {}
    for r in reports:
        for slug in r.charts:
            png = settings.figures / f"{slug}.png"
            if r.error:
                missing[slug] = f"not shown: {r.path.name} failed ({r.error})"
            elif not png.is_file() or (since is not None and png.stat().st_mtime < since):
                missing[slug] = f"not shown: {r.path.name} did not write figures/{slug}.png in this run"
            else:
                shown.append(slug)
    return shown, missing


def write_index(settings: Settings, reports: list[NotebookReport], summary: str, seconds: float,
                findings: dict[str, list[str]] | None = None, since: float | None = None) -> Path:
    """reports/index.html: the summary paragraph, links to every report with its findings, and the charts
    drawn in this run (a notebook that failed is named at the top, and its charts are not shown)."""
    items = []
    for r in reports:
        status = f' <span style="color:#b00">(failed: {escape(r.error)})</span>' if r.error else ""
        found = (findings or {}).get(r.path.stem[:2], [])
        listed = f'<ul class="f">{"".join(f"<li>{escape(x)}</li>" for x in found)}</ul>' if found else ""
        items.append(
            f'<li><strong>{escape(r.title)}</strong>{status}<div class="q">{escape(r.question)}</div>{listed}'
            f'<div class="links"><a href="{escape(r.briefing.name)}">Briefing (no code)</a>'
            f'<a href="{escape(r.html.name)}">Full report with code</a></div></li>'
        )
    shown, missing = _current(settings, reports, since)
    with ThreadPoolExecutor(max_workers=2) as pool:  # Pillow releases the GIL while it resizes and compresses
        thumbnails = dict(zip(shown, pool.map(lambda stem: _thumbnail(settings.figures / f"{stem}.png"), shown),
                              strict=True))
    figures = []
    for stem in [c for r in reports for c in r.charts]:
        if stem not in shown:
            figures.append(f'<figure class="missing"><figcaption>figures/{escape(stem)}.png — '
                           f"{escape(missing.get(stem, 'not drawn'))}</figcaption></figure>")
            continue
        data = base64.b64encode(thumbnails[stem]).decode("ascii")
        figures.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{escape(stem.replace("_", " "))}">'
            f"<figcaption>figures/{escape(stem)}.png · .svg · .csv (the data plotted; full size in figures/)"
            "</figcaption></figure>"
        )
    failed = [r for r in reports if r.error]
    banner = ""
    if failed:
        banner = ('<div class="failed"><strong>' + escape(_plural_notebooks(len(failed))) + " failed in this run; "
                  "their reports and charts are incomplete and not shown as current:</strong><ul>"
                  + "".join(f"<li>{escape(r.path.name)}: {escape(r.error)}</li>" for r in failed) + "</ul></div>")
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>linkage — reports</title><style>{_INDEX_CSS}</style></head><body>"
        "<h1>Did Washington tie tariffs to the cost of U.S. troops in Japan?</h1>"
        f'{banner}<p class="lede">{escape(summary)}</p>'
        f'<p class="meta">Built from the tables in data/processed/ by <code>python -m linkage.presentation.report</code> '
        f"({len(reports)} notebooks executed in {seconds:.0f} s). Every report is self-contained and works "
        "offline.</p><h2>Reports</h2>"
        f'<ol class="books">{"".join(items)}</ol><h2>Briefing charts</h2>{"".join(figures)}</body></html>\n'
    )
    target = settings.reports / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def _plural_notebooks(n: int) -> str:
    return f"{n} notebook{'s' if n != 1 else ''}"


def findings_markdown(tables: dict, reports: list[NotebookReport], *, shown: list[str] | None = None,
                      missing: dict[str, str] | None = None, findings: dict[str, list[str]] | None = None,
                      summary: str | None = None) -> str:
    """reports/findings.md: the summary, each notebook's findings as sentences and its charts (linked from
    figures/), all computed from the tables; a failed notebook is named and its charts are left out.
    `findings` (by notebook number) and `summary` may be given when already computed from the same tables."""
    from .views import ALL_FINDINGS, summary_paragraph

    shown = [c for r in reports for c in r.charts] if shown is None else shown
    missing = missing or {}
    lines = ["# Findings", "",
             "<!-- Written by `make report` (python -m linkage.presentation.report) from the tables in data/processed/; "
             "do not edit by hand. -->", ""]
    failed = [r for r in reports if r.error]
    if failed:
        lines += [f"**{_plural_notebooks(len(failed))} failed in this run; the charts of a failed notebook are "
                  "not shown:**", ""]
        lines += [f"- `{r.path.name}`: {r.error}" for r in failed] + [""]
    lines += [summary_paragraph(tables) if summary is None else summary, ""]
    for r in reports:
        lines += [f"## {r.title}", ""]
        if r.question:
            lines += [f"*{r.question}*", ""]
        key = r.path.stem[:2]
        finder = ALL_FINDINGS.get(key)
        if findings is not None and key in findings:
            lines += [f"- {sentence}" for sentence in findings[key]] + [""]
        elif finder is not None:
            lines += [f"- {sentence}" for sentence in finder(tables)] + [""]
        for slug in r.charts:
            if slug in shown:
                lines += [f"![{slug.replace('_', ' ')}](../figures/{slug}.png)", ""]
            else:
                lines += [f"*Chart figures/{slug}.png {missing.get(slug, 'not drawn')}.*", ""]
    return "\n".join(lines).rstrip() + "\n"


def write_findings(settings: Settings, text: str) -> list[Path]:
    """Write reports/findings.md and its committed copy docs/findings.md (same text: links are ../figures/)."""
    targets = [settings.reports / "findings.md", settings.root / FINDINGS_DOC]
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return targets


def plan(settings: Settings) -> list[NotebookReport]:
    """The report of every numbered notebook (title, question, output files, charts), before running any."""
    reports = []
    for path in notebooks(settings):
        title, question = _heading(nbformat.read(path, as_version=4))
        reports.append(NotebookReport(path, title or path.stem, question, settings.reports / f"{path.stem}.html",
                                      settings.reports / f"{path.stem}_briefing.html", charts=tuple(charts_of(path))))
    return reports


def build_reports(root: str | Path | None = None, *, jobs: int = 2) -> list[NotebookReport]:
    """Build the tables if stale, execute every notebook (writing figures/), and write reports/.

    Every notebook and the index read the same build (`_one_snapshot`), whatever is published meanwhile.
    """
    settings = Settings.discover(root)
    with _one_snapshot(settings):
        return _build_reports(settings, jobs)


@contextlib.contextmanager
def _one_snapshot(settings: Settings) -> Iterator[Path]:
    """Rebuild the tables if stale, then pin this process and the notebook kernels it starts to the current build.

    The outputs pointer (data/processed) is resolved once; its folder goes to `load()` here and in
    every kernel through the environment variable outputs.SNAPSHOT_ENV, so a build published while
    the report runs does not reach half of the notebooks.
    """
    from ..pipeline.build import build, is_stale
    from ..pipeline.outputs import SNAPSHOT_ENV, held, snapshot

    previous = os.environ.pop(SNAPSHOT_ENV, None)
    try:
        if is_stale(settings):
            build(settings.root)
        with held(snapshot(settings)) as folder:  # later builds do not collect it while the report runs
            os.environ[SNAPSHOT_ENV] = str(folder)
            yield folder
    finally:
        os.environ.pop(SNAPSHOT_ENV, None)
        if previous is not None:
            os.environ[SNAPSHOT_ENV] = previous


def _build_reports(settings: Settings, jobs: int) -> list[NotebookReport]:
    from ..pipeline.build import load
    from .views import ALL_FINDINGS, summary_paragraph

    start = time.perf_counter()
    since = time.time() - 1.0  # figures written from here on are this run's (1 s: coarse file-system clocks)
    tables = load(root=settings.root)
    settings.reports.mkdir(parents=True, exist_ok=True)
    reports = plan(settings)

    def run(report: NotebookReport) -> NotebookReport:
        t0 = time.perf_counter()
        nb, report.error = execute(report.path, settings, fresh=True)
        report.seconds = time.perf_counter() - t0
        log.info("executed %s in %.1f s%s", report.path.name, report.seconds,
                 f" — FAILED: {report.error}" if report.error else "")
        # exported here, while the other kernel still runs (the kernels are other processes)
        export(nb, report.html, title=report.title, nav=_nav(reports, report, False), code=True)
        export(nb, report.briefing, title=report.title, nav=_nav(reports, report, True), code=False)
        return report

    def computed() -> tuple[dict[str, list[str]], str]:
        return {key: list(fn(tables)) for key, fn in ALL_FINDINGS.items()}, summary_paragraph(tables)

    # the findings are computed once, from the same tables, while the kernels start and run
    with ThreadPoolExecutor(max_workers=1) as side, ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        pending = side.submit(computed)
        list(pool.map(run, reports))
        findings, summary = pending.result()
    write_index(settings, reports, summary, time.perf_counter() - start, findings, since)
    shown, missing = _current(settings, reports, since)
    write_findings(settings, findings_markdown(tables, reports, shown=shown, missing=missing, findings=findings,
                                               summary=summary))
    return reports


def main(argv: list[str] | None = None) -> int:
    """Command line: build every report; exit 1 if a notebook failed."""
    parser = argparse.ArgumentParser(prog="python -m linkage.presentation.report", description=__doc__)
    parser.add_argument("--root", help="project root (default: found from the working directory)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed in parallel (default 2)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only print the summary line")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s")
    logging.getLogger("traitlets").setLevel(logging.WARNING)
    start = time.perf_counter()
    reports = build_reports(args.root, jobs=args.jobs)
    failed = [r for r in reports if r.error]
    print(f"wrote {2 * len(reports) + 1} HTML files and findings.md to reports/ (copy: {FINDINGS_DOC}) from "
          f"{len(reports)} notebooks "
          f"in {time.perf_counter() - start:.1f} s" + (f"; {len(failed)} FAILED" if failed else ""))
    for r in failed:
        print(f"error: {r.path.name}: {r.error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
