"""Read, validate and extend the article manifest (data/articles.csv)."""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path, PureWindowsPath

from ..errors import InputError
from .faults import fault
from .files import NotRegularFile, TooLarge, atomic_write, kind_of, read_regular, sha256_bytes
from .lock import writer_lock
from .settings import SIZE_ENV, Settings
from .zones import SEVERAL, country_zone

__all__ = [
    "COLUMNS", "KINDS", "Article", "add_article", "append_articles", "check_row", "decode_text_file", "load_articles", "read_manifest", "read_raw_file",
    "recover", "resolve_published", "store_article", "validate_article", "write_manifest",
]

log = logging.getLogger(__name__)

OPTIONAL_COLUMNS = ["author", "extractor", "html_file", "html_sha256", "duplicate_of"]
"""Columns `add PAGE.html` and `import` fill; a manifest without them still loads (they read as empty)."""
COLUMNS = [
    "article_id", "source_file", "sha256", "outlet", "outlet_country", "kind", "headline",
    "published", "published_precision", "published_basis", "published_evidence", "url",
    "language", "notes", *OPTIONAL_COLUMNS,
]
REQUIRED = ["article_id", "source_file", "sha256", "outlet", "kind", "published"]
KINDS = ("news", "analysis", "editorial", "opinion")
BASES = ("stated", "inferred")
PRECISIONS = ("minute", "hour", "day")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class Article:
    """One validated article: its manifest row and its raw text."""

    article_id: str
    row: dict[str, str]
    text: str
    published: datetime

    @property
    def outlet(self) -> str:
        """The outlet name from the manifest."""
        return self.row["outlet"]


def decode_text_file(data: bytes, where: str) -> str:
    """UTF-8 text of a CSV or JSON Lines file (a UTF-8 BOM is allowed); a UTF-16 file is named as such."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{where}: the file is UTF-16 (it starts with a UTF-16 byte-order mark); re-save it as UTF-8.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{where}, line {line}: byte {exc.start} is not UTF-8; re-save the file as UTF-8.") from exc


def read_manifest(settings: Settings) -> list[dict[str, str]]:
    """Parse data/articles.csv into rows (no file checks); raise InputError on a malformed file.

    Each row's `_line` is the physical line of the file its record starts on (a quoted field may
    hold newlines, so this is not the record number).
    """
    path = settings.manifest
    if not path.is_file():
        raise InputError(f"{path}: manifest not found; create it with a header row: {','.join(COLUMNS)}")
    text = decode_text_file(path.read_bytes(), str(path))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"{path}, line {reader.line_num}: malformed CSV ({exc}); check the quoting of the record starting on line {line}."
        ) from exc
    header = records[0][1] if records else []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"{path}: header lacks column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}")
    out = []
    for number, record in records[1:]:
        if not record:
            continue
        if len(record) > len(header):
            raise InputError(f"{path}, line {number}: more fields than the header has; quote fields that contain commas.")
        row = dict(zip(header, record, strict=False))
        clean = {c: (row.get(c) or "").strip() for c in COLUMNS}
        clean["_line"] = str(number)
        out.append(clean)
    return out


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_published(value: str, where: str) -> datetime:
    """Parse an ISO 8601 timestamp that carries a UTC offset."""
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            f"{where}: published {value!r} is not an ISO 8601 date-time; write e.g. 2025-04-19T06:00+09:00."
        ) from exc
    if stamp.tzinfo is None:
        if _DATE_ONLY.match(value):
            raise InputError(
                f"{where}: published {value!r} has no time zone; write the day as {value}T00:00+09:00 "
                "(with the outlet's UTC offset) and set published_precision to day."
            )
        raise InputError(
            f"{where}: published {value!r} has no time zone; add the UTC offset, e.g. {value}+09:00."
        )
    return stamp


def resolve_published(
    value: str, *, precision: str | None = None, offset: str | None = None, country: str = "",
    countries_file: Path | None = None,
) -> tuple[datetime, str]:
    """The timestamp and precision `linkage add` records for --published `value`.

    A date alone (2025-04-25) has day precision and stands for midnight. A value without a UTC
    offset takes `offset` (e.g. +09:00) when given, else the zone of the outlet's `country` when
    that country has one zone (column time_zone of `countries_file`, data/lexicons/countries.csv),
    else it is refused. The precision is `precision` when given, else day for a date alone, hour for
    a value like 2025-04-25T09, minute otherwise; a date alone cannot claim hour or minute precision.
    """
    where = "--published"
    value = value.strip()
    if precision is not None and precision not in PRECISIONS:
        raise InputError(f"--precision {precision!r} is not one of {', '.join(PRECISIONS)}.")
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            f"{where} {value!r} is not an ISO 8601 date or date-time; write e.g. 2025-04-25 (a day) "
            "or 2025-04-25T06:00+09:00."
        ) from exc
    date_only = bool(_DATE_ONLY.match(value))
    found = "day" if date_only else ("hour" if re.search(r"T\d{2}(?:[+-]|Z|$)", value) else "minute")
    if precision is None:
        precision = found
    elif PRECISIONS.index(precision) < PRECISIONS.index(found):
        raise InputError(
            f"{where} {value!r} gives only the {found}; it cannot have {precision} precision: "
            f"use --precision {found} or give the time."
        )
    if stamp.tzinfo is None:
        known = country_zone(countries_file, country) if countries_file and not offset else ""
        zone: tzinfo
        if offset:
            zone = _offset(offset)
        elif isinstance(known, tzinfo):
            zone = known
        else:
            reason = (
                f"{country.upper()} spans several time zones" if known == SEVERAL
                else ("no --country was given" if not country else f"no time zone is known for country {country!r}")
            )
            example = f"{value}T00:00+09:00 --precision day" if date_only else f"{value}+09:00"
            raise InputError(
                f"{where} {value!r} has no UTC offset and {reason}; add --offset +09:00 (the outlet's offset "
                f"on that day), or write the offset in the value, e.g. --published {example}."
            )
        stamp = stamp.replace(tzinfo=zone)
    elif offset:
        raise InputError(f"{where} {value!r} already carries a UTC offset; drop --offset {offset}.")
    return stamp, precision


def _offset(text: str) -> timezone:
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})|Z", text.strip())
    if not match:
        raise InputError(f"--offset {text!r} is not a UTC offset; write e.g. +09:00 or -04:00.")
    if text.strip() == "Z":
        return UTC
    sign = -1 if match.group(1) == "-" else 1
    delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
    if delta >= timedelta(hours=24):
        raise InputError(f"--offset {text!r} is not a UTC offset; write e.g. +09:00 or -04:00.")
    return timezone(sign * delta)


def format_published(stamp: datetime) -> str:
    """ISO 8601 to the minute (to the second when seconds are given), as the manifest writes it."""
    return stamp.isoformat(timespec="seconds" if stamp.second or stamp.microsecond else "minutes")


_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters refused in article text: all C0 and C1 controls and DEL except tab and newline
(a CR is refused earlier with its own message)."""

