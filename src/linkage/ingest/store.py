"""Shared steps of `add PAGE.html` and `import PATH`: check candidates, skip what is already there,
flag wire copies, and write the raw texts, saved pages and manifest rows in one step."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from ..errors import InputError
from ..pipeline.files import sha256_bytes
from ..pipeline.lock import writer_lock
from ..pipeline.manifest import (
    KINDS,
    SLUG,
    _check_file_name,
    _slugify,
    append_articles,
    decode_article,
    read_manifest,
    recover,
)
from ..pipeline.settings import Settings

__all__ = ["Candidate", "Summary", "parse_offset", "resolve_published", "commit"]

log = logging.getLogger(__name__)


@dataclass
class Candidate:
    """One article ready to be added: its text (what data/raw/ will hold) and its manifest values."""

    where: str
    text: str
    outlet: str
    published: str
    precision: str = "minute"
    basis: str = "stated"
    evidence: str = ""
    headline: str = ""
    url: str = ""
    author: str = ""
    kind: str = "news"
    country: str = ""
    notes: str = ""
    extractor: str = ""
    page: bytes | None = None
    page_suffix: str = ".html"


@dataclass
class Summary:
    """What an import did: rows added, candidates skipped (with reasons), copies flagged."""

    added: list[dict[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    copies: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A human summary: counts, then each skip and flag with its reason."""
        out = [f"added {len(self.added)}, skipped {len(self.skipped)}, rejected {len(self.rejected)}"
               + (f", {len(self.copies)} flagged as copies" if self.copies else "")]
        out += [f"  added {r['article_id']} ({r['source_file']})" for r in self.added[:20]]
        if len(self.added) > 20:
            out.append(f"  ... and {len(self.added) - 20} more added")
        out += [f"  skipped {where}: {why}" for where, why in self.skipped[:50]]
        if len(self.skipped) > 50:
            out.append(f"  ... and {len(self.skipped) - 50} more skipped")
        out += [f"  rejected {where}: {why}" for where, why in self.rejected]
        out += [f"  {aid} is a near-duplicate (wire copy) of {orig}" for aid, orig in self.copies.items()]
        out += [f"  warning: {w}" for w in self.warnings]
        return out


_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$|^(?:Z|UTC|GMT)$", re.IGNORECASE)


def parse_offset(value: str) -> timezone:
    """A UTC offset given on the command line ("+09:00", "-0400", "Z")."""
    m = _OFFSET.match(value.strip())
    if not m:
        raise InputError(f"--utc-offset {value!r} is not a UTC offset; write e.g. +09:00 or -04:00.")
    if not m.group(1):
        return UTC
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return timezone(timedelta(minutes=-minutes if m.group(1) == "-" else minutes))


_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z)?$")


def resolve_published(value: str, source: str, where: str, utc_offset: timezone | None) -> tuple[str, str, str]:
    """(ISO published, precision, evidence) from a date or date-time as a page or record gives it.

    A value without a UTC offset is refused unless `utc_offset` is given; then it is applied and
    the evidence says so.
    """
    raw = value.strip()
    m = _COMPACT.match(raw)
    text = raw
    if m:  # GDELT-style 20250421T093000Z
        y, mo, d, h, mi, s, z = m.groups()
        text = f"{y}-{mo}-{d}" + (f"T{h}:{mi}:{s or '00'}" if h else "") + ("+00:00" if z else "")
    try:
        stamp = datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
    except ValueError:
        raise InputError(
            f"{where}: published {raw!r} ({source}) is not an ISO 8601 date or date-time; "
            "write e.g. 2025-04-19T06:00+09:00."
        ) from None
    has_time = len(text) > 10
    precision = "minute" if has_time else "day"
    evidence = f"{source}: {raw}"
    if stamp.tzinfo is None:
        if utc_offset is None:
            raise InputError(
                f"{where}: published {raw!r} ({source}) has no UTC offset, so the day and hour are uncertain; "
                "pass --utc-offset with the outlet's zone (e.g. --utc-offset +09:00) or give --published."
            )
        stamp = stamp.replace(tzinfo=utc_offset)
        evidence += f" (no UTC offset given; --utc-offset {stamp.strftime('%z')[:3]}:{stamp.strftime('%z')[3:]} applied)"
    iso = stamp.isoformat(timespec="minutes") if has_time else stamp.strftime("%Y-%m-%dT00:00%z")
    if not has_time:
        iso = f"{iso[:-2]}:{iso[-2:]}"
    return iso, precision, evidence


