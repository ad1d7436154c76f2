"""The diversity charts and a stored article's page in a real browser (Debian's chromium driven by
Playwright) against a real uvicorn: the charts render, and their numbers are the API's."""
from __future__ import annotations

import os

import httpx
import pytest

from sayso.corpus import ingest_reports
from sayso.web import create_app
from test_corpus_diversity import STORIES, story
from test_web_browser import CHROMIUM, OUT, browser  # noqa: F401  (fixture)
from test_web_support import LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"{CHROMIUM} missing: install Debian's chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("charts") / "c.db"
    ingest_reports(db, [story(*s) for s in STORIES])
    with LiveServer(create_app(db_path=db)) as srv:
        yield srv


@pytest.fixture
def page(browser, server):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = ctx.new_page()
    pg.outside, pg.errors = [], []
    pg.on("request", lambda r: None if r.url.startswith((server.url, "data:")) else pg.outside.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    yield pg
    ctx.close()


def bars(pg, chart: str) -> dict[str, str]:
    return pg.eval_on_selector_all(f"#{chart} svg rect.bar",
                                   "rs => Object.fromEntries(rs.map(r => [r.dataset.key, r.dataset.value]))")


def test_diversity_charts_render_the_api_numbers(page, server):
    page.goto(server.url + "/diversity")
    page.wait_for_selector("#chart-outlets[data-drawn=true] svg rect.bar")
    page.wait_for_selector("#chart-months[data-drawn=true] svg rect.bar")
    api = httpx.get(server.url + "/api/diversity", params={"by": "outlet"}).json()
    drawn = bars(page, "chart-outlets")
    assert set(drawn) == {i["key"] for i in api["items"]}
    for it in api["items"]:
        want = "" if it["women_share"] is None else it["women_share"]
        assert (drawn[it["key"]] == "" if want == "" else float(drawn[it["key"]]) == pytest.approx(want)), it
    # a longer bar for a larger share; none for an outlet whose speakers' gender is unknown
    widths = page.eval_on_selector_all("#chart-outlets svg rect.bar",
                                       "rs => Object.fromEntries(rs.map(r => [r.dataset.key, r.getBBox().width]))")
    assert widths["Daily Ledger"] > widths["Evening Post"] > 0 and widths["Wire Service"] == 0
    labels = page.locator("#chart-outlets svg text.label").all_text_contents()
    assert labels[:2] == ["Daily Ledger", "Evening Post"]
    assert "66.7%" in page.locator("#chart-outlets").text_content()
    months = httpx.get(server.url + "/api/diversity", params={"by": "month"}).json()
    got = bars(page, "chart-months")
    assert list(got) == [i["key"] for i in months["items"]]
    assert float(got["2024-03"]) == pytest.approx(months["items"][0]["women_share"])
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "web-diversity.png"), full_page=True)
    assert page.outside == [] and page.errors == []


def test_speaker_timeline_and_article_page_draw_at_once(page, server):
    sp = httpx.get(server.url + "/api/speakers/Ann Lee").json()
    page.goto(server.url + f"/speakers/{sp['id']}")
    page.wait_for_selector("#chart-timeline[data-drawn=true] svg rect.bar")
    drawn = bars(page, "chart-timeline")
    assert drawn == {m["month"]: str(m["statements"]) for m in sp["timeline"]}
    # a stored article's page draws its text and metadata with no second request and no "Loading…"
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    page.goto(server.url + "/articles/l1")
    page.wait_for_selector("#article span.c")
    assert not any("/api/" in u for u in seen), seen
    assert "Loading" not in page.locator("main").text_content()
    assert "Daily Ledger" in page.locator("#meta .byline").text_content()
    assert page.locator("#meta .byline a.url").get_attribute("href") == "https://x.example/l1"
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "web-speaker-timeline.png"), full_page=True)
    assert page.outside == [] and page.errors == []


def test_reader_page_shows_a_pages_metadata_and_warning(page, server, tmp_path):
    from test_inputs_web import CAPTION_ONLY, META_PAGE

    f = tmp_path / "meta.html"
    f.write_text(META_PAGE, encoding="utf-8")
    page.goto(server.url + "/")
    page.set_input_files("#file", str(f))
    page.click("#go")
    page.wait_for_selector("#speakers .speaker", timeout=30_000)
    by = page.locator("#meta .byline")
    assert by.locator(".outlet").text_content() == "ledgerwire.com"
    assert by.locator(".published").text_content() == "2024-03-05"
    assert by.locator(".author").text_content() == "by Jane Doe; John Q. Public"
    assert by.locator("a.url").get_attribute("href") == \
        "https://hosted.ledgerwire.com/ledger/article/bridge-vote?ref=canonical"
    assert page.locator("#meta .warning").count() == 0
    g = tmp_path / "gallery.html"
    g.write_text(CAPTION_ONLY, encoding="utf-8")
    page.set_input_files("#file", str(g))
    page.click("#go")
    page.wait_for_selector("#meta .warning", timeout=30_000)
    assert "characters of article text" in page.locator("#meta .warning").text_content()
    assert page.outside == [] and page.errors == []
