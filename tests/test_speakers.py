"""Speakers resolved to one entity per person."""
from conftest import by_content


def test_pronoun_goes_to_nearest_compatible_person_not_the_main_figure(reader):
    t = ("President Viktor Dragan spoke first. Dragan said the army was ready.\n\n"
         "Later, the opposition leader Maria Sousa arrived. She said the vote was rigged.\n\n"
         "General Pavel Orlov then took the stage. He said the border was calm.")
    r = reader.extract(t)
    assert by_content(r, "the vote was rigged").speaker.name == "Maria Sousa"
    assert by_content(r, "the border was calm").speaker.name == "Pavel Orlov"
    assert by_content(r, "the army was ready").speaker.name == "Viktor Dragan"


def test_descriptor_joins_the_named_person(reader):
    t = ("Russian President Vladimir Putin spoke in Moscow. Putin said talks could resume.\n\n"
         "The Russian leader also said sanctions had failed.")
    r = reader.extract(t)
    a = by_content(r, "talks could resume")
    b = by_content(r, "sanctions had failed")
    assert a.speaker.entity == b.speaker.entity
    ent = r.entity(a.speaker.entity)
    assert ent.name == "Vladimir Putin" and ent.type == "PERSON"
    assert any("leader" in d.lower() for d in ent.descriptors)
    assert len([e for e in r.entities if e.name == "Vladimir Putin"]) == 1
    assert len(ent.mentions) >= 3


def test_apposition(reader):
    t = "The head of the council, Jane Roe, said the budget was balanced."
    a = by_content(reader.extract(t), "the budget was balanced")
    assert a.speaker.name == "Jane Roe"


def test_organisations_as_speakers(reader):
    t = "The Norland defense ministry said it had shot down six drones."
    r = reader.extract(t)
    a = by_content(r, "shot down six drones")
    assert r.entity(a.speaker.entity).type == "ORG"


def test_two_people_sharing_a_surname_stay_apart(reader):
    t = ("Hillary Clinton said the plan was sound. Bill Clinton said he agreed.\n\n"
         "Hillary Clinton later said more work was needed.")
    r = reader.extract(t)
    a = by_content(r, "the plan was sound")
    b = by_content(r, "he agreed")
    c = by_content(r, "more work was needed")
    assert a.speaker.entity != b.speaker.entity
    assert a.speaker.entity == c.speaker.entity
