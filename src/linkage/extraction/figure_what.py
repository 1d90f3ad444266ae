"""What a figure measures: the noun phrase around a number ("the cost of stationing U.S. troops"), and the
period a rate runs over. Read by `figures.extract` for its `what` and `per` columns."""

from __future__ import annotations

import re

__all__ = ["APPROX_WORDS", "STOP_ATTR", "rate_of", "what_of", "word_set"]


def word_set(text: str) -> frozenset[str]:
    """A frozen set of the white-space separated words of `text`."""
    return frozenset(text.split())


APPROX_WORDS = (r"(?:about|around|approximately|roughly|nearly|almost|some|at least|at most|more than|less than|"
                 r"up to|over|under|just over|just under|as much as|as little as|an estimated)")


_PURPOSE = re.compile(
    r"[”\"]?\s+(to\s+(?!(?:the|a|an|its|their|his|her|our|this|that|these|those|be|\d)\b)[a-z]+)(?=\s)")


_WORTH_KEYS = (" worth ", " valued at ", " costing ", " priced at ", " totaling ", " totalling ", " amounting to ")


_TEMPORAL_TAIL = re.compile(
    r"\s+(?:in|for|by|from|since|until|during|through|over|of)\s+(?:the\s+)?"
    r"(?:(?:fiscal|FY)\s?\d{4}|\d{4}|(?:this|last|next|coming|current|past)\s+(?:fiscal\s+)?(?:year|month|week)|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b).*$")


_TEMPORAL_ONLY = re.compile(
    r"(?:(?:fiscal|FY)\s?\d{4}|\d{4}|(?:this|last|next|the)\s+(?:fiscal\s+)?(?:year|month|week)|"
    r"(?:the\s+)?(?:first|second|third|fourth|next|past|coming)\s+(?:\w+\s+)?(?:quarter|half|years?|months?|weeks?))"
    r"(?:\s.*)?$", re.IGNORECASE)


_PREPOSITIONS = word_set("on in at from to by with for of about into onto over under since until during through")


def _trim(phrase: str) -> str:
    """`phrase` without a trailing time ("defense in fiscal 2025" -> "defense"); empty if only a time."""
    phrase = _TEMPORAL_TAIL.sub("", phrase)
    if _TEMPORAL_ONLY.match(phrase) or (phrase.split()[:1] and phrase.split()[0].lower() in _PREPOSITIONS):
        return ""
    return phrase


_IN_NP = re.compile(r"\s+in\s+(?!(?:the|a|an|this|that|fiscal|which|order|turn|part|total|all|addition|return|exchange)\b)"
                    r"(?=[a-zA-Z])")


_TIME_HEADS = frozenset({"year", "years", "quarter", "quarters", "month", "months", "week", "weeks", "period", "time",
                         "days", "day", "decade", "decades"})


_TRAIL_TIME = re.compile(
    r"\s+(?:for|over|during|in|from)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:period|years?|months?|fiscal\s+\d{4}).*$"
)


STOP_ATTR = word_set("""
despite though although while which that who whom whose because but since after before to by from is was are were
be been has have had will would could should may might can than as at for with according when where if in into
during over under against this these those it its they them he she we you i and or remains remain remained stays
stay took takes came went applies applied began begins starts started now then today currently annually yearly a an
per each alone
""")


_STOP_COMPLEMENT = word_set("""
despite though although while which that who whom whose because but since according when where if as is was are
were will would could should may might can and or
""")


_VERBISH = word_set("""
boost raise increase cut lift bring hike lower reduce double triple expand pay paying set put keep push raising
increasing boosting cutting lifting bringing reducing expanding
""")


_OBJ_TAIL = re.compile(rf"(?:a total of\s+)?(?:{APPROX_WORDS}\s+|\w+(?:\s+than)?\s+)?")


_APPOSITION_BY = re.compile(r",[^,]{1,60},\s*(?=by\s+\S*\s*$|by\s+\w+(?:\s+\w+)?\s+$)")


_APPOSED_TAIL = re.compile(
    rf"(?:(?:now|currently|today|then|worth|valued at|estimated at|or|which is)\s+)?(?:{APPROX_WORDS}\s+)?")


_APPROX_TAIL = re.compile(rf"(?:{APPROX_WORDS}\s+)?")


_WORD_TOKEN = re.compile(r"[\w’'-]+")


def _words_before(before: str, keys: tuple[str, ...], tail_rx: re.Pattern[str], most: int, reach: int = 40) -> str:
    """Up to `most` words right before the last of `keys` in `before`, when what follows the key (up to the
    figure) is matched entirely by `tail_rx`; "" otherwise. Literal finds: no regex scan anchored at the end."""
    lo = max(0, len(before) - reach)
    for key in keys:
        at = before.rfind(key, lo)
        if at < 0 or not tail_rx.fullmatch(before, at + len(key)):
            continue
        words: list[str] = []
        for w in reversed(before[max(0, at - 80):at].split()):
            if len(words) >= most or not _WORD_TOKEN.fullmatch(w):
                break
            words.append(w)
        if at - 80 > 0 and len(words) < most and words and before[max(0, at - 80):at].split()[0] == words[-1]:
            words.pop()  # a word cut by the 80-character window
        return " ".join(reversed(words))
    return ""


