"""Score the whole pipeline (rules, or rules + model under a merge policy) on a compartment.

Runs sayso's real pipeline over already-parsed docs, writes one report per article
and scores them with the project's scorer script (``attribution_score.py``), so the
figures here are the ones ``sayso extract`` + the scorer would give.
"""
from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from types import ModuleType

from sayso.extract import pipeline
from sayso.learn.brat import GoldArticle
from sayso.model import Article


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("attribution_score", path)
    if spec is None or spec.loader is None or not Path(path).exists():
        raise FileNotFoundError(f"{path}: scorer script not found (pass --scorer)")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class _Fixed:
    """A model stand-in that replays cached predictions (one per doc) under one policy."""

    def __init__(self, preds_by_doc: dict[int, list], policy: str):
        self.preds, self.policy = preds_by_doc, policy

    def add_candidates(self, ctx) -> None:
        from sayso.learned.merge import merge
        preds = [p for p in self.preds[id(ctx.doc)]
                 if not any(ctx.is_blocked(s, e) for s, e in p.content)]
        merge(ctx, preds, self.policy)


def score_pipeline(arts: list[GoldArticle], docs: list, gold_dir: Path, scorer: ModuleType,
                   model=None, policy: str | None = None, preds: dict | None = None) -> dict:
    """Scorer result dict for the rules alone (``model=None``) or with ``model``."""
    extra = None
    if model is not None:
        if preds is None:
            preds = {id(d): model.predict(d) for d in docs}
        extra = _Fixed(preds, policy or model.merge).add_candidates
    with tempfile.TemporaryDirectory(prefix="sayso-eval-") as tmp:
        out = Path(tmp)
        for art, doc in zip(arts, docs):
            a = Article(text=art.text, id=art.name)
            rep = pipeline.run(art.text, doc, a.document(), extra=extra)
            (out / f"{art.name}.json").write_text(rep.to_json(), encoding="utf-8")
        meta = Path(gold_dir).parent / "metadata.tsv"
        return scorer.score(Path(gold_dir), out, meta if meta.exists() else None)


def row(name: str, res: dict) -> str:
    """One printed line per system: the headline figures of a scorer result."""
    return (f"{name:24s} attribution F1 {res['attribution']['f1']:.3f}  "
            f"content_soft F1 {res['content_soft']['f1']:.3f}  "
            f"content_exact F1 {res['content_exact']['f1']:.3f}  "
            f"source_acc {res['source_accuracy']:.3f}  (P {res['attribution']['p']:.3f} "
            f"R {res['attribution']['r']:.3f})")
