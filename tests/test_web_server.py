"""A real uvicorn on 127.0.0.1: bad requests never stop it; `sayso serve` starts and refuses bad setups."""
from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest

from sayso.web import create_app
from test_web_support import BRIDGE, LiveServer, free_socket, reader  # noqa: F401  (fixture)

SAYSO = [sys.executable, "-m", "sayso.cli"]


@pytest.fixture(scope="module")
def server(reader):  # noqa: F811
    with LiveServer(create_app(reader=reader, max_body=20_000)) as srv:
        yield srv


def raw(server, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


def test_server_keeps_serving_after_bad_requests(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        big = c.post("/api/extract", content=b"y" * 200_000, headers={"content-type": "text/plain"})
        assert big.status_code == 413 and "20,000-byte limit" in big.json()["error"]
        assert c.post("/api/extract", content=b"{oops", headers={"content-type": "application/json"}
                      ).status_code == 400
        assert c.get("/api/articles/x").status_code == 404
    assert raw(server, b"NOT HTTP AT ALL\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert raw(server, b"POST /api/extract HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
               ).startswith(b"HTTP/1.1 400")
    raw(server, b"POST /api/extract HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\nshort")  # hangs up early
    with httpx.Client(base_url=server.url, timeout=30) as c:
        ok = c.post("/api/extract", json={"text": BRIDGE})
        assert ok.status_code == 200, ok.text
        assert ok.json()["report"]["attributions"]


def test_sayso_serve_refuses_a_file_that_is_not_a_corpus(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database")
    out = subprocess.run(SAYSO + ["serve", "--db", str(bad), "--port", "1"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 3, out.stderr
    assert "notes.db" in out.stderr
    missing = subprocess.run(SAYSO + ["serve", "--db", str(tmp_path / "none.db"), "--port", "1"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 3, missing.stderr
    assert not (tmp_path / "none.db").exists()  # serving never creates a database


def test_sayso_serve_starts_on_loopback_and_answers(tmp_path):
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen(SAYSO + ["serve", "--no-model", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "sayso serve did not answer within 60 s"
                time.sleep(0.2)
        assert health.json()["ok"] is True and health.json()["corpus"] is False
        assert "server" not in health.headers  # no version banner
        rebound = httpx.get(f"http://127.0.0.1:{port}/api/health", headers={"host": "evil.example"})
        assert rebound.status_code == 400 and "Host" in rebound.json()["error"]
        assert httpx.get(f"http://127.0.0.1:{port}/api/health",
                         headers={"host": f"localhost:{port}"}).status_code == 200
    finally:
        proc.terminate()
        proc.wait(20)
