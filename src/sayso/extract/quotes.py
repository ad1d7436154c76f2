"""Direct quotation spans from the raw text: straight and curly marks, quotes that
run over paragraphs, and unbalanced marks that must not swallow the article.

Marks are paired within a paragraph. A paragraph that ends with a quote still open
continues it only when the next paragraph re-opens with a mark (the newspaper
convention); otherwise the stray mark is dropped and scanning resumes after it.
"""
from __future__ import annotations

import re

from sayso.extract.context import Context, Quote

OPEN_CURLY = "“„«"
CLOSE_CURLY = "”»"
STRAIGHT = '"'
MARKS = OPEN_CURLY + CLOSE_CURLY + STRAIGHT
_PARA = re.compile(r"[^\n]+")


def find(ctx: Context) -> None:
    ctx.quotes = [q for q in scan(ctx.text) if not ctx.is_blocked(q.start, q.end)]


def scan(text: str) -> list[Quote]:
    paras = [(m.start(), m.end()) for m in _PARA.finditer(text)]
    quotes: list[Quote] = []
    for i, (ps, pe) in enumerate(paras):
        found, open_at = _pair(text, ps, pe)
        quotes.extend(found)
        if open_at is not None:
            nxt = paras[i + 1] if i + 1 < len(paras) else None
            if nxt and text[nxt[0]:nxt[1]].lstrip()[:1] in OPEN_CURLY + STRAIGHT:
                end = _rstrip(text, open_at + 1, pe)
                if end > open_at + 1:
                    quotes.append(Quote(open_at, end, open_at + 1, end, continues=True))
    # mark the paragraphs that continue a quote opened earlier
    for a, b in zip(quotes, quotes[1:]):
        if a.continues and text[a.end:b.start].count("\n") >= 1 and not text[a.end:b.start].strip():
            b.continued = True
    return quotes


def _kind(text: str, i: int) -> str:
    """'open', 'close' or 'either' for the mark at i."""
    ch = text[i]
    if ch in OPEN_CURLY:
        return "open"
    if ch in CLOSE_CURLY:
        return "close"
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-:/":
        return "either" if after.isspace() else "open"
    if after.isspace() or after in ".,;:!?)]}—–-":
        return "close"
    return "either"


def _pair(text: str, ps: int, pe: int) -> tuple[list[Quote], int | None]:
    """Pair the marks of one paragraph; return the quotes and where an unclosed one opened."""
    out: list[Quote] = []
    open_at: int | None = None
    for i in range(ps, pe):
        ch = text[i]
        if ch not in MARKS:
            continue
        kind = _kind(text, i)
        if open_at is None:
            if kind in ("open", "either"):
                open_at = i
            continue
        if kind in ("close", "either") or (kind == "open" and text[open_at] == STRAIGHT == ch):
            inner_s, inner_e = open_at + 1, i
            if inner_e > inner_s and text[inner_s:inner_e].strip():
                out.append(Quote(open_at, i + 1, inner_s, inner_e))
            open_at = None
        else:  # a second opening mark while one is open: the first was stray
            open_at = i
    if open_at is not None and not text[open_at + 1:pe].strip():
        open_at = None
    return out, open_at


def _rstrip(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e