def _normal_url(url: str) -> str:
    url = url.strip().split("#", 1)[0]
    return url.rstrip("/").lower()


def _validate(c: Candidate) -> None:
    if not c.outlet.strip():
        raise InputError(f"{c.where}: no outlet; give one in the record (outlet, media_name, source, site) or pass --outlet.")
    if c.kind not in KINDS:
        raise InputError(f"{c.where}: kind {c.kind!r} is not one of {', '.join(KINDS)}.")
    try:
        stamp = datetime.fromisoformat(c.published)
    except ValueError:
        raise InputError(f"{c.where}: published {c.published!r} is not an ISO 8601 date-time.") from None
    if stamp.tzinfo is None:
        raise InputError(f"{c.where}: published {c.published!r} has no UTC offset; pass --utc-offset.")
    decode_article(c.text.encode("utf-8"), c.where)


def commit(settings: Settings, candidates: list[Candidate], summary: Summary | None = None) -> Summary:
    """Skip candidates already in the manifest (same URL or same text), flag copies, then write the new
    raw texts, saved pages and manifest rows in one step (nothing is left behind if it fails)."""
    from .neardup import find_duplicates

    summary = summary or Summary()
    for c in candidates:
        _validate(c)
    with writer_lock(settings, what=f"importing {len(candidates)} articles"):
        return _commit(settings, candidates, summary, find_duplicates)


def _commit(settings: Settings, candidates: list[Candidate], summary: Summary, find_duplicates) -> Summary:
    """`commit` under the writer lock: the manifest read for skipping is the one the rows are appended to."""
    recover(settings)
    rows = read_manifest(settings)
    by_url = {_normal_url(r["url"]): r["article_id"] for r in rows if r["url"]}
    by_sha = {r["sha256"].lower(): r["article_id"] for r in rows}
    taken = {r["article_id"] for r in rows}
    new_rows: list[dict[str, str]] = []
    files: dict = {}
    texts: dict[str, str] = {}
    for c in candidates:
        data = c.text.encode("utf-8")
        digest = sha256_bytes(data)
        url = _normal_url(c.url)
        if url and url in by_url:
            summary.skipped.append((c.where, f"same URL as article {by_url[url]}"))
            continue
        if digest in by_sha:
            summary.skipped.append((c.where, f"same text as article {by_sha[digest]}"))
            continue
        stamp = datetime.fromisoformat(c.published)
        base = f"{_slugify(c.outlet)[:20].rstrip('-')}-{stamp.date().isoformat()}"
        aid, n = base, 2
        while aid in taken:
            aid, n = f"{base}-{n}", n + 1
        if not SLUG.match(aid):
            raise InputError(f"{c.where}: could not make an article_id from outlet {c.outlet!r}.")
        name = f"{aid}.txt"
        _check_file_name(name, c.where)
        row = {
            "article_id": aid, "source_file": name, "sha256": digest, "outlet": c.outlet.strip(),
            "outlet_country": c.country, "kind": c.kind, "headline": c.headline.strip(), "published": c.published,
            "published_precision": c.precision, "published_basis": c.basis, "published_evidence": c.evidence,
            "url": c.url.strip(), "language": "en", "notes": c.notes, "author": c.author.strip(),
            "extractor": c.extractor, "html_file": "", "html_sha256": "", "duplicate_of": "",
        }
        files[settings.raw / name] = data
        if c.page is not None:
            page_name = f"{aid}{c.page_suffix}"
            row["html_file"], row["html_sha256"] = page_name, sha256_bytes(c.page)
            files[settings.html / page_name] = c.page
        taken.add(aid)
        by_sha[digest] = aid
        if url:
            by_url[url] = aid
        new_rows.append(row)
        texts[aid] = c.text
    if new_rows:
        existing = [(r["article_id"], _read_text(settings, r)) for r in rows]
        known = {r["article_id"]: r.get("duplicate_of", "") for r in rows if r.get("duplicate_of")}
        flags = find_duplicates([*existing, *texts.items()], known=known, only=texts)
        for row in new_rows:
            if row["article_id"] in flags:
                row["duplicate_of"] = flags[row["article_id"]]
                summary.copies[row["article_id"]] = row["duplicate_of"]
        append_articles(settings, new_rows, files)
    summary.added.extend(new_rows)
    return summary


def _read_text(settings: Settings, row: dict[str, str]) -> str:
    try:
        return (settings.raw / row["source_file"]).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""
