"""Ingest: extract articles (in this process or in N worker processes) and store them.

Only this process writes to SQLite; workers each hold their own Reader and send
back plain report dicts. Work is handed out a chunk at a time with a bounded
number in flight, so a stream of millions of articles never sits in memory.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from sayso.corpus import schema, store
from sayso.errors import SaysoError
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
                    batch_size: int = BATCH, total: int | None = None) -> IngestStats:
    """Extract and store articles; already stored ones (same URL or text) are skipped.

    ``articles`` may also carry SaysoErrors (as ``iter_inputs`` yields them): they
    are logged to the errors table and counted as failed. Each batch is one
    transaction, so a killed run loses at most the batch in flight.
    """
    con = schema.connect(db_path, create=True)
    stats = IngestStats()
    try:
        with _Progress(progress, total) as bar:
            todo = _fresh(con, articles, stats, bar)
            results = (_extract_here(todo, reader, model, batch_size) if workers <= 1 else
                       _extract_in_processes(todo, workers, model, batch_size))
            for chunk, input_errors in results:
                _store(con, chunk, input_errors, stats)
                bar.advance(len(chunk))
        store.rebuild_speakers(con)
    finally:
        con.close()
    return stats


def ingest_reports(db_path: str | Path, pairs: Iterable[tuple[Article, Report]], *,
                   batch_size: int = 256) -> IngestStats:
    """Store precomputed (article, report) pairs, e.g. from a `sayso run` Parquet dataset."""
    con = schema.connect(db_path, create=True)
    stats = IngestStats()
    try:
        chunk: list[tuple[Article, Any]] = []
        for art, rep in pairs:
            if store.seen(con, art):
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


def _extract_here(items, reader, model, batch_size):
    if reader is None:
        from sayso.reader import Reader
        reader = Reader(model=model)
    for arts, errs in _chunks(items, batch_size):
        yield [(a, r.to_dict() if isinstance(r, Report) else r) for a, r in reader.pipe(arts)], errs


_reader = None


def _init_worker(model) -> None:
    global _reader
    from sayso.reader import Reader
    _reader = Reader(model=model)


def _work(arts: list[Article]) -> list[tuple[Article, Any]]:
    out = []
    for a, r in _reader.pipe(arts):
        out.append((a, r.to_dict() if isinstance(r, Report) else str(r)))
    return out


def _extract_in_processes(items, workers: int, model, batch_size: int):
    """Chunks of articles to a pool of processes; results come back in input order."""
    ctx = mp.get_context("spawn" if mp.get_start_method(allow_none=True) == "spawn" else "forkserver")
    size = max(1, min(batch_size, 16))
    with ctx.Pool(workers, initializer=_init_worker, initargs=(model,)) as pool:
        pending: deque = deque()
        for arts, errs in _chunks(items, size):
            pending.append((pool.apply_async(_work, (arts,)), errs))
            while len(pending) > 2 * workers:
                res, e = pending.popleft()
                yield _wrap(res.get()), e
        while pending:
            res, e = pending.popleft()
            yield _wrap(res.get()), e


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
