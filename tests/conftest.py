"""Shared fixtures: one rule-only Reader per test session (the spaCy model loads once)."""
from __future__ import annotations

import pytest


_READERS: dict = {}


@pytest.fixture(scope="session", params=["rules", "model"])
def reader(request):
    """Both paths a user gets: rules only (--no-model) and rules with the shipped model."""
    from sayso import Reader
    if request.param not in _READERS:
        _READERS[request.param] = Reader(model=None if request.param == "rules" else "default")
    return _READERS[request.param]


@pytest.fixture(scope="session")
def example_text() -> str:
    from importlib import resources
    return resources.files("sayso.examples").joinpath("wire_story.txt").read_text(encoding="utf-8")


def by_content(report, fragment: str):
    """The attribution whose content holds fragment (test helper)."""
    hits = [a for a in report.attributions if fragment in a.content.text]
    assert hits, f"no attribution holds {fragment!r}: {[a.content.text for a in report.attributions]}"
    return hits[0]


def assert_offsets(text: str, report) -> None:
    for span in report.spans():
        assert text[span.start:span.end] == span.text, span
        for s, e in span.ranges():
            assert 0 <= s <= e <= len(text)
