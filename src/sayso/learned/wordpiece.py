"""BERT's uncased WordPiece tokenizer, applied to spaCy tokens one at a time.

Why our own: the encoder tags spaCy tokens (the stages, the rules and the offsets all
speak in them), so each token is split into word pieces on its own and every piece
knows its token; no alignment between two tokenizations is ever guessed. It is the
algorithm of BERT's ``BasicTokenizer`` + ``WordpieceTokenizer`` for an uncased
vocabulary (lower case, accents stripped, punctuation split off, greedy longest match
first), reading the model's ``vocab.txt``; no dependency, nothing downloaded.
"""
from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

UNK, CLS, SEP, PAD = "[UNK]", "[CLS]", "[SEP]", "[PAD]"
#: BERT maps a word longer than this to [UNK]
MAX_WORD_CHARS = 100


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_words(text: str) -> list[str]:
    """BERT's basic tokenization of ``text``: cleaned, lower-cased, accents stripped,
    split on whitespace, punctuation and CJK characters."""
    out: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        if cur:
            out.append("".join(cur))
            cur.clear()

    for ch in unicodedata.normalize("NFD", text.lower()):
        cp = ord(ch)
        cat = unicodedata.category(ch)
        if cp == 0 or cp == 0xFFFD or (cat.startswith("C") and ch not in "\t\n\r"):
            continue
        if cat == "Mn":
            continue
        if ch.isspace() or cat == "Zs":
            flush()
        elif _is_punct(ch) or _is_cjk(cp):
            flush()
            out.append(ch)
        else:
            cur.append(ch)
    flush()
    return out


class WordPiece:
    """``pieces(token_text)`` -> vocabulary ids (at least one: [UNK] when nothing is left)."""

    def __init__(self, vocab: dict[str, int]):
        self.vocab = vocab
        self.unk, self.cls = vocab[UNK], vocab[CLS]
        self.sep, self.pad = vocab[SEP], vocab[PAD]
        self.pieces = functools.lru_cache(maxsize=200_000)(self._pieces)

    @classmethod
    def from_file(cls, path: Path) -> "WordPiece":
        lines = Path(path).read_text(encoding="utf-8").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return cls({w: i for i, w in enumerate(lines)})

    def _pieces(self, text: str) -> tuple[int, ...]:
        ids: list[int] = []
        for word in basic_words(text):
            ids.extend(self._word(word))
        return tuple(ids) or (self.unk,)

    def _word(self, word: str) -> list[int]:
        if len(word) > MAX_WORD_CHARS:
            return [self.unk]
        out, start, n = [], 0, len(word)
        while start < n:
            end = n
            hit = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                hit = self.vocab.get(piece)
                if hit is not None:
                    break
                end -= 1
            if hit is None:
                return [self.unk]
            out.append(hit)
            start = end
        return out
