"""The pronoun antecedent ranker learns from GUM-format coreference (bundled, written for
the test), in seconds: reading the format, labelling the speaker stage's candidates by the
gold chains, and training weights that rank them."""
from __future__ import annotations

import json
from pathlib import Path

from sayso import nlp as nlp_mod
from sayso.learn import antecedents

DATA = Path(__file__).parent / "data" / "gum"
DOCS = sorted(DATA.glob("*.conll"))


def test_reads_mentions_and_chains():
    g = antecedents.read_conll(DATA / "GUM_news_test1.conll")
    assert g.words[:3] == ["Mayor", "Ann", "Lee"] and g.sent_starts[0] and g.sent_starts[9]
    assert g.ends[2] == {1} and g.types[1] == "person"  # "Mayor Ann Lee" ends on "Lee"
    she = g.words.index("She")
    assert g.ends[she] == {1}


def test_candidates_are_labelled_by_the_gold_chain_and_a_ranker_learns_them():
    nlp = nlp_mod.load()
    groups = [grp for d in DOCS for grp in antecedents.examples(nlp, antecedents.read_conll(d))]
    assert len(groups) >= 4
    # each pronoun has a right candidate, and some have a wrong one to learn from
    assert all(any(right for _, right in grp) for grp in groups)
    assert any(not right for grp in groups for _, right in grp)
    weights = antecedents.train(groups, steps=200)
    assert antecedents.accuracy(groups, weights) == 1.0
    assert antecedents.accuracy(groups, {}) < 1.0 or all(len(g) == 1 for g in groups)


def test_the_command_writes_weights_and_held_out_figures(tmp_path: Path):
    gum = tmp_path / "gum"
    (gum / "conll").mkdir(parents=True)
    for d in DOCS:
        (gum / "conll" / d.name).write_text(d.read_text())
    (gum / "splits.md").write_text("## dev\n\n  * GUM_interview_test2\n\n## test\n\n")
    out = tmp_path / "w.json"
    antecedents.main(["--gum", str(gum), "--out", str(out)])
    data = json.loads(out.read_text())
    assert data["weights"] and data["trained"]["heldout_pronouns"] >= 1
    assert 0.0 <= data["trained"]["heldout_accuracy"] <= 1.0
