"""The engine's view of the inputs: the corpus readers' stream, in a stable order.

Uses ``sayso.inputs.iter_inputs`` (every format, folders, globs, stdin) when it is
available, else reads plain-text files itself. Argument paths are sorted so the same
command always gives the same stream, hence the same partitions.
"""
from __future__ import annotations

import glob
import sys
from pathlib import Path
from typing import Iterator

from sayso.errors import InputError, SaysoError
from sayso.inputs.text import MAX_BYTES, decode_text, read_text_file
from sayso.model import Article


def iter_sources(paths: list[str], *, max_bytes: int = MAX_BYTES) -> Iterator[Article | SaysoError]:
    """Articles (or read errors, in place) from the given paths, in a deterministic order."""
    ordered = sorted(p for p in paths if p != "-") + [p for p in paths if p == "-"]
    try:
        from sayso.inputs import iter_inputs
    except ImportError:
        iter_inputs = None
    if iter_inputs is not None:
        yield from iter_inputs(ordered, max_bytes=max_bytes)
        return
    for p in ordered:
        yield from _fallback(p, max_bytes)


def _fallback(p: str, max_bytes: int) -> Iterator[Article | SaysoError]:
    """Plain text only: files, folders (recursively), globs and stdin."""
    if p == "-":
        try:
            yield Article(text=decode_text(sys.stdin.buffer.read(), "<stdin>", max_bytes=max_bytes),
                          id="stdin")
        except InputError as exc:
            yield exc
        return
    path = Path(p)
    if path.is_dir():
        files = sorted(f for f in path.rglob("*.txt") if f.is_file() and not f.name.startswith("."))
    elif not path.exists() and glob.has_magic(p):
        files = sorted(Path(f) for f in glob.glob(p, recursive=True) if Path(f).is_file())
        if not files:
            yield InputError("matches no files", p)
    else:
        files = [path]
    for f in files:
        try:
            yield read_text_file(f, max_bytes=max_bytes)
        except InputError as exc:
            yield exc
