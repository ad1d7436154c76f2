"""Intermediaries (`via`): who passed a statement on between the speaker and us.

  X said …, according to a translation via Outlet A   -> speaker X, via Outlet A (translation)
  "…," X said, according to Outlet B                  -> speaker X, via Outlet B (reported)
  As Outlet C reported, … according to the ministry   -> speaker the ministry, via C (reported)

An "according to"/"as … reported" frame whose content holds another statement's cue
wraps that statement: it becomes a link of that statement's chain, not a statement of
its own. Nested frames give a chain listed from the speaker outward.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from sayso.extract import lexicon
from sayso.extract.context import Candidate, Context

#: a word that makes a many-word source an outlet ("Kessel Herald", "Radio Norland")
_OUTLET_WORDS = frozenset("herald times post news radio wire journal gazette tribune tv daily press telegraph "
                          "chronicle observer guardian examiner inquirer reporter review magazine".split())
_TRANSLATION = re.compile(r"\btranslat\w*", re.I)
_VIA = re.compile(r"\b(?:via|by|from|of)\s+(?:the\s+)?([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*)")


def find(ctx: Context) -> None:
    text = ctx.text
    # the rules' reading of each frame (syntactic, the whole clause), where a trained model
    # replaced it with its own; then the frames only the current candidates have
    wrappers = [c for c in ctx.rule_candidates if c.kind == "according_to" and c.source and c.cue]
    by_cue = _CueIndex(wrappers)
    rule_frames = _Members(wrappers)
    wrappers += [c for c in ctx.candidates if c.kind == "according_to" and c.source and c not in rule_frames
                 and not (c.cue and by_cue.overlapping(c.cue))]
    cands = _CueIndex(ctx.candidates)
    drop: set[int] = set()
    # innermost first: the wrapper with the smallest content is nearest the speaker
    for w in sorted(wrappers, key=lambda c: sum(e - s for s, e in c.content)):
        if id(w) in drop:
            continue
        # a statement w wraps has its cue inside w's content: looked up, not searched for
        inner = [c for c in cands.cue_within(w.content) if c is not w and id(c) not in drop and
                 _wraps(w, c) and not (c.cue and _overlap(c.cue, w.cue))]
        if not inner:
            continue
        name, relation = _link(text, w)
        for c in inner:
            c.via.append((name, relation, w.source))
            c.via.extend(v for v in w.via if v not in c.via)
        if _frames_only(ctx, w, inner):
            drop.add(id(w))
            # the same frame as another stage read it is a chain link too, not a statement
            carried = _Members(inner)
            drop.update(id(c) for c in cands.overlapping(w.cue) if c is not w and c not in carried)
    ctx.candidates = [c for c in ctx.candidates if id(c) not in drop]


class _Members:
    """``c in members`` as a list would answer it (dataclass equality), without a pass
    over the list: only members with the same kind and span are compared."""

    def __init__(self, items: list[Candidate]):
        self.by_key: dict[tuple, list[Candidate]] = {}
        for c in items:
            self.by_key.setdefault((c.kind, c.start, c.end), []).append(c)

    def __contains__(self, c: Candidate) -> bool:
        return any(c == m for m in self.by_key.get((c.kind, c.start, c.end), ()))


class _CueIndex:
    """Candidates by where their cue lies (in list order), for the lookups chains need:
    cues overlapping a range, and cues whose first piece starts inside some ranges."""
    BLOCK = 256

    def __init__(self, items: list[Candidate]):
        self.items = items
        self.blocks: dict[int, list[int]] = {}
        self.first: list[tuple[int, int]] = []  # (first cue piece's start, position), sorted
        for k, c in enumerate(items):
            for s, e in c.cue or ():
                for b in range(s // self.BLOCK, max(s, e - 1) // self.BLOCK + 1):
                    self.blocks.setdefault(b, []).append(k)
            if c.cue:
                self.first.append((c.cue[0][0], k))
        self.first.sort()

    def overlapping(self, ranges) -> list[Candidate]:
        near = {k for s, e in ranges for b in range(s // self.BLOCK, max(s, e - 1) // self.BLOCK + 1)
                for k in self.blocks.get(b, ())}
        return [self.items[k] for k in sorted(near) if _overlap(self.items[k].cue, ranges)]

    def cue_within(self, ranges) -> list[Candidate]:
        """Candidates whose first cue piece starts in one of ``ranges`` (ends included: a
        superset of those w wraps, ``_wraps`` checks the rest)."""
        hits: set[int] = set()
        for s, e in ranges:
            lo = bisect_left(self.first, (s, -1))
            hi = bisect_right(self.first, (e, len(self.items)))
            hits.update(k for _, k in self.first[lo:hi])
        return [self.items[k] for k in sorted(hits)]


def _wraps(w: Candidate, c: Candidate) -> bool:
    """w's content holds c's cue and most of c's content (and c is not w's own source)."""
    if not c.cue:
        return False
    cue = c.cue[0]
    in_w = any(s <= cue[0] and cue[1] <= e for s, e in w.content)
    if not in_w:
        return False
    c_len = sum(e - s for s, e in c.content)
    covered = sum(max(0, min(e, ce) - max(s, cs)) for s, e in w.content for cs, ce in c.content)
    return c_len > 0 and covered >= 0.5 * c_len


def _frames_only(ctx: Context, w: Candidate, inner: list[Candidate]) -> bool:
    """The wrapper says nothing beyond the statements it carries and their clauses."""
    text, doc = ctx.text, ctx.doc
    left = set(i for s, e in w.content for i in range(s, e) if text[i].isalnum())
    for c in inner:
        for s, e in c.content:
            left -= set(range(s, e))
        if c.source:
            left -= set(range(*c.source))
        for s, e in c.cue or []:
            cue = doc.char_span(s, e, alignment_mode="expand")
            if cue is not None and len(cue):
                v = cue[-1]
                left -= set(range(v.left_edge.idx, v.right_edge.idx + len(v.right_edge)))
    return len(left) <= 12


def _overlap(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def is_intermediary(text: str, source) -> bool:
    """Does this source pass statements on (a translation, a news outlet) rather than make them?"""
    src = re.sub(r"^(?:the|a|an)\s+", "", text[source[0]:source[1]].strip(), flags=re.I)
    if _TRANSLATION.search(src):
        return True
    words = src.split()
    return src.lower() in lexicon.outlets() or (len(words) > 1 and any(w.lower() in _OUTLET_WORDS for w in words))


def _link(text: str, w: Candidate) -> tuple[str, str]:
    src = text[w.source[0]:w.source[1]]
    relation = "translation" if _TRANSLATION.search(src) else "reported"
    m = _VIA.search(src)
    name = m.group(1) if m and relation == "translation" else src
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.I)
    return name, relation
