"""How `sayso serve` runs uvicorn: a client must send its request in time.

uvicorn waits as long as a client likes for a request's headers and body (a client
sending a byte every few seconds held a socket forever: 220 such sockets were still
held after 40 s). ``TimedH11Protocol`` gives each request ``REQUEST_TIMEOUT`` seconds
from its first byte (or from the end of the previous response) to arrive whole, and
closes the connection of a client that is slower; the time the app then takes to
answer is not counted. ``LIMIT_CONCURRENCY`` caps the connections served at once (the
rest get a 503 at once instead of queueing without bound).
"""
from __future__ import annotations

from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

#: seconds a client has to send one whole request (headers and body)
REQUEST_TIMEOUT = 10.0
#: connections served at once
LIMIT_CONCURRENCY = 200


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for receiving each request."""

    request_timeout = REQUEST_TIMEOUT

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline = None
        self._arm()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is h11.DONE:  # the request arrived whole: the app's turn
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm(self.timeout_keep_alive + self.request_timeout)

    def _arm(self, seconds: float | None = None) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds or self.request_timeout, self._too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        # IDLE: the request's headers are not all here; SEND_BODY: its body is not
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            self.logger.info("closed a connection that sent no whole request in %.0f s",
                             self.request_timeout)
            self.transport.close()


def config(app: Any, **options: Any) -> uvicorn.Config:
    """A uvicorn Config for ``app`` with the request deadline and connection cap."""
    options.setdefault("limit_concurrency", LIMIT_CONCURRENCY)
    options.setdefault("timeout_keep_alive", 5)
    return uvicorn.Config(app, http=TimedH11Protocol, **options)
