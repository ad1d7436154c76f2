"""The input readers on files this project wrote: HTML, JSONL, WARC, folders, globs, bad input."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from sayso.errors import FormatError, InputError
from sayso.inputs import iter_inputs, read_any
from sayso.model import Article

PAGE = """<html><head><title>Bridge to reopen | Daily Ledger</title>
<meta property="og:site_name" content="Daily Ledger"><meta name="author" content="Jo Reyes">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://ledger.example.com/bridge"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sports desk</a></li></ul></nav>
<article><h1>Bridge to reopen</h1>
<p>The city will reopen the Elm Street bridge next month after repairs, officials said on Tuesday,
ending a closure that has lasted almost a year.</p>
<p>"We will rebuild the bridge," Mayor Ann Lee said on Tuesday. She said the work would cost about
$4 million and be paid for by the state.</p>
<blockquote class="twitter-tweet"><p lang="en" dir="ltr">The Elm Street bridge reopens on April 2.
Thanks to every crew member who worked through the winter.</p>&mdash; Ann Lee (@MayorAnnLee)
<a href="https://twitter.com/MayorAnnLee/status/1">March 5, 2024</a></blockquote>
<p>Residents welcomed the news. "It has been a long year," said Tom Okafor, who runs a bakery near
the bridge.</p></article>
<div class="comments"><h3>Comments</h3><p>UNIQUECOMMENT first! Great news for the whole east side.</p></div>
<footer>Copyright 2024 Daily Ledger</footer></body></html>"""


def _one(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def test_html_page_gives_text_and_metadata(tmp_path: Path):
    f = tmp_path / "bridge.html"
    f.write_text(PAGE, encoding="utf-8")
    art = _one(read_any(f))
    assert isinstance(art, Article)
    assert art.id == "bridge"
    assert art.title == "Bridge to reopen"
    assert art.outlet == "Daily Ledger"
    assert art.published == "2024-03-05"
    assert art.url == "https://ledger.example.com/bridge"
    assert art.author == "Jo Reyes"
    assert '"We will rebuild the bridge," Mayor Ann Lee said on Tuesday.' in art.text
    assert "UNIQUECOMMENT" not in art.text and "Sports desk" not in art.text
    # the tweet embed survives with its signature line, next to its text
    assert "The Elm Street bridge reopens on April 2." in art.text
    assert "— Ann Lee (@MayorAnnLee) March 5, 2024" in art.text
    assert "\n\n" in art.text  # paragraphs stay apart


def test_tweet_embed_outside_article_body_is_kept(tmp_path: Path):
    page = ("<html><body><div id='main'><p>" + "Officials in the river town met on Monday to discuss "
            "the flood defences, and several residents spoke at length. " * 3 + "</p>"
            "<div class='embed'><blockquote class='twitter-tweet'><p>Sandbags are at the depot "
            "on Mill Road.</p>&mdash; River Council (@RiverCouncil) <a href='x'>June 1, 2023</a>"
            "</blockquote></div><p>" + "The meeting ended late in the evening after a long "
            "debate among council members. " * 3 + "</p></div></body></html>")
    f = tmp_path / "flood.htm"
    f.write_text(page, encoding="utf-8")
    art = _one(read_any(f))
    assert "Sandbags are at the depot on Mill Road." in art.text
    assert "(@RiverCouncil) June 1, 2023" in art.text


def test_html_without_article_text_is_a_clear_error(tmp_path: Path):
    f = tmp_path / "empty.html"
    f.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    err = _one(read_any(f))
    assert isinstance(err, FormatError)
    assert "empty.html" in str(err) and "no article text" in str(err)


def test_jsonl_reads_text_and_html_and_reports_bad_lines(tmp_path: Path):
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": '"We will rebuild the bridge," Mayor Ann Lee said.',
                    "outlet": "Ledger", "published": "2024-03-05", "url": "https://x.example/a1",
                    "title": "Bridge"}),
        "{not json",
        json.dumps({"html": PAGE, "outlet": "Given Outlet"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"id": 7, "body": "no text field"}),
        json.dumps({"text": "The council voted 7-2 on Monday to approve the budget."}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_any(f))
    assert len(items) == 6
    a1, bad, page, lst, notext, plain = items
    assert isinstance(a1, Article) and a1.id == "a1" and a1.outlet == "Ledger"
    assert a1.published == "2024-03-05" and a1.url == "https://x.example/a1" and a1.title == "Bridge"
    assert isinstance(bad, FormatError) and f"{f}:2" in str(bad)
    assert isinstance(page, Article) and page.outlet == "Given Outlet"
    assert page.url == "https://ledger.example.com/bridge" and "Mayor Ann Lee" in page.text
    assert isinstance(lst, FormatError) and f"{f}:4" in str(lst)
    assert isinstance(notext, FormatError) and f"{f}:6" in str(notext)
    assert isinstance(plain, Article) and plain.id and len(plain.id) == 16
    # ids are stable across reads
    assert [i.id for i in read_any(f) if isinstance(i, Article)] == [a1.id, page.id, plain.id]


def _warc_bytes(pages: list[tuple[str, str]], gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    w.write_record(w.create_warcinfo_record("crawl.warc", {"software": "sayso-tests"}))
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                            http_headers=headers))
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url + ".png", "response", payload=io.BytesIO(b"\x89PNG"),
                                            http_headers=img))
    return buf.getvalue()


def _page(n: int) -> str:
    return (f"<html><head><title>Story {n}</title></head><body><article><p>Story number {n}: the "
            f"harbour authority said on Friday that ferry services would resume after the storm, "
            f"and crews had cleared the debris from pier {n}.</p><p>\"We expect normal service by "
            f"the weekend,\" said port director Maria Santos.</p></article></body></html>")


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_records_become_articles(tmp_path: Path, gz: bool):
    f = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    f.write_bytes(_warc_bytes([(f"https://news.example/s{i}", _page(i)) for i in range(3)], gz))
    arts = list(read_any(f))
    assert all(isinstance(a, Article) for a in arts), arts
    assert [a.url for a in arts] == [f"https://news.example/s{i}" for i in range(3)]
    assert [a.title for a in arts] == ["Story 0", "Story 1", "Story 2"]
    assert len({a.id for a in arts}) == 3
    assert "Maria Santos" in arts[1].text


def test_truncated_warc_keeps_what_was_read(tmp_path: Path):
    full = _warc_bytes([(f"https://news.example/s{i}", _page(i)) for i in range(4)], gz=True)
    f = tmp_path / "cut.warc.gz"
    f.write_bytes(full[: int(len(full) * 0.7)])
    items = list(read_any(f))
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if not isinstance(i, Article)]
    assert 1 <= len(arts) < 4
    assert len(errs) == 1 and isinstance(errs[0], FormatError) and "cut.warc.gz" in str(errs[0])
    assert "truncated" in str(errs[0])


def test_iter_inputs_folders_globs_and_missing(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("The mayor said the bridge would reopen soon.", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("The governor said taxes would stay flat.", encoding="utf-8")
    (tmp_path / "sub" / "c.html").write_text(_page(9), encoding="utf-8")
    (tmp_path / "sub" / "image.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   ", encoding="utf-8")
    items = list(iter_inputs([str(tmp_path)]))
    ids = [i.id for i in items if isinstance(i, Article)]
    assert ids == ["a", "b", "c"]
    errs = [i for i in items if not isinstance(i, Article)]
    assert len(errs) == 1 and "empty.txt" in str(errs[0])
    globbed = list(iter_inputs([str(tmp_path / "**" / "*.txt")]))
    assert sorted(i.id for i in globbed if isinstance(i, Article)) == ["a", "b"]
    missing = list(iter_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "*.none")]))
    assert all(isinstance(m, InputError) for m in missing) and len(missing) == 2


def test_gzip_text_is_not_mistaken_for_warc(tmp_path: Path):
    f = tmp_path / "blob.warc.gz"
    f.write_bytes(gzip.compress(b"this is not a warc archive at all"))
    items = list(read_any(f))
    assert len(items) == 1 and isinstance(items[0], FormatError)
