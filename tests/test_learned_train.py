"""Training code, tested without the corpus: a tiny model learns bundled synthetic articles."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sayso.learn.brat import read_compartment
from sayso.learn.corpus import load_compartment
from sayso.learn.train import attribution_f1, train
from sayso.learned import LearnedModel, load
from sayso.errors import ModelError

DATA = Path(__file__).parent / "data" / "synthetic_polnear"


def _alnum(text: str, ranges) -> frozenset[int]:
    return frozenset(i for s, e in ranges for i in range(s, e) if text[i].isalnum())


#: the synthetic articles are tiny: keep features seen once (the default drops them)
TINY = {"max_iterations": 60, "feature.minfreq": 0}


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """All three stages; stage 3 learns from 2-fold out-of-fold proposals."""
    arts, docs = load_compartment(DATA / "train")
    out = train(arts, docs, tmp_path_factory.mktemp("model"), seed=0, workers=1,
                params=TINY, folds=2)
    return LearnedModel(out), arts, docs


@pytest.fixture(scope="module")
def best_path_model(tmp_path_factory):
    """Stages 1 and 2 only (``folds=0``): the CRFs' best paths, no stage 3."""
    arts, docs = load_compartment(DATA / "train")
    out = train(arts, docs, tmp_path_factory.mktemp("model"), seed=0, workers=1,
                params=TINY, folds=0)
    return LearnedModel(out), arts, docs


def test_brat_reader_reads_first_annotator_and_roles():
    arts = {a.name: a for a in read_compartment(DATA / "train")}
    bridge = arts["bridge"]
    assert len(bridge.attributions) == 5
    acc = [a for a in bridge.attributions if bridge.text[slice(*a.cue[0])] == "According to"][0]
    assert bridge.text[slice(*acc.source[0])] == "the city engineer"
    assert bridge.text[slice(*acc.content[0])] == "the old deck has been unsafe for years"


@pytest.mark.parametrize("which", ["tiny_model", "best_path_model"])
def test_tiny_model_learns_its_training_articles(which, request):
    model, arts, docs = request.getfixturevalue(which)
    for art, doc in zip(arts, docs):
        preds = model.predict(doc)
        got = {(_alnum(art.text, p.content), _alnum(art.text, [p.source] if p.source else []))
               for p in preds}
        want = {(_alnum(art.text, g.content), _alnum(art.text, g.source)) for g in art.attributions}
        assert got == want, art.name


def test_tiny_model_predicts_kinds_and_offsets(tiny_model):
    model, arts, docs = tiny_model
    art, doc = next((a, d) for a, d in zip(arts, docs) if a.name == "school")
    preds = model.predict(doc)
    kinds = {art.text[p.content[0][0]:p.content[-1][1]]: p.kind for p in preds}
    assert kinds['"We cannot hire new teachers this year,"'] == "direct"
    assert kinds["enrollment has fallen for three years"] == "according_to"
    assert kinds["the district faces a shortfall of $2 million"] == "indirect"
    for p in preds:
        src = art.text[p.source[0]:p.source[1]]
        assert doc[p.source_token].text in src


def test_stage3_confidences_are_its_probabilities(tiny_model):
    model, arts, docs = tiny_model
    meta = model.meta["stack"]
    assert (model.path / "filter.crfsuite").exists() and meta["folds"] == 2
    assert meta["proposals"] >= meta["right"] > 0
    confs = [p.confidence for d in docs for p in model.predict(d)]
    # every kept attribution cleared the threshold; probabilities, not per-kind constants
    assert all(meta["threshold"] <= c < 1.0 for c in confs)
    assert len(set(confs)) > len(confs) // 2


def test_best_path_model_has_no_stage3(best_path_model):
    model, arts, docs = best_path_model
    assert model.meta["stack"] is None
    assert not (model.path / "filter.crfsuite").exists()


