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
from sayso.learn.brat import GoldArticle, read_compartment
from sayso.extract.frames import frames, key
from sayso.extract.quotes import inside, scan
from sayso.extract.syntax import is_verb, paragraph_bounds, token_range, trim


def gold_of(text: str, art: GoldArticle) -> list[tuple[frozenset[int], list[tuple[int, int]]]]:
    """Each gold attribution as (alphanumeric content offsets, cue ranges): the scorer's view."""
    out = []
    for g in art.attributions:
        cset = frozenset(i for s, e in g.content for i in range(s, min(e, len(text))) if text[i].isalnum())
        if cset:
            out.append((cset, g.cue))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--polnear", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--min-seen", type=int, default=2)
    args = ap.parse_args()
    texts, golds = [], []
    for art in read_compartment(args.polnear / "train"):
        texts.append(art.text)
        golds.append(gold_of(art.text, art))
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
