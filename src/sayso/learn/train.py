"""Train the model from gold attributions (PolNeAR ``train`` only) and write a model dir.

A model dir holds ``cue.crfsuite`` (stage 1, a CRF: its marginals are cue
probabilities), ``role.crfsuite`` (stage 2, averaged perceptron), ``role_crf.crfsuite``
(stage 2 as a CRF, for a second reading and for probabilities), ``filter.crfsuite``
(stage 3, logistic regression over proposed attributions, see ``stacking.py``) and
``meta.json`` (format, settings, the stage 3 threshold, the merge policy).

Stage 3 must learn from the mistakes the CRFs make on text they have not seen, so
training runs k-fold: CRFs trained on k-1 folds propose attributions for the held-out
fold, and those out-of-fold proposals, labelled against the gold, train stage 3.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from spacy.tokens import Doc

from sayso.learn.brat import GoldArticle
from sayso.learned.features import DocView, cue_features, role_features, view, window
from sayso.learned.merge import _alnum
from sayso.learned import FORMAT

log = logging.getLogger(__name__)

#: crfsuite trainer and settings per stage. Stage 1 and the second stage 2 are CRFs
#: (l2sgd: probabilities, minutes not hours on two cores; features seen once are dropped,
#: which halves the files); stage 2 proper is an averaged perceptron (best spans on dev).
STAGES = {
    "cue": ("l2sgd", {"c2": 1.0, "max_iterations": 30, "feature.minfreq": 2}),
    "role": ("ap", {"max_iterations": 12}),
    "role_crf": ("l2sgd", {"c2": 1.0, "max_iterations": 30, "feature.minfreq": 2}),
}
#: stage 3: L2-regularised logistic regression (a one-item CRF); features seen once are
#: dropped (most pairwise conjunctions are rare: the model file is 40% smaller, F1 the same)
FILTER = ("lbfgs", {"c2": 20.0, "max_iterations": 300, "feature.minfreq": 2})
#: thresholds stage 3 may choose from (by out-of-fold F1 on train)
THRESHOLDS = [round(0.2 + 0.025 * k, 3) for k in range(17)]


def _tokens(v: DocView, spans: list[tuple[int, int]]) -> list[int]:
    """Non-space tokens overlapping any of the character ``spans``."""
    out = []
    for s, e in spans:
        for t in v.doc.char_span(s, e, alignment_mode="expand") or []:
            if not t.is_space:
                out.append(t.i)
    return sorted(set(out))


def examples(art: GoldArticle, doc: Doc, use_rules: bool = False,
             rules: list | None = None) -> tuple[list, list]:
    """Stage 1 (paragraph, B/I/O) and stage 2 (cue window, S/C/Q/O) training sequences."""
    if use_rules and rules is None:
        from sayso.learned.rules import rule_candidates
        rules = rule_candidates(art.text, doc)
    v = view(doc, rules if use_rules else None)
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


#: what fork()ed workers read instead of receiving it pickled: per article (stage 1, stage 2)
_SHARED: dict = {}


def _train_stage(stage: str, articles: list[int], out: str, seed: int, params: dict) -> str:
    import pycrfsuite
    algorithm, base = STAGES[stage]
    part = 0 if stage == "cue" else 1
    seqs = [s for a in articles for s in _SHARED["examples"][a][part]]
    random.Random(seed).shuffle(seqs)
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    for x, y in seqs:
        trainer.append(x, y)
    trainer.set_params(dict(base, **{"feature.possible_transitions": True}, **params))
    _seed_c_rand(seed)
    trainer.train(out)
    return out


def _seed_c_rand(seed: int) -> None:
    """crfsuite's l2sgd draws from the C library's rand(), whose state a pool worker
    carries from one job to the next: without this a model depended on which jobs its
    worker had run before it."""
    import ctypes
    import ctypes.util
    try:
        ctypes.CDLL(ctypes.util.find_library("c")).srand(seed)
    except (OSError, AttributeError, TypeError):  # no C library to seed: nothing carries over
        pass


def _fold_proposals(fold_dir: str, articles: list[int]) -> list:
    """Out-of-fold proposals: (article, features, labels, proposals) for the held-out articles."""
    from sayso.learned import stacking
    taggers = _open(Path(fold_dir), ("cue", "role", "role_crf"))
    out = []
    for a in articles:
        art, doc, rules = _SHARED["arts"][a], _SHARED["docs"][a], _SHARED["rules"][a]
        v = view(doc, rules)
        props = stacking.propose(v, *taggers, bar=stacking.PROPOSAL_BAR, rules=rules)
        out.append((a, stacking.all_features(v, props), gold_labels(art, props), props))
    return out


def _open(folder: Path, stages) -> list:
    import pycrfsuite
    out = []
    for stage in stages:
        t = pycrfsuite.Tagger()
        t.open(str(folder / f"{stage}.crfsuite"))
        out.append(t)
    return out


def _gold_sets(art: GoldArticle) -> list[tuple[frozenset[int], frozenset[int]]]:
    out = []
    for g in art.attributions:
        content = _alnum(art.text, g.content)
        if content:
            out.append((content, _alnum(art.text, g.source)))
    return out


def _right(content, source, gold) -> bool:
    """The scorer's attribution match: content Jaccard >= 0.5 and the source right."""
    gc, gs = gold
    inter = len(content & gc)
    if not inter or inter / len(content | gc) < 0.5:
        return False
    return (not gs and not source) or bool(gs & source)


def gold_labels(art: GoldArticle, props) -> list[str]:
    """"1" for a proposal that matches some gold attribution, else "0"."""
    golds = _gold_sets(art)
    out = []
    for pr in props:
        c = _alnum(art.text, pr.pred.content)
        s = _alnum(art.text, [pr.pred.source] if pr.pred.source else [])
        out.append("1" if any(_right(c, s, g) for g in golds) else "0")
    return out


