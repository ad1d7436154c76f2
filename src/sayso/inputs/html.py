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


#: below this many characters of article text a page gets a warning: what was read is
#: likely a caption, a teaser or a paywall notice, not the article
FEW_CHARS = 300


def html_to_article(html: str, source: str, *, id: str | None = None, url: str | None = None,
                    title: str | None = None, outlet: str | None = None,
                    published: str | None = None, path: str | None = None,
                    fetched: str | None = None) -> Article:
    """One article from one HTML page; metadata given by the caller wins over the page's own."""
    import trafilatura

    from sayso.inputs import pagemeta

    page_meta = trafilatura.extract_metadata(html)
    meta = page_meta.as_dict() if page_meta is not None else {}
    page_url = url or pagemeta.page_urls(html, None) or meta.get("url")
    page_title = title or meta.get("title")
    page_outlet = outlet or pagemeta.outlet_of(html, page_url, meta.get("sitename"))
    author = pagemeta.authors_of([meta.get("author")], html, outlet=page_outlet, url=page_url)
    tags = pagemeta.meta_tags(html[:200_000])
    text = main_text(html, page_url, titles=[page_title, meta.get("title"), tags.get("og:title")],
                     authors=(author or "").split("; "),
                     description=tags.get("description") or tags.get("og:description"))
    if len(text.strip()) < MIN_CHARS:
        raise FormatError("HTML page holds no article text (only menus or boilerplate were found)",
                          source)
    warnings: tuple[str, ...] = ()
    if len(text) < FEW_CHARS:
        warnings = (f"only {len(text)} characters of article text were found on this page "
                    f"(a caption, teaser or paywall notice?); statements elsewhere on it were "
                    f"not read",)
    return Article(
        text=text,
        id=id or (_hash_id(page_url) if page_url else None),
        title=page_title,
        path=path,
        outlet=page_outlet,
        published=published or meta.get("date"),
        url=page_url,
        author=author,
        fetched=fetched,
        warnings=warnings,
    )


def main_text(html: str, url: str | None = None, *, titles: list[str | None] = (),
              authors: list[str] = (), description: str | None = None) -> str:
    """The article body of a page as paragraphs (see sayso.inputs.body for what is left out)."""
    from copy import deepcopy

    import trafilatura
    from trafilatura.utils import load_html

    from sayso.inputs.body import clean_paragraphs, clean_tree, headlines

    opts = dict(url=url, with_metadata=False, include_comments=False, include_tables=True)
    tree = load_html(html)  # trafilatura's own parse: comments and processing instructions dropped
    if tree is None:
        text = _doc_text(trafilatura.bare_extraction(html, **opts))
    else:
        titles = list(titles) + headlines(tree)
        clean_tree(tree, description=description)
        text = _doc_text(trafilatura.bare_extraction(deepcopy(tree), **opts))
    missing = [sig for sig in _tweet_signatures(html) if sig not in text]
    if missing and tree is not None:  # trafilatura judged the embeds boilerplate: give them as paragraphs, look wider
        _tweets_in_tree(tree)
        for wider in ({}, {"favor_recall": True}):
            wide = _doc_text(trafilatura.bare_extraction(deepcopy(tree), **opts, **wider))
            if all(sig in wide for sig in missing) and _covers(wide, text):
                text = wide
                break
    paras = [p for p in _paragraphs(text).split("\n\n") if p.strip()]
    return "\n\n".join(clean_paragraphs(paras, titles=[t for t in titles if t],
                                         authors=[a for a in authors if a]))


def _doc_text(doc) -> str:
    if doc is None:
        return ""
    meta = doc if isinstance(doc, dict) else doc.as_dict()
    return meta.get("text") or ""


def _covers(wide: str, narrow: str) -> bool:
    """Whether the wider reading keeps nearly all of the narrow one (so it only adds)."""
    a, b = set(wide.split()), narrow.split()
    return not b or sum(w in a for w in b) >= 0.95 * len(b)


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


def _tweets_in_tree(tree) -> None:
    """Each tweet embed of a parsed page turned, in place, into plain paragraphs."""
    from lxml import etree

    for bq in tree.xpath("//blockquote[contains(concat(' ', normalize-space(@class), ' '), ' twitter-tweet ')]"):
        for el in bq.iter("a", "br"):  # links and line breaks keep their words apart
            el.tail = ("\n" if el.tag == "br" else " ") + (el.tail or "")
        paras = [" ".join(line.split()) for p in bq.findall(".//p")
                 for line in p.text_content().split("\n")]
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


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _hash_id(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
