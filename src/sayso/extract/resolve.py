"""One candidate per statement: merge what quote and parse stages found twice.

A quote inside a longer paraphrase by the same cue is a *mixed* attribution (the
paraphrase wins); a paraphrase that adds little to a quote is the quote. Near-
identical contents otherwise keep the more confident candidate.
"""
from __future__ import annotations

from sayso.extract import cues
from sayso.extract.context import Candidate, Context

#: extra alphanumeric characters a paraphrase must add around a quote to be "mixed"
MIXED_EXTRA = 12
#: contents at least this similar are one statement
SAME = 0.7


def normalise_kinds(ctx: Context) -> None:
    """One reading of the kinds whichever stage found the statement: a claim cued only by
    "reportedly"/"allegedly" names no source; "X says (that) …" frames a claim."""
    reported = cues.word_set("reported_adverbs")
    for c in ctx.candidates:
        cue_words = [ctx.text[s:e].lower() for s, e in c.cue or []]
        words = " ".join(cue_words).split()
        if words and words[0] in reported:
            c.kind, c.source, c.source_token = "reported", None, None
        elif c.kind == "indirect" and words and words[-1] in ("says", "say"):
            c.kind = "according_to"


def dedupe(ctx: Context) -> None:
    normalise_kinds(ctx)
    text = ctx.text
    sets = {id(c): _alnum(text, c) for c in ctx.candidates}
    quotes = [c for c in ctx.candidates if c.kind == "direct" and c.origin.startswith("quotes")]
    others = [c for c in ctx.candidates if not (c.kind == "direct" and c.origin.startswith("quotes"))]
    # only candidates sharing characters can be one statement: found through a coarse index
    near_others = _Buckets()
    for k, o in enumerate(others):
        near_others.add(k, sets[id(o)])
    drop: set[int] = set()
    for q in quotes:
        qs = sets[id(q)]
        if not qs:
            continue
        for k in sorted(near_others.near(qs)):  # in list order, as a full pass would meet them
            o = others[k]
            if id(o) in drop or o.origin == "posts":
                continue
            os_ = sets[id(o)]
            if not (qs & os_):
                continue
            same_cue = _overlap(q.cue, o.cue) or (q.source and o.source and _rng_overlap(q.source, o.source))
            if not same_cue:
                continue
            if len(qs & os_) >= 0.8 * len(qs) and len(os_ - qs) >= MIXED_EXTRA:
                o.kind = "mixed"
                if o.source is None and q.source is not None:
                    o.source, o.source_token = q.source, q.source_token
                drop.add(id(q))
                break
            if len(qs & os_) >= 0.5 * len(os_):
                if q.source is None and o.source is not None:
                    q.source, q.source_token, q.cue = o.source, o.source_token, o.cue
                drop.add(id(o))
    kept = [c for c in ctx.candidates if id(c) not in drop]
    kept.sort(key=lambda c: -c.confidence)
    out: list[Candidate] = []
    near_out = _Buckets()
    for c in kept:
        cs = sets[id(c)]
        if not cs:
            continue
        if any(_jaccard(cs, sets[id(out[k])]) >= SAME for k in near_out.near(cs)):
            continue
        near_out.add(len(out), cs)
        out.append(c)
    out.sort(key=lambda c: (c.start, c.end))
    ctx.candidates = out


class _Buckets:
    """Items by the BUCKET-character blocks their characters fall in: the items that may
    share a character with a given set, without a pass over all of them."""
    BUCKET = 64

    def __init__(self) -> None:
        self.items: dict[int, list[int]] = {}

    def add(self, key: int, chars: frozenset[int]) -> None:
        for b in {i // self.BUCKET for i in chars}:
            self.items.setdefault(b, []).append(key)

    def near(self, chars: frozenset[int]) -> set[int]:
        return {k for b in {i // self.BUCKET for i in chars} for k in self.items.get(b, ())}


def _alnum(text: str, c: Candidate) -> frozenset[int]:
    return frozenset(i for s, e in c.content for i in range(s, e) if text[i].isalnum())


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _rng_overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _overlap(a, b) -> bool:
    if not a or not b:
        return False
    return any(_rng_overlap(x, y) for x in a for y in b)
