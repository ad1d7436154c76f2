"""Shared fixtures for the corpus tests: small wire-style articles this project wrote.

Imported by tests/test_corpus_*.py (not a conftest.py: the lead owns that file).
"""
from __future__ import annotations

import json
from pathlib import Path

from sayso.model import (Article, Attribution, Entity, Report, Span, SpeakerRef, Via)

BRIDGE = '"We will rebuild the bridge," Mayor Ann Lee said on Tuesday.'

#: (id, outlet, published, text): the same statements carried by several outlets
ARTICLES = [
    ("ledger-1", "Daily Ledger", "2024-03-05",
     '"We will not allow anyone to threaten our borders," President Vladimir Putin said on Tuesday.'),
    ("post-1", "Evening Post", "2024-03-06",
     '"We will not allow anyone to threaten our borders," Putin said.'),
    ("wire-1", "Wire Service", "2024-03-07",
     '"We won\'t allow anyone to threaten our borders," Putin told reporters.'),
    ("ledger-2", "Daily Ledger", "2024-04-01",
     '"Ukraine will rebuild every town that was destroyed," Volodymyr Zelensky said in Kyiv.'),
    ("post-2", "Evening Post", "2024-04-02",
     '"Ukraine will rebuild every town that was destroyed," Volodymyr Zelenskyy said.'),
    ("ledger-3", "Daily Ledger", "2024-04-03", BRIDGE),
    ("post-3", "Evening Post", "2024-04-04",
     '"The budget is balanced for the first time in a decade," Mayor Tom Lee said on Friday.'),
]


def articles() -> list[Article]:
    return [Article(text=t, id=i, outlet=o, published=p, url=f"https://news.example/{i}",
                    title=f"Story {i}") for i, o, p, t in ARTICLES]


def report_for(art: Article, speaker: str, content: str, kind: str = "direct",
               etype: str = "PERSON") -> Report:
    """A hand-built report: one attribution of ``content`` (which must be in the text) to ``speaker``."""
    s = art.text.index(content)
    src = art.text.index(speaker.split()[-1])
    ent = Entity("e1", speaker, etype, mentions=(Span.of(art.text, src, src + len(speaker.split()[-1])),))
    att = Attribution("a1", kind, Span.of(art.text, s, s + len(content)),
                      cue=None, source=Span.of(art.text, src, src + len(speaker.split()[-1])),
                      speaker=SpeakerRef("e1", speaker), via=(Via(None, "Wire Service", "reported"),),
                      confidence=0.9, origin="test")
    return Report(document=art.document(), attributions=(att,), entities=(ent,))


def write_jsonl(path: Path, arts: list[Article]) -> Path:
    path.write_text("".join(json.dumps({"id": a.id, "text": a.text, "outlet": a.outlet,
                                        "published": a.published, "url": a.url, "title": a.title}) + "\n"
                            for a in arts), encoding="utf-8")
    return path
