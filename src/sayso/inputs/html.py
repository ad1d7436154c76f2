"""HTML pages: the main text and metadata through trafilatura, tweet embeds kept as text.

Trafilatura drops menus, footers and comment sections; what it keeps is joined
with blank lines between paragraphs, so later stages see paragraph breaks. A
tweet embed (``<blockquote class="twitter-tweet">``) stays as its text followed
by its signature line (``— Name (@handle) Month D, YYYY``) so the embedded-post
stage finds it.
"""
from __future__ import annotations

import hashlib
import re

from sayso.errors import FormatError
from sayso.model import Article

#: below this many characters of main text a page is taken to hold no article
MIN_CHARS = 40

_TWEET = re.compile(r"<blockquote[^>]*class=[\"'][^\"']*twitter-tweet[^\"']*[\"'][^>]*>(.*?)</blockquote>",
                    re.S | re.I)
_SIGNATURE = re.compile(r"^\s*(?:—|&mdash;|--)\s*\S")


def html_to_article(html: str, source: str, *, id: str | None = None, url: str | None = None,
                    title: str | None = None, outlet: str | None = None,
                    published: str | None = None, path: str | None = None) -> Article:
    """One article from one HTML page; metadata given by the caller wins over the page's own."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False)
    meta = (doc if isinstance(doc, dict) else doc.as_dict()) if doc is not None else {}
    text = meta.get("text") or ""
    missing = [sig for sig in _tweet_signatures(html) if sig not in text]
    if missing:  # trafilatura judged the embed boilerplate: give it the tweet as paragraphs
        doc = trafilatura.bare_extraction(_tweets_as_paragraphs(html), url=url,
                                          with_metadata=True, include_comments=False,
                                          include_tables=False, favor_recall=True)
        if doc is not None:
            meta = doc if isinstance(doc, dict) else doc.as_dict()
            text = meta.get("text") or ""
    text = _paragraphs(text)
    if len(text.strip()) < MIN_CHARS:
        raise FormatError("HTML page holds no article text (only menus or boilerplate were found)",
                          source)
    page_url = url or meta.get("url")
    return Article(
        text=text,
        id=id or (_hash_id(page_url) if page_url else None),
        title=title or meta.get("title"),
        path=path,
        outlet=outlet or meta.get("sitename") or meta.get("hostname"),
        published=published or meta.get("date"),
        url=page_url,
        author=meta.get("author"),
    )


def _paragraphs(text: str) -> str:
    """Blank lines between paragraphs; a tweet's signature line stays next to its text."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    out: list[str] = []
    for ln in lines:
        if out and _SIGNATURE.match(ln):
            out[-1] += "\n" + ln
        else:
            out.append(ln)
    return "\n\n".join(out)


def _tweet_signatures(html: str) -> list[str]:
    """The "(@handle)" part of each tweet embed's signature, to check it survived extraction."""
    return re.findall(r"\(@\w+\)", " ".join(m.group(1) for m in _TWEET.finditer(html)))


def _tweets_as_paragraphs(html: str) -> str:
    """The page with each tweet embed turned into plain paragraphs in unmarked containers."""
    from lxml import etree
    from lxml import html as lhtml

    tree = lhtml.document_fromstring(html)
    for bq in tree.xpath("//blockquote[contains(concat(' ', normalize-space(@class), ' '), ' twitter-tweet ')]"):
        paras = [" ".join(p.text_content().split()) for p in bq.findall(".//p")]
        for p in bq.findall(".//p"):
            p.drop_tree()
        sig = " ".join(bq.text_content().split())
        div = etree.Element("div")
        for t in paras + [sig]:
            if t:
                etree.SubElement(div, "p").text = t
        for anc in bq.iterancestors():  # wrappers named "embed" or "social" read as boilerplate
            if anc.tag in ("body", "html"):
                break
            for attr in ("class", "id"):
                anc.attrib.pop(attr, None)
        bq.getparent().replace(bq, div)
    return lhtml.tostring(tree, encoding="unicode")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _hash_id(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
