"""What the web app holds between requests: one Reader, the corpus path, the limits.

The Reader (spaCy) is loaded once and shared; extraction runs one article at a
time behind a lock, since a spaCy pipeline is not promised to be thread-safe.
The corpus is opened per request thread, because SQLite connections belong to
the thread that made them.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sayso.model import Article, Report


class NoCorpus(Exception):
    """The server was started without ``--db``."""


class WebState:
    def __init__(self, *, db_path: str | Path | None, reader: Any | None, max_body: int):
        self.db_path = Path(db_path) if db_path is not None else None
        self.max_body = max_body
        self._reader = reader
        self._reader_lock = threading.Lock()
        self._extract_lock = threading.Lock()
        self._local = threading.local()

    @property
    def has_corpus(self) -> bool:
        return self.db_path is not None

    def reader(self) -> Any:
        """The shared Reader, loaded on first use when none was given."""
        if self._reader is None:
            with self._reader_lock:
                if self._reader is None:
                    from sayso.reader import Reader
                    self._reader = Reader()
        return self._reader

    def extract(self, article: Article) -> Report:
        reader = self.reader()
        with self._extract_lock:
            return reader.extract_article(article)

    @contextmanager
    def corpus(self) -> Iterator[Any]:
        """This thread's open Corpus; raises NoCorpus when the server has none."""
        if self.db_path is None:
            raise NoCorpus()
        corpus = getattr(self._local, "corpus", None)
        if corpus is None:
            from sayso.corpus import Corpus
            corpus = Corpus.open(self.db_path)
            self._local.corpus = corpus
        yield corpus