def test_attribution_f1_matches_the_scorers_rules():
    from sayso.learn.brat import GoldAttribution, GoldArticle
    from sayso.learned.decode import Prediction
    text = "Officials said the bridge is unsafe, and the mayor disagreed."
    gold = GoldArticle("t", text, [GoldAttribution(content=[(15, 35)], source=[(0, 9)],
                                                   cue=[(10, 14)])])

    def pred(content, source):
        return Prediction("indirect", content, [(10, 14)], source, None, 0.5, frozenset())

    assert attribution_f1([(gold, [pred([(15, 35)], (0, 9))])]) == 1.0
    assert attribution_f1([(gold, [pred([(15, 35)], (41, 50))])]) == 0.0   # wrong source
    assert attribution_f1([(gold, [pred([(15, 35)], None)])]) == 0.0        # source missing
    assert attribution_f1([(gold, [pred([(15, 24)], (0, 9))])]) == 0.0      # Jaccard < 0.5
    assert attribution_f1([(gold, [pred([(15, 29)], (0, 9))])]) == 1.0      # Jaccard >= 0.5
    # one gold, two predictions: one match, one false positive
    assert attribution_f1([(gold, [pred([(15, 35)], (0, 9)), pred([(41, 60)], None)])]) == \
        pytest.approx(2 / 3)


def test_model_survives_pickling(tiny_model):
    import pickle
    model, arts, docs = tiny_model
    clone = pickle.loads(pickle.dumps(model))
    assert [p.content for p in clone.predict(docs[0])] == [p.content for p in model.predict(docs[0])]


def test_load_missing_model_names_the_path(tmp_path):
    with pytest.raises(ModelError, match=str(tmp_path)):
        load(tmp_path)
    (tmp_path / "meta.json").write_text(json.dumps({"format": 99}))
    with pytest.raises(ModelError, match="format"):
        load(tmp_path)


def test_train_command_writes_a_model_and_reports_dev(tmp_path):
    out = tmp_path / "m"
    proc = subprocess.run(
        [sys.executable, "-m", "sayso.cli", "train", "--polnear", str(DATA), "--out", str(out),
         "--max-iterations", "40", "--merge", "model"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert {"cue.crfsuite", "role.crfsuite", "role_crf.crfsuite", "filter.crfsuite",
            "meta.json"} <= {p.name for p in out.iterdir()}
    assert json.loads((out / "meta.json").read_text())["merge"] == "model"
    assert "parsed 4 training articles" in proc.stdout
    assert "stage 3:" in proc.stdout and "out-of-fold proposals right" in proc.stdout
    # the synthetic corpus ships no scorer next to it: dev scoring is skipped, not an error
    assert "skipping the dev scores" in proc.stdout


def test_train_command_rejects_a_non_corpus(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sayso.cli", "train", "--polnear", str(tmp_path),
                           "--out", str(tmp_path / "m")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "no train/text folder" in proc.stderr


def test_training_does_not_depend_on_what_ran_before(tmp_path):
    """crfsuite's l2sgd draws from the C rand(); a pool worker used to carry its state
    from one job into the next, so a model depended on the job order."""
    import ctypes
    import ctypes.util
    arts, docs = load_compartment(DATA / "train")
    first = train(arts, docs, tmp_path / "a", seed=0, workers=1, params=TINY, folds=0)
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    for _ in range(1000):  # what another job's training would leave behind
        libc.rand()
    second = train(arts, docs, tmp_path / "b", seed=0, workers=1, params=TINY, folds=0)
    for stage in ("cue", "role_crf"):
        assert (first / f"{stage}.crfsuite").read_bytes() == (second / f"{stage}.crfsuite").read_bytes()


def test_stage3_sees_how_a_reading_compares_with_its_rivals():
    from sayso.learned.decode import Prediction
    from sayso.learned.stacking import Proposal, _conjoin, _group_features

    def prop(group, tokens, p_content, source=None):
        pred = Prediction("indirect", [(0, 1)], [(0, 1)], source, None, 0.5, frozenset(tokens))
        return Proposal("path", [0], pred, "ap", False, group, 0.9, p_content, None, 0.5)

    props = [prop(0, {1, 2, 3, 4}, 0.9), prop(0, {1, 2}, 0.6, (5, 9)), prop(1, {7}, 0.4)]
    long_ = _group_features(props, 0, [1])
    assert {"pCbest=True|path", "len=longest|path", "srcagree=False|path", "nest=FalseTrue"} <= set(long_)
    short = _group_features(props, 1, [0])
    assert {"pCbest=False|path", "len=shortest|path", "nest=TrueFalse"} <= set(short)
    assert _group_features(props, 2, []) == {"alone": 1.0}
    f = {"o=path": 1.0, "cw=said": 1.0, "pc": 0.9, "clen=3": 1.0}
    _conjoin(f)
    assert "cw=said&o=path" in f and not any("clen" in k and "&" in k for k in f)
