"""Reported speech without quotation marks: CUE that CLAUSE; CLAUSE, according to X; CLAUSE, X said."""

from __future__ import annotations

import re

from .speakers import (
    PREP_FILLER,
    QUOTE_CHAR,
    At,
    Context,
    Row,
    Shift,
    Speaker,
    claim_owner,
    noun_phrase,
    quote_row,
)

__all__ = ["indirect", "final_cue"]

_HEADLINE_VOICE = re.compile(r"(?P<clause>[^:]{8,}?)\s*:\s*(?P<who>[^:]{2,40}?)\s*")
"""A headline that gives its speaker after a colon, as wire services do ("Talks were constructive: Japan PM")."""
_ACCORDING_END = re.compile(r",\s+according\s+to\s+([^,.;]{1,60})")
_ACCORDING_START = re.compile(
    r"According\s+to\s+([^,]{1,60})"
    r"(?:,\s+(?:a|an|the|who|one\s+of)\s(?:(?!\b(?:is|are|was|were|will|would|has|have|had|wants?|plans?|can|could|should|must|may|might)\b)[^,]){1,80})?"
    r",\s+"
)
_THAT = re.compile(r"\sthat\s")
_CLAUSE_END = re.compile(r",\s+(?:following|according|said|says|and\s+as|while|as\s+well|[a-z]+ing)\b|;")
"""Where a reported clause stops: a comma before a participle or "according", or a semicolon (see _clause_stop)."""
_SUBORDINATORS = r"(?:[Cc]ontrary\s+to|[Dd]espite|[Uu]nlike|[Aa]mid|[Aa]s|[Ww]hile|[Aa]lthough|[Tt]hough|[Bb]ecause|[Ss]ince|[Ww]hen|[Ii]f|[Aa]fter|[Bb]efore)\b"
_SUBORDINATE_OPEN = re.compile(_SUBORDINATORS)
_SUBORDINATE_AFTER_COMMA = re.compile(r",\s*" + _SUBORDINATORS)
def _subordinate(text: str, st: int, cue_at: int) -> bool:
    """Whether text[st:cue_at] ends inside a fronted or subordinate phrase: a subordinator at its start or after its last comma.

    A reported clause inside one ends at its first comma ("Contrary to X's claims that …, the …").
    """
    comma = text.rfind(",", st, cue_at)
    if comma >= 0:
        return _SUBORDINATE_AFTER_COMMA.match(text, comma, cue_at) is not None
    return _SUBORDINATE_OPEN.match(text, st, cue_at) is not None


def _clause_stop(text: str, c0: int, en: int) -> int:
    """Start of the first clause break in text[c0:en] (en if none): _CLAUSE_END, or " — " before a lowercase word after the last dash."""
    m = _CLAUSE_END.search(text, c0, en)
    stop = m.start() if m else en
    dash = text.rfind("—", c0, en)  # only the last dash can open a trailing aside
    if dash > c0 and text[dash - 1].isspace():
        after = dash + 1
        while after < en and text[after].isspace():
            after += 1
        if after > dash + 1 and after < en and "a" <= text[after] <= "z":
            at = dash - 1
            while at > c0 and text[at - 1].isspace():
                at -= 1
            stop = min(stop, at)
    return stop


def _clause_end(text: str, c0: int, en: int, st: int | None = None, cue_at: int | None = None) -> int:
    c1 = _clause_stop(text, c0, en)
    if st is not None and cue_at is not None and _subordinate(text, st, cue_at):
        comma = text.find(", ", c0, c1)
        c1 = comma if comma > 0 else c1
    full = c1
    while c1 > c0 and text[c1 - 1] in " .,”\"":
        c1 -= 1
    if text.count("“", c0, c1) > text.count("”", c0, c1):  # keep a quotation that closes the clause whole
        close = text.find("”", c1, full)
        if close >= 0:
            c1 = close + 1
    return c1


