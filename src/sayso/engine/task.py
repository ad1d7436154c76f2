"""The work one partition gets on a worker: extract each article, write the tables, then the entry.

Runs the same way in the driver process, in a local process pool and on a Dask worker.
The Reader (spaCy and the trained model) is cached at module level, so each worker process
loads it once and reuses it for every partition it is given.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from sayso.engine import manifest, parquet
from sayso.engine.partition import Partition
from sayso.limits import run_limited
from sayso.model import Article, Report
from sayso.version import __version__

log = logging.getLogger(__name__)

#: per-article work: (reader, article) -> Report; None means ``reader.extract_article``
ArticleFn = Callable[[Any, Article], Report]

_readers: dict[str, Any] = {}
_lock = threading.Lock()


def get_reader(model: str | None):
    """This process's Reader for ``model``, loaded on first use and kept."""
    key = repr(model)
    with _lock:
        reader = _readers.get(key)
        if reader is None:
            from sayso.reader import Reader
            reader = _readers[key] = Reader(model=model)
            log.info("worker %s loaded a Reader (model=%s)", os.getpid(), model)
        return reader


def readers_loaded() -> int:
    """How many Readers this process holds (tests check it is one per worker, not per article)."""
    return len(_readers)


@dataclass(frozen=True)
class Job:
    """What a worker needs for one partition: plain, picklable data."""
    partition: Partition
    out: str
    model: str | None = "default"
    #: test and extension hook; the default path is the real Reader
    article_fn: ArticleFn | None = None
    #: seconds one article may take (None: no limit)
    timeout: float | None = None
    #: articles not to extract again, with why: each killed a worker process before
    skip: tuple[tuple[str, str], ...] = ()


@dataclass
class Outcome:
    index: int
    part: str
    ok: int
    failures: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    #: CPU seconds this worker process spent on the partition (robust to a busy machine)
    cpu: float = 0.0
    bytes: int = 0
    worker: str = ""
    readers: int = 0


def run_job(job: Job) -> Outcome:
    """Extract every article of the partition; one that raises is recorded as failed."""
    t0, c0 = time.perf_counter(), time.process_time()
    part = job.partition
    reader = get_reader(job.model)  # the time limit is run_job's own, around article_fn too
    extract = job.article_fn or _extract
    rows: dict[str, list[dict]] = {t: [] for t in parquet.TABLES}
    done: list[str] = []
    failed = [dict(f) for f in part.failures]
    skip = dict(job.skip)
    marker = manifest.current_path(job.out, part.name)
    for art in part.articles:
        if art.id in skip:
            failed.append({"id": art.id, "source": art.path or art.url, "stage": "extract",
                           "error": "WorkerDied", "reason": skip[art.id]})
            continue
        manifest.mark_current(marker, art.id)
        try:
            report = run_limited(job.timeout, extract, reader, art, what=art.path or art.id)
            art_rows = parquet.report_rows(art, report)
        except Exception as exc:  # one poisoned article never costs its partition
            log.warning("extraction failed on %s: %r", art.id, exc)
            failed.append({"id": art.id, "source": art.path or art.url, "stage": "extract",
                           "error": type(exc).__name__, "reason": f"{type(exc).__name__}: {exc}"})
            continue
        for table, trs in art_rows.items():
            rows[table].extend(trs)
        done.append(art.id)
    marker.unlink(missing_ok=True)
    size = parquet.write_tables(job.out, part.name, rows)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    seconds = time.perf_counter() - t0
    manifest.write_json(manifest.entry_path(job.out, part.name), {
        "partition": part.name, "fingerprint": part.fingerprint, "articles": done,
        "failed": failed, "rows": {t: len(r) for t, r in rows.items()}, "bytes": size,
        "seconds": round(seconds, 3), "cpu_seconds": round(time.process_time() - c0, 3),
        "worker": worker, "model": job.model,
        "sayso_version": __version__})
    return Outcome(part.index, part.name, len(done), failed, seconds, time.process_time() - c0,
                   size, worker, readers_loaded())


def _extract(reader, article: Article) -> Report:
    return reader.extract_article(article)


@dataclass(frozen=True)
class FailOn:
    """Fault injection: raise on articles whose text holds ``marker``, extract the rest.

    Lets a test (or an operator rehearsing a failure) send one poisoned article through
    a real cluster and see that it is reported as failed while the others complete.
    A class rather than a closure so it pickles by reference to an installed module.
    """
    marker: str

    def __call__(self, reader, article: Article) -> Report:
        if self.marker in article.text:
            raise RuntimeError(f"poisoned article {article.id} (marker {self.marker!r})")
        return reader.extract_article(article)


@dataclass(frozen=True)
class KillOn:
    """Fault injection: the worker process kills itself (SIGKILL, as the OOM killer does)
    on articles whose text holds ``marker``, and extracts the rest."""
    marker: str

    def __call__(self, reader, article: Article) -> Report:
        if self.marker in article.text:
            import signal
            os.kill(os.getpid(), signal.SIGKILL)
        return reader.extract_article(article)
