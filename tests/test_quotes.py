"""Quotation spans straight from the text: pairing, paragraphs, stray marks."""
from sayso.extract.quotes import scan


def texts(text):
    return [text[q.inner_start:q.inner_end] for q in scan(text)]


def test_straight_and_curly_marks_pair():
    t = 'He said "we will win" and she said “they will lose” today.'
    assert texts(t) == ["we will win", "they will lose"]


def test_quote_over_paragraphs_is_split_per_paragraph_and_marked_continued():
    t = '“The first part runs on\n\n“and the second part ends here,” she said.'
    qs = scan(t)
    assert [t[q.inner_start:q.inner_end] for q in qs] == ["The first part runs on", "and the second part ends here,"]
    assert qs[0].continues and qs[1].continued


def test_unbalanced_mark_does_not_swallow_the_rest():
    t = 'A stray " mark here.\n\n"A real quote," he said.\n\nMore "text" later.'
    got = texts(t)
    assert "A real quote," in got
    assert "text" in got
    assert all("\n" not in g for g in got)


def test_several_sentences_in_one_quote():
    t = '"We came. We saw. We stayed," the minister said.'
    assert texts(t) == ["We came. We saw. We stayed,"]


def test_no_marks_no_quotes():
    assert scan("Nothing quoted here at all.") == []
