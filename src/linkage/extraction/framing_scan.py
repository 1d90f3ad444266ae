"""The framing lexicon's scan optimiser: every cue pattern found in one pass over a text.

`framing` says what the cues mean; this module only makes finding them fast. It reads the lexicon's
regular expressions with the parser of `re` (the words a pattern cannot match without, the most
characters a match can span) and builds one trie-shaped expression of the patterns' first letters.
"""

from __future__ import annotations

import itertools
import re
import re._constants as _C  # noqa: PLC2701 - the parser of `re`, to read required words out of a pattern
import re._parser as _sre_parser  # noqa: PLC2701
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = ["Entry", "Cue", "CueScanner"]


@dataclass(frozen=True)
class Entry:
    """One lexicon row: a pattern with the label it votes for and its weight."""

    index: int
    pattern: str
    measure: str
    value: str
    weight: float

    @property
    def line(self) -> int | None:
        """The entry's line in data/lexicons/framing.csv (None for a rule built into the code)."""
        return self.index + 2 if self.index >= 0 else None


class Cue(NamedTuple):
    """One match of a lexicon entry inside a sentence."""

    entry: Entry
    start: int
    end: int


_PATTERN_TOKEN = re.compile(r"\\.|\(\?P[<=]|[^\\(]+|\(")
_LEADING_LITERAL = re.compile(r"[a-z0-9]+")
_TRAILING = "(?![\\w])"


def _lower_pattern(pattern: str) -> str:
    """Lower-case the literal parts of a regular expression (escapes and group syntax kept)."""
    return "".join(t if t.startswith("\\") or t.startswith("(?P") else t.lower() for t in _PATTERN_TOKEN.findall(pattern))


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, char, depth) of each unescaped `(`, `)` and `|` outside character classes.

    `depth` is the group nesting around the character: taken before a `(` opens and after a `)` closes.
    """
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            yield i, c, depth
            depth += 1
        elif c == ")":
            depth -= 1
            yield i, c, depth
        elif c == "|":
            yield i, c, depth
        i += 1


def _split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression."""
    out, start = [], 0
    for i, c, depth in _structure(pattern):
        if c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


def _leading_group(alt: str) -> tuple[str, str, str] | None:
    """(inside, quantifier, rest) when `alt` starts with a non-capturing group."""
    if not alt.startswith("(?:"):
        return None
    for i, c, depth in _structure(alt):
        if c == ")" and depth == 0:
            quant = alt[i + 1:i + 2] if alt[i + 1:i + 2] in ("?", "*", "+", "{") else ""
            return alt[3:i], quant, alt[i + 1 + len(quant):]
    return None


def _branches(pattern: str, depth: int = 0) -> list[str]:
    """Alternatives of a pattern, leading groups of alternatives distributed over the rest."""
    out = []
    for alt in _split_top(_lower_pattern(pattern) if depth == 0 else pattern):
        lead = _leading_group(alt) if depth < 3 else None
        if lead is None or lead[1] not in ("", "?"):
            out.append(alt)
            continue
        inside, quant, rest = lead
        if quant == "?":  # an optional lead-in (an article, a qualifier): the cue starts after it
            out.append(_branches(rest, depth + 1))
            continue
        out.extend(_branches(h + rest, depth + 1) if h + rest != alt else [alt] for h in _branches(inside, depth + 1))
    flat: list[str] = []
    for item in out:
        for alt in item if isinstance(item, list) else [item]:
            # a leading digit class becomes ten literal digits, so numbers are reached through the trie too
            if depth == 0 and alt.startswith("\\d") and alt[2:3] not in ("*", "?", "{"):
                rest = "\\d*" + alt[3:] if alt[2:3] == "+" else alt[2:]
                flat.extend(str(d) + rest for d in range(10))
            else:
                flat.append(alt)
    return flat


def _leading_literal(branch: str) -> tuple[str, int]:
    """The plain characters every match of `branch` starts with, and where they end in `branch`."""
    lit: list[str] = []
    ends: list[int] = []
    i = 0
    while i < len(branch):
        c = branch[i]
        if c.isalnum() or c in "¥-’' ":
            lit.append(c)
            i += 1
        elif c == "\\" and i + 1 < len(branch) and branch[i + 1] in ".$-":
            lit.append(branch[i + 1])
            i += 2
        elif branch.startswith("\\s+", i) and lit and branch[i + 3:i + 4].isalnum():
            # 'trade\s+and': anchored on 'trade and' (one space, as in running text), a rarer place than 'trade'
            lit.append(" ")
            i += 3
        else:
            break
        ends.append(i)
    if lit and branch[i:i + 1] in ("?", "*", "{"):
        lit.pop()
        ends.pop()
    return "".join(lit), (ends[-1] if ends else 0)


_ONE_WORD = re.compile(r"(?:[a-z0-9?*+(){}|:,]|\\w|\[[a-z0-9]+\])*")
"""Alternatives that can only match letters and digits: their matches depend on one word alone."""


