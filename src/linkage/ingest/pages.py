"""Read a saved web page: decode it, extract the article text with trafilatura and its metadata from
the page's standard tags (JSON-LD, OpenGraph/article meta tags, <time>, <h1>).

The text is laid out one block per line, blank line between blocks, so `corpus.segment_blocks`
gives it the same roles as a plain-text article: the headline first, then "By AUTHOR" (byline) and
the visible text of the article's first <time> (dateline) when the segmenter reads them as such,
then the paragraphs and subheads trafilatura keeps, with each <figure>'s caption in place as
"CAPTION | CREDIT" (a caption with no credit reads "CAPTION | uncredited").
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..extraction.corpus import segment_blocks
from ..pipeline.settings import MAX_PAGE_BYTES, MIN_ARTICLE_WORDS, PAYWALL_PHRASES
from .language import require_english
from .store import Candidate, resolve_published

__all__ = ["PAGE_SUFFIXES", "extractor_name", "decode_page", "read_page"]

PAGE_SUFFIXES = (".html", ".htm")

_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (perhaps .docx or .epub)", b"\x1f\x8b": "a gzip archive", b"RIFF": "a RIFF media file",
    b"\x7fELF": "a program", b"MZ": "a Windows program",
}
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE,
)
_LOOKS_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|article|p|div|main)\b", re.IGNORECASE)
_ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "liveblogposting", "blogposting", "socialmediaposting",
}
_KIND_OF_TYPE = {"analysisnewsarticle": "analysis", "opinionnewsarticle": "opinion"}
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:promo|newsletter|signup|related|recommended|cookie|consent|share|social|advert|ad-slot|comments?)(?:$|[\s_-])",
    re.IGNORECASE,
)
"""Class or id names of page furniture dropped before extraction (trafilatura drops most of it by itself)."""
_SENTINEL = "LINKAGECAPTION{:04d}"
_SENTINEL_LINE = re.compile(r"^LINKAGECAPTION(\d{4})$")
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|byline|source|attribution", re.IGNORECASE)


def extractor_name() -> str:
    """The main-text extractor and its version, as recorded in the manifest."""
    import trafilatura

    return f"trafilatura {trafilatura.__version__}"


def decode_page(data: bytes, where: str) -> str:
    """Decode a saved page: by its byte-order mark, else the charset its <meta> declares, else UTF-8.

    Refuses binary files and bytes that do not decode in the declared (or assumed) encoding.
    """
    head = data[:4096]
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"{where}: this is {what}, not a saved web page; save the article page as HTML.")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            declared, source = codec, "its byte-order mark"
            break
    else:
        if b"\x00" in data[:65536]:
            raise InputError(f"{where}: contains NUL bytes, so it is binary data, not a saved web page.")
        match = _META_CHARSET.search(head)
        declared = match.group(1).decode("ascii") if match else "utf-8"
        source = f'its <meta> charset "{declared}"' if match else "UTF-8 (no charset declared)"
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        raise InputError(f"{where}: declares an unknown charset {declared!r}; re-save the page as UTF-8.") from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ("declare its charset in a <meta charset> tag or re-save it as UTF-8" if not match
                else "the declared charset is wrong; fix the <meta> tag or re-save the page as UTF-8")
        raise InputError(f"{where}, line {line}: byte {exc.start} does not decode as {source}; {hint}.") from None
    if not _LOOKS_HTML.search(text[:65536]):
        raise InputError(f"{where}: no HTML tags found; this is not a saved web page (plain text goes in as .txt).")
    return text


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object of an article type in the page (also inside @graph lists)."""
    found: list[dict[str, Any]] = []

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            kinds = node.get("@type", [])
            kinds = [kinds] if isinstance(kinds, str) else kinds
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                found.append(node)
            if "@graph" in node:
                visit(node["@graph"])

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            visit(json.loads(script.text or ""))
        except ValueError:
            continue
    return found