_QUANTITY_NOUNS = word_set("total sum amount average maximum minimum high low record peak value figure level tune cost")


_SCALE_WORDS = word_set("thousand million billion trillion dozen hundred")


_DETERMINERS = word_set("the a an its their his her our my your this that these those such")


_RATE_WORDS = {"annual": "year", "annually": "year", "yearly": "year", "annualized": "year", "monthly": "month",
               "weekly": "week", "daily": "day", "quarterly": "quarter"}


_VERB_TO = (
    r"(?:(?:has|have|had|will|will have|would)\s+)?(?:been\s+)?(?:risen|rose|rises|increased|grown|grew|fallen|fell|falls|"
    r"reached|climbed|dropped|totaled|totalled|amounted|gained|jumped|slipped|declined|shrank|stood|was|were|is|are|be|"
    r"(?:(?:is|are|was|were)\s+(?:set|expected|projected|forecast|likely|due|slated|poised|estimated)\s+to\s+)?"
    r"(?:reach|reaches|hit|hits|exceed|exceeds|exceeded|top|tops|topped|represent|represents|represented|equal|equals|"
    r"rise|fall|grow|climb|total|totals|come to|comes to|came to|amount to|amounts to|"
    r"(?:is|are|was|were)\s+(?:set|put|estimated|valued|capped|fixed|pegged)\s+at|stands at|stood at))"
    r"(?:\s+worth)?(?:\s+(?:to|at|by))?"
)


_AUX_END = re.compile(r"\b" + _VERB_TO + r"\s+(?:\w+(?:\s+than)?\s+)?$")


_SUBJ = re.compile(r"(?:^|[,;]\s)(?P<np>[^,;]{3,160}?)\s+" + _VERB_TO + r"\s+(?:\w+(?:\s+than)?\s+)?$")


_HEAD_NOUNS = frozenset({"deal", "package", "budget", "loan", "investment", "fund", "plan", "contract", "purchase"})


