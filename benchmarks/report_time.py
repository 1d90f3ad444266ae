"""Time `make report`'s work from a fresh clone: build every table (no cache), execute every notebook, write
figures/ and reports/. Runs in a temporary copy of the project's inputs, so the checkout is not touched.

Usage: .venv/bin/python benchmarks/report_time.py [--runs 3]
Prints the wall time of each step and the total; the README quotes the median total.
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
    return time.perf_counter() - start


def fresh_copy(target: Path) -> Path:
    """Copy what a clone holds (data without built tables, notebooks) into `target`."""
    shutil.copytree(ROOT / "data", target / "data", ignore=shutil.ignore_patterns("processed", "builds", ".*"))
    shutil.copytree(ROOT / "notebooks", target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def once() -> tuple[float, float]:
    """One cold build in a fresh copy followed by `python -m linkage.report` there."""
    with tempfile.TemporaryDirectory(prefix="linkage-report-time-") as tmp:
        root = fresh_copy(Path(tmp))
        build = _run([sys.executable, "-m", "linkage", "--root", str(root), "build"], root)
        report = _run([sys.executable, "-m", "linkage.report", "--root", str(root), "--quiet"], root)
    return build, report


def main() -> None:
    """Run the measurement `--runs` times and print each run and the median."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    totals = []
    for i in range(args.runs):
        build, report = once()
        totals.append(build + report)
        print(f"run {i + 1}: build {build:.1f} s + notebooks/figures/reports {report:.1f} s = {build + report:.1f} s")
    print(f"median total: {statistics.median(totals):.1f} s wall on {os.cpu_count()} cores (budget 60 s)")


if __name__ == "__main__":
    main()
