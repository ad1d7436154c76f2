"""Which reader a path needs, and the walk over files, folders, globs and stdin."""
from __future__ import annotations

import glob
import sys
from pathlib import Path
from typing import Iterator

from sayso.errors import InputError, SaysoError
from sayso.inputs.text import MAX_BYTES, decode_text, read_text_file
from sayso.model import Article

HTML = (".html", ".htm", ".xhtml")
JSONL = (".jsonl", ".ndjson")
WARC = (".warc", ".warc.gz", ".arc", ".arc.gz")
TEXT = (".txt", ".text", "")
KNOWN = HTML + JSONL + WARC + TEXT
#: gzip-compressed forms of the other formats (WARC/ARC carry their own .gz above)
GZ = tuple(s + ".gz" for s in HTML + JSONL + (".txt", ".text"))


def kind_of(path: Path) -> str:
    from sayso.inputs.compressed import inner_name

    name = path.name.lower()
    if not name.endswith(WARC):
        name = inner_name(name)
    if name.endswith(WARC):
        return "warc"
    if name.endswith(JSONL):
        return "jsonl"
    if name.endswith(HTML):
        return "html"
    return "text"


def read_any(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Iterator[Article | SaysoError]:
    """Articles of one file, the format told by its name; errors come back in place."""
    p = Path(path)
    if not p.exists():
        yield InputError("no such file", str(p))
        return
    kind = kind_of(p)
    if kind != "warc":
        from sayso.inputs.compressed import file_is_gzip
        if file_is_gzip(p):
            from sayso.inputs.gzipped import read_gzipped
            yield from read_gzipped(p, max_bytes=max_bytes)
            return
    if kind == "warc":
        from sayso.inputs.warc import read_warc
        yield from read_warc(p, max_bytes=max_bytes)
    elif kind == "jsonl":
        from sayso.inputs.jsonl import read_jsonl
        yield from read_jsonl(p, max_bytes=max_bytes)
    elif kind == "html":
        try:
            yield read_html_file(p, max_bytes=max_bytes)
        except InputError as exc:
            yield exc
    else:
        try:
            yield read_text_file(p, max_bytes=max_bytes)
        except InputError as exc:
            yield exc


def read_html_file(path: Path, *, max_bytes: int = MAX_BYTES) -> Article:
    from sayso.inputs.html import html_to_article

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", str(path)) from None
    if len(data) > max_bytes:
        raise InputError(f"page is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                         f"(raise it with --max-bytes)", str(path))
    from sayso.inputs.charset import decode_page
    return html_to_article(decode_page(data), str(path), id=path.stem, path=str(path))


def iter_inputs(paths: list[str], *, max_bytes: int = MAX_BYTES) -> Iterator[Article | SaysoError]:
    """Articles from files, folders (recursively), globs and ``-`` (stdin), in a stable order."""
    for raw in paths:
        if raw == "-":
            try:
                yield Article(text=decode_text(sys.stdin.buffer.read(), "<stdin>", max_bytes=max_bytes),
                              id="stdin")
            except InputError as exc:
                yield exc
            continue
        p = Path(raw)
        if p.is_dir():
            for f in _walk(p):
                yield from read_any(f, max_bytes=max_bytes)
        elif p.exists():
            yield from read_any(p, max_bytes=max_bytes)
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield InputError("no file matches this pattern", raw)
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    for f in _walk(mp):
                        yield from read_any(f, max_bytes=max_bytes)
                else:
                    yield from read_any(mp, max_bytes=max_bytes)
        else:
            yield InputError("no such file or folder", raw)


def _walk(folder: Path) -> Iterator[Path]:
    """Files under a folder that look like articles; hidden files and unknown suffixes skipped."""
    for f in sorted(folder.rglob("*")):
        if not f.is_file() or any(part.startswith(".") for part in f.relative_to(folder).parts):
            continue
        name = f.name.lower()
        if name.endswith(HTML + JSONL + WARC + GZ) or f.suffix.lower() in (".txt", ".text"):
            yield f