_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[\w’'.$¥%-]+|\[[^\]]*\]|[,;:()\u2014\u2013\"“”]")


_COMPLEMENT = re.compile(
        r"(?:\s+(?:over|during|in)\s+the\s+[\w-]+(?:\s+[\w-]+)?(?:\s+from\s+fiscal\s+\d{4}(?:\s+to\s+\d{4})?)?)?"
        r"(?:\s+(?:this|next|last)\s+(?:year|month|week)(?:\s+alone)?)?"
        r"(?:\s+(?:a|an|per|each|every)\s+(?:year|month|week|day)|\s+(?:annually|yearly|monthly))?"
        r"\s+(?:for|on|toward|towards|to cover|to fund|to pay for)\s+"
)


_LIST_TAIL = re.compile(r",\s*[\w-]+(?:\s+[\w-]+)?(?:,\s*[\w-]+(?:\s+[\w-]+)?)*,?\s+(?:and|or)\s+[\w-]+")


_SUCH_END = re.compile(r"\s+such$")


_ARTICLE_START = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


_FIRST_WORD = re.compile(r"\s+([\w’'-]+)")


_OF_AFTER = re.compile(r"\s+of\s+(?:its|their|the|his|her|our|a|an)?\s*")


_OF_NEXT = re.compile(r"\s+of\b")


_PAREN = re.compile(r"\s*\([^)]*\)")


_CONJ_START = re.compile(r"^(?:(?:and|but|or|that|which|while|as|so)\s+)+")


def _noun_phrase(text: str, stops: frozenset[str], max_words: int = 10, allow_list: bool = False) -> str:
    """Leading words of `text` up to a stop word or punctuation (an "A, B and C" list is kept whole)."""
    words: list[str] = []
    pos = 0
    for tok in _TOKEN.finditer(text):
        t = tok.group()
        if t == "," and allow_list and words:
            tail = _LIST_TAIL.match(text, tok.start())
            if tail:
                pos = tail.end()
                words.append(tail.group())
                break
            break
        lt = t.lower()
        if not (t[0].isalnum() or t[0] in "_$¥") or lt.strip(".") in stops:
            break
        if words and lt.rstrip(".").endswith("ed") and (
                stops is STOP_ATTR or (len(words) >= 2 and not words[-1].lower().endswith("ly"))):
            break  # a participle after a noun starts a reduced relative clause ("troops stationed in ...")
        words.append(t)
        pos = tok.end()
        if len(words) >= max_words:
            break
    phrase = text[: pos].strip() if words else ""
    phrase = _SUCH_END.sub("", phrase)
    return _ARTICLE_START.sub("", phrase).rstrip(".,")


_BEFORE_NP = ((_WORTH_KEYS, _APPROX_TAIL), ((", ",), _APPOSED_TAIL), ((" of ",), _APPROX_TAIL))


_VERB_WORDS = frozenset(re.findall(r"[a-z]+", _VERB_TO)) - {"s", "to", "at", "by", "has", "have", "had", "will", "would",
                                                             "been", "worth", "than"}


def what_of(text: str, s: int, e: int, category: str) -> str:
    """The measured thing: an attributive noun phrase, a for/on complement, a purpose, or the subject."""
    after, before = text[e:e + 200], text[max(0, s - 200):s]
    if category == "count":
        return ""
    first = _FIRST_WORD.match(after)
    head = first.group(1).lower() if first else ""
    attributive = category in ("percent", "duration", "ratio") or head in _HEAD_NOUNS
    of_np = _OF_AFTER.match(after) if category == "percent" else None
    if of_np:  # "28.3% of its total exports"
        phrase = _noun_phrase(after[of_np.end():], STOP_ATTR, allow_list=True)
        if phrase:
            return phrase
    if attributive and head and head not in STOP_ATTR and not _OF_NEXT.match(after):
        phrase = _trim(_noun_phrase(after, STOP_ATTR, allow_list=True))
        if phrase:
            return phrase
    gloss = _PAREN.match(after)
    rest = after[gloss.end():] if gloss else after
    comp = _COMPLEMENT.match(rest)
    if comp and category == "money":
        phrase = _trim(_noun_phrase(rest[comp.end():], _STOP_COMPLEMENT))
        if phrase:
            return phrase
    in_np = _IN_NP.match(rest) if category == "money" else None
    if in_np:  # "$550 billion in Japanese investment" (not "in 2024", "in Tokyo", "in the first quarter")
        phrase = _trim(_noun_phrase(rest[in_np.end():], _STOP_COMPLEMENT, max_words=5))
        last = phrase.split()[-1] if phrase else ""
        if last and last[0].islower() and last.lower() not in _TIME_HEADS:
            return phrase
    purpose = _PURPOSE.match(rest)
    if purpose and category == "money":
        obj = _noun_phrase(rest[purpose.end():], _STOP_COMPLEMENT, max_words=6)
        return f"{purpose.group(1)} {_TEMPORAL_TAIL.sub('', obj)}".strip()
    if category == "money":
        for keys, tail_rx in _BEFORE_NP:  # "vehicles worth ¥6 trillion"; "its annual payment, now roughly ¥211 billion"
            words = _words_before(before, keys, tail_rx, 6)
            phrase = _np_back(words) if words else ""
            if phrase and phrase.lower() not in _QUANTITY_NOUNS:  # "a total of", "an average of" say nothing
                return phrase
    last = before[-40:].lower().split()[-4:]
    subj = _SUBJ.search(before) if any(w in _VERB_WORDS for w in last) and _AUX_END.search(before[-40:]) else None
    if subj:
        np = _TRAIL_TIME.sub("", subj.group("np"))
        np = _CONJ_START.sub("", np.strip())
        return _ARTICLE_START.sub("", np.strip())
    tail = _APPOSITION_BY.sub(" ", before[-150:]) if " by " in before[-30:] else before[-90:]
    obj = _words_before(tail, (" to ", " by "), _OBJ_TAIL, 5)
    if obj:
        words = obj.split()
        keep: list[str] = []
        for w in reversed(words):
            lw = w.lower()
            if lw in _VERBISH or lw in STOP_ATTR or lw in ("back", "up", "down"):
                break
            if keep and lw.endswith(("ing", "ed")):
                break
            keep.insert(0, w)
            if lw.endswith(("’s", "'s")):  # "Japan's growth": the possessor ends the phrase
                if len(keep) == 1:
                    keep = []
                break
        if keep:
            return " ".join(keep)
    return ""


def _np_back(words_text: str) -> str:
    """The noun phrase at the end of `words_text`, back to a determiner, verb or stop word ("annual payment")."""
    keep: list[str] = []
    for w in reversed(words_text.split()):
        lw = w.lower()
        if lw in _DETERMINERS or lw in STOP_ATTR or lw in _VERBISH or not w[0].isalpha() or lw in _SCALE_WORDS:
            break
        keep.insert(0, w)
        if lw.endswith(("’s", "'s")):
            break
    if not keep or keep[-1][0].isupper() or keep[-1].lower().endswith(("’s", "'s")):
        return ""  # a bare name ("In Tokyo, $5 billion") is not what a figure measures
    return " ".join(keep)


def rate_of(what: str, before: str) -> str:
    """'year' for an annual payment or "an annual ¥8 billion", and so on for monthly, weekly, daily."""
    for w in (what.lower().split()[:3] + before.lower().split()[-2:]):
        if w in _RATE_WORDS:
            return _RATE_WORDS[w]
    return ""
