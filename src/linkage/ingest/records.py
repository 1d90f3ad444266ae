"""`python -m linkage import PATH`: a folder of .html/.htm/.txt files, a .csv or a .jsonl export.

Records are mapped by the usual column names (FIELDS). Every record is read and checked first; if
any is rejected nothing is added and the error lists each rejected record with its file, line and
field. Records already in the manifest (same URL or same text) are skipped.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timezone
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..errors import InputError
from ..pipeline.manifest import KINDS, decode_article, decode_text_file
from ..pipeline.settings import MAX_RECORD_FILE_BYTES, Settings
from .language import LanguageError, require_english
from .store import Candidate, Summary, commit, resolve_published

__all__ = ["FIELDS", "REQUIRED_FIELDS", "import_path", "add_page", "read_records", "run_command"]

FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "full_text", "article_text"),
    "headline": ("title", "headline"),
    "published": ("publish_date", "published", "date", "publishedAt", "published_at", "datePublished", "seendate"),
    "outlet": ("media_name", "outlet", "source", "site", "site_name", "sitename", "publisher", "domain"),
    "url": ("url", "link", "canonical_url"),
    "language": ("language", "lang"),
    "author": ("author", "authors", "byline"),
    "kind": ("kind",),
    "country": ("outlet_country",),
}
"""Manifest field -> the record keys read for it, first present wins (case-insensitive)."""
REQUIRED_FIELDS = ("text",)
"""Fields every record must carry; outlet and published may come from --outlet / --published instead."""
HEADLINE_LINES = 5
"""A record's title is written as the text's first line unless one of its first this many lines already is it."""
PROGRESS_MIN = 20
"""From this many records on, an import shows a progress bar."""


def _value(record: dict[str, Any], field: str) -> tuple[str, str]:
    """(value, key) of `field` in `record`; nested {"name": ...} (news-API "source") and lists are flattened."""
    lower = {str(k).lower(): k for k in record}
    for name in FIELDS[field]:
        key = lower.get(name.lower())
        if key is None:
            continue
        value = record[key]
        if isinstance(value, dict):
            value = value.get("name") or ""
        elif isinstance(value, list):
            value = ", ".join(v.get("name", "") if isinstance(v, dict) else str(v) for v in value)
        value = "" if value is None else str(value)
        if value.strip():
            return value, key
    return "", ""


def _candidate(record: dict[str, Any], where: str, defaults: dict[str, Any]) -> Candidate:
    text, _ = _value(record, "text")
    if not text.strip():
        keys = ", ".join(FIELDS["text"])
        raise InputError(f"{where}: field text is empty or missing (looked for {keys}); this tool does not fetch URLs.")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    headline, _ = _value(record, "headline")
    headline = " ".join(headline.split())
    opening = [ln.strip() for ln in text.splitlines() if ln.strip()][:HEADLINE_LINES]
    first = opening[0] if opening else ""
    if headline and headline not in opening:
        text = f"{headline}\n\n{text}"
    decode_article(text.encode("utf-8"), where)
    outlet, _ = _value(record, "outlet")
    outlet = outlet.strip() or defaults.get("outlet") or ""
    if not outlet:
        raise InputError(f"{where}: field outlet is missing (looked for {', '.join(FIELDS['outlet'])}); add it or pass --outlet.")
    published, key = _value(record, "published")
    if published:
        iso, precision, evidence = resolve_published(published, f"record field {key}", where, defaults.get("utc_offset"))
    elif defaults.get("published"):
        iso, precision, evidence = resolve_published(defaults["published"], "--published", where, None)
    else:
        raise InputError(
            f"{where}: field published is missing (looked for {', '.join(FIELDS['published'])}); add it or pass --published."
        )
    kind, _ = _value(record, "kind")
    kind = kind.strip().lower() or defaults.get("kind") or "news"
    if kind not in KINDS:
        raise InputError(f"{where}: field kind {kind!r} is not one of {', '.join(KINDS)}.")
    language, _ = _value(record, "language")
    require_english(text, where, language)
    return Candidate(
        where=where, text=text, outlet=outlet, published=iso, precision=precision,
        basis="stated", evidence=evidence, headline=headline or first, url=_value(record, "url")[0].strip(),
        author=_value(record, "author")[0].strip(), kind=kind, country=_value(record, "country")[0].strip(),
        notes=f"imported from {where}", extractor="",
    )


def _check_size(path: Path, limit: int = MAX_RECORD_FILE_BYTES) -> None:
    size = path.stat().st_size
    if size > limit:
        raise InputError(f"{path}: {size / 2**20:.0f} MB is more than {limit / 2**20:.0f} MB; split the export.")


def read_records(path: Path) -> list[tuple[str, dict[str, Any] | Exception]]:
    """(where, record) of each record of a .jsonl or .csv export; a record that cannot be read is an Exception."""
    _check_size(path)
    text = decode_text_file(path.read_bytes(), str(path))
    out: list[tuple[str, dict[str, Any] | Exception]] = []
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            where = f"{path.name}, line {number}"
            try:
                record = json.loads(line)
            except ValueError as exc:
                out.append((where, InputError(f"{where}: not valid JSON ({exc}); fix or remove the line.")))
                continue
            if not isinstance(record, dict):
                out.append((where, InputError(f"{where}: a JSON {type(record).__name__}, not an object; each line holds one record.")))
                continue
            out.append((where, record))
        return out
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = [h.strip() for h in (reader.fieldnames or [])]
        lower = {h.lower() for h in header}
        for field in REQUIRED_FIELDS:
            if not any(name.lower() in lower for name in FIELDS[field]):
                raise InputError(
                    f"{path.name}: no {field} column; the header has {', '.join(header) or 'nothing'}; "
                    f"name the column one of {', '.join(FIELDS[field])}. Nothing was added."
                )
        for row in reader:
            where = f"{path.name}, line {reader.line_num}"
            if None in row:
                out.append((where, InputError(f"{where}: more fields than the header has; quote fields that contain commas.")))
                continue
            out.append((where, {k.strip(): v for k, v in row.items()}))
    except csv.Error as exc:
        raise InputError(f"{path.name}, line {reader.line_num}: malformed CSV ({exc}); check the quoting.") from None
    return out


def _folder_items(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    files, ignored = [], []
    for item in sorted(folder.iterdir()):
        if item.name.startswith("."):
            continue
        if item.is_file() and item.suffix.lower() in (".html", ".htm", ".txt"):
            files.append(item)
        else:
            ignored.append((item.name, "not a .html, .htm or .txt file"))
    return files, ignored


def _txt_candidate(path: Path, defaults: dict[str, Any]) -> Candidate:
    text = decode_article(path.read_bytes(), str(path.name))
    if not defaults.get("outlet") or not defaults.get("published"):
        raise InputError(
            f"{path.name}: a .txt file carries no outlet or date; pass --outlet and --published for the .txt files "
            "of a folder, or import them as .jsonl records with those fields."
        )
    return _candidate({"text": text}, path.name, defaults)


def import_path(
    settings: Settings, path: Path, *, outlet: str = "", published: str = "", kind: str = "",
    utc_offset: timezone | None = None, skip_other_languages: bool = False, progress: bool = True,
) -> Summary:
    """Import a folder of pages/texts, a .csv or a .jsonl: all or nothing, idempotent; return the summary."""
    path = Path(path)
    defaults = {"outlet": outlet, "published": published, "kind": kind, "utc_offset": utc_offset}
    summary = Summary()
    if path.is_dir():
        files, ignored = _folder_items(path)
        summary.skipped.extend(ignored)
        jobs: list[tuple[str, Any]] = [(f.name, f) for f in files]
    elif path.is_file() and path.suffix.lower() in (".csv", ".jsonl"):
        jobs = list(read_records(path))
    elif path.is_file() and path.suffix.lower() in (".html", ".htm"):
        jobs = [(path.name, path)]
    elif not path.exists():
        raise InputError(f"{path}: not found.")
    else:
        raise InputError(f"{path}: import takes a folder, a .csv or a .jsonl file (or one .html page).")
    candidates: list[Candidate] = []
    for where, item in tqdm(jobs, desc="reading", unit="rec", disable=not progress or len(jobs) < PROGRESS_MIN, leave=False):
        try:
            if isinstance(item, Exception):
                raise item
            if isinstance(item, Path):
                if item.suffix.lower() == ".txt":
                    candidates.append(_txt_candidate(item, defaults))
                else:
                    candidates.append(_page(item, defaults))
            else:
                candidates.append(_candidate(item, where, defaults))
        except LanguageError as exc:
            if skip_other_languages:
                summary.skipped.append((where, str(exc).split(": ", 1)[-1].split(";")[0]))
            else:
                summary.rejected.append((where, str(exc)))
        except InputError as exc:
            summary.rejected.append((where, str(exc)))
    if summary.rejected:
        listed = "\n".join(f"  {why}" for _, why in summary.rejected[:30])
        more = f"\n  ... and {len(summary.rejected) - 30} more" if len(summary.rejected) > 30 else ""
        raise InputError(
            f"{path}: {len(summary.rejected)} of {len(jobs)} records rejected, so nothing was added:\n{listed}{more}"
        )
    return commit(settings, candidates, summary)


def _page(path: Path, defaults: dict[str, Any]) -> Candidate:
    from .pages import read_page

    candidate = read_page(path, where=path.name, utc_offset=defaults.get("utc_offset"))
    if defaults.get("outlet"):
        candidate.outlet = defaults["outlet"]
    if defaults.get("kind"):
        candidate.kind = defaults["kind"]
    if defaults.get("published"):
        candidate.published, candidate.precision, candidate.evidence = resolve_published(
            defaults["published"], "--published", path.name, None)
        candidate.evidence = "given by the user with --published"
    elif not candidate.published:
        raise InputError(
            f"{path.name}: the page carries no publication date (no JSON-LD datePublished, article:published_time "
            "or <time datetime>); pass --published."
        )
    return candidate


def add_page(settings: Settings, path: Path, **options: Any) -> Summary:
    """`add PAGE.html`: one saved page through the same steps as an import."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found.")
    return import_path(settings, path, progress=False, **options)


def run_command(settings: Settings, args: Any) -> str:
    """`add PAGE.html` and `import PATH` from parsed command-line arguments; return the summary to print."""
    from .store import parse_offset

    offset = parse_offset(args.offset) if args.offset else None
    options = {"outlet": args.outlet or "", "published": args.published or "", "kind": args.kind or "", "utc_offset": offset}
    if args.command == "add":
        summary = add_page(settings, args.file, **options)
    else:
        summary = import_path(settings, args.path, skip_other_languages=args.skip_other_languages, **options)
    tail = "\nrun `python -m linkage build` to update the tables" if summary.added else ""
    return "\n".join(summary.lines()) + tail
