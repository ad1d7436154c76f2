"""Drives one `sayso run`: stream inputs into partitions, skip the done ones, run the rest."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from sayso.engine import manifest
from sayso.engine.dask import DaskEngine
from sayso.engine.local import LocalEngine
from sayso.engine.partition import DEFAULT_SIZE, partitions
from sayso.engine.sources import iter_sources
from sayso.engine.task import ArticleFn, Job, Outcome, run_job
from sayso.errors import SaysoError
from sayso.inputs.text import MAX_BYTES
from sayso.model import Article

log = logging.getLogger(__name__)

ENGINES = ("local", "dask")


@dataclass
class RunStats:
    """What one run did (this run's counts) and the dataset's manifest after it."""
    out: str
    engine: str
    partitions: int = 0
    skipped: int = 0
    written: int = 0
    articles: int = 0
    failures: list[dict] = field(default_factory=list)
    #: partitions whose task failed as a whole (worker lost, disk full): left undone for a rerun
    partition_errors: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    bytes: int = 0
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.summary.get("failed") and self.summary.get("complete", False)


def make_engine(engine: str, *, scheduler: str | None = None, workers: int | None = None):
    """An engine by name; enter it (``with``) to start or join its workers."""
    if engine == "local":
        if scheduler:
            raise ValueError("--scheduler needs --engine dask")
        return LocalEngine(workers or 1)
    if engine == "dask":
        return DaskEngine(scheduler, workers)
    raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


def run(paths: list[str], out: str | Path, *, max_bytes: int = MAX_BYTES, **options) -> RunStats:
    """Extract every article under ``paths`` into the Parquet dataset ``out``."""
    return run_articles(iter_sources(paths, max_bytes=max_bytes), out, **options)


def run_articles(items: Iterable[Article | SaysoError], out: str | Path, *,
                 engine: str | Any = "local", scheduler: str | None = None,
                 workers: int | None = None, model: str | None = "default",
                 partition_size: int = DEFAULT_SIZE, article_fn: ArticleFn | None = None,
                 on_partition: Callable[[Outcome | dict], None] | None = None) -> RunStats:
    """Run an article stream through an engine (a name, or an engine already entered).

    A partition already written completely for the same inputs is skipped; an article
    that fails is recorded in the manifest and the rest go on.
    """
    out = Path(out)
    model = None if model is None else str(model)
    manifest.check_dataset(out, partition_size, model)
    if n := manifest.remove_temp(out):
        log.info("removed %d half-written file(s) left by a killed run", n)
    own = isinstance(engine, str)
    eng = make_engine(engine, scheduler=scheduler, workers=workers) if own else engine
    stats = RunStats(out=str(out), engine=getattr(eng, "name", str(engine)))
    parts: list[str] = []
    t0 = time.perf_counter()

    def todo() -> Iterable[Job]:
        for part in partitions(items, partition_size):
            parts.append(part.name)
            stats.partitions += 1
            if manifest.is_done(out, part.name, part.fingerprint):
                stats.skipped += 1
                continue
            yield Job(part, str(out), model, article_fn)

    if own:
        eng.__enter__()
    try:
        stats.engine = eng.describe()
        for job, result in eng.map_unordered(run_job, todo()):
            if isinstance(result, BaseException):
                err = {"partition": job.partition.name, "error": type(result).__name__,
                       "reason": f"{type(result).__name__}: {result}",
                       "articles": len(job.partition.articles)}
                log.error("partition %s failed: %s", job.partition.name, err["reason"])
                stats.partition_errors.append(err)
                if on_partition:
                    on_partition(err)
                continue
            stats.written += 1
            stats.articles += result.ok
            stats.bytes += result.bytes
            stats.failures.extend({"partition": result.part, **f} for f in result.failures)
            if on_partition:
                on_partition(result)
    finally:
        if own:
            eng.__exit__(None, None, None)
    stats.seconds = time.perf_counter() - t0
    if not stats.partition_errors:
        for part in manifest.remove_stale(out, set(parts)):
            log.info("removed %s, left by an earlier run over more input", part)
    stats.summary = manifest.summarize(out, parts, {
        "partition_size": partition_size, "model": model,
        "partition_errors": stats.partition_errors})
    return stats


__all__ = ["ENGINES", "RunStats", "make_engine", "run", "run_articles"]
