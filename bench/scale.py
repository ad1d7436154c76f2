"""Throughput of `sayso run` at scale: local engine vs Dask with 1 and 2 workers.

    python bench/scale.py /work/shared/polnear --articles 2000

Builds N articles from the PolNeAR texts (repeated, each copy with its own id), runs
them through the local engine (in this process) and through a Dask LocalCluster of 1 and
of 2 worker processes, and prints: articles/s, parallel efficiency (2-worker throughput
over twice the 1-worker throughput), Dask's overhead against the local engine, the
per-article CPU cost, and Parquet bytes per article (by table). Readers are loaded
before timing (their load time is printed apart): the figures are steady-state rates.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path


def build_articles(root: Path, n: int):
    from sayso.model import Article
    files = sorted(root.glob("*/text/*.txt")) or sorted(root.rglob("*.txt"))
    if not files:
        raise SystemExit(f"no .txt files under {root}")
    texts = [(f.stem, f.read_text(encoding="utf-8")) for f in files]
    return [Article(text=texts[i % len(texts)][1], id=f"{texts[i % len(texts)][0]}-r{i // len(texts)}",
                    path=str(files[i % len(files)])) for i in range(n)]


def warm(model) -> None:
    """Load this process's Reader and run it once, so timing starts from a warm worker."""
    from sayso.engine.task import get_reader
    get_reader(model).extract('"We will rebuild the bridge," Mayor Ann Lee said on Tuesday.')


def dataset_bytes(out: Path) -> dict[str, int]:
    from sayso.engine.parquet import TABLES
    return {t: sum(p.stat().st_size for p in (out / t).glob("part-*.parquet")) for t in TABLES}


def timed_run(arts, out: Path, engine, model, size) -> tuple[float, float]:
    """Wall seconds of the run, and CPU-ms per article spent in the workers."""
    from sayso.engine import run_articles
    shutil.rmtree(out, ignore_errors=True)
    outcomes = []
    t0 = time.perf_counter()
    stats = run_articles(arts, out, engine=engine, model=model, partition_size=size,
                         on_partition=outcomes.append)
    elapsed = time.perf_counter() - t0
    assert stats.ok, stats.summary.get("failures", [])[:3]
    return elapsed, 1000 * sum(o.cpu for o in outcomes) / len(arts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="folder with */text/*.txt (e.g. /work/shared/polnear)")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--partition-size", type=int, default=50)
    ap.add_argument("--no-model", action="store_true", help="rules only")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    import dask
    from distributed import Client, LocalCluster

    from sayso.engine.dask import DaskEngine
    from sayso.engine.local import LocalEngine
    model = None if args.no_model else "default"
    arts = build_articles(args.corpus, args.articles)
    chars = sum(len(a.text) for a in arts)
    tmp = Path(tempfile.mkdtemp(prefix="sayso-scale-"))
    fig: dict = {"articles": len(arts), "mean_chars": round(chars / len(arts)),
                 "partition_size": args.partition_size, "model": model, "cpus": os.cpu_count()}
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"{len(arts)} articles ({fig['mean_chars']} chars on average), partitions of "
          f"{args.partition_size}, model={model}, {os.cpu_count()} CPUs")

    t0 = time.perf_counter()
    warm(model)
    fig["reader_load_s"] = round(time.perf_counter() - t0, 2)
    with LocalEngine(1) as eng:
        secs, cpu = timed_run(arts, tmp / "local", eng, model, args.partition_size)
    fig["local"] = {"seconds": round(secs, 2), "articles_per_s": round(len(arts) / secs, 2),
                    "cpu_ms_per_article": round(cpu, 1)}
    print(f"local engine, 1 process: {secs:.1f} s, {len(arts) / secs:.2f} articles/s, "
          f"{cpu:.0f} CPU-ms/article (Reader load {fig['reader_load_s']} s)")
    sizes = dataset_bytes(tmp / "local")
    fig["parquet_bytes_per_article"] = {t: round(b / len(arts)) for t, b in sizes.items()}
    fig["parquet_bytes_per_article"]["total"] = round(sum(sizes.values()) / len(arts))
    input_bytes = sum(len(a.text.encode()) for a in arts)
    fig["input_bytes_per_article"] = round(input_bytes / len(arts))

    for w in args.workers:
        t0 = time.perf_counter()
        with dask.config.set({"distributed.worker.profile.enabled": False}), LocalCluster(n_workers=w, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster) as client:
            up = time.perf_counter() - t0
            client.run(warm, model)  # each worker loads its Reader once, before timing
            ready = time.perf_counter() - t0
            with DaskEngine(cluster.scheduler_address) as eng:
                secs, cpu = timed_run(arts, tmp / f"dask{w}", eng, model, args.partition_size)
        rate = len(arts) / secs
        fig[f"dask{w}"] = {"seconds": round(secs, 2), "articles_per_s": round(rate, 2),
                           "cpu_ms_per_article": round(cpu, 1),
                           "cluster_start_s": round(up, 2), "reader_load_s": round(ready - up, 2)}
        print(f"dask, {w} worker(s): {secs:.1f} s, {rate:.2f} articles/s, {cpu:.0f} CPU-ms/article "
              f"(cluster start {up:.1f} s, Reader load on workers {ready - up:.1f} s)")

    local = fig["local"]["articles_per_s"]
    if "dask1" in fig:
        fig["dask_overhead_vs_local"] = round(1 - fig["dask1"]["articles_per_s"] / local, 3)
        print(f"Dask overhead vs local engine (1 worker): {100 * fig['dask_overhead_vs_local']:.1f}% "
              f"of throughput")
    if "dask1" in fig and "dask2" in fig:
        eff = fig["dask2"]["articles_per_s"] / (2 * fig["dask1"]["articles_per_s"])
        fig["parallel_efficiency_2"] = round(eff, 3)
        print(f"parallel efficiency, 2 workers: {eff:.2f} "
              f"({fig['dask2']['articles_per_s']:.2f} / (2 x {fig['dask1']['articles_per_s']:.2f}))")
    pb = fig["parquet_bytes_per_article"]
    print(f"Parquet: {pb['total']} bytes/article (input text {fig['input_bytes_per_article']}); "
          + ", ".join(f"{t} {b}" for t, b in pb.items() if t != "total"))
    fig["load_average_after"] = round(os.getloadavg()[0], 2)
    print(f"load average after: {fig['load_average_after']:.2f} (other work on the machine skews wall-clock rates; "
          f"CPU-ms/article does not move much)")
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(fig))
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":  # Dask's worker processes are spawned: guard the entry point
    main()
