"""Read, validate and extend the article manifest (data/articles.csv)."""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PureWindowsPath

from .errors import InputError
from .files import atomic_write, sha256_bytes
from .settings import Settings

__all__ = ["COLUMNS", "KINDS", "Article", "add_article", "read_manifest", "load_articles", "write_manifest", "append_articles"]

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


def read_manifest(settings: Settings) -> list[dict[str, str]]:
    """Parse data/articles.csv into rows (no file checks); raise InputError on a malformed file."""
    path = settings.manifest
    if not path.is_file():
        raise InputError(f"{path}: manifest not found; create it with a header row: {','.join(COLUMNS)}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 at byte {exc.start}; re-save it as UTF-8.") from exc
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV ({exc}); check quoting on that line.") from exc
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"{path}: header lacks column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}")
    out = []
    for number, row in enumerate(rows, start=2):
        if None in row:
            raise InputError(f"{path}, line {number}: more fields than the header has; quote fields that contain commas.")
        clean = {c: (row.get(c) or "").strip() for c in COLUMNS}
        clean["_line"] = str(number)
        out.append(clean)
    return out


def parse_published(value: str, where: str) -> datetime:
    """Parse an ISO 8601 timestamp that carries a UTC offset."""
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            f"{where}: published {value!r} is not an ISO 8601 date-time; write e.g. 2025-04-19T06:00+09:00."
        ) from exc
    if stamp.tzinfo is None:
        raise InputError(
            f"{where}: published {value!r} has no time zone; add the UTC offset, e.g. {value}+09:00."
        )
    return stamp


def decode_article(data: bytes, where: str) -> str:
    """Decode raw article bytes, rejecting empty files, BOMs, non-UTF-8 bytes and CRLF endings."""
    if not data.strip():
        raise InputError(f"{where}: the file is empty; remove its manifest row or supply the article text.")
    if data.startswith(b"\xef\xbb\xbf"):
        raise InputError(f"{where}: starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{where}, line {line}: byte {exc.start} is not UTF-8; re-encode the file as UTF-8."
        ) from exc
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise InputError(
            f"{where}, line {line}: CRLF or CR line endings; convert the file to LF (e.g. dos2unix) before adding it."
        )
    return text


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


def load_articles(settings: Settings) -> list[Article]:
    """Validate the manifest against data/raw/ and return the articles; raise InputError listing every problem."""
    rows = read_manifest(settings)
    problems: list[str] = []
    articles: list[Article] = []
    seen: dict[str, str] = {}
    listed: set[str] = set()
    raw, manifest_name = str(settings.raw), settings.manifest.name
    for row in rows:
        where = f"{manifest_name}, line {row['_line']}"
        try:
            for col in REQUIRED:
                if not row[col]:
                    raise InputError(f"{where}: column {col} is empty; fill it in.")
            aid = row["article_id"]
            if not SLUG.match(aid):
                raise InputError(f"{where}: article_id {aid!r} must be a lowercase slug (a-z, 0-9, '-').")
            if aid in seen:
                raise InputError(f"{where}: duplicate article_id {aid!r} (also on line {seen[aid]}); give each article its own id.")
            seen[aid] = row["_line"]
            _check_file_name(row["source_file"], where)
            listed.add(row["source_file"])
            if row["kind"] not in KINDS:
                raise InputError(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}.")
            if row["published_basis"] and row["published_basis"] not in BASES:
                raise InputError(f"{where}: published_basis must be 'stated' or 'inferred'.")
            if row["published_precision"] and row["published_precision"] not in PRECISIONS:
                raise InputError(f"{where}: published_precision must be one of {', '.join(PRECISIONS)}.")
            published = parse_published(row["published"], where)
            try:
                with open(os.path.join(raw, row["source_file"]), "rb") as handle:
                    data = handle.read()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                raise InputError(
                    f"{where}: data/raw/{row['source_file']} does not exist; add the file or remove the row."
                ) from None
            text = decode_article(data, f"data/raw/{row['source_file']}")
            digest = sha256_bytes(data)
            if digest != row["sha256"].lower():
                raise InputError(
                    f"data/raw/{row['source_file']}: sha256 {digest} does not match the manifest ({where}); "
                    "raw files are immutable: restore the original, or add the changed text as a new article."
                )
            clean = {c: row[c] for c in COLUMNS}
            articles.append(Article(aid, clean, text, published))
        except InputError as exc:
            problems.append(str(exc))
    if settings.raw.is_dir():
        with os.scandir(raw) as entries:
            unlisted = sorted(e.name for e in entries if e.name not in listed and not e.name.startswith(".") and e.is_file())
        for name in unlisted:
            problems.append(
                f"data/raw/{name}: no manifest row; add one with "
                f"`python -m linkage add data/raw/{name} --outlet ... --published ...`, or move the file out."
            )
    if problems:
        raise InputError("\n".join(problems))
    return articles


