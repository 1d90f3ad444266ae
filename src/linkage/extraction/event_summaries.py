"""Events, step 3: a summary of who did what from a report's sentence (subject, verb phrase, dates removed)."""

from __future__ import annotations

import re

from .event_candidates import (
    _BARE,
    _NOT_NAMES,
    _PROPER,
    Candidate,
)

SUMMARY_CHARS = 80
"""Longest summary: who did what, in at most this many characters."""
_IRREGULAR_VERBS = frozenset("""
said told met made took gave held spoke wrote sent went came saw left began set put paid sought brought kept
struck won lost ran hit cut led rose fell grew became did thought felt found chose drew meant spent stood
says tells meets makes takes gives holds speaks writes sends goes comes sees leaves begins sets puts pays seeks
""".split())  # noqa: SIM905
_ING = {"saying": "said", "telling": "told", "making": "made", "taking": "took", "giving": "gave", "writing": "wrote",
        "speaking": "spoke", "meeting": "met", "holding": "held", "seeking": "sought", "sending": "sent"}
_QUOTE_MARKS = " “”\"‘’'"
_VERB = re.compile(
    r"(?:\s*,[^,]{1,90},)?\s+(?P<vp>(?:(?:has|have|had|will|would|could|did|does|do|was|were|is|are|also|then|later|"
    r"again|already|not|never|first|suddenly|repeatedly|reportedly|separately)\s+)*"
    r"(?P<verb>[a-z]{3,}(?:ed|ing)|[a-z]{2,}[^s\W]s|[a-z]+))\b")
_CLAUSE_END = re.compile(r"\s*(?:,(?!\d{3})|[;:(\u2014\u2013]|\s(?:which|who|while|whereas|because|although|though)\s)")
_LEAD = re.compile(
    r"^(?:(?:however|furthermore|meanwhile|moreover|then|also|still|separately|instead|earlier|later)\b,?\s*"
    r"|(?:in|on|at|during|after|before|by|since|until|following|early|late|amid|despite|according to)\b[^,]{0,60},\s*"
    r"|(?:this|last|next)\s+(?:week|weekend|month|year|\w+day)\b[^,]{0,30},\s*)+",
    re.IGNORECASE)


_NOT_VERBS = frozenset("""
during according including regarding concerning following pending notwithstanding morning evening spring thing
something nothing anything everything king ceiling building wedding
""".split())  # noqa: SIM905
"""Words that end in "-ing" (or look like a verb) but are not the verb after a subject ("Reyes during talks")."""


def _is_verb(word: str, vp: str) -> bool:
    if word in _NOT_VERBS:
        return False
    if vp != word:  # an auxiliary or adverb came first: "did not delve", "has already linked"
        return True
    return word in _IRREGULAR_VERBS or word in _ING or word.endswith(("ed", "ing")) or (
        word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")))


_DATE_PREPOSITIONS = frozenset(("early", "late", "over", "in", "on", "at", "during", "from", "for", "since", "by", "until",
                                "through", "of", "the", "as", "soon", "before", "after", "ahead", "no", "later", "than"))


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:])")


def _clean(text: str, dates: list[str]) -> str:
    for d in sorted(dates, key=len, reverse=True):
        at = text.find(d)
        while at >= 0:
            head = text[:at].split(" ")
            while len(head) > 1 and head[-2].lower() in _DATE_PREPOSITIONS and head[-1] == "":
                head = head[:-2] + [""]  # "… told lawmakers on " + "Monday": the preposition goes too
            lead = " ".join(head)
            text = lead + " " + text[at + len(d):]
            at = text.find(d, len(lead) + 1)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", text))
    return text.strip(" ,;:—–.")


def _shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())  # = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–(“\"")
    return cut + "…"


_AFTER_PREPOSITION = re.compile(r"\b(?:in|at|of|for|from|to|with|by|on|into|about|against)\s+(?:the\s+)?$", re.IGNORECASE)


def _bare_names(c: Candidate) -> list[tuple[int, int, str]]:
    """Capitalised names the registry does not know ("Japan will spend ..."), outside the known subjects."""
    subjects: list[tuple[int, int, str]] = []
    taken = [(a, b) for a, b, _ in c.subjects]
    for pn in _PROPER.finditer(c.text):
        if pn.group(1) in _NOT_NAMES:
            continue
        start, end = pn.span()
        if _AFTER_PREPOSITION.search(c.text, max(0, start - 8), start):
            continue  # "Defense spending in Japan is set to …": the name sits in a prepositional phrase
        if all(end <= a or start >= b for a, b in taken):
            subjects.append((start, end, pn.group() + _BARE))
    return subjects


