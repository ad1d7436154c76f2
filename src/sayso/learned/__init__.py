"""The trained attribution model learned from PolNeAR, run after the rules: CRFs that
find cues and read each cue's source and content, and a classifier that picks among
their proposals (sayso.learned.stacking).

``load(None)`` opens the model shipped in the package (``sayso/models/default``,
read through importlib.resources, never from a network); ``load(path)`` opens
another model dir written by ``sayso train``. The model's ``add_candidates(ctx)``
is what the pipeline calls between the rule stages and ``resolve.dedupe``; how its
predictions and the rules' candidates are merged is the model's ``merge`` policy,
chosen by measurement on PolNeAR dev when the model was trained (see docs/model.md).
"""
from __future__ import annotations

import json
import logging
from importlib import resources
from pathlib import Path

from sayso.errors import ModelError

log = logging.getLogger(__name__)

DEFAULT = "default"
FORMAT = 2
#: model files per format (format 1: two CRFs, best paths only)
FILES = {1: ("cue", "role"), 2: ("cue", "role", "role_crf", "filter")}
#: merge policies, see ``merge``
POLICIES = ("model", "model+rules", "rules+model")


class LearnedModel:
    """Stage 1 tags cues, stage 2 reads each cue's source and content (sayso.learned.decode),
    stage 3 keeps the likely attributions among the proposals (sayso.learned.stacking)."""

    def __init__(self, path: Path, merge: str | None = None):
        self.path = Path(path)
        meta_path = self.path / "meta.json"
        try:
            self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{meta_path}: not a sayso model dir ({exc}); "
                             f"train one with `sayso train --polnear DIR --out MODEL_DIR`") from exc
        if self.meta.get("format") not in FILES:
            raise ModelError(f"{self.path}: model format {self.meta.get('format')!r}, this sayso "
                             f"reads format {FORMAT}; retrain with `sayso train`")
        self.merge = merge or self.meta.get("merge", "model")
        if self.merge not in POLICIES:
            raise ModelError(f"{self.path}: unknown merge policy {self.merge!r} (one of {POLICIES})")
        self._open()

    def _open(self) -> None:
        import pycrfsuite
        names = FILES[self.meta["format"]]
        if not self.meta.get("stack"):
            names = names[:2]
        self._taggers = {}
        for name in names:
            f = self.path / f"{name}.crfsuite"
            if not f.exists():
                raise ModelError(f"{f}: missing; the model dir is incomplete, retrain with `sayso train`")
            tagger = pycrfsuite.Tagger()
            tagger.open(str(f))
            self._taggers[name] = tagger

    # taggers hold C handles: a model crosses process boundaries (engines) as its path
    def __getstate__(self):
        return {"path": self.path, "merge": self.merge, "meta": self.meta}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._open()

    @property
    def uses_rules(self) -> bool:
        return bool(self.meta.get("rule_features"))

    def predict(self, doc, rules: list | None = None):
        """The model's own attributions for a parsed doc (``decode.Prediction`` list).

        ``rules``: the rule candidates for ``doc``; computed here when the model was
        trained with rule features and none are given.
        """
        if not self.uses_rules:
            rules = None
        elif rules is None:
            from sayso.learned.rules import rule_candidates
            rules = rule_candidates(doc.text, doc)
        t = self._taggers
        if "filter" not in t:
            from sayso.learned.decode import predict
            return predict(doc, t["cue"], t["role"], rules)
        from sayso.learned import stacking
        from sayso.learned.features import view
        v = view(doc, rules)
        props = stacking.propose(v, t["cue"], t["role"], t["role_crf"],
                                 self.meta["stack"].get("proposal_bar", stacking.PROPOSAL_BAR),
                                 rules)
        probs = stacking.probabilities(t["filter"], stacking.iter_features(v, props))
        return stacking.choose(props, probs, self.meta["stack"]["threshold"])

    def add_candidates(self, ctx) -> None:
        """Add the model's attributions to ``ctx.candidates`` under the merge policy."""
        from sayso.learned.merge import merge
        rules = [c for c in ctx.candidates if c.origin != "posts"]
        preds = [p for p in self.predict(ctx.doc, rules)
                 if not any(ctx.is_blocked(s, e) for s, e in p.content)]
        merge(ctx, preds, self.merge)


def default_path() -> Path:
    """Where the shipped model lives inside the installed package."""
    return Path(str(resources.files("sayso") / "models" / DEFAULT))


def load(path: Path | None, *, required: bool = False) -> LearnedModel | None:
    """Return the model at ``path`` (``None``: the shipped one), or None when none ships.

    With ``required`` a missing or broken model raises ModelError instead.
    """
    target = Path(path) if path is not None else default_path()
    if not (target / "meta.json").exists():
        if required or path is not None:
            raise ModelError(f"no trained model at {target} (expected meta.json, cue.crfsuite, "
                             f"role.crfsuite; train one with `sayso train`)")
        log.warning("no shipped model at %s: running the rules alone", target)
        return None
    return LearnedModel(target)
