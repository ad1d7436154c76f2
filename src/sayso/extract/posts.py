"""Embedded social posts as they survive copying a web page to text.

An embed flattens to the post's words, then a signature line such as
``— Display Name (@handle) October 13, 2023`` and often a ``pic.twitter.com``
or status link. Those lines are not the article's own prose: this stage records
each post, attributes its words to the author, and blocks its span so the other
stages never read a signature as a sentence or a handle as a speaker.
"""
from __future__ import annotations

import datetime as _dt
import re

from sayso.extract.context import Candidate, Context, PostDraft, Range

_MONTHS = {m: i for i, ms in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for m in ms}
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = (rf"(?:(?P<mon>{_MONTH})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
         rf"|(?P<day2>\d{{1,2}})\s+(?P<mon2>{_MONTH})\.?,?\s+(?P<year2>\d{{4}})"
         r"|(?P<iso>\d{4}-\d{2}-\d{2}))"
         # Bluesky and Instagram add a time of day
         r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?)?")
_URL = r"(?:(?<!\w)https?://\S+|(?<![\w./])(?:pic\.twitter\.com|t\.co|www\.)\S*)"
_HANDLE = r"\((?P<handle>@[a-z0-9_][\w.-]{0,62})\)"
_NAME = r"(?P<name>[^\n()—–]{0,80}?)"
# pages that keep the embed's markup close it after the date: "June 29, 2016</tweet>."
_TAIL = (rf"(?:,?\s+(?P<tail>{_DATE}))?(?P<urls>(?:\s+{_URL})*)"
         r"(?P<close>[ \t]*</(?:tweet|blockquote)>)?[ \t]*[.;]?[ \t\r]*$")

#: ``… — Name (@handle) Date`` ending a line: the dash lets the post's words share the line
_DASH_SIGNATURE = re.compile(
    # a hyphen needs a space before it; a real dash may hang on the link before it ("…Pm— Name")
    rf"(?P<dash>(?:(?:^|(?<=\s))(?:--?)|&mdash;|[—–―])[ \t]*){_NAME}[ \t]*{_HANDLE}{_TAIL}",
    re.I | re.M)
#: ``Name (@handle) Date`` as a line of its own
_BARE_SIGNATURE = re.compile(rf"^(?P<dash>)[ \t]*{_NAME}[ \t]*{_HANDLE}{_TAIL}", re.I | re.M)
#: Instagram's ``A post shared by Name (@handle) on Oct 13, 2023 at 10:05am PDT``
_INSTAGRAM = re.compile(
    rf"^[ \t]*A post shared by[ \t]+{_NAME}[ \t]*{_HANDLE}(?:[ \t]+on)?{_TAIL}", re.I | re.M)
_ALL_SIGNATURES = (_INSTAGRAM, _DASH_SIGNATURE, _BARE_SIGNATURE)
_LINK_LINE = re.compile(rf"^[ \t]*{_URL}(?:\s+{_URL})*[ \t\r]*$", re.I)
#: links and the newsletter banner some sites splice into embeds, cut from a post's words
_TRAILING_LINKS = re.compile(rf"(?:\s*(?:{_URL}|SIGN UP FOR OUR NEWSLETTER))+\s*$", re.I)
_OPEN_TAG = re.compile(r"<(?:tweet|blockquote)\b[^<>]{0,500}>", re.I)
#: ``<tweet author="@x" datetime="2016-06-29">…</tweet>`` kept by some scrapes, signature or not
_TWEET_ELEMENT = re.compile(
    r"<tweet\b(?P<attrs>[^<>]{0,500})>(?P<body>[^<]{0,5000})</tweet>[ \t]*\.?", re.I)
_ATTR = re.compile(r"""(?P<k>[a-z_]+)\s*=\s*["'](?P<v>[^"']*)["']""", re.I)
_SOCIAL_HINT = re.compile(r"pic\.twitter\.com|\bt\.co/|(?:^|\s)[#@]\w", re.I)

#: a short earlier paragraph joins the post only when it looks like post text
MAX_EXTRA_PARAGRAPH = 300
MAX_EXTRA_PARAGRAPHS = 3


