"""Drives one `sayso run`: stream inputs into partitions, skip the done ones, run the rest."""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from sayso.engine import manifest
from sayso.engine.dask import DaskEngine
from sayso.engine.local import LocalEngine, WorkerDied
from sayso.engine.partition import DEFAULT_SIZE, partitions
from sayso.engine.sources import iter_sources
from sayso.engine.task import ArticleFn, Job, Outcome, run_job
from sayso.errors import InputError, SaysoError
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


def run(paths: list[str], out: str | Path, *, max_bytes: int = MAX_BYTES,
        partition_size: int | None = DEFAULT_SIZE, workers: int | None = None, **options) -> RunStats:
    """Extract every article under ``paths`` into the Parquet dataset ``out``.

    ``partition_size=None`` sizes partitions from the inputs and the workers (``auto_size``),
    or takes the size an existing dataset in ``out`` was written with.
    """
    if partition_size is None:
        partition_size = manifest.recorded_size(out) or auto_size(paths, workers or 1)
    return run_articles(iter_sources(paths, max_bytes=max_bytes), out, partition_size=partition_size,
                        workers=workers, **options)


#: partitions an automatic size aims for per worker (a slow partition then holds no worker
#: idle for long), and the sizes it stays within: thousands of articles on a big input
PARTS_PER_WORKER = 4
AUTO_MIN, AUTO_MAX = 1, 2000
#: bytes per article, to estimate how many a JSON Lines or WARC file holds without reading it
BYTES_PER_ARTICLE = {"jsonl": 4_000, "warc": 25_000}


