"""Compare sentence splitters on the body blocks of the seed articles: start precision/recall and speed.

Blocks come from `linkage.extraction.corpus.make_document`; the truth is the hand-annotated gold
`tests/gold/sentences.csv` (sentence starts), restricted to starts inside body blocks.
Run: `.venv/bin/python benchmarks/sentence_splitters.py [--repeat N] [--details]`.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import pysbd

from linkage.evaluation.common import load_gold, prf
from linkage.extraction.corpus import Document, make_document, split_sentences
from linkage.pipeline.files import read_raw
from linkage.pipeline.manifest import read_manifest
from linkage.pipeline.settings import Settings

__all__ = ["Result", "measure", "main"]

log = logging.getLogger(__name__)

Splitter = Callable[[str, int, int], list[int]]
"""A splitter takes (text, block start, block end) and returns absolute sentence start offsets."""

BUILD_BUDGET_MS = 2.0
"""Whole build per article on one core: 1,000 articles/s on 2 cores."""


def ours(text: str, start: int, end: int) -> list[int]:
    """Sentence starts from linkage's rule-based splitter."""
    return [s for s, _ in split_sentences(text, start, end)]


def make_pysbd() -> Splitter:
    """Sentence starts from pysbd (segmenter built once, outside the timing)."""
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def split(text: str, start: int, end: int) -> list[int]:
        block = text[start:end]
        starts = []
        for span in segmenter.segment(block):
            lead = len(span.sent) - len(span.sent.lstrip())
            starts.append(start + span.start + lead)
        return starts

    return split


@dataclass(frozen=True)
class Result:
    """Accuracy and speed of one splitter."""

    name: str
    precision: float
    recall: float
    f1: float
    ms_per_article: float
    missed: list[tuple[str, str]]
    extra: list[tuple[str, str]]


def _documents(settings: Settings) -> list[Document]:
    docs = []
    for row in read_manifest(settings):
        text = read_raw(settings.raw / row["source_file"])
        docs.append(make_document(row["article_id"], text, row))
    return docs


def _body_truth(settings: Settings, docs: list[Document]) -> set[tuple[str, int]]:
    """Gold sentence starts that lie inside body blocks."""
    bodies = {d.article_id: [(b.char_start, b.char_end) for b in d.blocks if b.role == "body"] for d in docs}
    truth = set()
    for g in load_gold(settings, "sentences"):
        spans = bodies.get(g["article_id"], [])
        if any(s <= g["char_start"] < e for s, e in spans):
            truth.add((g["article_id"], g["char_start"]))
    return truth


def measure(name: str, split: Splitter, docs: list[Document], truth: set[tuple[str, int]], repeat: int) -> Result:
    """Score `split` on every body block of `docs` and time it per article (best of `repeat` runs)."""
    pred: set[tuple[str, int]] = set()
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        found = []
        for doc in docs:
            for block in doc.blocks:
                if block.role == "body":
                    found.extend((doc.article_id, s) for s in split(doc.text, block.char_start, block.char_end))
        best = min(best, time.perf_counter() - started)
        pred = set(found)
    texts = {d.article_id: d.text for d in docs}

    def show(keys: set[tuple[str, int]]) -> list[tuple[str, str]]:
        return [(a, texts[a][o:o + 50]) for a, o in sorted(keys)]

    p, r, f = prf(len(truth), len(pred), len(truth & pred))
    return Result(name, p, r, f, 1000 * best / len(docs), show(truth - pred), show(pred - truth))


def main(argv: list[str] | None = None) -> list[Result]:
    """Print a table comparing the splitters; with --details, list every missed and extra start."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timing runs (best is kept)")
    parser.add_argument("--details", action="store_true", help="list missed and extra sentence starts")
    parser.add_argument("--root", default=None, help="project root (default: discovered)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    settings = Settings.discover(args.root)
    docs = _documents(settings)
    truth = _body_truth(settings, docs)
    results = [
        measure("linkage.split_sentences", ours, docs, truth, args.repeat),
        measure("pysbd 0.3.4", make_pysbd(), docs, truth, args.repeat),
    ]
    n_blocks = sum(b.role == "body" for d in docs for b in d.blocks)
    print(f"{len(docs)} articles, {n_blocks} body blocks, {len(truth)} gold sentence starts; "
          f"whole-build budget {BUILD_BUDGET_MS:.1f} ms/article/core")
    print(f"{'splitter':26} {'precision':>9} {'recall':>7} {'F1':>6} {'ms/article':>11} {'missed':>6} {'extra':>6}")
    for res in results:
        print(f"{res.name:26} {res.precision:9.3f} {res.recall:7.3f} {res.f1:6.3f} "
              f"{res.ms_per_article:11.3f} {len(res.missed):6d} {len(res.extra):6d}")
    if args.details:
        for res in results:
            for article, text in res.missed:
                log.info("%s missed %s: %r", res.name, article, text)
            for article, text in res.extra:
                log.info("%s extra  %s: %r", res.name, article, text)
    return results


if __name__ == "__main__":
    main()