_FIELD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters refused in manifest fields: as in article text, but a CR is allowed (a manifest saved
with CRLF line endings keeps them inside multi-line fields)."""


def _control_message(where: str, text: str, index: int, what: str) -> str:
    offset = len(text[:index].encode("utf-8", "surrogatepass"))
    return (
        f"{where}: {what} holds control character U+{ord(text[index]):04X} at byte {offset}; "
        "remove it (only tab and newline are allowed)."
    )


def decode_article(data: bytes, where: str, *, listed: bool = True, limit: int | None = None) -> str:
    """Decode raw article bytes, rejecting empty or oversized files, BOMs, non-UTF-8 bytes, CR and control characters.

    `listed`: the file already has a manifest row (the message for an empty file then says to remove it).
    """
    if limit is not None and len(data) > limit:
        raise InputError(_too_large(where, len(data), limit))
    if not data.strip():
        fix = "remove its manifest row or supply the article text" if listed else "supply the article text"
        raise InputError(f"{where}: the file is empty; {fix}.")
    if data.startswith(b"\xef\xbb\xbf"):
        raise InputError(f"{where}: starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{where}: the file is UTF-16 (it starts with a UTF-16 byte-order mark); re-save it as UTF-8.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        cut = " (the file ends inside a character: it looks truncated)" if exc.end >= len(data) else ""
        raise InputError(
            f"{where}, line {line}: byte {exc.start} is not UTF-8{cut}; re-encode the file as UTF-8."
        ) from exc
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise InputError(
            f"{where}, line {line}: CRLF or CR line endings; convert the file to LF (e.g. dos2unix) before adding it."
        )
    bad = _TEXT_CONTROL.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise InputError(_control_message(f"{where}, line {line}", text, bad.start(), "the text"))
    return text


def _too_large(where: str, size: int, limit: int) -> str:
    return (
        f"{where}: {size:,} bytes is over the limit of {limit:,} bytes per article; split it into articles, "
        f"or raise the limit with the environment variable {SIZE_ENV}."
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _check_file_name(name: str, where: str) -> None:
    if not name:
        raise InputError(f"{where}: source_file is empty; give the file name under data/raw/.")
    # Without separators a name has one part, so this also rules out '..', absolute paths and
    # Windows drives ("C:x") and UNC paths.
    if "/" in name or "\\" in name or name in (".", "..") or (":" in name and PureWindowsPath(name).drive):
        raise InputError(
            f"{where}: source_file {name!r} must be a plain file name inside data/raw/ (no folders, no '..')."
        )
    if _CONTROL.search(name) or len(name.encode("utf-8", "surrogatepass")) > 255:
        raise InputError(
            f"{where}: source_file {name!r} must be a plain file name of at most 255 bytes without control characters."
        )
    if name.startswith("."):
        raise InputError(f"{where}: source_file {name!r} starts with a dot (hidden files are ignored); rename it.")


def check_row(row: dict[str, str], where: str) -> datetime:
    """Check one manifest row's fields (without reading its file); return its publication time."""
    for col in REQUIRED:
        if not row.get(col):
            raise InputError(f"{where}: column {col} is empty; fill it in.")
    for col in COLUMNS:
        value = row.get(col) or ""
        bad = _FIELD_CONTROL.search(value)
        if bad:
            raise InputError(_control_message(where, value, bad.start(), f"column {col}"))
    aid = row["article_id"]
    if not SLUG.match(aid):
        raise InputError(f"{where}: article_id {aid!r} must be a lowercase slug (a-z, 0-9, '-').")
    _check_file_name(row["source_file"], where)
    if row["kind"] not in KINDS:
        raise InputError(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}.")
    if row.get("published_basis") and row["published_basis"] not in BASES:
        raise InputError(f"{where}: published_basis must be 'stated' or 'inferred'.")
    if row.get("published_precision") and row["published_precision"] not in PRECISIONS:
        raise InputError(f"{where}: published_precision must be one of {', '.join(PRECISIONS)}.")
    return parse_published(row["published"], where)


