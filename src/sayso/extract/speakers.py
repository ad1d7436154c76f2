"""Mentions -> entities, and every candidate's source -> its speaker.

Ours to write (coreferee cannot run offline). The rules, in the order they apply:
- names are runs of proper nouns; leading titles ("Russian President") become
  descriptors; one entity per person: a bare surname joins the most recent
  full name with that surname, two different full names never merge;
- appositions tie a descriptor to a name ("The head of the council, Jane Roe, said");
- pronouns go to the nearest preceding compatible entity (gender from honorifics,
  first names and earlier pronouns; "they"/"it" to organisations and groups);
- descriptor phrases ("the Russian leader", "the minister") go to the entity that
  carried that descriptor, else to the most recent person.
"""
from __future__ import annotations

import bisect
import functools
import re

from spacy.tokens import Doc, Token

from sayso.extract import cues
from sayso.extract.context import Context, EntityDraft
from sayso.extract.syntax import token_range

_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
PERSON_NOUNS = frozenset(
    "leader president minister secretary senator governor mayor spokesman spokeswoman spokesperson "
    "official candidate nominee chairman chairwoman director chief ambassador judge lawyer attorney "
    "adviser advisor aide manager strategist analyst economist pollster host anchor reporter editor "
    "columnist author congressman congresswoman lawmaker diplomat officer sheriff prosecutor activist "
    "businessman businesswoman billionaire mogul man woman father mother wife husband son daughter "
    "professor founder ceo king queen prince pope general commander head premier chancellor speaker "
    "democrat republican president-elect nominee".split())
GROUP_NOUNS = frozenset(
    "officials experts critics analysts sources aides supporters democrats republicans voters residents "
    "lawmakers police authorities investigators prosecutors leaders members staff researchers scientists "
    "people americans".split())
COUNTRIES = frozenset(
    "united states|us|u.s.|america|russia|ukraine|china|israel|iran|iraq|syria|gaza|france|germany|britain|"
    "uk|u.k.|japan|india|pakistan|turkey|egypt|mexico|canada|north korea|south korea|saudi arabia|qatar|"
    "lebanon|jordan|poland|italy|spain|washington|moscow|kyiv|kiev|beijing|jerusalem|tehran|london|paris|"
    "berlin|brussels|european union|eu|white house".split("|"))
OUTLET_WORDS = frozenset("herald times post news radio wire journal gazette tribune tv daily press telegraph "
                         "chronicle observer guardian examiner inquirer reporter review magazine".split())
CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                     "june july august september october november december jan. feb. mar. apr. aug. sept. "
                     "sep. oct. nov. dec.".split())
_FIRST_NAME_SKIP = frozenset({"mr.", "mrs.", "ms.", "dr.", "sen.", "rep.", "gov.", "gen.", "mr", "mrs", "ms"})


@functools.lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(w for t in cues.hand()["titles"] for w in t.split())


@functools.lru_cache(maxsize=1)
def _org_words() -> frozenset[str]:
    return frozenset(cues.hand()["org_words"])


@functools.lru_cache(maxsize=1)
def _outlets() -> frozenset[str]:
    return frozenset(o.lower() for o in cues.hand()["outlets"])


@functools.lru_cache(maxsize=1)
def _female() -> frozenset[str]:
    return frozenset(cues.hand()["female_names"])


