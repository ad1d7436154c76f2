"""The CRF model shipped in the package (``--model crf``): loads from package data by name
and reads a fixed article. The default model (the encoder) is tested in test_learned_encoder."""
from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayso import learned
from sayso.reader import Reader

ARTICLE = """Harbor Authority Raises Port Fees

The harbor authority will raise port fees by 12 percent next year, its director said on Monday.

"We have no other way to pay for the new cranes," director Lena Ortiz told reporters.

Shipping companies said the increase would push up prices for consumers. According to the authority's budget, the cranes will cost $80 million.
"""


@pytest.fixture(scope="module")
def with_model():
    return Reader(model="crf")


def test_shipped_model_is_package_data_and_small():
    path = learned.shipped_path("crf")
    assert (path / "meta.json").exists()
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    assert size < 50 * 1024 * 1024
    assert isinstance(learned.load("crf"), learned.LearnedModel)


def _find(report, words: str):
    return next((a for a in report.attributions if words in a.content.text), None)


def test_shipped_model_reads_a_fixed_article(with_model):
    rep = with_model.extract(ARTICLE, id="harbor")
    for a in rep.attributions:
        assert ARTICLE[a.content.start:a.content.end] == a.content.text
        assert 0.0 <= a.confidence <= 1.0
        if a.source:
            assert ARTICLE[a.source.start:a.source.end] == a.source.text
    quote = _find(rep, "We have no other way to pay for the new cranes")
    assert quote is not None and quote.kind == "direct"
    assert "Lena Ortiz" in quote.source.text
    indirect = _find(rep, "the increase would push up prices")
    assert indirect is not None and indirect.source.text == "Shipping companies"
    according = _find(rep, "the cranes will cost $80 million")
    assert according is not None and according.kind == "according_to"
    assert "budget" in according.source.text
    assert any(a.origin == "crf" for a in rep.attributions)
    # stage 3 keeps what clears its threshold and says how likely each one is
    threshold = learned.load("crf").meta["stack"]["threshold"]
    model_confs = [a.confidence for a in rep.attributions if a.origin == "crf"]
    assert all(threshold <= c < 1.0 for c in model_confs)


def test_rule_only_path_has_no_model_candidates():
    rep = Reader(model=None).extract(ARTICLE)
    assert all(a.origin not in ("crf", "encoder") for a in rep.attributions)


def test_reader_takes_a_model_path_and_rejects_a_missing_one(tmp_path):
    from sayso.errors import ModelError
    reader = Reader(model=learned.shipped_path("crf"))
    assert isinstance(reader.learned, learned.LearnedModel)
    with pytest.raises(ModelError, match="no trained model"):
        Reader(model=tmp_path / "nowhere")

PIECES = ["The minister said", "“We will win,”", '"No comment,"', "she told reporters",
          "According to the agency,", "prices rose.", "\n\n", " he added that", "“", '"', ":",
          "Officials believe the plan will fail.", "reportedly", "—", "\n"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25))
def test_model_spans_are_exact_offsets_on_any_text(with_model, pieces):
    text = " ".join(pieces).strip() or "Nothing."
    rep = with_model.extract(text)
    for a in rep.attributions:
        for part in (a.content, a.cue, a.source):
            if part is not None:
                assert text[part.start:part.end] == part.text
                assert all(0 <= s < e <= len(text) for s, e in part.ranges())
        assert 0.0 <= a.confidence <= 1.0
