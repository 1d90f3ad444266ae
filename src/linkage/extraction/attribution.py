"""Who said a quotation: the attribution rules, tried in order until one names a speaker.

ATTRIBUTION_RULES is the ordered list; each rule is a small function of one `Quote` (the quotation
and its sentence) returning a `Speaker`, or None to let the next rule try. docs/method-quotes.md lists
the rules from this list (`rules_markdown`). Who a speaker phrase names is decided by
`speakers.Context.who`; indirect speech has its own reader (`indirect`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .speakers import (
    HE_SHE,
    PRONOUNS,
    Context,
    Shift,
    Speaker,
    claim_owner,
    noun_phrase,
)

__all__ = ["Quote", "Rule", "ATTRIBUTION_RULES", "attribute", "bare_cue", "leading_cue", "rules_markdown"]

_CUE_FILLER = re.compile(
    r"(?:\s+(?:reporters|journalists|lawmakers|legislators|parliament|(?:the\s+|The\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}))?"
    r"(?:\s+(?:in|on|at|during|to|with|after|before|for|last|this|earlier|late|from)\s+[^,;:“”\"]*?)?\s*"
)
"""After a cue and before the comma that opens a quotation: whom it was told to, where and when
("told The Yomiuri Shimbun, “…”", "emphasized at a plenary session on Monday, “…”")."""



def bare_cue(ctx: Context, base: int, left: str) -> bool:
    """Whether the text before a quotation ends with a speech verb and no punctuation ("… said “…”")."""
    if not left[-1:].isspace():
        return False
    end = base + len(left.rstrip())
    found = ctx.verbs(max(base, end - 15), end)
    return bool(found) and found[-1].end() == end and found[-1].group().lower() in ctx.cue.bare_quote_words


def leading_cue(ctx: Context, base: int, left: str) -> Shift | None:
    """A cue verb ending the text before a quotation, before a comma or colon ("Ishiba asserted, “…”")."""
    stripped = left.rstrip()
    if not stripped.endswith((",", ":")):
        return None
    stripped = stripped[:-1].rstrip()
    end = base + len(stripped)
    found = ctx.verbs(max(base, end - 110), end)
    if not found:
        return None
    v = found[-1]
    if v.end() == end or _CUE_FILLER.fullmatch(ctx.text, v.end(), end):
        return Shift(v, base)
    return None




def _speaker_named_after(ctx: Context, right: str) -> bool:
    """Whether the words right after a quotation attribute it in place: a cue verb, then a short phrase
    ("…,” wrote the Asahi Shimbun"), or a short phrase, then a cue verb ("…,” the newspaper said")."""
    cue = ctx.cue
    m = cue.inverted_re.match(right)
    if m is None:
        m = cue.trailing_re.match(right)
        if m is None or m.start("cue") > 40:
            return False
    words = m.group("who").split()
    # a pronoun ("…,” he said) may well be the last speaker: leave it to the continuation rules
    return bool(words) and words[0][:1].isalpha() and words[0].lower() not in PRONOUNS


_ACCORDING_SLOT = re.compile(r"\s*([^,.;:“”\"]{1,60})")
_BY_AGENT = re.compile(r"\s+by\s+([^,.;:“”\"]{1,60}?)(?=\s+as\b|[,.;:]|$)")
_HEADLINE_SPEAKER = re.compile(r"^\s*(?P<who>[^:“”\"‘]{2,40}):\s*$")


_SLOT_TO_PUNCT = re.compile(r"\s+([^,.;:“”\"]{1,60})(?=[,.;:]|$)")
_CLOSE_MARK = re.compile(r"[”\"’']\s*")


@dataclass
class Quote:
    """One quotation being attributed: its end, the text of its sentence on either side, and what came before."""

    ctx: Context
    end: int
    """Where the quoted text ends."""
    right_start: int
    """Where the text after the closing mark starts."""
    left: str
    """The sentence before the opening mark."""
    right: str
    """The sentence after the closing mark."""
    sent: Any
    role: str
    """The block role (body, headline, subhead, ...)."""
    leading: Shift | None
    """`leading_cue` of `left`."""
    colon: bool
    """Whether `left` ends with a colon."""
    direct: bool
    """A whole quoted sentence (not a partial quotation woven into the text)."""
    previous: tuple[int, Speaker, int] | None
    """Block id, speaker and sentence id of the last attributed quotation."""

    @cached_property
    def near(self) -> list[re.Match[str]]:
        """Cue verbs close after the quotation."""
        return self.ctx.verbs(self.right_start, self.right_start + min(len(self.right), 260))

    @cached_property
    def named_after(self) -> bool:
        """Whether the words right after the quotation name a speaker the rules cannot resolve ("…,” wrote the Asahi Shimbun")."""
        return self.direct and _speaker_named_after(self.ctx, self.right)


Rule = Callable[[Quote], Speaker | None]


def _continued(sp: Speaker) -> Speaker:
    return Speaker(sp.speaker, sp.actor_id, sp.group, "continued", sp.cue)


def speaker_then_cue_after(q: Quote) -> Speaker | None:
    """“…,” Smith said: a speaker phrase and a cue verb right after the quotation."""
    m = q.ctx.cue.trailing_re.match(q.right) if q.near else None
    if m and not q.ctx.verbs(q.right_start + m.start("who"), q.right_start + m.end("who")):
        return q.ctx.who(m.group("who"), q.right_start + m.start("who"), m.group("cue"))
    return None


def cue_then_speaker_after(q: Quote) -> Speaker | None:
    """“…,” said a senior official: a cue verb, then the speaker, right after the quotation."""
    near = q.near
    m = q.ctx.cue.inverted_re.match(q.right) if near and not q.right[:near[0].start() - q.right_start].strip() else None
    if m:
        return q.ctx.who(noun_phrase(m.group("who")), q.right_start + m.start("who"), m.group("cue"), last=False)
    return None


def cue_before(q: Quote) -> Speaker | None:
    """Ishiba asserted, “…”: the subject of a cue verb that ends the text before the quotation (a comma or colon between)."""
    if q.leading:
        base = q.sent.char_start
        return q.ctx.subject_before(base + q.leading.start(), base, q.leading.group(), immediate=False)
    return None


def cue_opens_next_sentence(q: Quote) -> Speaker | None:
    """“… for Japan and the USA!” Trump wrote in a post: a quotation closing on ! or ? that the splitter cut from its attribution."""
    ctx, sent = q.ctx, q.sent
    if not q.direct or q.right.strip() or ctx.text[q.end - 1:q.end] not in "!?":
        return None
    sentences = ctx.doc.sentences
    if sent.sentence_id + 1 >= len(sentences):
        return None
    nxt = sentences[sent.sentence_id + 1]
    if nxt.block_id != sent.block_id or ctx.text[q.right_start:nxt.char_start].strip() or nxt.char_end - nxt.char_start > 140:
        return None
    body = ctx.text[nxt.char_start:nxt.char_end]
    m = ctx.cue.trailing_re.match(body)
    if m is None or m.start("cue") > 40 or " that " in body or ctx.cue.say_clause_re.match(body, m.start("cue")):
        return None  # a sentence of its own that reports something else
    if ctx.verbs(nxt.char_start + m.start("who"), nxt.char_start + m.end("who")):
        return None
    return ctx.who(m.group("who"), nxt.char_start + m.start("who"), m.group("cue"))


def woven(q: Quote) -> Speaker | None:
    """Trump's claim that “…”, Ishiba called it “…”: the evidence nearest before a quotation woven into its sentence."""
    ctx, left, sent = q.ctx, q.left, q.sent
    cue = ctx.cue
    base = sent.char_start
    best: tuple[int, Speaker] | None = None
    for hit in ctx.nouns(base, base + len(left)):
        m = Shift(hit, base)
        sp = claim_owner(ctx, left, base, m)
        if sp and (best is None or m.end() >= best[0]):
            best = (m.end(), sp)
    for hit in ctx.verbs(base, base + len(left)):
        m = Shift(hit, base)
        word = m.group()
        lowered = word.lower()
        sp = None
        if lowered.startswith("according"):
            after = _ACCORDING_SLOT.match(left[m.end():])
            if after:
                sp = ctx.who(after.group(1), base + m.end() + after.start(1), word)
        else:
            if left[:m.start()].rstrip().endswith(","):  # "…, said Schoff, by …"
                inv = _SLOT_TO_PUNCT.match(ctx.text, base + m.end(), sent.char_end)
                if inv:
                    sp = ctx.who(noun_phrase(inv.group(1)), inv.start(1), word, last=False)
            agent = _BY_AGENT.match(ctx.text, base + m.end(), sent.char_end)
            if sp is None and agent:  # "described by one diplomat as “…”"
                sp = ctx.who(agent.group(1), agent.start(1), word)
            if sp is None:
                sp = ctx.subject_before(base + m.start(), base, word, immediate=lowered not in cue.participles)
        if sp and (best is None or m.end() >= best[0]):
            best = (m.end(), sp)
    return best[1] if best is not None else None


