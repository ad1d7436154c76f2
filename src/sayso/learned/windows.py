"""Cut a parsed article into encoder windows of word pieces.

A window's *core* is a run of whole paragraphs (PolNeAR never lets a content cross a
paragraph break, so a cue and its content always share one core); around it, up to
``context`` pieces of the neighbouring text on either side, so a paragraph is read in
the light of the ones around it (27% of sources come after their content, and some
speakers were named a paragraph earlier). Every non-space token belongs to exactly one
core; the encoder's predictions for a token are the ones of the window whose core holds
it. A paragraph longer than a core is cut at sentence breaks (or, for one endless
sentence, anywhere): the only place a cue and its content can land in different cores.
"""
from __future__ import annotations

from dataclasses import dataclass

#: pieces a window may hold besides [CLS] and [SEP] (MiniLM reads 512 positions)
MAX_PIECES = 510
#: pieces of whole paragraphs in a window's core
CORE = 384
#: pieces of neighbouring text on each side of the core
CONTEXT = 48


@dataclass
class Window:
    ids: list[int]          # [CLS] pieces [SEP]
    tokens: list[int]       # doc token index of each token in the window, in order
    first: list[int]        # position in ``ids`` of each token's first piece
    piece_token: list[int]  # per position in ``ids``: index into ``tokens`` (-1: [CLS]/[SEP])
    core: tuple[int, int]   # tokens[core[0]:core[1]] are the core tokens


def _units(paragraphs: list[list[int]], sent: list[int], n_pieces, core: int) -> list[list[int]]:
    """Paragraphs, those longer than ``core`` pieces cut at sentence breaks (or anywhere)."""
    out: list[list[int]] = []
    for para in paragraphs:
        if sum(n_pieces(i) for i in para) <= core:
            out.append(para)
            continue
        cur: list[int] = []
        size = 0
        sentences: list[list[int]] = []
        for i in para:
            if sentences and sent[i] == sent[sentences[-1][-1]]:
                sentences[-1].append(i)
            else:
                sentences.append([i])
        for s in sentences:
            pieces: list[list[int]] = [[]]
            psize = 0
            for i in s:  # one sentence longer than a core: cut it anywhere
                if psize + n_pieces(i) > core and pieces[-1]:
                    pieces.append([])
                    psize = 0
                pieces[-1].append(i)
                psize += n_pieces(i)
            for p in pieces:
                ps = sum(n_pieces(i) for i in p)
                if size + ps > core and cur:
                    out.append(cur)
                    cur, size = [], 0
                cur.extend(p)
                size += ps
        if cur:
            out.append(cur)
    return out


def windows(paragraphs: list[list[int]], sent: list[int], pieces, cls: int, sep: int, *,
            core: int = CORE, context: int = CONTEXT) -> list[Window]:
    """Windows over the tokens of ``paragraphs`` (token indices per paragraph, spaces
    left out); ``pieces(i)`` gives token i's word-piece ids (at least one)."""
    counts: dict[int, int] = {}

    def n_pieces(i: int) -> int:
        n = counts.get(i)
        if n is None:
            n = counts[i] = min(len(pieces(i)), core)
        return n

    units = _units(paragraphs, sent, n_pieces, core)
    flat = [i for u in units for i in u]
    # cores: units packed greedily up to ``core`` pieces
    cores: list[tuple[int, int]] = []
    start = size = 0
    pos = 0
    for u in units:
        us = sum(n_pieces(i) for i in u)
        if size + us > core and pos > start:
            cores.append((start, pos))
            start, size = pos, 0
        pos += len(u)
        size += us
    if pos > start:
        cores.append((start, pos))
    out = []
    for a, b in cores:
        lo, left = a, 0
        while lo > 0 and left + n_pieces(flat[lo - 1]) <= context:
            lo -= 1
            left += n_pieces(flat[lo])
        hi, right = b, 0
        while hi < len(flat) and right + n_pieces(flat[hi]) <= context:
            right += n_pieces(flat[hi])
            hi += 1
        toks = flat[lo:hi]
        ids, first, owner = [cls], [], [-1]
        for k, i in enumerate(toks):
            p = pieces(i)[:core]
            first.append(len(ids))
            ids.extend(p)
            owner.extend([k] * len(p))
        ids.append(sep)
        owner.append(-1)
        out.append(Window(ids, toks, first, owner, (a - lo, b - lo)))
    return out
