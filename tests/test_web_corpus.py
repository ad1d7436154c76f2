"""Browsing a real SQLite corpus: the JSON API and the HTML pages, through a real ASGI client."""
from __future__ import annotations

import pytest

from sayso.web import create_app
from test_web_api import assert_error, call
from test_web_support import corpus_db, reader  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def app(corpus_db, reader):  # noqa: F811
    return create_app(db_path=corpus_db, reader=reader)


def lee_id(app) -> str:
    items = call(app, "GET", "/api/speakers").json()["items"]
    return next(s["id"] for s in items if "Lee" in s["name"])


def test_speakers_are_ranked_by_statements_and_paginated(app):
    resp = call(app, "GET", "/api/speakers")
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["total"] >= 2 and data["offset"] == 0
    counts = [s["quotes"] for s in data["items"]]
    assert counts == sorted(counts, reverse=True)
    assert "Ann Lee" in data["items"][0]["name"]  # she is quoted most, in three outlets
    assert data["items"][0]["outlets"] >= 3
    page2 = call(app, "GET", "/api/speakers?limit=1&offset=1").json()
    assert len(page2["items"]) == 1 and page2["items"][0] == data["items"][1]
    only = call(app, "GET", "/api/speakers?outlet=Valley Courier").json()
    assert only["items"] and all(s["outlets"] == 1 for s in only["items"])


def test_a_speaker_has_name_variants_and_statements(app):
    sid = lee_id(app)
    resp = call(app, "GET", f"/api/speakers/{sid}")
    assert resp.status_code == 200, resp.text
    sp = resp.json()
    assert "Ann Lee" in sp["name"]
    assert sp["quotes"]["total"] >= 3
    assert {q["outlet"] for q in sp["quotes"]["items"]} >= {"Harbor City Gazette", "Valley Courier"}
    assert_error(call(app, "GET", "/api/speakers/Nobody%20At%20All"), 404, "no speaker")


def test_quotes_filter_by_search_outlet_and_speaker(app):
    found = call(app, "GET", "/api/quotes", params={"q": "budget"}).json()
    assert found["total"] >= 1
    assert all("budget" in q["text"].lower() for q in found["items"])
    courier = call(app, "GET", "/api/quotes", params={"outlet": "Valley Courier"}).json()
    assert courier["items"] and {q["outlet"] for q in courier["items"]} == {"Valley Courier"}
    lee = call(app, "GET", "/api/quotes", params={"speaker": lee_id(app)}).json()
    assert lee["total"] >= 3 and all("Lee" in (q["speaker"] or "") for q in lee["items"])
    none = call(app, "GET", "/api/quotes", params={"q": "zeppelin"}).json()
    assert none == {"total": 0, "limit": 50, "offset": 0, "items": []}


def test_an_article_comes_with_its_text_and_report(app):
    resp = call(app, "GET", "/api/articles/gazette-bridge")
    assert resp.status_code == 200, resp.text
    data = resp.json()
    text = data["article"]["text"]
    assert text.startswith('"We will rebuild the bridge before winter,"')
    for a in data["report"]["attributions"]:
        assert text[a["content"]["start"]:a["content"]["end"]] == a["content"]["text"]
    assert call(app, "GET", "/api/articles/evil/one").status_code == 200  # ids may hold a slash
    assert_error(call(app, "GET", "/api/articles/..%2F..%2Fetc%2Fpasswd"), 404, "no article")


def test_spread_lists_each_outlet_with_its_wording_differences(app):
    q = call(app, "GET", "/api/quotes", params={"q": "rebuild", "outlet": "Harbor City Gazette"}).json()
    qid = q["items"][0]["id"]
    resp = call(app, "GET", f"/api/spread/{qid}")
    assert resp.status_code == 200, resp.text
    sp = resp.json()
    outlets = {m["outlet"] for m in sp["members"]}
    assert {"Harbor City Gazette", "Valley Courier", "Coastal Wire"} <= outlets
    courier = next(m for m in sp["members"] if m["outlet"] == "Valley Courier")
    assert not courier["same_wording"]
    assert ["added", "that"] in courier["diff"]
    assert "".join(t for op, t in courier["diff"] if op != "removed") == courier["text"]
    assert_error(call(app, "GET", "/api/spread/does-not-exist"), 404, "no statement")


@pytest.mark.parametrize("path", ["/speakers", "/quotes?q=rebuild", "/articles/gazette-bridge"])
def test_browse_pages_render(app, path):
    resp = call(app, "GET", path)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("text/html")


def test_speaker_and_spread_pages_render(app):
    sid = lee_id(app)
    page = call(app, "GET", f"/speakers/{sid}")
    assert page.status_code == 200 and "Coastal Wire" in page.text
    qid = call(app, "GET", "/api/quotes", params={"q": "rebuild"}).json()["items"][0]["id"]
    spread = call(app, "GET", f"/spread/{qid}")
    assert spread.status_code == 200 and 'class="added"' in spread.text


def test_pages_escape_hostile_corpus_text(app):
    for path in ("/quotes?q=plan", "/speakers", f"/speakers/{lee_id(app)}", "/articles/evil/one"):
        html = call(app, "GET", path).text
        assert "<script>window" not in html and "<img src=x" not in html and "<b>Evil" not in html, path
        assert 'href="javascript:' not in html, path
    assert "&lt;b&gt;Evil&lt;/b&gt; Outlet" in call(app, "GET", "/quotes?q=plan").text


def test_an_unknown_page_is_an_html_error_for_browsers_and_json_for_clients(app):
    html = call(app, "GET", "/speakers/Nobody", headers={"accept": "text/html"})
    assert html.status_code == 404 and "no speaker" in html.text and "<html" in html.text
    assert_error(call(app, "GET", "/speakers/Nobody"), 404, "no speaker")
