"""Quantities inside attributed content, normalised and tied to their attribution.

Claims in the news are often numbers ("more than 2,100 people were killed"), and
the same number travels between outlets with its qualifier changed. One regex
over each content range finds the figure; the parse only names what it counts.
Years, dates, times and numbers inside links or handles are not figures.
"""
from __future__ import annotations

import bisect
import re
from typing import Any

from sayso.extract.context import Candidate, Context
from sayso.model import Span

_QUALIFIERS = (
    "more than", "no more than", "not more than", "fewer than", "no fewer than", "less than",
    "no less than", "at least", "at most", "up to", "as many as", "as few as", "just over",
    "just under", "well over", "over", "under", "nearly", "almost", "about", "around",
    "roughly", "approximately", "close to", "upwards of", "in excess of", "some",
    "an estimated", "estimated", "a total of", "only", "just",
)
_QUAL = "|".join(q.replace(" ", r"\s+") for q in sorted(_QUALIFIERS, key=len, reverse=True))

_UNITS_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty "
                                           "ninety".split()) if w != "_"}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3}
_CURRENCY = {"$": "dollars", "us$": "dollars", "€": "euros", "£": "pounds"}
_UNIT_NAMES = {
    "%": "percent", "percent": "percent", "per cent": "percent",
    "percentage point": "percentage points", "percentage points": "percentage points",
    "dollars": "dollars", "euros": "euros", "pounds": "pounds",
    "feet": "foot", "foot": "foot",
}
_MEASURES = ("day", "week", "month", "year", "hour", "minute", "mile", "kilometre", "kilometer",
             "km", "metre", "meter", "acre", "ton", "tonne")
#: capitalised only, so that "2,000 may die" keeps its figure
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")

_SMALL = "|".join(sorted(list(_UNITS_WORDS)[2:], key=len, reverse=True))  # two..nineteen
_TEN = "|".join(_TENS)
_WORDNUM = (rf"(?:(?:{_TEN})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
            rf"|(?:a|one|{_SMALL})\s+dozen|(?:a|one)(?=\s+(?:hundred|thousand|million|billion))"
            rf"|{_SMALL})")
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_NUM = rf"(?:{_DIGITS}|{_WORDNUM})"
_SCALE = r"(?:\s+(?:hundred|thousand|million|billion|trillion)\b|(?<=\d)(?:bn|mn)\b)"
_CUR = r"(?:US\$|\$|€|£)"
_UNIT = (r"(?:\s*%|\s+(?:percent|per\s+cent|percentage\s+points?|dollars|euros|pounds|feet|foot)\b"
         rf"|[- ](?P<measure>(?:{'|'.join(_MEASURES)})s?)\b)")


def _num(tag: str) -> str:
    return (rf"(?P<cur{tag}>{_CUR})?(?P<n{tag}>{_NUM})"
            # "$20m": a bare m or k is a scale only after a currency sign
            rf"(?P<sc{tag}>{_SCALE}|(?(cur{tag})(?<=\d)[mk]\b|(?!)))?")


_FIGURE = re.compile(
    rf"(?<![\w@#/.:$€£-])(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:(?P<between>between)\s+{_num('1')}\s+and\s+{_num('2')}"
    rf"|{_num('a')}(?:\s*(?:-|–|\bto\b)\s*{_num('b')})?)"
    rf"(?P<unit>{_UNIT})?(?![\w@/]|[.,]\d)",
    re.I)
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\.?\s*$")
_MONTH_AFTER = re.compile(rf"\s+(?:of\s+)?{_MONTH}\b")
_TIME_AFTER = re.compile(r"\s*(?::\d|[ap]\.?m\b\.?|o['’]clock)|['’]s\b", re.I)
#: cheap test before the full pattern: a digit or a number word
_HINT = re.compile(rf"\d|\b(?:{_TEN}|{_SMALL}|dozen|hundred|thousand|million|billion)\b", re.I)
_NOUNISH = ("NN", "JJ", "VBN", "VBG", "HYPH")


def find(ctx: Context, attributed: list[tuple[str, Candidate]]) -> list[dict[str, Any]]:
    """Keyword arguments of ``sayso.model.Figure`` for each figure in attributed content.

    A figure in content shared by several attributions goes to the narrowest one.
    """
    text = ctx.text
    best: dict[tuple[int, int], tuple[int, str, re.Match]] = {}
    for aid, cand in attributed:
        if not cand.content:
            continue
        width = cand.end - cand.start
        for s, e in cand.content:
            s, e = max(0, s), min(len(text), e)
            if e <= s or not _HINT.search(text, s, e):
                continue
            for m in _FIGURE.finditer(text, s, e):
                if not _is_figure(text, m):
                    continue
                key = m.span()
                if key not in best or width < best[key][0]:
                    best[key] = (width, aid, m)
    if not best:
        return []
    keys: list[tuple[int, int]] = []
    for key in sorted(best, key=lambda k: (k[0], k[0] - k[1])):
        if not keys or key[0] >= keys[-1][1]:  # overlapping finds: the first, longest wins
            keys.append(key)
    starts = [t.idx for t in ctx.doc]
    out = []
    for i, key in enumerate(keys, 1):
        _, aid, m = best[key]
        fig = _normalise(m)
        fig.update(id=f"f{i}", span=Span.of(text, *key), attribution=aid,
                   counts=_counts(ctx, starts, m))
        out.append(fig)
    return out


