"""The local engine: partitions run in this process (1 worker) or a pool of processes."""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from typing import Callable, Iterable, Iterator, TypeVar

J = TypeVar("J")
R = TypeVar("R")


class LocalEngine:
    """Runs jobs here when ``workers`` is 1, else in ``workers`` spawned processes.

    Spawned, not forked: a forked copy of a process that already holds spaCy's threads
    and a Dask client is not safe, and spawn behaves the same on Linux, macOS and Windows.
    """
    name = "local"

    def __init__(self, workers: int = 1):
        if workers < 1:
            raise ValueError("--workers must be at least 1")
        self.workers = workers
        self._pool: cf.ProcessPoolExecutor | None = None

    def __enter__(self) -> "LocalEngine":
        if self.workers > 1:
            self._pool = cf.ProcessPoolExecutor(self.workers,
                                                mp_context=multiprocessing.get_context("spawn"))
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def describe(self) -> str:
        return f"local, {self.workers} worker(s)"

    def map_unordered(self, fn: Callable[[J], R], jobs: Iterable[J]
                      ) -> Iterator[tuple[J, R | BaseException]]:
        """Yield (job, result or the exception it raised) as jobs finish."""
        if self._pool is None:
            for job in jobs:
                try:
                    yield job, fn(job)
                except Exception as exc:
                    yield job, exc
            return
        pending: dict[cf.Future, J] = {}
        it = iter(jobs)
        limit = 2 * self.workers  # bounded: inputs are read only as fast as they are processed
        while True:
            while len(pending) < limit:
                job = next(it, None)
                if job is None:
                    break
                pending[self._pool.submit(fn, job)] = job
            if not pending:
                return
            finished, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                job = pending.pop(fut)
                exc = fut.exception()
                yield job, (exc if exc is not None else fut.result())