def find(ctx: Context) -> None:
    """Record every embedded post in ``ctx.posts``, block it and attribute its text."""
    text = ctx.text
    if "(@" not in text and "<tweet" not in text:
        return
    found: list[tuple[PostDraft, Range | None]] = []
    floor = 0  # nothing before the end of the previous post belongs to the next one
    for sig in _signatures(text) if "(@" in text else ():
        line_start = text.rfind("\n", 0, sig.start()) + 1
        if sig.start() < floor or line_start < floor:
            continue
        post = _build(ctx, sig, line_start, floor, "")
        src = sig.span("name") if sig.group("name").strip() else sig.span("handle")
        found.append((post, _strip_range(text, *src)))
        floor = post.span[1]
    if "<tweet" in text:
        found += _elements(text, [p.span for p, _ in found])
    found.sort(key=lambda ps: ps[0].span)
    for n, (post, src) in enumerate(found, 1):
        post.id = f"p{n}"
        ctx.posts.append(post)
        ctx.blocked.append(post.span)
        if post.text[1] > post.text[0]:
            ctx.candidates.append(Candidate(
                kind="direct", content=[post.text], cue=None, source=src,
                speaker_name=post.author or post.handle, post=post.id, origin="posts",
                confidence=0.9))


def _elements(text: str, taken: list[Range]) -> list[tuple[PostDraft, Range | None]]:
    """``<tweet …>…</tweet>`` elements that no signature already covered."""
    out: list[tuple[PostDraft, Range | None]] = []
    for m in _TWEET_ELEMENT.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        attrs = {a.group("k").lower(): a.group("v") for a in _ATTR.finditer(m.group("attrs"))}
        who = (attrs.get("author") or attrs.get("handle") or "").strip().lstrip("@")
        handle = f"@{who}" if re.fullmatch(r"[\w.-]{1,64}", who) else None
        body = _trim(text, *m.span("body"))
        out.append((PostDraft(id="", platform=_platform(m.group(0), handle or "", False),
                              author=None, handle=handle, date=_attr_date(attrs),
                              span=m.span(), text=body), None))
    return out


def _attr_date(attrs: dict[str, str]) -> str | None:
    try:
        if attrs.get("datetime"):
            return _dt.date.fromisoformat(attrs["datetime"][:10]).isoformat()
        if attrs.get("timestamp", "").isdigit():
            when = _dt.datetime.fromtimestamp(int(attrs["timestamp"]), _dt.timezone.utc)
            return when.date().isoformat()
    except (ValueError, OverflowError, OSError):
        return None
    return None


def _signatures(text: str) -> list[re.Match]:
    """Signature matches in text order; only lines that hold ``(@`` are scanned."""
    found: list[re.Match] = []
    pos = 0
    seen_lines: set[int] = set()
    while True:
        i = text.find("(@", pos)
        if i < 0:
            break
        ls = text.rfind("\n", 0, i) + 1
        le = text.find("\n", i)
        le = len(text) if le < 0 else le
        pos = le
        if ls in seen_lines:
            continue
        seen_lines.add(ls)
        for rx in _ALL_SIGNATURES:
            m = rx.search(text, ls, le)
            if m and _plausible(m):
                found.append(m)
                break
    return found


def _plausible(m: re.Match) -> bool:
    """A date or a social link must back the ``(@handle)``: a bare one is too common in prose."""
    if m.group("tail") and _iso(m) is not None:
        return True
    return bool(m.group("urls") and re.search(r"twitter\.com|x\.com|bsky\.app|instagram\.com"
                                              r"|facebook\.com|t\.co/", m.group("urls"), re.I))


def _build(ctx: Context, sig: re.Match, line_start: int, floor: int, pid: str) -> PostDraft | None:
    text = ctx.text
    end = _follow_links(text, _line_end(text, sig.start()))
    start = sig.start()
    # the post's words: the same line before the dash, else the paragraph(s) above
    tag = None
    for tag in _OPEN_TAG.finditer(text, line_start, sig.start()):
        pass
    if tag is not None:  # the markup bounds the post: its words start after the opening tag
        return _post(text, sig, pid, (tag.start(), end), _trim(text, tag.end(), sig.start()))
    same_line = _trim(text, line_start, sig.start())
    if same_line[1] > same_line[0] and sig.group("dash"):
        start = line_start
        body = same_line
        body_start = _extend_up(text, line_start, floor)
        if body_start < line_start:
            start = body_start
            body = _trim(text, body_start, sig.start())
    else:
        body, start = _paragraphs_above(text, line_start, floor)
        start = min(start, sig.start())
    return _post(text, sig, pid, (start, end), body)