def attribution_f1(pairs) -> float:
    """The scorer's attribution F1 (greedy one-to-one on content Jaccard) over
    ``pairs`` of (GoldArticle, predictions), in memory, for choosing a threshold."""
    tp = n_pred = n_gold = 0
    for art, preds in pairs:
        golds = _gold_sets(art)
        ps = [(_alnum(art.text, p.content), _alnum(art.text, [p.source] if p.source else []))
              for p in preds]
        ps = [p for p in ps if p[0]]
        cand = []
        for gi, (gc, gs) in enumerate(golds):
            for pi, (pc, psrc) in enumerate(ps):
                inter = len(gc & pc)
                if inter and inter / len(gc | pc) > 0.5 - 1e-9:
                    right = (not gs and not psrc) or bool(gs & psrc)
                    cand.append((inter / len(gc | pc), right, gi, pi))
        cand.sort(reverse=True)
        used_g, used_p = set(), set()
        for j, right, gi, pi in cand:
            if gi not in used_g and pi not in used_p:
                used_g.add(gi)
                used_p.add(pi)
                tp += right
        n_pred += len(ps)
        n_gold += len(golds)
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0


def _train_filter(rows: list, out: Path) -> None:
    import pycrfsuite
    algorithm, params = FILTER
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    for _, feats, labels, _ in rows:
        for f, y in zip(feats, labels):
            trainer.append([f], [y])
    trainer.set_params(params)
    trainer.train(str(out))


def _choose_threshold(rows: list, folds: list[list[int]], arts: list[GoldArticle],
                      tmp: Path) -> tuple[float, dict[float, float]]:
    """Stage 3's threshold: best F1 of out-of-fold stage 3 probabilities on train."""
    import pycrfsuite
    from sayso.learned import stacking
    probs: dict[int, list[float]] = {}
    for k, held in enumerate(folds):
        held_set = set(held)
        path = tmp / f"filter{k}.crfsuite"
        _train_filter([r for r in rows if r[0] not in held_set], path)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        for a, feats, _, _ in rows:
            if a in held_set:
                probs[a] = stacking.probabilities(tagger, feats)
    scores = {}
    for th in THRESHOLDS:
        pairs = [(arts[a], stacking.choose(props, probs[a], th)) for a, _, _, props in rows]
        scores[th] = round(attribution_f1(pairs), 4)
    return max(THRESHOLDS, key=lambda t: (scores[t], -abs(t - 0.4))), scores


def train(arts: list[GoldArticle], docs: list[Doc], out: Path, *, seed: int = 0,
          params: dict | None = None, workers: int = 2, merge: str = "model",
          use_rules: bool = True, folds: int = 4) -> Path:
    """Train all stages into ``out`` (created); returns ``out``.

    ``params``: settings every stage's trainer takes ("max_iterations", "feature.minfreq")
    that override STAGES.
    ``folds``: k of the k-fold training of stage 3 (0: no stage 3, best paths only).
    """
    import tempfile
    from sayso.learned.rules import rule_candidates
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    params = params or {}
    rules = [rule_candidates(a.text, d) if use_rules else None for a, d in zip(arts, docs)]
    _SHARED.update(arts=arts, docs=docs, rules=rules,
                   examples=[examples(a, d, use_rules, r) for a, d, r in zip(arts, docs, rules)])
    everyone = list(range(len(arts)))
    folds = min(folds, len(arts)) if folds >= 2 else 0
    fold_sets = [[a for a in everyone if a % folds == k] for k in range(folds)] if folds else []
    try:
        with tempfile.TemporaryDirectory(prefix="sayso-train-") as tmp_name:
            tmp = Path(tmp_name)
            jobs = [(st, everyone, str(out / f"{st}.crfsuite"), seed, params) for st in STAGES]
            for k, held in enumerate(fold_sets):
                (tmp / f"fold{k}").mkdir()
                rest = [a for a in everyone if a not in set(held)]
                jobs += [(st, rest, str(tmp / f"fold{k}" / f"{st}.crfsuite"), seed, params)
                         for st in STAGES]
            log.info("training %d CRFs (%d folds) on %d articles", len(jobs), folds, len(arts))
            rows: list = []
            if workers > 1:
                # fork: the workers inherit _SHARED instead of unpickling a copy per task
                with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as ex:
                    list(ex.map(_train_stage, *zip(*jobs)))
                    if fold_sets:
                        for part in ex.map(_fold_proposals,
                                           [str(tmp / f"fold{k}") for k in range(folds)], fold_sets):
                            rows.extend(part)
            else:
                for job in jobs:
                    _train_stage(*job)
                for k, held in enumerate(fold_sets):
                    rows.extend(_fold_proposals(str(tmp / f"fold{k}"), held))
            stack = None
            if rows:
                threshold, scores = _choose_threshold(rows, fold_sets, arts, tmp)
                _train_filter(rows, out / "filter.crfsuite")
                stack = {"folds": folds, "threshold": threshold, "proposal_bar": _bar(),
                         "out_of_fold_f1": scores,
                         "proposals": sum(len(r[2]) for r in rows),
                         "right": sum(r[2].count("1") for r in rows)}
    finally:
        _SHARED.clear()
    meta = {"format": FORMAT, "seed": seed, "stages": {k: list(v) for k, v in STAGES.items()},
            "params": params, "filter": list(FILTER), "stack": stack, "merge": merge,
            "rule_features": use_rules, "articles": len(arts)}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out


def _bar() -> float:
    from sayso.learned.stacking import PROPOSAL_BAR
    return PROPOSAL_BAR
