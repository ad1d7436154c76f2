"""The article body of a page: what trafilatura keeps, less what is not the article.

Trafilatura finds the main text well but keeps, on many news pages, blocks a reader
skips: links to other stories set as paragraphs or lists, pop-up cards of links,
image captions and credits, newsletter and app prompts, a comment counter, the
headline repeated as the first paragraph, a press release's closing "About the
company" section and the author's bio. Each of those became statements before.

Two passes, both generic (what marks such a block on any site, never a site's name):

``clean_tree`` before extraction, on the page's own structure: elements a browser
hides (``hidden``, ``display:none``), ``<figcaption>`` and elements named as captions
or credits, and blocks whose text is all link text (a related-stories list, a
headline linking to another story). An embedded post (``blockquote.twitter-tweet``
and its kin) is never removed, whatever it sits in.

``clean_paragraphs`` after extraction, on the text: the title repeated at the top,
prompts from ``lexicons/boilerplate.json`` (kept as data), a trailing "About X"
section, and a closing bio that starts with the author's name.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

#: embeds of social posts that must survive every cleaning step
POST_XPATH = ("//blockquote[contains(concat(' ', normalize-space(@class), ' '), ' twitter-tweet ')"
              " or contains(@class, 'instagram-media') or contains(@class, 'tiktok-embed')"
              " or contains(@class, 'twitter-tweet')]")
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd"}
_GROUPS = {"ul", "ol", "div", "span", "aside", "section", "nav", "table"}
_CAPTION = re.compile(r"(?:^|[\s_-])(?:caption|captions|credit|credits|photo-?credit|image-?credit|"
                      r"wp-caption-text|figcaption)(?:$|[\s_-])", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    raw = resources.files("sayso.lexicons").joinpath("boilerplate.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    return {"prompts": re.compile("|".join(f"(?:{p})" for p in data["prompts"]), re.I),
            "inside": re.compile("|".join(f"(?:{p})" for p in data["prompts_anywhere"]), re.I),
            "about": re.compile(data["about_heading"], re.I)}


_DEK = re.compile(r"(?:^|[\s_-])(?:dek|deck|standfirst|sub-?head(?:line)?|sub-?title|summary|"
                  r"excerpt|teaser|lede-?text|description|intro-?text)(?:$|[\s_-])", re.I)


def headlines(tree) -> list[str]:
    """The page's ``<h1>`` texts: a headline the body repeats at its top is not the article."""
    return [" ".join(h.text_content().split()) for h in tree.iter("h1")][:3]


def clean_tree(tree, *, description: str | None = None) -> None:
    """Drop, in place, the hidden, caption and link-only parts of an lxml HTML tree, and the
    standfirst: an element repeating the page's description that is a heading or named so."""
    dek = _norm(description or "")
    keep = set()
    for post in tree.xpath(POST_XPATH):
        keep.add(post)
        keep.update(post.iterancestors())
        keep.update(post.iterdescendants())
    doomed = [el for el in tree.iter()
              if isinstance(el.tag, str) and el not in keep
              and (_hidden(el) or el.tag == "figcaption" or _named_caption(el) or _link_only(el)
                   or _standfirst(el, dek))]
    gone = set(doomed)
    for el in doomed:
        if el.getparent() is not None and not any(a in gone for a in el.iterancestors()):
            el.drop_tree()  # keeps the text that follows it (its tail)
    _untable_layout(tree)


def _untable_layout(tree) -> None:
    """A table used for layout (a cell holding paragraphs) becomes plain blocks, so its
    paragraphs stay paragraphs instead of one row of cells; data tables stay tables."""
    for table in list(tree.iter("table")):
        if any(len(cell.findall(".//p")) >= 2 for cell in table.iter("td", "th")):
            for el in [table, *table.iter("tbody", "thead", "tfoot", "tr", "td", "th")]:
                el.tag = "div"
                for attr in ("colspan", "rowspan"):
                    el.attrib.pop(attr, None)


