"""WARC / WARC.gz web archives (and ARC / ARC.gz): each HTML page becomes an article.

Pages are ``response`` records with an HTML body (and, in an ARC file, its records of
HTML), and ``resource`` records of HTML or plain text (what a crawler or a hand-made
archive stores without HTTP headers). A page is decoded by the charset its HTTP
header or its own ``<meta>`` declares, else a detected one. The record's date is when
the page was fetched (``fetched``), never taken for its publication date.
A truncated or corrupt archive yields one FormatError for the broken part; the
records read before it are kept.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

from sayso.errors import FormatError, InputError, SaysoError
from sayso.inputs.html import html_to_article
from sayso.inputs.text import MAX_BYTES
from sayso.model import Article


def read_warc(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Iterator[Article | SaysoError]:
    from warcio.archiveiterator import ArchiveIterator

    p = Path(path)
    try:
        fh = p.open("rb")
    except OSError as exc:
        yield InputError(f"cannot be read: {exc.strerror}", str(p))
        return
    n = 0
    with fh:
        if not _has_line(fh):
            yield FormatError(f"is not a WARC archive (no line break in its first {_PEEK // 1024} KB)",
                              str(p))
            return
        records = iter(ArchiveIterator(fh))
        while True:
            try:
                rec = next(records)
            except StopIteration:
                if n == 0:
                    yield FormatError("is not a WARC archive (no WARC record found)", str(p))
                elif p.name.lower().endswith(".gz") and not _gzip_complete(p):
                    yield _cut(p, n, "the last compressed block ends early")
                return
            except Exception as exc:  # warcio raises several kinds on a cut archive
                yield _cut(p, n, f"{type(exc).__name__}: {exc}")
                return
            n += 1
            if rec.format.startswith("arc") and ".arc" not in p.name.lower():
                yield FormatError("is not a WARC archive (the first line is not a WARC header)", str(p))
                return
            if rec.rec_type == "arc_header":  # an ARC file's own description, not a page
                rec.raw_stream.read()
                continue
            if rec.length is None or rec.rec_type not in _TYPES:
                yield _cut(p, n - 1, f"record {n} has a broken header")
                return
            ctype, wanted = _page_type(rec)
            url = rec.rec_headers.get_header("WARC-Target-URI") or rec.rec_headers.get_header("uri")
            src = f"{p}#{url or n}"
            try:
                data = rec.content_stream().read(max_bytes + 1) if wanted else b""
                rest = rec.raw_stream.read()
            except Exception as exc:
                yield _cut(p, n - 1, f"record {n} ({_brief(str(url))}) cannot be read: {type(exc).__name__}: {exc}")
                return
            if getattr(rec.raw_stream, "limit", 0):
                yield _cut(p, n - 1, f"record {n} ({url}) ends early")
                return
            if not wanted:
                continue
            if len(data) > max_bytes or (len(data) == max_bytes + 1 and rest):
                yield InputError(f"page is over the {max_bytes / 1e6:.1f} MB limit "
                                 f"(raise it with --max-bytes)", src)
                continue
            rid = rec.rec_headers.get_header("WARC-Record-ID") or ""
            rid = rid.strip("<>").rsplit(":", 1)[-1] or hashlib.sha1((url or src).encode()).hexdigest()[:16]
            try:
                yield _article(data, ctype, wanted, src, rid, url, _fetched(rec))
            except InputError as exc:
                yield exc


def _page_type(rec) -> tuple[str, str | None]:
    """The record's content type and what it holds for us: "html", "text" or None."""
    if rec.rec_type == "response":
        ctype = (rec.http_headers.get_header("Content-Type") or "") if rec.http_headers else ""
        if not ctype and rec.format == "arc":
            ctype = rec.rec_headers.get_header("content-type") or ""
        return ctype, "html" if "html" in ctype.lower() else None
    if rec.rec_type == "resource":
        ctype = rec.rec_headers.get_header("Content-Type") or ""
        low = ctype.lower()
        return ctype, "html" if "html" in low else "text" if low.startswith("text/plain") else None
    return "", None


def _fetched(rec) -> str | None:
    """When the record was captured, as ISO 8601 (WARC-Date, or an ARC record's archive-date)."""
    date = rec.rec_headers.get_header("WARC-Date")
    if date:
        return date
    stamp = rec.rec_headers.get_header("archive-date")
    if stamp and stamp.isdigit():
        from warcio.timeutils import timestamp_to_iso_date
        try:
            return timestamp_to_iso_date(stamp)
        except ValueError:
            return None
    return None


def _article(data: bytes, ctype: str, wanted: str, src: str, rid: str, url: str | None,
             fetched: str | None) -> Article:
    from sayso.inputs.charset import decode_page

    text = decode_page(data, content_type=ctype)
    if wanted == "text":
        from sayso.inputs.text import check_text
        check_text(text, src)
        return Article(text=text, id=rid, url=url, path=src, fetched=fetched)
    return html_to_article(text, src, id=rid, url=url, path=src, fetched=fetched)


_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
          "continuation"}


def _cut(p: Path, n: int, why: str) -> FormatError:
    return FormatError(f"archive is truncated or corrupt after record {n} ({_brief(why)}); "
                       f"the records before it were read", str(p))


#: an error message quotes at most this much of what it read (warcio's messages hold the
#: whole first line: a megabyte of it took seconds to print)
BRIEF = 200
#: a WARC's first header line ends within this many bytes (after gzip, for .gz)
_PEEK = 64 * 1024


def _brief(text: str) -> str:
    return text if len(text) <= BRIEF else f"{text[:BRIEF]}… ({len(text):,} characters)"


def _has_line(fh) -> bool:
    """Whether a line break comes early (warcio reads a whole first line into memory, and
    a file without one is no archive), read through gzip; ``fh`` is rewound."""
    import zlib
    head = fh.read(_PEEK)
    fh.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(31).decompress(head, _PEEK)
        except zlib.error:
            return True  # warcio says what is wrong with the compression
    return b"\n" in head or len(head) < _PEEK


def _gzip_complete(p: Path) -> bool:
    """Whether every gzip member of the file is whole (warcio drops a cut last member silently)."""
    import zlib

    d, fresh = zlib.decompressobj(31), True
    with p.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            while chunk:
                fresh = False
                try:
                    d.decompress(chunk)
                except zlib.error:
                    return False
                chunk = b""
                if d.eof:
                    chunk = d.unused_data
                    d, fresh = zlib.decompressobj(31), True
    return fresh
