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
         '“Very talented people! Super fun and entertaining! Very cultural!”\n\n– Jo** Al****\n\n'
         '“A gorgeous play with an interesting storytelling style.”\n\n— Carla Sanchez\n\n'
         'The season closes in June.')
    r = reader.extract(t)
    a = by_content(r, "The show was really great")
    assert a.kind == "direct" and a.cue.text == "–"
    # a masked name is shown as printed, never made an entity of its visible letters
    assert a.speaker.name == "Man**" and a.speaker.entity is None
    b = by_content(r, "A gorgeous play")
    assert b.source.text == "Carla Sanchez" and b.speaker.name == "Carla Sanchez"
    c = by_content(r, "Very talented people")
    assert c.speaker.name == "Jo** Al****" and not any(e.name == "Al" for e in r.entities)
    assert_offsets(t, r)


VILLA = ('Marco Villa, the chief operating officer of Tyvak, spoke at the launch. '
         '“We’re going to start with something smaller,” he said. '
         '“Our flexibility and ability to scale up will lead us to harder missions.” '
         'He declined to give a date.')


def test_quote_after_the_cue_clause_is_the_same_statement(reader):
    # `"A," he said. "B."`: B has no cue of its own; it is the second piece of A's statement
    r = reader.extract(VILLA)
    a = by_content(r, "start with something smaller")
    assert a is by_content(r, "Our flexibility and ability")
    assert a.speaker.name == "Marco Villa" and a.cue.text == "said"
    assert [VILLA[s:e][:4] for s, e in a.content.ranges()] == ["“We’", "“Our"]
    assert_offsets(VILLA, r)


def test_a_closed_quote_takes_no_cue_from_an_unrelated_next_sentence(reader):
    # "He declined to give a date." reports something else: it is not the quote's cue
    t = ('Marco Villa spoke at the launch in Denver on Monday morning.\n\n'
         '“Our flexibility and ability to scale up will lead us to harder missions.” '
         'He declined to give a date.')
    r = reader.extract(t)
    assert not any(a.cue and a.cue.text == "declined" and "flexibility" in a.content.text
                   for a in r.attributions)


def test_present_tense_cue_beside_a_quote(reader):
    # "shouts" and "assures" are rare in the learned lexicon; their past tenses are cues
    t = ('Officers raced up the staircase of the hotel.\n\n'
         '"Police! Open the door! We are coming in right now!" an officer shouts.\n\n'
         '“We are truly excited about our 50th anniversary tour,” comments Jane Roe in a statement, '
         '“as it is a celebration of the band’s entire history.”')
    r = reader.extract(t)
    a = by_content(r, "Open the door")
    assert a.kind == "direct" and a.cue.text == "shouts" and a.source.text == "an officer"
    b = by_content(r, "truly excited")
    assert b.speaker is not None and b.speaker.name == "Jane Roe"
    assert_offsets(t, r)


def test_short_quote_with_its_cue_tagged_on_is_a_statement(reader):
    t = ('Tom Reyes remembers the night of the fire well.\n\n'
         '“Oh, actually? Yes,” he assures himself. “I didn’t sweat at the time, not even once.”')
    r = reader.extract(t)
    a = by_content(r, "Oh, actually? Yes")
    assert a.speaker.name == "Tom Reyes" and a.cue.text == "assures"
    assert a is by_content(r, "I didn’t sweat at the time")


def test_short_first_piece_of_a_split_quote_joins_its_statement(reader):
    t = 'Tom Reyes spoke on Friday. "My hope," he said, "is that the rivers stay clean for my grandchildren."'
    r = reader.extract(t)
    a = by_content(r, "rivers stay clean")
    assert a is by_content(r, "My hope")
    assert sum("My hope" in x.content.text for x in r.attributions) == 1


def test_quote_paragraph_after_a_paraphrase_is_the_same_speaker(reader):
    t = ('Palestinian officials rejected the decision on Monday.\n\n'
         'Saeb Erekat said it was only the latest move by the US to force the Palestinians to give up '
         'their claims to a state.\n\n'
         '"They wanted us on our knees and they used every trick to put pressure on us. We stand tall."\n\n'
         'The talks have been frozen since 2014.')
    r = reader.extract(t)
    a = by_content(r, "They wanted us on our knees")
    assert a.speaker.name == "Saeb Erekat"
    assert_offsets(t, r)


def test_quote_paragraph_after_a_headline_inherits_nothing(reader):
    t = ('Voters Share Their Most Honest Thoughts On The Mayor.\n\n'
         '"We need more buses. If we do not get them, we are not going to get to work on time."\n\n'
         'Ann Lee, 44, a nurse.')
    r = reader.extract(t)
    assert not any("We need more buses" in a.content.text and a.source is not None
                   and a.source.text.startswith("Voters") for a in r.attributions)


def test_source_between_the_quote_and_its_cue_where_the_parse_gives_the_cue_no_subject(reader):
    # the parser takes "chairman" into the quote (an apposition of its last noun), so
    # "said" has no subject: the phrase between the closing mark and the cue is the source
    from sayso.learned.rules import rule_candidates
    t = ('“Our third quarter results reflected broad-based growth across our business, yet sales '
         'were below our expectations driven by the timing of certain benefits associated with our '
         'One Home Depot strategic investments," chairman, CEO and president Craig Menear said in '
         'the earnings release.')
    quotes = [c for c in rule_candidates(t, reader.nlp(t)) if c.origin == "quotes"]
    assert [t[s:e] for s, e in (c.source for c in quotes)] == ["chairman, CEO and president Craig Menear"]


def test_it_before_the_cue_still_names_no_one(reader):
    from sayso.learned.rules import rule_candidates
    t = ('The label put out another statement on Friday.\n\n'
         '"We have agreed to grant all licenses of our artists\' performances to stream after the show," it says.')
    quotes = [c for c in rule_candidates(t, reader.nlp(t)) if c.origin == "quotes"]
    assert quotes and all(c.source is None for c in quotes)
