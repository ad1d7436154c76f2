"""Reader: holds the spaCy pipeline (and the trained model) and extracts reports."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable, Iterator

from sayso import nlp as nlp_mod
from sayso.errors import InputError, SaysoError
from sayso.extract import pipeline
from sayso.inputs.text import check_text
from sayso.limits import run_limited
from sayso.model import Article, Report

log = logging.getLogger(__name__)


class Reader:
    """Loads the model once; ``extract`` and ``pipe`` reuse it.

    ``model``: "default" uses the default model shipped in the package (the CRF model)
    when present, a shipped model's name ("crf", "encoder") or a model dir's path selects
    another, ``None`` runs the rules alone. ``timeout``: seconds one
    article may take (``None``: no limit); an article over it fails with
    TimeLimitError and the others go on.
    """

    def __init__(self, *, model: str | Path | None = "default", batch_size: int = nlp_mod.BATCH_DOCS,
                 timeout: float | None = None):
        self.nlp = nlp_mod.load()
        self.batch_size = batch_size
        self.timeout = timeout
        self.learned = None
        if model is not None:
            from sayso import learned
            self.learned = learned.load(model, required=str(model) != "default")

    def extract(self, text: str, **metadata) -> Report:
        """Extract one article's report from its text; metadata fills ``document``."""
        return self.extract_article(Article(text=text, **metadata))

    def extract_article(self, article: Article) -> Report:
        """One article's report; its parse and stages together within ``timeout``."""
        check_text(article.text, _name(article))
        return run_limited(self.timeout, self._parse_and_report, article, what=_name(article))

    def parse(self, text: str):
        """The spaCy Doc of one text (long texts parsed in bounded pieces, see nlp.pipe)."""
        return nlp_mod.parse(self.nlp, text)

    def pipe(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Report | SaysoError]]:
        """Yield (article, report) in input order; a bad article yields its error instead.

        Streams: short articles are parsed a bounded batch at a time (``batch_size``
        articles, ``nlp.BATCH_CHARS`` characters) and each doc is dropped once its report
        is made; a long one is parsed alone, in pieces. ``timeout`` covers an article's
        stages, and its parse too when it is parsed alone.
        """
        batch: list[tuple[Article, InputError | None]] = []
        size = 0
        for art in articles:
            try:
                check_text(art.text, _name(art))
            except InputError as exc:
                batch.append((art, exc))
                continue
            if nlp_mod.needs_pieces(art.text):
                yield from self._flush(batch)
                batch, size = [], 0
                yield art, self._guarded(self._parse_and_report, art)
                continue
            if size + len(art.text) > nlp_mod.BATCH_CHARS or \
                    sum(1 for _, e in batch if e is None) >= self.batch_size:
                yield from self._flush(batch)
                batch, size = [], 0
            batch.append((art, None))
            size += len(art.text)
        yield from self._flush(batch)

    def _flush(self, batch: list[tuple[Article, InputError | None]]
               ) -> Iterator[tuple[Article, Report | SaysoError]]:
        good = [a for a, e in batch if e is None]
        docs = nlp_mod.pipe(self.nlp, [a.text for a in good], batch_docs=max(1, len(good)))
        for art, exc in batch:
            if exc is not None:
                yield art, exc
            else:
                yield art, self._guarded(self._report, art, next(docs))

    def _guarded(self, fn, art: Article, *args) -> Report | SaysoError:
        """One article's work within the time limit; its failure returned, never raised."""
        try:
            return run_limited(self.timeout, fn, art, *args, what=_name(art))
        except SaysoError as exc:
            return exc
        except Exception as exc:  # one broken article never ends a batch
            log.exception("extraction failed on %s", _name(art))
            return SaysoError(f"{_name(art)}: extraction failed: {exc!r}")

    def _parse_and_report(self, article: Article) -> Report:
        return self._report(article, self.parse(article.text))

    def _report(self, article: Article, doc) -> Report:
        extra = self.learned.add_candidates if self.learned is not None else None
        return pipeline.run(article.text, doc, article.document(), extra=extra)


def _name(article: Article) -> str:
    return article.path or article.id or "<input>"


_default: Reader | None = None


def default_reader() -> Reader:
    global _default
    if _default is None:
        _default = Reader()
    return _default


def extract(text: str, **metadata) -> Report:
    """Extract the report of one article with the shared default Reader."""
    return default_reader().extract(text, **metadata)
