"""Corpus benchmark: ingest throughput (1 and 2 workers vs bare extraction), db size, query latency.

    python bench/corpus.py ../shared/polnear --articles 1000 --query-articles 10000

Articles are the PolNeAR texts (train + dev) repeated with distinct ids, URLs and
a one-line copy marker at the end (so the text-hash dedupe keeps every copy).
Throughput is measured on ``--articles``; query latency on a database of
``--query-articles`` articles, grown from the 2-worker database by storing its
reports again under new ids (no re-extraction; offsets stay true because the
marker is appended after the text).
"""
from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sayso.corpus import Corpus, ingest_articles, ingest_reports  # noqa: E402
from sayso.model import Article, Report  # noqa: E402


def load_articles(root: Path, n: int) -> list[Article]:
    meta = {}
    tsv = root / "metadata.tsv"
    if tsv.exists():
        with tsv.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                meta[row["filename"]] = row
    files = sorted(root.glob("*/text/*.txt"))
    if not files:
        raise SystemExit(f"no */text/*.txt under {root}")
    out = []
    for k in range(n):
        f = files[k % len(files)]
        copy = k // len(files)
        m = meta.get(f.stem, {})
        text = f.read_text(encoding="utf-8") + f"\n\n(Copy {copy}.)"
        out.append(Article(text=text, id=f"{f.stem}-c{copy}", outlet=m.get("publisher"),
                           published=m.get("publication_date"), title=m.get("title"),
                           url=f"https://polnear.example/{f.stem}/{copy}"))
    return out


_reader = None


def _init(model):
    global _reader
    from sayso.reader import Reader
    _reader = Reader(model=model)


def _bare(arts):
    return sum(1 for _ in _reader.pipe(arts))


def bare_extraction(arts: list[Article], procs: int, model) -> float:
    """Articles/second of extraction alone in ``procs`` processes (spaCy load excluded)."""
    ctx = mp.get_context("forkserver")
    with ctx.Pool(procs, initializer=_init, initargs=(model,)) as pool:
        pool.map(_bare, [[arts[0]]] * procs)  # warm: models loaded
        t = time.perf_counter()
        chunks = [arts[i:i + 16] for i in range(0, len(arts), 16)]
        n = sum(pool.imap(_bare, chunks))
        return n / (time.perf_counter() - t)


def ingest_rate(arts: list[Article], db: Path, workers: int, model) -> float:
    if workers == 1:
        from sayso.reader import Reader
        reader = Reader(model=model)
        reader.extract_article(arts[0])  # warm, like the pools above
        t = time.perf_counter()
        stats = ingest_articles(db, arts, reader=reader)
    else:
        ctx = mp.get_context("forkserver")  # warm pool start-up is excluded the same way:
        with ctx.Pool(workers, initializer=_init, initargs=(model,)) as pool:  # preload modules
            pool.map(_bare, [[arts[0]]] * workers)
        t = time.perf_counter()
        stats = ingest_articles(db, arts, workers=workers, model=model)
    dt = time.perf_counter() - t
    # PolNeAR holds a few articles twice under two names: their copies are skipped as
    # duplicates (same text hash) before extraction, so they count as neither
    assert stats.added + stats.skipped == len(arts) and not stats.failed, stats
    return stats.added / dt


def grow(src: Path, dst: Path, total: int) -> None:
    """A bigger database from the reports of ``src``, stored again under new ids."""
    con = sqlite3.connect(src)
    rows = con.execute("SELECT id, url, title, outlet, published, author, text, report FROM articles").fetchall()
    con.close()

    def pairs():
        for k in range(total):
            aid, url, title, outlet, pub, author, text, rep = rows[k % len(rows)]
            copy = k // len(rows)
            t = text + f"\n\n(Reprint {copy}.)"
            art = Article(text=t, id=f"{aid}-r{copy}", url=f"{url}/r{copy}", title=title, outlet=outlet,
                          published=pub, author=author)
            d = json.loads(rep)
            d["document"] = {**d["document"], "id": art.id, "chars": len(t)}
            yield art, Report.from_dict(d)
    ingest_reports(dst, pairs())


