"""Reported speech from the dependency parse.

Frames, each a small function over one cue token:
  X said (that) …            ccomp of a cue verb
  …, X said.                 the cue as ROOT/parataxis beside the clause it reports
  X urged/warned Y to …      object + xcomp
  X accused Y of …           object + "of" phrase
  X announced the plan       object of a verb that is nearly always a cue
  …, according to X.         "according to" phrase cut out of its clause
  As X reported, …           "as"-clause cut out of its clause
  … reportedly …             no source: kind "reported"
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from sayso.extract import cues, frames
from sayso.extract.context import Candidate, Context
from sayso.extract.syntax import (is_verb, noun_phrase, paragraph_bounds, source_of, subject,
                                  subtree_bounds, token_range, trim)

#: a verb governing a that-clause is a cue when at least this share of its train occurrences were
CCOMP_MIN = 0.12
#: a verb with only an object or to-clause needs more evidence
OBJ_MIN = 0.45
XCOMP_MIN = 0.3
#: a learned frame is used when train showed it as a content at least this often
FRAME_MIN = 0.22
FRAME_MIN_SEEN = 2
#: frames whose span is a clause; noun-phrase frames (objects, prepositions) need more evidence
CLAUSAL = frozenset({"ccomp", "ccomp_before", "xcomp", "dobj+xcomp", "passive_xcomp", "as_clause",
                     "parataxis_head", "n:that"})
PHRASAL_MIN = 0.22
NOUN_MIN = 0.35
#: contents shorter than this many alphanumeric characters are noise
MIN_CHARS = 6


#: reported-speech candidates kept per sentence at most (PolNeAR train: at most 6). Each
#: content can span its sentence, so a sentence of hundreds of reporting verbs
#: ('He said "He said "…') would otherwise hold contents quadratic in its length
MAX_PER_SENTENCE = 12


def find(ctx: Context) -> None:
    doc = ctx.doc
    sent_end, found = -1, 0
    for t in doc:
        if t.i >= sent_end:  # a new sentence
            sent_end, found = t.sent.end, len(ctx.candidates)
        if len(ctx.candidates) - found >= MAX_PER_SENTENCE:
            continue
        if ctx.is_blocked(t.idx, t.idx + 1):
            continue
        if ctx.quote_at(t.idx) is not None:
            continue  # speech reported inside a quote belongs to the quoted speaker
        low = t.lower_
        if low == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            _add(ctx, _according(doc, t))
        elif low in cues.word_set("reported_adverbs"):
            _add(ctx, _reportedly(doc, t))
        elif is_verb(t):
            score = cues.cue_score(t.text)
            if score >= min(CCOMP_MIN, XCOMP_MIN) or t.lower_ in frames.learned():
                _add(ctx, _verb(doc, t, score))
        elif t.tag_ in ("NN", "NNS") and frames.key(t) in frames.learned():
            _add(ctx, _learned_frame(doc, t))


def _add(ctx: Context, cand: Candidate | None) -> None:
    if cand is None:
        return
    text = ctx.text
    # contents never cross a paragraph break: clip to the cue's paragraph
    anchor = cand.cue[0][0] if cand.cue else cand.start
    ps, pe = paragraph_bounds(text, anchor)
    pieces = [(max(s, ps), min(e, pe)) for s, e in cand.content if min(e, pe) > max(s, ps)]
    if not pieces:
        return
    cand.content = pieces
    chars = sum(1 for s, e in pieces for ch in text[s:e] if ch.isalnum())
    if chars < MIN_CHARS or ctx.is_blocked(cand.start, cand.end):
        return
    content_text = "".join(text[s:e] for s, e in pieces)
    marks = sum(content_text.count(m) for m in '"“”')
    if marks >= 2 and cand.kind == "indirect":
        cand.kind = "mixed"
    ctx.candidates.append(cand)


def _span(doc: Doc, lo: int, hi: int) -> list[tuple[int, int]] | None:
    tr = trim(doc, lo, hi)
    if tr is None:
        return None
    return [token_range(doc, *tr)]


def _cue_range(doc: Doc, v: Token) -> list[tuple[int, int]]:
    aux = [c for c in v.lefts if c.dep_ in ("aux", "auxpass", "neg") and c.i >= v.i - 3]
    lo = aux[0].i if aux else v.i
    hi = v.i
    prt = [c for c in v.rights if c.dep_ == "prt" and c.i == v.i + 1]
    if prt:
        hi = prt[0].i
    return [token_range(doc, lo, hi)]


def _verb(doc: Doc, v: Token, score: float) -> Candidate | None:
    if v.lower_ in frames.learned():
        return _learned_frame(doc, v)
    return _hand_frame(doc, v, score)


def _learned_frame(doc: Doc, v: Token) -> Candidate | None:
    """The verb's frame most often a content in train, if it is often enough."""
    best = None
    for name, lo, hi in frames.frames(v):
        p, seen = frames.probability(frames.key(v), name)
        need = FRAME_MIN if name in CLAUSAL else NOUN_MIN if name.startswith("n:") else PHRASAL_MIN
        if seen >= FRAME_MIN_SEEN and p >= need and (best is None or p > best[0]):
            best = (p, name, lo, hi)
    if best is None:
        return None
    p, name, lo, hi = best
    hi = _cut_conjoined_reports(doc, v, lo, hi)
    # a clause reported by a verb ends with the verb's sentence (parses run on past a full stop)
    lo, hi = max(lo, v.sent.start), min(hi, v.sent.end - 1)
    if lo > hi:
        return None
    subj = subject(v)
    if lo <= v.i <= hi:
        # "which he said was …" / "the economy, he said, is weak": cut the reporting clause out
        cut = [v.i] + [c.i for c in v.children if c.dep_ in ("aux", "auxpass", "neg", "advmod", "punct")
                       and abs(c.i - v.i) <= 3]
        if subj is not None:
            cut += [subj.left_edge.i, subj.right_edge.i]
        content = [r for piece in _minus(lo, hi, [(min(cut), max(cut))]) for r in (_span(doc, *piece) or [])]
    else:
        content = _span(doc, lo, hi)
    if not content:
        return None
    if subj is not None and any(s <= subj.idx < e for s, e in content):
        subj = None
    source, stok = source_of(doc, subj)
    kind = "according_to" if name == "as_clause" or (
        v.lower_ in ("says", "say") and v.tag_ in ("VBZ", "VBP")) else "indirect"
    conf = 0.4 + 0.5 * p
    return Candidate(kind=kind, content=content, cue=_cue_range(doc, v), source=source,
                     source_token=stok, confidence=conf if source else conf - 0.1,
                     origin=f"indirect:{name}")


