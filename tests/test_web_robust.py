"""The web app against slow and hostile clients (audit findings 1 and 11): sockets that never
finish a request are closed, a long extraction gets a 422 and the queue moves on, odd ids are
404s, loopback IPv6 is answered, the server's file paths stay private."""
from __future__ import annotations

import socket
import time

import pytest

from sayso.web import create_app
from test_web_api import assert_error, call
from test_web_support import BRIDGE, LiveServer, corpus_db, reader  # noqa: F401  (fixtures)


def closed_by_server(s: socket.socket) -> bool:
    try:
        return s.recv(1024) == b""
    except (ConnectionResetError, socket.timeout):
        return False


def test_clients_that_never_finish_a_request_are_disconnected(reader, monkeypatch):  # noqa: F811
    from sayso.web import server
    monkeypatch.setattr(server.TimedH11Protocol, "request_timeout", 1.0)
    with LiveServer(create_app(reader=reader), timed=True) as srv:
        slow = []
        for k in range(30):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=6)
            # half a request: headers never ended, or a body that never comes
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " if k % 2 else
                      b"POST /api/extract HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\n{")
            slow.append(s)
        t0 = time.monotonic()
        assert all(closed_by_server(s) for s in slow)  # before: held with no timeout at all
        assert time.monotonic() - t0 < 5
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert s.recv(65536).startswith(b"HTTP/1.1 200")
        for s in slow:
            s.close()


def test_a_long_extraction_gets_a_422_and_the_next_request_is_served(reader):  # noqa: F811
    app = create_app(reader=reader, timeout=0.3, max_body=200_000)
    long = "The minister said the plan was sound. " * 800  # 30 KB: its parse alone takes longer
    resp = call(app, "POST", "/api/extract", json={"text": long})
    assert_error(resp, 422, "time limit")
    resp = call(app, "POST", "/api/extract", json={"text": BRIDGE})
    assert resp.status_code == 200 and resp.json()["report"]["attributions"]


def test_a_long_article_waits_behind_short_ones_but_not_forever(reader):  # noqa: F811
    from sayso.model import Article
    from sayso.web.state import WebState
    st = WebState(db_path=None, reader=reader, max_body=100_000, timeout=None)
    order: list[str] = []
    busy = Article(text="The minister said the plan was sound. " * 400, id="busy")  # holds the thread
    jobs = [busy, Article(text='He said "' * 1100, id="hostile")] + \
        [Article(text=f"{BRIDGE} ({k})", id=f"short{k}") for k in range(3)]
    futures = []
    for art in jobs:
        fut = st._submit(art)
        fut.add_done_callback(lambda f, name=art.id: order.append(name))
        futures.append(fut)
        while art is busy and not fut.running():  # the others arrive while it is read
            time.sleep(0.01)
    for fut in futures:
        fut.result(timeout=60)
    # the hostile one came before the short ones; it goes after them, and it is served
    assert order == ["busy", "short0", "short1", "short2", "hostile"]


def test_articles_of_one_length_are_served_in_the_order_they_came(reader):  # noqa: F811
    from sayso.model import Article
    from sayso.web.state import WebState
    st = WebState(db_path=None, reader=reader, max_body=10_000, timeout=None)
    order: list[int] = []
    futures = []
    for k in range(6):
        fut = st._submit(Article(text=f"{BRIDGE} ({k})", id=str(k)))
        fut.add_done_callback(lambda f, k=k: order.append(k))
        futures.append(fut)
    for fut in futures:
        fut.result(timeout=60)
    assert order == list(range(6))


@pytest.fixture(scope="module")
def corpus_app(corpus_db, reader):  # noqa: F811
    return create_app(db_path=corpus_db, reader=reader,
                      allowed_hosts=["127.0.0.1", "localhost", "[::1]", "::1"])


@pytest.mark.parametrize("path", ["/api/speakers/99999999999999999999999",
                                  "/api/spread/99999999999999999999999",
                                  "/api/spread/q99999999999999999999999"])
def test_ids_past_sqlites_integers_are_404s_not_500s(corpus_app, path):
    assert_error(call(corpus_app, "GET", path, headers={"host": "127.0.0.1"}), 404, "no ")


def test_a_speaker_filter_past_sqlites_integers_finds_nothing(corpus_app):
    resp = call(corpus_app, "GET", "/api/quotes", params={"speaker": "99999999999999999999999"},
                headers={"host": "127.0.0.1"})
    assert resp.status_code == 200 and resp.json()["total"] == 0


def test_loopback_ipv6_with_a_port_is_answered(corpus_app):
    assert call(corpus_app, "GET", "/api/health", headers={"host": "[::1]:8000"}).status_code == 200
    assert call(corpus_app, "GET", "/api/health", headers={"host": "[::1]"}).status_code == 200
    assert call(corpus_app, "GET", "/api/health", headers={"host": "evil.example:8000"}).status_code == 400


def test_an_article_does_not_show_where_the_server_read_it(corpus_db, reader, tmp_path):  # noqa: F811
    import shutil
    import sqlite3
    db = tmp_path / "c.db"
    shutil.copy(corpus_db, db)
    con = sqlite3.connect(db)
    con.execute("UPDATE articles SET path = '/srv/secret/crawl/gazette.html' WHERE id = 'gazette-bridge'")
    con.commit()
    con.close()
    resp = call(create_app(db_path=db, reader=reader), "GET", "/api/articles/gazette-bridge")
    assert resp.status_code == 200
    assert "/srv/secret" not in resp.text and "path" not in resp.json()["article"]