def indirect(ctx: Context, start_id: int) -> list[Row]:
    """Reported speech without quotation marks: CUE that CLAUSE; CLAUSE, according to X; CLAUSE, X said."""
    doc, cue, text = ctx.doc, ctx.cue, ctx.text
    rows: list[Row] = []

    def add(c0: int, c1: int, sp: Speaker, sid: int) -> None:
        dateline = _DATELINE.match(text, c0, c1)
        if dateline:  # "WASHINGTON - The Pentagon is …" when the dateline stayed in the sentence
            c0 = dateline.end()
        rows.append(quote_row(doc, start_id + len(rows), c0, c1, "indirect", sp, sid))

    for sent in doc.sentences:
        st, en = sent.char_start, sent.char_end
        floor = st  # where the subject of a cue may be: subject_before moves it back out of a quotation
        if ctx.in_quote(st):  # opens inside a quotation: only the writer's words after it can report speech
            st = ctx.quote_end(st)
            if en - st < 12:
                continue
        sid = sent.sentence_id
        if doc.blocks[sent.block_id].role == "headline":
            voice = _HEADLINE_VOICE.fullmatch(text, st, en)
            if voice and not QUOTE_CHAR.search(text, st, en):  # "Security not on the table: Japan PM"
                sp = ctx.who(voice.group("who"), voice.start("who"), ":")
                if sp is not None and sp.actor_id:
                    add(voice.start("clause"), voice.end("clause"), sp, sid)
                    continue
        sent_verbs = ctx.verbs(st, en)
        has_verb = bool(sent_verbs)
        at = text.find(" that ", st, en)
        if not has_verb and not (at >= 0 and ctx.nouns(st, en)):
            continue  # no speech verb, and no claim noun + "that": nothing reported here
        # CUE (…) that CLAUSE  /  CLAIM-NOUN that CLAUSE
        while at >= 0:
            t_start, c0 = at, at + 6
            at = text.find(" that ", c0 - 1, en)
            if ctx.in_quote(t_start):
                continue
            window_start = max(st, t_start - 50)
            verbs = [
                v for v in ctx.verbs(window_start, t_start)
                if not v.group().lower().startswith("according") and v.group().lower() not in cue.label_words
            ]
            sp = None
            if not verbs and t_start - st > 50:
                verbs = [
                    v for v in ctx.verbs(max(st, t_start - 110), t_start)
                    if not v.group().lower().startswith("according") and v.group().lower() not in cue.label_words
                    and PREP_FILLER.match(text, v.end(), t_start)
                ]
            between = len(text[verbs[-1].end():t_start].split()) if verbs else 0
            if verbs and not QUOTE_CHAR.search(text, verbs[-1].end(), t_start) and (
                between <= 6 or (between <= 14 and PREP_FILLER.match(text, verbs[-1].end(), t_start))
            ):
                v = verbs[-1]
                sp = ctx.subject_before(v.start(), floor, v.group(), immediate=v.group().lower() not in cue.participles)
            else:
                nouns = [n for n in ctx.nouns(window_start, t_start) if n.end() == t_start]
                if nouns and text[c0] not in "“\"":  # "Trump's assertion that “…” is wrong": a partial quotation
                    sp = claim_owner(ctx, text[st:en], st, Shift(nouns[-1], st))
            if sp is not None:
                c1 = _clause_end(text, c0, en, st, t_start)
                if c1 - c0 >= 8 and not _own_words(text, c0, c1):
                    add(c0, c1, sp, sid)
        if not has_verb:
            continue
        # WHO say(s)/said CLAUSE (no "that"): "experts say such a scenario is unlikely"
        for v in sent_verbs:
            m = cue.say_clause_re.match(text, v.start(), en) if v.group().split()[0] in cue.clause_words else None
            if m is None or ctx.in_quote(m.start()):
                continue
            sp = ctx.subject_before(m.start(), floor, text[m.start():m.end()].strip(), immediate=True)
            if sp is None:
                continue
            c0 = m.end()
            c1 = _clause_end(text, c0, en)
            inside = any(r["char_start"] <= c0 and c1 <= r["char_end"] for r in rows[-3:])  # nested in a reported clause
            inside = inside or any(  # "said over the weekend that …": the "that" reader has the clause
                r["sentence_id"] == sid and c0 < r["char_start"] <= c0 + 60 for r in rows[-3:]
            )
            if c1 - c0 >= 8 and not inside and not _whole_quotation(text, c0, c1):
                add(c0, c1, sp, sid)
        # WHO said (Friday) (at a press conference) CLAUSE: a clause the stricter reader above does not see
        for v in sent_verbs:
            word = v.group().lower()
            if word not in cue.clause_only_words or ctx.in_quote(v.start()):
                continue
            c0 = _loose_clause(text, v.end(), en)
            if c0 is None or any(r["char_start"] <= c0 < r["char_end"] for r in rows):
                continue
            sp = ctx.subject_before(v.start(), floor, v.group(), immediate=word not in cue.participles)
            if sp is None:
                continue
            c1 = _clause_end(text, c0, en)
            if c1 - c0 >= 8 and not _whole_quotation(text, c0, c1):
                add(c0, c1, sp, sid)
        if floor != st:
            continue  # the words after a quotation are no clause of their own ("…,” he said, according to …)
        body = text[st:en]
        # CLAUSE, according to X.  /  According to X, CLAUSE.
        m = _ACCORDING_END.search(body) if "ccording" in body else None
        if m and not QUOTE_CHAR.search(body, 0, m.start()):
            sp = ctx.who(m.group(1), st + m.start(1), "according to")
            if sp:
                add(st, st + m.start(), sp, sid)
            continue
        m = _ACCORDING_START.match(body) if body.startswith("According") else None
        if m and not QUOTE_CHAR.search(body):
            sp = ctx.who(m.group(1), st + m.start(1), "according to")
            if sp:
                c1 = en
                while c1 > st and text[c1 - 1] == ".":
                    c1 -= 1
                add(st + m.end(), c1, sp, sid)
            continue
        # CLAUSE, said X (, …).  /  CLAUSE, X added.
        sp = None
        m = None
        for v in sent_verbs:  # the first cue verb right after a comma
            comma = text.rfind(",", st, v.start())
            if comma >= 0 and not text[comma + 1:v.start()].strip():
                m = cue.comma_cue_re.match(body, comma - st)
                if m:
                    break
        if m and cue.say_clause_re.match(text, st + m.start("cue")):
            m = None  # "X, a scholar, said Washington was …": a reported clause, not "CLAUSE, said X"
        if m and not _THAT.search(body, 0, m.start()):
            sp = ctx.who(noun_phrase(m.group("who")), st + m.start("who"), m.group("cue"), last=False)
        if sp is None:
            m = final_cue(ctx, st, body)
            if m is not None:
                sp = ctx.who(m[1], st + m[0] + 1, m[2])
                m = At(m[0])
        if sp is not None and m is not None:
            end = m.start()
            if body[end + 1:end + 2] in ("”", '"') and len(QUOTE_CHAR.findall(body, 0, end + 2)) == 2:
                end += 2  # 'will "take place in May," Akazawa said': one quotation closes the clause
            if len(body[:end].split()) >= 3 and _reported(body, end):  # "Still, he hinted at …" reports no clause
                add(st, st + end, sp, sid)
    return rows


