"""What the web app holds between requests: one Reader, the corpus path, the limits.

The Reader (spaCy) is loaded once and shared; extraction runs one article at a
time, since a spaCy pipeline is not promised to be thread-safe, in one thread that
takes the waiting articles shortest first, a longer one moving up as it waits
(AGING characters a second, so none waits forever): a client sending long or hostile
articles over and over cannot hold the others behind every one of them, as a lock or a
first-come queue let it. Each runs within ``timeout`` seconds; at most MAX_WAITING wait.
The corpus is opened per request thread, because SQLite connections belong to
the thread that made them.
"""
from __future__ import annotations

import asyncio
import itertools
import threading
import time
from concurrent.futures import Future
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
#: characters a second a waiting article gains on shorter ones (a 10 KB one waits at most
#: about 10 s behind a stream of short ones; the cost of an article grows with its length)
AGING = 1000.0


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
        self._queue: list[tuple[float, int, Article, Future]] = []  # (arrived, seq, article, future)
        self._seq = itertools.count()
        self._ready = threading.Condition()
        self._worker: threading.Thread | None = None
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
        fut: Future = Future()
        with self._ready:
            if len(self._queue) >= MAX_WAITING:
                raise Busy()
            self._queue.append((time.monotonic(), next(self._seq), article, fut))
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="sayso-extract", daemon=True)
                self._worker.start()
            self._ready.notify()
        return fut

    def _next(self) -> tuple[Article, Future]:
        """The waiting article to read next: the shortest, counting AGING per second waited."""
        with self._ready:
            while not self._queue:
                self._ready.wait()
            now = time.monotonic()
            job = min(self._queue, key=lambda j: (len(j[2].text) - AGING * (now - j[0]), j[1]))
            self._queue.remove(job)
        return job[2], job[3]

    def _work(self) -> None:
        while True:
            article, fut = self._next()
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                reader = self.reader()
                fut.set_result(run_limited(self.timeout, reader.extract_article, article, what="article"))
            except BaseException as exc:  # the request gets it; the thread goes on
                fut.set_exception(exc)

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
