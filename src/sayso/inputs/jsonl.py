"""JSON Lines: one article an object with ``text`` or ``html`` and optional metadata.

A malformed line yields a FormatError naming ``file:line`` in place; reading goes on.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import IO, Iterator

from sayso.errors import FormatError, InputError, SaysoError
from sayso.inputs.html import html_to_article
from sayso.inputs.text import MAX_BYTES, check_text
from sayso.model import Article

_META = ("title", "published", "outlet", "url", "author")


def read_jsonl(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Iterator[Article | SaysoError]:
    """Articles of a .jsonl/.ndjson file, or an error per line that cannot be one."""
    p = Path(path)
    try:
        fh = p.open("rb")
    except OSError as exc:
        yield InputError(f"cannot be read: {exc.strerror}", str(p))
        return
    with fh:
        yield from read_jsonl_stream(fh, str(p), max_bytes=max_bytes)


def read_jsonl_stream(fh: IO[bytes], name: str, *,
                      max_bytes: int = MAX_BYTES) -> Iterator[Article | SaysoError]:
    for n, raw in enumerate(_lines(fh, max_bytes), 1):
        src = f"{name}:{n}"
        if raw is None:
            yield InputError(f"record is over the {max_bytes / 1e6:.1f} MB limit "
                             f"(raise it with --max-bytes)", src)
            continue
        if not raw.strip():
            continue
        try:
            yield line_to_article(raw, src, max_bytes=max_bytes)
        except InputError as exc:
            yield exc


def _lines(fh: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """The file's lines, None for one over ``max_bytes``: it is read past, a block at a
    time, never held (a 1 GB file without a line break would otherwise be one line)."""
    while True:
        raw = fh.readline(max_bytes + 1)
        if not raw:
            return
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(1 << 20)
            yield None
            continue
        yield raw


def line_to_article(raw: bytes, src: str, *, max_bytes: int = MAX_BYTES) -> Article:
    if len(raw) > max_bytes:
        raise InputError(f"record is {len(raw) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB "
                         f"limit (raise it with --max-bytes)", src)
    try:
        obj = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"is not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})", src) from None
    if not isinstance(obj, dict):
        raise FormatError(f"is a JSON {type(obj).__name__}, expected an object with \"text\" or \"html\"",
                          src)
    _check_unicode(obj, src)
    meta = {k: _str(obj.get(k)) for k in _META}
    given_id = _str(obj.get("id"))
    if isinstance(obj.get("text"), str):
        text = obj["text"]
        check_text(text, src)
        key = meta["url"] or text
        return Article(text=text, id=given_id or hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
                       path=src, **meta)
    if isinstance(obj.get("html"), str):
        art = html_to_article(obj["html"], src, id=given_id, url=meta["url"], title=meta["title"],
                              outlet=meta["outlet"], published=meta["published"], path=src)
        if art.id is None:
            art = Article(**{**art.__dict__, "id": hashlib.sha1(art.text.encode("utf-8")).hexdigest()[:16]})
        return art
    raise FormatError("has neither a \"text\" nor an \"html\" string field", src)


def _check_unicode(obj: dict, src: str) -> None:
    """Refuse a record whose strings hold a lone surrogate (JSON allows "\\ud800"; no UTF-8
    text does, so no report of it could be written): a clear error for this line only."""
    for key in ("text", "html", "id", *_META):
        v = obj.get(key)
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise FormatError(f"field \"{key}\" holds a lone surrogate \\u{ord(v[exc.start]):04x} at "
                                  f"character {exc.start}, which is not text; fix the encoder that wrote it",
                                  src) from None


def _str(v) -> str | None:
    if v is None or v == "":
        return None
    return v if isinstance(v, str) else str(v)