_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_LOOSE_OPEN = re.compile(
    rf"(?:\s+(?:on\s+)?{_WEEKDAYS}|\s+today|\s+yesterday)?"
    r"(?:\s+(?:at|in|during|after)\s+(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:conference|session|statement|interview|briefing|meeting|post|speech|address|hearing|release))?"
    r"\s+(?P<clause>[“\"]?(?!(?:to|in|on|at|of|for|with|by|from|that|and|but|or|as|about|after|before|during|when|"
    rf"while|was|were|is|are|will|would|has|had|have|not|also|{_WEEKDAYS})\b)[\w’'.&-]+\s)"
)
"""After a speech verb: when and where (optional), then the start of a clause's subject."""
_FINITE = frozenset(
    "is are was were will would could can should may might must has have had did does do "
    "wants want needs need plans plan hopes hope remains remain sees see intends intend allows allow "
    "made makes make discussed agreed faces face gave gives give took takes take shows show helps help "
    "wasn't weren't isn't aren't won't wouldn't couldn't can't shouldn't hasn't haven't didn't doesn't".split()
)
"""Finite verbs that show a clause after a speech verb without "that" ("said Friday security matters are …")."""


_ABBREVIATION = re.compile(r"(?:[A-Z]\.){2,}")
"""A dotted abbreviation ("U.S."), which ends no clause."""


