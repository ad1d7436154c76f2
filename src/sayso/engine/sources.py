"""The engine's view of the inputs: the corpus readers' stream, in a stable order.

Argument paths are sorted (stdin last) so that the same command always gives the same
stream, hence the same partitions, whatever order the shell or a script passed them in;
``iter_inputs`` walks folders and globs in sorted order itself.
"""
from __future__ import annotations

from typing import Iterator

from sayso.errors import SaysoError
from sayso.inputs import MAX_BYTES, iter_inputs
from sayso.model import Article


def iter_sources(paths: list[str], *, max_bytes: int = MAX_BYTES) -> Iterator[Article | SaysoError]:
    """Articles (or read errors, in place) from the given paths, in a deterministic order."""
    ordered = sorted(p for p in paths if p != "-") + [p for p in paths if p == "-"]
    yield from iter_inputs(ordered, max_bytes=max_bytes)
