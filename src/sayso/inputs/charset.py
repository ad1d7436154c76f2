"""Decoding a page's bytes by its declared or detected character set.

Order, after the HTML standard's sniffing: a byte-order mark; bytes that are valid
UTF-8 (a page that declares Latin-1 but is UTF-8 is common, the reverse is rare, and
Latin-1 text almost never forms valid UTF-8 by accident); the charset the HTTP
header or the page's own ``<meta>`` declares; charset-normalizer's guess (the
detector trafilatura uses); and last UTF-8 with replacement characters.
``iso-8859-1`` and ``ascii`` are read as ``windows-1252``, as browsers do.
"""
from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
#: labels that browsers read as windows-1252 (a superset that decodes 0x80-0x9f as text)
_AS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii",
            "windows-1252", "cp1252"}


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in a ``<meta>`` tag of its first 4 KB, if Python knows it."""
    m = _META.search(data[:4096])
    return normal_label(m.group(1).decode("ascii", "replace")) if m else None


def header_charset(content_type: str | None) -> str | None:
    """The ``charset=`` of a Content-Type header value, if Python knows it."""
    for part in (content_type or "").split(";"):
        k, _, v = part.strip().partition("=")
        if k.strip().lower() == "charset" and v.strip():
            return normal_label(v.strip().strip("\"'"))
    return None


def normal_label(label: str) -> str | None:
    """A codec name Python knows for a charset label, or None for an unknown label."""
    low = label.strip().lower()
    if low in _AS_1252:
        return "windows-1252"
    try:
        return codecs.lookup(low).name
    except LookupError:
        return None


def decode_page(data: bytes, *, content_type: str | None = None) -> str:
    """A page's text, decoded as the page (or its HTTP header) says, or as detected."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = [e for e in (header_charset(content_type), declared_charset(data)) if e]
    for enc in declared:
        if enc == "utf-8":  # says UTF-8 and mostly is: a few bad bytes become U+FFFD
            return data.decode("utf-8", errors="replace")
        if not enc.startswith("utf-16"):  # a <meta> read as ASCII cannot declare UTF-16
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                continue
    guess = _detect(data)
    if guess:
        try:
            return data.decode(guess)
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("utf-8", errors="replace")


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    sample = data if len(data) <= 200_000 else data[:100_000] + data[-100_000:]
    best = from_bytes(sample).best()
    return best.encoding if best is not None else None
