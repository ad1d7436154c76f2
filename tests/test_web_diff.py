"""Wording differences between versions of one statement, as shown on the spread page."""
from sayso.web.diff import word_diff


def _joined(pieces):
    return "".join(t for op, t in pieces if op != "removed")


def test_the_same_wording_is_one_same_piece_whatever_the_case():
    assert word_diff("We will rebuild.", "we will REBUILD.") == [("same", "we will REBUILD.")]


def test_changed_words_are_marked_and_the_other_text_is_kept_exactly():
    ref = "We will rebuild the bridge before winter."
    other = "We will rebuild that  bridge before the winter!"
    pieces = word_diff(ref, other)
    assert _joined(pieces) == other
    assert ("added", "that") in pieces and ("removed", "the") in pieces
    assert ("added", "the") in pieces and ("added", "!") in pieces
    assert ("removed", ".") in pieces


def test_curly_and_straight_apostrophes_count_as_the_same():
    assert word_diff("We’re ready", "We're ready") == [("same", "We're ready")]


def test_empty_sides():
    assert word_diff("a b", "") == [("removed", "a b")]
    assert word_diff("", "a b") == [("added", "a b")]
