"""The working state one article passes through the stages.

Stages add Candidates (mutable, offsets only); the pipeline turns them into the
frozen Report at the end, so stages never build spans by hand.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
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
    _indexes: dict[str, tuple] = field(default_factory=dict, repr=False, compare=False)

    def is_blocked(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps an embedded post (bisection over the merged ranges)."""
        if not self.blocked:
            return False
        starts, ends = self._index("blocked", self.blocked, _merged)
        k = bisect_left(starts, end) - 1  # the last range starting before ``end``
        return k >= 0 and ends[k] > start

    def quote_at(self, pos: int) -> Quote | None:
        """The quote whose marks enclose ``pos`` (quotes never overlap; found by bisection)."""
        if not self.quotes:
            return None
        starts, quotes = self._index("quotes", self.quotes, _by_start)
        k = bisect_right(starts, pos) - 1
        return quotes[k] if k >= 0 and pos < quotes[k].end else None

    def _index(self, name: str, items: list, build) -> tuple[list, list]:
        """A lookup table over a list a stage may still extend: rebuilt when it changed."""
        cached = self._indexes.get(name)
        if cached is None or cached[0] is not items or cached[1] != len(items):
            cached = self._indexes[name] = (items, len(items), build(items))
        return cached[2]


def _merged(ranges: list[Range]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(ranges):
        if starts and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _by_start(quotes: list[Quote]) -> tuple[list[int], list[Quote]]:
    ordered = sorted(quotes, key=lambda q: q.start)
    return [q.start for q in ordered], ordered
