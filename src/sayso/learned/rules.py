"""The rule stages' candidates for one parsed doc: what the model sees as rule features.

At run time the pipeline hands the model ``ctx.candidates`` after the rule stages;
at training time we run the same stages (everything before ``resolve.dedupe``) so the
model learns from exactly what it will be given.
"""
from __future__ import annotations

from sayso.extract import pipeline, resolve
from sayso.extract.context import Candidate, Context


def rule_stages() -> list:
    out = []
    for stage in pipeline.STAGES:
        if stage is resolve.dedupe:
            break
        out.append(stage)
    return out


def rule_candidates(text: str, doc) -> list[Candidate]:
    """Candidates of the rule stages (embedded posts excluded) for ``doc``."""
    ctx = Context(text=text, doc=doc)
    for stage in rule_stages():
        stage(ctx)
    return [c for c in ctx.candidates if c.origin != "posts"]
