"""Stage 3: propose more attributions than the CRFs' best paths, let one classifier choose.

Why: stage 1's best path finds about two thirds of the cues PolNeAR marks, and lowering
its bar naively adds attributions of which only about a fifth are right. A logistic
model over whole proposed attributions tells the good ones apart: how sure stage 1 is
of the cue and stage 2 of the content and source, the cue word and its dependents, the
content's length and how it hangs from the cue, the words at its edges, whether the
rules found the same statement. It is trained on out-of-fold proposals (``train.py``),
so it learns the CRFs' real mistakes, and its probability is the attribution's
``confidence``.

Each cue yields up to two readings (stage 2 as averaged perceptron and as CRF, when
they differ), and the rule stages' candidates are proposals too (a reading of the same
cue, or a cue the CRFs missed): at most one reading per cue survives, then
``decode.dedupe``.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Iterable, Iterator

from sayso.learned.decode import (Prediction, _runs, cue_head, cue_probabilities,
                                dedupe, from_labels)
from sayso.learned.features import (COVER_MAX, WINDOW_REACH, DocView, _ancestors, fit_reach,
                                  role_features, window)

#: tokens off the best path whose cue probability reaches this become extra cue proposals
PROPOSAL_BAR = 0.08


@dataclass
class Proposal:
    origin: str        # "path": on stage 1's best path; "prob": probability above the bar;
    #                    "rule": a rule stage's candidate
    cue: list[int]
    pred: Prediction
    reading: str       # "ap" or "crf": which stage 2 tagger read it; for rules, their origin
    agree: bool        # both stage 2 taggers gave the same labels
    group: int         # proposals of one cue share a group (one survives)
    p_cue: float       # highest cue probability of the cue's tokens
    p_content: float   # mean CRF probability of "content" over the content tokens
    p_source: float | None  # the same for the source tokens (None: no source)
    p_nosource: float  # probability that no token of the window is a source


class _Reader:
    """Stage 2 over one cue's window, once per cue: both taggers' labels and the CRF's
    per-token content and source probabilities (rule candidates often share a cue)."""

    def __init__(self, v: DocView, role_tagger, role_crf, cue_tokens: set[int],
                 reach: int = WINDOW_REACH):
        self.v, self.ap, self.crf, self.cue_tokens = v, role_tagger, role_crf, cue_tokens
        self.reach = reach
        self.cache: dict[tuple[int, ...], tuple | None] = {}

    def read(self, cue: list[int]) -> tuple | None:
        key = tuple(cue)
        if key not in self.cache:
            self.cache[key] = self._read(cue)
        return self.cache[key]

    def _read(self, cue: list[int]) -> tuple | None:
        import pycrfsuite
        idx = window(self.v, cue, reach=self.reach)
        if not idx:
            return None
        other = {i for i in idx if i in self.cue_tokens} | set(cue)  # all role_features reads
        xs = pycrfsuite.ItemSequence(role_features(self.v, cue, idx, other))
        self.ap.set(xs)
        lab_ap = self.ap.tag()
        self.crf.set(xs)
        lab_crf = self.crf.tag()
        p_c = _Probs(idx, (self.crf.marginal("C", k) for k in range(len(idx))))
        p_s = _Probs(idx, (self.crf.marginal("S", k) for k in range(len(idx))))
        return idx, lab_ap, lab_crf, p_c, p_s, min(1.0 - p for p in p_s.values)


class _Probs:
    """Per-token probabilities over a window, as a compact array (a read is kept for the
    rule proposals that share its cue: dicts of every window token cost 100 bytes each)."""
    __slots__ = ("idx", "values")

    def __init__(self, idx, values):
        self.idx, self.values = idx, array("d", values)

    def _pos(self, i: int) -> int:
        k = bisect_left(self.idx, i)
        return k if k < len(self.idx) and self.idx[k] == i else -1

    def __contains__(self, i: int) -> bool:
        return self._pos(i) >= 0

    def __getitem__(self, i: int) -> float:
        k = self._pos(i)
        if k < 0:
            raise KeyError(i)
        return self.values[k]

    def get(self, i: int, default: float = 0.0) -> float:
        k = self._pos(i)
        return self.values[k] if k >= 0 else default


def propose(v: DocView, cue_tagger, role_tagger, role_crf, bar: float = PROPOSAL_BAR,
            rules: list | None = None) -> list[Proposal]:
    """Every reading of every proposed cue in the doc behind ``v``; ``rules``: the rule
    candidates ``v`` was built from (the same list, in the same order)."""
    cues, prob = cue_probabilities(v, cue_tagger)
    on_path = {i for c in cues for i in c}
    extra: list[list[int]] = []
    for idx in v.paragraphs:
        marks = ["X" if i not in on_path and prob[i] >= bar else "O" for i in idx]
        extra.extend(_runs(idx, marks, "X"))
    rule_cues = [sorted(c) for c, cont, _ in v.rules if c and cont] if rules else []
    reach = fit_reach(v, cues + extra + rule_cues)
    reader = _Reader(v, role_tagger, role_crf, on_path, reach)
    out: list[Proposal] = []
    for origin, group in (("path", cues), ("prob", extra)):
        for cue in group:
            got = reader.read(cue)
            if got is None:
                continue
            idx, lab_ap, lab_crf, p_c, p_s, p_nosource = got
            readings = [("ap", from_labels(v, cue, idx, lab_ap))]
            if lab_crf != lab_ap:
                readings.append(("crf", from_labels(v, cue, idx, lab_crf)))
            first = len(out)
            for reading, pred in readings:
                if pred is None:
                    continue
                ct = pred.content_tokens
                st = [i for i in idx if pred.source and pred.source[0] <= v.starts[i] < pred.source[1]]
                out.append(Proposal(origin, cue, pred, reading, len(readings) == 1, first,
                                    max(prob[i] for i in cue), sum(p_c[i] for i in ct) / len(ct),
                                    (sum(p_s[i] for i in st) / len(st)) if st else None, p_nosource))
    if rules:
        out.extend(_rule_proposals(v, rules, out, prob, reader))
    return out


def _rule_proposals(v: DocView, rules: list, props: list[Proposal], prob: dict[int, float],
                    reader: _Reader) -> list[Proposal]:
    """The rule candidates that have a cue, as proposals: a rival reading of a proposed
    cue (same group) or a cue of their own."""
    group_of = {i: pr.group for pr in props for i in pr.cue}
    out: list[Proposal] = []
    next_group = len(props)
    for cand, (cue_toks, content_toks, source_toks) in zip(rules, v.rules):
        cue = sorted(cue_toks)
        if not cue or not content_toks or cand.origin == "posts":
            continue
        got = reader.read(cue)
        if got is None:
            continue
        idx, _, _, p_c, p_s, p_nosource = got
        st = [i for i in source_toks if i in p_s]
        group = next((group_of[i] for i in cue if i in group_of), None)
        if group is None:
            group = next_group
            next_group += 1
        pred = Prediction(kind=cand.kind, content=list(cand.content), cue=list(cand.cue),
                          source=cand.source, source_token=cand.source_token,
                          confidence=cand.confidence, content_tokens=frozenset(content_toks))
        out.append(Proposal("rule", cue, pred, cand.origin, False, group,
                            max(prob.get(i, 0.0) for i in cue),
                            sum(p_c.get(i, 0.0) for i in content_toks) / len(content_toks),
                            (sum(p_s[i] for i in st) / len(st)) if st else None, p_nosource))
    return out


def _n(n: int) -> str:
    return str(n) if n < 4 else "4-7" if n < 8 else "8-15" if n < 16 else "16-31" if n < 32 else "32+"


def _p(p: float) -> str:
    for bound, name in ((.05, "<.05"), (.15, "<.15"), (.3, "<.3"), (.5, "<.5"), (.7, "<.7"), (.9, "<.9")):
        if p < bound:
            return name
    return ">=.9"


def features(v: DocView, props: list[Proposal], k: int,
             twins: set[str] | None = None, mates: list[int] | None = None) -> dict[str, float]:
    """What stage 3 sees of proposal ``k`` (binary indicators plus three probabilities);
    ``twins``: origins of other cues' proposals with the same content (see all_features);
    ``mates``: the other proposals of its cue (found here when not given)."""
    pr = props[k]
    cue, p, o = pr.cue, pr.pred, pr.origin
    h = cue_head(v, cue)
    w = v.words[h]
    ct = sorted(p.content_tokens)
    n_all = len(v.words)

    def word(i: int) -> str:
        return v.words[i] if 0 <= i < n_all else "<edge>"

    f: dict[str, float] = {
        "o=" + o: 1, "cw=" + w: 1, "cf=" + v.words[cue[0]] + "|" + str(min(len(cue), 3)): 1,
        "ct=" + v.tags[h]: 1, "cd=" + v.deps[h]: 1, "kind=" + p.kind + "|" + o: 1,
        "read=" + pr.reading + "|" + str(pr.agree): 1, "read|o=" + pr.reading + "|" + o: 1,
        "rfam=" + pr.reading.split(":")[0] + "|" + o: 1,
        "pc=" + _p(pr.p_cue) + "|" + o: 1, "pC=" + _p(pr.p_content): 1,
        "pC|o=" + _p(pr.p_content) + "|" + o: 1, "pc": pr.p_cue, "pC": pr.p_content,
        "pnoS=" + _p(pr.p_nosource) + "|" + str(p.source is not None): 1,
        "cw-1=" + word(cue[0] - 1): 1, "cw+1=" + word(cue[-1] + 1): 1,
        "c0=" + v.words[ct[0]]: 1, "c0t=" + v.tags[ct[0]]: 1, "cNt=" + v.tags[ct[-1]]: 1,
        "before=" + word(ct[0] - 1): 1, "after=" + word(ct[-1] + 1): 1,
        "clen=" + _n(len(ct)) + "|" + p.kind: 1, "runs=" + _n(len(p.content)): 1,
        "sents=" + _n(len({v.sent[i] for i in ct})): 1, "para0=" + str(v.para[h] == 0): 1,
    }
    if pr.p_source is not None:
        f["pS=" + _p(pr.p_source)] = 1
        f["pS"] = pr.p_source
    for x in v.base[h]:
        f["c" + x] = 1
    if p.source_token is not None:
        st = p.source_token
        f["st=" + (v.words[st] if v.tags[st] in ("PRP", "WP", "DT") else v.tags[st])] = 1
        f["sdep=" + v.deps[st] + "|" + ("cue" if v.heads[st] == h else "other")] = 1
        f["sw=" + v.words[st]] = 1
    else:
        f["nosource"] = 1
    f["side=" + ("after" if ct[0] > cue[-1] else "before" if ct[-1] < cue[0] else "around")] = 1
    # how the content hangs from the cue: the branch most of its tokens come down
    branch: Counter[str] = Counter()
    for i in ct:
        anc = _ancestors(v, i)
        if h in anc:
            j = anc.index(h)
            branch[v.deps[anc[j - 1]] if j > 0 else "self"] += 1
        else:
            branch["outside"] += 1
    f["branch=" + branch.most_common(1)[0][0]] = 1
    out = branch["outside"]
    f["outside=" + ("0" if out == 0 else "all" if out == len(ct) else "some")] = 1
    # rules with the same content (Jaccard >= .5) / a cue token in common, by token lookup
    near = {r for i in _sample(ct) for r in v.rule_content.get(i, ())}
    f["rsame=" + str(any(_jaccard(p.content_tokens, v.rules[r][1]) >= .5 for r in near)) + "|" + o] = 1
    f["rcue=" + str(any(i in v.rule_cue for i in cue))] = 1
    if twins is None:
        twins = _twins(props)[k]
    f["twin=" + ("path" if "path" in twins else "prob" if "prob" in twins else "rule"
                 if twins else "none") + "|" + o] = 1
    if mates is None:
        mates = [j for j, q in enumerate(props) if q.group == pr.group and j != k]
    rivals = {props[j].origin for j in mates}
    f["rivals=" + "+".join(sorted(rivals)) + "|" + o] = 1
    return {key: float(val) for key, val in f.items()}


def _twins(props: list[Proposal]) -> list[set[str]]:
    """Per proposal, the origins of proposals of other cues whose content is the same
    (Jaccard >= 0.5), found through the tokens they share."""
    by_token: dict[int, list[int]] = {}
    for k, pr in enumerate(props):
        for i in pr.pred.content_tokens:
            held = by_token.setdefault(i, [])
            if len(held) < COVER_MAX:
                held.append(k)
    out = []
    for k, pr in enumerate(props):
        ct = pr.pred.content_tokens
        near = {j for i in _sample(sorted(ct)) for j in by_token[i]}
        out.append({props[j].origin for j in near if props[j].group != pr.group
                    and _jaccard(ct, props[j].pred.content_tokens) >= .5})
    return out


#: a content's tokens looked up to find others with the same content: all of them up to
#: this many, else this many evenly spaced (a content with Jaccard >= .5 holds at least
#: half of them, so a contiguous run of it cannot slip between the samples)
SAMPLE = 64


def _sample(tokens: list[int]) -> list[int]:
    if len(tokens) <= SAMPLE:
        return tokens
    step = len(tokens) / SAMPLE
    return [tokens[int(k * step)] for k in range(SAMPLE)]


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    n = len(a & b)
    return n / (len(a) + len(b) - n) if n else 0.0


def _group_features(props: list[Proposal], k: int, mates: list[int]) -> dict[str, float]:
    """How proposal ``k`` compares with the other readings of its cue (``mates``):
    choosing among readings is where a pointwise model errs most."""
    if not mates:
        return {"alone": 1.0}
    pr, o = props[k], props[k].origin
    others = [props[j] for j in mates]
    n, ns = len(pr.pred.content_tokens), [len(q.pred.content_tokens) for q in others]
    ct = pr.pred.content_tokens
    return {
        "pCbest=" + str(pr.p_content >= max(q.p_content for q in others)) + "|" + o: 1.0,
        "pSbest=" + str((pr.p_source or 0.0) >= max(q.p_source or 0.0 for q in others)): 1.0,
        "len=" + ("longest" if n > max(ns) else "shortest" if n < min(ns) else "mid") + "|" + o: 1.0,
        "srcagree=" + str(all(q.pred.source == pr.pred.source for q in others)) + "|" + o: 1.0,
        "nest=" + str(any(ct < q.pred.content_tokens for q in others))
        + str(any(ct > q.pred.content_tokens for q in others)): 1.0,
    }


#: feature families whose pairs stage 3 also sees (a logistic model has no interactions)
CONJOINED = frozenset({"o", "pc", "pC", "kind", "side", "read", "pS", "twin", "cw"})


def _conjoin(f: dict[str, float]) -> None:
    keys = sorted(k for k in f if "=" in k and k.split("=", 1)[0] in CONJOINED)
    for a, b in combinations(keys, 2):
        f[a + "&" + b] = 1.0


def all_features(v: DocView, props: list[Proposal]) -> list[dict[str, float]]:
    return list(iter_features(v, props))


def iter_features(v: DocView, props: list[Proposal]) -> Iterator[dict[str, float]]:
    """Stage 3's features of each proposal in turn (at run time each is scored and
    dropped: a text with thousands of proposals never holds all their features)."""
    twins = _twins(props)
    groups: dict[int, list[int]] = {}
    for k, pr in enumerate(props):
        groups.setdefault(pr.group, []).append(k)
    for k, pr in enumerate(props):
        mates = [j for j in groups[pr.group] if j != k]
        f = features(v, props, k, twins[k], mates)
        f.update(_group_features(props, k, mates))
        _conjoin(f)
        yield f


def probabilities(filter_tagger, feats: Iterable[dict[str, float]]) -> list[float]:
    """Stage 3's probability that each proposal is a right attribution."""
    out = []
    for f in feats:
        filter_tagger.set([f])
        filter_tagger.tag()
        out.append(filter_tagger.marginal("1", 0))
    return out


def choose(props: list[Proposal], probs: list[float], threshold: float) -> list[Prediction]:
    """Proposals at or above ``threshold``, the likeliest reading per cue, near-duplicates merged."""
    best: dict[int, tuple[float, Prediction]] = {}
    for pr, q in zip(props, probs):
        if q >= threshold and (pr.group not in best or q > best[pr.group][0]):
            best[pr.group] = (q, pr.pred)
    chosen = []
    for q, pred in best.values():
        pred.confidence = round(q, 3)
        chosen.append(pred)
    return dedupe(chosen)
