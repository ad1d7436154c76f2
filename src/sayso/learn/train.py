"""Train the two CRFs from gold attributions (PolNeAR ``train`` only) and write a model dir.

A model dir holds ``cue.crfsuite`` (stage 1), ``role.crfsuite`` (stage 2) and
``meta.json`` (format version, training settings, the merge policy with the rules).
"""
from __future__ import annotations

import json
import logging
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from spacy.tokens import Doc

from sayso.learn.brat import GoldArticle
from sayso.learn.features import DocView, cue_features, role_features, view, window

log = logging.getLogger(__name__)

FORMAT = 1
#: crfsuite settings per training algorithm: "lbfgs" (a CRF proper, L1 keeps it small) or
#: "ap" (averaged perceptron over the same features: several times faster to train)
PARAMS = {
    "lbfgs": {"c1": 0.05, "c2": 0.01, "max_iterations": 100, "feature.possible_transitions": True},
    "ap": {"max_iterations": 12, "feature.possible_transitions": True},
}


def _tokens(v: DocView, spans: list[tuple[int, int]]) -> list[int]:
    """Non-space tokens overlapping any of the character ``spans``."""
    out = []
    for s, e in spans:
        for t in v.doc.char_span(s, e, alignment_mode="expand") or []:
            if not t.is_space:
                out.append(t.i)
    return sorted(set(out))


def examples(art: GoldArticle, doc: Doc, use_rules: bool = False) -> tuple[list, list]:
    """Stage 1 (paragraph, B/I/O) and stage 2 (cue window, S/C/Q/O) training sequences."""
    rules = None
    if use_rules:
        from sayso.learn.rules import rule_candidates
        rules = rule_candidates(art.text, doc)
    v = view(doc, rules)
    cue_lab: dict[int, str] = {}
    gold = []
    for g in art.attributions:
        cue_pieces = [_tokens(v, [r]) for r in g.cue]
        cue_pieces = [p for p in cue_pieces if p]
        if not cue_pieces:
            continue
        for piece in cue_pieces:
            for k, i in enumerate(piece):
                cue_lab[i] = "B" if k == 0 else "I"
        gold.append(([i for p in cue_pieces for i in p], g))
    stage1 = []
    for idx in v.paragraphs:
        stage1.append((cue_features(v, idx), [cue_lab.get(i, "O") for i in idx]))
    all_cues = set(cue_lab)
    stage2 = []
    for cue, g in gold:
        idx = window(v, cue)
        if not idx:
            continue
        lab = {i: "C" for i in _tokens(v, g.content)}
        lab.update({i: "S" for i in _tokens(v, g.source)})
        lab.update({i: "Q" for i in cue})
        stage2.append((role_features(v, cue, idx, all_cues), [lab.get(i, "O") for i in idx]))
    return stage1, stage2


def _train_one(seqs: list, out: Path, params: dict, algorithm: str) -> str:
    import pycrfsuite
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    for x, y in seqs:
        trainer.append(x, y)
    trainer.set_params(params)
    trainer.train(str(out))
    return str(out)


def train(arts: list[GoldArticle], docs: list[Doc], out: Path, *, seed: int = 0,
          params: dict | None = None, workers: int = 2, merge: str = "model",
          algorithm: str = "ap", use_rules: bool = True) -> Path:
    """Train both stages into ``out`` (created); returns ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    s1, s2 = [], []
    for art, doc in zip(arts, docs):
        a, b = examples(art, doc, use_rules)
        s1.extend(a)
        s2.extend(b)
    # crfsuite's L-BFGS is deterministic; the seed fixes the order examples are seen in
    rng = random.Random(seed)
    rng.shuffle(s1)
    rng.shuffle(s2)
    p = dict(PARAMS[algorithm], **(params or {}))
    log.info("training on %d paragraphs and %d cue windows", len(s1), len(s2))
    if workers > 1:
        with ProcessPoolExecutor(2) as ex:
            f1 = ex.submit(_train_one, s1, out / "cue.crfsuite", p, algorithm)
            f2 = ex.submit(_train_one, s2, out / "role.crfsuite", p, algorithm)
            f1.result()
            f2.result()
    else:
        _train_one(s1, out / "cue.crfsuite", p, algorithm)
        _train_one(s2, out / "role.crfsuite", p, algorithm)
    meta = {"format": FORMAT, "seed": seed, "algorithm": algorithm, "params": p, "merge": merge,
            "rule_features": use_rules,
            "articles": len(arts), "stage1_sequences": len(s1), "stage2_sequences": len(s2)}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out
