"""Deterministic partitions: fixed-size chunks of the input stream, each with a fingerprint.

The same inputs give the same partitions (same index, same articles, same fingerprint),
which is what lets a rerun skip the partitions already written. The fingerprint covers
every article's id and text, so a partition whose inputs changed is redone, not skipped.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Iterable, Iterator

from sayso.errors import InputError, SaysoError
from sayso.model import Article

#: articles per partition: big enough that per-task overhead (scheduling, one Parquet
#: file per table) is small, small enough that a lost partition costs under a minute
DEFAULT_SIZE = 256


@dataclass(frozen=True)
class Partition:
    """One unit of work: its articles, and the inputs that failed to read in its stretch."""
    index: int
    articles: tuple[Article, ...]
    #: read failures met in this stretch of the input: {"id", "source", "stage", "error", "reason"}
    failures: tuple[dict, ...]
    fingerprint: str

    @property
    def name(self) -> str:
        return part_name(self.index)


def part_name(index: int) -> str:
    return f"part-{index:05d}"


def read_failure(exc: SaysoError) -> dict:
    """A read error as a plain record (plain data crosses process boundaries safely)."""
    source = getattr(exc, "source", None)
    return {"id": None, "source": source, "stage": "read", "error": type(exc).__name__,
            "reason": str(exc)}


def partitions(items: Iterable[Article | SaysoError], size: int = DEFAULT_SIZE) -> Iterator[Partition]:
    """Chunk the input stream into partitions of ``size`` items (articles or read errors)."""
    if size < 1:
        raise ValueError("partition size must be at least 1")
    chunk: list[Article | SaysoError] = []
    index = 0
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield _make(index, chunk)
            index += 1
            chunk = []
    if chunk:
        yield _make(index, chunk)


def _make(index: int, chunk: list[Article | SaysoError]) -> Partition:
    h = hashlib.sha256()
    arts: list[Article] = []
    fails: list[dict] = []
    for item in chunk:
        if isinstance(item, Article):
            art = item if item.id else replace(item, id=_text_id(item.text))
            arts.append(art)
            h.update(b"A\0" + art.id.encode() + b"\0" + (art.path or "").encode() + b"\0")
            h.update(hashlib.sha256(art.text.encode("utf-8", "surrogatepass")).digest())
        else:
            rec = read_failure(item if isinstance(item, SaysoError) else InputError(repr(item)))
            fails.append(rec)
            h.update(b"E\0" + rec["reason"].encode("utf-8", "replace") + b"\0")
    return Partition(index, tuple(arts), tuple(fails), h.hexdigest())


def _text_id(text: str) -> str:
    """An id for an article that came without one: stable, from its text."""
    return "t" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
