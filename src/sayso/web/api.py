"""The JSON API: extract one article, and read the corpus (speakers, quotes, articles, spread).

Every answer is JSON; every error is ``{"error": message, "status": code}``.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from sayso.errors import CorpusError, InputError
from sayso.version import __version__
from sayso.web import upload
from sayso.web.diff import word_diff
from sayso.web.state import WebState

router = APIRouter(prefix="/api")

Limit = Query(50, ge=1, le=500, description="How many items to return (1-500).")
Offset = Query(0, ge=0, le=10_000_000, description="How many items to skip.")

_EXTRACT_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": upload.ExtractRequest.model_json_schema()},
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary",
                                    "description": "A .txt or .html article."},
                           "title": {"type": "string"}}}},
    },
}


def state(request: Request) -> WebState:
    return request.app.state.sayso


@router.get("/health", summary="Is the server up, and does it have a corpus")
def health(request: Request) -> dict[str, Any]:
    st = state(request)
    return {"ok": True, "version": __version__, "corpus": st.has_corpus,
            "max_body": st.max_body}


@router.post("/extract", summary="Find the attributions in one article",
             openapi_extra={"requestBody": _EXTRACT_BODY},
             description="Send the article as JSON (`text` or `html`), as a raw `text/plain` or "
                         "`text/html` body, or as a `multipart/form-data` upload in field `file`. "
                         "Answers `{article: {id, title, text, ...}, report: Report}`; every span "
                         "in the report is character offsets into `article.text`.")
async def extract(request: Request) -> dict[str, Any]:
    body = await request.body()
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        article = await _from_form(request)
    elif ctype in ("application/json", ""):
        article = await run_in_threadpool(upload.from_json, body)
    elif ctype in ("text/plain", "text/html", "application/xhtml+xml"):
        article = await run_in_threadpool(upload.from_bytes, body, filename=None, content_type=ctype,
                                          title=request.query_params.get("title"))
    else:
        raise HTTPException(415, f"unsupported Content-Type {ctype!r}; send application/json, "
                                 f"text/plain, text/html or multipart/form-data")
    report = await state(request).extract_async(article)
    return {"article": _article_dict(article), "report": report.to_dict()}


async def _from_form(request: Request):
    form = await request.form(max_files=1, max_fields=4)
    try:
        file = form.get("file")
        if file is None or isinstance(file, str):
            raise InputError("multipart upload needs a file in field `file`", "request")
        data = await file.read()
        title = form.get("title")
        return await run_in_threadpool(upload.from_bytes, data, filename=file.filename,
                                       content_type=file.content_type,
                                       title=title if isinstance(title, str) and title else None)
    finally:
        await form.close()


def _article_dict(article) -> dict[str, Any]:
    return {"id": article.id, "title": article.title, "outlet": article.outlet,
            "published": article.published, "url": article.url, "author": article.author,
            "fetched": article.fetched, "warnings": list(article.warnings), "text": article.text}


@router.get("/speakers", summary="Speakers ranked by how often they are quoted")
def speakers(request: Request, outlet: str | None = None,
             since: str | None = Query(None, description="Only quotes published on or after this ISO date."),
             limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    with state(request).corpus() as c:
        return _page(c.top_speakers(outlet=outlet, since=since, limit=limit, offset=offset),
                     limit, offset)


@router.get("/speakers/{key:path}", summary="One speaker: name variants and statements")
def speaker(request: Request, key: str, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    with state(request).corpus() as c:
        found = c.speaker(key, limit=limit, offset=offset)
    if found is None:
        raise HTTPException(404, f"no speaker {key!r} in the corpus")
    return dict(found, quotes=_page(found["quotes"], limit, offset))


@router.get("/quotes", summary="Statements, filtered by speaker, outlet, date and full-text search")
def quotes(request: Request, speaker: str | None = Query(None, description="Speaker id or name."),
           outlet: str | None = None, since: str | None = None,
           q: str | None = Query(None, max_length=500, description="Full-text search over statements."),
           limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    with state(request).corpus() as c:
        return _page(search_quotes(c, speaker=speaker or None, outlet=outlet or None,
                                   since=since or None, search=q or None, limit=limit, offset=offset),
                     limit, offset)


@router.get("/articles/{article_id:path}", summary="One stored article with its report")
def article(request: Request, article_id: str) -> dict[str, Any]:
    with state(request).corpus() as c:
        found = c.article(article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id!r} in the corpus")
    # where the server read the file is the server's business, not the client's
    art = {k: v for k, v in found["article"].items() if k != "path"}
    report = dict(found["report"], document={k: v for k, v in found["report"].get("document", {}).items()
                                             if k != "path"})
    return dict(found, article=art, report=report)


@router.get("/spread/{quote_id:path}",
            summary="How one statement spread across outlets, with wording differences",
            description="Each member gets `diff`: a list of `[op, text]` pieces against the "
                        "statement's wording, op being `same`, `added` or `removed`.")
def spread(request: Request, quote_id: str) -> dict[str, Any]:
    with state(request).corpus() as c:
        found = c.spread(quote_id)
    if found is None:
        raise HTTPException(404, f"no statement {quote_id!r} in the corpus")
    return with_diffs(found)


@router.get("/diversity", summary="Who gets quoted, by gender, per outlet or per month",
            description="Statements and distinct people by gender (`female`, `male`, `unknown`: what the "
                        "articles themselves say, never a guess from the name) for each outlet or month, "
                        "and `total`. `women_share` is the share of statements by people of known gender "
                        "that are by women; `unknown_share` the share whose speaker's gender is unknown.")
def diversity(request: Request, by: str = Query("outlet", pattern="^(outlet|month)$",
                                                  description="`outlet` or `month`."),
              outlet: str | None = None,
              since: str | None = Query(None, description="Only articles published on or after this ISO date.")
              ) -> dict[str, Any]:
    with state(request).corpus() as c:
        return c.diversity(by=by, outlet=outlet or None, since=since or None)


def search_quotes(corpus: Any, **query: Any) -> dict[str, Any]:
    """Corpus.quotes, with a search text that holds no words answered as a 400."""
    try:
        return corpus.quotes(**query)
    except CorpusError as exc:
        if query.get("search") and "search" in str(exc):
            raise HTTPException(400, str(exc)) from None
        raise


def with_diffs(spread: dict[str, Any]) -> dict[str, Any]:
    """The spread with each member's wording compared to the statement's."""
    ref = (spread.get("quote") or {}).get("text") or ""
    members = [dict(m, diff=[list(p) for p in word_diff(ref, m.get("text") or "")])
               for m in spread.get("members", [])]
    return dict(spread, members=members)


def _page(result: dict[str, Any], limit: int, offset: int) -> dict[str, Any]:
    return {"total": result["total"], "limit": limit, "offset": offset, "items": result["items"]}