def _loose_clause(text: str, at: int, en: int) -> int | None:
    """Where a reported clause starts right after a speech verb ending at `at` (no "that"), else None: a
    subject start, then a finite verb within twelve words before any comma, semicolon or full stop."""
    m = _LOOSE_OPEN.match(text, at, en)
    if m is None:
        return None
    c0 = m.start("clause")
    words = 0
    conditional = text.startswith(("if ", "when ", "once ", "unless "), c0)  # "said if X happens, they could …"
    for tok in re.finditer(r"[^\s]+", text[c0:en]):
        word = tok.group().strip("“”\"‘’'")
        if word.lower() in _FINITE:
            return c0 if words else None  # a subject before the verb
        if conditional and tok.group().endswith(","):
            conditional = False
            words = 0
            continue
        if (tok.group()[-1:] in ",;.:?!" and not _ABBREVIATION.fullmatch(tok.group())) or words >= 12 or word == "that":
            return None  # a clause break first, or "said over the last week that …" (the "that" reader's)
        words += 1
    return None


_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My)\b")


def _whole_quotation(text: str, c0: int, c1: int) -> bool:
    """Whether the clause text[c0:c1] is a single quotation ("said “We will …”": direct speech, not reported)."""
    if text[c0] not in "“\"‘'":
        return False
    close = QUOTE_CHAR.search(text, c0 + 1)
    # "saying “…” and excluding …": the quotation is all the verb's clause
    return close is None or close.start() >= c1 - 1 or _COORDINATED.match(text, close.end(), c1) is not None


_COORDINATED = re.compile(r"\s+(?:and|but|or)\s+[a-z]+(?:ing|ed)\b")


def _own_words(text: str, c0: int, c1: int) -> bool:
    """Whether the clause text[c0:c1] is one quotation in the first person ("hope that “we can get there”"):
    the speaker's own words, a partial quotation, not speech reported in the writer's words."""
    if text[c0] not in "“\"":
        return False
    close = QUOTE_CHAR.search(text, c0 + 1)
    if close is None or close.start() < c1 - 1:
        return False  # the quotation closes inside the clause: the rest is the writer's
    return _FIRST_PERSON.search(text, c0, c1) is not None


def _reported(body: str, end: int) -> bool:
    """Whether body[:end] can be a reported clause: no quotation marks, or only quoted words woven into it
    (it neither opens with a quotation mark nor is a quotation run into the writer's words)."""
    quotes = QUOTE_CHAR.findall(body, 0, end)
    if not quotes:
        return True
    if body[:1] in "“\"‘'" or len(quotes) % 2:
        return False
    outside = QUOTE_CHAR.split(body[:end])[::2]  # the words outside the quotation marks
    return len(" ".join(outside).split()) >= 4


_DATELINE = re.compile(r"[A-Z][A-Z .,'’-]{1,40}(?:\([^)]{1,30}\))?\s+[-—–]\s+(?=\S)")
_TIME_TAIL = re.compile(
    r"(?:\s+(?:(?:on|in|at|last|this|late|early)\s+[^,;]{1,30}|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight)\b(?:[^,;]{0,20}(?=\.?$))?))?"
    r"(?:,?\s+(?:as|while|amid|after|before|when|following|ahead\s+of|[a-z]+ing)\s[^;“”\"]*)?\.?"
)
"""After a sentence-final cue: when (", X said on Monday.") and a trailing adverbial or participle clause
("… said Monday as the two allies negotiate …", "… said, emphasizing that …")."""


def final_cue(ctx: Context, st: int, body: str) -> tuple[int, str, str] | None:
    """"CLAUSE, X said (on Monday)." -> (offset of the comma, X, cue), when the sentence ends so."""
    verbs = ctx.verbs(st + max(0, len(body) - 160), st + len(body))
    # the last cue the sentence may end on: "…, Nakatani said at a press conference, emphasizing that …"
    found = next((Shift(m, st) for m in reversed(verbs) if _TIME_TAIL.fullmatch(body, m.end() - st)), None)
    if found is None:
        return None
    v = found
    comma = body.rfind(",", 0, v.start())
    # the comma may close a quotation: 'will "take place in May," Akazawa said'
    mark = QUOTE_CHAR.search(body, comma, v.start()) if comma >= 0 else None
    if mark is not None and mark.start() == comma + 1 and not QUOTE_CHAR.search(body, comma + 2, v.start()):
        mark = None
    if comma < 0 or v.start() - comma > 62 or mark is not None or ";" in body[comma:v.start()]:
        return None
    who = body[comma + 1:v.start()]
    return (comma, who, v.group()) if who.strip() else None
