"""Reported speech, according-to framings and reported claims."""
from conftest import assert_offsets, by_content


def test_said_that(reader):
    t = "Finance Minister Carla Diaz said that inflation would fall below three percent next year."
    a = by_content(reader.extract(t), "inflation would fall")
    assert a.kind == "indirect" and a.cue.text == "said" and a.speaker.name == "Carla Diaz"


def test_said_without_that_and_told(reader):
    r = reader.extract("Police Chief Tom Reyes told reporters the suspect had fled north.")
    a = by_content(r, "the suspect had fled north")
    assert "told" in a.cue.text and a.speaker.name == "Tom Reyes"


def test_accused_of(reader):
    r = reader.extract("Opposition leader Maria Sousa accused the government of hiding the real deficit.")
    a = by_content(r, "hiding the real deficit")
    assert a.speaker.name == "Maria Sousa"


def test_warned_to(reader):
    r = reader.extract("The coast guard warned fishermen to stay in port until Friday.")
    a = by_content(r, "stay in port")
    assert "coast guard" in a.source.text.lower()


def test_announced_and_clarified(reader):
    r = reader.extract("The airline announced it will cut 2,000 jobs. Its chief executive, Paul Grant, "
                       "later clarified that no pilots would be laid off.")
    by_content(r, "cut 2,000 jobs")
    a = by_content(r, "no pilots would be laid off")
    assert a.speaker.name == "Paul Grant"


def test_added(reader):
    r = reader.extract("Dr. Lena Park said the clinic was full. She added that more nurses were on the way.")
    a = by_content(r, "more nurses were on the way")
    assert a.speaker.name == "Lena Park"


def test_mixed_quote(reader):
    t = 'Governor Ray Hill said the storm had been "the worst in a century" for the coastal towns.'
    r = reader.extract(t)
    a = by_content(r, "the worst in a century")
    assert a.kind == "mixed" and a.speaker.name == "Ray Hill"
    assert "storm" in a.content.text
    assert_offsets(t, r)


def test_according_to_after_and_before(reader):
    r = reader.extract("Turnout reached 71 percent, according to the election commission.\n\n"
                       "According to the central bank, reserves fell by a fifth.")
    a = by_content(r, "Turnout reached 71 percent")
    assert a.kind == "according_to" and "election commission" in a.source.text
    b = by_content(r, "reserves fell by a fifth")
    assert b.kind == "according_to" and "central bank" in b.source.text
    assert "according" not in a.content.text.lower()


def test_says_that_is_according_to(reader):
    a = by_content(reader.extract("The ministry says that the corridors will stay open."), "corridors will stay open")
    assert a.kind == "according_to"


def test_reportedly_has_no_source(reader):
    a = by_content(reader.extract("The president reportedly plans to dismiss his chief of staff."),
                   "plans to dismiss")
    assert a.kind == "reported" and a.source is None and a.speaker is None
