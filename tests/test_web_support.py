"""Shared pieces of the web tests: a real Reader, a real SQLite corpus, a real uvicorn.

Imported by the test_web_* modules; it holds no tests itself.
"""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from sayso.model import Article

BRIDGE = '"We will rebuild the bridge," Mayor Ann Lee said on Tuesday.'

#: short wire-style articles written for these tests; three outlets carry one statement
ARTICLES = [
    Article(id="gazette-bridge", outlet="Harbor City Gazette", published="2024-03-05",
            title="Mayor vows to rebuild Old Mill bridge", url="https://gazette.example/bridge",
            text=('"We will rebuild the bridge before winter," Mayor Ann Lee said on Tuesday.\n\n'
                  'Council member Raj Patel said the city had ignored warnings for years.\n\n'
                  '"This was not a surprise," Patel told reporters.')),
    Article(id="courier-bridge", outlet="Valley Courier", published="2024-03-06",
            title="Lee: bridge to be rebuilt",
            text=('"We will rebuild that bridge before the winter," Mayor Ann Lee said on Wednesday.\n\n'
                  'Residents said the detour added an hour to their commute.')),
    Article(id="wire-bridge", outlet="Coastal Wire", published="2024-03-06",
            title="Harbor City bridge to reopen",
            text=('"We will rebuild the bridge before winter," Ann Lee said.\n\n'
                  '"The money is there," Lee added.')),
    Article(id="gazette-school", outlet="Harbor City Gazette", published="2024-04-02",
            title="School board delays vote",
            text=('"We need more time to read the budget," board chair Maria Gomez said on Monday.\n\n'
                  'The vote will take place next month, according to the district.')),
    Article(id="evil/one", outlet="<b>Evil</b> Outlet", published="2024-04-03",
            title='<script>window.__pwned = "title"</script>',
            url="javascript:window.__pwned='url'",
            text=('"<img src=x onerror=window.__pwned=1> is our plan," Mayor Ann Lee said on Friday.\n\n'
                  '<script>window.__pwned = 2</script> <a href="javascript:window.__pwned=3">link</a>')),
]


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class LiveServer:
    """A real uvicorn serving ``app`` on 127.0.0.1 and a random free port, in a thread
    (``timed``: configured as `sayso serve` runs it, sayso.web.server.config)."""

    def __init__(self, app, *, timed: bool = False):
        from sayso.web import server
        self.sock = free_socket()
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        make = server.config if timed else uvicorn.Config
        self.server = uvicorn.Server(make(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="session")
def reader():
    from sayso.reader import Reader
    return Reader(model=None)


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory, reader) -> Path:
    from sayso.corpus import ingest_articles
    db = tmp_path_factory.mktemp("web-corpus") / "c.db"
    stats = ingest_articles(db, ARTICLES, reader=reader)
    assert stats.added == len(ARTICLES), stats.errors
    return db