def _post(text: str, sig: re.Match, pid: str, span: Range, body: Range) -> PostDraft:
    start, end = span
    if body[1] <= body[0]:
        body = (sig.start(), sig.start())
    author = " ".join(sig.group("name").split()) or None
    if author:
        author = author.split(" - ")[-1].strip() or None
    handle = sig.group("handle").rstrip(".-")
    return PostDraft(id=pid, platform=_platform(text[start:end], handle, sig.re is _INSTAGRAM),
                     author=author, handle=handle, date=_iso(sig), span=(start, end), text=body)


def _paragraphs_above(text: str, line_start: int, floor: int) -> tuple[Range, int]:
    """(text range, span start) of the post's words in the lines above its signature."""
    lines = _lines_above(text, line_start, floor)
    span_start = line_start
    body_end = None
    body_start = None
    for ls, le in lines:
        seg = text[ls:le]
        if body_end is None:
            span_start = ls
            if _LINK_LINE.match(seg):
                continue  # a lone pic.twitter.com line between the words and the signature
            body_start, body_end = ls, le
            continue
        if (le - ls <= MAX_EXTRA_PARAGRAPH and _SOCIAL_HINT.search(seg)
                and not _is_signature_like(seg)):
            body_start = span_start = ls
            continue
        break
    if body_start is None:
        return (line_start, line_start), span_start
    return _trim(text, body_start, body_end), span_start


def _extend_up(text: str, line_start: int, floor: int) -> int:
    """Earlier short post-like paragraphs that join a post whose words share the signature line."""
    start = line_start
    for ls, le in _lines_above(text, line_start, floor):
        seg = text[ls:le]
        if (le - ls <= MAX_EXTRA_PARAGRAPH and _SOCIAL_HINT.search(seg)
                and not _is_signature_like(seg) and not _LINK_LINE.match(seg)):
            start = ls
            continue
        break
    return start


def _lines_above(text: str, line_start: int, floor: int):
    """Non-blank lines above ``line_start``, nearest first, never reaching below ``floor``."""
    count = 0
    end = line_start - 1  # the newline ending the previous line
    while end > floor and count < MAX_EXTRA_PARAGRAPHS + 2:
        ls = max(text.rfind("\n", 0, end) + 1, floor)
        if text[ls:end].strip():
            count += 1
            yield ls, end
        end = ls - 1


def _is_signature_like(seg: str) -> bool:
    return "(@" in seg and any(rx.search(seg) for rx in _ALL_SIGNATURES)


def _line_end(text: str, i: int) -> int:
    e = text.find("\n", i)
    return len(text) if e < 0 else e


def _follow_links(text: str, end: int) -> int:
    """Extend past following lines that hold only the post's links (status URL, pic link)."""
    while end < len(text):
        nxt = end
        while nxt < len(text) and text[nxt] in "\r\n \t":
            nxt += 1
        le = _line_end(text, nxt)
        seg = text[nxt:le]
        if nxt >= len(text) or not _LINK_LINE.match(seg) or not re.search(
                r"twitter\.com|x\.com|t\.co/|bsky\.app|instagram\.com|facebook\.com", seg, re.I):
            break
        end = _strip_range(text, nxt, le)[1]
    return end


def _trim(text: str, s: int, e: int) -> Range:
    """Strip whitespace and trailing links from ``text[s:e]``; the range stays inside it."""
    s, e = _strip_range(text, s, e)
    m = _TRAILING_LINKS.search(text, s, e)
    if m:
        e = m.start()
    return _strip_range(text, s, e)


def _strip_range(text: str, s: int, e: int) -> Range:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _platform(span_text: str, handle: str, instagram: bool) -> str:
    low = span_text.lower()
    if instagram or "instagram.com" in low:
        return "instagram"
    if "bsky.app" in low or handle.lower().endswith(".bsky.social"):
        return "bluesky"
    if "facebook.com" in low:
        return "facebook"
    if re.search(r"(?<![\w.])x\.com/", low) and "twitter.com" not in low:
        return "x"
    return "twitter"


def _iso(m: re.Match) -> str | None:
    try:
        if m.group("iso"):
            y, mo, d = (int(p) for p in m.group("iso").split("-"))
        elif m.group("mon"):
            y, mo, d = int(m.group("year")), _MONTHS[m.group("mon").lower()], int(m.group("day"))
        elif m.group("mon2"):
            y, mo, d = int(m.group("year2")), _MONTHS[m.group("mon2").lower()], int(m.group("day2"))
        else:
            return None
        return _dt.date(y, mo, d).isoformat()
    except (ValueError, KeyError, TypeError):
        return None
