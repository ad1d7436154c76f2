#!/usr/bin/env python3
"""sayso on real news web pages, beside trafilatura's own default extraction of the same pages.

    python bench/webpages.py --pages ../shared/webpages --scorer ../shared/bench/webpage_score.py

Reads every ``PAGES/html/KEY.html.gz`` straight from the gzip file through
``sayso.inputs`` (as ``sayso extract`` does), extracts each page's report with its
text (``--include-text``), writes ``OUT/sayso/KEY.json`` and scores the folder with the
shared scorer (text_f1, quote_recall, place_speakers, statements_in_body). Then the
same scorer reads ``OUT/trafilatura/KEY.json``: ``trafilatura.extract`` with its
defaults on the page's raw bytes (its own decoding), as the text of a report with no
statements, so its text_f1 stands beside sayso's. Last lines: pages read, the rules
path when ``--both``, and the seconds spent.

After each path's scores, a ``quote_recall split`` line: the scorer pairs straight
marks left to right and skips quotes under 20 characters, so some of what it counts as
quotations is the text *between* two quotations (`"historic" move. ... said he was "`).
The split counts the scorer's quotations that are quotations by sayso's own pairing of
marks (``sayso.extract.quotes.scan`` on the gold body: same start and end) and the
recall over those alone; ``--show-missed`` prints the missed ones of each kind.
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path


def score(scorer: Path, gold: Path, pred: Path, show: int = 0) -> str:
    res = subprocess.run([sys.executable, str(scorer), "--gold", str(gold), "--pred", str(pred),
                          "--show", str(show)], capture_output=True, text=True, check=False)
    if res.returncode:
        sys.stderr.write(res.stderr)
    return res.stdout


def run_sayso(pages: Path, out: Path, model) -> tuple[int, int, list[str]]:
    from sayso import Reader
    from sayso.errors import SaysoError
    from sayso.inputs import iter_inputs

    out.mkdir(parents=True, exist_ok=True)
    files = sorted((pages / "html").glob("*.html.gz"))
    arts, failed = [], []
    for item in iter_inputs([str(f) for f in files]):
        if isinstance(item, SaysoError):
            failed.append(str(item))
        else:
            arts.append(item)
    reader = Reader(model=model)
    warned = []
    for art, rep in reader.pipe(arts):
        if isinstance(rep, SaysoError):
            failed.append(str(rep))
            continue
        rep = replace(rep, document=replace(rep.document, text=art.text))
        warned += [f"{art.id[:12]}: {w}" for w in rep.document.warnings]
        (out / f"{art.id}.json").write_text(rep.to_json(indent=None), encoding="utf-8")
    return len(files), len(arts), failed + [f"warning {w}" for w in warned]


def quote_split(scorer: Path, gold: Path, pred: Path, show: int = 0) -> str:
    """The scorer's quote_recall split into real quotations and pairing artefacts."""
    import importlib.util

    from sayso.extract.quotes import scan

    spec = importlib.util.spec_from_file_location("webpage_score", scorer)
    ws = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ws)
    counts = {True: [0, 0], False: [0, 0]}  # real quotation? -> [found, all]
    missed: list[str] = []
    for key, g in sorted(json.loads(gold.read_text(encoding="utf-8")).items()):
        body = g.get("articleBody", "")
        path = pred / f"{key}.json"
        rep = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        contents = [c for c in (ws.norm(ws.content_text(a)) for a in rep.get("attributions", [])) if c]
        real = {(q.start, q.end) for q in scan(body)}
        for m in ws.QUOTE.finditer(body):
            words = ws.norm(m.group(1)).split()
            if len(words) < 6:
                continue
            mid = " ".join(words[1:6])
            hit = any(mid in c for c in contents)
            kind = (m.start(), m.end()) in real
            counts[kind][0] += hit
            counts[kind][1] += 1
            if not hit:
                missed.append(f"   missed {'quotation' if kind else 'between quotations'} "
                              f"[{key[:10]}]: {' '.join(m.group(0).split())[:110]}")
    (rh, rn), (ah, an) = counts[True], counts[False]
    line = (f"quote_recall split: quotations {rh}/{rn} = {rh / rn if rn else 0:.3f} | "
            f"between quotations (scorer pairing) {ah}/{an}\n")
    return line + "".join(f"{m}\n" for m in missed[:show])


def run_trafilatura(pages: Path, out: Path) -> None:
    import trafilatura

    out.mkdir(parents=True, exist_ok=True)
    for f in sorted((pages / "html").glob("*.html.gz")):
        text = trafilatura.extract(gzip.decompress(f.read_bytes())) or ""
        key = f.name[: -len(".html.gz")]
        (out / f"{key}.json").write_text(json.dumps({"document": {"text": text}, "attributions": []}),
                                         encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, required=True, help="folder with html/ and ground-truth.json")
    ap.add_argument("--scorer", type=Path, required=True, help="webpage_score.py")
    ap.add_argument("--out", type=Path, default=None, help="where reports go (a temporary folder if left out)")
    ap.add_argument("--both", action="store_true", help="also run the rules-only path (--no-model)")
    ap.add_argument("--show", type=int, default=0, help="print N statements found outside the body")
    ap.add_argument("--show-missed", type=int, default=0, metavar="N",
                    help="print N quotations the reports miss, each with its kind")
    args = ap.parse_args(argv)
    gold = args.pages / "ground-truth.json"
    out = args.out or Path(tempfile.mkdtemp(prefix="sayso-webpages-"))
    t0 = time.perf_counter()
    paths = [("model", "default")] + ([("rules", None)] if args.both else [])
    for name, model in paths:
        n, ok, notes = run_sayso(args.pages, out / f"sayso-{name}", model)
        print(f"== sayso ({name}): {ok}/{n} pages read straight from .gz -> {out / f'sayso-{name}'}")
        for note in notes:
            print(f"   {note}")
        sys.stdout.write(score(args.scorer, gold, out / f"sayso-{name}", args.show))
        sys.stdout.write(quote_split(args.scorer, gold, out / f"sayso-{name}", args.show_missed))
    run_trafilatura(args.pages, out / "trafilatura")
    print("== trafilatura.extract(page bytes), default options")
    for line in score(args.scorer, gold, out / "trafilatura").splitlines():
        if line.startswith(("pages", "text_f1")):
            print(line)
    print(f"seconds {time.perf_counter() - t0:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
