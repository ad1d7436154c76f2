"""Reading a gzip-compressed page, text or JSON Lines file as the format it holds.

The format is the name's once ``.gz`` is taken off (``page.html.gz`` is HTML); a name
that says nothing (``page.gz``, or a ``.html`` file holding gzip bytes) is told by
the first decompressed bytes. JSON Lines stream, so a large feed never has to fit
in memory; a page or text is decompressed whole, bounded by ``max_bytes``.
"""
from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import Iterator

from sayso.errors import FormatError, InputError, SaysoError
from sayso.inputs.compressed import gunzip, inner_name, sniff
from sayso.model import Article


def read_gzipped(path: Path, *, max_bytes: int) -> Iterator[Article | SaysoError]:
    """The articles of one gzip file; errors come back in place."""
    from sayso.inputs.files import kind_of

    src = str(path)
    inner = Path(inner_name(path.name))
    kind = kind_of(inner) if inner.suffix else None
    if kind is None or (kind == "text" and inner.suffix.lower() not in (".txt", ".text")):
        kind = _sniffed(path)
    if kind == "warc":
        from sayso.inputs.warc import read_warc
        yield from read_warc(path, max_bytes=max_bytes)
    elif kind == "jsonl":
        yield from _jsonl(path, max_bytes=max_bytes)
    else:
        try:
            data = _bounded(path, max_bytes)
            stem = inner.name.split(".")[0] if inner.suffix else inner.name
            if kind == "html":
                from sayso.inputs.charset import decode_page
                from sayso.inputs.html import html_to_article
                yield html_to_article(decode_page(data), src, id=stem, path=src)
            else:
                from sayso.inputs.text import decode_text
                yield Article(text=decode_text(data, src, max_bytes=max_bytes), id=stem, path=src)
        except InputError as exc:
            yield exc


def _bounded(path: Path, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", str(path)) from None
    if len(raw) > max_bytes:  # gzip never shrinks a page below its compressed size by much
        raise InputError(f"file is over the {max_bytes / 1e6:.1f} MB limit "
                         f"(raise it with --max-bytes)", str(path))
    return gunzip(raw, str(path), max_bytes=max_bytes)


def _sniffed(path: Path) -> str:
    try:
        with gzip.open(path, "rb") as fh:
            return sniff(fh.read(4096))
    except (OSError, EOFError, zlib.error):
        return "text"  # reading it whole reports what is wrong


def _jsonl(path: Path, *, max_bytes: int) -> Iterator[Article | SaysoError]:
    from sayso.inputs.jsonl import read_jsonl_stream

    n = 0
    try:
        with gzip.open(path, "rb") as fh:
            for item in read_jsonl_stream(fh, str(path), max_bytes=max_bytes):
                n += 1
                yield item
    except (OSError, EOFError, zlib.error) as exc:
        yield FormatError(f"gzip file is truncated or corrupt after {n} record(s) "
                          f"({type(exc).__name__}: {exc}); the records before it were read", str(path))
