"""Reader: holds the spaCy pipeline (and the trained model) and extracts reports."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable, Iterator

from sayso import nlp as nlp_mod
from sayso.errors import InputError, SaysoError
from sayso.extract import pipeline
from sayso.inputs.text import check_text
from sayso.model import Article, Report

log = logging.getLogger(__name__)


class Reader:
    """Loads the model once; ``extract`` and ``pipe`` reuse it.

    ``model``: "default" uses the default model shipped in the package (the fine-tuned
    encoder), a shipped model's name ("crf", "encoder") or a model dir's path selects
    another, ``None`` runs the rules alone.
    """

    def __init__(self, *, model: str | Path | None = "default", batch_size: int = 16):
        self.nlp = nlp_mod.load()
        self.batch_size = batch_size
        self.learned = None
        if model is not None:
            from sayso import learned
            self.learned = learned.load(model, required=str(model) != "default")

    def extract(self, text: str, **metadata) -> Report:
        """Extract one article's report from its text; metadata fills ``document``."""
        return self.extract_article(Article(text=text, **metadata))

    def extract_article(self, article: Article) -> Report:
        check_text(article.text, article.path or article.id or "<input>")
        return self._report(article, self.nlp(article.text))

    def pipe(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Report | SaysoError]]:
        """Yield (article, report) in input order; a bad article yields its error instead."""
        good: list[Article] = []
        for art in articles:
            try:
                check_text(art.text, art.path or art.id or "<input>")
            except InputError as exc:
                yield from self._flush(good)
                good = []
                yield art, exc
                continue
            good.append(art)
            if len(good) >= self.batch_size:
                yield from self._flush(good)
                good = []
        yield from self._flush(good)

    def _flush(self, arts: list[Article]) -> Iterator[tuple[Article, Report | SaysoError]]:
        if not arts:
            return
        docs = self.nlp.pipe([a.text for a in arts], batch_size=self.batch_size)
        for art, doc in zip(arts, docs):
            try:
                yield art, self._report(art, doc)
            except Exception as exc:  # one broken article never ends a batch
                log.exception("extraction failed on %s", art.id or art.path)
                yield art, SaysoError(f"{art.path or art.id}: extraction failed: {exc!r}")

    def _report(self, article: Article, doc) -> Report:
        extra = self.learned.add_candidates if self.learned is not None else None
        return pipeline.run(article.text, doc, article.document(), extra=extra)


_default: Reader | None = None


def default_reader() -> Reader:
    global _default
    if _default is None:
        _default = Reader()
    return _default


def extract(text: str, **metadata) -> Report:
    """Extract the report of one article with the shared default Reader."""
    return default_reader().extract(text, **metadata)
