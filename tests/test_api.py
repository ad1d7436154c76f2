"""The public API: curated names, the example article, JSON that round-trips."""
import json

import sayso
from conftest import assert_offsets


def test_public_api_is_pinned():
    assert sorted(sayso.__all__) == sorted([
        "Article", "Attribution", "CorpusError", "Document", "EmbeddedPost", "Entity", "Figure",
        "FormatError", "InputError", "ModelError", "Reader", "Report", "SaysoError", "SchemaError",
        "Span", "SpeakerRef", "Via", "__version__", "extract"])


def test_example_article_covers_every_construction(reader, example_text):
    r = reader.extract(example_text, id="wire")
    assert_offsets(example_text, r)
    kinds = {a.kind for a in r.attributions}
    assert {"direct", "indirect", "mixed", "according_to", "reported"} <= kinds
    assert any(v.relation == "translation" for a in r.attributions for v in a.via)
    assert r.embedded_posts and r.embedded_posts[0].handle == "@ViktorDragan"
    names = {e.name for e in r.entities}
    assert {"Elena Marsh", "Viktor Dragan", "Jane Roe"} <= names


def test_report_json_round_trips(reader, example_text):
    r = reader.extract(example_text)
    d = json.loads(r.to_json())
    assert d["document"]["chars"] == len(example_text)
    again = sayso.Report.from_dict(d)
    assert again.to_dict() == d


def test_empty_text_is_refused(reader):
    import pytest
    with pytest.raises(sayso.InputError):
        reader.extract("   \n ")
