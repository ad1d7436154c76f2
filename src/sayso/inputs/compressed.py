"""gzip-compressed inputs, told by their magic bytes (``1f 8b``), not only by a ``.gz`` suffix.

Crawls and benchmarks store pages as ``page.html.gz`` and feeds as ``feed.jsonl.gz``;
a ``.html`` file may also hold gzip bytes when a crawler saved the compressed HTTP body.
The decompressed size is bounded (``max_bytes``), so a small file that inflates to
gigabytes is refused instead of filling memory.
"""
from __future__ import annotations

import zlib
from pathlib import Path

from sayso.errors import InputError

MAGIC = b"\x1f\x8b"
#: what the name says once ".gz" is taken off, when it says nothing (``page.gz``)
_SNIFF = 4096


def is_gzip(head: bytes) -> bool:
    """Whether bytes begin like a gzip stream."""
    return head[:2] == MAGIC


def file_is_gzip(path: Path) -> bool:
    """Whether a file begins with gzip's magic bytes (False when it cannot be read)."""
    try:
        with path.open("rb") as fh:
            return is_gzip(fh.read(2))
    except OSError:
        return False


def inner_name(name: str) -> str:
    """The file name a gzip file holds: ``page.html.gz`` -> ``page.html``."""
    return name[:-3] if name.lower().endswith(".gz") else name


def gunzip(data: bytes, source: str, *, max_bytes: int) -> bytes:
    """Every member of a gzip stream, decompressed; InputError when cut, corrupt or over max_bytes."""
    out: list[bytes] = []
    size = 0
    rest = data
    while rest:
        d = zlib.decompressobj(31)
        try:
            chunk = d.decompress(rest, max_bytes + 1 - size)
        except zlib.error as exc:
            raise InputError(f"is not a valid gzip file ({exc})", source) from None
        out.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise InputError(f"inflates to over the {max_bytes / 1e6:.1f} MB limit "
                             f"(raise it with --max-bytes)", source)
        if not d.eof:
            raise InputError("gzip file is truncated (its last block ends early)", source)
        rest = d.unused_data
        if rest and not is_gzip(rest):  # trailing padding after the last member
            break
    return b"".join(out)


def sniff(head: bytes) -> str:
    """The kind of content bytes look like: warc, html, jsonl or text."""
    h = head[:_SNIFF].lstrip(b"\xef\xbb\xbf \t\r\n")
    if h.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    low = h[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in low or b"<body" in low:
        return "html"
    if h.startswith(b"{"):
        return "jsonl"
    return "text"
