"""Quotes -> direct attributions: find each quote's cue and source around it.

A quote's cue is a speech verb outside the marks in the quote's sentence, or in the
short clause right after it (`"…," the minister said.`) or the one right before a
colon (`She said: "…"`). A quote with no cue of its own that stands as a paragraph
after a speaker's quote inherits that speaker with lower confidence. A quote that
runs on into the next paragraph (no closing mark, the next one opens again) is one
statement: its content is the pieces, one per paragraph.
"""
from __future__ import annotations

import functools
import itertools
import re
from array import array
from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span as SpacySpan, Token

from sayso.extract import cues
from sayso.extract.context import Candidate, Context, Quote
from sayso.extract.syntax import is_verb, paragraph_bounds, source_of, subject, token_range

#: a verb at least this often a cue in train counts as one beside a quote
QUOTE_CUE_MIN = 0.25
#: quotes of fewer words than this without a cue are scare quotes, not statements
MIN_WORDS_UNCUED = 4
#: a quote's cue is at most this many tokens from its edge (PolNeAR's sentences: under 240)
CUE_REACH = 400


def attribute(ctx: Context) -> None:
    colon_lines(ctx)
    signed = bylines(ctx)
    doc, text = ctx.doc, ctx.text
    prev: Candidate | None = None
    prev_para_end = -1
    signed.sort()
    signed_starts = [s for s, _ in signed]
    for q in ctx.quotes:
        toks = _tokens(doc, q.start, q.end)
        k = bisect_right(signed_starts, q.start) - 1  # signed quotes are lines: never overlap
        if toks is None or (k >= 0 and q.start < signed[k][1]):
            continue
        cand = None
        words = len(text[q.inner_start:q.inner_end].split())
        if q.continued and prev is not None:
            # a quote running on into the next paragraph is one statement (PolNeAR annotates
            # it so: one content in pieces, the attribution's cue and source once)
            prev.content.append((q.start, q.end))
            prev_para_end = paragraph_bounds(text, q.start)[1]
            continue
        if words < MIN_WORDS_UNCUED and not _introduced(text, q):
            # a scare quote or quoted phrase: the paraphrase around it is the statement
            cand = None
        else:
            cue = _find_cue(doc, text, q, toks)
            if cue is not None:
                cand = _from_cue(doc, text, q, cue)
            else:
                ps, pe = paragraph_bounds(text, q.start)
                standalone = _blank(text, ps, q.start) and _at_most_one(text, q.end, pe)
                if prev is not None and standalone and prev_para_end >= 0 and \
                        not text[prev_para_end:ps].strip():
                    cand = _inherit(q, prev, 0.5, "standalone")
                elif words >= MIN_WORDS_UNCUED and prev is not None and \
                        paragraph_bounds(text, prev.start)[0] == ps:
                    cand = _inherit(q, prev, 0.45, "same-paragraph")
        if cand is None:
            continue
        if prev is not None and _same_statement(text, prev, cand):
            # `"A," she said, "B."`: one statement in two pieces, as annotators and readers take it
            prev.content.append((q.start, q.end))
            continue
        ctx.candidates.append(cand)
        prev = cand
        prev_para_end = paragraph_bounds(text, q.start)[1]


_COLON_LINE = re.compile(
    r"^[ \t]*(?P<src>(?:[A-Z][\w.'’-]*|of|the|de)(?:[ \t]+(?:[A-Z][\w.'’-]*|of|the|de)){0,4})[ \t]*:[ \t]+"
    r"(?P<content>[^\n]{12,})$", re.M)
_NOT_SPEAKERS = frozenset({"the latest", "update", "watch", "exclusive", "breaking", "video", "photos", "editor's note",
                           "note", "correction", "related", "read more", "see also", "live", "analysis", "opinion",
                           "q", "a", "source", "sources", "photo", "listen", "more"})


def colon_lines(ctx: Context) -> None:
    """`Lynch: No outside influence on probe` — a name, a colon and what they said, on one line."""
    text = ctx.text
    for m in _COLON_LINE.finditer(text):
        src = m.group("src")
        if src.lower() in _NOT_SPEAKERS or ctx.is_blocked(m.start(), m.end()) or inside_quote(ctx, m.start("src")):
            continue
        cs, ce = m.span("content")
        while ce > cs and text[ce - 1] in " .\t":
            ce -= 1
        colon = text.index(":", m.end("src"))
        ctx.candidates.append(Candidate(
            kind="direct" if text[cs] in '"“‘\'' else "indirect", content=[(cs, ce)],
            cue=[(colon, colon + 1)], source=m.span("src"), source_token=_last_token(ctx.doc, m.end("src")),
            confidence=0.7, origin="colon"))


