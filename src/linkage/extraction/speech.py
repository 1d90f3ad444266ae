"""Speech cues compiled from data/lexicons/speech_cues.csv: cue verbs, claim nouns and anonymous-source nouns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..pipeline.resources import Resources
from .actors import left_boundary, trie_pattern

__all__ = ["Cues", "cues", "PUNCT"]

PUNCT = ",.:;!?“”\"‘’'()[]—–/"
_TOKEN_PREFIXES = ("", "“", "\"", "‘", "(", "—")
_TOKEN_SUFFIXES = ("", ",", ".", ":", ";", "!", "?", "”", "\"", "’", "'", ",”", ".”", ",\"", ".\"", ")", "),", ").", "—")


def _token_forms(words: frozenset[str]) -> frozenset[str]:
    """The words as whitespace-separated tokens may spell them, with punctuation attached."""
    return frozenset(p + w + s for w in words for p in _TOKEN_PREFIXES for s in _TOKEN_SUFFIXES)


@dataclass
class Cues:
    """Speech cues compiled from the lexicon."""

    verb_re: re.Pattern[str]
    participles: frozenset[str]
    noun_re: re.Pattern[str]
    possessor_re: re.Pattern[str]
    anon_re: re.Pattern[str]
    anon_group: dict[str, str]
    trailing_re: re.Pattern[str]
    inverted_re: re.Pattern[str]
    comma_cue_re: re.Pattern[str]
    say_clause_re: re.Pattern[str] = re.compile(r"(?!)")
    """A `clause` verb (or a `clause_after_listener` verb and its listener) followed by a clause without "that"."""
    clause_words: frozenset[str] = frozenset()
    clause_only_words: frozenset[str] = frozenset()
    org_heads: dict[str, str] = field(default_factory=dict)
    """Head nouns of organisation names and their group (data/lexicons/org_heads.csv)."""
    """Verbs a reported clause may follow directly (uses `clause`, `clause_loose`), not after a listener ("told reporters")."""
    """Verbs whose reported clause may follow without "that" (use `clause` or `clause_after_listener`)."""
    bare_quote_words: frozenset[str] = frozenset()
    label_words: frozenset[str] = frozenset()
    """Verbs that attribute a quoted label only ("characterized X as “…”", use `label`): never a reported clause."""
    """Verbs a whole quoted sentence may follow without a comma (use `bare_quote`): "Ishiba said “We …”"."""
    verb_words: frozenset[str] = frozenset()
    noun_words: frozenset[str] = frozenset()
    cue_tokens: frozenset[str] = frozenset()
    anon_first: frozenset[str] = frozenset()
    token_words: dict[str, str] = field(default_factory=dict)
    """Each cue token form -> the cue word it spells."""
    uses: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each value of the `uses` column -> the forms that have it (`figure_source`, `summary_quote` …)."""

    def __post_init__(self) -> None:
        self.cue_tokens = _token_forms(self.verb_words | self.noun_words)
        self.token_words = {t: t.strip(PUNCT) for t in self.cue_tokens}

    def verbs(self, text: str, start: int, end: int) -> list[re.Match[str]]:
        """Cue verbs in text[start:end] that start a word."""
        return [m for m in self.verb_re.finditer(text, start, end) if left_boundary(text, m.start())]


def _cased(words: list[str]) -> list[str]:
    return [w for word in words for w in (word, word[:1].upper() + word[1:])]


