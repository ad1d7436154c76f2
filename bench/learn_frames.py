#!/usr/bin/env python3
"""Learn which parse frames of which verbs hold reported content, from PolNeAR train.

    python bench/learn_frames.py --polnear ../shared/polnear --out src/sayso/lexicons/frames_learned.json

For every verb in train and every frame of it (sayso.extract.frames), count how
often the frame's span matches a gold content (alphanumeric Jaccard >= 0.5, the
scorer's rule) whose cue is that verb. Only counts leave the corpus. Reads train/
only, so dev stays a fair measurement.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from sayso import nlp as nlp_mod
from sayso.extract.frames import frames, key
from sayso.extract.quotes import inside, scan
from sayso.extract.syntax import is_verb, paragraph_bounds, token_range, trim


def gold_of(text: str, ann: str) -> list[tuple[frozenset[int], list[tuple[int, int]]]]:
    spans, events = {}, []
    for line in ann.splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) > 1:
            label, _, rest = cols[1].partition(" ")
            spans[cols[0]] = (label, [tuple(map(int, p.split())) for p in rest.split(";")])
        elif line.startswith("E") and len(cols) > 1:
            roles = defaultdict(list)
            for arg in cols[1].split():
                role, _, tid = arg.partition(":")
                roles[role.rstrip("0123456789")].append(tid)
            events.append(roles)
    out = []
    for roles in events:
        content = [r for t in roles.get("Content", []) if t in spans for r in spans[t][1]]
        cue = [r for t in roles.get("Cue", []) if t in spans for r in spans[t][1]]
        cset = frozenset(i for s, e in content for i in range(s, min(e, len(text))) if text[i].isalnum())
        if cset:
            out.append((cset, cue))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--polnear", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--min-seen", type=int, default=2)
    args = ap.parse_args()
    train = args.polnear / "train"
    first = {}
    rows = (args.polnear / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    head = rows[0].split("\t")
    for line in rows[1:]:
        r = dict(zip(head, line.split("\t")))
        first[r["filename"]] = r["annotators"].split("|")[0]
    files = sorted((train / "text").glob("*.txt"))
    texts, golds = [], []
    for f in files:
        ann = train / "attributions" / f"{f.stem}_{first.get(f.stem, '')}.ann"
        if not ann.exists():
            c = sorted((train / "attributions").glob(f"{f.stem}_*.ann"))
            if not c:
                continue
            ann = c[0]
        text = f.read_text(encoding="utf-8")
        texts.append(text)
        golds.append(gold_of(text, ann.read_text(encoding="utf-8")))
    nlp = nlp_mod.load()
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    t0 = time.time()
    for n, (text, gold, doc) in enumerate(zip(texts, golds, nlp.pipe(texts, batch_size=16)), 1):
        quotes = scan(text)
        for v in doc:
            # as at run time: verbs inside quotation marks belong to the quoted speaker
            if not (is_verb(v) or v.tag_ in ("NN", "NNS")) or inside(quotes, v.idx) is not None:
                continue
            vs, ve = v.idx, v.idx + len(v.text)
            mine = [g for g, cue in gold if any(s < ve and vs < e for s, e in cue)]
            for name, lo, hi in frames(v):
                tr = trim(doc, lo, hi)
                if tr is None:
                    continue
                s, e = token_range(doc, *tr)
                ps, pe = paragraph_bounds(text, v.idx)
                s, e = max(s, ps), min(e, pe)
                cset = frozenset(i for i in range(s, e) if text[i].isalnum())
                if not cset:
                    continue
                c = counts[key(v)][name]
                c[1] += 1
                if any(len(cset & g) / len(cset | g) >= 0.5 for g in mine):
                    c[0] += 1
        if n % 100 == 0:
            print(f"{n} articles, {time.time() - t0:.0f} s", flush=True)
    words = {w: {f: hs for f, hs in fr.items() if hs[1] >= args.min_seen and hs[0] > 0}
             for w, fr in counts.items()}
    words = {w: fr for w, fr in words.items() if fr}
    args.out.write_text(json.dumps({"_about": "word: {frame: [content hits, times seen]} in PolNeAR train",
                                    "words": words}, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    print(f"{len(words)} words with frames written to {args.out}")


if __name__ == "__main__":
    main()
