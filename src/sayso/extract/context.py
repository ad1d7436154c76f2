"""The working state one article passes through the stages.

Stages add Candidates (mutable, offsets only); the pipeline turns them into the
frozen Report at the end, so stages never build spans by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

Range = tuple[int, int]


@dataclass
class Quote:
    """A quoted passage: ``start``/``end`` include the marks, ``inner_*`` exclude them."""
    start: int
    end: int
    inner_start: int
    inner_end: int
    #: runs on from the previous paragraph (opened there, re-opened here)
    continued: bool = False
    #: the paragraph ends with the quote still open and the next one re-opens it
    continues: bool = False
    #: quotation marks never closed: kept only to stop it swallowing text
    unbalanced: bool = False

    @property
    def words(self) -> int:
        return self.inner_end - self.inner_start


@dataclass
class Candidate:
    kind: str
    content: list[Range]
    cue: list[Range] | None = None
    source: Range | None = None
    #: index of the token heading the source phrase, for speaker resolution
    source_token: int | None = None
    confidence: float = 0.5
    origin: str = ""
    #: intermediaries, speaker outward: (name, relation, range of the mention or None)
    via: list[tuple[str, str, Range | None]] = field(default_factory=list)
    #: filled by the speakers stage
    entity: str | None = None
    #: a fixed speaker name where no mention in the text names it (embedded posts)
    speaker_name: str | None = None
    post: str | None = None
    #: filled by the speakers stage: how the speaker was found and the mention it went through
    resolution: tuple[str, Range | None] | None = None

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)


@dataclass
class PostDraft:
    id: str
    platform: str
    author: str | None
    handle: str | None
    date: str | None
    span: Range
    text: Range


@dataclass
class EntityDraft:
    id: str
    name: str
    type: str
    descriptors: list[str] = field(default_factory=list)
    mentions: list[Range] = field(default_factory=list)
    gender: str | None = None  # "m" | "f" | None: what agreement assumes (first names count)
    #: the article's own evidence of gender, "m"/"f" per honorific or pronoun resolved to it;
    #: the report's ``gender`` reads only this, never the name
    gender_votes: list[str] = field(default_factory=list)


@dataclass
class Context:
    text: str
    doc: Doc
    meta: dict[str, Any] = field(default_factory=dict)
    posts: list[PostDraft] = field(default_factory=list)
    #: character ranges that belong to embedded posts: other stages leave them alone
    blocked: list[Range] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    #: the rule stages' candidates as they were before a trained model replaced any:
    #: chains read their "according to" frames even where the model keeps its own
    rule_candidates: list[Candidate] = field(default_factory=list)
    entities: list[EntityDraft] = field(default_factory=list)
    #: token index -> entity id, for every mention the speakers stage resolved
    token_entity: dict[int, str] = field(default_factory=dict)

    def is_blocked(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.blocked)
