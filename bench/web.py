"""Load on `POST /api/extract`: N concurrent clients for S seconds against a `sayso serve` it starts.

Loopback only: the server listens on 127.0.0.1 and every request goes there. Each
client loops until the deadline (or a hard cap of requests), so the run is bounded.

    .venv/bin/python bench/web.py                 # 8 clients, 30 s, rules only
    .venv/bin/python bench/web.py --clients 4 --seconds 10 --model default
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time

import httpx

ARTICLE = ("HARBOR CITY (Wire) — The city will rebuild the Old Mill bridge before winter, a week "
           "after floodwater closed the crossing.\n\n"
           "\"We will rebuild the bridge, and we will do it right,\" Mayor Ann Lee said on Tuesday. "
           "She added that the work would cost about $12 million.\n\n"
           "Council member Raj Patel said the city had ignored warnings about the bridge for years. "
           "\"This was not a surprise to anyone who drives across it,\" he told reporters.\n\n"
           "More than 300 residents signed a petition asking for a footbridge, according to the "
           "Harbor City Gazette.")
MAX_REQUESTS_PER_CLIENT = 100_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, model: str | None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "sayso.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--no-model"] if model is None else ([] if model == "default" else ["--model", model])
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"sayso serve exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("sayso serve did not answer within 120 s")


def client(url: str, deadline: float, lat: list[float], errors: list[str]) -> None:
    with httpx.Client(timeout=60) as c:
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                return
            t0 = time.perf_counter()
            try:
                r = c.post(url, json={"text": ARTICLE})
                ok = r.status_code == 200 and r.json()["report"]["document"]["chars"] == len(ARTICLE)
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                ok, r = False, exc
            lat.append(time.perf_counter() - t0)
            if not ok:
                errors.append(str(getattr(r, "status_code", r)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--model", default=None, help="'default' for the shipped model; rules only if omitted")
    args = ap.parse_args()
    port = free_port()
    proc = start_server(port, args.model)
    url = f"http://127.0.0.1:{port}/api/extract"
    try:
        httpx.post(url, json={"text": ARTICLE}, timeout=60)  # warm up
        lat: list[float] = []
        errors: list[str] = []
        deadline = time.monotonic() + args.seconds
        t0 = time.perf_counter()
        threads = [threading.Thread(target=client, args=(url, deadline, lat, errors))
                   for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(20)
    lat.sort()
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else lat * 99
    print(f"POST /api/extract  clients={args.clients}  seconds={wall:.1f}  "
          f"model={'rules only' if args.model is None else args.model}  article={len(ARTICLE)} chars")
    print(f"requests   {len(lat)}")
    print(f"req/s      {len(lat) / wall:.1f}")
    print(f"p50 ms     {q[49] * 1000:.1f}")
    print(f"p95 ms     {q[94] * 1000:.1f}")
    print(f"max ms     {lat[-1] * 1000:.1f}" if lat else "max ms     -")
    print(f"errors     {len(errors)}" + (f"  (e.g. {errors[0]})" if errors else ""))
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