def write_manifest(settings: Settings, rows: list[dict[str, str]]) -> None:
    """Write `rows` as data/articles.csv atomically, in manifest column order (extra keys dropped)."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)

    atomic_write(settings.manifest, write)


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40].rstrip("-") or "article"


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
) -> dict[str, str]:
    """Validate `source`, copy it into data/raw/ and append its manifest row; return the row."""
    source = Path(source)
    if not source.is_file():
        raise InputError(f"{source}: file not found.")
    if kind not in KINDS:
        raise InputError(f"--kind {kind!r} is not one of {', '.join(KINDS)}.")
    stamp = parse_published(published, f"--published for {source.name}")
    data = source.read_bytes()
    text = decode_article(data, str(source))
    rows = read_manifest(settings)
    _check_file_name(source.name, str(source))
    target = settings.raw / source.name
    digest = sha256_bytes(data)
    if any(r["source_file"] == source.name for r in rows):
        raise InputError(f"{source.name}: already in the manifest; rename the file to add it as a new article.")
    if target.exists() and target.resolve() != source.resolve() and sha256_bytes(target.read_bytes()) != digest:
        raise InputError(f"data/raw/{source.name} exists with different content; rename the new file.")
    headline = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    aid = article_id or f"{_slugify(outlet)[:20].rstrip('-')}-{stamp.date().isoformat()}"
    taken = {r["article_id"] for r in rows}
    base, n = aid, 2
    while aid in taken:
        aid, n = f"{base}-{n}", n + 1
    if not SLUG.match(aid):
        raise InputError(f"--id {aid!r} must be a lowercase slug (a-z, 0-9, '-').")
    row = {
        "article_id": aid, "source_file": source.name, "sha256": digest, "outlet": outlet,
        "outlet_country": outlet_country, "kind": kind, "headline": headline, "published": stamp.isoformat(),
        "published_precision": "minute", "published_basis": published_basis,
        "published_evidence": published_evidence or "given by the user with `linkage add`",
        "url": url, "language": "en", "notes": notes,
    }
    if not target.exists():
        atomic_write(target, lambda tmp: shutil.copyfile(source, tmp))
    write_manifest(settings, [*rows, row])
    log.info("added %s as %s", source.name, aid)
    return row


def append_articles(settings: Settings, rows: list[dict[str, str]], files: dict[Path, bytes]) -> None:
    """Write `files` (new paths only) and append `rows` to the manifest as one step; on failure remove the files written."""
    existing = read_manifest(settings)
    clash = [str(p) for p in files if p.exists()]
    if clash:
        raise InputError(f"{clash[0]} already exists; nothing was added (remove the stray file or rename it).")
    written: list[Path] = []
    try:
        for path, data in files.items():
            atomic_write(path, lambda tmp, data=data: tmp.write_bytes(data))
            written.append(path)
        write_manifest(settings, [*existing, *rows])
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
