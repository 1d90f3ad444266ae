"""Wire copies: flag articles that are near-duplicates of an earlier article (MinHash LSH on word shingles).

Method (standard near-duplicate detection, Broder 1997): each article's headline, subheads and body
(the content blocks of `corpus.segment_blocks`, so captions, datelines and page furniture do not count)
are lower-cased into word tokens, and every run of SHINGLE_WORDS consecutive words is a shingle.
datasketch's MinHash LSH proposes candidate pairs; each is confirmed on the exact shingle sets:
Jaccard similarity >= NEAR_DUP_JACCARD, or containment of the shorter article in the longer
>= NEAR_DUP_CONTAINMENT (an outlet that ran a trimmed wire story). An article is flagged
`duplicate_of` the earliest article in manifest order it matches (following that one's own flag,
so every copy points at the first one kept as the original). Flagged articles stay in every table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..extraction.corpus import CONTENT_ROLES, segment_blocks
from ..pipeline.settings import (
    MINHASH_LSH_THRESHOLD,
    MINHASH_PERMUTATIONS,
    NEAR_DUP_CONTAINMENT,
    NEAR_DUP_JACCARD,
    SHINGLE_WORDS,
)

__all__ = ["shingles", "similarity", "find_duplicates"]

_WORD = re.compile(r"\w+")


def content_text(text: str) -> str:
    """The headline, subhead and body lines of an article (what a copy shares with its original)."""
    return "\n".join(b.text for b in segment_blocks(text) if b.role in CONTENT_ROLES)


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """The set of word `size`-grams of the article's content (lower case); short texts give their whole word run."""
    words = _WORD.findall(content_text(text).lower())
    if len(words) < size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """Jaccard similarity and containment (of the smaller set in the larger) of two shingle sets."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def _is_copy(a: frozenset[str], b: frozenset[str]) -> bool:
    jaccard, containment = similarity(a, b)
    return jaccard >= NEAR_DUP_JACCARD or containment >= NEAR_DUP_CONTAINMENT


def find_duplicates(
    articles: Sequence[tuple[str, str]], known: dict[str, str] | None = None, only: Iterable[str] | None = None,
) -> dict[str, str]:
    """Map article_id -> the article_id it copies, for `articles` given as (article_id, text) in manifest order.

    `known` holds flags already recorded (kept as they are); `only` limits which articles get a new
    flag (default: all). An article is compared with the articles before it.
    """
    from datasketch import MinHash, MinHashLSH

    known = dict(known or {})
    wanted = set(only) if only is not None else None
    sets = [shingles(text) for _, text in articles]
    hashes = MinHash.bulk(
        [[s.encode("utf-8") for s in shingle_set] for shingle_set in sets], num_perm=MINHASH_PERMUTATIONS,
    )
    lsh = MinHashLSH(threshold=MINHASH_LSH_THRESHOLD, num_perm=MINHASH_PERMUTATIONS)
    out: dict[str, str] = {}
    for i, ((aid, _), shingle_set, mh) in enumerate(zip(articles, sets, hashes, strict=True)):
        if shingle_set and (wanted is None or aid in wanted) and aid not in known:
            matches = sorted(int(key) for key in lsh.query(mh))
            for j in matches:
                if _is_copy(shingle_set, sets[j]):
                    original = articles[j][0]
                    out[aid] = known.get(original) or out.get(original) or original
                    break
        if shingle_set:
            lsh.insert(str(i), mh)
    return out
