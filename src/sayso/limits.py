"""A time limit on one article's work, in whichever thread runs it.

A crawl holds articles no test foresaw; one that takes minutes must cost its own
place, not the worker's. ``run_limited(seconds, fn, *args)`` calls ``fn`` and raises
``TimeLimitError`` when it runs past the limit.

How: a timer thread asks the interpreter to raise an exception in the thread that
entered the block (``PyThreadState_SetAsyncExc``). Unlike SIGALRM this works outside
the main thread (Dask worker threads, the web server's thread pool). The exception
is delivered between Python bytecodes, so a single long C call (one spaCy piece,
which ``nlp.pipe`` keeps bounded) finishes first. The exception raised inside is a
BaseException, so no ``except Exception`` in the stages can swallow it, and it is
raised again every REFIRE seconds until the call ends (one that lands in a gc callback
is dropped by the interpreter); the caller sees a plain ``TimeLimitError``.
"""
from __future__ import annotations

import ctypes
import threading
from typing import Any, Callable, TypeVar

from sayso.errors import TimeLimitError

T = TypeVar("T")

#: the default per-article limit (seconds) of extract, ingest and run; a long article
#: takes a few seconds, so only a pathological one reaches it
DEFAULT_TIMEOUT = 60.0


#: seconds between further tries once the limit has passed (see _Limit._fire)
REFIRE = 0.1


class _Expired(BaseException):
    """Raised inside the limited call; turned into TimeLimitError at its edge."""


def _raise_in(tid: int, exc) -> None:
    """Have thread ``tid`` raise ``exc`` at its next bytecode (None: cancel a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid),
                                               None if exc is None else ctypes.py_object(exc))


class _Limit:
    def __init__(self, seconds: float):
        self.tid = threading.get_ident()
        self.lock = threading.Lock()
        self.active = True
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        with self.lock:
            if self.active:
                self.fired = True
                _raise_in(self.tid, _Expired)
                # again soon, until the call ends: an exception that lands in a finaliser or
                # a gc callback is printed and dropped by the interpreter, not raised
                self.timer = threading.Timer(REFIRE, self._fire)
                self.timer.daemon = True
                self.timer.start()

    def stop(self) -> None:
        """Disarm; cancel the exception if it fired but has not been delivered yet."""
        with self.lock:
            self.active = False
            self.timer.cancel()
            if self.fired:
                _raise_in(self.tid, None)


def run_limited(seconds: float | None, fn: Callable[..., T], *args: Any,
                what: str = "article") -> T:
    """``fn(*args)``, or TimeLimitError when it runs past ``seconds`` (None or <= 0: no limit)."""
    if not seconds or seconds <= 0:
        return fn(*args)
    limit = _Limit(seconds)
    try:
        try:
            limit.timer.start()
            return fn(*args)
        finally:
            limit.stop()  # whatever happened, even an outer limit's exception mid-start
    except _Expired:  # delivered in fn, or in the few bytecodes before stop() took the lock
        raise TimeLimitError(f"{what}: took longer than the {seconds:g} s time limit "
                             f"(raise it with --timeout)") from None