def validate_article(
    settings: Settings, row: dict[str, str], data: bytes, *, where: str, listed: bool = True
) -> Article:
    """The one check every writer and reader of articles runs: the row's fields, then the file's bytes.

    Checks the fields (required, slug, kind, dates, no control characters, a plain file name), the
    bytes (size limit, UTF-8 without BOM, LF endings, no control characters) and, when the row has a
    sha256, that it matches. Returns the Article; raises InputError naming `where` and the fix.
    """
    published = check_row(row, where)
    raw_where = f"data/raw/{row['source_file']}" if listed else where
    text = decode_article(data, raw_where, listed=listed, limit=settings.max_article_bytes)
    digest = sha256_bytes(data)
    if row.get("sha256") and digest != row["sha256"].lower():
        raise InputError(
            f"data/raw/{row['source_file']}: sha256 {digest} does not match the manifest ({where}); "
            "raw files are immutable: restore the original, or add the changed text as a new article."
        )
    return Article(row["article_id"], {c: row.get(c, "") for c in COLUMNS}, text, published)


def read_raw_file(settings: Settings, name: str, where: str) -> bytes:
    """The bytes of data/raw/`name`: a regular file (no symbolic link, folder, pipe or device) within the size limit."""
    try:
        return read_regular(settings.raw / name, settings.max_article_bytes)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{where}: data/raw/{name} does not exist; add the file or remove the row.") from None
    except NotRegularFile as exc:
        raise InputError(
            f"data/raw/{name}: is {exc.kind}, not a regular file ({where}); raw articles must be plain files "
            "inside data/raw/: replace it with a copy of the text."
        ) from None
    except TooLarge as exc:
        raise InputError(_too_large(f"data/raw/{name}", exc.size, settings.max_article_bytes)) from None


def load_articles(settings: Settings) -> list[Article]:
    """Validate the manifest against data/raw/ and return the articles; raise InputError listing every problem."""
    rows = read_manifest(settings)
    problems: list[str] = []
    articles: list[Article] = []
    seen: dict[str, str] = {}
    listed: set[str] = set()
    manifest_name = settings.manifest.name
    for row in rows:
        where = f"{manifest_name}, line {row['_line']}"
        try:
            aid = row["article_id"]
            if aid and aid in seen:
                raise InputError(f"{where}: duplicate article_id {aid!r} (also on line {seen[aid]}); give each article its own id.")
            seen.setdefault(aid, row["_line"])
            if row["source_file"]:
                _check_file_name(row["source_file"], where)
                listed.add(row["source_file"])
            check_row(row, where)
            data = read_raw_file(settings, row["source_file"], where)
            articles.append(validate_article(settings, row, data, where=where))
        except InputError as exc:
            problems.append(str(exc))
    problems += _unlisted_files(settings, listed)
    if problems:
        raise InputError("\n".join(problems))
    return articles


