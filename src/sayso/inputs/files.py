"""Which reader a path needs, and the walk over files, folders, globs and stdin."""
from __future__ import annotations

import glob
import os
import stat
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
    try:
        check_file(p, max_bytes=max_bytes if kind in ("text", "html") else None)
    except InputError as exc:
        yield exc
        return
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


def check_file(p: Path, *, max_bytes: int | None) -> None:
    """Refuse what is not a regular file (a FIFO would block, /dev/zero never ends) and,
    with ``max_bytes``, a file over the limit, from its size on disk before any byte is
    read (a sparse 1 GB file would otherwise be read whole first)."""
    try:
        st = p.stat()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", str(p)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a folder, not a file", str(p))
    if not stat.S_ISREG(st.st_mode):
        what = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else \
            "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else \
            "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file"
        raise InputError(f"is {what}, not a regular file; pipe it into `sayso extract -` instead",
                         str(p))
    if max_bytes is not None and st.st_size > max_bytes:
        raise InputError(f"article is {st.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB "
                         f"limit (raise it with --max-bytes)", str(p))


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
            try:  # at most one byte past the limit is read: enough to refuse it
                yield Article(text=decode_text(sys.stdin.buffer.read(max_bytes + 1), "<stdin>",
                                               max_bytes=max_bytes), id="stdin")
            except InputError as exc:
                yield exc
            continue
        p = Path(raw)
        if p.is_dir():
            for f in _walk(p):
                yield from _read_walked(f, max_bytes)
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
                        yield from _read_walked(f, max_bytes)
                else:
                    yield from read_any(mp, max_bytes=max_bytes)
        else:
            yield InputError("no such file or folder", raw)


def _read_walked(f: Path | InputError, max_bytes: int) -> Iterator[Article | SaysoError]:
    if isinstance(f, InputError):
        yield f
    else:
        yield from read_any(f, max_bytes=max_bytes)


def _walk(folder: Path) -> Iterator[Path | InputError]:
    """Files under a folder that look like articles, in sorted order; hidden files and
    unknown suffixes skipped. Symlinked folders are followed, each real folder read once;
    a link back to a folder above it (a loop) and a folder that cannot be read are
    reported in place, never skipped without a word."""
    yield from _walk_in(folder, (), set())


def _walk_in(folder: Path, above: tuple, done: set) -> Iterator[Path | InputError]:
    try:
        st = folder.stat()
        key = (st.st_dev, st.st_ino)
        if key in above:
            yield InputError("is a symlink loop (it leads back to a folder above it); not followed",
                             str(folder))
            return
        if key in done:  # a second link to a folder whose files were read already
            return
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield InputError(f"folder cannot be read: {exc.strerror}; its files were skipped", str(folder))
        return
    done.add(key)
    above = above + (key,)
    for e in entries:
        if e.name.startswith("."):
            continue
        path = Path(e.path)
        try:
            is_dir = e.is_dir()  # follows a symlink
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk_in(path, above, done)
            continue
        name = e.name.lower()
        if name.endswith(HTML + JSONL + WARC + GZ) or path.suffix.lower() in (".txt", ".text"):
            if e.is_symlink() and not path.exists():
                yield InputError("is a broken symlink", str(path))
            else:
                yield path