#: a signature: a dash, a name (masked letters as review sites print them, "Ni** My**"),
#: perhaps a comma and a few words of who they are
_SIGNATURE = (r"(?P<dash>―|—|–|--?)[^\S\n]*"
              r"(?P<src>[A-Z][\w.'’*-]*(?:[^\S\n]+(?:[A-Z][\w.'’*-]*|de|del|la|van|von|da|bin|al)){0,4})"
              r"(?:,[^\n“”\"]{0,60})?[^\S\n.]*\.?[^\S\n]*$")
_QUOTE_LINE = r"^[^\S\n]*(?P<quote>[“”\"«][^\n]*[”\"»])[^\S\n]*"
_BYLINE = re.compile(_QUOTE_LINE + _SIGNATURE, re.M)
#: the signature on the line after the quote (testimonials, reader reviews)
_BYLINE_BELOW = re.compile(_QUOTE_LINE + r"\n(?:[^\S\n]*\n)*[^\S\n]*" + _SIGNATURE, re.M)


def bylines(ctx: Context) -> list[tuple[int, int]]:
    """`“…” ― Carla Sanchez`: a paragraph that is a quote signed after a dash (reader
    comments, pull quotes, epigraphs, reviews), the signature on the quote's line or on
    the line after it. Returns the quotes it attributed."""
    text = ctx.text
    out = []
    for m in itertools.chain(_BYLINE.finditer(text), _BYLINE_BELOW.finditer(text)):
        qs, qe = m.span("quote")
        if ctx.is_blocked(qs, qe) or len(text[qs:qe].split()) < MIN_WORDS_UNCUED or (qs, qe) in out:
            continue
        ss, se = m.span("src")
        while se > ss + 1 and text[se - 1] == ".":
            se -= 1
        ctx.candidates.append(Candidate(
            kind="direct", content=[(qs, qe)], cue=[m.span("dash")], source=(ss, se),
            source_token=_last_token(ctx.doc, se), confidence=0.8, origin="byline"))
        out.append((qs, qe))
    return out


def inside_quote(ctx: Context, pos: int) -> bool:
    return ctx.quote_at(pos) is not None


def _last_token(doc: Doc, end: int) -> int | None:
    sp = doc.char_span(end - 1, end, alignment_mode="expand")
    return sp[-1].i if sp is not None and len(sp) else None


def _same_statement(text: str, prev: Candidate, cand: Candidate) -> bool:
    if paragraph_bounds(text, prev.start)[0] != paragraph_bounds(text, cand.start)[0]:
        return False
    if cand.origin == "quotes:same-paragraph":
        return True
    return bool(cand.cue and prev.cue and cand.cue == prev.cue)


def _introduced(text: str, q: Quote) -> bool:
    """A short quote still stands alone after a colon or as a whole sentence."""
    before = text[max(0, q.start - 3):q.start].strip()
    inner = text[q.inner_start:q.inner_end].rstrip()
    return before.endswith(":") or (inner[-1:] in ".!?" and inner[:1].isupper())


def _tokens(doc: Doc, s: int, e: int) -> SpacySpan | None:
    sp = doc.char_span(s, e, alignment_mode="expand")
    return sp if sp is not None and len(sp) else None


def _inherit(q: Quote, prev: Candidate, conf: float, why: str) -> Candidate:
    return Candidate(kind="direct", content=[(q.start, q.end)], cue=None, source=prev.source,
                     source_token=prev.source_token, confidence=conf,
                     origin=f"quotes:{why}", entity=prev.entity, speaker_name=prev.speaker_name)


