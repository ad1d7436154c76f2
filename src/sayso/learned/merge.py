"""How the model's attributions and the rules' candidates are combined.

Policies (the model dir's ``meta.json`` names one; chosen by PolNeAR dev score):
  model        the model's attributions replace the rules' (embedded posts stay)
  model+rules  the model's, plus rule candidates whose content no model content overlaps
  rules+model  the rules', plus model attributions whose content no rule content overlaps
A model attribution without a source keeps none, even where a rule candidate for the
same content has one: on train's out-of-fold proposals borrowing it turned 18 right
attributions wrong and 11 wrong ones right (and cost 0.001 on dev).
Embedded-post candidates (origin "posts") are never touched.
"""
from __future__ import annotations

from sayso.extract.chains import is_intermediary
from sayso.extract.context import Candidate, Context
from sayso.extract.syntax import paragraph_bounds

#: rule origins the model has no reading of (speakers from context; "Name: words" headlines;
#: quotes signed after a dash)
RULES_KEPT = frozenset({"quotes:standalone", "colon", "byline"})


def _alnum(text: str, ranges) -> frozenset[int]:
    return frozenset(i for s, e in ranges for i in range(s, min(e, len(text))) if text[i].isalnum())


def to_candidate(p, origin: str = "model") -> Candidate:
    return Candidate(kind=p.kind, content=list(p.content), cue=list(p.cue) or None,
                     source=p.source, source_token=p.source_token,
                     confidence=p.confidence, origin=origin)


def _unfold_chains(text, rules, rule_sets, model, model_sets):
    """Where the rules read "X said Y, according to Outlet Z" as Y by X via Z and the model
    reads one statement by Z, the rules' inner statement replaces the model's: chains.py then
    links Z. Only for intermediaries (outlets, translations): PolNeAR annotates other
    "according to" frames as statements of their own, and so does the model."""
    wrappers = [r for r in rules if r.kind == "according_to" and r.cue and r.source
                and is_intermediary(text, r.source)]
    for w in wrappers:
        inner = [(r, rs) for r, rs in zip(rules, rule_sets) if r is not w and r.cue
                 and any(s <= r.cue[0][0] and r.cue[0][1] <= e for s, e in w.content)]
        if not inner:
            continue
        same = [k for k, m in enumerate(model) if m.cue and _overlaps(m.cue, w.cue)
                and any(model_sets[k] & rs for _, rs in inner)]
        if not same:
            continue
        model = [m for k, m in enumerate(model) if k not in same] + [r for r, _ in inner]
        model_sets = [ms for k, ms in enumerate(model_sets) if k not in same] + [rs for _, rs in inner]
    return model, model_sets


def _carry_continuations(text, rules, model, model_sets) -> None:
    """A quote the rules followed into the next paragraphs (one statement in pieces) lends
    those pieces to the model attribution that holds its first paragraph: the model reads
    one paragraph at a time."""
    for r in rules:
        if not r.origin.startswith("quotes") or len(r.content) < 2:
            continue
        end = paragraph_bounds(text, r.content[0][0])[1]
        later = [(s, e) for s, e in r.content if s >= end]
        if not later:
            continue
        head = _alnum(text, [(s, e) for s, e in r.content if s < end])
        later_set = _alnum(text, later)
        if any(later_set & ms for ms in model_sets):
            continue
        k = next((k for k, ms in enumerate(model_sets) if ms & head), None)
        if k is not None:
            model[k].content = sorted(list(model[k].content) + later)
            model_sets[k] = model_sets[k] | later_set


def _overlaps(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def merge(ctx: Context, preds: list, policy: str, origin: str = "model") -> None:
    """Apply ``policy`` to ``ctx.candidates`` given the model's predictions ``preds``;
    ``origin``: the model's name, which its candidates carry into the report."""
    text = ctx.text
    posts = [c for c in ctx.candidates if c.origin == "posts"]
    rules = [c for c in ctx.candidates if c.origin != "posts"]
    rule_sets = [_alnum(text, c.content) for c in rules]
    model = [to_candidate(p, origin) for p in preds]
    model_sets = [_alnum(text, c.content) for c in model]
    model, model_sets = _unfold_chains(text, rules, rule_sets, model, model_sets)
    _carry_continuations(text, rules, model, model_sets)
    # what the model has no reading of: quotes the rules attribute by inheritance (a quoted
    # paragraph after a speaker's quote), headline colons and signed quotes
    kept_rules = [r for r, rs in zip(rules, rule_sets)
                  if r.origin in RULES_KEPT and not any(rs & ms for ms in model_sets)]
    if policy == "model":
        kept = model + kept_rules
    elif policy == "model+rules":
        kept = model + [r for r, rs in zip(rules, rule_sets)
                        if not any(rs & ms for ms in model_sets)]
    elif policy == "rules+model":
        kept = rules + [m for m, ms in zip(model, model_sets)
                        if not any(ms & rs for rs in rule_sets)]
    else:
        raise ValueError(f"unknown merge policy {policy!r}")
    ctx.candidates[:] = posts + kept
