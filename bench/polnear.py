#!/usr/bin/env python3
"""Accuracy and speed on PolNeAR: extraction over a compartment, scored by the shared scorer.

    python bench/polnear.py --data ../shared/polnear/dev

Every path in one run, each in a fresh interpreter of its own (so its memory and its
imports are its own: torch is loaded only by the encoder's): ``rules`` (--no-model),
``crf`` (the default model, --model crf) and ``encoder`` (the shipped encoder, or
``--encoder DIR`` as trained by ``sayso train --model encoder``; skipped when neither
exists); ``--model DIR`` adds a path ``model`` for another trained model folder. For
each path it writes one prediction file per article, runs attribution_score.py and
prints its lines, and speaker_score.py's (who each statement is credited to, against
dev_speakers.json) as ``speaker[path]`` lines; then articles/second in one process
(spaCy parse and extraction stages timed apart, model load excluded), articles/second
with --workers processes, and peak memory; the load average is printed beside the
speed figures, which move with whatever else runs on a shared machine.
"""
from __future__ import annotations

import argparse
import contextlib
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
    from sayso import nlp as nlp_mod
    from sayso.model import Article

    t0 = time.perf_counter()
    reader = Reader(model=model)
    load = time.perf_counter() - t0
    # one process: parse and stages timed apart
    out.mkdir(parents=True, exist_ok=True)
    t1 = time.perf_counter()
    docs = list(nlp_mod.pipe(reader.nlp, [t for _, t in texts]))  # as Reader.pipe parses
    parse = time.perf_counter() - t1
    stages = 0.0
    n = 0
    with _timed_speakers() as speaker_time:
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
    print(f"speed[{name}] speaker stage {speaker_time[0]:.2f} s = {100 * speaker_time[0] / parse:.1f}% of parse, "
          f"{1000 * speaker_time[0] / max(1, n):.1f} ms an article")


@contextlib.contextmanager
def _timed_speakers():
    """Time the speaker stage apart: its cost is what resolving who spoke adds to a run."""
    from sayso.extract import pipeline, speakers
    spent = [0.0]
    plain = speakers.resolve

    def timed(ctx):
        t = time.perf_counter()
        plain(ctx)
        spent[0] += time.perf_counter() - t
    saved = pipeline.STAGES
    pipeline.STAGES = tuple(timed if st is plain else st for st in saved)
    try:
        yield spent
    finally:
        pipeline.STAGES = saved


_reader = None


def _init(model) -> None:
    global _reader
    from sayso import Reader
    _reader = Reader(model=model)


def _work(chunk: list[str]) -> int:
    from sayso.model import Article
    return sum(len(r.attributions) for _, r in _reader.pipe(Article(text=t) for t in chunk))


def _load() -> str:
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def parallel(name: str, model, texts, workers: int) -> None:
    # a fork of a process whose torch threads have run is not safe: spawned workers then
    ctx = mp.get_context("spawn" if "torch" in sys.modules else "fork")
    with ctx.Pool(workers, initializer=_init, initargs=(model,)) as pool:
        pool.map(_work, [[texts[0][1]]] * workers, chunksize=1)  # workers loaded and warm
        t0 = time.perf_counter()
        chunks = [[t for _, t in texts[i:i + 4]] for i in range(0, len(texts), 4)]
        pool.map(_work, chunks, chunksize=1)
        dt = time.perf_counter() - t0
    print(f"speed[{name}] {workers} processes: {len(texts) / dt:.2f} articles/s (model load excluded; "
          f"load average {_load()})")


_HWM = ("import atexit, sys\n"
        "out = sys.argv.pop(1)\n"
        "def hwm():\n"
        "    line = next(x for x in open('/proc/self/status') if x.startswith('VmHWM'))\n"
        "    open(out, 'w').write(line.split()[1])\n"
        "atexit.register(hwm)\n"
        "from sayso.cli import main\n"
        "sys.argv[0] = 'sayso'\n"
        "main()\n")


def extract_rss(name: str, model, data: Path, limit: int | None) -> None:
    """Peak RSS of one `sayso extract` process over the compartment (what a user's run holds),
    read from the process's own VmHWM as it exits (ru_maxrss would carry this process's
    high-water mark across the exec)."""
    files = [str(f) for f in sorted((data / "text").glob("*.txt"))[:limit]]
    with tempfile.NamedTemporaryFile("r", suffix=".hwm") as hwm:
        cmd = [sys.executable, "-c", _HWM, hwm.name, "extract", *files, "--format", "jsonl", "--no-progress"]
        cmd += ["--no-model"] if model is None else ([] if model == "default" else ["--model", str(model)])
        t0 = time.perf_counter()
        res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        peak = int(hwm.read().strip() or 0) / 1024
    print(f"memory[{name}] sayso extract over {len(files)} articles: peak RSS {peak:.0f} MB "
          f"(exit {res.returncode}, {time.perf_counter() - t0:.1f} s)")


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
    ap.add_argument("--encoder", type=Path, help="an encoder model dir (default: the shipped one)")
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
              "model": str(args.model) if args.model else "default"}
    if args.child:
        texts = _texts(args.data, args.limit)
        name, model = args.child, models[args.child]
        run_path(name, model, texts, out / name, scorer, args.data, speakers)
        if args.workers > 1:
            parallel(name, model, texts, args.workers)
        extract_rss(name, model, args.data, args.limit)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory[{name}]: {peak:.0f} MB (this process, {len(texts)} parsed articles held), "
              f"{child:.0f} MB (largest worker)", flush=True)
        return
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    if args.model and "model" not in paths:
        paths.append("model")
    unknown = [p for p in paths if p not in models]
    if unknown:
        ap.error(f"unknown paths {unknown}: choose from rules, crf, encoder, model")
    if "encoder" in paths and models["encoder"] is None:
        print("(no encoder ships in this checkout and no --encoder DIR: encoder path skipped)")
        paths.remove("encoder")
    print(f"load average at start {_load()} ({len(os.sched_getaffinity(0))} cores)", flush=True)
    for name in paths:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--data", str(args.data),
               "--scorer", str(scorer), "--speakers", str(speakers), "--out", str(out),
               "--workers", str(args.workers)]
        cmd += ["--limit", str(args.limit)] if args.limit else []
        cmd += ["--model", str(args.model)] if args.model else []
        cmd += ["--encoder", str(encoder)] if encoder else []
        sys.stdout.flush()
        subprocess.run(cmd, check=True)
    print(f"load average at end {_load()}")


if __name__ == "__main__":
    main()
