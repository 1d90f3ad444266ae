"""Time `make report`'s work from a fresh clone: build every table (no cache), execute every notebook, write
figures/ and reports/. Runs in a temporary copy of the project's inputs, so the checkout is not touched.

Usage: .venv/bin/python benchmarks/report_time.py [--runs 3] [--articles N [--outlets K]]
With --articles, the project is a synthetic corpus (benchmarks/synth.py) of N articles from K outlets
instead of the five seed articles. Prints the wall time of each step and the total, each notebook's time,
and the sizes of the reports and charts; benchmarks/README.md quotes the median total.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path) -> float:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    env.pop("LINKAGE_ROOT", None)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args[1:])} failed:\n{done.stderr[-3000:]}")
    for line in done.stderr.splitlines():  # the report logs each notebook's time
        if line.startswith("executed "):
            print(f"  {line}")
    return time.perf_counter() - start


def fresh_copy(target: Path) -> Path:
    """Copy what a clone holds (data without built tables, notebooks) into `target`."""
    shutil.copytree(ROOT / "data", target / "data", ignore=shutil.ignore_patterns("processed", "builds", ".*"))
    shutil.copytree(ROOT / "notebooks", target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def synthetic_copy(target: Path, articles: int, outlets: int | None) -> Path:
    """A synthetic project of `articles` articles (from `outlets` outlets) with the notebooks, in `target`."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    synth.generate(articles, target, outlets=outlets)
    shutil.copytree(ROOT / "notebooks", target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def _sizes(root: Path) -> str:
    """Largest report, index and largest chart, in a few words."""
    from PIL import Image

    pages = {p.name: p.stat().st_size for p in (root / "reports").glob("*.html")}
    largest = max((n for n in pages if n != "index.html"), key=pages.get, default="")
    charts = []
    for png in (root / "figures").glob("*.png"):
        with Image.open(png) as image:
            charts.append((max(image.size), png.name))
    tallest = max(charts, default=(0, ""))
    return (f"index.html {pages.get('index.html', 0) / 1e6:.2f} MB; largest report {largest} "
            f"{pages.get(largest, 0) / 1e6:.2f} MB; largest chart side {tallest[0]} px ({tallest[1]})")


def once(articles: int | None = None, outlets: int | None = None) -> tuple[float, float, str]:
    """One cold build in a fresh copy followed by `python -m linkage.presentation.report` there."""
    with tempfile.TemporaryDirectory(prefix="linkage-report-time-") as tmp:
        root = synthetic_copy(Path(tmp), articles, outlets) if articles else fresh_copy(Path(tmp))
        build = _run([sys.executable, "-m", "linkage", "--root", str(root), "build"], root)
        report = _run([sys.executable, "-m", "linkage.presentation.report", "--root", str(root)], root)
        sizes = _sizes(root)
    return build, report, sizes


def main() -> None:
    """Run the measurement `--runs` times and print each run and the median."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=None, help="a synthetic corpus of this many articles")
    parser.add_argument("--outlets", type=int, default=None, help="...from this many outlets (synth.py --outlets)")
    args = parser.parse_args()
    totals = []
    for i in range(args.runs):
        build, report, sizes = once(args.articles, args.outlets)
        totals.append(build + report)
        print(f"run {i + 1}: build {build:.1f} s + notebooks/figures/reports {report:.1f} s = {build + report:.1f} s")
        print(f"  {sizes}")
    budget = "300 s at 20,000 articles" if (args.articles or 0) > 1000 else "60 s at 1,000 articles"
    print(f"median total: {statistics.median(totals):.1f} s wall on {os.cpu_count()} cores (budget {budget})")


if __name__ == "__main__":
    main()
