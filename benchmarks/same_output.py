"""Check that a speed-up changes no output: build a synthetic corpus and compare every table with a reference.

    python benchmarks/same_output.py save REF            # build with the current code, keep the tables in REF
    python benchmarks/same_output.py check REF           # build again, compare every table with REF
    python benchmarks/same_output.py check REF --tables framing framing_cues
    python benchmarks/same_output.py check REF --store    # also through the article store (see below)

The corpus (default 2,000 articles of benchmarks/synth.py) is generated under REF the first time.
The build imports `linkage` from wherever Python finds it, so a work tree can be checked with
PYTHONPATH=<tree>/src. Every build runs without the cache. Exit status 1 when a table differs.

With --store, three more builds are compared, all through the article store: one with the last article
left out of the manifest and then the whole corpus (the incremental path: the first build's files
extended), and again with nothing changed (every article from the previous build and the store).
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

__all__ = ["main"]

log = logging.getLogger("benchmarks.same_output")


def _corpus(ref: Path, size: int) -> Path:
    corpus = ref / "corpus"
    if not (corpus / "data" / "articles.csv").is_file():
        import subprocess

        subprocess.run([sys.executable, str(HERE / "synth.py"), str(size), str(corpus)], check=True)
    return corpus


def _build(corpus: Path, into: Path, jobs: int | None) -> float:
    """Build `corpus` without the cache from a scratch copy; move its tables to `into`; return seconds."""
    import linkage

    log.info("linkage imported from %s", Path(linkage.__file__).parent)
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        work = Path(tmp) / "corpus"
        shutil.copytree(corpus, work, ignore=shutil.ignore_patterns(".cache", "processed", "builds", ".write.lock"))
        start = time.perf_counter()
        linkage.build(work, jobs=jobs, cache=False)
        seconds = time.perf_counter() - start
        if into.exists():
            shutil.rmtree(into)
        shutil.copytree(work / "data" / "processed", into, ignore=shutil.ignore_patterns(".*"))
    return seconds


def _store_builds(corpus: Path, into: Path, jobs: int | None) -> list[tuple[str, Path, float]]:
    """Incremental and unchanged rebuilds through the store; (label, tables folder, seconds) of each."""
    import linkage

    out = []
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        work = Path(tmp) / "corpus"
        shutil.copytree(corpus, work, ignore=shutil.ignore_patterns(".cache", "processed", "builds", ".write.lock"))
        manifest = work / "data" / "articles.csv"
        full = manifest.read_bytes()
        lines = full.splitlines(keepends=True)
        last = next(csv.reader([lines[-1].decode("utf-8")]))
        header = next(csv.reader([lines[0].decode("utf-8")]))
        raw = work / "data" / "raw" / last[header.index("source_file")]
        aside = work / raw.name
        manifest.write_bytes(b"".join(lines[:-1]))  # synth.py writes one line per row
        raw.rename(aside)
        linkage.build(work, jobs=jobs)
        manifest.write_bytes(full)
        aside.rename(raw)
        for label in ("incremental", "unchanged"):
            start = time.perf_counter()
            summary = linkage.build(work, jobs=jobs)
            seconds = time.perf_counter() - start
            log.info("%s build: %d extracted, %d from the previous build", label, summary.extracted, summary.reused)
            target = into / label
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(work / "data" / "processed", target, ignore=shutil.ignore_patterns(".*"))
            out.append((label, target, seconds))
    return out


def _compare(ref: Path, now: Path, names: list[str]) -> int:
    differ = 0
    for name in names:
        ref_file, new_file = ref / f"{name}.csv", now / f"{name}.csv"
        if not new_file.is_file():
            log.error("%s: not built", name)
            differ += 1
        elif not filecmp.cmp(ref_file, new_file, shallow=False):
            log.error("%s differs, first at %s", name, _first_difference(ref_file, new_file))
            differ += 1
        else:
            log.info("%s: same", name)
    return differ


def _first_difference(a: Path, b: Path) -> str:
    with a.open(encoding="utf-8", newline="") as fa, b.open(encoding="utf-8", newline="") as fb:
        for number, (la, lb) in enumerate(zip(fa, fb, strict=False), start=1):
            if la != lb:
                return f"line {number}:\n    reference: {la.rstrip()[:300]}\n    now:       {lb.rstrip()[:300]}"
    return "one file is longer than the other"


def main(argv: list[str] | None = None) -> int:
    """Save or check reference tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("ref", type=Path, help="folder holding the corpus and the reference tables")
    parser.add_argument("--size", type=int, default=2000, help="articles in the corpus (first save only)")
    parser.add_argument("--tables", nargs="+", help="compare only these tables (default: all)")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--store", action="store_true", help="also compare incremental and unchanged rebuilds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    corpus = _corpus(args.ref, args.size)
    if args.action == "save":
        seconds = _build(corpus, args.ref / "tables", args.jobs)
        log.info("reference tables saved in %s (build %.1f s)", args.ref / "tables", seconds)
        return 0
    now = args.ref / "now"
    seconds = _build(corpus, now, args.jobs)
    names = args.tables or sorted(p.stem for p in (args.ref / "tables").glob("*.csv"))
    differ = _compare(args.ref / "tables", now, names)
    log.info("build %.1f s; %d of %d tables differ", seconds, differ, len(names))
    if args.store:
        for label, folder, took in _store_builds(corpus, args.ref / "now-store", args.jobs):
            found = _compare(args.ref / "tables", folder, names)
            log.info("%s build %.1f s; %d of %d tables differ", label, took, found, len(names))
            differ += found
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
