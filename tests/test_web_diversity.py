"""The web app on a corpus: the diversity API and page, a speaker's timeline, ambiguous names,
bad dates and outlet words; through a real ASGI client on a real SQLite file."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from sayso.corpus import Corpus, ingest_reports
from sayso.web import create_app
from test_corpus_diversity import STORIES, story
from test_corpus_queries import STORIES as TRUMP_STORIES
from test_web_api import assert_error, call


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("div") / "c.db"
    ingest_reports(p, [story(*s) for s in STORIES + TRUMP_STORIES])
    return p


@pytest.fixture(scope="module")
def app(db):
    return create_app(db_path=db)  # no extraction here: the Reader is never loaded


def test_diversity_api_matches_the_corpus(app, db):
    resp = call(app, "GET", "/api/diversity", params={"by": "outlet"})
    assert resp.status_code == 200, resp.text
    with Corpus.open(db) as c:
        assert resp.json() == c.diversity(by="outlet")
    ledger = next(i for i in resp.json()["items"] if i["key"] == "Daily Ledger")
    assert ledger["statements"]["female"] == 2 and ledger["women_share"] == pytest.approx(0.6667)
    month = call(app, "GET", "/api/diversity", params={"by": "month", "outlet": "bbc"}).json()
    assert [i["key"] for i in month["items"]] == ["2019-11"] and month["total"]["statements"]["male"] == 2
    assert call(app, "GET", "/api/diversity", params={"by": "week"}).status_code == 422
    assert_error(call(app, "GET", "/api/diversity", params={"since": "20/11/2019"}), 400, "YYYY-MM-DD")


def test_diversity_page_carries_the_numbers_it_draws(app):
    resp = call(app, "GET", "/diversity", headers={"accept": "text/html"})
    assert resp.status_code == 200, resp.text
    page = resp.text
    m = re.search(r'id="chart-outlets" data-chart="women-by-outlet" data-source="([^"]*)"', page)
    assert m, page[:2000]
    assert json.loads(html.unescape(m.group(1))) == call(app, "GET", "/api/diversity").json()
    assert 'src="/static/charts.js"' in page and "<script>" not in page  # no inline script (CSP)
    assert '<tr data-key="Daily Ledger">' in page


def test_speaker_page_and_api_have_the_timeline_and_gender(app):
    sp = call(app, "GET", "/api/speakers/Tom Okafor").json()
    assert sp["gender"] == "male" and [m["month"] for m in sp["timeline"]] == ["2024-03", "2024-04"]
    page = call(app, "GET", f"/speakers/{sp['id']}", headers={"accept": "text/html"}).text
    assert 'data-chart="speaker-timeline"' in page and ">male</span>" in page


def test_an_ambiguous_name_lists_the_candidates(app):
    resp = call(app, "GET", "/api/quotes", params={"speaker": "Trump"})
    assert_error(resp, 409, "speakers fit 'Trump'")
    assert [c["name"] for c in resp.json()["candidates"]] == ["Donald Trump", "Eric Trump"]
    assert call(app, "GET", "/api/speakers/Trump").status_code == 409
    page = call(app, "GET", "/speakers/Trump", headers={"accept": "text/html"})
    assert page.status_code == 409 and "Which Trump?" in page.text
    ids = [c["id"] for c in resp.json()["candidates"]]
    for i in ids:
        assert f'href="/speakers/{i}"' in page.text


def test_quotes_api_dates_and_outlet_words(app):
    assert_error(call(app, "GET", "/api/quotes", params={"since": "yesterday"}), 400, "YYYY-MM-DD")
    assert call(app, "GET", "/api/quotes", params={"outlet": "BBC"}).json()["total"] == 2
    spread_id = call(app, "GET", "/api/quotes", params={"outlet": "BBC"}).json()["items"][0]["id"]
    members = call(app, "GET", f"/api/spread/{spread_id}").json()["members"]
    assert {m["speaker"] for m in members} == {"Donald Trump"} and all(m["speaker_id"] for m in members)
    page = call(app, "GET", f"/spread/{spread_id}", headers={"accept": "text/html"}).text
    assert "<th>Speaker</th>" in page and ">Donald Trump</a>" in page