def _unlisted_files(settings: Settings, listed: set[str]) -> list[str]:
    """Problems with entries of data/raw/ that no manifest row names (hidden entries are skipped)."""
    problems: list[str] = []
    if not settings.raw.is_dir():
        return problems
    # the files an add is writing (or a killed add wrote) have no row yet
    listed = listed | {rel.removeprefix("raw/") for rel, _ in _journalled(settings)}
    with os.scandir(settings.raw) as entries:
        found = sorted((e for e in entries if not e.name.startswith(".") and e.name not in listed), key=lambda e: e.name)
    for entry in found:
        if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
            kind = kind_of(entry.stat(follow_symlinks=False).st_mode)
            problems.append(
                f"data/raw/{entry.name}: is {kind}; data/raw/ holds only plain article files: move it out."
            )
        else:
            problems.append(
                f"data/raw/{entry.name}: no manifest row; add one with "
                f"`python -m linkage add data/raw/{entry.name} --outlet ... --published ...`, or move the file out."
            )
    return problems


def write_manifest(settings: Settings, rows: list[dict[str, str]]) -> None:
    """Write `rows` as data/articles.csv atomically, in manifest column order (extra keys dropped).

    Callers that read the manifest first should hold `writer_lock`, so no other writer's row is lost.
    """

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)

    atomic_write(settings.manifest, write)


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40].rstrip("-") or "article"


JOURNAL = ".add-journal"
"""data/.add-journal: the files an unfinished add or import writes (one line each: the path under data/, a tab,
its sha256), so that the next writer removes them if their manifest rows were never written (the writer was
killed between the two)."""


def _journal(settings: Settings, files: dict[Path, bytes]) -> None:
    lines = "".join(f"{path.relative_to(settings.data).as_posix()}\t{sha256_bytes(data)}\n" for path, data in files.items())
    atomic_write(settings.data / JOURNAL, lambda tmp: tmp.write_text(lines, encoding="utf-8"))


def _journalled(settings: Settings) -> list[tuple[str, str]]:
    """(path under data/, sha256) of each file in the journal; empty when there is none."""
    try:
        text = (settings.data / JOURNAL).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [tuple(line.split("\t", 1)) for line in text.splitlines() if "\t" in line]  # type: ignore[misc]


def recover(settings: Settings) -> None:
    """Under the writer lock: undo a killed add (remove the raw file it wrote but never listed, and temporary files)."""
    for folder in (settings.data, settings.raw):
        for leftover in folder.glob(".*.tmp") if folder.is_dir() else ():
            leftover.unlink(missing_ok=True)
    journal = settings.data / JOURNAL
    rows = read_manifest(settings) if settings.manifest.is_file() else []
    listed = {f"raw/{r['source_file']}" for r in rows} | {f"html/{r['html_file']}" for r in rows if r.get("html_file")}
    for rel, digest in _journalled(settings):
        target = settings.data / rel
        if rel in listed or ".." in Path(rel).parts:
            continue
        if target.is_file() and not target.is_symlink() and sha256_bytes(target.read_bytes()) == digest:
            target.unlink()
            log.warning("removed data/%s, written by an add or import that did not finish", rel)
    journal.unlink(missing_ok=True)


def store_article(settings: Settings, row: dict[str, str], data: bytes, *, unique_id: bool = False) -> dict[str, str]:
    """Validate an article and add it to the project: its raw file, then its manifest row, under the writer lock.

    `row` holds the manifest columns (sha256 is computed here). With `unique_id`, an article_id
    already taken gets a suffix (-2, -3, ...) instead of being refused. Nothing is left behind when
    it fails: a raw file this call wrote is removed again (and by the next writer if the process is
    killed). Returns the row as written.
    """
    row = {c: row.get(c, "") for c in COLUMNS}
    row["sha256"] = sha256_bytes(data)
    name = row["source_file"]
    where = name
    with writer_lock(settings, what=f"adding {name}"):
        recover(settings)
        rows = read_manifest(settings)
        taken = {r["article_id"] for r in rows}
        if unique_id:
            base, n = row["article_id"], 2
            while row["article_id"] in taken:
                row["article_id"], n = f"{base}-{n}", n + 1
        elif row["article_id"] in taken:
            raise InputError(f"{where}: article_id {row['article_id']!r} is already in the manifest; choose another --id.")
        validate_article(settings, row, data, where=where, listed=False)
        if any(r["source_file"] == name for r in rows):
            raise InputError(f"{name}: already in the manifest; rename the file to add it as a new article.")
        target = settings.raw / name
        created = False
        if os.path.lexists(target):
            existing = read_raw_file(settings, name, f"data/raw/{name}")
            if sha256_bytes(existing) != row["sha256"]:
                raise InputError(f"data/raw/{name} exists with different content; rename the new file.")
        else:
            _journal(settings, {target: data})
            atomic_write(target, lambda tmp: tmp.write_bytes(data))
            created = True
            fault("add-raw")
        try:
            write_manifest(settings, [*rows, row])
        except BaseException:
            if created:
                target.unlink(missing_ok=True)
            raise
        finally:
            (settings.data / JOURNAL).unlink(missing_ok=True)
    log.info("added %s as %s", name, row["article_id"])
    return row