def _compile(res: Resources) -> Cues:
    rows = res.csv("lexicons/speech_cues.csv", required=("form", "type"))
    uses: dict[str, set[str]] = {}
    for r in rows:
        for use in (r.get("uses") or "").split("|"):
            if use.strip():
                uses.setdefault(use.strip(), set()).add(r["form"])
    clause = sorted(uses.get("clause", ()), key=lambda w: (-len(w), w))
    listener = sorted(uses.get("clause_after_listener", ()), key=lambda w: (-len(w), w))
    verbs = [r["form"] for r in rows if r["type"] in ("verb", "participle", "according")]
    participles = frozenset(r["form"] for r in rows if r["type"] == "participle")
    nouns = [r["form"] for r in rows if r["type"] == "noun"]
    anon = {r["form"]: r.get("group", "") for r in rows if r["type"] == "anonymous"}
    verb = trie_pattern(_cased(verbs))
    verb_words = {f.split()[0].lower() for f in verbs}
    noun_words = {n.lower() for n in nouns} | {n.lower() + "s" for n in nouns}
    return Cues(
        verb_words=frozenset(verb_words | {w.capitalize() for w in verb_words}),
        noun_words=frozenset(noun_words | {w.capitalize() for w in noun_words}),
        verb_re=re.compile(rf"(?:{verb})(?![\w-])"),
        participles=participles,
        noun_re=re.compile(rf"(?:{trie_pattern(nouns)})s?(?![\w-])"),
        # whose claim: "Trump's", "the Trump administration's", "his" (+ up to three words) before the noun
        possessor_re=re.compile(
            r"(?P<pos>(?<![\w-])(?:his|her|their|its)|[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*(?:\s+[a-z]+)?(?:’s|'s|’|'))"
            r"\s+(?:[\w-]+\s+){0,3}$"
        ),
        anon_re=re.compile(rf"(?<![\w-])(?:{trie_pattern(_cased(list(anon)))})(?![\w-])"),
        anon_group={k.lower(): v for k, v in anon.items()},
        anon_first=frozenset(w for form in _cased(list(anon)) for w in form.split()[:1]),
        # “…,” WHO CUE   /   “…,” CUE WHO
        trailing_re=re.compile(
            rf"\s*(?P<who>[^,;:?!“”\"—]{{1,90}}?(?:,[^,;:?!“”\"—]{{1,70}},)?)\s+(?:(?:also|then|later)\s+)?"
            rf"(?P<cue>{verb})(?![\w-])"
        ),
        inverted_re=re.compile(rf"\s*(?P<cue>{verb})\s+(?P<who>[^,;:?!“”\"—(]{{1,90}})"),
        comma_cue_re=re.compile(rf",\s+(?P<cue>{verb})\s+(?P<who>[^,.;“”\"]{{1,60}})(?=[,.;]|$)"),
        say_clause_re=_say_clause(clause, listener),
        clause_words=frozenset(clause) | frozenset(listener),
        clause_only_words=frozenset(clause) | frozenset(uses.get("clause_loose", ())),
        bare_quote_words=frozenset(uses.get("bare_quote", ())),
        label_words=frozenset(uses.get("label", ())),
        uses={use: frozenset(forms) for use, forms in uses.items()},
        org_heads={r["word"].strip(): (r.get("group") or "").strip()
                   for r in res.csv("lexicons/org_heads.csv", required=("word",))},
    )


def _say_clause(clause: list[str], listener: list[str]) -> re.Pattern[str]:
    """A speech verb followed directly by a clause without "that" ("said talks would resume", "has said South
    Korea should pay", "told reporters the talks would resume")."""
    verbs = [re.escape(w) for w in clause]
    verbs += [re.escape(w) + r"\s+(?:reporters|journalists|lawmakers|the\s+[a-z]+|[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})"
              for w in listener]
    if not verbs:
        return re.compile(r"(?!)")
    return re.compile(
        r"(?:" + "|".join(verbs) + r")\s+"
        r"(?=(?:the|a|an|such|this|these|those|it|he|she|they|we|there|its|his|her|their)\s"
        r"|(?!(?:on|in|at|during|after|before|to|for|with|by|last|this|that|from|of|earlier|later|when|while|as|and|but|or|"
        r"repeatedly|again|in|publicly|privately|recently)\b)(?:[\w.’'$-]+\s+){1,5}?"
        r"(?:was|were|is|are|would|will|should|could|can|must|may|might|had|has|have|did|does|do|expected|expects|"
        r"wanted|wants|needed|needs|planned|plans|remained|remains|hoped|hopes|saw|sees|intended|intends)\s)"
    )


def cues(res: Resources) -> Cues:
    """The compiled cue lexicon for this build."""
    return res.memo("quotes.cues", lambda: _compile(res))
