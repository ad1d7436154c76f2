"""Orders the stages and turns the Context into the frozen Report.

The per-article function is pure: the same text and metadata give the same Report,
whichever engine runs it.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from typing import Any, Callable

from spacy.tokens import Doc

from sayso.extract import chains, direct, figures, indirect, posts, quotes, resolve, speakers
from sayso.extract.context import Candidate, Context, EntityDraft
from sayso.model import (Attribution, Document, EmbeddedPost, Entity, Figure, Report, Resolution,
                         Span, SpeakerRef, Via)

Stage = Callable[[Context], None]

#: the rule stages in order; a trained model, when used, adds its candidates before `resolve`
STAGES: tuple[Stage, ...] = (
    posts.find,          # embedded social posts, blocked from the other stages
    quotes.find,         # quotation-mark spans
    direct.attribute,    # quotes -> direct/mixed attributions with cue and source
    indirect.find,       # reported speech, "according to", "reportedly" from the parse
    resolve.dedupe,      # one candidate per content
    direct.follow_on,    # quotes the statements before them hold: `"A," he said. "B."`
    direct.inverted,     # `Said Ellis: "…"`: the verb is the cue, the name the source
    speakers.resolve,    # mentions -> entities; candidates get their speaker
    chains.find,         # intermediaries (via)
)


def run(text: str, doc: Doc, document: Document, *,
        extra: Callable[[Context], None] | None = None) -> Report:
    ctx = Context(text=text, doc=doc, meta={"author": document.author})
    for stage in STAGES:
        if stage is resolve.dedupe:
            ctx.rule_candidates = list(ctx.candidates)
            if extra is not None:
                extra(ctx)
        stage(ctx)
    return build_report(ctx, document)


def build_report(ctx: Context, document: Document) -> Report:
    text = ctx.text
    ents = {e.id: e for e in ctx.entities}
    atts: list[Attribution] = []
    ordered = sorted(ctx.candidates, key=lambda c: (c.start, c.end))
    ids: dict[int, str] = {}
    mentions = _MentionIndex(ctx.entities)
    for i, c in enumerate(ordered, 1):
        aid = f"a{i}"
        ids[id(c)] = aid
        ent = ents.get(c.entity) if c.entity else None
        speaker = (SpeakerRef(ent.id, ent.name) if ent else
                   SpeakerRef(None, c.speaker_name) if c.speaker_name else None)
        via = tuple(Via(_entity_for(ctx, rng, name, mentions), name, rel) for name, rel, rng in c.via)
        content = Span.of_pieces(text, c.content)
        atts.append(Attribution(
            id=aid, kind=c.kind, content=content,
            cue=Span.of_pieces(text, c.cue) if c.cue else None,
            source=Span.of(text, *c.source) if c.source else None,
            speaker=speaker, via=via, confidence=_unit(c.confidence), origin=c.origin,
            resolution=_resolution(text, c)))
    figs = figures.find(ctx, [(ids[id(c)], c) for c in ordered])
    posts_out = []
    first_of_post: dict[str, str] = {}
    for c in ordered:
        if c.post is not None:
            first_of_post.setdefault(c.post, ids[id(c)])
    for p in ctx.posts:
        aid = first_of_post.get(p.id)
        posts_out.append(EmbeddedPost(id=p.id, platform=p.platform, author=p.author,
                                      handle=p.handle, date=p.date, span=Span.of(text, *p.span),
                                      text=Span.of(text, *p.text), attribution=aid))
    # the report names the entities that speak or pass statements on, with all their mentions
    used = {a.speaker.entity for a in atts if a.speaker} | {v.entity for a in atts for v in a.via}
    entities = tuple(Entity(id=e.id, name=e.name, type=e.type, descriptors=tuple(e.descriptors),
                            mentions=tuple(Span.of(text, s, t) for s, t in sorted(set(e.mentions))),
                            gender=gender_of(e))
                     for e in ctx.entities if e.id in used)
    return Report(document=document, attributions=tuple(atts), entities=entities,
                  embedded_posts=tuple(posts_out),
                  figures=tuple(Figure(**f) for f in figs))


def gender_of(e: EntityDraft) -> str | None:
    """female / male from the article's own evidence (two to one at least), else unknown."""
    if e.type != "PERSON":
        return None
    f, m = e.gender_votes.count("f"), e.gender_votes.count("m")
    if f > 2 * m:
        return "female"
    if m > 2 * f:
        return "male"
    return "unknown"


def _resolution(text: str, c: Candidate) -> Resolution:
    if c.resolution is not None:
        how, through = c.resolution
        return Resolution(how, Span.of(text, *through) if through else None)
    if c.post:
        return Resolution("post")
    return Resolution("none" if c.source is None else "unnamed")


def _unit(x: float) -> float:
    """Confidence as a finite number in [0, 1]: a NaN would make the JSON invalid."""
    return min(1.0, max(0.0, x)) if math.isfinite(x) else 0.5


class _MentionIndex:
    """Entities by where their mentions start: the entities with a mention inside a range,
    in the entities' order, without a pass over every mention per intermediary."""

    def __init__(self, entities) -> None:
        self.entities = entities
        self.by_start = sorted((s, t, k) for k, e in enumerate(entities) for s, t in e.mentions)
        self.starts = [s for s, _, _ in self.by_start]

    def inside(self, lo: int, hi: int) -> list:
        ks = {k for s, t, k in self.by_start[bisect_left(self.starts, lo):bisect_right(self.starts, hi)]
              if t <= hi}
        return [self.entities[k] for k in sorted(ks)]


def _entity_for(ctx: Context, rng: Any, name: str, mentions: "_MentionIndex | None" = None) -> str | None:
    """The entity with a mention inside the intermediary's phrase, preferring one of that name."""
    if not rng:
        return None
    inside = (mentions or _MentionIndex(ctx.entities)).inside(rng[0], rng[1])
    named = [e for e in inside if e.name.lower() in name.lower() or name.lower() in e.name.lower()]
    pick = (named or inside or [None])[0]
    return pick.id if pick else None
