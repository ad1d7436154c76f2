"""Turns what a client sends (JSON, a raw body, an uploaded file) into one Article.

Only bytes the client sent are read: nothing here opens a path, whatever a
filename or field says.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationError

from sayso.errors import InputError
from sayso.inputs.text import MAX_BYTES, check_text, decode_text
from sayso.model import Article


class ExtractRequest(BaseModel):
    """The JSON body of ``POST /api/extract``: exactly one of ``text`` or ``html``."""
    text: str | None = Field(None, description="The article as plain text.")
    html: str | None = Field(None, description="The article as an HTML page; its main text is read out.")
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200)
    published: str | None = Field(None, max_length=40, description="ISO 8601 date.")
    url: str | None = Field(None, max_length=2000)

    model_config = {"extra": "forbid"}


def from_json(data: bytes) -> Article:
    """An Article from a JSON body; raises InputError with what is wrong."""
    try:
        req = ExtractRequest.model_validate_json(data)
    except ValidationError as exc:
        raise InputError(_first_problem(exc), "request") from None
    if (req.text is None) == (req.html is None):
        raise InputError("send exactly one of `text` or `html`", "request")
    meta = {k: v for k, v in req.model_dump().items() if k not in ("text", "html") and v is not None}
    if req.html is not None:
        return from_html(req.html, "html", **meta)
    check_text(req.text, "text")
    return Article(text=req.text, id="pasted", **meta)


def from_bytes(data: bytes, *, filename: str | None, content_type: str | None,
               title: str | None = None) -> Article:
    """An Article from a raw body or an uploaded file, read as HTML or plain text."""
    name = (filename or "upload").rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "upload"
    text = decode_text(data, name, max_bytes=MAX_BYTES)
    meta = {"title": title} if title else {}
    stem = name.rsplit(".", 1)[0] or "upload"
    if _is_html(name, content_type, text):
        return from_html(text, name, id=stem, **meta)
    return Article(text=text, id=stem, **meta)


def from_html(html: str, source: str, **meta: Any) -> Article:
    """The main text of an HTML page (boilerplate dropped, tweet embeds kept), read by sayso.inputs."""
    from sayso.inputs.html import html_to_article

    meta.setdefault("id", "pasted")
    return html_to_article(html, source, **meta)


def _is_html(name: str, content_type: str | None, text: str) -> bool:
    if name.lower().endswith((".html", ".htm")):
        return True
    if content_type and content_type.split(";")[0].strip().lower() in ("text/html",
                                                                       "application/xhtml+xml"):
        return True
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def _first_problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ())) or "body"
    return f"{where}: {err.get('msg', 'invalid')}"
