"""The report: the one shared language between extraction, storage, engines and the web.

Every span is a pair of character offsets into the exact input text, end exclusive,
with the text it covers; ``Span.of(text, start, end)`` is the only way stages make one,
so ``text[start:end] == span.text`` holds by construction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

from sayso.version import __version__

KINDS = ("direct", "indirect", "mixed", "according_to", "reported")
#: how an attribution's speaker was found (``Resolution.how``)
RESOLUTIONS = ("name", "pronoun", "descriptor", "inherited", "unnamed", "post", "none")
#: what a person entity's own article says of their gender; ``None`` for non-persons
GENDERS = ("female", "male", "unknown")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    #: pieces of a discontinuous span ``((s1, e1), (s2, e2))``; ``start``/``end`` then bound them all
    pieces: tuple[tuple[int, int], ...] | None = None

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span {start}:{end} outside text of {len(text)} chars")
        return cls(start, end, text[start:end])

    @classmethod
    def of_pieces(cls, text: str, pieces: Iterable[tuple[int, int]]) -> "Span":
        ps = tuple(sorted((int(s), int(e)) for s, e in pieces if e > s))
        if not ps:
            raise ValueError("a discontinuous span needs at least one non-empty piece")
        if len(ps) == 1:
            return cls.of(text, *ps[0])
        # text covers start:end whole so that text[start:end] == span.text always holds
        return cls(ps[0][0], ps[-1][1], text[ps[0][0]:ps[-1][1]], ps)

    def ranges(self) -> tuple[tuple[int, int], ...]:
        return self.pieces or ((self.start, self.end),)

    def to_dict(self) -> dict[str, Any]:
        if self.pieces:
            return {"start": self.start, "end": self.end, "spans": [list(p) for p in self.pieces],
                    "text": self.text}
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Span | None":
        if not d:
            return None
        pieces = tuple((int(s), int(e)) for s, e in d["spans"]) if d.get("spans") else None
        start = int(d.get("start", pieces[0][0] if pieces else 0))
        end = int(d.get("end", pieces[-1][1] if pieces else 0))
        return cls(start, end, d.get("text", ""), pieces)


@dataclass(frozen=True)
class SpeakerRef:
    entity: str | None
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "name": self.name}


@dataclass(frozen=True)
class Via:
    """One intermediary a statement came through, listed from the speaker outward."""
    entity: str | None
    name: str
    relation: str  # translation | reported | according_to | quoted

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "name": self.name, "relation": self.relation}


@dataclass(frozen=True)
class Resolution:
    """Why the speaker is who the report says: so a reader can check it.

    ``how``: ``name`` (the source names them), ``pronoun`` ("he" -> the antecedent),
    ``descriptor`` ("the Russian leader" -> the person it describes), ``inherited`` (a
    quote with no cue of its own takes the previous speaker), ``unnamed`` (a source the
    article never names: "a spokesman"; no entity), ``post`` (an embedded post's
    author), ``none`` (no source). ``through`` is the mention it went through: the
    antecedent name a pronoun or descriptor resolved to, the quote it inherited from.
    """
    how: str
    through: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"how": self.how, "through": self.through.to_dict() if self.through else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Resolution | None":
        if not d:
            return None
        return cls(d.get("how", "none"), Span.from_dict(d.get("through")))


@dataclass(frozen=True)
class Attribution:
    id: str
    kind: str
    content: Span
    cue: Span | None = None
    source: Span | None = None
    speaker: SpeakerRef | None = None
    via: tuple[Via, ...] = ()
    confidence: float = 0.5
    #: which stage found it (quotes, indirect, according_to, posts, model, ...)
    origin: str = ""
    resolution: Resolution | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "source": self.source.to_dict() if self.source else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "via": [v.to_dict() for v in self.via],
            "confidence": round(self.confidence, 3),
            "origin": self.origin,
            "resolution": self.resolution.to_dict() if self.resolution else None,
        }


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str  # PERSON | ORG | OUTLET | GPE | GROUP | DOCUMENT | OTHER
    descriptors: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()
    #: persons only: female | male | unknown, from the article's own evidence (pronouns
    #: resolved to them, honorifics), never from the name alone
    gender: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type,
                "descriptors": list(self.descriptors),
                "mentions": [m.to_dict() for m in self.mentions],
                "gender": self.gender}


@dataclass(frozen=True)
class EmbeddedPost:
    id: str
    platform: str
    author: str | None
    handle: str | None
    date: str | None  # ISO 8601 date
    span: Span  # the whole post, text and signature line
    text: Span  # what the post says
    attribution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "platform": self.platform, "author": self.author,
                "handle": self.handle, "date": self.date,
                "span": self.span.to_dict(), "text": self.text.to_dict(),
                "attribution": self.attribution}


@dataclass(frozen=True)
class Figure:
    id: str
    span: Span
    value: float | None
    qualifier: str | None = None  # "more than", "about", "at least", ...
    counts: str | None = None  # what is counted: "people killed"
    attribution: str | None = None
    low: float | None = None  # ranges: 50-200
    high: float | None = None
    unit: str | None = None  # percent, dollars, day, ...

    def to_dict(self) -> dict[str, Any]:
        v = self.value
        if v is not None and float(v).is_integer():
            v = int(v)
        return {"id": self.id, "span": self.span.to_dict(), "value": v,
                "low": self.low, "high": self.high, "unit": self.unit,
                "qualifier": self.qualifier, "counts": self.counts,
                "attribution": self.attribution}


@dataclass(frozen=True)
class Document:
    id: str | None = None
    title: str | None = None
    path: str | None = None
    chars: int = 0
    outlet: str | None = None
    #: the date the page itself gives (its metadata or byline), never the crawl date
    published: str | None = None
    url: str | None = None
    author: str | None = None
    #: when a crawler fetched the page (a WARC record's date), apart from ``published``
    fetched: str | None = None
    #: what a reader should know about how the text was read ("only 151 characters ...")
    warnings: tuple[str, ...] = ()
    #: the text the report was read from, when asked for (``--include-text``); spans index it
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "title": self.title, "path": self.path, "chars": self.chars,
             "outlet": self.outlet, "published": self.published, "url": self.url,
             "author": self.author, "fetched": self.fetched, "warnings": list(self.warnings)}
        if self.text is not None:
            d["text"] = self.text
        return d


@dataclass(frozen=True)
class Article:
    """One input article: text is never altered after it is read."""
    text: str
    id: str | None = None
    title: str | None = None
    path: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    author: str | None = None
    fetched: str | None = None
    warnings: tuple[str, ...] = ()

    def document(self, *, include_text: bool = False) -> Document:
        return Document(id=self.id, title=self.title, path=self.path, chars=len(self.text),
                        outlet=self.outlet, published=self.published, url=self.url,
                        author=self.author, fetched=self.fetched, warnings=tuple(self.warnings),
                        text=self.text if include_text else None)


@dataclass(frozen=True)
class Report:
    document: Document
    attributions: tuple[Attribution, ...] = ()
    entities: tuple[Entity, ...] = ()
    embedded_posts: tuple[EmbeddedPost, ...] = ()
    figures: tuple[Figure, ...] = ()
    sayso_version: str = __version__

    def to_dict(self) -> dict[str, Any]:
        return {
            "sayso_version": self.sayso_version,
            "document": self.document.to_dict(),
            "attributions": [a.to_dict() for a in self.attributions],
            "entities": [e.to_dict() for e in self.entities],
            "embedded_posts": [p.to_dict() for p in self.embedded_posts],
            "figures": [f.to_dict() for f in self.figures],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def entity(self, entity_id: str | None) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def spans(self) -> Iterable[Span]:
        """Every span in the report, for checks that offsets stay true."""
        for a in self.attributions:
            yield a.content
            if a.cue:
                yield a.cue
            if a.source:
                yield a.source
            if a.resolution and a.resolution.through:
                yield a.resolution.through
        for e in self.entities:
            yield from e.mentions
        for p in self.embedded_posts:
            yield p.span
            yield p.text
        for f in self.figures:
            yield f.span

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Report":
        dd = d.get("document") or {}
        doc = Document(**{k: (tuple(dd[k] or ()) if k == "warnings" else dd[k])
                          for k in Document.__dataclass_fields__ if k in dd})
        atts = tuple(Attribution(
            id=a["id"], kind=a["kind"], content=Span.from_dict(a["content"]),
            cue=Span.from_dict(a.get("cue")), source=Span.from_dict(a.get("source")),
            speaker=SpeakerRef(**a["speaker"]) if a.get("speaker") else None,
            via=tuple(Via(**v) for v in a.get("via", [])),
            confidence=float(a.get("confidence", 0.5)), origin=a.get("origin", ""),
            resolution=Resolution.from_dict(a.get("resolution")))
            for a in d.get("attributions", []))
        ents = tuple(Entity(id=e["id"], name=e["name"], type=e["type"],
                            descriptors=tuple(e.get("descriptors", [])),
                            mentions=tuple(Span.from_dict(m) for m in e.get("mentions", [])),
                            gender=e.get("gender"))
                     for e in d.get("entities", []))
        posts = tuple(EmbeddedPost(id=p["id"], platform=p["platform"], author=p.get("author"),
                                   handle=p.get("handle"), date=p.get("date"),
                                   span=Span.from_dict(p["span"]), text=Span.from_dict(p["text"]),
                                   attribution=p.get("attribution"))
                      for p in d.get("embedded_posts", []))
        figs = tuple(Figure(id=f["id"], span=Span.from_dict(f["span"]), value=f.get("value"),
                            qualifier=f.get("qualifier"), counts=f.get("counts"),
                            attribution=f.get("attribution"), low=f.get("low"),
                            high=f.get("high"), unit=f.get("unit"))
                     for f in d.get("figures", []))
        return cls(document=doc, attributions=atts, entities=ents, embedded_posts=posts,
                   figures=figs, sayso_version=d.get("sayso_version", __version__))

    @classmethod
    def from_json(cls, s: str) -> "Report":
        return cls.from_dict(json.loads(s))
