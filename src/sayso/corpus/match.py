"""Same statement across articles: MinHash signatures and LSH bands kept in SQLite.

A quote's wording is normalised (case, quote marks, dashes, spacing), cut into
word 2-shingles and summarised by a datasketch MinHash. The signature is split
into bands (``BANDS`` x ``ROWS``); quotes sharing
any band key are candidates (the LSH step, so no quote is compared with every
other), and a candidate joins the group when the word sequences agree: a
similarity ratio of at least ``MIN_RATIO`` ("will not" / "won't" still match),
or the shorter quote, of at least ``MIN_PART_WORDS`` words, lying almost whole
inside the longer one (an outlet that quoted part of the statement). Bands live
in a table with a primary key, so a new batch finds its candidates with index
look-ups and groups grow incrementally inside the batch's transaction.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from typing import Iterable

import numpy as np

NUM_PERM = 96
#: candidates whose estimated Jaccard (from the signatures) is below this are not compared
MIN_JACCARD = 0.25
SHINGLE = 2
MIN_RATIO = 0.7
MIN_PART_WORDS = 8
#: direct and mixed quotes of at least this many words are matched across articles
MIN_WORDS = 5
KINDS = ("direct", "mixed")

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'",
                         "‚": "'", "‹": "'", "›": "'", "–": "-", "—": "-", "―": "-", "\u00a0": " "})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


#: 32 bands of 3 rows: a pair with Jaccard 0.5 becomes a candidate with probability 0.986,
#: 0.4 with 0.87, 0.1 with 0.03 (1 - (1 - J**ROWS) ** BANDS)
BANDS, ROWS = 32, 3


def normalise(text: str) -> str:
    """The wording of a quote, for comparing: case, marks, accents and spacing folded."""
    t = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(_WORD.findall(t))


def eligible(kind: str, norm: str) -> bool:
    return kind in KINDS and norm.count(" ") + 1 >= MIN_WORDS


def shingles(norm: str) -> set[str]:
    words = norm.split()
    if len(words) < SHINGLE:
        return {norm}
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def signature(norm: str) -> np.ndarray:
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode("utf-8") for s in shingles(norm)])
    return m.hashvalues.astype(np.uint32)  # datasketch hash values fit 32 bits


def band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    return [(b, _key(sig[b * ROWS:(b + 1) * ROWS].tobytes())) for b in range(BANDS)]


def _key(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def same_statement(a: str, b: str) -> bool:
    """Whether two normalised quotes are the same statement, worded alike or nearly so."""
    if a == b:
        return True
    from difflib import SequenceMatcher

    wa, wb = a.split(), b.split()
    sm = SequenceMatcher(None, wa, wb, autojunk=False)
    if sm.ratio() >= MIN_RATIO:
        return True
    short = min(len(wa), len(wb))
    matched = sum(bl.size for bl in sm.get_matching_blocks())
    return short >= MIN_PART_WORDS and matched >= 0.9 * short


def add_quotes(con: sqlite3.Connection, quotes: Iterable[tuple[int, str, np.ndarray]]) -> None:
    """Store signatures of new quotes (attribution id, normalised text, signature) and group them.

    Runs inside the caller's transaction. A quote's group id is the smallest
    attribution id in its group; when a quote links two groups they merge.
    """
    for qid, norm, sig in quotes:
        nkey = _key(norm.encode("utf-8"))
        same = con.execute("SELECT a.group_id FROM quote_sigs s JOIN attributions a ON a.id = s.attribution_id "
                           "WHERE s.norm_key = ? AND s.norm = ? LIMIT 1", (nkey, norm)).fetchone()
        if same is not None:  # worded exactly like a stored quote: its group, no bands needed
            con.execute("INSERT INTO quote_sigs(attribution_id, norm, norm_key, sig) VALUES (?, ?, ?, NULL)",
                        (qid, norm, nkey))
            con.execute("UPDATE attributions SET group_id = ? WHERE id = ?", (same[0], qid))
            continue
        keys = band_keys(sig)
        cands: set[int] = set()
        for b, k in keys:
            cands.update(r[0] for r in con.execute(
                "SELECT attribution_id FROM quote_bands WHERE band = ? AND key = ?", (b, k)))
        groups = {qid}
        if cands:
            marks = ",".join("?" * len(cands))
            for other, onorm, osig, gid in con.execute(
                    f"SELECT s.attribution_id, s.norm, s.sig, a.group_id FROM quote_sigs s "
                    f"JOIN attributions a ON a.id = s.attribution_id "
                    f"WHERE s.attribution_id IN ({marks}) AND s.sig IS NOT NULL", tuple(cands)):
                est = float(np.mean(np.frombuffer(osig, dtype=np.uint32) == sig))
                if est >= MIN_JACCARD and same_statement(norm, onorm):
                    groups.add(gid if gid is not None else other)
        gid = min(groups)
        con.execute("INSERT INTO quote_sigs(attribution_id, norm, norm_key, sig) VALUES (?, ?, ?, ?)",
                    (qid, norm, nkey, sig.tobytes()))
        con.executemany("INSERT OR IGNORE INTO quote_bands(band, key, attribution_id) VALUES (?, ?, ?)",
                        [(b, k, qid) for b, k in keys])
        con.execute("UPDATE attributions SET group_id = ? WHERE id = ?", (gid, qid))
        for old in groups - {gid, qid}:
            con.execute("UPDATE attributions SET group_id = ? WHERE group_id = ?", (gid, old))
