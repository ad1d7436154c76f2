"""Plain-text articles: strict decoding with errors that say what is wrong."""
from __future__ import annotations

from pathlib import Path

from sayso.errors import InputError
from sayso.model import Article

#: larger inputs are refused: a news article is rarely over 100 KB, and parsing
#: megabytes in one spaCy call costs minutes and gigabytes (raise with max_bytes)
MAX_BYTES = 2_000_000


def decode_text(data: bytes, source: str = "<input>", *, max_bytes: int = MAX_BYTES) -> str:
    """Decode an article's bytes as UTF-8, refusing empty, binary, oversized or mis-encoded input."""
    if len(data) > max_bytes:
        raise InputError(f"article is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                         f"(raise it with --max-bytes)", source)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:65536]:
        raise InputError("looks like binary data (NUL bytes), not text", source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
                         f"convert it, e.g. `iconv -f latin1 -t utf-8`", source) from None
    check_text(text, source)
    return text


def check_text(text: str, source: str = "<input>") -> None:
    """Refuse text that cannot hold an article."""
    if not text.strip():
        raise InputError("is empty", source)
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > max(8, len(text[:65536]) // 100):
        raise InputError("looks like binary data (control characters), not text", source)


def read_text_file(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Article:
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", str(p))
    if p.is_dir():
        raise InputError("is a folder, not a file", str(p))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", str(p)) from None
    return Article(text=decode_text(data, str(p), max_bytes=max_bytes), id=p.stem, path=str(p))