def _is_figure(text: str, m: re.Match) -> bool:
    """False for years, dates, times, decades ("90's") and pieces of links, handles and names."""
    s, e = m.span()
    n_first = m.group("n1") or m.group("na")
    n_last = m.group("n2") or m.group("nb") or n_first
    # "COVID-19", "F-16": a number hyphened onto a word is a name
    if s >= 2 and text[s - 1] == "-" and text[s - 2].isalpha():
        return False
    # a token holding a link, handle or path
    ts = max(text.rfind(" ", 0, s), text.rfind("\n", 0, s)) + 1
    te = e
    while te < len(text) and not text[te].isspace():
        te += 1
    token = text[ts:te].lower()
    if any(x in token for x in ("/", "@", "www.", ".com", "#")):
        return False
    if _TIME_AFTER.match(text, e) or (s >= 1 and text[s - 1] == ":"):
        return False
    if _MONTH_BEFORE.search(text, max(0, s - 12), s) or _MONTH_AFTER.match(text, e):
        if not m.group("unit") and not m.group("qual"):
            return False
    bare = not (m.group("qual") or m.group("cur1") or m.group("cura") or m.group("unit")
                or m.group("sc1") or m.group("sca") or m.group("scb") or m.group("sc2"))
    if bare and all(_is_year(n) for n in {n_first, n_last}):
        return False
    return True


def _is_year(n: str) -> bool:
    return len(n) == 4 and n.isdigit() and 1900 <= int(n) <= 2099


def _value(num: str, scale: str | None) -> float | None:
    low = " ".join(num.lower().replace("-", " ").split())
    v: float | None
    if low[0].isdigit():
        v = float(low.replace(",", ""))
    elif low.endswith("dozen"):
        first = low.split()[0]
        v = 12.0 * (1 if first in ("a", "one") else _UNITS_WORDS.get(first, 0))
    elif low in ("a", "one"):
        v = 1.0
    else:
        parts = low.split()
        v = float(_TENS.get(parts[0], _UNITS_WORDS.get(parts[0], 0)))
        if len(parts) > 1:
            v += _UNITS_WORDS.get(parts[1], 0)
    if scale:
        v *= _SCALES[scale.strip().lower()]
    return _tidy(v)


def _tidy(v: float | None) -> float | None:
    if v is None:
        return None
    v = round(v, 6)
    return int(v) if float(v).is_integer() else v


def _normalise(m: re.Match) -> dict[str, Any]:
    qual = " ".join(m.group("qual").lower().split()) if m.group("qual") else None
    unit = None
    cur = m.group("cur1") or m.group("cura") or m.group("curb") or m.group("cur2")
    if cur:
        unit = _CURRENCY[cur.lower()]
    if m.group("unit"):
        if m.group("measure"):
            unit = m.group("measure").lower().rstrip("s") if m.group("measure").lower() != "km" \
                else "km"
        else:
            unit = _UNIT_NAMES.get(" ".join(m.group("unit").lower().split()), unit)
    if m.group("between"):
        low, high = _value(m.group("n1"), m.group("sc1")), _value(m.group("n2"), m.group("sc2"))
        return dict(value=None, low=low, high=high, qualifier="between", unit=unit)
    if m.group("nb"):
        sc_b = m.group("scb")
        # "1.5 to 2 million": the scale of the high end applies to both
        low = _value(m.group("na"), m.group("sca") or sc_b)
        high = _value(m.group("nb"), sc_b)
        return dict(value=None, low=low, high=high, qualifier=qual, unit=unit)
    return dict(value=_value(m.group("na"), m.group("sca")), low=None, high=None,
                qualifier=qual, unit=unit)


def _counts(ctx: Context, starts: list[int], m: re.Match) -> str | None:
    """The noun phrase the figure counts, from the parse: "people killed", "civilians"."""
    doc = ctx.doc
    if not len(doc):
        return None
    s, e = m.span()
    first = max(0, bisect.bisect_right(starts, s) - 1)
    last = max(0, bisect.bisect_left(starts, e) - 1)
    inside = range(first, last + 1)
    noun = None
    for i in inside:
        t = doc[i]
        if t.dep_ != "nummod":
            continue
        h = t.head
        # climb out of the figure itself ("900-day siege": 900 -> day -> siege)
        while h.i in inside and h.dep_ in ("compound", "amod", "nummod", "npadvmod") \
                and h.head.i > h.i:
            h = h.head
        if h.i > last and h.tag_.startswith("NN"):
            noun = h
            break
    if noun is None:
        return None
    # the noun with the modifiers between the figure and it ("Palestinian civilians")
    begin = last + 1
    between = range(begin, noun.i)
    if len(between) > 4 or any(not doc[j].tag_.startswith(_NOUNISH) for j in between):
        return None  # a distant head is the parse guessing, not what the figure counts
    while begin < noun.i and doc[begin].tag_ == "HYPH":
        begin += 1
    words = [ctx.text[doc[begin].idx:noun.idx + len(noun)]]
    # what happened to them: "people killed", "people (who were) killed"
    verb = None
    if noun.dep_ == "nsubjpass" and noun.head.tag_ == "VBN":
        verb = noun.head
    else:
        verb = next((c for c in noun.rights if c.dep_ == "acl" and c.tag_ == "VBN"
                     and c.i <= noun.i + 2), None)
    if verb is not None:
        words.append(verb.text)
    return " ".join(words) or None
