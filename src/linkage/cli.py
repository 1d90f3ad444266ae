"""Command line: `python -m linkage build | add | evaluate | check | snapshot`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .errors import InputError

__all__ = ["main"]

log = logging.getLogger("linkage")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m linkage", description=__doc__)
    parser.add_argument("--root", help="project root (default: found from the working directory)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each step")
    parser.add_argument(
        "--wait", type=float, default=None, metavar="SECONDS",
        help="how long add and build wait for another writer to finish (default 600; 0: fail at once)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="rebuild every table into data/processed/")
    b.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    b.add_argument(
        "--engine", choices=["local", "dask"], default="local",
        help="where articles are extracted: local worker processes (default) or a Dask cluster (docs/dask.md)",
    )
    b.add_argument(
        "--scheduler", metavar="ADDRESS", default=None,
        help="with --engine dask: an existing scheduler, e.g. tcp://host:8786 (default: a local cluster of --jobs workers)",
    )

    a = sub.add_parser("add", help="validate an article (.txt, or a saved .html page), copy it into data/raw/ and add its manifest row")
    a.add_argument("file", type=Path)
    a.add_argument("--outlet", help="required for .txt; for a page, overrides the page's own")
    a.add_argument(
        "--published",
        help="ISO 8601 date-time with UTC offset (2025-04-19T06:00+09:00), or a date alone (2025-04-19: day "
        "precision); required for .txt, for a page it overrides the page's own",
    )
    a.add_argument(
        "--precision", choices=["day", "hour", "minute"], default=None,
        help="how precise --published is (default: day for a date alone, else hour or minute as written)",
    )
    a.add_argument(
        "--offset", "--utc-offset", dest="offset", default=None,
        help="UTC offset for a date without one (--published, or a page's date), e.g. +09:00 or --offset=-04:00 "
        "(default for --published: the zone of --country)",
    )
    a.add_argument("--kind", help="news, analysis, editorial or opinion (default: news, or what the page says)")
    a.add_argument("--id", dest="article_id", help="article_id slug (default: outlet + date)")
    a.add_argument("--country", default="", help="outlet country (ISO 3166 alpha-2)")
    a.add_argument("--basis", default="stated", choices=["stated", "inferred"])
    a.add_argument("--evidence", default="", help="what the publication date rests on")
    a.add_argument("--url", default="")
    a.add_argument("--notes", default="")

    e = sub.add_parser("evaluate", help="precision and recall of each table against tests/gold/")
    e.add_argument("--only", help="one scorer: segmentation, voices, numbers or framing")
    e.add_argument("--details", action="store_true", help="list disagreements")

    sub.add_parser("check", help="validate the manifest and raw files without building")

    i = sub.add_parser("import", help="import a folder of .html/.txt files, a .csv or a .jsonl (all or nothing; see docs/ingest.md)")
    i.add_argument("path", type=Path)
    i.add_argument("--outlet", default="", help="outlet for records and .txt files that name none")
    i.add_argument("--published", default="", help="date-time for records and .txt files that carry none")
    i.add_argument("--kind", default="", help="kind for records that give none (default: news)")
    i.add_argument("--offset", "--utc-offset", dest="offset", help="zone for dates given without a UTC offset, e.g. +09:00")
    i.add_argument("--skip-other-languages", action="store_true", help="skip non-English records instead of refusing the import")
    sub.add_parser("snapshot", help="print the folder of the current build (read several tables from it)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from .pipeline.settings import Settings

    try:
        options = {"lock_timeout": args.wait} if args.wait is not None else {}
        settings = Settings.discover(args.root, **options)
        if args.command == "build":
            from .pipeline.build import build

            summary = build(settings.root, jobs=args.jobs, wait=args.wait, engine=args.engine, scheduler=args.scheduler)
            print(summary.line())
        elif args.command == "import" or (args.command == "add" and args.file.suffix.lower() in (".html", ".htm")):
            from .ingest.records import run_command

            print(run_command(settings, args))
        elif args.command == "add":
            from .pipeline.manifest import add_article

            if not args.outlet or not args.published:
                raise InputError(f"{args.file}: a .txt article needs --outlet and --published.")
            row = add_article(
                settings, args.file, outlet=args.outlet, published=args.published, kind=args.kind or "news",
                article_id=args.article_id, outlet_country=args.country, published_basis=args.basis,
                published_evidence=args.evidence, url=args.url, notes=args.notes,
                precision=args.precision, offset=args.offset,
            )
            print(f"added {row['source_file']} as {row['article_id']}; run `python -m linkage build` to update the tables")
        elif args.command == "evaluate":
            from .evaluation import evaluate, format_scores

            if args.details:
                logging.getLogger("linkage.evaluation").setLevel(logging.INFO)
            scores = evaluate(str(settings.root), only=args.only)
            print("== seeds (tests/gold) ==")
            print(format_scores(scores))
            if not args.only:
                from .evaluation.challenge import evaluate_challenge

                challenge = evaluate_challenge(settings.root)
                if challenge:
                    print("\n== challenge (tests/challenge) ==")
                    print(format_scores(challenge))
                    from .evaluation import agreement

                    written = agreement.write(settings.root, agreement.rows_from_scores(challenge, scores))
                    if written is not None:
                        print(f"\nstance agreement written to {written.relative_to(settings.root)}")
        elif args.command == "snapshot":
            from .pipeline.outputs import snapshot

            folder = snapshot(settings)
            if not (folder / ".built").is_file():
                raise InputError("no build yet; run `python -m linkage build` first.")
            print(folder)
        elif args.command == "check":
            from .pipeline.manifest import load_articles

            print(f"ok: {len(load_articles(settings))} articles")
    except (InputError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, permissions: nothing was half-written (see docs/guarantees.md)
        print(f"error: {exc} (nothing was left half-written)", file=sys.stderr)
        return 1
    return 0
