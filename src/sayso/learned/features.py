"""Token features for the two CRFs, shared by training and run time.

Stage 1 (cues) tags every token of a paragraph B/I/O for "cue". Stage 2 (roles) runs
once per cue over the cue's paragraph (at most two sentences either side) and tags
each token source (S), content (C), the cue itself (Q) or nothing (O). Stage 2 sees
where each token stands relative to *this* cue: before/after, how far, and the
dependency path to it, which is what decides content and source boundaries.

The lean spaCy pipeline gives no lemmas or POS; we use ``tag_``, ``dep_``, ``head``.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Sequence

from spacy.tokens import Doc

OPEN_MARKS = {"“", "«", "„"}
CLOSE_MARKS = {"”", "»"}
STRAIGHT = {'"'}
#: stage 1 reads a paragraph as one sequence: a longer one (in tokens) is read in parts
#: cut at sentence ends, so no sequence and no stage 2 window grows with the article
#: (PolNeAR train's longest paragraph: 491 tokens)
MAX_PARA = 1000
#: stage 2 sees at most this many tokens either side of its cue (train's farthest: 220)
WINDOW_REACH = 300
#: stage 2 reads at most this many window tokens per token of the text (PolNeAR train: at
#: most 6.8), and at least READ_FLOOR: a text dense with cues ('He said "' 20,000 times)
#: gets narrower windows instead of a time and memory that grow with the square of its
#: length (see fit_reach)
READ_BUDGET = 8
READ_FLOOR = 2000
#: lookups by token keep at most this many items per token (PolNeAR: at most 12 proposals
#: share a token): beyond it only hostile text, whose pairs would be quadratic
COVER_MAX = 32


@dataclass
class DocView:
    """Per-document arrays the feature functions read (computed once per doc)."""
    doc: Doc
    words: list[str]
    tags: list[str]
    deps: list[str]
    heads: Sequence[int]
    para: Sequence[int]   # paragraph index per token (-1 for whitespace tokens)
    sent: Sequence[int]   # sentence index per token
    inq: list[bool]       # inside quotation marks (in this paragraph)
    qmark: list[str]      # "open" / "close" / "" for quote-mark tokens
    base: "_Base"         # context-free features per token (v.base[i], made on demand)
    paragraphs: list[Sequence[int]]  # non-space token indices per paragraph
    shapes: list[str]
    starts: Sequence[int]  # character offset of each token
    ends: Sequence[int]
    alnum: list[bool]     # token holds a letter or digit
    #: rule candidates as token marks: per token, the roles ("cue", "C:kind", "S") rules gave it
    rmarks: list[list[str]]
    #: per rule candidate: (cue tokens, content tokens, source tokens)
    rules: list[tuple[frozenset[int], frozenset[int], frozenset[int]]]
    #: token -> the rule candidates (indices into ``rules``) with that token in their cue /
    #: in their content: lookups instead of a pass over every rule per cue
    rule_cue: dict[int, list[int]] = field(default_factory=dict)
    rule_content: dict[int, list[int]] = field(default_factory=dict)
    #: token -> its ancestors (``_ancestors``), computed once
    anc: dict[int, list[int]] = field(default_factory=dict)


def _shape(t: str) -> str:
    out = []
    for ch in t[:6]:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _toks(doc: Doc, ranges) -> frozenset[int]:
    out = set()
    for s, e in ranges or ():
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.update(t.i for t in span if not t.is_space)
    return frozenset(out)


def view(doc: Doc, rules: list | None = None) -> DocView:
    """Per-doc arrays; ``rules`` (rule Candidates) become features when the model uses them."""
    text = doc.text
    n = len(doc)
    # one pass over the tokens; one string object per distinct value (a long text repeats
    # its words and tags), integers in arrays: a view costs ~150 bytes a token
    one = {}.setdefault
    words, texts, tags, deps, space = [], [], [], [], []
    heads, starts = array("q"), array("q")
    for t in doc:
        low, w, tag, dep = t.lower_, t.text, t.tag_, t.dep_
        words.append(one(low, low))
        texts.append(one(w, w))
        tags.append(one(tag, tag))
        deps.append(one(dep, dep))
        heads.append(t.head.i)
        starts.append(t.idx)
        space.append(t.is_space)
    ends = array("q", (a + len(w) for a, w in zip(starts, texts)))
    sstart = [False] * n
    for sp in doc.sents:
        sstart[sp.start] = True
    shapes = [one(x, x) for x in map(_shape, texts)]
    alnum = [any(ch.isalnum() for ch in w) for w in texts]
    para, sent, inq, qmark = array("q", bytes(8 * n)), array("q", bytes(8 * n)), [False] * n, [""] * n
    paragraphs: list = [array("q")]
    p, s, prev_end, open_ = 0, -1, 0, False
    for i in range(n):
        w = texts[i]
        if "\n" in text[prev_end:starts[i]] or (space[i] and "\n" in w):
            if paragraphs[-1]:
                p += 1
                paragraphs.append(array("q"))
            open_ = False
        prev_end = ends[i]
        if sstart[i] or s < 0:
            s += 1
        sent[i] = s
        if space[i]:
            para[i] = -1
            continue
        para[i] = p
        paragraphs[-1].append(i)
        if w in OPEN_MARKS or (w in STRAIGHT and not open_):
            qmark[i], open_ = "open", True
        elif w in CLOSE_MARKS or (w in STRAIGHT and open_):
            qmark[i], open_ = "close", False
        else:
            inq[i] = open_
    rmarks: list = [()] * n  # a shared empty tuple: most tokens carry no rule mark
    rtoks = []
    for c in rules or ():
        cue, cont = _toks(doc, c.cue), _toks(doc, c.content)
        src = _toks(doc, [c.source] if c.source else [])
        rtoks.append((cue, cont, src))
        for marks, mark in ((cue, "cue"), (cont, "C:" + c.kind), (src, "S")):
            for i in marks:
                if not rmarks[i]:
                    rmarks[i] = []
                rmarks[i].append(mark)
    base = _Base(doc, words, tags, deps, heads, shapes, inq, qmark, sstart, rmarks)
    if not paragraphs[-1]:
        paragraphs.pop()
    if any(len(p) > MAX_PARA for p in paragraphs):
        paragraphs = [part for p in paragraphs for part in _parts(p, sent)]
        for k, part in enumerate(paragraphs):
            for i in part:
                para[i] = k
    rule_cue: dict[int, list[int]] = {}
    rule_content: dict[int, list[int]] = {}
    for r, (cue, cont, _) in enumerate(rtoks):
        for i in cue:
            rule_cue.setdefault(i, []).append(r)
        for i in cont:
            held = rule_content.setdefault(i, [])
            if len(held) < COVER_MAX:
                held.append(r)
    return DocView(doc, words, tags, deps, heads, para, sent, inq, qmark, base, paragraphs,
                   shapes, starts, ends, alnum, rmarks, rtoks, rule_cue, rule_content)


def _parts(idx, sent) -> list:
    """A paragraph's tokens in parts of at most MAX_PARA, cut at sentence starts where a
    sentence fits (a longer sentence is cut at MAX_PARA)."""
    if len(idx) <= MAX_PARA:
        return [idx]
    parts: list = []
    cur = array("q")
    k = 0
    while k < len(idx):
        j = k
        while j < len(idx) and sent[idx[j]] == sent[idx[k]]:
            j += 1
        sentence = idx[k:j]
        if cur and len(cur) + len(sentence) > MAX_PARA:
            parts.append(cur)
            cur = array("q")
        while len(sentence) > MAX_PARA:
            parts.append(sentence[:MAX_PARA])
            sentence = sentence[MAX_PARA:]
        cur.extend(sentence)
        k = j
    if cur:
        parts.append(cur)
    return parts


class _Base:
    """Context-free features per token (``v.base[i]``), made when asked for: stage 1 reads
    each token once and stage 3 a few cue heads, so a text of 250,000 tokens never holds
    five million feature strings at once."""

    def __init__(self, doc, words, tags, deps, heads, shapes, inq, qmark, sstart, rmarks):
        self.doc, self.words, self.tags, self.deps, self.heads = doc, words, tags, deps, heads
        self.shapes, self.inq, self.qmark, self.sstart, self.rmarks = shapes, inq, qmark, sstart, rmarks

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, i: int) -> list[str]:
        words, tags, deps = self.words, self.tags, self.deps
        w = words[i]
        h = self.heads[i]
        kids = self._kids(i)
        f = ["b", "w=" + w, "s3=" + w[-3:], "sh=" + self.shapes[i], "t=" + tags[i],
             "d=" + deps[i], "hw=" + words[h], "ht=" + tags[h], "dt=" + deps[i] + "|" + tags[h]]
        if self.inq[i]:
            f.append("inq")
        if self.qmark[i]:
            f.append("qm=" + self.qmark[i])
        if self.sstart[i]:
            f.append("ss")
        f.extend("k=" + k for k in kids)
        # word x structure: "shows" heading a clause is a cue, "shows" as a noun is not
        f.append("wd=" + w + "|" + deps[i])
        f.extend("wk=" + w + "|" + k for k in kids if k in _CONJ_KIDS)
        if h != i:
            f.append("hd=" + deps[h] + "|" + tags[h])
        f.extend("r=" + m for m in sorted(set(self.rmarks[i])))
        return f

    def _kids(self, h: int) -> list[str]:
        """What token ``h``'s dependents say about it, sorted."""
        words, tags, deps = self.words, self.tags, self.deps
        kids: set[str] = set()
        for c in self.doc[h].children:
            i = c.i
            if deps[i] not in _KID_DEPS:
                continue
            kids.add(deps[i])
            if deps[i] in ("nsubj", "nsubjpass"):
                # who the verb is about: a person-like subject makes belief/plan verbs cues
                kids.add("subj=" + (words[i] if tags[i] == "PRP" else tags[i]))
                kids.add("sw=" + words[i])
            elif deps[i] in ("ccomp", "xcomp"):
                kids.add(deps[i] + "=" + tags[i][:2])
            elif deps[i] == "mark" and words[i] in ("that", "whether", "if"):
                kids.add("mark=" + words[i])
        return sorted(kids)


