"""Where a verb's reported content sits in the parse: its *frames*.

The same function serves run time (indirect.py) and learning
(bench/learn_frames.py), so the learned statistics describe exactly the spans the
rules produce. A frame is (name, token bounds of the content, token bounds cut out).
"""
from __future__ import annotations

import functools
import json
from importlib import resources

from spacy.tokens import Token

from sayso.extract.syntax import subtree_bounds

#: prepositions whose object is what a verb of speech or thought is about
PREPS = ("about", "of", "on", "for", "to", "against", "with", "in", "at", "over", "into", "as", "from")

Frame = tuple[str, int, int]


def key(t: Token) -> str:
    """Statistics are kept per word form, nouns apart from verbs ("n:claim")."""
    return ("n:" + t.lower_) if t.tag_.startswith("NN") else t.lower_


def noun_frames(n: Token) -> list[Frame]:
    """Nouns of speech: "the claim that …", "a statement saying …", "criticism of …"."""
    out: list[Frame] = []
    for c in n.children:
        if c.i < n.i:
            continue
        if c.dep_ in ("acl", "ccomp") and (any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
                                          or c.dep_ == "ccomp"):
            out.append(("n:that", *subtree_bounds(c)))
        elif c.dep_ == "prep" and c.lower_ in PREPS:
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                out.append((f"n:prep:{c.lower_}", *subtree_bounds(pobj)))
    return out


def frames(v: Token) -> list[Frame]:
    """Candidate content spans of verb v, one per syntactic frame present."""
    if v.tag_.startswith("NN"):
        return noun_frames(v)
    out: list[Frame] = []
    kids = list(v.children)
    dobj = next((c for c in kids if c.dep_ in ("dobj", "dative")), None)
    for c in kids:
        d = c.dep_
        if d in ("ccomp", "csubj"):
            lo, hi = subtree_bounds(c)
            out.append(("ccomp" if c.i > v.i else "ccomp_before", lo, hi))
        elif d == "xcomp":
            lo, hi = subtree_bounds(c)
            out.append(("xcomp", lo, hi))
            if dobj is not None and dobj.i < c.i:
                out.append(("dobj+xcomp", dobj.left_edge.i, hi))
        elif d in ("dobj",) and c.i > v.i:
            out.append(("dobj", *subtree_bounds(c)))
            oprd = next((o for o in kids if o.dep_ == "oprd" and o.i > c.i), None)
            if oprd is not None:
                # "called the plan a disaster"
                out.append(("dobj+oprd", c.left_edge.i, oprd.right_edge.i))
        elif d == "prep" and c.lower_ in PREPS and c.i > v.i:
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                out.append((f"prep:{c.lower_}", *subtree_bounds(pobj)))
                if dobj is not None and dobj.i < c.i:
                    out.append((f"dobj+prep:{c.lower_}", dobj.left_edge.i, pobj.right_edge.i))
        elif d == "advcl" and c.i > v.i:
            out.append(("advcl", *subtree_bounds(c)))
    if v.dep_ == "parataxis" and v.head.i < v.i:
        lo, hi = subtree_bounds(v.head)
        vlo, vhi = subtree_bounds(v)
        if vlo > lo:
            out.append(("parataxis_head", lo, vlo - 1))
    if v.dep_ == "advcl" and any(c.lower_ == "as" and c.dep_ == "mark" for c in kids):
        lo, hi = subtree_bounds(v.head, exclude=v)
        out.append(("as_clause", lo, hi))
    if v.dep_ in ("relcl", "acl") and v.head.i < v.i:
        # "the plan announced by …" / "a man who said …": the head noun is what was said about
        out.append(("head_noun", *subtree_bounds(v.head, exclude=v)))
    if v.dep_ == "ROOT" or v.dep_ == "conj":
        subj = next((c for c in kids if c.dep_ == "nsubjpass"), None)
        xcomp = next((c for c in kids if c.dep_ == "xcomp"), None)
        if subj is not None and xcomp is not None:
            # "X is expected to win": what is expected is X to win
            out.append(("passive_xcomp", subj.left_edge.i, xcomp.right_edge.i))
    return out


@functools.lru_cache(maxsize=1)
def learned() -> dict[str, dict[str, list[int]]]:
    """word -> frame -> [times the frame was a gold content with this cue, times seen] (PolNeAR train)."""
    try:
        data = resources.files("sayso.lexicons").joinpath("frames_learned.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return json.loads(data)["words"]


def probability(word: str, frame: str, prior: float = 0.0, strength: float = 2.0) -> tuple[float, int]:
    """Smoothed share of the frame's occurrences that were contents, and how often it was seen."""
    hit, seen = learned().get(word.lower(), {}).get(frame, (0, 0))
    return (hit + prior * strength) / (seen + strength), seen
