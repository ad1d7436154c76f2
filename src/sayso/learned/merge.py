"""How the model's attributions and the rules' candidates are combined.

Policies (the model dir's ``meta.json`` names one; chosen by PolNeAR dev score):
  model        the model's attributions replace the rules' (embedded posts stay)
  model+rules  the model's, plus rule candidates whose content no model content overlaps
  rules+model  the rules', plus model attributions whose content no rule content overlaps
Under every policy the rules' readings the model has none of are kept where no model
content overlaps them: quotes inherited from the quote before, headline colons, signed
quotes, and long quotes with their cue and source right beside them (`"…," X said`).
A model attribution without a source keeps none, even where a rule candidate for the
same content has one: on train's out-of-fold proposals borrowing it turned 18 right
attributions wrong and 11 wrong ones right (and cost 0.001 on dev).
Embedded-post candidates (origin "posts") are never touched.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right

from sayso.extract.chains import is_intermediary
from sayso.extract.context import Candidate, Context
from sayso.extract.syntax import paragraph_bounds

#: rule origins the model has no reading of (speakers from context; "Name: words" headlines;
#: quotes signed after a dash)
RULES_KEPT = frozenset({"quotes:standalone", "colon", "byline"})
#: a quotation of at least this many words, its cue and named source right beside it
#: (`"…," the chairman said` / `The chairman said: "…"`), is kept where the model reads
#: nothing of it (PolNeAR dev has no such case: the policy changes no dev score)
BOOKEND_WORDS = 8
#: words at most between such a quote's closing mark and its cue
BOOKEND_GAP = 8


def _bookend(text: str, r: Candidate) -> bool:
    """A rule quote whose cue stands right beside it with a source: `"…," X said`."""
    if r.origin != "quotes" or r.kind != "direct" or not r.cue or r.source is None or len(r.content) != 1:
        return False
    (qs, qe), (cs, ce) = r.content[0], r.cue[0]
    if sum(len(text[s:e].split()) for s, e in r.content) < BOOKEND_WORDS:
        return False
    if cs >= qe:  # `"…," the chairman said`
        gap = text[qe:cs]
        return len(gap.split()) <= BOOKEND_GAP and not any(ch in gap for ch in '.;:!?"“”\n')
    return text[ce:qs].strip() in (":", ",")  # `The chairman said: "…"`


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
    if not wrappers:
        return model, model_sets
    # rules by where their cue starts, model attributions by where their cues lie: each
    # wrapper looks up its candidates instead of passing over every rule and attribution;
    # a replaced attribution is marked dead and the rules that replace it are appended,
    # the order a list rebuilt each time would have
    firsts = sorted((r.cue[0][0], k) for k, r in enumerate(rules) if r.cue)
    keys = [f for f, _ in firsts]
    items, sets, alive = list(model), list(model_sets), [True] * len(model)
    blocks: dict[int, list[int]] = {}

    def index(k: int) -> None:
        for b in _blocks(items[k].cue or ()):
            blocks.setdefault(b, []).append(k)

    for k in range(len(items)):
        index(k)
    for w in wrappers:
        near = sorted({k for s, e in w.content for _, k in firsts[bisect_left(keys, s):bisect_right(keys, e)]})
        inner = [(rules[k], rule_sets[k]) for k in near if rules[k] is not w and rules[k].cue
                 and any(s <= rules[k].cue[0][0] and rules[k].cue[0][1] <= e for s, e in w.content)]
        if not inner:
            continue
        same = [k for k in sorted({k for b in _blocks(w.cue) for k in blocks.get(b, ()) if alive[k]})
                if _overlaps(items[k].cue, w.cue) and any(sets[k] & rs for _, rs in inner)]
        if not same:
            continue
        for k in same:
            alive[k] = False
        for r, rs in inner:
            items.append(r)
            sets.append(rs)
            alive.append(True)
            index(len(items) - 1)
    return ([m for m, a in zip(items, alive) if a], [ms for ms, a in zip(sets, alive) if a])


_BLOCK = 256


def _blocks(ranges):
    return {b for s, e in ranges for b in range(s // _BLOCK, max(s, e - 1) // _BLOCK + 1)}


def _carry_continuations(text, rules, model, model_sets) -> None:
    """A quote the rules followed into the next paragraphs (one statement in pieces) lends
    those pieces to the model attribution that holds its first paragraph: the model reads
    one paragraph at a time."""
    owner: array | None = None  # per character: the first model attribution holding it, or -1
    for r in rules:
        if not r.origin.startswith("quotes") or len(r.content) < 2:
            continue
        end = paragraph_bounds(text, r.content[0][0])[1]
        later = [(s, e) for s, e in r.content if s >= end]
        if not later:
            continue
        if owner is None:
            owner = array("q", [-1]) * len(text)
            for k, ms in enumerate(model_sets):
                for i in ms:
                    if owner[i] < 0:
                        owner[i] = k
        head = _alnum(text, [(s, e) for s, e in r.content if s < end])
        later_set = _alnum(text, later)
        if any(owner[i] >= 0 for i in later_set):
            continue
        k = min((owner[i] for i in head if owner[i] >= 0), default=None)
        if k is not None:
            model[k].content = sorted(list(model[k].content) + later)
            model_sets[k] = model_sets[k] | later_set
            for i in later_set:
                owner[i] = k  # no other attribution held these (checked above)


def _covered(n: int, sets) -> bytearray:
    """1 at every character some set holds: one pass instead of a set test per pair."""
    out = bytearray(n)
    for chars in sets:
        for i in chars:
            out[i] = 1
    return out


def _overlaps(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def merge(ctx: Context, preds: list, policy: str, origin: str = "model") -> None:
    """Apply ``policy`` to ``ctx.candidates`` given the model's predictions ``preds``;
    ``origin``: what the model's candidates carry into the report ("model" for the CRF
    model, "encoder" for the encoder)."""
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
    by_model = _covered(len(text), model_sets)  # "overlaps some model content", per character
    kept_rules = [r for r, rs in zip(rules, rule_sets)
                  if (r.origin in RULES_KEPT or _bookend(text, r)) and not any(by_model[i] for i in rs)]
    if policy == "model":
        kept = model + kept_rules
    elif policy == "model+rules":
        kept = model + [r for r, rs in zip(rules, rule_sets) if not any(by_model[i] for i in rs)]
    elif policy == "rules+model":
        by_rules = _covered(len(text), rule_sets)
        kept = rules + [m for m, ms in zip(model, model_sets) if not any(by_rules[i] for i in ms)]
    else:
        raise ValueError(f"unknown merge policy {policy!r}")
    ctx.candidates[:] = posts + kept
