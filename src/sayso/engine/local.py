"""The local engine: partitions run in this process (1 worker) or a pool of processes."""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator, TypeVar

J = TypeVar("J")
R = TypeVar("R")


class WorkerDied(RuntimeError):
    """The worker process running a job ended without an answer (killed: out of memory,
    kill -9, a crash in native code); the job did not finish."""


class LocalEngine:
    """Runs jobs here when ``workers`` is 1, else in ``workers`` spawned processes.

    Spawned, not forked: a forked copy of a process that already holds spaCy's threads
    and a Dask client is not safe, and spawn behaves the same on Linux, macOS and Windows.
    A worker that dies costs the jobs in flight (each comes back as WorkerDied) and a
    fresh pool takes the rest; workers end themselves when this process is gone.
    """
    name = "local"

    def __init__(self, workers: int = 1):
        if workers < 1:
            raise ValueError("--workers must be at least 1")
        self.workers = workers
        self._pool: cf.ProcessPoolExecutor | None = None

    def __enter__(self) -> "LocalEngine":
        if self.workers > 1:
            self._pool = new_pool(self.workers)
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def describe(self) -> str:
        return f"local, {self.workers} worker(s)"

    def map_unordered(self, fn: Callable[[J], R], jobs: Iterable[J], *, in_flight: int | None = None
                      ) -> Iterator[tuple[J, R | BaseException]]:
        """Yield (job, result or the exception it raised) as jobs finish; at most
        ``in_flight`` jobs at once (default twice the workers)."""
        if self._pool is None:
            for job in jobs:
                try:
                    yield job, fn(job)
                except Exception as exc:
                    yield job, exc
            return
        pending: dict[cf.Future, J] = {}
        it = iter(jobs)
        limit = in_flight or 2 * self.workers  # bounded: inputs are read as fast as processed
        while True:
            while len(pending) < limit:
                job = next(it, None)
                if job is None:
                    break
                pending[self._pool.submit(fn, job)] = job
            if not pending:
                return
            finished, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            broken = False
            for fut in finished:
                job = pending.pop(fut)
                exc = fut.exception()
                if isinstance(exc, BrokenProcessPool):
                    broken = True
                    exc = WorkerDied("its worker process died before it finished (killed: out of "
                                     "memory? see the system log)")
                yield job, (exc if exc is not None else fut.result())
            if broken:  # every job still in flight went down with the pool
                for fut, job in list(pending.items()):
                    exc = fut.exception() if fut.done() else None
                    if exc is None and fut.done():
                        yield job, fut.result()
                    else:
                        yield job, WorkerDied("lost with a worker process that died beside it")
                pending.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = new_pool(self.workers)


def new_pool(workers: int) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=watch_parent, initargs=(os.getpid(),))


def watch_parent(parent: int, every: float = 0.5) -> None:
    """In a worker process: end it once ``parent`` (the process that wants its work, which
    may be its grandparent through a fork server) is gone, or it was orphaned: killed with
    -9, the parent could not say so, and the worker would idle with its model in memory."""
    ppid = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(70)
            except PermissionError:
                pass
            if os.getppid() != ppid:
                os._exit(70)

    threading.Thread(target=watch, name="sayso-parent-watch", daemon=True).start()