_KID_DEPS = {"ccomp", "nsubj", "nsubjpass", "dobj", "xcomp", "prep", "pobj", "advcl", "dative",
             "mark", "aux", "neg", "agent", "attr", "parataxis", "punct", "conj"}


_CONJ_KIDS = {"ccomp", "xcomp", "dobj", "prep", "advcl", "nsubj", "mark=that",
              "subj=NNP", "subj=NN", "subj=he", "subj=she", "subj=they", "subj=i", "subj=we"}


def cue_features(v: DocView, idx: list[int]) -> list[list[str]]:
    """Stage 1 features for the tokens ``idx`` (one paragraph)."""
    out = []
    n = len(idx)
    quoted_sents = {v.sent[i] for i in idx if v.qmark[i]}
    for k, i in enumerate(idx):
        f = list(v.base[i])
        if v.sent[i] in quoted_sents:
            f.append("sq")
            f.append("sq|t=" + v.tags[i])
        for off in (-2, -1, 1, 2):
            j = k + off
            if 0 <= j < n:
                jj = idx[j]
                f.append(f"w{off}={v.words[jj]}")
                if abs(off) == 1:
                    f.append(f"t{off}={v.tags[jj]}")
            else:
                f.append(f"w{off}=<edge>")
        if k + 1 < n:
            f.append(f"bi+={v.words[i]}_{v.words[idx[k + 1]]}")
        if k > 0:
            f.append(f"bi-={v.words[idx[k - 1]]}_{v.words[i]}")
        out.append(f)
    return out


