"""Small helpers over the spaCy parse shared by the stages: token ranges to character
ranges, trimming, and the subject of a verb."""
from __future__ import annotations

import functools
import re
from array import array
from bisect import bisect_left

from spacy.tokens import Doc, Token

from sayso.extract.context import Range

SUBJ = ("nsubj", "nsubjpass", "csubj")
_EDGE_PUNCT = set(",;:—–-()[]") | {"--"}
_LEAD_DROP = {"and", "but", "or", "so", ",", ";", ":", "—", "–", "-", "--"}


def is_verb(t: Token) -> bool:
    return t.tag_.startswith("VB") or t.tag_ == "MD"


def token_range(doc: Doc, i: int, j: int) -> Range:
    """Characters of tokens i..j inclusive."""
    return doc[i].idx, doc[j].idx + len(doc[j].text)


def subtree_bounds(t: Token, exclude: Token | None = None) -> tuple[int, int]:
    """Token index bounds of t's subtree; with exclude, cut that child's subtree off the edge it sits on."""
    lo, hi = t.left_edge.i, t.right_edge.i
    if exclude is not None and lo <= exclude.i <= hi:
        elo, ehi = exclude.left_edge.i, exclude.right_edge.i
        if elo <= lo:
            lo = ehi + 1
        elif ehi >= hi:
            hi = elo - 1
        # an exclusion in the middle leaves the whole span (the caller may split it)
    return lo, hi


def trim(doc: Doc, lo: int, hi: int, *, keep_quotes: bool = True) -> tuple[int, int] | None:
    """Drop edge punctuation and leading conjunctions from a token span."""
    while lo <= hi and (doc[lo].is_space or doc[lo].lower_ in _LEAD_DROP or
                        (doc[lo].is_punct and not (keep_quotes and doc[lo].is_quote)
                         and doc[lo].text not in "$€£")):
        lo += 1
    while hi >= lo and (doc[hi].is_space or (doc[hi].is_punct and not (keep_quotes and doc[hi].is_quote))
                        or doc[hi].lower_ in ("and", "but", "or")):
        hi -= 1
    return (lo, hi) if lo <= hi else None


def subject(v: Token) -> Token | None:
    """The subject of a verb, climbing through conjunctions, xcomp/advcl and auxiliaries."""
    seen = 0
    while v is not None and seen < 6:
        for c in v.children:
            if c.dep_ in ("nsubj", "csubj"):
                return c
            if c.dep_ == "nsubjpass":
                # "X is expected to win": X is what is expected, the speaker is the agent or no one
                agent = next((g for a in v.children if a.dep_ == "agent" for g in a.children
                              if g.dep_ == "pobj"), None)
                return agent
        for c in v.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if v.tag_.startswith("NN"):
            # "Trump's claim that …" / "issued a statement saying …" / "in a statement, …"
            poss = next((c for c in v.children if c.dep_ == "poss"), None)
            if poss is not None:
                return poss
            if v.dep_ == "dobj" and v.head is not v:
                v = v.head
                seen += 1
                continue
            if v.dep_ == "pobj" and v.head.dep_ == "prep" and v.head.head is not v.head:
                v = v.head.head
                seen += 1
                continue
            return None
        if v.dep_ in ("conj", "xcomp", "advcl", "acl", "ccomp", "relcl") and v.head is not v:
            if v.dep_ == "relcl":
                return v.head
            if v.dep_ == "ccomp":
                return None
            v = v.head
            seen += 1
            continue
        return None
    return None


def noun_phrase(t: Token) -> tuple[int, int]:
    """Token bounds of the noun phrase headed by t, without relative clauses and trailing appositions."""
    lo, hi = t.i, t.i
    for c in t.lefts:
        if c.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "advmod", "case",
                      "punct") or c.tag_ in ("NNP", "NNPS"):
            lo = min(lo, c.left_edge.i)
    for c in t.rights:
        if c.dep_ in ("prep", "compound", "case", "nummod", "amod") and c.i == hi + 1:
            hi = c.right_edge.i
        elif c.dep_ in ("appos",):
            continue
        else:
            break
    # never across a line break (a post signature or a headline above)
    for k in range(t.i - 1, lo - 1, -1):
        if "\n" in t.doc[k].text_with_ws:
            lo = k + 1
            break
    for k in range(t.i, hi):
        if "\n" in t.doc[k].text_with_ws:
            hi = k
            break
    while lo < t.i and (t.doc[lo].is_punct or t.doc[lo].is_space):
        lo += 1
    return lo, hi


def source_of(doc: Doc, subj: Token | None) -> tuple[tuple[int, int] | None, int | None]:
    """The source mention for a subject token: its noun phrase, or None where it names no one."""
    if subj is None:
        return None, None
    if subj.tag_ == "EX" or subj.lower_ in ("it", "there"):
        return None, None
    if _is_clock(subj):
        # "12:15 p.m. President Barack Obama says …" (AP's running stories): the name after the time
        names = [t for t in doc[subj.i + 1:subj.head.i] if t.tag_ in ("NNP", "NNPS", "PRP")]
        if not names:
            return None, None
        subj = names[-1]
    if subj.tag_ in ("CD",) or subj.text.isupper() and len(subj.text) > 3 and subj.i < 6:
        return None, None  # datelines ("CLEVELAND —") are not speakers
    if subj.tag_ in ("WP", "WDT"):
        # "a man who said …": the relative pronoun is the mention; speakers.py follows it to the noun
        return token_range(doc, subj.i, subj.i), subj.i
    lo, hi = noun_phrase(subj)
    return token_range(doc, lo, hi), subj.i


_CLOCK = frozenset({"a.m.", "p.m.", "am", "pm", "a.m", "p.m"})


def _is_clock(t: Token) -> bool:
    return t.lower_ in _CLOCK or (t.tag_ == "CD" and ":" in t.text)


def paragraph_bounds(text: str, pos: int) -> Range:
    """The line (paragraph) holding ``pos``: found by bisection over the text's line breaks,
    not a scan, since stages ask it per quote and per candidate of a text that may be
    one paragraph of megabytes."""
    nl = _breaks(text)
    k = bisect_left(nl, pos)
    return (nl[k - 1] + 1 if k else 0), (nl[k] if k < len(nl) else len(text))


@functools.lru_cache(maxsize=4)
def _breaks(text: str) -> array:
    return array("q", (m.start() for m in re.finditer("\n", text)))
