"""A page's metadata a user can trust: its URL, outlet, authors and date, from the page itself.

- URL: ``<link rel="canonical">``, else ``og:url``, else what trafilatura found; made
  absolute against the page's own address.
- Outlet: ``og:site_name``, else the JSON-LD ``publisher``, else trafilatura's site
  name, else the host. A site name that is only a label of the host below its domain
  ("Hosted" on hosted.ap.org) names a service, not an outlet: the domain is used then.
- Authors: person names only, from trafilatura's author field and the page's
  ``author`` meta and JSON-LD authors. Roles, outlets, agencies, dates and single
  words ("Staff", "AP National Political Writer", "Monday") are cut away; names
  written in capitals are title-cased; variants of one name ("Troy Smith", "Troy L
  Smith") are kept once; joined by "; ".
- Published: the page's own date (trafilatura's htmldate over its metadata, byline
  and URL), never a crawl date; a WARC's capture time goes to ``fetched`` instead.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

_LINK_CANON = re.compile(r"<link\b[^>]*\brel=[\"']?canonical\b[^>]*>", re.I)
_HREF = re.compile(r"\bhref=[\"']?([^\"'\s>]+)", re.I)
_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_LDJSON = re.compile(r"<script\b[^>]*application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)

#: words that mark an author field's part as a role, desk, outlet or date, not a person
_NOT_NAME = {
    "news", "press", "associated", "reuters", "afp", "agency", "agencies", "wire", "wires",
    "service", "services", "staff", "writer", "writers", "editor", "editors", "editorial",
    "correspondent", "reporter", "reporters", "contributor", "contributors", "bureau", "desk",
    "team", "reports", "report", "media", "magazine", "newspaper", "times", "post", "daily",
    "journal", "herald", "tribune", "gazette", "network", "channel", "online", "digital",
    "admin", "administrator", "webmaster", "published", "updated", "posted", "by", "and",
    "com", "www", "inc", "ltd", "llc", "group", "company", "corporation", "ministry",
    "ministries", "department", "office", "government", "national", "political", "sports",
    "business", "senior", "chief", "special", "guest", "opinion", "columnist", "analysis",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "text", "photo", "photos", "video", "текст", "фото",
    "cnn", "bbc", "ap", "pti", "ians", "upi", "the", "ms", "rdn", "phd", "md",
}
_PARTICLES = {"de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "la", "le",
              "bin", "al", "el", "ibn", "dos", "das", "st."}
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][^\W\d_'’.-]*(?:['’-][^\W\d_]+)*\.?|[^\W\d_]\.)$")


def page_urls(html: str, base: str | None) -> str | None:
    """The page's canonical URL (absolute http/https), else its og:url."""
    head = html[:200_000]
    m = _LINK_CANON.search(head)
    cands = []
    if m:
        h = _HREF.search(m.group(0))
        if h:
            cands.append(h.group(1))
    metas = meta_tags(head)
    cands += [metas.get("og:url"), metas.get("twitter:url")]
    for c in cands:
        if not c:
            continue
        u = urljoin(base or metas.get("og:url") or "", c.strip())
        if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc:
            return u
    return None


def meta_tags(html: str) -> dict[str, str]:
    """``property``/``name``/``itemprop`` -> ``content`` of the page's meta tags (first wins)."""
    out: dict[str, str] = {}
    for m in _META.finditer(html):
        attrs = {k.lower(): (a or b or c) for k, a, b, c in _ATTR.findall(m.group(0))}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and attrs.get("content") and key not in out:
            out[key] = _unescape(attrs["content"]).strip()
    return out


def ld_objects(html: str) -> list[dict]:
    """Every JSON-LD object of the page, ``@graph`` members included."""
    out: list[dict] = []
    for m in _LDJSON.finditer(html):
        try:
            data = json.loads(m.group(1).strip())
        except ValueError:
            continue
        stack = [data]
        while stack:
            x = stack.pop()
            if isinstance(x, list):
                stack.extend(x)
            elif isinstance(x, dict):
                out.append(x)
                if isinstance(x.get("@graph"), list):
                    stack.extend(x["@graph"])
    return out


def outlet_of(html: str, url: str | None, fallback: str | None) -> str | None:
    """The outlet's name, as the page gives it (see the module docstring)."""
    metas = meta_tags(html[:200_000])
    host = (urlsplit(url).hostname or "") if url else ""
    site = _site_name(metas.get("og:site_name"))
    if site and not _subdomain_label(site, host):
        return site
    for obj in ld_objects(html):
        pub = obj.get("publisher")
        name = pub.get("name") if isinstance(pub, dict) else None
        if isinstance(name, str) and _site_name(name) and not _subdomain_label(name, host):
            return _site_name(name)
    fb = _site_name(fallback)
    if fb and not _subdomain_label(fb, host) and fb.lower() != host.lower():
        return fb
    if host:
        try:
            from courlan import extract_domain
            return extract_domain(url) or host.removeprefix("www.")
        except Exception:  # an odd host: show it as it is
            return host.removeprefix("www.")
    return fb or site


