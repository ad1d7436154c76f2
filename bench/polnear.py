#!/usr/bin/env python3
"""Accuracy and speed on PolNeAR: extraction over a compartment, scored by the shared scorer.

    python bench/polnear.py --data ../shared/polnear/dev

For each path (rules alone, and the trained model when one ships) it writes one
prediction file per article, runs attribution_score.py and prints its lines, and
speaker_score.py's (who each statement is credited to, against dev_speakers.json) as
``speaker[path]`` lines; then
articles/second in one process (spaCy parse and extraction stages timed apart, model
load excluded), articles/second with --workers processes, and peak memory.
"""
from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
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
          f"model load {load:.1f} s excluded)")
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


def parallel(name: str, model, texts, workers: int) -> None:
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_init, initargs=(model,)) as pool:
        pool.map(_work, [[texts[0][1]]] * workers, chunksize=1)  # workers loaded and warm
        t0 = time.perf_counter()
        chunks = [[t for _, t in texts[i:i + 4]] for i in range(0, len(texts), 4)]
        pool.map(_work, chunks, chunksize=1)
        dt = time.perf_counter() - t0
    print(f"speed[{name}] {workers} processes: {len(texts) / dt:.2f} articles/s (model load excluded)")


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
    ap.add_argument("--paths", default="rules,model", help="which paths to run: rules, model or both")
    ap.add_argument("--model", type=Path, help="a trained model folder instead of the shipped one")
    args = ap.parse_args()
    scorer = args.scorer or args.data.resolve().parent.parent / "bench" / "attribution_score.py"
    speakers = args.speakers or args.data.resolve().parent / f"{args.data.resolve().name}_speakers.json"
    texts = _texts(args.data, args.limit)
    out = args.out or Path(tempfile.mkdtemp(prefix="sayso-polnear-"))
    paths = []
    if "rules" in args.paths:
        paths.append(("rules", None))
    if "model" in args.paths:
        from sayso import learned
        if args.model or learned.load(None) is not None:
            paths.append(("model", args.model or "default"))
        else:
            print("(no trained model ships yet: model path skipped)")
    for name, model in paths:
        run_path(name, model, texts, out / name, scorer, args.data, speakers)
        if args.workers > 1:
            parallel(name, model, texts, args.workers)
    for name, model in paths:
        extract_rss(name, model, args.data, args.limit)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB (this process), {child:.0f} MB (largest worker)")


if __name__ == "__main__":
    main()