def _hidden(el) -> bool:
    """Hidden from readers; but never a large block of paragraphs (a page crawled with a
    modal open marks its whole main column ``aria-hidden``)."""
    if el.tag in ("html", "body", "head"):
        return False
    style = el.get("style")
    hidden = (el.get("hidden") is not None or el.get("aria-hidden") == "true"
              or bool(style and _HIDDEN_STYLE.search(style)))
    if not hidden:
        return False
    text = _text(el)
    return bool(text.strip()) and len(text) < 2000 and len(el.findall(".//p")) < 3


def _standfirst(el, dek: str) -> bool:
    """A standfirst: a heading named as one ("h5.deck"), or a heading or element so named
    that repeats the page's description."""
    if el.tag not in ("h2", "h3", "h4", "h5", "h6", "p", "div", "span"):
        return False
    named = bool(_DEK.search(f"{el.get('class', '')} {el.get('id', '')}"))
    heading = el.tag in ("h2", "h3", "h4", "h5", "h6")
    text = _text(el)
    if named and heading and len(text) < 300:
        return True
    return (named or heading) and bool(dek) and _norm(text) == dek


def _named_caption(el) -> bool:
    if el.tag in ("html", "body", "article", "main"):
        return False
    name = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(name.strip()) and bool(_CAPTION.search(name)) and len(_text(el)) < 600


def _link_only(el) -> bool:
    """A block whose words are all inside links: a headline or list pointing elsewhere."""
    tag = el.tag
    if tag not in _BLOCKS and tag not in _GROUPS:
        return False
    links = el.findall(".//a")
    if not links or (tag in _GROUPS and len(links) < 2):
        return False
    if tag in ("div", "section", "table") and el.find(".//p") is not None:
        return False  # a container of paragraphs is judged paragraph by paragraph
    text = _chars(_text(el))
    if len(text) < 3:
        return False
    linked = sum(len(_chars(_text(a))) for a in links)
    if linked < 0.9 * len(text):
        return False
    words = len(_WORD.findall(_text(el)))
    if words < (2 if tag in _BLOCKS else 4):
        return False
    # a name linked in a sentence with its pop-up card of links: only the card goes
    return not (tag == "span" and any(_link_only(d) for d in el.iterdescendants("span")))


def _text(el) -> str:
    try:
        return el.text_content()
    except ValueError:
        return ""


def _chars(s: str) -> str:
    return "".join(s.split())


def _norm(s: str) -> str:
    return " ".join(_WORD.findall(s.casefold()))


def clean_paragraphs(paras: list[str], *, titles: list[str], authors: list[str]) -> list[str]:
    """The paragraphs less the title repeated at the top, prompts, an "About X" tail and a bio."""
    lex = _lexicon()
    heads = {_norm(t) for t in titles if t and _norm(t)}
    out = list(paras)
    while out and _norm(out[0]) in heads:
        out.pop(0)
    out = [p for p in out if not (len(p) < 400 and (lex["prompts"].match(p.strip())
                                                     or lex["inside"].search(p)))]
    # a press release's closing "About Ascom" section, in the last half of the text
    total = sum(len(p) for p in out)
    seen = 0
    for i, p in enumerate(out):
        if i > 0 and seen > total / 2 and lex["about"].match(p.strip()) and len(p) < 80:
            out = out[:i]
            break
        seen += len(p)
    # a closing author's bio: "Jeff Foust (jeff@...) is the editor ..."
    names = [a for a in authors if a and len(a.split()) >= 2]
    for i in range(len(out) - 1, max(len(out) - 3, 0) - 1, -1):
        p = out[i].strip()
        if i > 0 and any(re.match(re.escape(n) + r"\s*(?:\(|,|is\b|was\b|has\b|writes\b|covers\b|"
                                  r"reports\b)", p) for n in names) and len(p) < 600:
            out = out[:i] + out[i + 1:]
    return out
