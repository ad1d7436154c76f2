"""Direct quotes get their cue and source, wherever the cue stands."""
from conftest import assert_offsets, by_content


def test_cue_after_quote(reader):
    t = '"The bridge will reopen in May," the transport minister said on Monday.'
    r = reader.extract(t)
    a = by_content(r, "The bridge will reopen")
    assert a.kind == "direct"
    assert a.cue.text == "said"
    assert "minister" in a.source.text
    assert_offsets(t, r)


def test_cue_before_with_colon(reader):
    t = 'Mayor Ann Lee said: "We will rebuild every house on this street."'
    a = by_content(reader.extract(t), "We will rebuild")
    assert a.kind == "direct" and a.speaker.name == "Ann Lee"


def test_split_quote_around_cue(reader):
    t = '"There is no deal yet," she said, "and there will be no retreat without one."'
    r = reader.extract("Jane Roe spoke to reporters.\n\n" + t)
    first = by_content(r, "There is no deal yet")
    second = by_content(r, "no retreat without one")
    assert first.speaker.name == second.speaker.name == "Jane Roe"


def test_quote_over_paragraphs_keeps_the_speaker(reader):
    t = ('“We will not leave this valley,” said Omar Haddad, the village elder. “Our parents are buried here.\n\n'
         '“Our children were born here. This is home.”')
    r = reader.extract(t)
    later = by_content(r, "Our children were born here")
    assert later.speaker.name == "Omar Haddad"
    # one statement running over two paragraphs: one attribution, its content in pieces
    assert later is by_content(r, "We will not leave this valley")
    pieces = [t[s:e] for s, e in later.content.ranges()]
    assert pieces[0].startswith("“We will not leave") and pieces[-1].startswith("“Our children")
    assert later.cue.text == "said"
    assert_offsets(t, r)


def test_standalone_quote_paragraph_inherits_with_lower_confidence(reader):
    t = ('"We are counting every crater," Jane Roe said.\n\n'
         '"We are counting every family that leaves. Nobody is forgotten."')
    r = reader.extract(t)
    first = by_content(r, "counting every crater")
    alone = by_content(r, "every family that leaves")
    assert alone.speaker.name == "Jane Roe"
    assert alone.confidence < first.confidence


def test_scare_quote_is_not_a_statement_of_its_own(reader):
    t = 'The senator called the plan a "disaster" for farmers.'
    r = reader.extract(t)
    assert not any(a.content.text.strip('"“”') == "disaster" for a in r.attributions)


def test_headline_colon(reader):
    t = "Lynch: No outside influence on the bank inquiry\n\nThe attorney general spoke on Monday."
    a = by_content(reader.extract(t), "No outside influence")
    assert a.source.text == "Lynch"


def test_quote_signed_after_a_dash(reader):
    t = ('Readers told us what they think of the plan.\n\n'
         '“The new bus lanes cut my commute in half and I want more of them.” ― Carla Sanchez.\n\n'
         '“Nobody asked the shop owners on Main Street before the work began.”\u00a0— Tom Reyes, 52, Tucson\n\n'
         'The council votes on Tuesday ― and the mayor is expected to back it.')
    r = reader.extract(t)
    a = by_content(r, "cut my commute in half")
    assert a.kind == "direct" and a.source.text == "Carla Sanchez" and a.cue.text == "―"
    b = by_content(r, "Nobody asked the shop owners")
    assert b.source.text == "Tom Reyes" and b.speaker.name == "Tom Reyes"
    # a dash inside running prose signs nothing
    assert not any(x.source and x.source.text.startswith("and the mayor") for x in r.attributions)
    assert_offsets(t, r)


def test_quote_signed_on_the_line_below(reader):
    # testimonials and reader reviews: the quote, then a line with a dash and the name
    # (review sites mask it)
    t = ('Visitors who booked through the site left their reviews of the show.\n\n'
         '“The show was really great. Booking the tickets was really easy.”\n\n– Man**\n\n'
         '“A gorgeous play with an interesting storytelling style.”\n\n— Carla Sanchez\n\n'
         'The season closes in June.')
    r = reader.extract(t)
    a = by_content(r, "The show was really great")
    assert a.kind == "direct" and a.source.text == "Man**" and a.cue.text == "–"
    b = by_content(r, "A gorgeous play")
    assert b.source.text == "Carla Sanchez" and b.speaker.name == "Carla Sanchez"
    assert_offsets(t, r)


def test_a_closed_quote_takes_no_cue_from_an_unrelated_next_sentence(reader):
    # "He declined to give a date." reports something else: it is not the quote's cue
    t = ('Marco Villa spoke at the launch in Denver on Monday morning.\n\n'
         '“Our flexibility and ability to scale up will lead us to harder missions.” '
         'He declined to give a date.')
    r = reader.extract(t)
    assert not any(a.cue and a.cue.text == "declined" and "flexibility" in a.content.text
                   for a in r.attributions)
