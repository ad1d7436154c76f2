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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--polnear", type=Path, required=True, help="folder holding train/ and metadata.tsv")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args()
    train = args.polnear / "train"
    first = {}
    meta = args.polnear / "metadata.tsv"
    if meta.exists():
        rows = meta.read_text(encoding="utf-8").splitlines()
        head = rows[0].split("\t")
        for line in rows[1:]:
            r = dict(zip(head, line.split("\t")))
            first[r["filename"]] = r["annotators"].split("|")[0]
    tok = spacy.blank("en").tokenizer
    cue, total = Counter(), Counter()
    for tpath in sorted((train / "text").glob("*.txt")):
        name = tpath.stem
        ann = train / "attributions" / f"{name}_{first.get(name, '')}.ann"
        if not ann.exists():
            cands = sorted((train / "attributions").glob(f"{name}_*.ann"))
            if not cands:
                continue
            ann = cands[0]
        text = tpath.read_text(encoding="utf-8")
        cue_chars = set()
        for line in ann.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if line.startswith("T") and len(cols) > 1 and cols[1].startswith("Cue "):
                for part in cols[1][4:].split(";"):
                    s, e = map(int, part.split())
                    cue_chars.update(range(s, e))
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