_NON_WORD_ATOM = re.compile(r"\\[sWb]|[^\w\\.\[\](){}?*+|^$]")
"""A regex atom that matches only a non-word character (or, for \\b, only between a word and a non-word character)."""


def _ends_word(rest: str) -> bool:
    """Whether the regex `rest`, following a literal that ends in a letter or digit, cannot go on with a word character.

    True at the end of the branch (the scan appends `(?![\\w])`) and before one non-word atom that
    must match at least once ("\\s+", " ", ","); false before anything that may match nothing
    ("\\s*", "\\s?", "\\s{0,2}"), a group, a class or a word character.
    """
    if not rest:
        return True
    atom = _NON_WORD_ATOM.match(rest)
    return atom is not None and not rest[atom.end():].startswith(("*", "?", "{"))


def _trie(words: dict[str, bool]) -> str:
    """A regular expression matching the longest of `words` at a position, shaped as a trie (fast in `re`)."""
    root: dict[str, Any] = {}
    for w, whole in words.items():
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = node.get("", True) and whole

    def render(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")" if alts else ""
        if "" not in node:
            return body
        stop = r"(?![a-z0-9])" if node[""] else ""
        if not body:
            return stop
        return f"(?:{body}|{stop})" if stop else f"(?:{body})?"

    return render(root)


def _required(pattern: str) -> tuple[str, ...]:
    """Words one of which every match of `pattern` contains beyond its leading literal ((): none known).

    Read from the parsed expression: the most selective set of literal alternatives that no match
    can skip. Lets a costly pattern be skipped with a plain substring test.
    """
    try:
        parsed = _sre_parser.parse(pattern)
    except re.error:
        return ()

    def seq(items: Any, top: bool) -> list[frozenset[str]]:
        out: list[frozenset[str]] = []
        run: list[str] = []
        first = True
        for op, av in items:
            if op is _C.LITERAL:
                run.append(chr(av))
                continue
            if run:
                if not (top and first):
                    out.append(frozenset(["".join(run)]))
                run = []
            first = False
            got = node(op, av)
            if got:
                out.append(got)
        if run and not (top and first):
            out.append(frozenset(["".join(run)]))
        return out

    def best(cands: list[frozenset[str]]) -> frozenset[str] | None:
        cands = [c for c in cands if c and min(map(len, c)) >= 3]
        return max(cands, key=lambda c: (min(map(len, c)), -len(c))) if cands else None

    def node(op: Any, av: Any) -> frozenset[str] | None:
        if op is _C.SUBPATTERN:
            return best(seq(av[-1], False))
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and av[0] >= 1:
            return best(seq(av[2], False))
        if op is _C.BRANCH:
            alts = [best(seq(alt, False)) for alt in av[1]]
            if any(a is None for a in alts):
                return None
            return frozenset().union(*alts)
        return None

    found = best(seq(parsed, True))
    return tuple(sorted(found)) if found else ()


_LONG_GAP = re.compile(r"\{\d*,(\d+)\}")
_NOWHERE = 1 << 62
"""Beyond any text: where a word that does not occur is, and the reach of a pattern with an unbounded repeat."""


def _reach(pattern: str) -> int:
    """The most characters a match of `pattern` can span (_NOWHERE when a repeat has no upper limit)."""
    most = _sre_parser.parse(pattern).getwidth()[1]
    return _NOWHERE if most >= _C.MAXREPEAT else most


class _Need:
    """Where the required words of a pattern next occur, moved forward as a scan advances (each word found once per occurrence)."""

    __slots__ = ("words", "starts", "until", "end")

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        self.starts = [-1] * len(words)
        self.until = -1
        self.end = 0

    def nearest(self, low: str, pos: int) -> int:
        """The smallest end of an occurrence of one of the words starting at or after `pos` (huge when none)."""
        if pos > self.until:
            starts = self.starts
            until = end = _NOWHERE
            for k, w in enumerate(self.words):
                i = starts[k]
                if i < pos:
                    i = low.find(w, pos)
                    starts[k] = i = _NOWHERE if i < 0 else i
                if i < until:
                    until = i
                if i + len(w) < end:
                    end = i + len(w)
            self.until, self.end = until, end
        return self.end


class CueScanner:
    """Lexicon entries compiled for speed: every cue in a text found in one pass.

    Each pattern is split into alternatives; those that start with plain letters are reached through
    one trie-shaped regular expression of their first letters (one pass over the text), and only
    there is the full alternative tried. The rest (money figures) form one small residual pattern.
    `family` maps an entry's measure to the family its cues are reported under.
    """

    def __init__(self, entries: list[Entry], family: dict[str, str]) -> None:
        self._family = family
        self.entries = entries
        self.families = sorted({family[e.measure] for e in entries})
        by_literal: dict[str, list[tuple[re.Pattern[str], Entry, bool]]] = {}
        single: dict[str, list[tuple[re.Pattern[str], Entry]]] = {}
        residual: list[str] = []
        self._residual_entries: dict[str, Entry] = {}
        for e in entries:
            for k, branch in enumerate(_branches(e.pattern)):
                lit, stop = _leading_literal(branch)
                if lit:
                    nxt = branch[stop:]
                    whole = lit[-1].isalnum() and _ends_word(nxt)
                    regex = re.compile(branch + _TRAILING)
                    if not _ONE_WORD.fullmatch(branch):
                        by_literal.setdefault(lit, []).append((regex, e, whole))
                    else:
                        single.setdefault(lit, []).append((regex, e))
                else:
                    name = f"r{e.index}_{k}"
                    self._residual_entries[name] = e
                    residual.append(f"(?P<{name}>{branch.replace('(?P<cue>', '(?:')})")
        self._by_literal = by_literal
        self._single = single
        self._word_cache: dict[tuple[str, str], Any] = {}
        literals = sorted(set(by_literal) | set(single), key=lambda x: (-len(x), x))
        whole_words = {lit: all(w for _, _, w in by_literal.get(lit, ())) and lit not in single for lit in literals}
        trie = _trie(whole_words)
        # a literal at a word start: (literal, word) in groups 1 and 2. `_gap_anchor` finds the same places after
        # the non-word character before them, which `re` skips to in one fast pass (no lookbehind at every char)
        self._anchor = re.compile(r"(?<![\w])(?=(" + trie + r"))(\w*)") if literals else None
        self._gap_anchor = re.compile(r"\W(?=(" + trie + r"))(\w*)") if literals else None
        # every literal that is a prefix of a longer one must be tried too
        self._prefixes = {lit: [p for p in literals if lit.startswith(p)] for lit in literals}
        # patterns with a long gap ({0,50}) are costly to try: first look for a word they cannot match without
        # (a match ends at or after the end of a required word, and spans at most _reach characters)
        need = {
            id(regex): (_required(regex.pattern), _reach(regex.pattern))
            if any(int(g) >= 20 for g in _LONG_GAP.findall(regex.pattern)) else ((), 0)
            for items in by_literal.values() for regex, _, _ in items
        }
        self._multi = {
            lit: [(regex, entry, whole, len(p), family[entry.measure], "cue" in regex.groupindex, need[id(regex)])
                  for p in self._prefixes[lit] for regex, entry, whole in by_literal.get(p, ())]
            for lit in literals
        }
        self._residual = re.compile(r"(?<![\w])(?:" + "|".join(residual) + r")(?![\w])") if residual else None

    def _hits(self, anchor: str, word: str) -> tuple[list[tuple[str, Entry, int]], list[tuple[Any, ...]]]:
        """For a word starting with `anchor`: its one-word hits and the multi-word regexes worth trying (cached).

        The regexes come as (bound `match`, entry, family, has a `cue` group, required words).
        """
        key = (anchor, word)
        hits = self._word_cache.get(key)
        if hits is None:
            singles = []
            for lit in self._prefixes[anchor]:
                for regex, entry in self._single.get(lit, ()):
                    m = regex.match(word)
                    if m is not None:
                        singles.append((self._family[entry.measure], entry, m.end()))
            # a whole-word literal cannot match inside a longer word
            multi = [
                (regex.match, entry, family, has_cue, need)
                for regex, entry, whole, n, family, has_cue, need in self._multi[anchor]
                if not (whole and word[n:n + 1].isalnum())
            ]
            hits = (singles, multi)
            if len(self._word_cache) < 200_000:
                self._word_cache[key] = hits
        return hits

    def scan(self, low: str, start: int, end: int) -> list[tuple[str, Cue]]:
        """Every (family, cue) in low[start:end] (the lower-cased text; absolute offsets)."""
        found: list[tuple[str, Cue]] = []
        if self._anchor is not None and self._gap_anchor is not None:
            cache = self._word_cache
            hits_of = self._hits
            add = found.append
            new = tuple.__new__
            needs: dict[tuple[str, ...], _Need] = {}
            anchors: Iterable[re.Match[str]] = self._gap_anchor.finditer(low, max(start - 1, 0), end)
            if start == 0:  # no character before the first word
                first = self._anchor.match(low, 0, end)
                if first is not None:
                    anchors = itertools.chain((first,), anchors)
            for m in anchors:
                pos = m.start(2)
                key = m.group(1, 2)
                hits = cache.get(key)
                singles, multi = hits if hits is not None else hits_of(*key)
                for family, entry, length in singles:
                    add((family, new(Cue, (entry, pos, pos + length))))
                for match, entry, family, has_cue, (need, reach) in multi:
                    if need:
                        state = needs.get(need)
                        if state is None:
                            state = needs[need] = _Need(need)
                        if (state.end if pos <= state.until else state.nearest(low, pos)) > pos + reach:
                            continue
                    hit = match(low, pos, end)
                    if hit is None:
                        continue
                    if has_cue and hit.group("cue") is not None:
                        add((family, new(Cue, (entry, *hit.span("cue")))))
                    else:
                        add((family, new(Cue, (entry, *hit.span()))))
        if self._residual is not None:
            for m in self._residual.finditer(low, start, end):
                name = m.lastgroup
                if name in self._residual_entries:
                    entry = self._residual_entries[name]
                    found.append((self._family[entry.measure], Cue(entry, m.start(), m.end())))
        return found


