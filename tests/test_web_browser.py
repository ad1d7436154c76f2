"""End to end in a real browser: Debian's chromium, driven by Playwright, against a real uvicorn."""
from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from sayso.web import create_app
from test_web_support import LiveServer, corpus_db, reader  # noqa: F401  (fixtures)

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parent.parent / "test-output"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"{CHROMIUM} missing: install Debian's chromium (apt-get install chromium)"),
]

ARTICLE = """Harbor City to rebuild Old Mill bridge after flood

HARBOR CITY (Wire) — The city will rebuild the Old Mill bridge before winter, a week after floodwater closed the crossing.

"We will rebuild the bridge, and we will do it right," Mayor Ann Lee said on Tuesday.

"This was not a surprise to anyone who drives across it," council member Raj Patel told reporters.

More than 300 residents signed a petition asking for a footbridge, according to the Harbor City Gazette.

Police said more than 200 cars a day used the crossing.

We will rebuild the bridge, and we will do it right. pic.twitter.com/abc123
— Ann Lee (@MayorAnnLee) March 5, 2024"""

XSS = """<script>window.__pwned = 1; alert("script")</script>

"<img src=x onerror="window.__pwned = 2; alert('img')">," Mayor Ann Lee said on Tuesday.

"Click <a href="javascript:window.__pwned=3">here</a> now," Raj <b onmouseover="window.__pwned=4">Patel</b> said.

<svg onload="window.__pwned=5"></svg> <iframe src="javascript:alert(6)"></iframe> {{7*7}} ${alert(8)}"""


@pytest.fixture(scope="module")
def server(reader):  # noqa: F811
    with LiveServer(create_app(reader=reader)) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1300, "height": 950})
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.outside = []  # any request that leaves this server
    pg.on("request", lambda r: None if r.url.startswith((server.url, "data:")) else pg.outside.append(r.url))
    yield pg
    ctx.close()


def paste_and_read(pg, server, text: str, title: str = "") -> None:
    pg.goto(server.url + "/")
    pg.fill("#text", text)
    if title:
        pg.fill("#title", title)
    pg.click("#go")
    pg.wait_for_selector("#speakers .speaker, #speakers .empty", timeout=20_000)


def article_text(pg) -> str:
    """The article as drawn, without the speaker labels and post headers the page adds."""
    return pg.evaluate("""() => {
        const c = document.getElementById('article').cloneNode(true);
        c.querySelectorAll('.label, .post-head').forEach(x => x.remove());
        return c.textContent; }""")


def test_pasted_article_is_highlighted_with_a_speaker_panel(page, server):
    paste_and_read(page, server, ARTICLE)
    assert article_text(page) == ARTICLE  # every character drawn once, in order
    for role in ("c", "q", "s"):  # content, cue and source each marked
        assert page.locator(f"#article span.{role}").count() >= 1, role
    colours = {role: page.eval_on_selector(f"#article span.{role}", "e => getComputedStyle(e).backgroundColor")
               for role in ("c", "q", "s")}
    assert len(set(colours.values())) == 3, colours
    rep = httpx.post(server.url + "/api/extract", json={"text": ARTICLE}, timeout=30).json()["report"]
    assert rep["figures"] and rep["embedded_posts"], "the article should give a figure and a post"
    marked = "".join(page.locator("#article span.fig").all_text_contents())
    for f in rep["figures"]:
        assert f["span"]["text"] in marked
    assert page.locator("#article .post").count() == len(rep["embedded_posts"])
    assert "@MayorAnnLee" in page.locator("#article .post .post-head").first.text_content()
    names = page.locator("#speakers .speaker .name").all_text_contents()
    assert [n for n in names if "Ann Lee" in n] == ["Ann Lee"], names  # one entry per speaker
    assert page.locator("#article .label", has_text="Ann Lee").count() >= 1

    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "web-extract.png"), full_page=True)
    assert (OUT / "web-extract.png").stat().st_size > 10_000

    lee = page.locator("#speakers .speaker", has=page.locator(".name", has_text="Ann Lee")).first
    lee.locator(".speaker-name").click()
    assert page.locator("#article.focus").count() == 1
    assert lee.get_attribute("class").split().count("active") == 1
    on = page.locator("#article .c.on")
    assert on.count() >= 2  # her quote in the text and her embedded post
    assert "We will rebuild the bridge" in " ".join(on.all_text_contents())
    assert "not a surprise" not in " ".join(on.all_text_contents())

    page.locator("#article .c.on").first.click()
    detail = page.locator("#detail")
    assert detail.is_visible()
    assert "direct" in detail.text_content() and "%" in detail.text_content()
    assert "why this speaker" in detail.text_content()  # the resolution note, in words
    why = detail.locator("dt", has_text="why this speaker").locator("xpath=following-sibling::dd[1]")
    assert "Ann Lee" in why.text_content() or "names them" in why.text_content()
    page.screenshot(path=str(OUT / "web-extract-speaker.png"), full_page=True)
    assert page.outside == [] and page.dialogs == []