def _cut_conjoined_reports(doc: Doc, v: Token, lo: int, hi: int) -> int:
    """'A said X, and B said Y': the second report is its own attribution, not part of X."""
    for t in doc[lo:hi + 1]:
        if t.dep_ == "conj" and t is not v and is_verb(t) and lo <= t.head.i <= hi \
                and cues.cue_score(t.text) >= 0.5:
            cut = t.left_edge.i
            for c in t.head.children:  # the "and" before it
                if c.dep_ in ("cc", "punct") and c.i < t.i and c.i > t.head.i:
                    cut = min(cut, c.i)
            return max(lo, cut - 1)
    return hi


def _hand_frame(doc: Doc, v: Token, score: float) -> Candidate | None:
    """Verbs train never showed as cues but the hand lexicon knows: fixed frames."""
    kids = list(v.children)
    ccomp = next((c for c in kids if c.dep_ in ("ccomp", "csubj") and c.i > v.i), None)
    ccomp_before = next((c for c in kids if c.dep_ == "ccomp" and c.i < v.i), None)
    subj = subject(v)
    content = None
    kind = "indirect"
    conf = 0.5 + 0.4 * min(score, 1.0)
    if ccomp is not None and score >= CCOMP_MIN:
        content = _span(doc, *subtree_bounds(ccomp))
        # "told reporters that …": the addressee is not part of the content
    elif ccomp_before is not None and score >= CCOMP_MIN and (subj is None or subj.i > ccomp_before.i):
        # "The economy is weak, he said."
        content = _span(doc, *subtree_bounds(ccomp_before))
    elif v.dep_ in ("parataxis",) and score >= CCOMP_MIN and v.head.i < v.i:
        # "The economy, he said, is weak." / spaCy hangs "he said" off the reported clause
        head = v.head
        lo, hi = subtree_bounds(head)
        vlo, vhi = subtree_bounds(v)
        pieces = []
        if vlo > lo:
            pieces.append((lo, vlo - 1))
        if vhi < hi:
            pieces.append((vhi + 1, hi))
        rngs = [r for p in pieces for r in (_span(doc, *p) or [])]
        content = rngs or None
    elif v.dep_ == "advcl" and any(c.lower_ == "as" and c.dep_ == "mark" for c in kids) and \
            score >= OBJ_MIN and not any(c.dep_ in ("dobj", "xcomp", "ccomp") for c in kids):
        # "As CNN reported, …": the main clause is the claim
        head = v.head
        lo, hi = subtree_bounds(head, exclude=v)
        content = _span(doc, lo, hi)
        kind = "according_to"
    else:
        xcomp = next((c for c in kids if c.dep_ == "xcomp" and c.i > v.i), None)
        dobj = next((c for c in kids if c.dep_ in ("dobj", "dative") and c.i > v.i), None)
        of = next((c for c in kids if c.dep_ == "prep" and c.lower_ in ("of", "for", "on", "about")
                   and c.i > v.i), None)
        low = v.lower_
        if xcomp is not None and score >= XCOMP_MIN:
            lo = dobj.left_edge.i if (dobj is not None and low in cues.word_set("object_clause_verbs")) \
                else xcomp.left_edge.i
            content = _span(doc, lo, xcomp.right_edge.i)
        elif dobj is not None and of is not None and low in cues.word_set("object_clause_verbs") \
                and score >= XCOMP_MIN:
            content = _span(doc, dobj.left_edge.i, of.right_edge.i)
        elif dobj is not None and low in cues.word_set("object_clause_verbs") and \
                low in cues.word_set("no_dobj_content") and score >= XCOMP_MIN and \
                any(c.dep_ == "prep" for c in dobj.children):
            # "accused the other of shelling villages": the charge hangs off the object
            content = _span(doc, *subtree_bounds(dobj))
        elif dobj is not None and score >= OBJ_MIN and low not in cues.word_set("no_dobj_content"):
            content = _span(doc, *subtree_bounds(dobj))
            conf -= 0.15
        elif of is not None and score >= OBJ_MIN and low in ("spoke", "talked", "wrote", "asked",
                                                              "complained", "testified", "warned"):
            content = _span(doc, *subtree_bounds(of))
            conf -= 0.15
    if not content:
        return None
    if subj is not None and any(s <= subj.idx < e for s, e in content):
        subj = None  # the subject sits inside what was said: not the speaker
    source, stok = source_of(doc, subj)
    if v.lower_ in ("says", "say") and kind == "indirect" and v.tag_ in ("VBZ", "VBP"):
        kind = "according_to"
    return Candidate(kind=kind, content=content, cue=_cue_range(doc, v), source=source,
                     source_token=stok, confidence=conf if source else conf - 0.2,
                     origin="indirect")


