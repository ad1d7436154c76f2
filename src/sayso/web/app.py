"""The web app factory: ``create_app(db_path=None, reader=None)``.

Routes live in api.py (JSON) and pages.py (HTML); this module wires them with the
body limit, the static files and one error shape: JSON ``{"error", "status"}``
for the API (an HTML page for browser pages), never a stack trace.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from sayso.errors import AmbiguousSpeaker, CorpusError, InputError, QueryError, SaysoError, TimeLimitError
from sayso.version import __version__
from sayso.web import api, pages
from sayso.web.guard import MAX_BODY, BodyTooLarge, Guard
from sayso.web.state import WEB_TIMEOUT, Busy, NoCorpus, WebState

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def create_app(db_path: str | Path | None = None, reader: Any | None = None, *,
               max_body: int = MAX_BODY, allowed_hosts: Iterable[str] | None = None,
               timeout: float | None = WEB_TIMEOUT) -> FastAPI:
    """A ready app; ``reader`` is a sayso Reader (one is loaded on first use when None),
    ``db_path`` a corpus built by ``sayso ingest`` (browse pages answer 404 without one),
    ``allowed_hosts`` the Host names to answer to (any when None), ``timeout`` the
    seconds one extraction may take (a 422 past it)."""
    app = FastAPI(title="sayso", version=__version__,
                  description="Who said what, according to whom: attributions in news articles.",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.sayso = WebState(db_path=db_path, reader=reader, max_body=max_body, timeout=timeout)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Guard, max_body=max_body,
                       allowed_hosts=frozenset(h.lower() for h in allowed_hosts)
                       if allowed_hosts is not None else None)
    _errors(app)
    return app


def _errors(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError) -> Response:
        errs = exc.errors()
        first = errs[0] if errs else {}
        where = ".".join(str(p) for p in first.get("loc", ())) or "request"
        return error(request, 422, f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return error(request, 413, str(exc))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(TimeLimitError)
    async def too_slow(request: Request, exc: TimeLimitError) -> Response:
        return error(request, 422, f"{exc}; send a shorter article")

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> Response:
        return error(request, 503, "too many articles are waiting to be read; try again in a moment")

    @app.exception_handler(NoCorpus)
    async def no_corpus(request: Request, exc: NoCorpus) -> Response:
        return error(request, 404, "this server has no corpus; start it with `sayso serve --db FILE`")

    @app.exception_handler(AmbiguousSpeaker)
    async def ambiguous(request: Request, exc: AmbiguousSpeaker) -> Response:
        return error(request, 409, str(exc), candidates=exc.candidates, key=exc.key)

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(CorpusError)
    async def corpus_error(request: Request, exc: CorpusError) -> Response:
        log.error("corpus error: %s", exc)
        return error(request, 503, f"the corpus cannot be read: {exc}")

    @app.exception_handler(SaysoError)
    async def sayso_error(request: Request, exc: SaysoError) -> Response:
        log.error("request failed: %s", exc)
        return error(request, 500, f"could not process the request: {exc}")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error(request, 500, "internal error; the server log has the details")


def error(request: Request, status: int, message: str, *, candidates: list | None = None,
          key: str | None = None) -> Response:
    """The one error shape: JSON for the API and other clients, a small page for browser pages.
    A name that fits several speakers also lists them (``candidates``: id, name, type, quotes)."""
    wants_page = (not request.url.path.startswith(("/api", "/static"))
                  and "text/html" in request.headers.get("accept", ""))
    if wants_page:
        try:
            return pages.render(request, "error.html", status=status, code=status, message=message,
                                candidates=candidates or [], key=key)
        except Exception:  # the error page must never fail
            log.exception("error page failed")
            return HTMLResponse("error", status_code=status)
    body = {"error": message, "status": status}
    if candidates is not None:
        body["candidates"] = candidates
    return JSONResponse(body, status_code=status)