def later_in_sentence(q: Quote) -> Speaker | None:
    """“give” Trump things … “and let him …,” Schoff suggested: a speaker and cue later in the sentence."""
    ctx, sent, e = q.ctx, q.sent, q.end
    cue, text = ctx.cue, ctx.text
    for m in _CLOSE_MARK.finditer(text, e, sent.char_end):
        t = cue.trailing_re.match(text, m.end(), sent.char_end)
        if t and not ctx.verbs(t.start("who"), t.end("who")):
            sp = ctx.who(t.group("who"), t.start("who"), t.group("cue"))
            if sp:
                return sp
    for m in ctx.verbs(e, sent.char_end):
        if m.group().lower().startswith("according") or text[e:m.start()].rstrip().endswith(","):
            after = _SLOT_TO_PUNCT.match(text, m.end(), sent.char_end)
            if after:
                sp = ctx.who(noun_phrase(after.group(1)), after.start(1), m.group(), last=False)
                if sp:
                    return sp
    return None


def sentence_final_cue(q: Quote) -> Speaker | None:
    """The visit is to “build trust” between them, Hayashi said Monday: a partial quotation in a clause the sentence ends by attributing."""
    if q.direct:
        return None
    from .indirect import final_cue  # indirect imports speakers only: no cycle

    ctx, sent = q.ctx, q.sent
    body = ctx.text[sent.char_start:sent.char_end]
    found = final_cue(ctx, sent.char_start, body)
    if found is None or sent.char_start + found[0] < q.end:
        return None  # no final attribution, or the quotation lies in it
    return ctx.who(found[1], sent.char_start + found[0] + 1, found[2])