def _bucket(d: int) -> str:
    a = abs(d)
    b = "0" if a == 0 else "1" if a == 1 else "2" if a == 2 else "3-4" if a <= 4 else \
        "5-8" if a <= 8 else "9-16" if a <= 16 else "17+"
    return ("-" if d < 0 else "+") + b


#: ancestors kept at most (then forgotten at once): windows are local, so recent ones are
#: the ones asked for again, and a text of 400,000 tokens never holds all its paths
ANC_KEPT = 8192


def _ancestors(v: DocView, i: int) -> list[int]:
    """``i`` and its heads up to the root (at most 40); read only (kept a while in the view)."""
    out = v.anc.get(i)
    if out is None:
        out = [i]
        while v.heads[out[-1]] != out[-1] and len(out) < 40:
            out.append(v.heads[out[-1]])
        if len(v.anc) >= ANC_KEPT:
            v.anc.clear()
        v.anc[i] = out
    return out


def cue_head(v: DocView, cue: list[int]) -> int:
    """The cue token whose head lies outside the cue (the cue phrase's syntactic head)."""
    s = set(cue)
    for i in cue:
        if v.heads[i] not in s or v.heads[i] == i:
            return i
    return cue[0]


def window(v: DocView, cue: list[int], max_sents: int = 2, reach: int = WINDOW_REACH) -> list[int]:
    """Tokens stage 2 looks at for one cue: its paragraph, within ``max_sents`` sentences
    and ``reach`` tokens of it."""
    p = v.para[cue[0]]
    if p < 0:
        return []
    lo, hi = _window_bounds(v, cue, max_sents, reach)
    return v.paragraphs[p][lo:hi]


def _window_bounds(v: DocView, cue: list[int], max_sents: int, reach: int) -> tuple[int, int]:
    """The window as positions in its paragraph, found by bisection: sentences only grow
    along a paragraph, so the window is one run of it."""
    par = v.paragraphs[v.para[cue[0]]]
    s0, s1 = v.sent[cue[0]], v.sent[cue[-1]]
    sent = v.sent.__getitem__
    lo = max(bisect_left(par, s0 - max_sents, key=sent), bisect_left(par, cue[0] - reach))
    hi = min(bisect_right(par, s1 + max_sents, key=sent), bisect_right(par, cue[-1] + reach))
    return lo, max(lo, hi)


