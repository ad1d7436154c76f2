"""Train the pronoun antecedent ranker of the speaker stage on GUM's coreference chains.

    python -m sayso.learn.antecedents --gum ../shared/gum --out src/sayso/lexicons/antecedents.json

GUM (documents of 15 genres with every mention typed and chained) says who each
"he"/"she" refers to. Each GUM document is parsed by sayso's own spaCy pipeline over
GUM's tokens, and the speaker stage runs over it exactly as on an article, recording for
every third-person pronoun the candidate entities it weighed and their features
(``speakers.rank_features``). A candidate is right when one of its name mentions ends on
a token that ends a mention of the pronoun's chain. A conditional-logit ranker (softmax
over the candidates of one pronoun, L2-regularised, full-batch gradient descent from
zero: deterministic) learns the feature weights. Training is for development only; the
weights ship as data and the run time reads them without this module.
"""
from __future__ import annotations

import argparse
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from sayso.errors import InputError

_OPEN = re.compile(r"\(([a-z]+)-(\d+)")
_CLOSE = re.compile(r"([a-z]+)-(\d+)(?:-[^()|]*)?\)")


@dataclass
class GumDoc:
    name: str
    words: list[str]
    sent_starts: list[bool]
    #: token index -> chain ids of the gold mentions that end there
    ends: dict[int, set[int]]
    #: chain id -> entity type ("person", "place", ...)
    types: dict[int, str]


def read_conll(path: Path) -> GumDoc:
    """One GUM ``.conll`` file: tokens, sentence starts, and where each mention ends."""
    words, starts, ends, types = [], [], {}, {}
    stack: list[tuple[str, int, int]] = []
    new_sent = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            new_sent = True
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            raise InputError(f"{path}: not GUM conll (index, word, coref columns): {line[:60]!r}")
        i = len(words)
        words.append(parts[1])
        starts.append(new_sent)
        new_sent = False
        col = parts[2]
        for m in _OPEN.finditer(col):
            stack.append((m.group(1), int(m.group(2)), i))
            # "(person-12)" opens and closes on one token
        for m in _CLOSE.finditer(col):
            cid = int(m.group(2))
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][1] == cid:
                    t, _, _ = stack.pop(k)
                    ends.setdefault(i, set()).add(cid)
                    types[cid] = t
                    break
    return GumDoc(path.stem, words, starts, ends, types)


def _doc(nlp, g: GumDoc):
    """sayso's pipeline over GUM's own tokens and sentences."""
    from spacy.tokens import Doc
    no_space_before = {",", ".", ";", ":", "!", "?", ")", "'s", "n't", "'", "'re", "'ve", "'ll", "'d", "%"}
    spaces = [i + 1 < len(g.words) and g.words[i + 1] not in no_space_before and w not in ("(", "$")
              for i, w in enumerate(g.words)]
    doc = Doc(nlp.vocab, words=g.words, spaces=spaces)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def examples(nlp, g: GumDoc) -> list[list[tuple[dict[str, float], bool]]]:
    """For each pronoun with a right candidate among those weighed: (features, right) pairs."""
    from sayso.extract import pipeline, speakers
    from sayso.extract.context import Context
    doc = _doc(nlp, g)
    ctx = Context(text=doc.text, doc=doc, meta={"antecedent_trace": []})
    # the rule stages first, so that speakers of statements weigh as they do in news
    for stage in pipeline.STAGES:
        if stage is speakers.resolve:
            break
        stage(ctx)
    speakers.resolve(ctx)
    out = []
    token_entity = ctx.token_entity
    for i, cands in ctx.meta["antecedent_trace"]:
        gold = g.ends.get(i, set())
        if not gold or not cands:
            continue
        rows = []
        for e, f in cands:
            toks = [k for k, v in token_entity.items() if v == e.id and k != i and k < i]
            rows.append((f, any(gold & g.ends.get(k, set()) for k in toks)))
        if any(r for _, r in rows):
            out.append(rows)
    return out


def train(groups: list[list[tuple[dict[str, float], bool]]], *, l2: float = 0.01, steps: int = 400,
          rate: float = 0.5) -> dict[str, float]:
    """Weights of a softmax ranker: each group is one pronoun's candidates."""
    names = sorted({k for grp in groups for f, _ in grp for k in f})
    index = {k: j for j, k in enumerate(names)}
    w = [0.0] * len(names)
    n = max(1, len(groups))
    for _ in range(steps):
        grad = [l2 * x for x in w]
        for grp in groups:
            scores = [sum(w[index[k]] * v for k, v in f.items()) for f, _ in grp]
            top = max(scores)
            exp = [math.exp(s - top) for s in scores]
            z = sum(exp)
            right = [k for k, (_, r) in enumerate(grp) if r]
            zr = sum(exp[k] for k in right)
            for k, (f, r) in enumerate(grp):
                # d(-log sum_right p)/dw = E_all[f] - E_right[f]
                coef = exp[k] / z - (exp[k] / zr if r else 0.0)
                for name, v in f.items():
                    grad[index[name]] += coef * v / n
        w = [x - rate * gx for x, gx in zip(w, grad)]
    return {k: round(w[j], 5) for j, k in enumerate(names)}


def accuracy(groups, weights: dict[str, float]) -> float:
    ok = 0
    for grp in groups:
        best = max(range(len(grp)), key=lambda k: sum(weights.get(n, 0.0) * v for n, v in grp[k][0].items()))
        ok += grp[best][1]
    return ok / max(1, len(groups))


def load_split(gum: Path, split: str) -> set[str]:
    """Document names of GUM's official split (splits.md)."""
    text = (gum / "splits.md").read_text(encoding="utf-8")
    m = re.search(rf"^## {split}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return set(re.findall(r"\* (\S+)", m.group(1))) if m else set()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gum", type=Path, required=True, help="GUM folder with conll/ and splits.md")
    ap.add_argument("--out", type=Path, required=True, help="weights file (JSON)")
    ap.add_argument("--limit", type=int, help="first N documents only (a quick run)")
    ap.add_argument("--l2", type=float, default=0.01)
    args = ap.parse_args(argv)
    from sayso import nlp as nlp_mod
    nlp = nlp_mod.load()
    files = sorted((args.gum / "conll").glob("*.conll"))[:args.limit]
    held = load_split(args.gum, "dev") | load_split(args.gum, "test")
    tr, te = [], []
    for f in files:
        groups = examples(nlp, read_conll(f))
        (te if f.stem in held else tr).extend(groups)
    weights = train(tr, l2=args.l2)
    baseline = {"salience": 1.0, "last_speaker": 0.3, "gender_match": 0.15, "name_gender_match": 0.15,
                "name_gender_mismatch": -1.0}
    report = {"train_pronouns": len(tr), "heldout_pronouns": len(te),
              "train_accuracy": round(accuracy(tr, weights), 4),
              "heldout_accuracy": round(accuracy(te, weights), 4),
              "heldout_accuracy_salience_only": round(accuracy(te, baseline), 4)}
    args.out.write_text(json.dumps({"_about": "Pronoun antecedent ranker of sayso.extract.speakers, "
                                              "trained on GUM's train split by sayso.learn.antecedents.",
                                    "trained": report, "weights": weights}, indent=1) + "\n",
                        encoding="utf-8")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
