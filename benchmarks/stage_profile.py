"""CPU time per article of each extraction stage, measured in one process; optionally a profile of one stage.

    python benchmarks/stage_profile.py CORPUS_ROOT                  # ms per article of every stage
    python benchmarks/stage_profile.py CORPUS_ROOT --profile framing --top 30

CORPUS_ROOT is a project root such as one written by benchmarks/synth.py. Stages run serially on
the first --articles articles after one warm-up article; times are CPU time (time.process_time),
which another busy process disturbs less than wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import sys
import time
from pathlib import Path

__all__ = ["main"]

log = logging.getLogger("benchmarks.stage_profile")


def main(argv: list[str] | None = None) -> int:
    """Print CPU milliseconds per article of each stage (and a profile when asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--profile", help="profile this stage (segmentation, actors, quotes, figures, dates, framing)")
    parser.add_argument("--top", type=int, default=25, help="functions to list in the profile")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    from linkage.pipeline import build as pipeline
    from linkage.pipeline.manifest import load_articles
    from linkage.pipeline.resources import Resources
    from linkage.pipeline.settings import Settings

    settings = Settings.discover(args.root)
    articles = load_articles(settings)[: args.articles]
    res = Resources(settings)
    pipeline.extract_article(articles[0], res)

    profiler = cProfile.Profile() if args.profile else None
    stages = dict(pipeline.ARTICLE_STAGES)
    if profiler is not None and args.profile in stages:
        inner = stages[args.profile]

        def profiled(doc, res_):  # type: ignore[no-untyped-def]
            profiler.enable()
            try:
                return inner(doc, res_)
            finally:
                profiler.disable()

        pipeline.ARTICLE_STAGES[:] = [(n, profiled if n == args.profile else s) for n, s in pipeline.ARTICLE_STAGES]

    timings: dict[str, float] = {}
    start = time.process_time()
    for article in articles:
        if profiler is not None and args.profile == "segmentation":
            profiler.enable()
            pipeline.document_for(article)
            profiler.disable()
        pipeline.extract_article(article, res, timings)
    total = time.process_time() - start
    n = len(articles)
    log.info("%d articles, %.2f ms CPU per article in all", n, 1000 * total / n)
    for name, seconds in timings.items():
        log.info("  %-13s %.3f ms (wall, per article)", name, 1000 * seconds / n)
    if profiler is not None:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
