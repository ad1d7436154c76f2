#!/usr/bin/env python3
"""Time and peak memory on long and hostile articles: does any article stay bounded?

    .venv/bin/python bench/robust.py                 # every case, rules + the shipped model
    .venv/bin/python bench/robust.py --no-model      # rules only
    .venv/bin/python bench/robust.py --cases long    # only the long-paragraph article

Each case runs in a fresh process under a memory cap (``--cap-mb``, RLIMIT_AS) and a
time limit (``--limit-s``), so a regression prints "over the cap" instead of taking the
machine down. Printed per case: characters, seconds of extraction (model load
excluded), peak RSS of the process, and attributions found. The long-paragraph
article (``('word ' * 200 + '"quoted stuff," he said. ') * N``) is also run with the
same words cut into ~300-character paragraphs, and the ratio of the two times is
printed (the target: under 4x, peak under 600 MB, up to a 2 MB article). The other
cases are printed at two or three sizes, with the ratios of their times (the parse and
sayso's stages apart), so they show how each scales (the size ratio = linear).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time

LONG = 'word ' * 200 + '"quoted stuff," he said. '


def long_paragraph(n: int) -> str:
    return LONG * n


def cut(text: str, size: int = 300) -> str:
    """The same words in paragraphs of about ``size`` characters (a space becomes a line break)."""
    out, last = [], 0
    for m in re.finditer(" ", text):
        if m.start() - last >= size:
            out.append(text[last:m.start()])
            last = m.start() + 1
    out.append(text[last:])
    return "\n".join(out)


#: name -> (text of size n, the sizes printed)
CASES = {
    "long": (long_paragraph, [100, 300, 600, 1200, 1950]),
    "paragraphs": (lambda n: '"Fine," he said.\n' * n, [5000, 20000, 50000]),
    "quote-marks": (lambda n: 'He said "' * n, [2000, 20000]),
    "quoted-words": (lambda n: " ".join(f'"w{i}"' for i in range(n)) + " he said.", [1000, 10000]),
    "nested-quotes": (lambda n: ('"She said \'he said "' * n) + "x" + ('" \'" ' * n) + " Ann Lee said.",
                      [200, 2000]),
}


def child(case: str, n: int, paragraphs: bool, model: str | None) -> None:
    """Runs in the capped process: print one JSON line of figures."""
    import resource

    from sayso import Reader
    make, _ = CASES[case]
    text = make(n)
    if paragraphs:
        text = cut(text)
    from sayso.model import Article
    reader = Reader(model=model)
    reader.extract("Warm up, she said.")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()  # what reader.extract does, the parse and the stages timed apart
    doc = reader.parse(text)
    t1 = time.perf_counter()
    rep = reader._report(Article(text=text), doc)
    t2 = time.perf_counter()
    dt = t2 - t0
    bad = [a.id for a in rep.attributions if text[a.content.start:a.content.end] != a.content.text]
    print(json.dumps({"chars": len(text), "seconds": dt, "parse": t1 - t0, "stages": t2 - t1,
                      "attributions": len(rep.attributions),
                      "loaded_mb": base, "offsets_wrong": len(bad),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure(case: str, n: int, paragraphs: bool, model: str | None, cap_mb: int,
            limit_s: float) -> dict:
    def cap() -> None:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (cap_mb << 20, cap_mb << 20))
        os.nice(5)

    cmd = [sys.executable, __file__, "--child", case, str(n), str(int(paragraphs)), model or "-"]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=limit_s, preexec_fn=cap)
    except subprocess.TimeoutExpired:
        return {"error": f"over the {limit_s:g} s limit"}
    if res.returncode:
        tail = (res.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"over the {cap_mb} MB cap" if "MemoryError" in res.stderr else tail[:120]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def show(label: str, r: dict) -> str:
    if "error" in r:
        return f"{label:<34} {r['error']}"
    wrong = f"  OFFSETS WRONG: {r['offsets_wrong']}" if r["offsets_wrong"] else ""
    return (f"{label:<34} {r['chars']:>9,} chars {r['seconds']:>7.2f} s (parse {r['parse']:.2f}, stages "
            f"{r['stages']:.2f})  peak {r['peak_mb']:>5.0f} MB  {r['attributions']:>6} attributions{wrong}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _, _, case, n, para, model = sys.argv
        child(case, int(n), para == "1", None if model == "-" else model)
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-model", action="store_true", help="rules only")
    ap.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of {', '.join(CASES)}")
    ap.add_argument("--cap-mb", type=int, default=2000, help="address-space cap per case (MB)")
    ap.add_argument("--limit-s", type=float, default=600, help="time limit per case (s)")
    args = ap.parse_args()
    model = None if args.no_model else "default"
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[:3]
    print(f"model: {'rules only' if model is None else 'shipped model'}; load average {' '.join(load)}; "
          f"cap {args.cap_mb} MB, limit {args.limit_s:g} s per case")
    for case in args.cases.split(","):
        _, sizes = CASES[case]
        rows = []
        for n in sizes:
            r = measure(case, n, False, model, args.cap_mb, args.limit_s)
            print(show(f"{case} n={n}", r), flush=True)
            if case == "long":
                s = measure(case, n, True, model, args.cap_mb, args.limit_s)
                print(show(f"{case} n={n} in ~300-char paragraphs", s), flush=True)
                if "error" not in r and "error" not in s:
                    print(f"{'':<34} ratio one paragraph / paragraphs: {r['seconds'] / s['seconds']:.2f}x",
                          flush=True)
            rows.append(r)
        if case != "long" and not any("error" in r for r in rows):
            for k in range(1, len(rows)):
                a, b = rows[k - 1], rows[k]
                print(f"{'':<34} {case}: {sizes[k] / sizes[k - 1]:g}x the size took "
                      f"{b['seconds'] / a['seconds']:.1f}x the time (parse {b['parse'] / a['parse']:.1f}x, "
                      f"stages {b['stages'] / a['stages']:.1f}x)", flush=True)


if __name__ == "__main__":
    main()
