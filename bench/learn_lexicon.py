#!/usr/bin/env python3
"""Learn the cue lexicon from PolNeAR train: how often each word is (part of) a cue.

    python bench/learn_lexicon.py --polnear ../shared/polnear --out src/sayso/lexicons/cues_learned.json

Only statistics leave the corpus (word -> cue count, occurrences); no text does.
Reads train/ only, so dev stays a fair measurement.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import spacy

from sayso.learn.brat import read_compartment


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--polnear", type=Path, required=True, help="folder holding train/ and metadata.tsv")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args()
    tok = spacy.blank("en").tokenizer
    cue, total = Counter(), Counter()
    for art in read_compartment(args.polnear / "train"):
        text = art.text
        cue_chars = {i for g in art.attributions for s, e in g.cue for i in range(s, e)}
        for t in tok(text):
            w = t.lower_
            if not t.is_alpha and w not in (":",):
                continue
            total[w] += 1
            if t.idx in cue_chars:
                cue[w] += 1
    lex = {w: [cue[w], total[w]] for w in sorted(cue)
           if cue[w] >= args.min_count and cue[w] / total[w] >= 0.05}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"_about": "word: [times part of a cue, occurrences] in PolNeAR train",
                                    "words": lex}, indent=0, sort_keys=True), encoding="utf-8")
    print(f"{len(lex)} cue words written to {args.out}")


if __name__ == "__main__":
    main()
