"""Generate a synthetic benchmark corpus by recombining paragraphs of the real articles.

Each synthetic article takes a headline, 6-18 body paragraphs (and now and then a subhead, a photo
caption with its credit, a source line or a navigation trailer) from the five seed articles, then
varies names (from data/actors.csv, else names found in the texts), dates, weekdays, amounts and the
outlet. The result is a complete project root (data/raw, data/articles.csv with checksums, and a copy
of the registries and lexicons) that `linkage.build(root)` can build. Article i is the same in every
corpus size, so the 1,000-article corpus is the first 1,000 of the 20,000-article one.

    python benchmarks/synth.py 1000 benchmarks/out/corpus-1000
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from linkage.extraction.corpus import make_document  # noqa: E402
from linkage.pipeline.manifest import COLUMNS, load_articles  # noqa: E402
from linkage.pipeline.settings import Settings  # noqa: E402

__all__ = ["Pool", "generate", "paragraph_pool"]

log = logging.getLogger("benchmarks.synth")

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OUTLETS = [
    ("The Pacific Ledger", "US"), ("Tokyo Evening Wire", "JP"), ("Harbour Times", "AU"),
    ("The Continental Review", "GB"), ("Asia Markets Daily", "SG"), ("Capital Dispatch", "US"),
    ("The Northern Courier", "CA"), ("Osaka Business Press", "JP"), ("Seoul Observer", "KR"),
    ("The Global Monitor", ""),
]
_MORE_OUTLETS = ["Gazette", "Herald", "Chronicle", "Post", "Tribune", "Observer", "Courier", "Record", "Standard",
                 "Journal", "Telegraph", "Sentinel", "Examiner", "Mirror", "Express", "Bulletin"]
_CITIES = [("Lakeside", "US"), ("Kobe", "JP"), ("Perth", "AU"), ("Leeds", "GB"), ("Manila", "PH"), ("Busan", "KR"),
           ("Ottawa", "CA"), ("Munich", "DE"), ("Nagoya", "JP"), ("Austin", "US"), ("Taipei", "TW"), ("Delhi", "IN")]
KINDS = ["news", "news", "news", "analysis", "editorial", "opinion"]
_MONTH = "|".join(MONTHS)
_DATE = re.compile(rf"\b({_MONTH}) (\d{{1,2}})\b")
_WEEKDAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b")
_AMOUNT = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})*(?:\.\d+)?)(?=\s*(?:%|percent|billion|million|trillion|yen|dollars))")
_TITLED = re.compile(
    r"\b(?:President|Prime Minister|Minister|Secretary|Chief Cabinet Secretary|Ambassador|Gov\.|Sen\.|Rep\.|Mr\.|Ms\.)"
    r" ((?:[A-Z][a-z]+ )?[A-Z][a-z]+)\b"
)
_PERSON = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")


@dataclass
class Pool:
    """Material to recombine: headlines, paragraphs by role, and names to swap."""

    headlines: list[str]
    body: list[str]
    subheads: list[str]
    captions: list[tuple[str, str]]
    sources: list[str]
    trailers: list[str]
    names: list[str]


def _registry_names(data: Path) -> list[str]:
    """Person names from data/actors.csv (column `name`, kind person where a kind is given)."""
    path = data / "actors.csv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = []
    for row in rows:
        name = (row.get("name") or "").strip()
        kind = (row.get("kind") or "person").strip().lower()
        if name and kind in ("person", "") and " " in name and len(name) < 40:
            names.append(name)
    return sorted(set(names))


def paragraph_pool(root: Path = ROOT) -> Pool:
    """Split the real corpus into blocks by role and collect names to vary."""
    settings = Settings(root)
    headlines, body, subheads, captions, sources, trailers = [], [], [], [], [], []
    text_names: set[str] = set()
    for article in load_articles(settings):
        doc = make_document(article.article_id, article.text, dict(article.row))
        blocks = doc.blocks
        for i, block in enumerate(blocks):
            if block.role == "headline":
                headlines.append(block.text)
            elif block.role == "body":
                body.append(block.text)
                text_names.update(m.group(1) for m in _TITLED.finditer(block.text) if " " in m.group(1))
            elif block.role == "subhead":
                subheads.append(block.text)
            elif block.role == "source":
                sources.append(block.text)
            elif block.role == "caption" and i + 1 < len(blocks) and blocks[i + 1].role == "caption":
                captions.append((block.text, blocks[i + 1].text))
        nav = [b for b in blocks if b.role == "boilerplate"]
        if len(nav) > 3:
            trailers.append("\n".join(b.text for b in nav))
        if article.row.get("headline"):
            headlines.append(article.row["headline"])
    names = _registry_names(settings.data) or sorted(text_names)
    if not names:
        names = sorted({m.group() for p in body for m in _PERSON.finditer(p)})
    return Pool(sorted(set(headlines)), body, subheads, captions, sources, trailers, names)


class _Varier:
    """Rewrites a paragraph with other names, dates, weekdays and amounts."""

    def __init__(self, pool: Pool, rng: random.Random) -> None:
        self.rng = rng
        self.names = pool.names
        self.swap = {n: rng.choice(pool.names) for n in pool.names} if pool.names else {}
        self.pattern = (
            re.compile("|".join(re.escape(n) for n in sorted(pool.names, key=len, reverse=True)))
            if pool.names else None
        )

    def __call__(self, text: str) -> str:
        rng = self.rng
        if self.pattern is not None:
            text = self.pattern.sub(lambda m: self.swap.get(m.group(), m.group()), text)
        text = _DATE.sub(lambda m: f"{rng.choice(MONTHS)} {rng.randint(1, 28)}", text)
        text = _WEEKDAY.sub(lambda m: rng.choice(WEEKDAYS), text)

        def amount(m: re.Match[str]) -> str:
            value = float(m.group(1).replace(",", "")) * rng.choice((0.5, 0.8, 1.0, 1.5, 2.0, 3.0))
            return f"{value:,.0f}" if "," in m.group(1) or value >= 100 else f"{value:g}"

        return _AMOUNT.sub(amount, text)


def outlet_list(k: int | None) -> list[tuple[str, str]]:
    """The outlets to draw from: the ten of OUTLETS, then made-up ones ("Kobe Herald") up to `k` in all."""
    if k is None:
        return OUTLETS
    more = [(f"{city} {paper}", country) for paper in _MORE_OUTLETS for city, country in _CITIES]
    return (OUTLETS + more)[:max(k, 1)]


def _article(pool: Pool, index: int, seed: int, outlets: int | None = None) -> tuple[str, dict[str, str]]:
    """The text and manifest fields of synthetic article `index`.

    With `outlets`, the outlet is drawn from that many outlets with weights 1/rank (a few large outlets and a
    long tail, as in real coverage); without it, uniformly from the ten of OUTLETS.
    """
    rng = random.Random(seed * 1_000_003 + index)
    vary = _Varier(pool, rng)
    if outlets is None:
        outlet, country = rng.choice(OUTLETS)
    else:
        names = outlet_list(outlets)
        outlet, country = rng.choices(names, weights=[1 / (r + 1) for r in range(len(names))])[0]
    month, day, hour = rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23)
    published = f"2025-{month:02d}-{day:02d}T{hour:02d}:{rng.choice((0, 15, 30, 45)):02d}+09:00"
    headline = vary(rng.choice(pool.headlines)) if pool.headlines and rng.random() < 0.85 else ""
    lines: list[str] = []
    if headline:
        lines.append(headline)
    if rng.random() < 0.4:
        lines.append(f"{hour}:00 JST, {MONTHS[month - 1]} {day}, 2025")
    paragraphs = rng.sample(pool.body, k=min(len(pool.body), rng.randint(6, 18)))
    for k, paragraph in enumerate(paragraphs):
        if k and pool.subheads and rng.random() < 0.08:
            lines.append(vary(rng.choice(pool.subheads)))
        if pool.captions and rng.random() < 0.05:
            lines.extend(rng.choice(pool.captions))
        lines.append(vary(paragraph))
    if pool.sources and rng.random() < 0.15:
        lines.append(rng.choice(pool.sources))
    if pool.trailers and rng.random() < 0.1:
        lines.append(rng.choice(pool.trailers))
    text = "\n\n".join(lines) + ("\n" if rng.random() < 0.7 else "")
    row = {
        "outlet": outlet, "outlet_country": country, "kind": rng.choice(KINDS), "headline": headline,
        "published": published, "published_precision": "minute", "published_basis": "stated",
        "published_evidence": "synthetic benchmark article", "url": "", "language": "en",
        "notes": f"synthetic: benchmark article {index} (seed {seed})",
    }
    return text, row


def _copy_inputs(src: Path, dst: Path) -> None:
    """Copy registries and lexicons (everything under data/ except raw texts, outputs and manifest)."""
    for item in (src / "data").iterdir():
        if item.name in ("raw", "processed", "builds", "articles.csv") or item.name.startswith("."):
            continue
        target = dst / "data" / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target)


def generate(n: int, out: Path, *, seed: int = 7, root: Path = ROOT, outlets: int | None = None) -> Path:
    """Write a project root with `n` synthetic articles into `out` (from `outlets` outlets if given); return `out`."""
    out = Path(out)
    if (out / "data").exists():
        shutil.rmtree(out / "data")
    shutil.rmtree(out / ".cache", ignore_errors=True)
    raw = out / "data" / "raw"
    raw.mkdir(parents=True)
    _copy_inputs(root, out)
    pool = paragraph_pool(root)
    rows = []
    for i in range(n):
        text, fields = _article(pool, i, seed, outlets)
        data = text.encode("utf-8")
        name = f"synth_{i:05d}.txt"
        (raw / name).write_bytes(data)
        rows.append({"article_id": f"synth-{i:05d}", "source_file": name,
                     "sha256": hashlib.sha256(data).hexdigest(), **fields})
    with open(out / "data" / "articles.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: r.get(c, "") for c in COLUMNS} for r in rows)
    info = {"articles": n, "seed": seed, "outlets": len({r["outlet"] for r in rows}), "names": len(pool.names), "paragraphs": len(pool.body),
            "names_from": "data/actors.csv" if _registry_names(root / "data") else "the texts",
            "bytes": sum(p.stat().st_size for p in raw.iterdir())}
    (out / "corpus.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %d articles (%d bytes) to %s", n, info["bytes"], out)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: synth.py N OUT [--seed S] [--outlets K]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--outlets", type=int, default=None,
                        help="draw from this many outlets, a few large and a long tail (default: ten, uniformly)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    generate(args.n, args.out, seed=args.seed, outlets=args.outlets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
