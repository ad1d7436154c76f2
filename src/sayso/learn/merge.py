"""How the model's attributions and the rules' candidates are combined.

Policies (the model dir's ``meta.json`` names one; chosen by PolNeAR dev score):
  model        the model's attributions replace the rules' (embedded posts stay)
  model+rules  the model's, plus rule candidates whose content no model content overlaps
  rules+model  the rules', plus model attributions whose content no rule content overlaps
In every policy a model attribution without a source borrows the source of a rule
candidate for the same content (the rules resolve some sources the model misses).
Embedded-post candidates (origin "posts") are never touched.
"""
from __future__ import annotations

from sayso.extract.context import Candidate, Context

#: content Jaccard at which a rule candidate and a model attribution are one statement
SAME = 0.5


def _alnum(text: str, ranges) -> frozenset[int]:
    return frozenset(i for s, e in ranges for i in range(s, min(e, len(text))) if text[i].isalnum())


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def to_candidate(p) -> Candidate:
    return Candidate(kind=p.kind, content=list(p.content), cue=list(p.cue) or None,
                     source=p.source, source_token=p.source_token,
                     confidence=p.confidence, origin="model")


def merge(ctx: Context, preds: list, policy: str) -> None:
    """Apply ``policy`` to ``ctx.candidates`` given the model's predictions ``preds``."""
    text = ctx.text
    posts = [c for c in ctx.candidates if c.origin == "posts"]
    rules = [c for c in ctx.candidates if c.origin != "posts"]
    rule_sets = [_alnum(text, c.content) for c in rules]
    model = [to_candidate(p) for p in preds]
    model_sets = [_alnum(text, c.content) for c in model]
    for c, cs in zip(model, model_sets):
        if c.source is None:
            best = max(((_jaccard(cs, rs), r) for r, rs in zip(rules, rule_sets) if r.source),
                       key=lambda x: x[0], default=(0.0, None))
            if best[0] >= SAME:
                c.source, c.source_token = best[1].source, best[1].source_token
    if policy == "model":
        kept = model
    elif policy == "model+rules":
        kept = model + [r for r, rs in zip(rules, rule_sets)
                        if not any(rs & ms for ms in model_sets)]
    elif policy == "rules+model":
        kept = rules + [m for m, ms in zip(model, model_sets)
                        if not any(ms & rs for rs in rule_sets)]
    else:
        raise ValueError(f"unknown merge policy {policy!r}")
    ctx.candidates[:] = posts + kept