def add_article(
    settings: Settings,
    source: Path,
    *,
    outlet: str,
    published: str,
    kind: str = "news",
    article_id: str | None = None,
    outlet_country: str = "",
    published_basis: str = "stated",
    published_evidence: str = "",
    url: str = "",
    notes: str = "",
    precision: str | None = None,
    offset: str | None = None,
) -> dict[str, str]:
    """Validate `source`, copy it into data/raw/ and append its manifest row; return the row.

    `published` may be a date alone (day precision) or a date-time; see `resolve_published` for
    how `precision`, `offset` and the outlet's country complete it.
    """
    source = Path(source)
    if not source.exists():
        raise InputError(f"{source}: file not found.")
    if kind not in KINDS:
        raise InputError(f"--kind {kind!r} is not one of {', '.join(KINDS)}.")
    stamp, precision = resolve_published(
        published, precision=precision, offset=offset, country=outlet_country,
        countries_file=settings.lexicons / "countries.csv",
    )
    try:
        data = read_regular(source.resolve(), settings.max_article_bytes)  # a link given on the command line is fine
    except NotRegularFile as exc:
        raise InputError(f"{source}: is {exc.kind}, not a regular file; give the article's text file.") from None
    except TooLarge as exc:
        raise InputError(_too_large(str(source), exc.size, settings.max_article_bytes)) from None
    decode_article(data, str(source), listed=False, limit=settings.max_article_bytes)
    _check_file_name(source.name, str(source))
    text = data.decode("utf-8")
    headline = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    aid = article_id or f"{_slugify(outlet)[:20].rstrip('-')}-{stamp.date().isoformat()}"
    if not SLUG.match(aid):
        raise InputError(f"--id {aid!r} must be a lowercase slug (a-z, 0-9, '-').")
    row = {
        "article_id": aid, "source_file": source.name, "outlet": outlet,
        "outlet_country": outlet_country, "kind": kind, "headline": headline, "published": format_published(stamp),
        "published_precision": precision, "published_basis": published_basis,
        "published_evidence": published_evidence or "given by the user with `linkage add`",
        "url": url, "language": "en", "notes": notes,
    }
    return store_article(settings, row, data, unique_id=article_id is None)


def append_articles(settings: Settings, rows: list[dict[str, str]], files: dict[Path, bytes]) -> None:
    """Write `files` (new paths under data/) and append `rows` to the manifest as one step, under the writer lock.

    Every row is validated with its raw file first (`validate_article`); the files are journalled before
    they are written, so a killed import leaves nothing the next writer does not remove. On failure the
    files written are removed again and the manifest is unchanged.
    """
    with writer_lock(settings, what=f"importing {len(rows)} articles"):
        recover(settings)
        existing = read_manifest(settings)
        for row in rows:
            data = files.get(settings.raw / row["source_file"])
            if data is None:
                raise InputError(f"{row['source_file']}: no text given for article {row['article_id']}; nothing was added.")
            validate_article(settings, row, data, where=row["source_file"], listed=False)
        clash = [str(p) for p in files if os.path.lexists(p)]
        if clash:
            raise InputError(f"{clash[0]} already exists; nothing was added (remove the stray file or rename it).")
        _journal(settings, files)
        written: list[Path] = []
        try:
            for path, data in files.items():
                atomic_write(path, lambda tmp, data=data: tmp.write_bytes(data))
                written.append(path)
            fault("add-raw")
            write_manifest(settings, [*existing, *rows])
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        finally:
            (settings.data / JOURNAL).unlink(missing_ok=True)
