"""Corpus commands: ingest, speakers, speaker, quotes, spread, show, export.

Thin: parse arguments, call sayso.corpus, print readable text or ``--format json``.
"""
from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from sayso.errors import CorpusError, SaysoError

DB = typer.Option(Path("sayso.db"), "--db", help="The corpus database file.")


class Out(str, enum.Enum):
    text = "text"
    json = "json"


class ExportFormat(str, enum.Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_cmd)
    app.command("speakers")(speakers_cmd)
    app.command("speaker")(speaker_cmd)
    app.command("quotes")(quotes_cmd)
    app.command("spread")(spread_cmd)
    app.command("show")(show_cmd)
    app.command("export")(export_cmd)


def _err(msg: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    Console(stderr=True, soft_wrap=True).print(f"[red]error[/red] {escape(msg)}", highlight=False)


def _open(db: Path):
    from sayso.corpus import Corpus
    try:
        return Corpus.open(db)
    except CorpusError as exc:
        _err(str(exc))
        raise typer.Exit(3)


def _emit(data: Any, fmt: Out, render) -> None:
    if fmt is Out.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(data) + "\n")


def ingest_cmd(
    paths: Optional[List[str]] = typer.Argument(None, help="Files (.txt .html .jsonl .warc[.gz]), "
                                                "folders, globs, or - for stdin."),
    db: Path = DB,
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Extraction processes."),
    from_parquet: Optional[Path] = typer.Option(None, "--from-parquet",
                                                help="Store the reports of a `sayso run` dataset instead."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only: faster, less accurate."),
    model: Optional[Path] = typer.Option(None, "--model", help="A shipped model by name "
                                         "(encoder, the default; crf) or a trained model folder."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles per transaction."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bar on stderr (default: on a terminal)."),
    max_bytes: int = typer.Option(2_000_000, "--max-bytes", help="Refuse articles larger than this."),
) -> None:
    """Extract articles and store their reports in the corpus; already stored ones are skipped."""
    from sayso.corpus import ingest_articles, ingest_reports
    from sayso.corpus.schema import connect

    if not paths and from_parquet is None:
        _err("give files, folders or globs to ingest, or --from-parquet DIR")
        raise typer.Exit(2)
    try:  # refuse a foreign or newer database before any work
        connect(db, create=True).close()
    except CorpusError as exc:
        _err(str(exc))
        raise typer.Exit(3)
    try:
        if from_parquet is not None:
            from sayso.engine.parquet import iter_reports
            stats = ingest_reports(db, iter_reports(from_parquet))
        else:
            from sayso.inputs import iter_inputs
            show = progress if progress is not None else sys.stderr.isatty()
            stats = ingest_articles(db, iter_inputs(list(paths), max_bytes=max_bytes), workers=workers,
                                    model=None if no_model else (model or "default"),
                                    progress=show, batch_size=batch_size)
    except SaysoError as exc:
        _err(str(exc))
        raise typer.Exit(3)
    for e in stats.errors:
        _err(e)
    sys.stderr.write(f"{stats.added} added, {stats.skipped} already stored, {stats.failed} failed "
                     f"-> {db}\n")
    if stats.failed:
        raise typer.Exit(1 if stats.added or stats.skipped else 3)


def speakers_cmd(db: Path = DB, outlet: Optional[str] = typer.Option(None, "--outlet"),
                 since: Optional[str] = typer.Option(None, "--since", help="YYYY-MM-DD"),
                 limit: int = typer.Option(20, "--limit", "-n"), offset: int = typer.Option(0, "--offset"),
                 fmt: Out = typer.Option(Out.text, "--format", "-f")) -> None:
    """Who is quoted most."""
    with _open(db) as c:
        data = c.top_speakers(outlet=outlet, since=since, limit=limit, offset=offset)
    _emit(data, fmt, lambda d: "\n".join(
        [f"{'quotes':>7} {'articles':>8} {'outlets':>7}  speaker ({d['total']} in all)"] +
        [f"{i['quotes']:>7} {i['articles']:>8} {i['outlets']:>7}  {i['name']} [{i['type']}] #{i['id']}"
         for i in d["items"]]))


def speaker_cmd(name: str = typer.Argument(..., help="A name or speaker id."), db: Path = DB,
                limit: int = typer.Option(20, "--limit", "-n"),
                fmt: Out = typer.Option(Out.text, "--format", "-f")) -> None:
    """One speaker: the name variants merged, why each was merged, and their quotes."""
    with _open(db) as c:
        data = c.speaker(name, limit=limit)
    if data is None:
        _err(f"no speaker named {name!r} in {db}")
        raise typer.Exit(1)

    def render(d):
        lines = [f"{d['name']} [{d['type']}] #{d['id']}: {d['quotes']['total']} quotes in "
                 f"{d['articles']} articles, {d['outlets']} outlets",
                 "variants: " + "; ".join(d["variants"])]
        for m in d["merge_reasons"]:
            lines.append(f"  {m['name']!r} merged: {m['reason']}")
        lines.append("")
        lines += [_quote_line(q) for q in d["quotes"]["items"]]
        return "\n".join(lines)
    _emit(data, fmt, render)


def _quote_line(q: dict) -> str:
    text = " ".join(q["text"].split())
    text = text if len(text) <= 200 else text[:197] + "..."
    return (f"#{q['id']} {q['published'] or '????-??-??'} {q['outlet'] or '-'} "
            f"[{q['kind']}] {q['speaker'] or '(no source)'}: {text}  (article {q['article_id']})")


def quotes_cmd(db: Path = DB, speaker: Optional[str] = typer.Option(None, "--speaker"),
               outlet: Optional[str] = typer.Option(None, "--outlet"),
               since: Optional[str] = typer.Option(None, "--since", help="YYYY-MM-DD"),
               search: Optional[str] = typer.Option(None, "--search", help="Words the quote contains."),
               limit: int = typer.Option(50, "--limit", "-n"), offset: int = typer.Option(0, "--offset"),
               fmt: Out = typer.Option(Out.text, "--format", "-f")) -> None:
    """Quotes, filtered by speaker, outlet, date and words."""
    with _open(db) as c:
        try:
            data = c.quotes(speaker=speaker, outlet=outlet, since=since, search=search,
                            limit=limit, offset=offset)
        except CorpusError as exc:
            _err(str(exc))
            raise typer.Exit(2)
    _emit(data, fmt, lambda d: "\n".join([f"{d['total']} quotes"] + [_quote_line(q) for q in d["items"]]))


def spread_cmd(quote_id: str = typer.Argument(..., help="A quote id (from `sayso quotes`)."), db: Path = DB,
               fmt: Out = typer.Option(Out.text, "--format", "-f")) -> None:
    """The same statement across articles and outlets; altered wordings marked."""
    with _open(db) as c:
        data = c.spread(quote_id)
    if data is None:
        _err(f"no quote {quote_id!r} in {db}")
        raise typer.Exit(1)

    def render(d):
        lines = [f"statement group {d['group_id']}: {len(d['members'])} article(s)",
                 f"most common wording: {d['wording']}", ""]
        for m in d["members"]:
            mark = "  " if m["same_wording"] else "≠ "
            lines.append(f"{mark}#{m['quote_id']} {m['published'] or '????-??-??'} {m['outlet'] or '-'}: "
                         f"{' '.join(m['text'].split())}  (article {m['article_id']})")
        if not all(m["same_wording"] for m in d["members"]):
            lines += ["", "≠ marks a wording that differs from the most common one"]
        return "\n".join(lines)
    _emit(data, fmt, render)


def show_cmd(article_id: str = typer.Argument(...), db: Path = DB,
             fmt: Out = typer.Option(Out.text, "--format", "-f")) -> None:
    """One stored article's report."""
    from sayso.model import Report
    with _open(db) as c:
        data = c.article(article_id)
    if data is None:
        _err(f"no article {article_id!r} in {db}")
        raise typer.Exit(1)
    try:
        from sayso.commands.extract import render_text
    except ImportError:  # pragma: no cover
        render_text = None
    _emit(data, fmt, lambda d: render_text(Report.from_dict(d["report"])) if render_text
          else json.dumps(d["report"], indent=2))


def export_cmd(db: Path = DB, fmt: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f"),
               output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                     help="File to write (stdout for jsonl/csv if left out)."),
               what: str = typer.Option("quotes", "--what", help="quotes (one row per attribution) or "
                                        "reports (one JSON report per article, jsonl only).")) -> None:
    """Export the corpus as JSON Lines, CSV or Parquet."""
    from sayso.corpus.export import export
    if fmt is ExportFormat.parquet and output is None:
        _err("--format parquet needs --output FILE")
        raise typer.Exit(2)
    if what not in ("quotes", "reports") or (what == "reports" and fmt is not ExportFormat.jsonl):
        _err("--what is quotes, or reports with --format jsonl")
        raise typer.Exit(2)
    with _open(db) as c:
        n = export(c, fmt.value, output, what=what)
    sys.stderr.write(f"{n} rows exported\n")
