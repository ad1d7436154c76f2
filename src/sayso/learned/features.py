"""Token features for the two CRFs, shared by training and run time.

Stage 1 (cues) tags every token of a paragraph B/I/O for "cue". Stage 2 (roles) runs
once per cue over the cue's paragraph (at most two sentences either side) and tags
each token source (S), content (C), the cue itself (Q) or nothing (O). Stage 2 sees
where each token stands relative to *this* cue: before/after, how far, and the
dependency path to it, which is what decides content and source boundaries.

The lean spaCy pipeline gives no lemmas or POS; we use ``tag_``, ``dep_``, ``head``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc

OPEN_MARKS = {"“", "«", "„"}
CLOSE_MARKS = {"”", "»"}
STRAIGHT = {'"'}


@dataclass
class DocView:
    """Per-document arrays the feature functions read (computed once per doc)."""
    doc: Doc
    words: list[str]
    tags: list[str]
    deps: list[str]
    heads: list[int]
    para: list[int]       # paragraph index per token (-1 for whitespace tokens)
    sent: list[int]       # sentence index per token
    inq: list[bool]       # inside quotation marks (in this paragraph)
    qmark: list[str]      # "open" / "close" / "" for quote-mark tokens
    base: list[list[str]]  # context-free features per token
    paragraphs: list[list[int]]  # non-space token indices per paragraph
    shapes: list[str]
    starts: list[int]     # character offset of each token
    ends: list[int]
    alnum: list[bool]     # token holds a letter or digit
    #: rule candidates as token marks: per token, the roles ("cue", "C:kind", "S") rules gave it
    rmarks: list[list[str]]
    #: per rule candidate: (cue tokens, content tokens, source tokens)
    rules: list[tuple[frozenset[int], frozenset[int], frozenset[int]]]


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


def view(doc: Doc, rules: list | None = None, *, crf_features: bool = True) -> DocView:
    """Per-doc arrays; ``rules`` (rule Candidates) become features when the model uses them.
    ``crf_features=False`` leaves ``base`` empty (the encoder reads no CRF features)."""
    text = doc.text
    toks = list(doc)
    n = len(toks)
    words = [t.lower_ for t in toks]
    texts = [t.text for t in toks]
    tags = [t.tag_ for t in toks]
    deps = [t.dep_ for t in toks]
    heads = [t.head.i for t in toks]
    starts = [t.idx for t in toks]
    ends = [a + len(w) for a, w in zip(starts, texts)]
    space = [t.is_space for t in toks]
    sstart = [False] * n
    for sp in doc.sents:
        sstart[sp.start] = True
    shapes = [_shape(w) for w in texts]
    alnum = [any(ch.isalnum() for ch in w) for w in texts]
    para, sent, inq, qmark = [0] * n, [0] * n, [False] * n, [""] * n
    paragraphs: list[list[int]] = [[]]
    p, s, prev_end, open_ = 0, -1, 0, False
    for i in range(n):
        w = texts[i]
        if "\n" in text[prev_end:starts[i]] or (space[i] and "\n" in w):
            if paragraphs[-1]:
                p += 1
                paragraphs.append([])
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
    kids: list[set[str]] = [set() for _ in range(n)]
    for i in range(n if crf_features else 0):
        h = heads[i]
        if h != i and deps[i] in _KID_DEPS:
            kids[h].add(deps[i])
            if deps[i] in ("nsubj", "nsubjpass"):
                # who the verb is about: a person-like subject makes belief/plan verbs cues
                kids[h].add("subj=" + (words[i] if tags[i] == "PRP" else tags[i]))
                kids[h].add("sw=" + words[i])
            elif deps[i] in ("ccomp", "xcomp"):
                kids[h].add(deps[i] + "=" + tags[i][:2])
            elif deps[i] == "mark" and words[i] in ("that", "whether", "if"):
                kids[h].add("mark=" + words[i])
    rmarks: list[list[str]] = [[] for _ in range(n)]
    rtoks = []
    for c in rules or ():
        cue, cont = _toks(doc, c.cue), _toks(doc, c.content)
        src = _toks(doc, [c.source] if c.source else [])
        rtoks.append((cue, cont, src))
        for i in cue:
            rmarks[i].append("cue")
        for i in cont:
            rmarks[i].append("C:" + c.kind)
        for i in src:
            rmarks[i].append("S")
    base = []
    for i in range(n if crf_features else 0):
        w = words[i]
        h = heads[i]
        f = ["b", "w=" + w, "s3=" + w[-3:], "sh=" + shapes[i], "t=" + tags[i],
             "d=" + deps[i], "hw=" + words[h], "ht=" + tags[h], "dt=" + deps[i] + "|" + tags[h]]
        if inq[i]:
            f.append("inq")
        if qmark[i]:
            f.append("qm=" + qmark[i])
        if sstart[i]:
            f.append("ss")
        f.extend("k=" + k for k in sorted(kids[i]))
        # word x structure: "shows" heading a clause is a cue, "shows" as a noun is not
        f.append("wd=" + w + "|" + deps[i])
        f.extend("wk=" + w + "|" + k for k in sorted(kids[i]) if k in _CONJ_KIDS)
        if h != i:
            f.append("hd=" + deps[h] + "|" + tags[h])
        f.extend("r=" + m for m in sorted(set(rmarks[i])))
        base.append(f)
    if not paragraphs[-1]:
        paragraphs.pop()
    return DocView(doc, words, tags, deps, heads, para, sent, inq, qmark, base, paragraphs,
                   shapes, starts, ends, alnum, rmarks, rtoks)


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


def _ancestors(v: DocView, i: int) -> list[int]:
    out = [i]
    while v.heads[out[-1]] != out[-1] and len(out) < 40:
        out.append(v.heads[out[-1]])
    return out


def cue_head(v: DocView, cue: list[int]) -> int:
    """The cue token whose head lies outside the cue (the cue phrase's syntactic head)."""
    s = set(cue)
    for i in cue:
        if v.heads[i] not in s or v.heads[i] == i:
            return i
    return cue[0]


def window(v: DocView, cue: list[int], max_sents: int = 2) -> list[int]:
    """Tokens stage 2 looks at for one cue: its paragraph, within ``max_sents`` sentences."""
    p = v.para[cue[0]]
    if p < 0:
        return []
    s0 = v.sent[cue[0]]
    s1 = v.sent[cue[-1]]
    return [i for i in v.paragraphs[p] if s0 - max_sents <= v.sent[i] <= s1 + max_sents]


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
    # positions in the window, for "another cue between" checks
    others_sorted = sorted(i for i in other if i not in cs)
    # what the rules said about this same cue (its content and source tokens)
    r_cont: set[int] = set()
    r_src: set[int] = set()
    for rcue, rcont, rsrc in v.rules:
        if rcue & cs:
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
