"""Merge policies between the rules' candidates and the model's attributions."""
from __future__ import annotations

import pytest

from sayso import nlp
from sayso.extract.context import Candidate, Context
from sayso.learned.decode import Prediction
from sayso.learned.merge import merge

TEXT = ("Officials said the road will reopen in June. "
        "The mayor promised new buses, a spokesman said.")


def _ctx() -> Context:
    ctx = Context(text=TEXT, doc=nlp.load()(TEXT))
    ctx.candidates = [
        # rules: the first statement without a source, and one the model does not find
        Candidate(kind="indirect", content=[(15, 43)], cue=[(10, 14)], source=(0, 9),
                  source_token=0, origin="indirect:ccomp"),
        Candidate(kind="indirect", content=[(64, 73)], cue=[(55, 63)], source=(45, 54),
                  origin="indirect:dobj"),
        Candidate(kind="direct", content=[(0, 5)], origin="posts"),
    ]
    return ctx


def _pred() -> Prediction:
    return Prediction(kind="indirect", content=[(15, 43)], cue=[(10, 14)], source=None,
                      source_token=None, confidence=0.7, content_tokens=frozenset({3, 4, 5}))


@pytest.mark.parametrize("policy, origins", [
    ("model", ["posts", "model"]),
    ("model+rules", ["posts", "model", "indirect:dobj"]),
    ("rules+model", ["posts", "indirect:ccomp", "indirect:dobj"]),
])
def test_policies_keep_posts_and_choose_by_overlap(policy, origins):
    ctx = _ctx()
    merge(ctx, [_pred()], policy)
    assert [c.origin for c in ctx.candidates] == origins


def test_model_attribution_without_a_source_does_not_borrow_the_rules_one():
    """On train, borrowing the rules' source for the same content did more harm than good."""
    ctx = _ctx()
    merge(ctx, [_pred()], "model")
    model = [c for c in ctx.candidates if c.origin == "model"][0]
    assert TEXT[15:43] == TEXT[slice(*model.content[0])]
    assert model.source is None and model.source_token is None


def test_unknown_policy_is_an_error():
    with pytest.raises(ValueError, match="merge policy"):
        merge(_ctx(), [], "best")


def test_model_attribution_takes_the_paragraphs_a_quote_runs_on_into():
    text = "“We will stay,” she said. “Our parents are buried here.\n\n“This is home.”"
    q1, q2, q3 = (0, 15), (26, 56), (text.index("“This"), len(text))
    ctx = Context(text=text, doc=nlp.load()(text))
    ctx.candidates = [Candidate(kind="direct", content=[q1, q2, q3], cue=[(20, 24)],
                                source=(16, 19), source_token=4, origin="quotes")]
    pred = Prediction(kind="direct", content=[q1, q2], cue=[(20, 24)], source=(16, 19),
                      source_token=4, confidence=0.8, content_tokens=frozenset({1, 2, 3}))
    merge(ctx, [pred], "model")
    (only,) = ctx.candidates
    assert only.origin == "model" and only.content == [q1, q2, q3]
    assert text[slice(*only.content[-1])] == "“This is home.”"


def test_a_long_quote_with_its_cue_and_source_beside_it_stays_where_the_model_reads_nothing():
    text = ('Prices rose in May. "Sales were below our expectations, driven by the timing of the benefits '
            'we planned," chief executive Craig Menear said. "Fine," he added. '
            'Critics called it "a plan that was never going to work for the stores" in June.')
    q = (text.index('"Sales'), text.index(' chief'))
    short = (text.index('"Fine'), text.index(' he added'))
    phrase = (text.index('"a plan'), text.index(' in June'))
    ctx = Context(text=text, doc=nlp.load()(text))
    ctx.candidates = [
        Candidate(kind="direct", content=[q], cue=[(text.index("said"), text.index("said") + 4)],
                  source=(text.index("chief"), text.index(" said")), origin="quotes"),
        # too short to stand without the model, and a cue far from its quote: both left out
        Candidate(kind="direct", content=[short], cue=[(text.index("added"), text.index("added") + 5)],
                  source=(text.index("he added"), text.index("he added") + 2), origin="quotes"),
        Candidate(kind="direct", content=[phrase], cue=[(text.index("called"), text.index("called") + 6)],
                  source=(text.index("Critics"), text.index("Critics") + 7), origin="quotes"),
    ]
    merge(ctx, [_pred_at(text, "Prices rose")], "model")
    assert sorted(c.origin for c in ctx.candidates) == ["model", "quotes"]
    (kept,) = [c for c in ctx.candidates if c.origin == "quotes"]
    assert kept.content == [q]


def _pred_at(text: str, fragment: str) -> Prediction:
    s = text.index(fragment)
    return Prediction(kind="indirect", content=[(s, s + len(fragment))], cue=[(s, s + 1)], source=None,
                      source_token=None, confidence=0.7, content_tokens=frozenset({0}))
