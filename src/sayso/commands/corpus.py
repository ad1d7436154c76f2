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

from sayso.errors import AmbiguousSpeaker, CorpusError, QueryError, SaysoError
from sayso.limits import DEFAULT_TIMEOUT

DB = typer.Option(Path("sayso.db"), "--db", help="The corpus database file.")


class Out(str, enum.Enum):
    text = "text"
    json = "json"


class By(str, enum.Enum):
    outlet = "outlet"
    month = "month"


class TableFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"


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
    app.command("diversity")(diversity_cmd)


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


def _query(run):
    """Run a query; a wrong parameter (a bad date, a name that fits several speakers) is a
    usage error (exit 2) that says what to pass instead."""
    try:
        return run()
    except AmbiguousSpeaker as exc:
        _err(f"several speakers fit {exc.key!r}; pass one of these ids (or a fuller name):")
        for c in exc.candidates:
            sys.stderr.write(f"  {c['id']:>6}  {c['name']} [{c['type']}], {c['quotes']} statements\n")
        raise typer.Exit(2)
    except QueryError as exc:
        _err(str(exc))
        raise typer.Exit(2)


def _emit(data: Any, fmt: Out, render) -> None:
    if fmt is Out.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:  # corpus text goes to a terminal: its control characters shown, never obeyed
        from sayso.commands.extract import printable
        sys.stdout.write(printable(render(data)) + "\n")


def ingest_cmd(
    paths: Optional[List[str]] = typer.Argument(None, help="Files (.txt .html .jsonl .warc[.gz]), "
                                                "folders, globs, or - for stdin."),
    db: Path = DB,
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Extraction processes."),
    from_parquet: Optional[Path] = typer.Option(None, "--from-parquet",
                                                help="Store the reports of a `sayso run` dataset instead."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only: faster, less accurate."),
    model: Optional[Path] = typer.Option(None, "--model", help="A shipped model by name "
                                         "(crf, the default; encoder) or a trained model folder."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles per transaction."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bar on stderr (default: on a terminal)."),
    max_bytes: int = typer.Option(2_000_000, "--max-bytes", help="Refuse articles larger than this."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0,
                                  help="Seconds one article may take; one over it is stored as "
                                       "failed and the others go on (0: no limit)."),
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
            stats = ingest_reports(db, iter_reports(from_parquet, errors=True))
        else:
            from sayso.inputs import iter_inputs
            show = progress if progress is not None else sys.stderr.isatty()
            stats = ingest_articles(db, iter_inputs(list(paths), max_bytes=max_bytes), workers=workers,
                                    model=None if no_model else (model or "default"),
                                    progress=show, batch_size=batch_size, timeout=timeout or None)
    except SaysoError as exc:
        _err(str(exc))
        raise typer.Exit(3)
    for e in stats.errors:
        _err(e)
    sys.stderr.write(f"{stats.added} added, {stats.skipped} already stored, {stats.failed} failed "
                     f"-> {db}\n")
    if stats.failed:
        raise typer.Exit(1 if stats.added or stats.skipped else 3)


def speakers_cmd(db: Path = DB, outlet: Optional[str] = typer.Option(
                     None, "--outlet", help="Outlet name, matched on whole words, any case."),
                 since: Optional[str] = typer.Option(None, "--since", help="YYYY-MM-DD"),
                 limit: int = typer.Option(20, "--limit", "-n"), offset: int = typer.Option(0, "--offset"),
                 fmt: Out = typer.Option(Out.text, "--format", "-f")) -> None:
    """Who is quoted most."""
    with _open(db) as c:
        data = _query(lambda: c.top_speakers(outlet=outlet, since=since, limit=limit, offset=offset))
    _emit(data, fmt, lambda d: "\n".join(
        [f"{'quotes':>7} {'articles':>8} {'outlets':>7}  speaker ({d['total']} in all)"] +
        [f"{i['quotes']:>7} {i['articles']:>8} {i['outlets']:>7}  {i['name']} [{i['type']}] #{i['id']}"
         for i in d["items"]]))


def speaker_cmd(name: str = typer.Argument(..., help="A name or speaker id (a surname shared by "
                                           "several people lists them)."), db: Path = DB,
                limit: int = typer.Option(20, "--limit", "-n"),
                fmt: Out = typer.Option(Out.text, "--format", "-f")) -> None:
    """One speaker: the name variants merged, why each was merged, and their quotes."""
    with _open(db) as c:
        data = _query(lambda: c.speaker(name, limit=limit))
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


def quotes_cmd(db: Path = DB, speaker: Optional[str] = typer.Option(
                   None, "--speaker", help="A name or speaker id; a name that fits several people lists them."),
               outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet name, matched on whole "
                                                    "words, any case (BBC finds BBC News)."),
               since: Optional[str] = typer.Option(None, "--since", help="YYYY-MM-DD"),
               search: Optional[str] = typer.Option(None, "--search", help="Words the quote contains."),
               limit: int = typer.Option(50, "--limit", "-n"), offset: int = typer.Option(0, "--offset"),
               fmt: Out = typer.Option(Out.text, "--format", "-f")) -> None:
    """Quotes, filtered by speaker, outlet, date and words."""
    with _open(db) as c:
        data = _query(lambda: c.quotes(speaker=speaker, outlet=outlet, since=since, search=search,
                                       limit=limit, offset=offset))
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
        q = d["quote"]
        lines = [f"statement group {d['group_id']}: {len(d['members'])} article(s)",
                 f"said by: {q['speaker'] or '(no named source)'}"
                 + (f" #{q['speaker_id']}" if q.get("speaker_id") else ""),
                 f"most common wording: {d['wording']}", ""]
        for m in d["members"]:
            mark = "  " if m["same_wording"] else "≠ "
            lines.append(f"{mark}#{m['quote_id']} {m['published'] or '????-??-??'} {m['outlet'] or '-'} "
                         f"[{m['speaker'] or 'no named source'}]: "
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


def diversity_cmd(db: Path = DB, by: By = typer.Option(By.outlet, "--by", help="One row per outlet or per month."),
                  outlet: Optional[str] = typer.Option(None, "--outlet", help="Only this outlet (whole words, any case)."),
                  since: Optional[str] = typer.Option(None, "--since", help="YYYY-MM-DD"),
                  fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f")) -> None:
    """Who gets quoted, by gender: statements and people per outlet or month.

    A person's gender is what the articles themselves say (honorifics, the pronouns
    that refer to them), never a guess from the name; "unknown" where they do not say.
    """
    from sayso.corpus import diversity

    with _open(db) as c:
        data = _query(lambda: c.diversity(by=by.value, outlet=outlet, since=since))
    if fmt is TableFormat.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt is TableFormat.csv:
        import csv
        w = csv.DictWriter(sys.stdout, fieldnames=diversity.CSV_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(diversity.csv_rows(data))
    else:
        sys.stdout.write(diversity.table(data) + "\n")
