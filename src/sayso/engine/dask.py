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

#: seconds between checks, while waiting for tasks, that the own LocalCluster has its workers
HEAL_EVERY = 2.0


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
        self._healing: set = set()

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
                # a task whose worker dies fails at once (KilledWorker) instead of being
                # retried by Dask on 3 more workers: the runner then runs its partition alone
                # and names the article that kills (one more death, not four per attempt)
                with dask.config.set({"distributed.worker.profile.enabled": False}):
                    self._cluster = LocalCluster(n_workers=self.workers or 1, threads_per_worker=1,
                                                 processes=True, dashboard_address=":0",
                                                 silence_logs=logging.ERROR,
                                                 scheduler_kwargs={"allowed_failures": 0})
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

        A task whose worker dies comes back as KilledWorker (on a user's cluster, after
        Dask's own retries, ``allowed-failures``). While it waits, the cluster this engine
        started is kept at its size (``_heal``).
        """
        from distributed import wait
        client = self._client
        limit = in_flight or 2 * max(1, self.n_workers())
        it = iter(jobs)
        pending: dict = {}

        def submit() -> bool:
            job = next(it, None)
            if job is None:
                return False
            pending[client.submit(fn, job, pure=False, key=_key(job))] = job
            return True

        while len(pending) < limit and submit():
            pass
        while pending:
            try:
                wait(list(pending), timeout=HEAL_EVERY, return_when="FIRST_COMPLETED")
            except TimeoutError:
                self._heal()
                continue
            except Exception:  # a cancelled task: its result() below says so
                if not any(f.done() for f in pending):
                    raise  # the client or scheduler is gone
            for fut in [f for f in pending if f.done()]:  # in submission order
                job = pending.pop(fut)
                try:
                    outcome = fut.result()
                except BaseException as exc:  # the task's own error, KilledWorker or cancellation
                    outcome = exc
                fut.release()
                yield job, outcome
                submit()

    def _heal(self) -> None:
        """Start again the workers the LocalCluster this engine started has given up on.

        A LocalCluster closes a worker's nanny for good when, 15 s after the worker was lost
        (``distributed.deploy.lost-worker-timeout``), no worker of its name is back: which
        happens when it was killed again while restarting (an article that kills its worker,
        met again). With every nanny closed, the run would wait forever for a worker."""
        cluster = self._cluster
        if cluster is None:
            return
        missing = set(cluster.worker_spec) - set(cluster.workers)
        if missing:
            if missing != self._healing:  # said once; they take a few seconds to start
                log.warning("%d Dask worker(s) of the local cluster were closed after they died; "
                            "starting them again", len(missing))
            cluster.scale(len(cluster.worker_spec))
        self._healing = missing

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
