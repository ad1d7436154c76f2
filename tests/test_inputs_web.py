"""Real-web inputs, on files this project wrote: gzip by magic bytes, declared and detected
charsets, ARC files and WARC resource records, the near-empty page warning, page metadata
and the article body without navigation, related links, prompts, captions or comments."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from sayso.errors import InputError
from sayso.inputs import iter_inputs, read_any
from sayso.inputs.charset import decode_page
from sayso.inputs.pagemeta import authors_of, clean_name
from sayso.model import Article

BODY = ("<p>The city council voted on Tuesday to rebuild the Old Mill bridge before winter, a week "
        "after floodwater closed the crossing and cut the east side off from the hospital.</p>"
        "<p>\"We will rebuild the bridge, and we will do it right,\" Mayor Ann Lee said after the vote. "
        "She said the work would cost about $12 million.</p>"
        "<p>Council member Raj Patel said the city had ignored warnings for years. \"This was not a "
        "surprise to anyone who drives across it,\" he told reporters.</p>")


def _one(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def _page(body: str = BODY, head: str = "<title>Bridge vote</title>") -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


# -- gzip, told by magic bytes ------------------------------------------------------------

def test_gzipped_page_is_read_by_its_magic_bytes(tmp_path: Path):
    gz = tmp_path / "bridge.html.gz"
    gz.write_bytes(gzip.compress(_page().encode()))
    art = _one(read_any(gz))
    assert isinstance(art, Article), art
    assert art.id == "bridge" and art.title == "Bridge vote"
    assert '"We will rebuild the bridge, and we will do it right," Mayor Ann Lee said' in art.text
    # a .html file holding gzip bytes (a saved compressed HTTP body) reads the same
    disguised = tmp_path / "saved.html"
    disguised.write_bytes(gz.read_bytes())
    assert _one(read_any(disguised)).text == art.text
    # a .gz with no inner suffix is told by its content
    bare = tmp_path / "page.gz"
    bare.write_bytes(gz.read_bytes())
    assert _one(read_any(bare)).text == art.text
    # folders find .html.gz files
    assert "bridge" in [a.id for a in iter_inputs([str(tmp_path)]) if isinstance(a, Article)]


def test_gzipped_text_and_jsonl(tmp_path: Path):
    txt = tmp_path / "story.txt.gz"
    txt.write_bytes(gzip.compress("The mayor said the bridge would reopen in May.".encode()))
    assert _one(read_any(txt)).text == "The mayor said the bridge would reopen in May."
    feed = tmp_path / "feed.jsonl.gz"
    lines = [json.dumps({"id": f"a{i}", "text": f"Story {i}: the mayor said the bridge would reopen."})
             for i in range(3)] + ["{broken"]
    feed.write_bytes(gzip.compress("\n".join(lines).encode()))
    items = list(read_any(feed))
    assert [getattr(i, "id", None) for i in items[:3]] == ["a0", "a1", "a2"]
    assert isinstance(items[3], InputError) and f"{feed}:4" in str(items[3])


def test_cut_or_oversized_gzip_is_a_clear_error(tmp_path: Path):
    data = gzip.compress(_page().encode() * 3)
    cut = tmp_path / "cut.html.gz"
    cut.write_bytes(data[: len(data) // 2])
    err = _one(read_any(cut))
    assert isinstance(err, InputError) and "truncated" in str(err) and "cut.html.gz" in str(err)
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 3_000_000))  # 3 KB on disk, 3 MB inflated
    err = _one(read_any(bomb, max_bytes=1_000_000))
    assert isinstance(err, InputError) and "inflates to over" in str(err)


# -- charsets -----------------------------------------------------------------------------

def test_latin1_page_with_a_meta_charset_is_decoded(tmp_path: Path):
    html = _page("<p>Die Oberösterreichische Landesregierung hat am Dienstag beschlossen, die "
                 "Brücke über die Traun bis zum Winter neu zu bauen, sagte Landesrätin Müller.</p>",
                 '<meta charset="iso-8859-1"><title>Brücke</title>')
    f = tmp_path / "latin1.html"
    f.write_bytes(html.encode("latin-1"))
    art = _one(read_any(f))
    assert "Oberösterreichische" in art.text and "Müller" in art.text and "\ufffd" not in art.text
    assert art.title == "Brücke"


def test_charset_order_bom_utf8_declared_detected():
    assert decode_page("“Smart” quotes".encode("cp1252"), content_type="text/html; charset=windows-1252") \
        == "“Smart” quotes"
    # a page that declares Latin-1 but is UTF-8 is read as UTF-8
    assert decode_page('<meta charset="latin1">Zürich'.encode("utf-8")).endswith("Zürich")
    assert decode_page(b"\xef\xbb\xbfplain") == "plain"
    # no declaration at all: detected (charset-normalizer)
    text = ("Der Bürgermeister sagte, die Brücke über den Fluß werde im Frühjahr eröffnet. " * 5)
    assert decode_page(text.encode("latin-1")) == text


# -- ARC files and WARC resource records ------------------------------------------------------

def _arc(pages: list[tuple[str, str]], gz: bool) -> bytes:
    """An ARC (version 1) file, one gzip member per record when gz, as Internet Archive writes."""
    def rec(header: str, body: bytes) -> bytes:
        raw = header.encode() + b"\n" + body + b"\n"
        return gzip.compress(raw) if gz else raw

    ver = b"1 0 sayso-tests\nURL IP-address Archive-date Content-type Archive-length\n"
    out = rec(f"filedesc://crawl.arc 0.0.0.0 20240305101500 text/plain {len(ver)}", ver)
    for url, html in pages:
        body = html.encode()
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body)
        out += rec(f"{url} 93.184.216.34 20240305101500 text/html {len(http)}", http)
    return out


@pytest.mark.parametrize("gz", [False, True])
def test_arc_files_are_read(tmp_path: Path, gz: bool):
    f = tmp_path / ("crawl.arc.gz" if gz else "crawl.arc")
    f.write_bytes(_arc([("https://news.example/a", _page()), ("https://news.example/b", _page())], gz))
    arts = list(read_any(f))
    assert all(isinstance(a, Article) for a in arts), arts
    assert [a.url for a in arts] == ["https://news.example/a", "https://news.example/b"]
    assert all("Mayor Ann Lee" in a.text for a in arts)
    assert arts[0].fetched == "2024-03-05T10:15:00Z" and arts[0].published is None


def test_warc_resource_records_and_capture_time(tmp_path: Path):
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    w.write_record(w.create_warc_record("https://news.example/page", "resource",
                                        payload=io.BytesIO(_page().encode("utf-8")),
                                        warc_content_type="text/html; charset=utf-8"))
    w.write_record(w.create_warc_record("file:///notes/story.txt", "resource",
                                        payload=io.BytesIO("Officials said the bridge opens in May.".encode()),
                                        warc_content_type="text/plain"))
    w.write_record(w.create_warc_record("https://news.example/logo.png", "resource",
                                        payload=io.BytesIO(b"\x89PNG\x00\x00"), warc_content_type="image/png"))
    f = tmp_path / "resources.warc.gz"
    f.write_bytes(buf.getvalue())
    page, note = list(read_any(f))
    assert page.url == "https://news.example/page" and "Mayor Ann Lee" in page.text
    assert note.text == "Officials said the bridge opens in May."
    # the capture time is its own field; the page gives no date, so published stays empty
    assert page.fetched and page.fetched.startswith("20") and page.published is None


# -- the near-empty page ------------------------------------------------------------------------

CAPTION_ONLY = _page("<p>Firefighters work at the scene of the blaze on Main Street on Tuesday evening. "
                     "(Photo: Jo Reyes / Daily Ledger) More photos in the gallery below.</p>")


def test_a_page_with_almost_no_article_text_warns(tmp_path: Path):
    f = tmp_path / "gallery.html"
    f.write_text(CAPTION_ONLY, encoding="utf-8")
    art = _one(read_any(f))
    assert isinstance(art, Article) and len(art.text) < 300
    assert len(art.warnings) == 1 and f"only {len(art.text)} characters" in art.warnings[0]
    full = tmp_path / "full.html"
    full.write_text(_page(BODY * 2), encoding="utf-8")
    assert _one(read_any(full)).warnings == ()


# -- metadata -------------------------------------------------------------------------------------

META_PAGE = """<html><head><title>Bridge vote | Hosted</title>
<meta property="og:site_name" content="Hosted">
<meta property="og:title" content="Council votes to rebuild the Old Mill bridge">
<meta property="og:url" content="https://hosted.ledgerwire.com/ledger/article/bridge-vote">
<link rel="canonical" href="/ledger/article/bridge-vote?ref=canonical">
<meta name="author" content="By JANE DOE and John Q. Public, Associated Press; Staff">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/sports">Sports</a></nav>
<article><h1>Council votes to rebuild the Old Mill bridge</h1>""" + BODY + "</article></body></html>"


def test_page_metadata_fields(tmp_path: Path):
    f = tmp_path / "meta.html"
    f.write_text(META_PAGE, encoding="utf-8")
    art = _one(read_any(f))
    # canonical first, made absolute against og:url
    assert art.url == "https://hosted.ledgerwire.com/ledger/article/bridge-vote?ref=canonical"
    # "Hosted" is the host's own sub-domain label, not an outlet: the domain is shown
    assert art.outlet == "ledgerwire.com"
    assert art.author == "Jane Doe; John Q. Public"
    assert art.published == "2024-03-05" and art.fetched is None
    assert not art.text.startswith("Council votes")  # the headline is not body text


def test_outlet_from_site_name_or_json_ld_publisher(tmp_path: Path):
    page = ('<html><head><script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
            '[{"@type": "NewsArticle", "headline": "Bridge", "author": [{"@type": "Person", "name": "Maria '
            'Santos"}], "publisher": {"@type": "Organization", "name": "Harbor City Gazette"}}]}</script>'
            '</head><body><article>' + BODY + '</article></body></html>')
    f = tmp_path / "ld.html"
    f.write_text(page, encoding="utf-8")
    art = _one(read_any(f))
    assert art.outlet == "Harbor City Gazette" and art.author == "Maria Santos"
    f.write_text(page.replace("<head>", '<head><meta property="og:site_name" content="BBC News">'),
                 encoding="utf-8")
    assert _one(read_any(f)).outlet == "BBC News"


@pytest.mark.parametrize("raw, clean", [
    ("The Russian; Syrian defense ministries", None),
    ("Troy Smith; Troy L Smith; Cleveland com", "Troy Smith"),
    ("Mike Wuerthele; Malcolm Owen Monday; November", "Mike Wuerthele; Malcolm Owen"),
    ("STEVE PEOPLES; AP National Political Writer", "Steve Peoples"),
    ("Detroit News wire services Published", None),
    ("Staff Reports", None),
    ("Ilana Muhlstein; MS; RDN", "Ilana Muhlstein"),
    ("Marcus De Guzman", "Marcus De Guzman"),
    ("https://www.facebook.com/someone", None),
])
def test_author_fields_become_clean_person_names(raw, clean):
    assert authors_of([raw]) == clean


def test_the_publisher_is_not_an_author():
    page = '<html><head><meta name="copyright" content="Copyright (c) Condé Nast 2019"></head></html>'
    assert authors_of(["Condé Nast; Molly Wood"], page) == "Molly Wood"
    assert authors_of(["Condé Nast; Molly Wood"]) == "Condé Nast; Molly Wood"  # nothing says otherwise


def test_clean_name_keeps_initials_and_particles():
    assert clean_name("By Ludwig van Beethoven") == "Ludwig van Beethoven"
    assert clean_name("Sarah E. Needleman") == "Sarah E. Needleman"
    assert clean_name("Admin") is None


# -- the article body ----------------------------------------------------------------------------

NOISY = """<html><head><title>Bridge vote - Daily Ledger</title>
<meta name="description" content="The council acted a week after floodwater closed the crossing.">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav></header>
<article>
<h1>Council votes to rebuild the Old Mill bridge</h1>
<h2 class="article-dek">The council acted a week after floodwater closed the crossing.</h2>
<figure><img src="b.jpg"><figcaption>"The water rose fast," a resident said of the flood. (Photo: Jo Reyes)</figcaption></figure>
""" + BODY + """
<p><strong><a href="/other">MAYOR SAYS 'WE ARE NOT DONE' IN SHARP BUDGET SPEECH</a></strong></p>
<blockquote class="twitter-tweet"><p lang="en">The Old Mill bridge will be rebuilt before winter.</p>&mdash; Ann Lee (@MayorAnnLee) <a href="https://twitter.com/x/status/1">March 5, 2024</a></blockquote>
<p>Sign up for our daily newsletter to get the news in your inbox.</p>
<p>The council will vote on the contract next month, officials said.</p>
<div class="related-stories"><h3>Related</h3><ul>
<li><a href="/a">Governor says "the state will pay its share" of bridge repairs</a></li>
<li><a href="/b">Flood victims say "nobody warned us" about the river</a></li></ul></div>
<p>Follow us on Twitter and Facebook for the latest updates.</p>
</article>
<section id="comments"><h3>3 Comments</h3><p>COMMENTER: "Finally," I said when I heard.</p></section>
<footer>Copyright 2024 Daily Ledger</footer></body></html>"""


def test_article_body_leaves_out_what_is_not_the_article(tmp_path: Path):
    f = tmp_path / "noisy.html"
    f.write_text(NOISY, encoding="utf-8")
    text = _one(read_any(f)).text
    assert '"We will rebuild the bridge, and we will do it right," Mayor Ann Lee said' in text
    assert "The council will vote on the contract next month" in text
    for gone in ("Council votes to rebuild", "The council acted a week", "The water rose fast",
                 "WE ARE NOT DONE", "Sign up", "the state will pay", "nobody warned", "Follow us",
                 "COMMENTER", "Home", "Copyright"):
        assert gone not in text, gone
    # the embedded post is kept, with its signature line next to its text
    assert "The Old Mill bridge will be rebuilt before winter.\n— Ann Lee (@MayorAnnLee) March 5, 2024" in text


def test_statements_come_only_from_the_body(tmp_path: Path, reader):
    f = tmp_path / "noisy.html"
    f.write_text(NOISY, encoding="utf-8")
    art = _one(read_any(f))
    rep = reader.extract_article(art)
    contents = " ".join(a.content.text for a in rep.attributions)
    assert "rebuild the bridge" in contents
    for gone in ("water rose fast", "NOT DONE", "will pay its share", "nobody warned", "Finally"):
        assert gone not in contents, gone
    assert [p.handle for p in rep.embedded_posts] == ["@MayorAnnLee"]


# -- what the user sees ---------------------------------------------------------------------------

def test_extract_include_text_and_warnings_on_the_command_line(tmp_path: Path):
    import subprocess
    import sys

    page = tmp_path / "meta.html.gz"
    page.write_bytes(gzip.compress(META_PAGE.encode()))
    gallery = tmp_path / "gallery.html"
    gallery.write_text(CAPTION_ONLY, encoding="utf-8")
    exe = Path(sys.executable).with_name("sayso")
    res = subprocess.run([str(exe), "extract", str(page), str(gallery), "--no-model", "--format", "jsonl",
                          "--include-text"], capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    reps = [json.loads(line) for line in res.stdout.decode().splitlines()]
    doc = reps[0]["document"]
    assert doc["text"].startswith("The city council voted") and doc["chars"] == len(doc["text"])
    for a in reps[0]["attributions"]:  # spans index the text shown
        assert doc["text"][a["content"]["start"]:a["content"]["end"]] == a["content"]["text"]
    assert doc["author"] == "Jane Doe; John Q. Public" and doc["outlet"] == "ledgerwire.com"
    assert doc["warnings"] == [] and reps[1]["document"]["warnings"]
    warned = [ln for ln in res.stderr.decode().splitlines() if ln.startswith("warning")]
    assert len(warned) == 1 and "gallery.html" in warned[0] and "characters of article text" in warned[0]


def test_text_view_shows_title_outlet_date_author_and_url():
    from sayso.commands.extract import render_text
    from sayso.model import Document, Report

    doc = Document(id="x", title="Bridge vote", outlet="Daily Ledger", published="2024-03-05",
                   author="Jane Doe", url="https://ledger.example.com/bridge", fetched="2024-03-06T01:02:03Z")
    head = render_text(Report(document=doc)).splitlines()[:4]
    assert head[0].startswith("== Bridge vote")
    assert head[1] == "Daily Ledger · 2024-03-05 · by Jane Doe"
    assert head[2] == "https://ledger.example.com/bridge" and head[3] == "fetched 2024-03-06T01:02:03Z"


def test_a_page_crawled_with_a_modal_open_is_still_read(tmp_path: Path):
    """Sites mark the whole page aria-hidden behind a cookie dialog: the article stays."""
    page = ("<html><body><div aria-hidden=\"true\"><article>" + BODY * 4 +
            "<p hidden>HIDDENNOTE Subscribe for more.</p></article></div>"
            "<div role=\"dialog\"><p>We use cookies. Accept?</p></div></body></html>")
    f = tmp_path / "modal.html"
    f.write_text(page, encoding="utf-8")
    text = _one(read_any(f)).text
    assert "Mayor Ann Lee said after the vote" in text and "HIDDENNOTE" not in text
