"""Quotes -> direct attributions: find each quote's cue and source around it.

A quote's cue is a speech verb outside the marks in the quote's sentence, or in the
short clause right after it (`"…," the minister said.`) or the one right before a
colon (`She said: "…"`). A quote with no cue of its own that stands as a paragraph
after a speaker's quote inherits that speaker with lower confidence. A quote that
runs on into the next paragraph (no closing mark, the next one opens again) is one
statement: its content is the pieces, one per paragraph.

``follow_on`` runs after every other candidate is in (the trained model's too) and
gives the quotes still held by no statement to the statement news writing gives them
to: the second quote of `"A," he said. "B."`, a quote paragraph after a paraphrase,
and quotes whose cue is a present-tense verb or tagged on to a short quote.
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
from sayso.extract.quotes import MARKS
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
        if "*" in text[ss:se]:
            # a masked name names no one the article knows: the signature as printed is the
            # speaker's name, never an entity made of its unmasked letters ("Al" of "Jo** Al****")
            ctx.candidates.append(Candidate(
                kind="direct", content=[(qs, qe)], cue=[m.span("dash")], confidence=0.8, origin="byline",
                speaker_name=text[ss:se]))
        else:
            ctx.candidates.append(Candidate(
                kind="direct", content=[(qs, qe)], cue=[m.span("dash")], source=(ss, se),
                source_token=_last_token(ctx.doc, se), confidence=0.8, origin="byline"))
        out.append((qs, qe))
    return out


#: `Said Ellis: "…"`, `Added Smith, the chairman: "…"`: the verb opens the sentence, the
#: speaker follows it
#: between such a speaker and the statement: a colon or comma, perhaps after who they are
#: (not "Noted Harvard economist John Smith said …")
_OPENER_GAP = re.compile(r"(?:,[^\S\n]*[^,:;.!?\n\"“”]{1,80})?[^\S\n]*[:,][^\S\n]*")
_INVERTED = re.compile(r"(?P<verb>[A-Z][a-z]+)[^\S\n]+(?P<name>[A-Z][\w.'’-]*(?:[^\S\n]+[A-Z][\w.'’-]*){0,3})")


def inverted(ctx: Context) -> None:
    """`Said Ellis: "…"`, `Added Smith, the chairman: "…"`: a sentence opened by its speech
    verb and then its speaker. The model may take "Said Ellis:" whole for the cue and leave
    no source, the rules the colon for the cue and "the chairman" for the source; either
    way the verb is the cue and the name the source."""
    text, doc = ctx.text, ctx.doc
    for c in ctx.candidates:
        spans = ([c.source] if c.source is not None else []) + list(c.cue or [])
        if not spans or c.start <= min(s for s, _ in spans):
            continue  # the statement comes first: no opener of its sentence
        first = doc.char_span(*spans[0], alignment_mode="expand")
        if first is None or not len(first):
            continue
        sent = first[0].sent
        m = _INVERTED.match(text, sent.start_char)
        if not m or m.group("verb").lower() not in cues.INVERTING or m.end("name") > c.start or \
                any(s < m.start() for s, _ in spans) or not _OPENER_GAP.fullmatch(text, m.end("name"), c.start):
            continue
        c.cue = [m.span("verb")]
        c.source = m.span("name")
        c.source_token = _last_token(doc, m.end("name"))


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


_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’)]*)\s*$")
#: words at most between a short quote's closing mark and its cue (`," the transport minister said`)
TAG_WORDS = 3


def _tagged(text: str, q: Quote, cue: Token) -> bool:
    """A quote that is a sentence's speech, its cue clause tagged right on after the mark:
    `"Oh, actually? Yes," he assures himself.` (a scare quote has no cue of its own there)."""
    inner = text[q.inner_start:q.inner_end].rstrip()
    if inner[-1:] not in ",?!" or cue.idx < q.end:
        return False
    ps = paragraph_bounds(text, q.start)[0]
    if not _SENTENCE_START.search(text[max(ps, q.start - 200):q.start]):
        return False  # inside a sentence (`called it a "disaster," farmers said`): a phrase
    between = text[q.end:cue.idx]
    return len(between.split()) <= TAG_WORDS and not any(p in between for p in ".;:!?\n\"“”")


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


def _find_cue(doc: Doc, text: str, q: Quote, toks: SpacySpan, *, present: bool = False) -> Token | None:
    """The speech verb nearest the quote, outside it, in its sentence or the adjoining clause.
    ``present``: a present-tense verb scores as its past tense too (``cues.verb_cue_score``)."""
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
        score = cues.verb_cue_score(t.text, t.tag_) if present else cues.cue_score(t.text)
        if not (is_verb(t) and score >= QUOTE_CUE_MIN):
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


#: tokens at most between a quote and its cue that name the source (`," chairman, CEO and
#: president Craig Menear said`)
BETWEEN_TOKENS = 8
_NOUNS = frozenset({"NN", "NNS", "NNP", "NNPS", "PRP"})


def _between(doc: Doc, q: Quote, cue_start: int) -> tuple[tuple[int, int] | None, Token | None]:
    """`"…," <the source> said`: the noun phrase between a quote and the cue after it,
    where the parse gave the cue no subject (it took the phrase into the quote)."""
    quote = _tokens(doc, q.start, q.end)
    if quote is None:
        return None, None
    toks = list(itertools.takewhile(lambda t: t.idx < cue_start, doc[quote[-1].i + 1:]))
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    if not toks or len(toks) > BETWEEN_TOKENS or toks[-1].tag_ not in _NOUNS:
        return None, None
    if any(is_verb(t) or t.is_quote or "\n" in t.text_with_ws for t in toks):
        return None, None
    return token_range(doc, toks[0].i, toks[-1].i), toks[-1]


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
    # the parse gave the cue no subject, or one inside the quote ("it says" names no one)
    unparsed = src_tok is None or q.start <= src_tok.idx < q.end
    if not unparsed:
        source, stok = source_of(doc, src_tok)
        src_tok = doc[stok] if stok is not None else None
        if source and q.start < source[1] and source[0] < q.end:  # never let the source run into the quote
            source = token_range(doc, src_tok.i, src_tok.i)
    if unparsed and cue.idx >= q.end and cue.text != ":" and cue.lower_ != "according":
        source, src_tok = _between(doc, q, cue_rng[0][0])
    return Candidate(kind="direct", content=[(q.start, q.end)], cue=cue_rng, source=source,
                     source_token=src_tok.i if src_tok is not None else None,
                     confidence=0.9 if source else 0.6, origin="quotes")


#: words at most between a statement's quote and the next quote for the cue clause between
#: them to join the two (`"A," he said. "B."`, `"A," Cook told Benioff, which meant "B."`)
SANDWICH_WORDS = 16
_SENTENCE_ON = re.compile(r"[.!?][\"”’)]*\s+[\"“‘(]*[A-Z0-9]")


def follow_on(ctx: Context) -> None:
    """Quotes no statement holds yet, read once every other candidate is in (the trained
    model's too). The model was trained on what ``attribute`` proposes; these readings come
    after it, so its inputs stay what it learned from, and both paths get them.

    - a cue only a present-tense verb gives (`"…!" an officer shouts`, `"…," comments
      Johnston`), scored as its past tense;
    - a short quote with its cue clause tagged right on (`"Oh, actually? Yes," he assures
      himself.`), which ``attribute`` leaves as a possible scare quote;
    - `"A," he said. "B."`: a quote right after a statement's own quote, with only that
      statement's cue clause between them and no cue of its own, is the statement's
      second piece;
    - `X said it was only the latest move.` then a paragraph that is one quote: the quote
      is X's. After a paraphrase it is the paraphrase's second piece (one statement, as
      PolNeAR annotates it); after a quote, a statement of its own inherited at lower
      confidence, as ``attribute`` does.
    """
    text, doc = ctx.text, ctx.doc
    if not ctx.quotes:
        return
    held = _Held(ctx.candidates)
    rule_cues: dict[tuple[int, int], list] = {}
    for r in ctx.rule_candidates:
        for s, e in r.content:
            rule_cues.setdefault((s, e), []).append(r.cue)
    signed = {r.content[0] for r in ctx.rule_candidates if r.origin == "byline"}
    added: list[Candidate] = []
    for q in sorted(ctx.quotes, key=lambda q: q.start):
        if q.unbalanced or q.continued or q.continues or ctx.is_blocked(q.start, q.end) or \
                (q.start, q.end) in signed:
            continue
        if held.covers(q.inner_start, q.inner_end):
            continue
        toks = _tokens(doc, q.start, q.end)
        if toks is None:
            continue
        ps, pe = paragraph_bounds(text, q.start)
        prev = held.before(q.start, ps)
        short = len(text[q.inner_start:q.inner_end].split()) < MIN_WORDS_UNCUED and not _introduced(text, q)
        cue = _find_cue(doc, text, q, toks, present=True)
        if cue is not None and (_tagged(text, q, cue) if short else _find_cue(doc, text, q, toks) is None):
            cand = _from_cue(doc, text, q, cue)
            # `"My hope," he said, "is that …"`: the statement the cue already gives the next
            # quote (or `"A," she assures them. "B."` the one before) takes this one as a piece
            same = next((c for c in held.with_cue(cand.cue, ps, pe)), None)
            if same is not None:
                same.content = sorted(same.content + cand.content)
                if same.kind == "indirect":
                    same.kind = "mixed"
                held.add(same, cand.content[0])
            else:
                added.append(cand)
                held.add(cand)
            continue
        if short:
            continue
        if prev is not None and _sandwiched(ctx, text, prev, q, rule_cues):
            prev.content = sorted(prev.content + [(q.start, q.end)])
            held.add(prev, (q.start, q.end))
            continue
        if _blank(text, ps, q.start) and _at_most_one(text, q.end, pe):
            before = _closing_statement(ctx, held, ps)
            if before is None:
                continue
            if before.kind in ("indirect", "according_to", "mixed"):
                before.content = sorted(before.content + [(q.start, q.end)])
                if before.kind == "indirect":
                    before.kind = "mixed"
                held.add(before, (q.start, q.end))
                continue
            src_tok = before.source_token
            if src_tok is None:
                sp = doc.char_span(before.source[0], before.source[1], alignment_mode="expand")
                src_tok = sp.root.i if sp is not None and len(sp) else None
            cand = Candidate(kind="direct", content=[(q.start, q.end)], cue=None, source=before.source,
                             source_token=src_tok, confidence=0.5, origin="quotes:standalone")
            added.append(cand)
            held.add(cand)
    if added:
        ctx.candidates = sorted(ctx.candidates + added, key=lambda c: (c.start, c.end))


class _Held:
    """The candidates' content pieces: is a range held by some statement, which
    statement's piece ends last before a position of a paragraph, and which statements
    have a given cue. Pieces added while reading come in text order (quotes are read in
    order), and every lookup looks at a bounded number of pieces next to the position,
    so a paragraph of thousands of quotes stays linear."""

    #: pieces looked at on each side of a position
    NEAR = 12
    #: characters around a cue within which a statement with that cue has its cue
    CUE_SPAN = 400

    def __init__(self, cands: list[Candidate]) -> None:
        self.pieces = sorted((s, e, k) for k, c in enumerate(cands) for s, e in c.content)
        self.cands = list(cands)
        self.starts = [s for s, _, _ in self.pieces]
        self.reach = array("q")  # the furthest end among pieces[0..i]
        far = -1
        for _, e, _ in self.pieces:
            far = max(far, e)
            self.reach.append(far)
        self.cues = sorted((cs, k) for k, c in enumerate(cands) for cs, _ in c.cue or ())
        self.cue_starts = [cs for cs, _ in self.cues]
        self.late: list[tuple[int, int, Candidate]] = []  # pieces added while reading

    def covers(self, s: int, e: int) -> bool:
        """Whether a piece there was before reading overlaps [s, e) (pieces added while
        reading lie at earlier quotes, which never overlap a later one)."""
        k = bisect_left(self.starts, e) - 1
        return k >= 0 and self.reach[k] > s

    def add(self, cand: Candidate, piece: tuple[int, int] | None = None) -> None:
        for s, e in ([piece] if piece else cand.content):
            self.late.append((s, e, cand))

    def with_cue(self, cue: list[tuple[int, int]], lo: int, hi: int):
        """The statements with a piece in [lo, hi) whose cue overlaps ``cue``."""
        cs, ce = cue[0][0], cue[-1][1]
        near = [self.cands[k] for _, k in
                self.cues[bisect_left(self.cue_starts, cs - self.CUE_SPAN):bisect_left(self.cue_starts, ce)]]
        near += [c for _, _, c in self.late[-self.NEAR:]]
        seen = set()
        for c in near:
            if id(c) not in seen and c.cue and _overlaps(c.cue, cue) and \
                    any(lo <= s < hi for s, _ in c.content):
                seen.add(id(c))
                yield c

    def before(self, pos: int, lo: int) -> Candidate | None:
        """The statement whose piece ends last in [lo, pos), among the pieces nearest pos."""
        best, best_end = None, -1
        k = bisect_left(self.starts, pos)
        for s, e, j in self.pieces[max(bisect_left(self.starts, lo), k - self.NEAR):k]:
            if e <= pos and e > best_end:
                best, best_end = self.cands[j], e
        for s, e, c in self.late[-self.NEAR:]:
            if lo <= s and e <= pos and e > best_end:
                best, best_end = c, e
        return best


def _sandwiched(ctx: Context, text: str, cand: Candidate, q: Quote, rule_cues) -> bool:
    if cand.kind not in ("direct", "mixed") or not cand.cue or cand.source is None:
        return False
    last = max(e for _, e in cand.content if e <= q.start)
    if ctx.quote_at(last - 1) is None:  # the statement's piece before q is not a quote
        return False
    between = text[last:q.start]
    if any(m in between for m in MARKS) or "\n" in between or len(between.split()) > SANDWICH_WORDS:
        return False
    if not all(last <= s and e <= q.start for s, e in cand.cue):
        return False
    # the rules read a cue of its own for q: it is another statement (the model left it out)
    return all(not cue or _overlaps(cue, cand.cue) for cue in rule_cues.get((q.start, q.end), ()))


def _overlaps(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _closing_statement(ctx: Context, held: _Held, ps: int) -> Candidate | None:
    """The statement that closes the paragraph before the one starting at ``ps`` (its
    last sentence), with a source; None where that paragraph is a headline."""
    text = ctx.text
    if ps < 2:
        return None
    prev_s, prev_e = paragraph_bounds(text, ps - 1)
    while prev_s > 0 and not text[prev_s:prev_e].strip():  # blank lines between paragraphs
        prev_s, prev_e = paragraph_bounds(text, prev_s - 1)
    if not text[prev_s:prev_e].strip() or _headline(text[prev_s:prev_e]):
        return None
    best, reach = None, -1
    for s, e, k in held.pieces[bisect_left(held.starts, prev_s):bisect_left(held.starts, prev_e)]:
        c = held.cands[k]
        if c.post is not None:
            continue
        end = max([e] + [t for _, t in c.cue or ()] + ([c.source[1]] if c.source else []))
        if end > reach:
            best, reach = c, end
    if best is None or best.source is None or best.kind == "reported" or best.origin in ("byline", "colon"):
        return None
    # the statement must close the paragraph: no sentence of other matter after it
    if _SENTENCE_ON.search(text, reach, prev_e):
        return None
    return best


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _headline(para: str) -> bool:
    """"31 Latinos Share Their Most Honest Thoughts On Donald Trump": most words capitalised."""
    long = [w for w in _WORD.findall(para) if len(w) > 3]
    return len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)
