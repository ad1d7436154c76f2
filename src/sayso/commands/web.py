"""`sayso serve`: the web app (read an article; browse a corpus; JSON API)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from sayso.web.guard import MAX_BODY
from sayso.web.state import WEB_TIMEOUT

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)


def serve_cmd(
    db: Optional[Path] = typer.Option(None, "--db", help="A corpus built by `sayso ingest`, to browse."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    model: Optional[Path] = typer.Option(None, "--model", help="A shipped model by name (crf, the "
                                         "default; encoder) or a trained model folder."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only: faster, less accurate."),
    max_body: int = typer.Option(MAX_BODY, "--max-body", min=1024,
                                 help="Largest request body accepted, in bytes (413 past it)."),
    timeout: float = typer.Option(WEB_TIMEOUT, "--timeout", min=0,
                                  help="Seconds one article may take to extract; past it the client "
                                       "gets a 422 and the next article is read (0: no limit)."),
) -> None:
    """Serve the web app: paste an article to see who said what; browse a corpus with --db."""
    import uvicorn
    from rich.console import Console

    from sayso.errors import SaysoError

    err = Console(stderr=True)
    if db is not None:
        try:
            from sayso.corpus import Corpus
            Corpus.open(db).close()
        except SaysoError as exc:
            err.print(f"[red]error[/red] {_esc(str(exc))}", highlight=False)
            raise typer.Exit(3)
    if host not in LOOPBACK:
        err.print(f"[yellow]warning[/yellow] listening on {_esc(host)}: anyone who can reach it can use "
                  "this server; there is no login.", highlight=False)
    try:
        from sayso.reader import Reader
        reader = Reader(model=None if no_model else (model or "default"))
    except SaysoError as exc:
        err.print(f"[red]error[/red] {_esc(str(exc))}", highlight=False)
        raise typer.Exit(3)
    from sayso.web import create_app, server
    # on loopback, answer only to loopback names, so web pages cannot reach it by DNS rebinding
    hosts = ["127.0.0.1", "localhost", "[::1]", "::1"] if host in LOOPBACK else None
    app = create_app(db_path=db, reader=reader, max_body=max_body, allowed_hosts=hosts,
                     timeout=timeout or None)
    uvicorn.Server(server.config(app, host=host, port=port, log_level="info", server_header=False,
                                 timeout_graceful_shutdown=5)).run()


def _esc(s: str) -> str:
    from rich.markup import escape
    return escape(s)
