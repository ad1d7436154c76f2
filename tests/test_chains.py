"""Chains of intermediaries (via)."""
from conftest import by_content


def test_translation_via_outlet(reader):
    t = ('"We will answer every shell," Viktor Dragan said in a televised address, '
         'according to a translation via the Kessel Herald.')
    a = by_content(reader.extract(t), "answer every shell")
    assert a.speaker.name == "Viktor Dragan"
    assert [(v.name, v.relation) for v in a.via] == [("Kessel Herald", "translation")]


def test_statement_closed_by_according_to_outlet(reader):
    t = '"The talks are over," Elena Marsh said, according to Reuters.'
    r = reader.extract(t)
    a = by_content(r, "The talks are over")
    assert a.speaker.name == "Elena Marsh"
    assert [v.name for v in a.via] == ["Reuters"]
    assert not any(x.kind == "according_to" and "Reuters" in (x.source.text if x.source else "")
                   for x in r.attributions), "the outlet is a link of the chain, not a statement of its own"


def test_as_outlet_reported_then_according_to_ministry(reader):
    t = ("As Radio Norland reported, more than 2,100 people have been killed, "
         "according to the health ministry.")
    r = reader.extract(t)
    a = by_content(r, "2,100 people have been killed")
    assert "health ministry" in a.source.text
    assert [(v.name, v.relation) for v in a.via] == [("Radio Norland", "reported")]
