"""The HTML pages. Templates escape everything (autoescape on); article text shown
with its highlights is drawn in the browser by static/render.js using text nodes only.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from sayso.version import __version__
from sayso.web.api import search_quotes, state, with_diffs

router = APIRouter(include_in_schema=False)
PAGE = 50

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True)
env.filters["seg"] = lambda s: quote(str(s), safe="")
env.globals["version"] = __version__


def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    st = state(request)
    html = env.get_template(name).render(has_corpus=st.has_corpus, path=request.url.path, **ctx)
    return HTMLResponse(html, status_code=status)


def pager(request: Request, total: int, offset: int, limit: int = PAGE) -> dict[str, Any]:
    """Links to the previous and next page, keeping the other query parameters."""
    params = {k: v for k, v in request.query_params.items() if k != "offset" and v}

    def link(off: int) -> str:
        return request.url.path + "?" + urlencode({**params, "offset": off})

    return {"total": total, "first": offset + 1 if total else 0, "last": min(offset + limit, total),
            "prev": link(max(offset - limit, 0)) if offset > 0 else None,
            "next": link(offset + limit) if offset + limit < total else None}


@router.get("/", response_class=HTMLResponse)
def read_page(request: Request) -> HTMLResponse:
    return render(request, "extract.html", max_body=state(request).max_body)


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request, outlet: str | None = None, since: str | None = None,
                  offset: int = Query(0, ge=0)) -> HTMLResponse:
    with state(request).corpus() as c:
        res = c.top_speakers(outlet=outlet or None, since=since or None, limit=PAGE, offset=offset)
    return render(request, "speakers.html", items=res["items"], outlet=outlet or "",
                  since=since or "", offset=offset, pager=pager(request, res["total"], offset))


@router.get("/speakers/{key:path}", response_class=HTMLResponse)
def speaker_page(request: Request, key: str, offset: int = Query(0, ge=0)) -> HTMLResponse:
    with state(request).corpus() as c:
        sp = c.speaker(key, limit=PAGE, offset=offset)
    if sp is None:
        raise HTTPException(404, f"no speaker {key!r} in the corpus")
    qs = sp["quotes"]
    return render(request, "speaker.html", speaker=sp, quotes=qs["items"],
                  pager=pager(request, qs["total"], offset), timeline_json=json.dumps(sp["timeline"]))


@router.get("/diversity", response_class=HTMLResponse)
def diversity_page(request: Request, outlet: str | None = None, since: str | None = None) -> HTMLResponse:
    """Share of statements by women per outlet and over time, drawn by static/charts.js."""
    with state(request).corpus() as c:
        outlets = c.diversity(by="outlet", outlet=outlet or None, since=since or None)
        months = c.diversity(by="month", outlet=outlet or None, since=since or None)
    return render(request, "diversity.html", outlets=outlets, months=months, outlet=outlet or "",
                  since=since or "", outlets_json=json.dumps(outlets), months_json=json.dumps(months))


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(request: Request, q: str | None = Query(None, max_length=500),
                speaker: str | None = None, outlet: str | None = None,
                offset: int = Query(0, ge=0)) -> HTMLResponse:
    with state(request).corpus() as c:
        res = search_quotes(c, speaker=speaker or None, outlet=outlet or None, search=q or None,
                            limit=PAGE, offset=offset)
    return render(request, "quotes.html", items=res["items"], q=q or "", speaker=speaker or "",
                  outlet=outlet or "", pager=pager(request, res["total"], offset))


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    with state(request).corpus() as c:
        found = c.article(article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id!r} in the corpus")
    return render(request, "article.html", article=found["article"], article_id=article_id,
                  data_json=json.dumps(found, ensure_ascii=False))


@router.get("/spread/{quote_id:path}", response_class=HTMLResponse)
def spread_page(request: Request, quote_id: str) -> HTMLResponse:
    with state(request).corpus() as c:
        found = c.spread(quote_id)
    if found is None:
        raise HTTPException(404, f"no statement {quote_id!r} in the corpus")
    return render(request, "spread.html", spread=with_diffs(found))


@router.get("/api/docs", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    """A plain listing of the API from its OpenAPI schema (the stock docs pages load a CDN)."""
    spec = request.app.openapi()
    ops = [{"method": m.upper(), "path": p, "summary": op.get("summary", ""),
            "description": op.get("description", ""),
            "params": [(x["name"], x["in"], x.get("description", "")) for x in op.get("parameters", [])]}
           for p, item in spec["paths"].items() for m, op in item.items()]
    return render(request, "api.html", ops=ops)
