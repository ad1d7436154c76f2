"""Ingest: extract articles (in this process or in N worker processes) and store them.

Only this process writes to SQLite; workers each hold their own Reader and send
back plain report dicts. Work is handed out a chunk at a time with a bounded
number in flight, so a stream of millions of articles never sits in memory.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import sqlite3
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from sayso.corpus import schema, store
from sayso.errors import CorpusError, SaysoError
from sayso.model import Article, Report

log = logging.getLogger(__name__)

BATCH = 32


@dataclass
class IngestStats:
    added: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def ingest_articles(db_path: str | Path, articles: Iterable[Article | SaysoError], *, workers: int = 1,
                    reader=None, progress: bool = False, model: str | Path | None = "default",
                    batch_size: int = BATCH, total: int | None = None,
                    timeout: float | None = None, article_fn=None) -> IngestStats:
    """Extract and store articles; already stored ones (same URL or text) are skipped.

    ``articles`` may also carry SaysoErrors (as ``iter_inputs`` yields them): they
    are logged to the errors table and counted as failed. Each batch is one
    transaction, so a killed run loses at most the batch in flight. ``timeout``:
    seconds one article may take; one over it is stored as failed. A database that
    cannot be written (full disk, read-only file) ends the run with a CorpusError
    that says so. ``article_fn``: a test and extension hook, as in ``sayso.engine``
    (``(reader, article) -> Report``, e.g. ``engine.task.KillOn``), run on each article
    in place of the batched parse.
    """
    with _database_errors(db_path):
        con = schema.connect(db_path, create=True)
        stats = IngestStats()
        try:
            with _Progress(progress, total) as bar:
                todo = _fresh(con, articles, stats, bar)
                results = (_extract_here(todo, reader, model, batch_size, timeout, article_fn)
                           if workers <= 1 else
                           _extract_in_processes(todo, workers, model, batch_size, timeout, article_fn))
                for chunk, input_errors in results:
                    _store(con, chunk, input_errors, stats)
                    bar.advance(len(chunk))
            store.rebuild_speakers(con)
        finally:
            con.close()
    return stats


def ingest_reports(db_path: str | Path, pairs: Iterable[tuple[Article, Report | SaysoError]], *,
                   batch_size: int = 256) -> IngestStats:
    """Store precomputed (article, report) pairs, e.g. from a `sayso run` Parquet dataset;
    a pair whose report is an error (a row that cannot be read) is stored as failed."""
    with _database_errors(db_path):
        con = schema.connect(db_path, create=True)
        stats = IngestStats()
        try:
            chunk: list[tuple[Article, Any]] = []
            for art, rep in pairs:
                if not isinstance(rep, SaysoError) and store.seen(con, art):
                    stats.skipped += 1
                    continue
                chunk.append((art, rep.to_dict() if isinstance(rep, Report) else rep))
                if len(chunk) >= batch_size:
                    _store(con, chunk, [], stats)
                    chunk = []
            _store(con, chunk, [], stats)
            store.rebuild_speakers(con)
        finally:
            con.close()
    return stats


@contextmanager
def _database_errors(db_path: str | Path) -> Iterator[None]:
    """SQLite's errors while writing, as a CorpusError naming the file and the cause."""
    try:
        yield
    except sqlite3.Error as exc:
        msg = str(exc)
        hint = ("free some disk space" if "full" in msg else
                "make the file and its folder writable" if "readonly" in msg or "read-only" in msg else
                "check the file")
        raise CorpusError(f"{db_path}: cannot be written: {msg}; {hint} and run again (the articles "
                          f"stored before it are kept)") from None


def _store(con, chunk: list[tuple[Article, Any]], input_errors: list[SaysoError], stats: IngestStats) -> None:
    good = [(a, r) for a, r in chunk if isinstance(r, dict)]
    errs = [(a.path or a.id, a.id, str(r)) for a, r in chunk if not isinstance(r, dict)]
    errs += [(getattr(e, "source", None), None, str(e)) for e in input_errors]
    if not good and not errs:
        return
    stored = store.write_batch(con, good, errs)
    stats.added += len(stored)
    stats.skipped += len(good) - len(stored)
    stats.failed += len(errs)
    stats.errors += [m for _, _, m in errs]


def _fresh(con, items: Iterable[Article | SaysoError], stats: IngestStats,
           bar: "_Progress") -> Iterator[Article | SaysoError]:
    """Articles not yet stored and not seen earlier in this run; errors pass through."""
    keys: set[str] = set()
    for item in items:
        if isinstance(item, SaysoError):
            yield item
            continue
        h = store.text_hash(item.text)
        if h in keys or (item.url and item.url in keys) or store.seen(con, item):
            stats.skipped += 1
            bar.advance(1)
            continue
        keys.add(h)
        if item.url:
            keys.add(item.url)
        yield item