class _Book:
    """The entities of one article and the order their mentions appear in."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.by_surname: dict[str, list[EntityDraft]] = {}
        self.by_key: dict[str, EntityDraft] = {}
        self.positions: list[int] = []  # char offsets of mentions, sorted
        self.at: list[EntityDraft] = []

    def new(self, name: str, type_: str) -> EntityDraft:
        e = EntityDraft(id=f"e{len(self.ctx.entities) + 1}", name=name, type=type_)
        self.ctx.entities.append(e)
        return e

    def mention(self, e: EntityDraft, rng: tuple[int, int]) -> None:
        e.mentions.append(rng)
        k = bisect.bisect(self.positions, rng[0])
        self.positions.insert(k, rng[0])
        self.at.insert(k, e)

    def before(self, pos: int):
        """Entities mentioned before pos, nearest first."""
        k = bisect.bisect_left(self.positions, pos)
        for i in range(k - 1, -1, -1):
            yield self.positions[i], self.at[i]


def resolve(ctx: Context) -> None:
    doc, text = ctx.doc, ctx.text
    book = _Book(ctx)
    # 1. names in text order, so that "nearest preceding" has every name to choose from
    for lo, hi in _name_runs(doc):
        if ctx.is_blocked(doc[lo].idx, doc[hi].idx + 1):
            continue
        _name_entity(book, doc, lo, hi)
    # 2. sources of candidates, in text order of the source mention
    for c in sorted(ctx.candidates, key=lambda c: c.source[0] if c.source else c.start):
        if c.entity or c.speaker_name and not c.source:
            continue
        if c.source_token is None:
            continue
        tok = doc[c.source_token]
        named_before = tok.i in ctx.token_entity
        e = _source_entity(book, doc, text, tok, c.source)
        if e is not None:
            c.entity = e.id
            c.resolution = _how(text, tok, e, named_before or c.source is not None and any(
                c.source[0] <= m0 and m1 <= c.source[1] and text[m0:m1][:1].isupper()
                and (m0, m1) != c.source for m0, m1 in e.mentions))
    # candidates that inherited a speaker (standalone quote paragraphs) follow their donor
    for c in ctx.candidates:
        if c.entity is None and c.source_token is not None and c.source is not None:
            e = ctx.token_entity.get(c.source_token)
            if e:
                c.entity = e
        if c.origin.startswith("quotes:") and not c.cue and c.source is not None:
            c.resolution = ("inherited", c.source)
    ctx.entities = [e for e in ctx.entities if e.mentions]
    _renumber(ctx)


def _how(text: str, tok: Token, e: EntityDraft, named: bool) -> tuple[str, tuple[int, int] | None]:
    """How a source mention reached its entity, and the name mention it went through."""
    if named:
        return "name", None
    names = [m for m in e.mentions if m[0] < tok.idx and text[m[0]:m[1]][:1].isupper()
             and text[m[0]:m[1]].lower() not in cues.hand()["pronouns"]]
    through = max(names) if names else None
    if tok.tag_ in ("PRP", "PRP$", "WP", "WDT"):
        return "pronoun", through
    return ("descriptor", through) if through else ("unnamed", None)


def _name_runs(doc: Doc):
    """Maximal runs of proper nouns (with inner 'of'/'the' for organisation names)."""
    i, n = 0, len(doc)
    while i < n:
        t = doc[i]
        if t.tag_ in ("NNP", "NNPS") and t.text[:1].isupper():
            j = i
            while j + 1 < n and (doc[j + 1].tag_ in ("NNP", "NNPS") and doc[j + 1].text[:1].isupper()
                                 and not doc[j].text.endswith(("'s", "’s"))):
                j += 1
            # "Ministry of Health", "Bank of America"
            if j + 2 < n and doc[j + 1].lower_ == "of" and doc[j + 2].tag_ == "NNP" and \
                    doc[j].lower_ in _org_words():
                j += 2
                while j + 1 < n and doc[j + 1].tag_ in ("NNP", "NNPS"):
                    j += 1
            yield i, j
            i = j + 1
        else:
            i += 1


def _split_title(doc: Doc, lo: int, hi: int) -> tuple[int, str]:
    """Index where the name starts after leading titles ("Finance Minister Carla Diaz"), and the title."""
    titles = _titles()
    k = lo
    for i in range(lo, hi):  # the last title word that still leaves a name after it
        w = doc[i].lower_
        if w in titles or w.rstrip(".") in titles:
            k = i + 1
    if k > lo and any(t.lower_.strip(".") in _org_words() for t in doc[k:hi + 1]):
        return lo, ""
    return k, doc[lo:k].text


def _classify(words: list[str], titled: bool = False) -> str:
    low = " ".join(words).lower()
    if low in _outlets() or low.removeprefix("the ") in _outlets():
        return "OUTLET"
    if low in COUNTRIES:
        return "GPE"
    if len(words) > 1 and words[-1].lower() in OUTLET_WORDS:
        return "OUTLET"
    if any(w.lower().strip(".") in _org_words() for w in words):
        return "ORG"
    if titled or len(words) > 1 or words[0].lower() in _female():
        return "PERSON"
    return "OTHER"


def _clean(name: str) -> str:
    return _POSSESSIVE.sub("", name.strip()).strip()


def _name_entity(book: _Book, doc: Doc, lo: int, hi: int, *, want_person: bool = False) -> EntityDraft | None:
    start, title = _split_title(doc, lo, hi)
    words = [_clean(t.text) for t in doc[start:hi + 1] if _clean(t.text)]
    if not words or (len(words) == 1 and words[0].lower() in CALENDAR):
        return None
    name = " ".join(words)
    honor = doc[lo].lower_
    type_ = _classify(words, titled=bool(title))
    if type_ == "OTHER":
        # a lone surname of someone already named, or a new name: persons only by evidence
        known = book.by_surname.get(words[0].lower())
        if known or honor in _FIRST_NAME_SKIP:
            type_ = "PERSON"
    if type_ != "PERSON":
        key = name.lower().removeprefix("the ")
        e = book.by_key.get(key)
        if e is None:
            e = book.by_key[key] = book.new(name, type_)
        book.mention(e, token_range(doc, start, hi))
        return e
    surname = words[-1].lower()
    first = words[0].lower() if len(words) > 1 else None
    e = None
    for cand in reversed(book.by_surname.get(surname, [])):
        cfirst = cand.name.split()[0].lower() if len(cand.name.split()) > 1 else None
        if first is None or cfirst is None or cfirst == first:
            e = cand
            break
    if e is None and first is None and len(words) == 1:
        # a lone capitalised word: the first name of someone already named?
        for _, cand in book.before(doc[start].idx):
            if cand.type == "PERSON" and cand.name.split()[0].lower() == surname and len(cand.name.split()) > 1:
                e = cand
                break
    if e is None:
        e = book.new(name, "PERSON")
        book.by_surname.setdefault(surname, []).append(e)
    elif len(words) > len(e.name.split()):
        e.name = name  # the fullest form names the entity
    if title and title.lower() not in (d.lower() for d in e.descriptors) and \
            title.lower().strip(".") not in _FIRST_NAME_SKIP:
        e.descriptors.append(title)
    if honor in ("mrs.", "ms.", "mrs", "ms", "miss"):
        e.gender_votes.append("f")
    elif honor in ("mr.", "mr"):
        e.gender_votes.append("m")
    if honor in ("mrs.", "ms.", "mrs", "ms") or words[0].lower() in _female():
        e.gender = e.gender or "f"
    elif honor in ("mr.", "mr"):
        e.gender = e.gender or "m"
    book.mention(e, token_range(doc, start, hi))
    for t in doc[start:hi + 1]:
        book.ctx.token_entity[t.i] = e.id
    return e


def _source_entity(book: _Book, doc: Doc, text: str, tok: Token, source) -> EntityDraft | None:
    ctx = book.ctx
    if tok.i in ctx.token_entity:
        e = next(x for x in ctx.entities if x.id == ctx.token_entity[tok.i])
        _apposition(book, doc, tok, e)
        return e
    if tok.tag_ in ("WP", "WDT") and tok.head.dep_ in ("relcl", "acl") and tok.head.head is not tok.head:
        # "a campaign surrogate who said …": the relative pronoun stands for the noun it hangs on
        noun = tok.head.head
        e = _source_entity(book, doc, text, noun, None)
        if e is not None:
            book.mention(e, token_range(doc, tok.i, tok.i))
            ctx.token_entity[tok.i] = e.id
        return e
    low = tok.lower_
    pron = cues.hand()["pronouns"].get(low)
    if tok.tag_ in ("PRP", "PRP$") and pron:
        e = _pronoun(book, tok, pron)
        if e is not None:
            book.mention(e, token_range(doc, tok.i, tok.i))
            ctx.token_entity[tok.i] = e.id
        return e
    # an apposition names the person a descriptor describes: "The head of the council, Jane Roe, said"
    named = [ctx.token_entity[c.i] for c in tok.children if c.dep_ == "appos" and c.i in ctx.token_entity]
    if not named and tok.tag_ in ("NNP", "NNPS"):
        named = [ctx.token_entity[i] for i in range(tok.left_edge.i, tok.i + 1) if i in ctx.token_entity]
    if named:
        e = next(x for x in ctx.entities if x.id == named[0])
        desc = _descriptor_text(doc, tok)
        if desc and desc.lower() not in (d.lower() for d in e.descriptors) and tok.tag_ not in ("NNP", "NNPS"):
            e.descriptors.append(desc)
        ctx.token_entity[tok.i] = e.id
        return e
    # a descriptor: "the Russian leader", "the ministry"
    desc = _descriptor_text(doc, tok)
    if not desc:
        return None
    head = tok.lower_
    e = None
    if head in PERSON_NOUNS and any(c.lower_ in ("the", "this", "that") for c in tok.lefts):
        for _, cand in book.before(tok.idx):
            if cand.type == "PERSON" and any(head in d.lower().split() for d in cand.descriptors):
                e = cand
                break
        if e is None:
            e = next((cand for _, cand in book.before(tok.idx) if cand.type == "PERSON"), None)
        if e is not None and desc.lower() not in (d.lower() for d in e.descriptors):
            e.descriptors.append(desc)
    elif any(c.lower_ in ("the", "this", "that") for c in tok.lefts) and len(desc.split()) <= 2:
        # "the ministry" after "the Norland defense ministry"
        for _, cand in book.before(tok.idx):
            if cand.type != "PERSON" and head in cand.name.lower().split():
                e = cand
                break
    if e is None:
        key = desc.lower().removeprefix("the ").removeprefix("a ").removeprefix("an ")
        e = book.by_key.get(key)
        if e is None:
            type_ = "PERSON" if head in PERSON_NOUNS else ("GROUP" if head in GROUP_NOUNS else
                                                            _classify(desc.split()))
            e = book.by_key[key] = book.new(desc, type_)
    book.mention(e, source if source else token_range(doc, tok.i, tok.i))
    ctx.token_entity[tok.i] = e.id
    return e


def _apposition(book: _Book, doc: Doc, tok: Token, e: EntityDraft) -> None:
    for c in list(tok.children) + ([tok.head] if tok.dep_ == "appos" else []):
        if c.dep_ == "appos" or c is tok.head:
            if c.i in book.ctx.token_entity:
                continue
            desc = _descriptor_text(doc, c)
            if desc and desc.lower() not in (d.lower() for d in e.descriptors):
                e.descriptors.append(desc)


def _descriptor_text(doc: Doc, tok: Token) -> str | None:
    if tok.tag_ not in ("NN", "NNS", "NNP", "NNPS"):
        return None
    lo = tok.i
    for c in tok.lefts:
        if c.dep_ in ("amod", "compound", "det", "nmod", "poss") and c.i < lo:
            lo = c.left_edge.i
    hi = tok.i
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            hi = c.right_edge.i
        break
    while lo <= hi and (doc[lo].is_punct or doc[lo].lower_ in ("a", "an", "the")):
        lo += 1
    if lo > hi:
        return None
    text = doc[lo:hi + 1].text
    return text if 0 < len(text) <= 80 and "\n" not in text else None


def _pronoun(book: _Book, tok: Token, kind: str) -> EntityDraft | None:
    if kind in ("1", "1p", "2"):
        return None
    for pos, e in book.before(tok.idx):
        if kind in ("m", "f"):
            if e.type != "PERSON":
                continue
            if e.gender and e.gender != kind:
                continue
            e.gender = e.gender or kind
            e.gender_votes.append(kind)
            return e
        if kind in ("p", "n") and e.type in ("ORG", "GPE", "OUTLET", "GROUP"):
            return e
    return None


def _renumber(ctx: Context) -> None:
    """Entities numbered e1, e2… in order of first mention, stable across runs."""
    ents = sorted(ctx.entities, key=lambda e: min(m[0] for m in e.mentions))
    mapping = {e.id: f"e{i}" for i, e in enumerate(ents, 1)}
    for e in ents:
        e.id = mapping[e.id]
    ctx.entities = ents
    for c in ctx.candidates:
        if c.entity:
            c.entity = mapping.get(c.entity)
    ctx.token_entity = {k: mapping[v] for k, v in ctx.token_entity.items() if v in mapping}
