"""The Dask engine: partitions run as tasks on a Dask cluster, existing or local.

With a scheduler address it joins the user's cluster (workers there need sayso installed
and the output folder on storage they can all write, e.g. a shared filesystem); without
one it starts a ``LocalCluster`` of worker processes on this machine.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable, Iterator, TypeVar

from sayso.errors import SaysoError

J = TypeVar("J")
R = TypeVar("R")
log = logging.getLogger(__name__)


class DaskEngine:
    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None, *,
                 connect_timeout: str = "20s"):
        if workers is not None and workers < 1:
            raise ValueError("--workers must be at least 1")
        self.scheduler = scheduler
        self.workers = workers
        self.connect_timeout = connect_timeout
        self._cluster = None
        self._client = None

    def __enter__(self) -> "DaskEngine":
        import dask
        from distributed import Client, LocalCluster
        quiet_logs()
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout=self.connect_timeout)
            else:
                # one thread per process: extraction holds the GIL, so threads would not help;
                # the sampling profiler (every 10 ms) costs ~9% CPU on spaCy's deep stacks
                with dask.config.set({"distributed.worker.profile.enabled": False}):
                    self._cluster = LocalCluster(n_workers=self.workers or 1, threads_per_worker=1,
                                                 processes=True, dashboard_address=":0",
                                                 silence_logs=logging.ERROR)
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as exc:
            self.__exit__()
            where = self.scheduler or "a local cluster"
            raise SaysoError(f"cannot reach Dask scheduler {where}: {exc}; check the address "
                             f"(tcp://HOST:8786) and that the scheduler is running") from exc
        return self

    def __exit__(self, *exc) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def n_workers(self) -> int:
        return len(self._client.scheduler_info().get("workers", {})) if self._client else 0

    def describe(self) -> str:
        where = self.scheduler or "LocalCluster"
        return f"dask ({where}), {self.n_workers()} worker(s)"

    def map_unordered(self, fn: Callable[[J], R], jobs: Iterable[J], *, in_flight: int | None = None
                      ) -> Iterator[tuple[J, R | BaseException]]:
        """Yield (job, result or exception) as tasks finish, keeping a bounded number in flight.

        A task whose worker dies is retried by Dask on another worker (``allowed-failures``);
        one that still fails comes back as its exception and its partition stays undone.
        """
        from distributed import as_completed
        client = self._client
        limit = in_flight or 2 * max(1, self.n_workers())
        it = iter(jobs)
        jobs_by_key: dict[str, J] = {}
        ac = as_completed([], with_results=False)
        for _ in range(limit):
            job = next(it, None)
            if job is None:
                break
            fut = client.submit(fn, job, pure=False, key=_key(job))
            jobs_by_key[fut.key] = job
            ac.add(fut)
        for fut in ac:
            job = jobs_by_key.pop(fut.key)
            try:
                outcome = fut.result()
            except BaseException as exc:  # the task's own error, KilledWorker or cancellation
                outcome = exc
            fut.release()
            yield job, outcome
            nxt = next(it, None)
            if nxt is not None:
                new = client.submit(fn, nxt, pure=False, key=_key(nxt))
                jobs_by_key[new.key] = nxt
                ac.add(new)


def quiet_logs() -> None:
    """Keep distributed's INFO lines (scheduler at …, nanny started …) off the console
    unless the user asked for detail (``sayso -v``: the root logger at DEBUG). Importing
    distributed sets its loggers to INFO, and their records reach the root handler."""
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        for name in ("distributed", "bokeh", "tornado"):
            logging.getLogger(name).setLevel(logging.WARNING)


def _key(job) -> str:
    import uuid
    part = getattr(getattr(job, "partition", None), "name", "job")
    return f"sayso-{part}-{uuid.uuid4().hex[:8]}"