def _clause(t: str, at: int, s: int, e: int, name: str) -> tuple[int, int, str, re.Match[str], int] | None:
    """(distance to the date, start, name, verb match, clause end) when a verb follows the subject, else None."""
    if t[e:e + 2] in ("’s", "'s"):
        return None
    m = _VERB.match(t, e)
    if not m or not _is_verb(m.group("verb"), m.group("vp")):
        return None
    verb = m.group("verb")
    if name.endswith(_BARE) and m.group("vp") == verb and not (verb in _IRREGULAR_VERBS or verb.endswith("ed")):
        return None  # "U.S. troops", "Cabinet meeting": a bare name needs an auxiliary or a past tense
    stop = _CLAUSE_END.search(t, m.end("verb"))
    end = stop.start() if stop else len(t)
    # the clause that holds the date tells what happened then; otherwise the nearest clause
    distance = 0 if s <= at <= end else min(abs(at - end), abs(s - at))
    return distance, s, name.rstrip(_BARE), m, end


def _statement(c: Candidate, speech: frozenset[str]) -> str | None:
    """"Name verb-phrase" from the named subject (or resolved pronoun) whose clause holds the date; None if none."""
    found = _statement_parts(c, speech)
    return None if found is None else _shorten(f"{found[1]} {found[2]}")


def _statement_parts(c: Candidate, speech: frozenset[str]) -> tuple[int, str, str, str] | None:
    """(distance from the date to the clause, subject name, verb phrase, its words before the verb) of
    `_statement`; None if none."""
    t = c.text
    at = min((t.find(d) for d in c.date_texts if d in t), default=0)
    best: tuple[int, int, str, re.Match[str], int] | None = None
    for group in (c.subjects, None):
        if group is None:  # bare capitalised names only when no known subject's clause holds the date
            if best is not None and best[0] == 0:
                break
            group = _bare_names(c)
        for s, e, name in group:
            found = _clause(t, at, s, e, name)
            if found and (best is None or found[0] <= best[0]):  # on a tie the later, inner clause
                best = found
    if best is None:
        return None
    distance, s, name, m, end = best
    verb = m.group("verb")
    rest = t[m.end("verb"): end]
    lead = m.group("vp")[: m.start("verb") - m.start("vp")]
    verb = _ING.get(verb, verb[:-3] + "ed" if verb.endswith("ing") and not lead else verb)
    phrase = _clean(f"{lead}{verb}{rest}", c.all_date_texts)
    quote = c.quote
    before = t[:s].rstrip()
    if before.endswith(("”", '"')) and not quote:  # 'Security is security,” he said'
        quote = before
    core = quote.strip(_QUOTE_MARKS).rstrip(",")
    if verb in speech and core and " that " not in f" {phrase} " and len(phrase.split()) <= 6 \
            and " ".join(core.split()[:3]).lower() not in phrase.lower():  # not when the words are already there
        phrase = f"{phrase}: “{core}”"
    return distance, name, phrase, lead


_PARENTHETICAL = re.compile(r",\s(?!(?:and|but|or|while|so|yet)\b)[^,]{1,60},")


def _plain_summary(c: Candidate) -> str:
    """The sentence without its lead-in, parentheticals and dates."""
    text = _LEAD.sub("", c.text.strip())
    text = _PARENTHETICAL.sub("", text)  # "This meeting, expected to take place on Thursday, coincides …"
    text = _clean(text, c.all_date_texts)
    return _shorten(text[:1].upper() + text[1:])


def _best_summary(members: list[Candidate], speech: frozenset[str]) -> tuple[str, Candidate]:
    """The summary of the first report (most precise first) that names who acted."""
    for m in members:
        found = _statement(m, speech)
        if found:
            return found, m
    return _plain_summary(members[0]), members[0]  # (its statement was None above)


def _excerpt(c: Candidate, limit: int = 240) -> str:
    """The report's sentence, or for a long one the words around its date expression."""
    text = c.text
    if len(text) > limit:
        at = max(0, text.find(c.date_texts[0]))
        lo = max(0, at - limit // 2)
        hi = min(len(text), lo + limit)
        lo = max(0, hi - limit)
        piece = text[lo:hi]
        if lo > 0:
            piece = "…" + piece.split(" ", 1)[-1]
        if hi < len(text):
            piece = piece.rsplit(" ", 1)[0] + "…"
        text = piece
    return " ".join(text.split())  # = re.sub(r"\s+", " ", text).strip(): both split on str.isspace characters