def _name(value: Any) -> str:
    """A JSON-LD person or organisation (or list of them) as a display name."""
    if isinstance(value, list):
        return ", ".join(n for n in (_name(v) for v in value) if n)
    if isinstance(value, dict):
        return _clean(value.get("name"))
    return _clean(value) if isinstance(value, str) else ""


def _meta(tree: Any, *keys: str) -> tuple[str, str]:
    """The first non-empty <meta property|name|itemprop=KEY content> among `keys`, and the tag that gave it."""
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            for node in tree.xpath(f'//meta[@{attr}="{key}"]'):
                value = _clean(node.get("content"))
                if value:
                    return value, f'<meta {attr}="{key}">'
    return "", ""


def _type_of(ld: dict[str, Any]) -> str:
    kinds = ld.get("@type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return next((k for k in kinds if isinstance(k, str) and k.lower() in _ARTICLE_TYPES), "Article")


@dataclass
class _Meta:
    headline: str = ""
    outlet: str = ""
    url: str = ""
    author: str = ""
    language: str = ""
    kind: str = ""
    published: tuple[str, str] = ("", "")


def _metadata(tree: Any) -> _Meta:
    meta = _Meta()
    ld = _json_ld(tree)
    main = ld[0] if ld else {}
    kind = _type_of(main) if main else ""
    og_title, _ = _meta(tree, "og:title", "twitter:title")
    h1 = next((_clean(h.text_content()) for h in tree.xpath("//h1") if _clean(h.text_content())), "")
    title = _clean(tree.findtext(".//title"))
    meta.headline = _clean(main.get("headline")) or og_title or h1 or title
    meta.outlet = _name(main.get("publisher")) or _meta(tree, "og:site_name", "application-name")[0]
    canonical = next((c.get("href") for c in tree.xpath('//link[@rel="canonical"]') if c.get("href")), "")
    meta.url = canonical or _meta(tree, "og:url")[0] or (main.get("url") if isinstance(main.get("url"), str) else "")
    meta.author = _name(main.get("author")) or _meta(tree, "author", "article:author", "byl")[0]
    meta.author = re.sub(r"^By\s+", "", meta.author)
    html_lang = tree.getroottree().getroot().get("lang") or ""
    meta.language = _clean(main.get("inLanguage") if isinstance(main.get("inLanguage"), str) else "") or html_lang
    meta.kind = _KIND_OF_TYPE.get(kind.lower(), "")
    if isinstance(main.get("datePublished"), str) and main["datePublished"].strip():
        meta.published = (main["datePublished"], f"JSON-LD {kind} datePublished")
    else:
        value, tag = _meta(tree, "article:published_time", "og:article:published_time", "datePublished", "pubdate")
        if value:
            meta.published = (value, tag)
        else:
            stamps = tree.xpath("//time[@datetime]")
            if stamps:
                meta.published = (stamps[0].get("datetime"), "<time datetime>")
    return meta


def _caption_line(figure: Any) -> str:
    """"CAPTION | CREDIT" for a <figure> with a <figcaption>; "" when it has none."""
    captions = figure.xpath(".//figcaption")
    if not captions:
        return ""
    caption = captions[0]
    credits = [e for e in figure.iter() if isinstance(e.tag, str) and e is not figure and e is not caption
               and (e.tag in ("small", "cite") or _CREDIT_CLASS.search(f"{e.get('class', '')} {e.get('itemprop', '')}"))]
    credits = [e for e in credits if not any(a in credits for a in e.iterancestors())]
    credit = " ".join(t for t in (_clean(e.text_content()) for e in credits) if t)
    for e in credits:
        if caption in e.iterancestors():
            e.drop_tree()
    text = _clean(caption.text_content()).rstrip(" |")
    return f"{text} | {credit or 'uncredited'}" if text else ""


def _first_time_text(tree: Any) -> str:
    """The visible text of the article's first <time> element (inside <article> or <main> if there is one)."""
    for path in ("//article//time", "//main//time", "//time"):
        for node in tree.xpath(path):
            text = _clean(node.text_content())
            if text:
                return text
    return ""


def _one_role(line: str) -> str:
    return segment_blocks(line)[0].role if line.strip() else ""


def _body_lines(html: str) -> list[str]:
    """The main text trafilatura keeps, one block per line (paragraphs, subheads, list items, quotes)."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        html, output_format="xml", include_comments=False, include_tables=False, include_images=False,
        include_links=False, include_formatting=False, with_metadata=False, deduplicate=False,
    )
    if not xml:
        return []
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    lines: list[str] = []
    for node in (main if main is not None else root).iter("head", "p", "item", "quote"):
        if node.tag == "quote" and node.find(".//p") is not None:
            continue
        if node.tag == "p" and node.getparent() is not None and node.getparent().tag == "item":
            continue
        text = _clean("".join(node.itertext()))
        if text:
            lines.append(text)
    return lines


def read_page(path: Path, *, where: str | None = None, utc_offset: timezone | None = None) -> Candidate:
    """Read, decode and extract one saved page; raise InputError if it holds no English article."""
    from lxml import html as lxml_html

    where = where or str(path)
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise InputError(
            f"{where}: {size / 2**20:.1f} MB is larger than the {MAX_PAGE_BYTES / 2**20:.0f} MB a saved article page "
            "can be; save it again as 'Web page, HTML only' (without inlined images)."
        )
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{where}: the file is empty.")
    text = decode_page(data, where)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        tree = lxml_html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError or ValueError on unparseable documents
        raise InputError(f"{where}: the HTML could not be parsed ({exc}).") from None
    meta = _metadata(tree)
    dateline = _first_time_text(tree)
    for node in tree.xpath("//*[@class or @id]"):
        if _FURNITURE.search(f"{node.get('class', '')} {node.get('id', '')}") and node.getparent() is not None:
            node.drop_tree()
    captions: list[str] = []
    for figure in tree.xpath("//figure"):
        line = _caption_line(figure)
        parent = figure.getparent()
        if parent is None:
            continue
        if line:
            marker = lxml_html.Element("p")
            marker.text = _SENTINEL.format(len(captions))
            marker.tail = figure.tail
            captions.append(line)
            parent.replace(figure, marker)
        else:
            figure.drop_tree()
    body = _body_lines(lxml_html.tostring(tree, encoding="unicode"))
    lines = [meta.headline] if meta.headline else []
    if meta.author and _one_role(f"By {meta.author}") == "byline":
        lines.append(f"By {meta.author}")
    if dateline and _one_role(dateline) == "dateline":
        lines.append(dateline)
    head = set(lines)
    for line in body:
        m = _SENTINEL_LINE.match(line)
        if m:
            line = captions[int(m.group(1))]
        if line in head:
            continue
        lines.append(line)
    article = "\n\n".join(lines) + "\n"
    blocks = segment_blocks(article, meta.headline)
    content = "\n".join(b.text for b in blocks if b.role in ("headline", "subhead", "body"))
    require_english(content, where, meta.language)
    words = sum(len(b.text.split()) for b in blocks if b.role in ("body", "subhead"))
    tail = " ".join(b.text for b in blocks[-3:]).lower()
    if words < MIN_ARTICLE_WORDS * 3 and any(p in tail for p in PAYWALL_PHRASES):
        raise InputError(
            f"{where}: looks like a paywall stub ({words} words of article text, ending in a subscription prompt); "
            "save the page while signed in, so the whole article is in it."
        )
    if words < MIN_ARTICLE_WORDS:
        raise InputError(
            f"{where}: no article text found ({words} words left after removing navigation and page furniture; "
            f"an article has at least {MIN_ARTICLE_WORDS}); save the article's own page, not an index or a stub."
        )
    value, tag = meta.published
    published = precision = evidence = ""
    if value:
        published, precision, evidence = resolve_published(value, tag, where, utc_offset)
    return Candidate(
        where=where, text=article, outlet=meta.outlet, published=published, precision=precision,
        basis="stated", evidence=evidence, headline=meta.headline, url=meta.url, author=meta.author,
        kind=meta.kind or "news", notes=f"saved page {path.name}", extractor=extractor_name(),
        page=data, page_suffix=".html",
    )
