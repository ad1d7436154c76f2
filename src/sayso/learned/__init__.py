"""The trained attribution models learned from PolNeAR, run after the rules.

Models ship in the package (``sayso/models/NAME``, read through importlib.resources,
never from a network), each selectable by name:

- ``crf`` (the default): CRFs that find cues and read each cue's source and content, and
  a classifier that picks among their proposals (``LearnedModel`` here,
  sayso.learned.stacking);
- ``encoder``: MiniLM fine-tuned as a cue tagger and a cue-to-token role scorer
  (``EncoderModel`` in sayso.learned.encoder; torch is imported only when it is opened).

``load(None)`` / ``load("default")`` opens the default, ``load("crf")`` or
``load("encoder")`` a shipped model by name, ``load(path)`` a model dir written by
``sayso train``. A model's ``add_candidates(ctx)`` is what the pipeline calls between
the rule stages and ``resolve.dedupe``; how its predictions and the rules' candidates
are merged is the model's ``merge`` policy, chosen by measurement on PolNeAR dev when
the model was trained (see docs/model.md). Everything here is run-time code; training
lives in ``sayso.learn``, which nothing here imports.
"""
from __future__ import annotations

import json
import logging
from importlib import resources
from pathlib import Path

from sayso.errors import ModelError

log = logging.getLogger(__name__)

#: the default model: the encoder is measured against it in docs/model.md; the CRF model
#: names speakers better
DEFAULT = "crf"
#: the names a shipped model goes by (``load`` also takes "default")
SHIPPED = ("crf", "encoder")
FORMAT = 2
#: model files per format (format 1: two CRFs, best paths only)
FILES = {1: ("cue", "role"), 2: ("cue", "role", "role_crf", "filter")}
#: merge policies, see ``merge``
POLICIES = ("model", "model+rules", "rules+model")


class LearnedModel:
    """The CRF model. Stage 1 tags cues, stage 2 reads each cue's source and content (sayso.learned.decode),
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


def shipped_path(name: str = DEFAULT) -> Path:
    """Where a shipped model lives inside the installed package."""
    return Path(str(resources.files("sayso") / "models" / name))


def default_path() -> Path:
    """Where the default shipped model lives inside the installed package."""
    return shipped_path(DEFAULT)


def resolve(model: str | Path | None) -> tuple[Path, bool]:
    """(model dir, whether ``model`` named a shipped model): None or "default" -> the
    default; a shipped name ("crf", "encoder", as str or Path: the CLI passes Paths) ->
    that one (a name wins over a folder of the same name in the working directory: give
    such a folder by its absolute path); anything else is a path."""
    if model is None or str(model) == "default":
        return default_path(), True
    if str(model) in SHIPPED:
        return shipped_path(str(model)), True
    return Path(model), False


def load(path: str | Path | None, *, required: bool = False):
    """Return the model ``path`` names (see ``resolve``), or None when the default is
    asked for and none ships.

    With ``required`` a missing or broken model raises ModelError instead; a model named
    by path or by a shipped name other than the default is always required.
    """
    target, named = resolve(path)
    if not (target / "meta.json").exists():
        if required or not named or str(path) in SHIPPED and str(path) != DEFAULT:
            raise ModelError(f"no trained model at {target} (expected meta.json; train one with "
                             f"`sayso train`, or name a shipped one: {', '.join(SHIPPED)})")
        log.warning("no shipped model at %s: running the rules alone", target)
        return None
    return open_model(target)


def open_model(path: Path):
    """The model in ``path``, of whichever kind its meta.json says (torch is imported only
    for an encoder)."""
    meta_path = Path(path) / "meta.json"
    try:
        fmt = json.loads(meta_path.read_text(encoding="utf-8")).get("format")
    except (OSError, ValueError, AttributeError) as exc:
        raise ModelError(f"{meta_path}: not a sayso model dir ({exc}); "
                         f"train one with `sayso train --polnear DIR --out MODEL_DIR`") from exc
    if isinstance(fmt, str) and fmt.startswith("encoder"):
        from sayso.learned.encoder import EncoderModel
        return EncoderModel(path)
    return LearnedModel(path)
