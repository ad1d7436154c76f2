"""Word-level wording differences between two versions of one statement.

Outlets retell a quote with small changes; showing which words differ (case and
spacing aside) lets a reader see whether the wording was kept or altered.
"""
from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")

#: same: in both; added: only in this version; removed: only in the reference
Piece = tuple[str, str]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _norm(tok: str) -> str:
    return tok.lower().replace("’", "'").replace("“", '"').replace("”", '"')


def word_diff(reference: str, other: str) -> list[Piece]:
    """``other`` as (op, text) pieces against ``reference``; joining the non-removed texts gives ``other``."""
    ref = [t for t in tokens(reference) if not t.isspace()]
    toks = tokens(other)
    words = [(i, t) for i, t in enumerate(toks) if not t.isspace()]
    sm = difflib.SequenceMatcher(a=[_norm(t) for t in ref], b=[_norm(t) for _, t in words],
                                 autojunk=False)
    op_of = ["added"] * len(toks)
    for i, t in enumerate(toks):
        if t.isspace():
            op_of[i] = "space"
    removed_before: dict[int, list[str]] = {}
    for tag, a0, a1, b0, b1 in sm.get_opcodes():
        if tag == "equal":
            for k in range(b0, b1):
                op_of[words[k][0]] = "same"
        if tag in ("delete", "replace"):
            at = words[b0][0] if b0 < len(words) else len(toks)
            removed_before.setdefault(at, []).append(" ".join(ref[a0:a1]))
    pieces: list[Piece] = []
    for i, t in enumerate(toks + [""]):
        for gone in removed_before.get(i, []):
            pieces.append(("removed", gone))
        if i == len(toks):
            break
        op = op_of[i]
        if op == "space":  # spacing joins the neighbours' op so marks run over whole phrases
            prev = op_of[i - 1] if i else "same"
            nxt = op_of[i + 1] if i + 1 < len(toks) else "same"
            op = "added" if prev == nxt == "added" else "same"
        if pieces and pieces[-1][0] == op:
            pieces[-1] = (op, pieces[-1][1] + t)
        else:
            pieces.append((op, t))
    return pieces
