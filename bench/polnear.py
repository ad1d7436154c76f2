#!/usr/bin/env python3
"""Accuracy and speed on PolNeAR: extraction over a compartment, scored by the shared scorer.

    python bench/polnear.py --data ../shared/polnear/dev

Every path in one run: ``rules`` (--no-model), ``crf`` (--model crf, the default
model) and ``encoder`` (the shipped encoder, or ``--encoder DIR`` as trained by
``sayso train``). For each it writes one prediction file per article, runs
attribution_score.py and prints its lines, and speaker_score.py's (who each statement
is credited to, against dev_speakers.json) as ``speaker[path]`` lines; then
articles/second in one process (spaCy parse and extraction stages timed apart, model
load excluded), articles/second with --workers processes, and the path's peak RSS.
Each path runs in a fresh interpreter, so its peak memory is its own (spaCy, torch and
the model it loads), and the load average is printed beside the speed figures: on a
shared machine they move with what else runs.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _texts(data: Path, limit: int | None) -> list[tuple[str, str]]:
    files = sorted((data / "text").glob("*.txt"))[:limit]
    return [(f.stem, f.read_text(encoding="utf-8")) for f in files]


def run_path(name: str, model, texts, out: Path, scorer: Path, data: Path,
             speakers: Path | None = None) -> None:
    from sayso import Reader
    from sayso.model import Article

    t0 = time.perf_counter()
    reader = Reader(model=model)
    load = time.perf_counter() - t0
    # one process: parse and stages timed apart
    out.mkdir(parents=True, exist_ok=True)
    t1 = time.perf_counter()
    docs = list(reader.nlp.pipe([t for _, t in texts], batch_size=reader.batch_size))
    parse = time.perf_counter() - t1
    stages = 0.0
    n = 0
    for (stem, text), doc in zip(texts, docs):
        t2 = time.perf_counter()
        rep = reader._report(Article(text=text, id=stem), doc)
        stages += time.perf_counter() - t2
        (out / f"{stem}.json").write_text(rep.to_json(indent=None), encoding="utf-8")
        n += 1
    print(f"== {name}: {n} articles -> {out}")
    res = subprocess.run([sys.executable, str(scorer), "--gold", str(data), "--pred", str(out)],
                         capture_output=True, text=True, check=False)
    sys.stdout.write(res.stdout)
    if res.returncode:
        sys.stdout.write(res.stderr)
    if speakers is not None and speakers.exists():
        # the resolved speaker, not only the source mention: who the reader is told spoke
        res = subprocess.run([sys.executable, str(scorer.parent / "speaker_score.py"), "--gold", str(data),
                              "--speakers", str(speakers), "--pred", str(out)],
                             capture_output=True, text=True, check=False)
        sys.stdout.write("".join(f"speaker[{name}] {line}\n" for line in res.stdout.splitlines()))
        if res.returncode:
            sys.stdout.write(res.stderr)
    print(f"speed[{name}] one process: {n / (parse + stages):.2f} articles/s "
          f"(spaCy parse {parse:.2f} s, sayso stages {stages:.2f} s = {100 * stages / parse:.1f}% of parse; "
          f"model load {load:.1f} s excluded; load average {_load()})")


_reader = None


def _init(model) -> None:
    global _reader
    from sayso import Reader
    _reader = Reader(model=model)


def _load() -> str:
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, it starts afresh at
    exec, so a spawned worker does not inherit its parent's figure)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _work(chunk: list[str]) -> tuple[int, float]:
    from sayso.model import Article
    n = sum(len(r.attributions) for _, r in _reader.pipe(Article(text=t) for t in chunk))
    return n, _peak_mb()


def parallel(name: str, model, texts, workers: int) -> None:
    # spawned, as the engines do: a fork of a process holding torch's threads is not safe
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init, initargs=(model,)) as pool:
        pool.map(_work, [[texts[0][1]]] * workers, chunksize=1)  # workers loaded and warm
        t0 = time.perf_counter()
        chunks = [[t for _, t in texts[i:i + 4]] for i in range(0, len(texts), 4)]
        got = pool.map(_work, chunks, chunksize=1)
        dt = time.perf_counter() - t0
    print(f"speed[{name}] {workers} processes: {len(texts) / dt:.2f} articles/s (model load excluded; "
          f"load average {_load()})")
    print(f"memory[{name}] peak RSS {max(m for _, m in got):.0f} MB (largest of {workers} workers, "
          f"4 articles at a time)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="PolNeAR compartment, e.g. ../shared/polnear/dev")
    ap.add_argument("--scorer", type=Path, help="attribution_score.py (default: ../../bench/ next to --data)")
    ap.add_argument("--out", type=Path, help="prediction folder (default: a temporary one)")
    ap.add_argument("--speakers", type=Path,
                    help="resolved-speaker gold (default: dev_speakers.json next to --data, when it exists)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--paths", default="rules,crf,encoder",
                    help="comma-separated paths: rules, crf (the default model), encoder")
    ap.add_argument("--encoder", type=Path, help="encoder model dir (default: the shipped one)")
    ap.add_argument("--model", type=Path, help="another trained model folder, run as path 'model'")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    scorer = args.scorer or args.data.resolve().parent.parent / "bench" / "attribution_score.py"
    speakers = args.speakers or args.data.resolve().parent / f"{args.data.resolve().name}_speakers.json"
    out = args.out or Path(tempfile.mkdtemp(prefix="sayso-polnear-"))
    from sayso import learned
    encoder = args.encoder or (learned.shipped_path("encoder")
                               if (learned.shipped_path("encoder") / "meta.json").exists() else None)
    models = {"rules": None, "crf": "crf", "encoder": str(encoder) if encoder else None,
              "model": str(args.model)}
    if args.child:
        texts = _texts(args.data, args.limit)
        model = models[args.child]
        run_path(args.child, model, texts, out / args.child, scorer, args.data, speakers)
        print(f"memory[{args.child}] peak RSS {_peak_mb():.0f} MB (one process: spaCy, the model, "
              f"{len(texts)} parsed articles held at once)", flush=True)
        if args.workers > 1:
            parallel(args.child, model, texts, args.workers)
        return
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    if args.model:
        paths.append("model")
    if "encoder" in paths and models["encoder"] is None:
        print("(no encoder ships in this checkout and no --encoder DIR: encoder path skipped)")
        paths.remove("encoder")
    unknown = [p for p in paths if p not in models]
    if unknown:
        ap.error(f"unknown paths {unknown}: choose from rules, crf, encoder")
    print(f"load average at start {_load()} ({len(os.sched_getaffinity(0))} cores)", flush=True)
    for name in paths:
        cmd = [sys.executable, __file__, "--child", name, "--data", str(args.data), "--scorer",
               str(scorer), "--speakers", str(speakers), "--out", str(out),
               "--workers", str(args.workers)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        if args.model:
            cmd += ["--model", str(args.model)]
        if encoder:
            cmd += ["--encoder", str(encoder)]
        sys.stdout.flush()
        subprocess.run(cmd, check=True)
    print(f"load average at end {_load()}")


if __name__ == "__main__":
    main()