def auto_size(paths: list[str], workers: int) -> int:
    """A partition size for ``paths`` on ``workers`` workers, from the files' count and
    sizes (stat only, nothing read): every worker gets work on a small input, and a big
    one gets partitions of up to AUTO_MAX articles."""
    from sayso.inputs.files import kind_of, _walk
    import glob
    estimate = 0
    for raw in paths:
        if raw == "-":
            return DEFAULT_SIZE
        matches = [raw] if not glob.has_magic(raw) else sorted(glob.glob(raw, recursive=True))
        for m in matches:
            p = Path(m)
            files = [f for f in _walk(p) if isinstance(f, Path)] if p.is_dir() else [p]
            for f in files:
                kind = kind_of(f)
                try:
                    size = f.stat().st_size
                except OSError:
                    size = 0
                estimate += max(1, size // BYTES_PER_ARTICLE[kind]) if kind in BYTES_PER_ARTICLE else 1
    return max(AUTO_MIN, min(AUTO_MAX, -(-estimate // (workers * PARTS_PER_WORKER))))


#: how often a partition may lose its worker before it is left undone for a rerun
MAX_DEATHS = 4


def run_articles(items: Iterable[Article | SaysoError], out: str | Path, *,
                 engine: str | Any = "local", scheduler: str | None = None,
                 workers: int | None = None, model: str | None = "default",
                 partition_size: int = DEFAULT_SIZE, article_fn: ArticleFn | None = None,
                 timeout: float | None = None,
                 on_partition: Callable[[Outcome | dict], None] | None = None) -> RunStats:
    """Run an article stream through an engine (a name, or an engine already entered).

    A partition already written completely for the same inputs is skipped; an article
    that fails is recorded in the manifest and the rest go on. The output folder is
    locked for the run: a second run into it is refused while this one works. An
    article that kills its worker process (out of memory) is found by running its
    partition again alone, and recorded as failed; the partition is then completed.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder; choose a folder for --out", str(out))
    model = None if model is None else str(model)
    with manifest.lock(out):
        return _run_locked(items, out, engine, scheduler, workers, model, partition_size, article_fn,
                           timeout, on_partition)


def _run_locked(items, out: Path, engine, scheduler, workers, model, partition_size, article_fn,
                timeout, on_partition) -> RunStats:
    manifest.check_dataset(out, partition_size, model)
    if n := manifest.remove_temp(out):
        log.info("removed %d half-written file(s) left by a killed run", n)
    own = isinstance(engine, str)
    eng = make_engine(engine, scheduler=scheduler, workers=workers) if own else engine
    stats = RunStats(out=str(out), engine=getattr(eng, "name", str(engine)))
    parts: list[str] = []
    t0 = time.perf_counter()

    def todo() -> Iterable[Job]:
        for part in partitions(unique_ids(items), partition_size):
            parts.append(part.name)
            stats.partitions += 1
            if manifest.is_done(out, part.name, part.fingerprint):
                stats.skipped += 1
                continue
            yield Job(part, str(out), model, article_fn, timeout)

    def failed(job: Job, result: BaseException) -> None:
        err = {"partition": job.partition.name, "error": type(result).__name__,
               "reason": f"{type(result).__name__}: {result}",
               "articles": len(job.partition.articles)}
        log.error("partition %s failed: %s", job.partition.name, err["reason"])
        stats.partition_errors.append(err)
        if on_partition:
            on_partition(err)

    def done(result: Outcome) -> None:
        stats.written += 1
        stats.articles += result.ok
        stats.bytes += result.bytes
        stats.failures.extend({"partition": result.part, **f} for f in result.failures)
        if on_partition:
            on_partition(result)

    if own:
        eng.__enter__()
    try:
        stats.engine = eng.describe()
        lost: list[Job] = []
        for job, result in eng.map_unordered(run_job, todo()):
            if isinstance(result, BaseException) and _worker_died(result):
                lost.append(job)
            elif isinstance(result, BaseException):
                failed(job, result)
            else:
                done(result)
        for job in lost:  # alone now, so a death names its article
            _isolate(eng, job, out, done, failed)
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


def _worker_died(result: BaseException) -> bool:
    return isinstance(result, WorkerDied) or type(result).__name__ == "KilledWorker"


def _isolate(eng, job: Job, out: Path, done, failed) -> None:
    """Run a partition whose worker died on its own, one job in flight; each time its worker
    dies again, the article it was extracting (its marker says) is recorded as failed and
    the partition runs once more without it."""
    for _ in range(MAX_DEATHS):
        manifest.current_path(out, job.partition.name).unlink(missing_ok=True)
        (_, result), = list(_one(eng, job))
        if not isinstance(result, BaseException):
            done(result)
            return
        culprit = manifest.read_current(out, job.partition.name)
        if not _worker_died(result) or culprit is None:
            failed(job, result)
            return
        log.error("article %s killed its worker process; recorded as failed", culprit)
        reason = ("WorkerDied: extracting this article killed its worker process "
                  "(out of memory?); skipped, the rest of its partition was written")
        job = replace(job, skip=job.skip + ((culprit, reason),))
    failed(job, WorkerDied(f"its worker died {MAX_DEATHS} times; left undone for a rerun"))


def _one(eng, job: Job):
    try:
        return eng.map_unordered(run_job, [job], in_flight=1)
    except TypeError:  # an engine without in_flight: one job is one in flight anyway
        return eng.map_unordered(run_job, [job])


def unique_ids(items: Iterable[Article | SaysoError]) -> Iterator[Article | SaysoError]:
    """Articles with an id met before in this run get ``ID-<hash of path and text>``
    (``ID-<hash>-2`` … if that too was met), so the dataset's article_id stays a key;
    about 70 bytes of memory per article for the ids seen."""
    seen: set[int] = set()
    for item in items:
        if isinstance(item, Article) and item.id:
            key = _id_key(item.id)
            if key in seen:
                h = hashlib.sha1(f"{item.path}\0{item.text}".encode("utf-8", "surrogatepass")).hexdigest()[:8]
                new, k = f"{item.id}-{h}", 2
                while _id_key(new) in seen:
                    new, k = f"{item.id}-{h}-{k}", k + 1
                log.warning("article id %r met twice: the second is %r", item.id, new)
                item, key = replace(item, id=new), _id_key(new)
            seen.add(key)
        yield item


def _id_key(article_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "big")


__all__ = ["ENGINES", "RunStats", "make_engine", "run", "run_articles"]