def fit_reach(v: DocView, cues: list[list[int]], max_sents: int = 2) -> int:
    """The widest reach, up to WINDOW_REACH, at which the windows of ``cues`` hold at most
    READ_BUDGET tokens per token of the text (READ_FLOOR at least). An ordinary text keeps
    WINDOW_REACH; one dense with cues has every window narrowed alike."""
    limit = max(READ_FLOOR, READ_BUDGET * len(v.words))
    unique = [list(c) for c in {tuple(c) for c in cues if c and v.para[c[0]] >= 0}]

    def total(reach: int) -> int:
        return sum(hi - lo for lo, hi in (_window_bounds(v, c, max_sents, reach) for c in unique))

    if total(WINDOW_REACH) <= limit:
        return WINDOW_REACH
    lo, hi = 0, WINDOW_REACH  # total(lo) may still pass the limit: cues alone, reach 0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if total(mid) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def role_features(v: DocView, cue: list[int], idx: list[int],
                  other_cues: set[int] | None = None) -> list[list[str]]:
    """Stage 2 features of the window ``idx`` relative to one ``cue`` (token indices)."""
    cs = set(cue)
    h = cue_head(v, cue)
    cw = v.words[h]
    cfirst = v.words[cue[0]]
    anc_h = _ancestors(v, h)
    pos_h = {a: k for k, a in enumerate(anc_h)}
    cue_inq = v.inq[h]
    cs0, cs1 = cue[0], cue[-1]
    other = other_cues or set()
    # other cues' tokens in the window, for "another cue between" checks (the window is
    # one run of its paragraph, so every token between two of its tokens is in it)
    others_sorted = [i for i in idx if i in other and i not in cs]
    # what the rules said about this same cue (its content and source tokens)
    r_cont: set[int] = set()
    r_src: set[int] = set()
    for r in {r for i in cs for r in v.rule_cue.get(i, ())}:
        _, rcont, rsrc = v.rules[r]
        r_cont |= rcont
        r_src |= rsrc
    out = []
    n = len(idx)
    kc0 = next((k for k, i in enumerate(idx) if i >= cs0), n)
    kc1 = next((k for k in range(n - 1, -1, -1) if idx[k] <= cs1), -1)
    for k, i in enumerate(idx):
        if i in cs:
            rel = "cue"
            d = 0
        elif i < cs0:
            rel, d = "before", k - kc0
        else:
            rel, d = "after", k - kc1
        db = _bucket(d)
        f = ["b", "w=" + v.words[i], "t=" + v.tags[i], "d=" + v.deps[i],
             "sh=" + v.shapes[i], "rel=" + rel, "dist=" + db,
             "cw=" + cw, "cw|rel=" + cw + "|" + rel, "cf|rel=" + cfirst + "|" + rel,
             "sent=" + str(max(-2, min(2, v.sent[i] - v.sent[h]))),
             "t|rel=" + v.tags[i] + "|" + rel, "d|rel=" + v.deps[i] + "|" + rel]
        if i in cs:
            f.append("iscue")
        if v.inq[i]:
            f.append("inq")
            f.append("inq|cueinq=" + str(cue_inq))
        if v.qmark[i]:
            f.append("qm=" + v.qmark[i] + "|" + rel)
        if i in other and i not in cs:
            f.append("othercue")
        if i in r_cont:
            f.append("rs=C")
        elif i in r_src:
            f.append("rs=S")
        elif v.rmarks[i]:
            f.append("rs=other")
        if others_sorted and rel != "cue":
            lo, hi = (i, cs0) if i < cs0 else (cs1, i)
            b = bisect_right(others_sorted, lo)
            if b < len(others_sorted) and others_sorted[b] < hi:
                f.append("cue_between")
        # dependency path between token and cue head, through their lowest common ancestor
        anc_i = _ancestors(v, i)
        lca_k = next((k2 for k2, a in enumerate(anc_i) if a in pos_h), None)
        if lca_k is None:
            f.append("path=none")
        else:
            lca = anc_i[lca_k]
            up = [v.deps[a] for a in anc_i[:lca_k]]
            down = [v.deps[a] for a in anc_h[:pos_h[lca]]]
            if lca == h and i != h:
                # token under the cue: which branch of the cue it hangs from
                branch = up[-1] if up else ""
                f.append("under=" + branch)
                f.append("under|cw=" + branch + "|" + cw)
                f.append("depth=" + _bucket(len(up)))
            elif lca == i and i != h:
                f.append("above=" + (down[-1] if down else ""))
            f.append("up=" + ">".join(up[-2:]) + "^" + ">".join(down[-2:]))
            f.append("plen=" + _bucket(len(up) + len(down)))
            f.append("lcat=" + v.tags[lca])
        for off in (-1, 1):
            j = k + off
            if 0 <= j < n:
                jj = idx[j]
                f.append(f"w{off}={v.words[jj]}")
                f.append(f"t{off}={v.tags[jj]}")
                if jj in cs:
                    f.append(f"nextcue{off}")
            else:
                f.append(f"w{off}=<edge>")
        out.append(f)
    return out
