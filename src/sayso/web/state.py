"""What the web app holds between requests: one Reader, the corpus path, the limits.

The Reader (spaCy) is loaded once and shared; extraction runs one article at a
time, since a spaCy pipeline is not promised to be thread-safe, in one thread that
takes requests first come, first served (a lock would let a client jump the
queue), each within ``timeout`` seconds, and at most MAX_WAITING wait their turn.
The corpus is opened per request thread, because SQLite connections belong to
the thread that made them.
"""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sayso.limits import run_limited
from sayso.model import Article, Report


class NoCorpus(Exception):
    """The server was started without ``--db``."""


#: seconds one extraction may take in the web app (a long article takes a few)
WEB_TIMEOUT = 30.0
#: extractions waiting their turn at most; past it a request gets a 503 at once
MAX_WAITING = 64


class Busy(Exception):
    """More extractions are waiting than MAX_WAITING; the app answers 503."""


class WebState:
    def __init__(self, *, db_path: str | Path | None, reader: Any | None, max_body: int,
                 timeout: float | None = WEB_TIMEOUT):
        self.db_path = Path(db_path) if db_path is not None else None
        self.max_body = max_body
        self.timeout = timeout
        self._reader = reader
        self._reader_lock = threading.Lock()
        self._extractor = ThreadPoolExecutor(1, thread_name_prefix="sayso-extract")
        self._waiting = 0
        self._waiting_lock = threading.Lock()
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
        """One article's report, in turn (blocking; see ``extract_async``)."""
        return self._submit(article).result()

    async def extract_async(self, article: Article) -> Report:
        return await asyncio.wrap_future(self._submit(article))

    def _submit(self, article: Article) -> Future:
        with self._waiting_lock:
            if self._waiting >= MAX_WAITING:
                raise Busy()
            self._waiting += 1
        try:
            return self._extractor.submit(self._run, article)
        except BaseException:
            self._done()
            raise

    def _run(self, article: Article) -> Report:
        try:
            reader = self.reader()
            return run_limited(self.timeout, reader.extract_article, article, what="article")
        finally:
            self._done()

    def _done(self) -> None:
        with self._waiting_lock:
            self._waiting -= 1

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
