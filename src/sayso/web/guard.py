"""The outer ASGI layer every request passes: a bounded body and safe response headers.

Bodies are bounded here, before any route reads them, so a client cannot make the
server buffer gigabytes: a declared ``Content-Length`` over the limit is refused at
once, and a chunked body is counted as it streams and refused as soon as it passes.
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: the default request body limit (bytes): a long article with room to spare
MAX_BODY = 1_000_000

#: scripts, styles and images from this server only; no framing, no plugins, no inline script
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")

SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class BodyTooLarge(Exception):
    """A streamed request body passed the limit; the app answers 413."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(too_large_message(limit))


def too_large_message(limit: int) -> str:
    return (f"request body is over the {limit:,}-byte limit; send a shorter article "
            f"(the server's limit is set with `sayso serve --max-body`)")


def error_body(status: int, message: str) -> bytes:
    return json.dumps({"error": message, "status": status}).encode()


class Guard:
    """Bounds request bodies to ``max_body`` bytes and adds security headers to every response.

    With ``allowed_hosts``, a request naming any other Host is refused: a server on
    loopback then cannot be read by a web page through DNS rebinding.
    """

    def __init__(self, app: Callable, *, max_body: int = MAX_BODY,
                 allowed_hosts: frozenset[str] | None = None):
        self.app = app
        self.max_body = max_body
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.allowed_hosts is not None and _host(scope) not in self.allowed_hosts:
            await _reply(send, 400, "unexpected Host header; this server answers only to "
                                    + ", ".join(sorted(self.allowed_hosts)))
            return
        declared = _content_length(scope)
        if declared == -1:
            await _reply(send, 400, "Content-Length header is not a number")
            return
        if declared is not None and declared > self.max_body:
            await _reply(send, 413, too_large_message(self.max_body))
            return
        seen = 0

        async def bounded_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def headed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, bounded_receive, headed_send)


def _host(scope: Scope) -> str:
    """The Host header without its port, lower-cased ("[::1]" keeps its brackets, and
    "[::1]:8000" is "[::1]")."""
    for name, value in scope.get("headers", []):
        if name == b"host":
            host = value.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host[:host.find("]") + 1] if "]" in host else host
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


def _content_length(scope: Scope) -> int | None:
    """The declared body length, None when absent, -1 when unreadable."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                n = int(value)
            except ValueError:
                return -1
            return n if n >= 0 else -1
    return None


async def _reply(send: Send, status: int, message: str) -> None:
    body = error_body(status, message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")] + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})