def latency(fn, args_list) -> tuple[float, float]:
    times = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def queries(db: Path, reps: int) -> dict[str, tuple[float, float]]:
    rnd = random.Random(1)
    with Corpus.open(db) as c:
        con = c.con
        names = [r[0] for r in con.execute("SELECT name FROM speakers ORDER BY quotes DESC LIMIT 200")]
        outlets = [r[0] for r in con.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")]
        dates = [r[0] for r in con.execute("SELECT DISTINCT published FROM articles WHERE published IS NOT NULL")]
        qids = [r[0] for r in con.execute("SELECT id FROM attributions WHERE group_id IS NOT NULL "
                                          "ORDER BY random() LIMIT 500")]
        aids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY random() LIMIT 500")]
        words = ["president", "campaign", "email", "voters", "debate", "tax", "health", "wall",
                 "border", "foundation", "polls", "economy"]
        pick = lambda xs: [rnd.choice(xs) for _ in range(reps)]  # noqa: E731
        return {
            "speakers": latency(lambda: c.top_speakers(), [()] * reps),
            "speakers --outlet": latency(lambda o: c.top_speakers(outlet=o), [(o,) for o in pick(outlets)]),
            "speakers --since": latency(lambda d: c.top_speakers(since=d), [(d,) for d in pick(dates)]),
            "speaker NAME": latency(lambda n: c.speaker(n), [(n,) for n in pick(names)]),
            "quotes": latency(lambda: c.quotes(), [()] * reps),
            "quotes --speaker": latency(lambda n: c.quotes(speaker=n), [(n,) for n in pick(names)]),
            "quotes --outlet": latency(lambda o: c.quotes(outlet=o), [(o,) for o in pick(outlets)]),
            "quotes --since": latency(lambda d: c.quotes(since=d), [(d,) for d in pick(dates)]),
            "quotes --search": latency(lambda w: c.quotes(search=w), [(w,) for w in pick(words)]),
            "spread QUOTE": latency(lambda q: c.spread(q), [(str(q),) for q in pick(qids)]),
            "show ARTICLE": latency(lambda a: c.article(a), [(a,) for a in pick(aids)]),
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("polnear", type=Path, help="the PolNeAR folder (with train/ and dev/)")
    ap.add_argument("--articles", type=int, default=10_000, help="articles ingested per throughput run")
    ap.add_argument("--query-articles", type=int, default=10_000, help="database size for query latency")
    ap.add_argument("--reps", type=int, default=100, help="calls per query")
    ap.add_argument("--model", default=None, help="trained model ('default' or a path); rules only if left out")
    ap.add_argument("--skip-1-worker", action="store_true")
    a = ap.parse_args()
    arts = load_articles(a.polnear, a.articles)
    print(f"corpus bench: {len(arts)} articles from {a.polnear}, {os.cpu_count()} CPUs, "
          f"model={a.model or 'rules only'}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bare = bare_extraction(arts, 2, a.model)
        print(f"bare extraction, 2 processes : {bare:7.1f} articles/s", flush=True)
        two = ingest_rate(arts, tmp / "w2.db", 2, a.model)
        print(f"ingest, 2 workers            : {two:7.1f} articles/s  ({100 * two / bare:.0f}% of bare)",
              flush=True)
        if not a.skip_1_worker:
            one = ingest_rate(arts, tmp / "w1.db", 1, a.model)
            print(f"ingest, 1 worker             : {one:7.1f} articles/s", flush=True)
        size = sum(f.stat().st_size for f in tmp.glob("w2.db*"))
        print(f"database size                : {size / len(arts) / 1024:7.1f} KiB/article "
              f"({size / 1e6:.1f} MB for {len(arts)})", flush=True)
        qdb = tmp / "w2.db"
        if a.query_articles > len(arts):
            qdb = tmp / "q.db"
            t = time.perf_counter()
            grow(tmp / "w2.db", qdb, a.query_articles)
            print(f"query database: {a.query_articles} articles stored from reports in "
                  f"{time.perf_counter() - t:.0f} s, {qdb.stat().st_size / a.query_articles / 1024:.1f} "
                  f"KiB/article", flush=True)
        with Corpus.open(qdb) as c:
            print(f"query database holds {c.stats()}", flush=True)
        print(f"{'query':22} {'median ms':>10} {'p95 ms':>8}")
        for name, (med, p95) in queries(qdb, a.reps).items():
            flag = "" if p95 < 100 else "  over 100 ms"
            print(f"{name:22} {med:10.2f} {p95:8.2f}{flag}", flush=True)


if __name__ == "__main__":
    main()