def _site_name(name: str | None) -> str | None:
    """A site name without the tagline a page appends ("Autoracing | F1 | Indy" -> "Autoracing");
    None for one that is an address, not a name."""
    if not name or urlsplit(name.strip()).scheme in ("http", "https"):
        return None
    first = re.split(r"\s+[|–—·•]\s+|\s+-\s+", _unescape(name).strip())[0].strip()
    return first or None


def _subdomain_label(site: str, host: str) -> bool:
    """Whether a site name is only a label of the host below its registered domain."""
    if not host:
        return False
    labels = host.lower().split(".")
    s = re.sub(r"\W", "", site.lower())
    return len(labels) > 2 and s in labels[:-2] and s not in ("www", "news")


def authors_of(candidates: list[str | None], html: str = "", *, outlet: str | None = None,
               url: str | None = None) -> str | None:
    """Clean person names from author fields (and the page's meta and JSON-LD authors), or None."""
    given = [c for c in candidates if c]
    fields: list[str] = []
    owners = [outlet or ""]  # the publisher or copyright holder is not an author
    if html:
        metas = meta_tags(html[:200_000])
        owners += [metas.get("copyright") or "", metas.get("og:site_name") or ""]
        fields += [metas.get(k) for k in ("author", "article:author", "byl", "dc.creator",
                                          "sailthru.author", "parsely-author") if metas.get(k)]
        for obj in ld_objects(html):
            for key in ("publisher", "copyrightHolder"):
                pub = obj.get(key)
                if isinstance(pub, dict) and isinstance(pub.get("name"), str):
                    owners.append(pub["name"])
            auth = obj.get("author")
            names = [a.get("name") if isinstance(a, dict) else a
                     for a in (auth if isinstance(auth, list) else [auth])]
            names = [n for n in names if isinstance(n, str) and n.strip()]
            if names:  # one article's authors are one byline
                fields.append("; ".join(names))
    fields += given  # the page's own fields first: trafilatura's copy drops initials' periods
    banned = {w.casefold() for w in re.findall(r"\w+", outlet or "")}
    names: list[str] = []
    for field in fields:
        if urlsplit(field.strip()).scheme in ("http", "https"):
            continue
        for part in re.split(r"\s*(?:;|,|\||/|&|\band\b|\bund\b|\bet\b|\by\b)\s*", field, flags=re.I):
            name = clean_name(part, banned)
            if name and (any(name.casefold() in o.casefold() for o in owners if o)
                         or _in_host(name, url)):
                continue
            if name and not any(_same_person(name, n) for n in names):
                names.append(name)
        if names:
            break  # the first field that names people is the byline
    return "; ".join(names) if names else None


def clean_name(part: str, banned: set[str] = frozenset()) -> str | None:
    """One person's name from a byline part ("By STEVE PEOPLES" -> "Steve Peoples"), or None."""
    part = re.sub(r"^\s*(?:by|von|par|por|di|da|от)\s+", "", part.strip(), flags=re.I)
    part = re.sub(r"\S+@\S+|\(.*?\)|https?://\S+", " ", part)
    tokens = part.split()
    kept: list[str] = []
    for t in tokens:
        low = t.casefold().strip(".,:")
        if low in _NOT_NAME or low in banned:
            break  # "Jill Lawless Associated Press" -> "Jill Lawless"
        if not _NAME_TOKEN.match(t):
            return None
        kept.append(t)
    if not 2 <= len(kept) <= 4:
        return None
    if not all(t[0].isupper() or t.casefold() in _PARTICLES for t in kept):
        return None
    if not kept[0][0].isupper() or not kept[-1][0].isupper():
        return None
    if all(t.isupper() for t in kept if len(t) > 2):
        kept = [t.capitalize() if len(t) > 2 or not t.endswith(".") else t for t in kept]
    if len(kept[-1].rstrip(".")) < 2:
        return None
    return " ".join(kept)


def _in_host(name: str, url: str | None) -> bool:
    """Whether a "name" is the site's own ("Practical Horseman" on practicalhorsemanmag.com)."""
    host = (urlsplit(url).hostname or "") if url else ""
    squashed = re.sub(r"\W", "", name.casefold())
    return bool(host) and len(squashed) >= 6 and any(squashed in label for label in host.split("."))


def _same_person(a: str, b: str) -> bool:
    x, y = a.casefold().split(), b.casefold().split()
    return x[0] == y[0] and x[-1] == y[-1]


def _unescape(s: str) -> str:
    import html as htmllib
    return htmllib.unescape(s)
