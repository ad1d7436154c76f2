"""Corpus queries a user types: a surname that fits several people, ids, dates, outlet words,
and the speakers of a spread; through the library and the CLI, on a corpus written for them."""
from __future__ import annotations

from pathlib import Path

import pytest

from sayso.corpus import Corpus, ingest_reports
from sayso.errors import AmbiguousSpeaker, QueryError
from test_corpus_diversity import sayso, story

STORIES = [
    ("b1", "BBC News", "2019-11-18", [("Donald Trump", "PERSON", "male", "The call was perfect and fine.")]),
    ("b2", "BBC News", "2019-11-19", [("Donald Trump", "PERSON", "male", "The call was perfect and very fine.")]),
    ("f1", "Fox News", "2019-11-19", [("Donald Trump", "PERSON", "male", "We are winning big everywhere now."),
                                      ("Eric Trump", "PERSON", "male", "My father works very hard.")]),
    ("f2", "Fox News", "2019-11-20", [("Trump", "PERSON", "unknown", "It is a hoax and a witch hunt.")]),
    ("h1", "The Hill", "2019-11-21", [("Ann Lee", "PERSON", "female", "The bridge opens in May next year.")]),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("q") / "c.db"
    assert ingest_reports(p, [story(*s) for s in STORIES]).added == len(STORIES)
    return p


def test_a_surname_shared_by_two_people_lists_both(db: Path):
    with Corpus.open(db) as c:
        with pytest.raises(AmbiguousSpeaker) as exc:
            c.quotes(speaker="Trump")
        names = [x["name"] for x in exc.value.candidates]
        assert names == ["Donald Trump", "Eric Trump"]  # most quoted first
        donald = exc.value.candidates[0]["id"]
        # an id, "#id" or a full name picks one
        assert c.quotes(speaker=donald)["total"] == c.quotes(speaker=f"#{donald}")["total"] == 4
        assert c.quotes(speaker="Eric Trump")["total"] == 1
        assert c.speaker("Ann Lee")["name"] == "Ann Lee"
        assert c.speaker("Lee")["name"] == "Ann Lee"  # one Lee: no question to ask
        assert c.quotes(speaker="Nobody Atall")["total"] == 0


def test_dates_are_validated(db: Path):
    with Corpus.open(db) as c:
        for bad in ("20/11/2019", "2019-13-01", "yesterday", "2019-02-30"):
            with pytest.raises(QueryError, match="YYYY-MM-DD"):
                c.quotes(since=bad)
        assert c.quotes(since="2019-11-20")["total"] == 2
        assert c.quotes(since="2019-11")["total"] == 6
        assert c.top_speakers(since="2019-11-21")["items"][0]["name"] == "Ann Lee"


def test_outlet_matches_whole_words_in_any_case(db: Path):
    with Corpus.open(db) as c:
        assert c.quotes(outlet="BBC")["total"] == 2
        assert c.quotes(outlet="bbc news")["total"] == 2
        assert c.quotes(outlet="thehill")["total"] == 1
        assert c.quotes(outlet="News")["total"] == 5  # BBC News and Fox News
        assert c.quotes(outlet="BB")["total"] == 0  # words, not letters
        assert {i["name"] for i in c.top_speakers(outlet="fox")["items"]} == {"Donald Trump", "Eric Trump"}


def test_cli_ambiguous_speaker_bad_date_and_spread_speakers(db: Path):
    res = sayso("quotes", "--db", str(db), "--speaker", "Trump")
    assert res.returncode == 2, res.stderr
    assert "several speakers fit 'Trump'" in res.stderr
    assert "Donald Trump" in res.stderr and "Eric Trump" in res.stderr and res.stdout == ""
    bad = sayso("quotes", "--db", str(db), "--since", "20/11/2019")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    bbc = sayso("quotes", "--db", str(db), "--outlet", "BBC")
    assert bbc.returncode == 0 and bbc.stdout.startswith("2 quotes")
    with Corpus.open(db) as c:
        qid = c.quotes(outlet="BBC")["items"][0]["id"]
    spread = sayso("spread", qid, "--db", str(db))
    assert spread.returncode == 0, spread.stderr
    assert "said by: Donald Trump" in spread.stdout
    members = [ln for ln in spread.stdout.splitlines() if "BBC News [Donald Trump]" in ln]
    assert len(members) == 2
