"""Run the two CRFs over one parsed document and turn their tags into attributions.

Stage 1 finds cues; stage 2, once per cue, tags that cue's source and content. Each
cue gives at most one attribution (in PolNeAR train 19,829 of 19,830 cues carry
exactly one), whose content is the union of its content runs (a quote split by
its cue is one discontinuous content, as the corpus annotates it).
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from sayso.learned.features import (WINDOW_REACH, DocView, cue_features, cue_head, fit_reach,
                                  role_features, view, window)

Range = tuple[int, int]

#: cue heads that mark a claim as reported without naming who reported it
REPORTED = {"reportedly", "allegedly", "reported", "purportedly", "supposedly"}


@dataclass
class Prediction:
    kind: str
    content: list[Range]
    cue: list[Range]
    source: Range | None
    source_token: int | None
    confidence: float
    content_tokens: frozenset[int]


def _spans_of(idx: list[int], labels: list[str]) -> list[list[int]]:
    """B/I/O labels over ``idx`` -> cue phrases (token index lists)."""
    return _runs(idx, labels, ("B", "I"), begin="B")


def tag_cues(v: DocView, tagger) -> list[list[int]]:
    """Cue phrases (token index lists) on stage 1's best path, paragraph by paragraph."""
    cues: list[list[int]] = []
    for idx in v.paragraphs:
        cues.extend(_spans_of(idx, tagger.tag(cue_features(v, idx))))
    return cues


def cue_probabilities(v: DocView, tagger) -> tuple[list[list[int]], dict[int, float]]:
    """Best-path cues and, per token, the probability that it belongs to a cue.

    Needs a stage 1 trained as a CRF proper (its marginals are probabilities).
    """
    import pycrfsuite
    cues: list[list[int]] = []
    prob: dict[int, float] = {}
    for idx in v.paragraphs:
        tagger.set(pycrfsuite.ItemSequence(cue_features(v, idx)))
        cues.extend(_spans_of(idx, tagger.tag()))
        for k, i in enumerate(idx):
            prob[i] = 1.0 - tagger.marginal("O", k)
    return cues, prob


def _runs(idx: list[int], labels: list[str], want, begin: str | None = None) -> list[list[int]]:
    """Maximal runs of tokens whose label is in ``want`` (one label or several); a
    ``begin`` label always starts a new run."""
    runs, cur = [], []
    for i, lab in zip(idx, labels):
        if lab in want:
            if lab == begin and cur:
                runs.append(cur)
                cur = []
            cur.append(i)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def _range(v: DocView, toks: list[int]) -> Range:
    return v.starts[toks[0]], v.ends[toks[-1]]


def _has_alnum(v: DocView, toks: list[int]) -> bool:
    return any(v.alnum[i] for i in toks)


def predict_roles(v: DocView, cue: list[int], tagger, other: set[int],
                  reach: int = WINDOW_REACH) -> Prediction | None:
    idx = window(v, cue, reach=reach)
    if not idx:
        return None
    tagger.set(role_features(v, cue, idx, other))
    labels = tagger.tag()
    p = from_labels(v, cue, idx, labels)
    if p is not None:
        p.confidence = _confidence(tagger, idx, sorted(p.content_tokens), p.kind)
    return p


def from_labels(v: DocView, cue: list[int], idx: list[int], labels: list[str]) -> Prediction | None:
    """Stage 2's S/C/Q/O labels over the window ``idx`` -> one attribution (or None)."""
    contents = [r for r in _runs(idx, labels, "C") if _has_alnum(v, r)]
    if not contents:
        return None
    ctoks = [i for r in contents for i in r]
    sources = [r for r in _runs(idx, labels, "S") if _has_alnum(v, r)]
    src, src_tok = None, None
    if sources:
        best = min(sources, key=lambda r: min(abs(i - cue[0]) for i in r))
        src = _range(v, best)
        inside = set(best)
        src_tok = next((i for i in best if v.heads[i] not in inside or v.heads[i] == i), best[-1])
    quoted = [v.inq[i] for i in ctoks if not v.qmark[i]]
    head = v.words[cue_head(v, cue)]
    if quoted and all(quoted):
        kind = "direct"
    elif any(quoted) or any(v.qmark[i] for i in ctoks):
        kind = "mixed"
    elif v.words[cue[0]] == "according":
        kind = "according_to"
    elif src is None and head in REPORTED:
        kind = "reported"
    else:
        kind = "indirect"
    return Prediction(kind=kind, content=[_range(v, r) for r in contents],
                      cue=[_range(v, cue)], source=src, source_token=src_tok,
                      confidence=KIND_CONFIDENCE.get(kind, 0.7), content_tokens=frozenset(ctoks))


#: confidence by kind where the tagger gives no usable marginals (dev precision, rounded)
KIND_CONFIDENCE = {"direct": 0.85, "mixed": 0.75, "according_to": 0.75, "indirect": 0.7,
                   "reported": 0.6}


def _confidence(tagger, idx: list[int], ctoks: list[int], kind: str) -> float:
    """Mean marginal of the content tokens; averaged-perceptron weights overflow
    crfsuite's marginals (NaN), so such models fall back to a per-kind figure."""
    pos = {i: k for k, i in enumerate(idx)}
    conf = sum(tagger.marginal("C", pos[i]) for i in ctoks) / len(ctoks)
    if not math.isfinite(conf) or not 0.0 <= conf <= 1.0:
        return KIND_CONFIDENCE.get(kind, 0.7)
    return round(conf, 3)


def predict(doc, cue_tagger, role_tagger, rules: list | None = None) -> list[Prediction]:
    """Every attribution the model finds in ``doc``, one per cue, near-duplicates merged.

    ``rules``: the rule stages' candidates, for a model trained with rule features.
    """
    v = view(doc, rules)
    cues = tag_cues(v, cue_tagger)
    other = {i for c in cues for i in c}
    reach = fit_reach(v, cues)
    preds = []
    for cue in cues:
        p = predict_roles(v, cue, role_tagger, other, reach)
        if p is not None:
            preds.append(p)
    return dedupe(preds)


def dedupe(preds: list[Prediction]) -> list[Prediction]:
    """Two cues of one statement (a discontinuous cue) predict the same content: keep one.

    Only a kept prediction sharing a token can be a near-duplicate: those are found
    through a token index, not by comparing every pair."""
    out: list[Prediction] = []
    by_token: dict[int, list[int]] = {}
    for p in sorted(preds, key=lambda p: (-p.confidence, p.content[0])):
        n_p = len(p.content_tokens)
        shared = Counter(k for i in p.content_tokens for k in by_token.get(i, ()))
        if all(n / (n_p + len(out[k].content_tokens) - n) < 0.5 for k, n in shared.items()):
            for i in p.content_tokens:
                by_token.setdefault(i, []).append(len(out))
            out.append(p)
    return sorted(out, key=lambda p: p.content[0])