def _chunks(items: Iterator[Article | SaysoError], size: int) -> Iterator[tuple[list[Article], list[SaysoError]]]:
    arts: list[Article] = []
    errs: list[SaysoError] = []
    for item in items:
        (errs if isinstance(item, SaysoError) else arts).append(item)
        if len(arts) >= size:
            yield arts, errs
            arts, errs = [], []
    if arts or errs:
        yield arts, errs


def _extract_here(items, reader, model, batch_size, timeout=None, article_fn=None):
    if reader is None:
        from sayso.reader import Reader
        reader = Reader(model=model)
    reader.timeout = timeout
    for arts, errs in _chunks(items, batch_size):
        yield [(a, r.to_dict() if isinstance(r, Report) else r)
               for a, r in _pipe(reader, arts, article_fn)], errs


def _pipe(reader, arts: list[Article], article_fn=None):
    """(article, report or error) for each article: the reader's batched parse, or the hook."""
    if article_fn is None:
        return reader.pipe(arts)
    return ((a, reader._guarded(lambda art: article_fn(reader, art), a)) for a in arts)


_reader = None
_article_fn = None


def _init_worker(model, timeout, parent: int, article_fn=None) -> None:
    global _reader, _article_fn
    from sayso.engine.local import watch_parent
    from sayso.reader import Reader
    watch_parent(parent)
    _reader = Reader(model=model, timeout=timeout)
    _article_fn = article_fn


def _work(arts: list[Article]) -> list[tuple[Article, Any]]:
    out = []
    for a, r in _pipe(_reader, arts, _article_fn):
        out.append((a, r.to_dict() if isinstance(r, Report) else str(r)))
    return out


def _extract_in_processes(items, workers: int, model, batch_size: int, timeout=None, article_fn=None):
    """Chunks of articles to a pool of processes; results come back in input order.

    A worker that dies (out of memory, kill -9) breaks the pool: the chunks in flight are
    then run again one article at a time in a fresh pool, so the article that kills its
    worker is stored as failed and the others are stored; then the run goes on."""
    import concurrent.futures as cf
    from concurrent.futures.process import BrokenProcessPool

    ctx = mp.get_context("spawn" if mp.get_start_method(allow_none=True) == "spawn" else "forkserver")

    def pool(n: int):
        return cf.ProcessPoolExecutor(n, mp_context=ctx, initializer=_init_worker,
                                      initargs=(model, timeout, os.getpid(), article_fn))

    size = max(1, min(batch_size, 16))
    ex = pool(workers)
    pending: deque = deque()

    def oldest() -> list:
        """The oldest chunk's results; if its worker died, every chunk in flight, one by one."""
        nonlocal ex
        fut, arts, errs = pending.popleft()
        try:
            return [(_wrap(fut.result()), errs)]
        except BrokenProcessPool:
            ex.shutdown(wait=False, cancel_futures=True)
            lost = [(arts, errs)] + [(a, e) for _, a, e in pending]
            pending.clear()
            out = list(_one_by_one(lost, pool, BrokenProcessPool))
            ex = pool(workers)
            return out

    try:
        for arts, errs in _chunks(items, size):
            pending.append((ex.submit(_work, arts), arts, errs))
            while len(pending) > 2 * workers or (pending and pending[0][0].done()):
                yield from oldest()
        while pending:
            yield from oldest()
    finally:
        ex.shutdown(cancel_futures=True)


def _one_by_one(lost, pool, broken):
    """Each article of the lost chunks alone in a one-process pool: one that breaks it is the
    one that kills its worker."""
    ex = pool(1)
    try:
        for arts, errs in lost:
            out = []
            for art in arts:
                try:
                    out += _wrap(ex.submit(_work, [art]).result())
                except broken:
                    log.error("article %s killed its worker process; stored as failed", art.id)
                    out.append((art, SaysoError(f"{art.path or art.id}: extraction killed its worker "
                                                f"process (out of memory?); skipped")))
                    ex.shutdown(wait=False, cancel_futures=True)
                    ex = pool(1)
            yield out, errs
    finally:
        ex.shutdown(cancel_futures=True)


def _wrap(out: list[tuple[Article, Any]]) -> list[tuple[Article, Any]]:
    return [(a, r if isinstance(r, dict) else SaysoError(r)) for a, r in out]


class _Progress:
    """A rich progress bar with articles/second on stderr, or nothing."""

    def __init__(self, show: bool, total: int | None):
        self.show, self.total, self.bar = show, total, None

    def __enter__(self) -> "_Progress":
        if self.show:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn)
            self.bar = Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[rate]} articles/s"), TimeElapsedColumn(),
                                console=Console(stderr=True), transient=False)
            self.bar.start()
            self.task = self.bar.add_task("ingest", total=self.total, rate="-")
        return self

    def advance(self, n: int) -> None:
        if self.bar is not None and n:
            self.bar.advance(self.task, n)
            speed = self.bar.tasks[0].speed
            self.bar.update(self.task, rate=f"{speed:.1f}" if speed else "-")

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
