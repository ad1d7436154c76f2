"""The JSON API through a real ASGI client (httpx.ASGITransport): extraction, limits, errors."""
from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from sayso.web import create_app
from test_web_support import BRIDGE, reader  # noqa: F401  (fixture)


def call(app, method: str, path: str, **kw) -> httpx.Response:
    async def go():
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.request(method, path, **kw)
    return asyncio.run(go())


@pytest.fixture(scope="module")
def app(reader):  # noqa: F811
    return create_app(reader=reader, max_body=50_000)


def assert_error(resp: httpx.Response, status: int, words: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert body["status"] == status
    assert words in body["error"]
    assert "Traceback" not in resp.text


def test_extract_json_gives_the_article_text_and_a_report_with_true_offsets(app):
    resp = call(app, "POST", "/api/extract", json={"text": BRIDGE, "title": "Bridge"})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    text = data["article"]["text"]
    assert text == BRIDGE and data["article"]["title"] == "Bridge"
    rep = data["report"]
    assert rep["document"]["chars"] == len(BRIDGE)
    assert rep["attributions"], "the simple sentence should give one attribution"
    a = rep["attributions"][0]
    assert a["kind"] == "direct"
    assert "Ann Lee" in a["speaker"]["name"]
    for key in ("content", "cue", "source"):
        span = a[key]
        assert text[span["start"]:span["end"]] == span["text"]


def test_extract_accepts_a_raw_text_body_and_an_uploaded_file(app):
    raw = call(app, "POST", "/api/extract?title=Raw", content=BRIDGE.encode(),
               headers={"content-type": "text/plain; charset=utf-8"})
    assert raw.status_code == 200, raw.text
    assert raw.json()["article"]["title"] == "Raw"
    up = call(app, "POST", "/api/extract", files={"file": ("bridge.txt", BRIDGE.encode(), "text/plain")})
    assert up.status_code == 200, up.text
    assert up.json()["article"]["text"] == BRIDGE
    assert up.json()["article"]["id"] == "bridge"


def test_extract_reads_the_main_text_of_an_uploaded_html_page(app):
    page = (f"<html><head><title>Old Mill bridge</title></head><body><nav>Home | Sports</nav>"
            f"<article><p>{BRIDGE}</p><p>Work begins in May, officials said.</p></article></body></html>")
    resp = call(app, "POST", "/api/extract", files={"file": ("bridge.html", page.encode(), "text/html")})
    assert resp.status_code == 200, resp.text
    art = resp.json()["article"]
    assert BRIDGE in art["text"] and "<p>" not in art["text"]
    assert art["title"] == "Old Mill bridge"


def test_a_body_over_the_declared_limit_is_a_json_413(app):
    resp = call(app, "POST", "/api/extract", content=b"x" * 60_000,
                headers={"content-type": "text/plain"})
    assert_error(resp, 413, "50,000-byte limit")


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(app):
    async def chunks():
        for _ in range(20):
            yield b"word " * 1000  # 5,000 bytes each, 100,000 in all

    resp = call(app, "POST", "/api/extract", content=chunks(), headers={"content-type": "text/plain"})
    assert "content-length" not in resp.request.headers
    assert_error(resp, 413, "limit")


@pytest.mark.parametrize("kwargs, status, words", [
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "JSON"),
    ({"json": {"text": "   "}}, 400, "empty"),
    ({"json": {"text": "a", "html": "<p>b</p>"}}, 400, "exactly one"),
    ({"json": {"text": BRIDGE, "path": "/etc/passwd"}}, 400, "path"),
    ({"json": {}}, 400, "exactly one"),
    ({"content": b"\x00\x01\x02binary" * 50, "headers": {"content-type": "text/plain"}}, 400, "binary"),
    ({"content": b"caf\xe9", "headers": {"content-type": "text/plain"}}, 400, "UTF-8"),
    ({"content": b"<a>", "headers": {"content-type": "image/png"}}, 415, "Content-Type"),
    ({"json": {"html": "<html><body><nav>menu</nav></body></html>"}}, 400, "no article text"),
])
def test_bad_extract_requests_get_a_json_error_that_says_why(app, kwargs, status, words):
    assert_error(call(app, "POST", "/api/extract", **kwargs), status, words)


def test_a_client_supplied_path_is_never_read(app):
    up = call(app, "POST", "/api/extract", files={"file": ("../../../../etc/hostname", BRIDGE.encode(),
                                                           "text/plain")})
    assert up.status_code == 200
    assert up.json()["article"]["text"] == BRIDGE  # the uploaded bytes, not the named file
    assert up.json()["article"]["id"] == "hostname"


def test_errors_elsewhere_are_json_too(app):
    assert_error(call(app, "GET", "/api/nothing-here"), 404, "Not Found")
    assert_error(call(app, "GET", "/api/extract"), 405, "Method Not Allowed")
    assert_error(call(app, "GET", "/api/speakers"), 404, "no corpus")
    assert_error(call(app, "GET", "/api/quotes?limit=0"), 422, "limit")


def test_pages_send_a_content_security_policy_that_forbids_inline_script(app):
    resp = call(app, "GET", "/")
    assert resp.status_code == 200
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert "http://" not in resp.text and "https://" not in resp.text  # nothing external to load


def test_openapi_documents_every_endpoint(app):
    spec = call(app, "GET", "/api/openapi.json").json()
    for path in ("/api/extract", "/api/speakers", "/api/quotes", "/api/articles/{article_id}",
                 "/api/spread/{quote_id}"):
        assert path in spec["paths"], path
    body = spec["paths"]["/api/extract"]["post"]["requestBody"]["content"]
    assert {"application/json", "text/plain", "multipart/form-data"} <= set(body)
    params = {p["name"] for p in spec["paths"]["/api/quotes"]["get"]["parameters"]}
    assert {"speaker", "outlet", "q", "limit", "offset"} <= params
    page = call(app, "GET", "/api/docs")
    assert page.status_code == 200 and "/api/spread/{quote_id}" in page.text


def test_health_says_whether_a_corpus_is_served(app):
    assert call(app, "GET", "/api/health").json() == {"ok": True, "version": json.loads(
        call(app, "GET", "/api/openapi.json").text)["info"]["version"], "corpus": False,
        "max_body": 50_000}


def test_the_docs_name_every_api_endpoint_and_the_body_limit(app):
    from pathlib import Path

    from sayso.web import MAX_BODY
    doc = (Path(__file__).resolve().parent.parent / "docs" / "web.md").read_text()
    spec = call(app, "GET", "/api/openapi.json").json()
    for path, item in spec["paths"].items():
        stem = path.split("{")[0].rstrip("/")
        for method in item:
            assert f"{method.upper()} {stem}" in doc, (method, path)
    assert f"{MAX_BODY:,} bytes" in doc