def _find_cue(doc: Doc, text: str, q: Quote, toks: SpacySpan) -> Token | None:
    """The speech verb nearest the quote, outside it, in its sentence or the adjoining clause."""
    first, last = toks[0], toks[-1]
    lo, hi = first.sent.start, last.sent.end  # token window
    own_end = hi
    # `"…," the minister said.` split off as its own short sentence
    if hi < len(doc) and doc[hi].idx - q.end <= 3 and len(doc[hi].sent) <= 14:
        hi = doc[hi].sent.end
    # a quote that closes its sentence (`"… the future." He declined to say when.`) takes
    # a cue from the next sentence only where that sentence is the bare attribution
    closed = text[q.inner_start:q.inner_end].rstrip().endswith(".")
    # `She said: "…"` / `He told reporters:` in the preceding sentence
    if lo > 0 and text[max(0, q.start - 3):q.start].strip() in (":", ",") and doc[lo - 1].sent.start >= 0:
        lo = doc[lo - 1].sent.start
    pstart, pend = paragraph_bounds(text, q.start)

    def is_cue(t: Token) -> bool:
        if not (pstart <= t.idx < pend) or _inside_other_quote(text, t.idx, pstart, q):
            return False
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            return True
        if not (is_verb(t) and cues.cue_score(t.text) >= QUOTE_CUE_MIN):
            return False
        return not (closed and t.i >= own_end and t.idx >= q.end and not _bare_cue(t))

    # the nearest cue before the quote and the nearest after it, searched outward from the
    # quote's edges (at most CUE_REACH tokens each way), the nearer wins; one after wins a tie
    left = range(last.i, max(lo, first.i - CUE_REACH) - 1, -1)
    right = range(first.i, min(hi, last.i + 1 + CUE_REACH))
    before = next((doc[i] for i in left if doc[i].idx < q.start and is_cue(doc[i])), None)
    after = next((doc[i] for i in right if doc[i].idx >= q.end and is_cue(doc[i])), None)
    best = before
    if after is not None and (before is None or after.idx - q.end - 1 < q.start - before.idx):
        best = after
    if best is None:
        # `Trump: "…"` — a name and a colon right before the quote
        head = text[pstart:q.start].rstrip() if q.start - pstart <= 2000 else ""
        if head.endswith(":") and 0 < len(head.split()) <= 6:
            colon = doc.char_span(pstart + len(head) - 1, pstart + len(head))
            if colon is not None:
                return colon[0]
    return best


def _bare_cue(t: Token) -> bool:
    """`he said.`, `the minister told reporters.`: a speech verb that reports nothing of its
    own (no clause, no object that would be its content), so the quote before is its content."""
    if t.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "acl"):
        return False
    for c in t.children:
        if c.dep_ in ("ccomp", "xcomp"):
            return False
        if c.dep_ == "dobj" and t.lower_ not in cues.word_set("no_dobj_content"):
            return False
    return True


_NON_BLANK = re.compile(r"\S")
_NOT_STRIPPED = re.compile(r"[^ .,]")


def _blank(text: str, start: int, end: int) -> bool:
    """``not text[start:end].strip()``, without copying a paragraph per quote."""
    return _NON_BLANK.search(text, start, end) is None


def _at_most_one(text: str, start: int, end: int) -> bool:
    """``len(text[start:end].strip(" .,")) <= 1``: at most one character that is not " .,"."""
    m = _NOT_STRIPPED.search(text, start, end)
    return m is None or _NOT_STRIPPED.search(text, m.end(), end) is None


def _inside_other_quote(text: str, pos: int, pstart: int, q: Quote) -> bool:
    """Crude guard: a cue word inside another quoted passage of the paragraph does not count."""
    if pos < q.start:
        return _marks_between(text, pstart, pos) % 2 == 1
    return _marks_between(text, q.end, pos) % 2 == 1


def _marks_between(text: str, start: int, end: int) -> int:
    """How many of the marks '"“”' lie in text[start:end] (bisection over their positions)."""
    marks = _mark_positions(text)
    return bisect_left(marks, end) - bisect_left(marks, start)


@functools.lru_cache(maxsize=4)
def _mark_positions(text: str) -> array:
    return array("q", (m.start() for m in _MARK.finditer(text)))


_MARK = re.compile('["“”]')


def _from_cue(doc: Doc, text: str, q: Quote, cue: Token) -> Candidate:
    cue_rng = [token_range(doc, cue.i, cue.i)]
    src_tok = None
    if cue.lower_ == "according":
        to = doc[cue.i + 1]
        cue_rng = [token_range(doc, cue.i, to.i)]
        src_tok = next((c for c in to.children if c.dep_ == "pobj"), None)
    elif cue.text == ":":
        # the name before the colon
        for t in reversed(doc[doc[cue.i].sent.start:cue.i]):
            if t.tag_ in ("NNP", "NNPS", "NN", "NNS", "PRP"):
                src_tok = t
                break
    else:
        src_tok = subject(cue)
        # particles and auxiliaries that belong to the cue: "has said", "said in a statement"
        aux = [c for c in cue.lefts if c.dep_ in ("aux", "auxpass", "neg") and c.i >= cue.i - 3]
        if aux:
            cue_rng = [token_range(doc, aux[0].i, cue.i)]
    source = None
    if src_tok is not None and not (q.start <= src_tok.idx < q.end):
        source, stok = source_of(doc, src_tok)
        src_tok = doc[stok] if stok is not None else None
        if source and q.start < source[1] and source[0] < q.end:  # never let the source run into the quote
            source = token_range(doc, src_tok.i, src_tok.i)
    return Candidate(kind="direct", content=[(q.start, q.end)], cue=cue_rng, source=source,
                     source_token=src_tok.i if src_tok is not None else None,
                     confidence=0.9 if source else 0.6, origin="quotes")