def colon(q: Quote) -> Speaker | None:
    """Kato put it bluntly: “…”: after a colon, the clause subject (a headline's “Who: …” names the speaker)."""
    if not q.colon:
        return None
    ctx, left, base = q.ctx, q.left, q.sent.char_start
    if q.role == "headline":
        m = _HEADLINE_SPEAKER.match(left)
        if m:
            sp = ctx.who(m.group("who"), base + m.start("who"), ":")
            if sp:
                return sp
            group = ctx.reg.countries.group_in(m.group("who").lower(), "")
            return Speaker(m.group("who").strip(), "", group, "explicit", ":")
    people = [m for m in ctx.mentions_in(base, base + len(left)) if ctx.person(m["actor_id"])]
    subject = [m for m in people if ctx.subject_like(m)]
    if subject or people:
        aid = (subject or people)[0]["actor_id"]
        return Speaker(ctx.named(aid), aid, ctx.group(aid), "explicit", ":")
    he = HE_SHE.search(left)
    if he:
        aid = ctx.resolve_pronoun(base + he.start())
        if aid:
            return Speaker(ctx.named(aid), aid, ctx.group(aid), "pronoun", ":")
    return ctx.anonymous(left, base) if ctx.cue.anon_re.search(left) else None


def same_paragraph(q: Quote) -> Speaker | None:
    """A whole quoted sentence with no speaker of its own continues the last speaker of its paragraph."""
    prev = q.previous
    if prev is not None and q.direct and prev[0] == q.sent.block_id and not q.named_after:
        return _continued(prev[1])
    return None


def previous_sentence_subject(q: Quote) -> Speaker | None:
    """Bessent was blunt. “The clock is running.”: the person the sentence before is about."""
    if not q.direct or q.named_after:
        return None
    ctx, sent = q.ctx, q.sent
    doc = ctx.doc
    sid = sent.sentence_id - 1
    if sid < 0 or ctx.in_quote(doc.sentences[sid].char_start):
        return None
    before = doc.sentences[sid]
    if before.block_id < sent.block_id - 1:
        return None
    people = [m for m in ctx.mentions_in(before.char_start, before.char_end) if ctx.person(m["actor_id"])]
    subject = [m for m in people if ctx.subject_like(m)]
    if not subject:
        return None
    aid = subject[0]["actor_id"]
    return Speaker(ctx.named(aid), aid, ctx.group(aid), "continued", "")


def nearby_paragraphs(q: Quote) -> Speaker | None:
    """A whole quoted sentence still unattributed continues the last speaker of one of the two paragraphs before."""
    prev = q.previous
    if prev is not None and q.direct and prev[0] in (q.sent.block_id - 1, q.sent.block_id - 2) and not q.named_after:
        return _continued(prev[1])
    return None


def same_sentence(q: Quote) -> Speaker | None:
    """A partial quotation continues the speaker of an earlier quotation in its sentence."""
    prev = q.previous
    if prev is not None and not q.direct and prev[2] == q.sent.sentence_id:
        return _continued(prev[1])
    return None


def headline_person(q: Quote) -> Speaker | None:
    """A quotation in a headline or subhead is the first person it names."""
    if q.role not in ("headline", "subhead"):
        return None
    ctx, sent = q.ctx, q.sent
    people = [m for m in ctx.mentions_in(sent.char_start, sent.char_end) if ctx.person(m["actor_id"])]
    if people:
        aid = people[0]["actor_id"]
        return Speaker(ctx.named(aid), aid, ctx.group(aid), "explicit", "")
    return None


ATTRIBUTION_RULES: tuple[Rule, ...] = (
    speaker_then_cue_after,
    cue_then_speaker_after,
    cue_before,
    cue_opens_next_sentence,
    woven,
    later_in_sentence,
    sentence_final_cue,
    colon,
    same_paragraph,
    previous_sentence_subject,
    nearby_paragraphs,
    same_sentence,
    headline_person,
)
"""The attribution rules in the order they are tried: the first that names a speaker decides."""


def attribute(q: Quote) -> Speaker | None:
    """The speaker named by the first rule that names one, or None (a scare-quoted term, or nobody we can tell)."""
    for rule in ATTRIBUTION_RULES:
        sp = rule(q)
        if sp is not None:
            return sp
    return None


def rules_markdown() -> str:
    """The rules as a numbered Markdown list, in order: name and one-line docstring."""
    lines = []
    for k, rule in enumerate(ATTRIBUTION_RULES, start=1):
        doc = (rule.__doc__ or "").strip().splitlines()[0]
        lines.append(f"{k}. `{rule.__name__}`: {doc}")
    return "\n".join(lines) + "\n"
