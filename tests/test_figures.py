"""Figures inside attributed content: found, normalised, tied to their attribution."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sayso import Figure, nlp
from sayso.extract import figures
from sayso.extract.context import Candidate, Context


@pytest.fixture(scope="module")
def parse():
    return nlp.load()


def figs(parse, text: str, ranges=None) -> list[dict]:
    """Figures of text with one attribution "a1" whose content is ``ranges`` (default: all)."""
    ctx = Context(text=text, doc=parse(text))
    cand = Candidate(kind="indirect", content=ranges or [(0, len(text))])
    out = figures.find(ctx, [("a1", cand)])
    for f in out:
        Figure(**f)  # the keyword arguments fit the model
        assert text[f["span"].start:f["span"].end] == f["span"].text
    return out


@pytest.mark.parametrize("sentence, span, value, qualifier, unit", [
    ("More than 2,100 people were killed, officials said.", "More than 2,100", 2100,
     "more than", None),
    ("She said about 1.1 million residents had fled.", "about 1.1 million", 1_100_000,
     "about", None),
    ("He said the 900-day siege had ended.", "900-day", 900, None, "day"),
    ("Prices rose 12 percent in a year, the bank said.", "12 percent", 12, None, "percent"),
    ("Turnout fell to 12% in the north, they said.", "12%", 12, None, "percent"),
    ("The plan would cost $3.5 billion, he said.", "$3.5 billion", 3.5e9, None, "dollars"),
    ("It paid £20m for the site, she said.", "£20m", 20_000_000, None, "pounds"),
    ("Two dozen soldiers were wounded, the army said.", "Two dozen", 24, None, None),
    ("He said three ships had sunk.", "three", 3, None, None),
    ("Police said twenty-five boats were seized.", "twenty-five", 25, None, None),
    ("Nearly 40 per cent of voters stayed home, he said.", "Nearly 40 per cent", 40, "nearly",
     "percent"),
    ("Up to 5,000 troops may be sent, she said.", "Up to 5,000", 5000, "up to", None),
    ("An estimated 20,000 protesters marched, police said.", "An estimated 20,000", 20000,
     "an estimated", None),
    ("Some 3,000 families were displaced, the agency said.", "Some 3,000", 3000, "some", None),
    ("At least 14 people died, the governor said.", "At least 14", 14, "at least", None),
    ("Almost 2.5 million children need aid, Unicef said.", "Almost 2.5 million", 2_500_000,
     "almost", None),
    ("Fewer than 300 trucks got through, the UN said.", "Fewer than 300", 300, "fewer than", None),
])
def test_values_and_qualifiers(parse, sentence, span, value, qualifier, unit):
    [f] = figs(parse, sentence)
    assert f["span"].text == span
    assert f["value"] == pytest.approx(value)
    assert (f["qualifier"], f["unit"], f["attribution"], f["id"]) == (qualifier, unit, "a1", "f1")


@pytest.mark.parametrize("sentence, span, low, high", [
    ("Between 50 and 200 civilians died, officials said.", "Between 50 and 200", 50, 200),
    ("He said 50-200 fighters remained.", "50-200", 50, 200),
    ("She said 1.5 to 2 million people were at risk.", "1.5 to 2 million", 1_500_000, 2_000_000),
])
def test_ranges(parse, sentence, span, low, high):
    [f] = figs(parse, sentence)
    assert f["span"].text == span
    assert (f["value"], f["low"], f["high"]) == (None, low, high)


@pytest.mark.parametrize("sentence, counts", [
    ("More than 2,100 people have been killed in Gaza.", "people killed"),
    ("Between 50 and 200 Palestinian civilians died.", "Palestinian civilians"),
    ("Up to 5,000 troops may be sent.", "troops sent"),
    ("He said 40 foreign aid workers arrived.", "foreign aid workers"),
    ("He said 18 fact-checkers were hired.", "fact-checkers hired"),
])
def test_counts_comes_from_the_parse(parse, sentence, counts):
    assert figs(parse, sentence)[0]["counts"] == counts


@pytest.mark.parametrize("sentence", [
    "The talks collapsed in 2019, the minister said.",
    "He said the deal was signed on October 13 in Geneva.",
    "She said the vote was held on 13 October.",
    "The strike began at 10:30 on Friday, they said.",
    "He said the curfew starts at 9 p.m. daily.",
    "The COVID-19 ward and the F-16 jets were mentioned, he said.",
    "See @user123 and https://x.com/user/status/1712345678 for details, she said.",
    "It came 13th in the ranking, he said.",
    "They met at three o’clock and talked about the 90's, he said.",
    "The 2019-2020 season was cancelled, the league said.",
])
def test_not_figures(parse, sentence):
    assert figs(parse, sentence) == []


def test_only_attributed_content_counts_and_ids_follow_text_order(parse):
    text = ('Officials counted 400 trucks. "We lost 30 homes and 12 boats," the mayor said, '
            'adding that 7 bridges were gone.')
    ctx = Context(text=text, doc=parse(text))
    q = text.index('"We lost')
    quote = Candidate(kind="direct", content=[(q, text.index(',"') + 2)])
    tail = text.index("7 bridges")
    added = Candidate(kind="indirect", content=[(tail, len(text) - 1)])
    out = figures.find(ctx, [("a2", added), ("a1", quote)])
    assert [(f["id"], f["span"].text, f["attribution"]) for f in out] == [
        ("f1", "30", "a1"), ("f2", "12", "a1"), ("f3", "7", "a2")]
    assert all(text[f["span"].start:f["span"].end] == f["span"].text for f in out)


def test_narrowest_attribution_wins_and_pieces_are_searched(parse):
    text = "The ministry said that more than 90 schools were hit, and the UN said 12 were closed."
    ctx = Context(text=text, doc=parse(text))
    whole = Candidate(kind="indirect", content=[(0, len(text))])
    inner = Candidate(kind="indirect", content=[(text.index("more"), text.index(", and"))])
    out = figures.find(ctx, [("a1", whole), ("a2", inner)])
    assert [(f["span"].text, f["attribution"]) for f in out] == [
        ("more than 90", "a2"), ("12", "a1")]
    # a discontinuous content: each piece is searched, the gap is not
    split = Candidate(kind="direct", content=[(0, 10), (text.index("the UN"), len(text))])
    assert [f["span"].text for f in figures.find(ctx, [("a3", split)])] == ["12"]


def test_no_candidates_no_figures(parse):
    text = "More than 2,100 people were killed."
    assert figures.find(Context(text=text, doc=parse(text)), []) == []
    assert figures.find(Context(text=text, doc=parse(text)),
                        [("a1", Candidate(kind="direct", content=[]))]) == []


_word = st.sampled_from([
    "more than", "about", "2,100", "1.1", "million", "-", "50-200", "900-day", "%", "$3.5",
    "billion", "two", "dozen", "October", "13", "2023", "10:30", "@h1", "http://t.co/9",
    "people", "killed", "said", ",", ".", "\n", "between", "and", "to", "COVID-19", "twenty",
    "per cent", "e", "£", "12m", "0.", ".5"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_word, max_size=25), st.lists(st.tuples(st.integers(-5, 300),
                                                       st.integers(-5, 300)), max_size=3))
def test_fuzz_spans_stay_inside_content(words, ranges):
    from spacy.tokens import Doc
    from spacy.vocab import Vocab
    text = " ".join(words)
    doc = Doc(Vocab(), words=text.split(" ")) if text else Doc(Vocab(), words=[])
    ctx = Context(text=text, doc=doc)
    cands = [(f"a{i}", Candidate(kind="direct", content=[(min(s, e), max(s, e))]))
             for i, (s, e) in enumerate(ranges, 1)]
    for f in figures.find(ctx, cands):
        Figure(**f)
        s, e = f["span"].start, f["span"].end
        assert text[s:e] == f["span"].text and s < e
        c = dict(cands)[f["attribution"]]
        assert any(cs <= s and e <= ce for cs, ce in c.content)


@pytest.fixture(scope="module")
def reader():
    from sayso import Reader
    return Reader(model=None)


def test_through_the_public_api(reader):
    text = ("The ministry gave new figures on Friday.\n\n"
            "More than 2,100 people were killed, according to the health ministry.\n\n"
            "We stand with the families tonight. #Ashdod pic.twitter.com/AbC123xyz\n"
            "— Jane Roe (@janeroe) October 13, 2023\n\n"
            "Officials did not say when the operation would end.\n")
    report = reader.extract(text)
    for span in report.spans():
        assert text[span.start:span.end] == span.text
    [post] = report.embedded_posts
    assert (post.author, post.handle, post.date, post.platform) == (
        "Jane Roe", "@janeroe", "2023-10-13", "twitter")
    assert post.text.text == "We stand with the families tonight. #Ashdod"
    att = next(a for a in report.attributions if a.id == post.attribution)
    assert att.content.text == post.text.text and att.speaker.name == "Jane Roe"
    # nothing else is read out of the post's lines
    assert not [a for a in report.attributions if a.id != post.attribution
                and a.content.start < post.span.end and post.span.start < a.content.end]
    fig = next(f for f in report.figures if f.value == 2100)
    assert fig.span.text == "More than 2,100" and fig.qualifier == "more than"
    holder = next(a for a in report.attributions if a.id == fig.attribution)
    assert "2,100 people were killed" in holder.content.text
    assert "ministry" in holder.source.text
    assert report.to_dict()["figures"][0]["value"] == 2100
