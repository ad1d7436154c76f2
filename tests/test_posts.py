"""Embedded social posts: found, attributed to their author, and kept out of the prose."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayso import nlp
from sayso.extract import posts
from sayso.extract.context import Context

TWEET = """The army said it had begun strikes on the northern district overnight.

We stand with the families tonight. Our support is unwavering. #Ashdod pic.twitter.com/AbC123xyz
— Jane Roe (@janeroe) October 13, 2023

Officials did not say when the operation would end."""


@pytest.fixture(scope="module")
def parse():
    return nlp.load()


def run(parse, text: str) -> Context:
    ctx = Context(text=text, doc=parse(text))
    posts.find(ctx)
    return ctx


def check_ranges(ctx: Context) -> None:
    n = len(ctx.text)
    for p in ctx.posts:
        for s, e in (p.span, p.text):
            assert 0 <= s <= e <= n
        assert p.span[0] <= p.text[0] and p.text[1] <= p.span[1]
    for c in ctx.candidates:
        for s, e in c.content + ([c.source] if c.source else []):
            assert 0 <= s < e <= n


def test_tweet_embed(parse):
    ctx = run(parse, TWEET)
    t = ctx.text
    [p] = ctx.posts
    assert (p.id, p.platform, p.author, p.handle, p.date) == (
        "p1", "twitter", "Jane Roe", "@janeroe", "2023-10-13")
    assert t[p.text[0]:p.text[1]] == ("We stand with the families tonight. "
                                      "Our support is unwavering. #Ashdod")
    assert t[p.span[0]:p.span[1]].startswith("We stand with")
    assert t[p.span[0]:p.span[1]].endswith("October 13, 2023")
    assert ctx.blocked == [p.span]
    [c] = ctx.candidates
    assert (c.kind, c.origin, c.post, c.speaker_name, c.cue) == (
        "direct", "posts", "p1", "Jane Roe", None)
    assert c.content == [p.text]
    assert t[c.source[0]:c.source[1]] == "Jane Roe"
    assert c.confidence >= 0.85
    # the article's own prose around the post is not blocked
    assert not ctx.is_blocked(0, 10)
    assert not ctx.is_blocked(len(t) - 10, len(t))
    check_ranges(ctx)


def test_hyphen_signature_status_links_and_thread(parse):
    text = ("Residents were told to leave.\n"
            "Water is off in the north. @UN please help\n"
            "We need fuel now. pic.twitter.com/ZZtop1\n"
            "- Ahmed Ali (@ahmed_ali) Oct 13, 2023 https://twitter.com/ahmed_ali/status/1712\n"
            "https://twitter.com/ahmed_ali/status/1712\n\n"
            "The ministry did not comment.")
    ctx = run(parse, text)
    [p] = ctx.posts
    assert p.author == "Ahmed Ali" and p.handle == "@ahmed_ali" and p.date == "2023-10-13"
    # the short line with an @mention joins; the plain article line above it does not
    assert text[p.text[0]:p.text[1]] == ("Water is off in the north. @UN please help\n"
                                         "We need fuel now.")
    assert text[p.span[0]:p.span[1]].endswith("https://twitter.com/ahmed_ali/status/1712")
    assert "ministry" not in text[p.span[0]:p.span[1]]
    assert "Residents" not in text[p.span[0]:p.span[1]]
    check_ranges(ctx)


def test_signature_on_the_same_line_and_day_month_order(parse):
    text = ("The bridge is closed until further notice — City of Springfield (@SpringfieldGov) "
            "13 October 2023\nTraffic was diverted.")
    ctx = run(parse, text)
    [p] = ctx.posts
    assert text[p.text[0]:p.text[1]] == "The bridge is closed until further notice"
    assert p.author == "City of Springfield" and p.date == "2023-10-13"
    assert "Traffic" not in text[p.span[0]:p.span[1]]


def test_lone_picture_line_between_words_and_signature(parse):
    text = "Back home at last.\npic.twitter.com/Qq12\n&mdash; Lee Park (@leepark) Jan. 5, 2024"
    ctx = run(parse, text)
    [p] = ctx.posts
    assert text[p.text[0]:p.text[1]] == "Back home at last."
    assert p.span == (0, len(text))
    assert p.date == "2024-01-05"


def test_platforms(parse):
    insta = run(parse, "Lovely day at the beach\n"
                       "A post shared by Kim Doe (@kimdoe) on Oct 13, 2023 at 10:05am PDT")
    sky = run(parse, "Vote today!\n— Sam Hill (@samhill.bsky.social) October 13, 2023 at 9:14 AM")
    x = run(parse, "Done.\n— Bo (@bo) May 2, 2024 https://x.com/bo/status/99")
    assert [p.platform for p in insta.posts + sky.posts + x.posts] == ["instagram", "bluesky", "x"]
    assert insta.posts[0].author == "Kim Doe"
    assert sky.posts[0].handle == "@samhill.bsky.social"


def test_two_posts_do_not_share_lines(parse):
    text = ("First post here.\n— A One (@aone) March 1, 2024\n"
            "Second post here.\n— B Two (@btwo) March 2, 2024")
    ctx = run(parse, text)
    assert [p.id for p in ctx.posts] == ["p1", "p2"]
    assert [text[p.text[0]:p.text[1]] for p in ctx.posts] == ["First post here.",
                                                              "Second post here."]
    assert ctx.posts[0].span[1] <= ctx.posts[1].span[0]
    assert [c.post for c in ctx.candidates] == ["p1", "p2"]


def test_dash_on_the_link_and_trailing_period(parse):
    text = ("The council voted late.\n"
            "Tonight we voted for the new park.#GreenCity pic.twitter.com/Zx81kQ"
            "— Springfield Council (@SpfldCouncil) March 3, 2024.\nResidents cheered.")
    ctx = run(parse, text)
    [p] = ctx.posts
    assert text[p.text[0]:p.text[1]] == "Tonight we voted for the new park.#GreenCity"
    assert (p.author, p.date) == ("Springfield Council", "2024-03-03")
    assert text[p.span[0]:p.span[1]].endswith("2024.")


def test_kept_tweet_markup_with_and_without_signature(parse):
    text = ('The mayor replied online. <tweet id="1" author="@annlee" datetime="2024-03-04">'
            "We will rebuild the bridge. https://t.co/abc SIGN UP FOR OUR NEWSLETTER "
            "— Ann Lee (@annlee) March 4, 2024</tweet>.\n"
            '<tweet author="cityhall" timestamp="1709596800">Roads reopen at noon</tweet>.\n'
            "Traffic resumed.")
    ctx = run(parse, text)
    first, second = ctx.posts
    assert text[first.span[0]:first.span[1]].startswith("<tweet id=")
    assert text[first.span[0]:first.span[1]].endswith("</tweet>.")
    assert text[first.text[0]:first.text[1]] == "We will rebuild the bridge."
    assert (first.author, first.handle) == ("Ann Lee", "@annlee")
    assert (second.author, second.handle, second.date) == (None, "@cityhall", "2024-03-05")
    assert text[second.text[0]:second.text[1]] == "Roads reopen at noon"
    assert [c.speaker_name for c in ctx.candidates] == ["Ann Lee", "@cityhall"]
    assert ctx.candidates[1].source is None
    assert not ctx.is_blocked(0, 20) and not ctx.is_blocked(len(text) - 10, len(text))
    check_ranges(ctx)


@pytest.mark.parametrize("text", [
    "He spoke to reporters (@reporters) about the deal.",
    "Follow the minister (@minister) for updates.",
    "— (@) October 13, 2023",
    "(@x) February 30, 2023",
    "",
])
def test_prose_and_broken_signatures_are_not_posts(parse, text):
    ctx = run(parse, text)
    assert ctx.posts == [] and ctx.candidates == [] and ctx.blocked == []


def test_signature_without_words_gives_no_candidate(parse):
    text = "— Jane Roe (@janeroe) October 13, 2023"
    ctx = run(parse, text)
    [p] = ctx.posts
    assert p.text[0] == p.text[1] and ctx.candidates == []
    assert ctx.blocked == [p.span]


_piece = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from([
        "— Jane Roe (@janeroe) October 13, 2023", "- X (@x) Oct 1, 2020 https://t.co/a",
        "&mdash; (@h_1) 2023-02-29", "pic.twitter.com/abc", "https://twitter.com/a/status/1",
        "A post shared by (@k) on Jan 1, 2024", "(@", "—", "\n", "\n\n", " ", "#tag", "@who",
        "Sam (@s.bsky.social) 31 Dec 2023 at 23:59", "<tweet author='a'>", "</tweet>",
        '<tweet datetime="2024-13-45" timestamp="99999999999999">', "SIGN UP FOR OUR NEWSLETTER",
        "said.", '"', "— Name (@", "(@a) May 5,",
    ]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_piece, max_size=14))
def test_fuzz_never_raises_and_ranges_hold(pieces):
    from spacy.tokens import Doc
    from spacy.vocab import Vocab
    text = "".join(pieces)
    # posts.find reads only the text: an empty doc keeps the fuzz fast
    ctx = Context(text=text, doc=Doc(Vocab(), words=[]))
    posts.find(ctx)
    check_ranges(ctx)
    spans = sorted(p.span for p in ctx.posts)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
