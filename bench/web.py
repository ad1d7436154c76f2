"""Load on `POST /api/extract`: N concurrent clients for S seconds against a `sayso serve` it starts.

Loopback only: the server listens on 127.0.0.1 and every request goes there. Each
client loops until the deadline (or a hard cap of requests), so the run is bounded.

    .venv/bin/python bench/web.py                 # 8 clients, 30 s, rules only
    .venv/bin/python bench/web.py --clients 4 --seconds 10 --model default
    .venv/bin/python bench/web.py --model default --hostile   # and again beside a hostile client

With ``--hostile`` the same clients run a second time while one more client sends a
hostile 10 KB article (``'He said "' * 1100``, which once held the server for 69 s) over
and over, and the ordinary clients' p95 is printed beside the first run's (the target:
at most 2x).
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
HOSTILE = 'He said "' * 1100


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


def client(url: str, deadline: float, lat: list[float], errors: list[str], text: str = ARTICLE) -> None:
    with httpx.Client(timeout=120) as c:
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                return
            t0 = time.perf_counter()
            try:
                r = c.post(url, json={"text": text})
                ok = r.status_code == 200 and r.json()["report"]["document"]["chars"] == len(text)
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                ok, r = False, exc
            lat.append(time.perf_counter() - t0)
            if not ok:
                errors.append(str(getattr(r, "status_code", r)))


def load(url: str, clients: int, seconds: float, hostile: bool) -> tuple[list[float], list[str], float, list]:
    """Ordinary clients' latencies and errors over ``seconds``; with ``hostile``, one more
    client sends HOSTILE meanwhile (its own latencies come back apart)."""
    lat: list[float] = []
    errors: list[str] = []
    bad_lat: list[float] = []
    bad_errors: list[str] = []
    deadline = time.monotonic() + seconds
    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(url, deadline, lat, errors)) for _ in range(clients)]
    if hostile:
        threads.append(threading.Thread(target=client, args=(url, deadline, bad_lat, bad_errors, HOSTILE)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, errors, time.perf_counter() - t0, [bad_lat, bad_errors]


def p95(lat: list[float]) -> float:
    return statistics.quantiles(sorted(lat), n=100)[94] if len(lat) >= 2 else (lat or [0.0])[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--model", default=None, help="'default' for the shipped model; rules only if omitted")
    ap.add_argument("--hostile", action="store_true",
                    help="a second run beside a client sending a hostile 10 KB article")
    args = ap.parse_args()
    port = free_port()
    proc = start_server(port, args.model)
    url = f"http://127.0.0.1:{port}/api/extract"
    try:
        httpx.post(url, json={"text": ARTICLE}, timeout=60)  # warm up
        with open("/proc/loadavg") as fh:
            loadavg = " ".join(fh.read().split()[:3])
        lat, errors, wall, _ = load(url, args.clients, args.seconds, False)
        if args.hostile:
            hlat, herrors, hwall, (bad_lat, bad_errors) = load(url, args.clients, args.seconds, True)
    finally:
        proc.terminate()
        proc.wait(20)
    lat.sort()
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else lat * 99
    print(f"POST /api/extract  clients={args.clients}  seconds={wall:.1f}  "
          f"model={'rules only' if args.model is None else args.model}  article={len(ARTICLE)} chars  "
          f"load average {loadavg}")
    print(f"requests   {len(lat)}")
    print(f"req/s      {len(lat) / wall:.1f}")
    print(f"p50 ms     {q[49] * 1000:.1f}")
    print(f"p95 ms     {q[94] * 1000:.1f}")
    print(f"max ms     {lat[-1] * 1000:.1f}" if lat else "max ms     -")
    print(f"errors     {len(errors)}" + (f"  (e.g. {errors[0]})" if errors else ""))
    if args.hostile:
        print(f"beside a hostile client ({len(HOSTILE):,}-char article, {len(bad_lat)} sent, "
              f"{len(bad_errors)} refused, its p95 {p95(bad_lat) * 1000:.0f} ms):")
        print(f"  requests {len(hlat)}  req/s {len(hlat) / hwall:.1f}  p95 ms {p95(hlat) * 1000:.1f}  "
              f"errors {len(herrors)}")
        print(f"  p95 ratio with / without the hostile client: {p95(hlat) / p95(lat):.2f}x (target <= 2x)")
    if errors or (args.hostile and herrors):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