def test_hostile_article_renders_as_text_and_runs_nothing(page, server):
    paste_and_read(page, server, XSS, title='<img src=x onerror="window.__pwned=9">')
    page.locator("#article").hover()
    for el in page.locator("#article [data-atts], #speakers .statement").all():
        el.click()  # nothing in the text may act on a click or hover
        el.hover()
    page.locator("#speakers .speaker-name").first.click()
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.dialogs == []
    assert article_text(page) == XSS
    for area in ("#article", "#speakers", "#detail", "#meta"):
        assert page.locator(f"{area} script, {area} img, {area} svg, {area} iframe, {area} a[href^=javascript], "
                            f"{area} [onerror], {area} [onload], {area} [onmouseover], {area} b").count() == 0, area
    assert "<script>" in page.locator("#article").text_content()
    assert '<img src=x onerror="window.__pwned=9">' in page.locator("#meta").text_content()
    assert page.outside == []
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "web-xss.png"), full_page=True)


def test_an_uploaded_html_file_is_read(page, server, tmp_path):
    f = tmp_path / "bridge.html"
    f.write_text("<html><head><title>Bridge vote</title></head><body><nav>Menu</nav><article>"
                 "<p>\"We will rebuild the bridge, and we will do it right,\" Mayor Ann Lee said on Tuesday.</p>"
                 "<p>The council will vote on the plan next month.</p></article></body></html>")
    page.goto(server.url + "/")
    page.set_input_files("#file", str(f))
    page.click("#go")
    page.wait_for_selector("#speakers .speaker", timeout=20_000)
    assert page.locator("#meta h1").text_content() == "Bridge vote"
    assert "Menu" not in page.locator("#article").text_content()


def test_an_error_is_shown_as_a_message(page, server):
    page.goto(server.url + "/")
    page.fill("#text", "   ")
    page.click("#go")
    assert "Paste an article" in page.locator("#status").text_content()
    page.fill("#text", "x" * 1_200_000)
    page.click("#go")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('limit')")
    assert page.locator("#result").is_hidden()


def test_corpus_pages_show_hostile_text_as_text(browser, corpus_db, reader):  # noqa: F811
    with LiveServer(create_app(db_path=corpus_db, reader=reader)) as srv:
        ctx = browser.new_context(viewport={"width": 1300, "height": 950})
        pg = ctx.new_page()
        dialogs = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in ("/speakers", "/quotes?q=plan", "/articles/evil%2Fone", "/articles/gazette-bridge"):
            pg.goto(srv.url + path)
            pg.wait_for_load_state("networkidle")
            assert pg.evaluate("() => window.__pwned === undefined"), path
            assert pg.locator("main script, main img, main [onerror], main a[href^=javascript]").count() == 0, path
        assert pg.locator("#article .c").count() >= 1  # the stored article is highlighted
        pg.goto(srv.url + "/speakers")
        pg.locator("table.ranked a").first.click()
        assert "Ann Lee" in pg.locator("h1").text_content()
        pg.locator(".spread-link").last.click()
        pg.wait_for_selector("table.spread")
        OUT.mkdir(exist_ok=True)
        pg.screenshot(path=str(OUT / "web-spread.png"), full_page=True)
        assert dialogs == []
        ctx.close()