def _according(doc: Doc, t: Token) -> Candidate | None:
    to = doc[t.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    phrase_lo, phrase_hi = t.i, pobj.right_edge.i
    sent = t.sent
    head = t.head if t.head is not t else None
    if head is not None and head.i != t.i and sent.start <= head.i < sent.end and t.dep_ == "prep":
        lo, hi = subtree_bounds(head)
        lo, hi = max(lo, sent.start), min(hi, sent.end - 1)
    else:
        lo, hi = sent.start, sent.end - 1
    cuts = [(phrase_lo, phrase_hi)]
    if head is not None:
        # "As CNN reported, …, according to X": the reporting clause is a chain link, not content
        cuts += [(c.left_edge.i, c.right_edge.i) for c in head.children
                 if c.dep_ == "advcl" and any(m.lower_ == "as" and m.dep_ == "mark" for m in c.children)]
    content = [r for p in _minus(lo, hi, cuts) for r in (_span(doc, *p) or [])]
    if not content:
        return None
    lo_np, hi_np = noun_phrase(pobj)
    hi_np = max(hi_np, min(pobj.right_edge.i, phrase_hi))
    return Candidate(kind="according_to", content=content, cue=[token_range(doc, t.i, to.i)],
                     source=token_range(doc, lo_np, hi_np), source_token=pobj.i,
                     confidence=0.85, origin="according_to")


def _minus(lo: int, hi: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token range lo..hi without the cut ranges, as the pieces left."""
    pieces, at = [], lo
    for clo, chi in sorted(cuts):
        if clo > at:
            pieces.append((at, min(clo - 1, hi)))
        at = max(at, chi + 1)
    if at <= hi:
        pieces.append((at, hi))
    return [(a, b) for a, b in pieces if a <= b]


def _reportedly(doc: Doc, t: Token) -> Candidate | None:
    head = t.head
    sent = t.sent
    lo, hi = subtree_bounds(head, exclude=t) if head is not t else (sent.start, sent.end - 1)
    lo, hi = max(lo, sent.start), min(hi, sent.end - 1)
    pieces = []
    if t.i > lo:
        pieces.append((lo, t.i - 1))
    if t.i < hi:
        pieces.append((t.i + 1, hi))
    content = [r for p in pieces for r in (_span(doc, *p) or [])]
    if not content:
        return None
    return Candidate(kind="reported", content=content, cue=[token_range(doc, t.i, t.i)],
                     source=None, confidence=0.6, origin="reported")
