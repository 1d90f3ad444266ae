"""Benchmark the build on synthetic corpora of 1k, 5k and 20k articles (`make benchmark`).

For each size: generate the corpus (benchmarks/synth.py), run a cold build (empty cache) and a warm
build (every article cached) in fresh interpreters, and for the largest size add one article and
build again (it must re-extract exactly one). Also times a cold `python -m linkage build` of the
five real articles, interpreter start included. Reports wall time, articles per second, peak memory
(RSS summed over the build process and its workers, sampled every 20 ms) and CPU time per stage;
writes benchmarks/results.json and benchmarks/results.md.

    python benchmarks/run.py                      # 1000 5000 20000
    python benchmarks/run.py --sizes 1000 --jobs 1
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import logging
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
if "--child" not in sys.argv:  # a timed child imports the package snapshot given on PYTHONPATH
    sys.path.insert(0, str(ROOT / "src"))

__all__ = ["main"]

log = logging.getLogger("benchmarks.run")

STAGES = ["segmentation", "actors", "quotes", "figures", "dates", "framing", "events", "outlet_framing"]
"""Per-article stages in pipeline order (events and outlet_framing: the per-article half of two corpus steps)."""
TARGET_RATE = 300.0
TARGET_INCREMENTAL_SECONDS = 3.0
TARGET_GROWTH = 22.0
TARGET_MEMORY_MB = 2048.0
TARGET_CLI_SECONDS = 1.5


def _child(root: str, jobs: int | None) -> int:
    """Run one build in this process and print its summary as JSON (used by the parent)."""
    import resource

    import linkage
    from linkage.pipeline import build as pipeline

    marks: dict[str, float] = {}

    def marked(stage: Any) -> Any:
        def run(tables: Any, res: Any) -> Any:
            if "before_corpus_mb" not in marks:
                marks["before_corpus_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                marks["workers_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            return stage(tables, res)
        return run

    pipeline.CORPUS_STAGES[:] = [(name, marked(stage)) for name, stage in pipeline.CORPUS_STAGES]
    summary = linkage.build(root, jobs=jobs)
    print(json.dumps({
        "seconds": summary.seconds, "articles": summary.articles, "sentences": summary.sentences,
        "quotes": summary.quotes, "figures": summary.figures, "dates": summary.dates,
        "extracted": summary.extracted, "cached": summary.cached, "jobs": summary.jobs, "reused": summary.reused,
        "stage_seconds": summary.stage_seconds, "phase_seconds": summary.phase_seconds,
        "main_before_corpus_mb": marks.get("before_corpus_mb"), "worker_peak_mb": marks.get("workers_mb"),
    }))
    return 0


def _tree_rss(pid: int) -> tuple[int, int]:
    """(RSS of the process, RSS summed over it and its descendants), in bytes."""
    import psutil

    try:
        proc = psutil.Process(pid)
        own = proc.memory_info().rss
        total = own
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return own, total
    except psutil.Error:
        return 0, 0


def _measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run `cmd`; return (wall seconds, peak RSS of the main process MB, peak summed RSS MB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            own, total = _tree_rss(proc.pid)
            peak[0], peak[1] = max(peak[0], own), max(peak[1], total)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-3000:]}")
    return wall, peak[0] / 2**20, peak[1] / 2**20, out


_ENV: dict[str, str] = {}
"""Extra environment of every timed process (PYTHONPATH of the package snapshot)."""


def _snapshot(out: Path) -> Path:
    """Copy src/linkage so edits made while the benchmark runs cannot change the code it times."""
    target = out / "snapshot"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "src" / "linkage", target / "linkage", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": "0", **_ENV}


def _build(root: Path, jobs: int | None) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(root)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    env = _env()
    wall, own_mb, total_mb, out = _measured(cmd, env)
    result = json.loads(out.strip().splitlines()[-1])
    result.update(wall=wall, peak_main_mb=own_mb, peak_mb=total_mb, rate=result["articles"] / result["seconds"])
    return result


CORPUS_STEPS = ["actors", "events", "framing"]


def _stage_ms(result: dict[str, Any]) -> dict[str, float]:
    """CPU milliseconds per article: per-article stages summed over workers, then corpus steps (once per build)."""
    seconds = result["stage_seconds"]
    n = max(1, result["articles"])
    out = {stage: 1000.0 * seconds.get(stage, 0.0) / n for stage in STAGES}
    for step in CORPUS_STEPS:
        out[f"{step} (corpus)"] = 1000.0 * seconds.get(f"{step} (corpus)", 0.0) / n
    return out


def _add_one(root: Path, index: int) -> None:
    """Append synthetic article `index` to the corpus at `root` (file + manifest row)."""
    import synth

    from linkage.pipeline.manifest import COLUMNS

    pool = synth.paragraph_pool(ROOT)
    text, fields = synth._article(pool, index, 7)
    data = text.encode("utf-8")
    name = f"synth_{index:05d}.txt"
    (root / "data" / "raw" / name).write_bytes(data)
    row = {"article_id": f"synth-{index:05d}", "source_file": name, "sha256": hashlib.sha256(data).hexdigest(), **fields}
    with open(root / "data" / "articles.csv", "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n").writerow({c: row.get(c, "") for c in COLUMNS})


def _cli_cold(repeats: int = 5) -> dict[str, float]:
    """Wall seconds of `python -m linkage build` on the five real articles, interpreter start included."""
    tmp = Path(tempfile.mkdtemp(prefix="linkage-cli-"))
    try:
        shutil.copytree(ROOT / "data", tmp / "data", ignore=shutil.ignore_patterns("processed", "builds", ".*"))
        cmd = [sys.executable, "-m", "linkage", "--root", str(tmp), "build"]
        env = _env()

        def timed() -> float:
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if done.returncode:
                raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
            return time.perf_counter() - start

        empty, cached = [], []
        for _ in range(repeats):
            shutil.rmtree(tmp / ".cache", ignore_errors=True)
            empty.append(timed())
            cached.append(timed())
        empty.sort()
        cached.sort()
        return {"empty_cache_median": empty[len(empty) // 2], "empty_cache_max": empty[-1],
                "cached_median": cached[len(cached) // 2]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _machine() -> dict[str, Any]:
    model = ""
    with_cpuinfo = Path("/proc/cpuinfo")
    if with_cpuinfo.is_file():
        for line in with_cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {"cores": cores, "cpu": model or platform.processor(), "python": platform.python_version(), "load": load,
            "system": platform.platform(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def _markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"Machine: {m['cores']} cores ({m['cpu']}), Python {m['python']}, {m['date']}, "
        f"load average {m.get('load', float('nan')):.1f} when the run started.",
        "",
        "| articles | MB of text | build (s) | articles/s | wall incl. start (s) | peak memory (MB) | warm build, all cached (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["sizes"]:
        cold, warm = r["cold"], r["warm"]
        warm_s = f"{warm['seconds']:.2f}" if warm else "not run"
        lines.append(
            f"| {r['articles']:,} | {r['mb']:.1f} | {cold['seconds']:.2f} | {cold['rate']:,.0f} | {cold['wall']:.2f} | "
            f"{cold['peak_mb']:,.0f} | {warm_s} |"
        )
    marks = [r for r in report["sizes"] if r["cold"].get("main_before_corpus_mb")]
    if marks:
        lines += ["", "Peak memory of the main process before the corpus-level steps start (extraction, "
                      "Arrow columns, DataFrames), and of the largest worker: " + "; ".join(
                          f"{r['articles']:,} articles: {r['cold']['main_before_corpus_mb']:,.0f} MB, "
                          f"worker {r['cold']['worker_peak_mb']:,.0f} MB" for r in marks) + "."]
    names = list(_stage_ms(report["sizes"][0]["cold"])) if report["sizes"] else []
    lines += ["", "CPU milliseconds per article by stage (cold builds; per-article stages summed over worker "
                  "processes; corpus steps run once over all articles, divided by their number):", "",
              "| articles | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
    for r in report["sizes"]:
        ms = _stage_ms(r["cold"])
        lines.append(f"| {r['articles']:,} | " + " | ".join(f"{ms[s]:.2f}" for s in names) + " |")
    phases = ["load", "extract", "corpus", "write"]
    lines += ["", "Wall seconds by phase of the cold builds (load: manifest and raw files; extract: every article, "
                  "in the workers; corpus: the corpus-level steps; write: the remaining tables and the renames):", "",
              "| articles | " + " | ".join(phases) + " |", "|---:|" + "---:|" * len(phases)]
    for r in report["sizes"]:
        got = r["cold"].get("phase_seconds") or {}
        lines.append(f"| {r['articles']:,} | " + " | ".join(f"{got.get(p, float('nan')):.2f}" for p in phases) + " |")
    if report.get("incremental"):
        inc = report["incremental"]
        phases = ", ".join(f"{k} {v:.2f}" for k, v in (inc.get("phase_seconds") or {}).items())
        lines += ["", f"Adding one article to the {inc['before']:,}-article corpus: {inc['extracted']} article "
                      f"extracted, {inc.get('reused', 0):,} taken from the previous build, build {inc['seconds']:.2f} s "
                      f"({phases}; wall with interpreter start {inc.get('wall', float('nan')):.2f} s)."]
    cli = report.get("cli")
    if cli:
        lines += ["", f"`python -m linkage build` of the five articles, interpreter start included: "
                      f"{cli['empty_cache_median']:.2f} s with an empty cache (median of 5, worst "
                      f"{cli['empty_cache_max']:.2f} s), {cli['cached_median']:.2f} s cached."]
    lines += ["", "Targets:", ""]
    lines += [f"- {'PASS' if ok else 'FAIL'}: {what}" for what, ok in report["targets"]]
    return "\n".join(lines) + "\n"


def _targets(report: dict[str, Any]) -> list[tuple[str, bool]]:
    sizes = {r["articles"]: r for r in report["sizes"]}
    out = []
    if sizes:
        big = sizes[max(sizes)]
        out.append((f"{max(sizes):,} articles at >= {TARGET_RATE:,.0f} articles/s (measured {big['cold']['rate']:,.0f})",
                    big["cold"]["rate"] >= TARGET_RATE))
        peak = max(r["cold"]["peak_mb"] for r in sizes.values())
        out.append((f"peak memory <= {TARGET_MEMORY_MB:,.0f} MB (measured {peak:,.0f} MB)", peak <= TARGET_MEMORY_MB))
        if len(sizes) > 1:
            small = sizes[min(sizes)]
            growth = big["cold"]["seconds"] / small["cold"]["seconds"]
            limit = TARGET_GROWTH * max(sizes) / min(sizes) / 20
            out.append((f"{max(sizes):,}-article build <= {limit:.0f}x the {min(sizes):,}-article build "
                        f"(measured {growth:.1f}x)", growth <= limit))
    if report.get("incremental"):
        inc = report["incremental"]
        out.append(("adding one article re-extracts one article", inc["extracted"] == 1))
        out.append((f"adding one article to {inc['before']:,} builds in <= {TARGET_INCREMENTAL_SECONDS:.0f} s "
                    f"(measured {inc['seconds']:.2f} s)", inc["seconds"] <= TARGET_INCREMENTAL_SECONDS))
    if report.get("cli"):
        cli = report["cli"]["empty_cache_median"]
        out.append((f"cold CLI build of the five articles <= {TARGET_CLI_SECONDS} s (measured {cli:.2f} s)",
                    cli <= TARGET_CLI_SECONDS))
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: every core)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where corpora are generated")
    parser.add_argument("--results", type=Path, default=HERE, help="folder for results.json and results.md")
    parser.add_argument("--no-cli", action="store_true", help="skip the five-article CLI timing")
    parser.add_argument("--cold-only", action="store_true", help="skip the warm and one-more-article builds")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child, args.jobs)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import synth

    snapshot = _snapshot(args.out)
    _ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(snapshot), os.environ.get("PYTHONPATH")]))
    report: dict[str, Any] = {"machine": _machine(), "sizes": []}
    sizes = sorted(args.sizes)
    for n in sizes:
        root = args.out / f"corpus-{n}"
        log.info("generating %d articles in %s", n, root)
        synth.generate(n, root)
        mb = sum(p.stat().st_size for p in (root / "data" / "raw").iterdir()) / 1e6
        cold = _build(root, args.jobs)
        log.info("  cold: %.2f s, %.0f articles/s, peak %.0f MB", cold["seconds"], cold["rate"], cold["peak_mb"])
        warm = None if args.cold_only else _build(root, args.jobs)
        if warm:
            log.info("  warm: %.2f s (%d from cache)", warm["seconds"], warm["cached"])
        report["sizes"].append({"articles": n, "mb": mb, "cold": cold, "warm": warm})
        if n == sizes[-1] and not args.cold_only:
            _add_one(root, n + random.Random(n).randint(0, 10_000))
            inc = _build(root, args.jobs)
            report["incremental"] = {"before": n, "extracted": inc["extracted"], "cached": inc["cached"],
                                     "reused": inc.get("reused", 0), "seconds": inc["seconds"], "wall": inc["wall"],
                                     "phase_seconds": inc.get("phase_seconds") or {}, "peak_mb": inc["peak_mb"]}
            log.info("  +1 article: %d extracted, %.2f s", inc["extracted"], inc["seconds"])
    if not args.no_cli:
        report["cli"] = _cli_cold()
    report["targets"] = _targets(report)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    text = _markdown(report)
    (args.results / "results.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
