"""`sayso extract`: one article or many, to readable text, JSON or JSONL."""
from __future__ import annotations

import enum
import hashlib
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import List, Optional

import typer

from sayso.errors import SaysoError
from sayso.inputs import iter_inputs
from sayso.inputs.text import MAX_BYTES
from sayso.limits import DEFAULT_TIMEOUT
from sayso.model import Report


class Format(str, enum.Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_cmd)


def extract_cmd(
    paths: List[str] = typer.Argument(..., help="Article files (.txt; .html, .jsonl, .warc where "
                                      "supported), folders of them, or - for stdin."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    output_dir: Optional[Path] = typer.Option(None, "--output-dir", "-o",
                                              help="Write DIR/<stem>.json per article instead of printing."),
    model: Optional[Path] = typer.Option(None, "--model", help="A shipped model by name "
                                         "(crf, the default; encoder) or a trained model folder."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only: faster, less accurate."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", help="Refuse articles larger than this."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0,
                                  help="Seconds one article may take; one over it is reported as "
                                       "failed and the others go on (0: no limit)."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bar on stderr (default: on a terminal)."),
    include_text: bool = typer.Option(False, "--include-text",
                                      help="Put the text the report was read from in document.text "
                                           "(for a web page: the article body sayso found)."),
) -> None:
    """Find every attribution in the articles: who said what, according to whom."""
    from rich.console import Console

    from sayso.reader import Reader

    err = Console(stderr=True, soft_wrap=True)  # one line per message: it can be grepped
    if output_dir is not None and output_dir.exists() and not output_dir.is_dir():
        err.print(f"[red]error[/red] --output-dir {escape(str(output_dir))}: is a file, not a folder",
                  highlight=False)
        raise typer.Exit(2)
    reader = Reader(model=None if no_model else (model or "default"), timeout=timeout or None)
    show = progress if progress is not None else sys.stderr.isatty()
    out = _Writer(output_dir, fmt) if output_dir else None
    n_ok = n_failed = 0

    def articles():
        """Articles as they are read (a stream: a feed of millions is never held whole);
        read errors are reported in place."""
        nonlocal n_failed
        for item in iter_inputs(paths, max_bytes=max_bytes):
            if isinstance(item, SaysoError):
                n_failed += 1
                err.print(f"[red]error[/red] {escape(printable(str(item)))}", highlight=False)
                advance()
            else:
                yield item

    with _progress(show) as advance:
        try:
            for art, rep in reader.pipe(articles()):
                advance()
                if isinstance(rep, SaysoError):
                    n_failed += 1
                    err.print(f"[red]error[/red] {escape(printable(str(rep)))}", highlight=False)
                    continue
                n_ok += 1
                for w in rep.document.warnings:
                    err.print(f"[yellow]warning[/yellow] {escape(printable(art.path or art.id or 'article'))}: "
                              f"{escape(printable(w))}", highlight=False, soft_wrap=True)
                if include_text:
                    rep = replace(rep, document=replace(rep.document, text=art.text))
                if out is not None:
                    out.write(art, rep, n_ok)
                elif fmt is Format.json:
                    sys.stdout.write(rep.to_json() + "\n")
                elif fmt is Format.jsonl:
                    sys.stdout.write(rep.to_json(indent=None) + "\n")
                else:
                    sys.stdout.write(printable(render_text(rep)) + "\n")
            sys.stdout.flush()
        except OSError as exc:  # disk full, read-only folder, closed pipe: nothing more can be written
            where = getattr(exc, "filename", None) or (output_dir or "standard output")
            err.print(f"[red]error[/red] {escape(str(where))}: cannot write: {exc.strerror or exc}; "
                      f"{n_ok} article(s) written before it", highlight=False)
            raise typer.Exit(3)
    if n_ok + n_failed == 0:
        err.print("[red]error[/red] no articles found in the given paths")
        raise typer.Exit(1)
    if out is not None and out.replaced:
        err.print(f"[yellow]warning[/yellow] replaced {out.replaced} file(s) in "
                  f"{escape(str(output_dir))} written by an earlier run", highlight=False)
    if n_ok + n_failed > 1 or n_failed:
        err.print(f"{n_ok} article(s) processed, {n_failed} failed", highlight=False)
    if n_failed:
        raise typer.Exit(1)


class _Writer:
    """DIR/<stem>.json per article, each written whole or not at all: a temporary file
    renamed into place (so a full disk leaves no empty file, and a symlink planted in the
    folder is replaced, never followed)."""

    def __init__(self, folder: Path, fmt: Format):
        self.folder, self.fmt = folder, fmt
        folder.mkdir(parents=True, exist_ok=True)
        self.written: set[str] = set()
        self.replaced = 0

    def write(self, art, rep: Report, n: int) -> None:
        name = _file_name(art.id or (Path(art.path).stem if art.path else f"article{n}"))
        while name in self.written:  # two inputs with one id never overwrite each other
            name += "_"
        self.written.add(name)
        target = self.folder / f"{name}.json"
        if target.is_symlink() or target.exists():
            self.replaced += 1
        tmp = self.folder / f".{name}.{os.getpid()}.tmp"
        try:
            with open(tmp, "x", encoding="utf-8") as fh:
                fh.write(rep.to_json())
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()


def escape(s: str) -> str:
    from rich.markup import escape as esc
    return esc(s)


class _progress:
    def __init__(self, show: bool, total: int | None = None):
        self.show, self.total = show, total

    def __enter__(self):
        if not self.show:
            return lambda: None
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeRemainingColumn)
        from rich.console import Console
        self.bar = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                            TimeRemainingColumn(), console=Console(stderr=True))
        self.bar.start()
        task = self.bar.add_task("extract", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc):
        if self.show:
            self.bar.stop()


#: a file name's stem at most, in bytes: file systems allow 255 bytes a name, and the
#: stem gets "_" suffixes and ".json" (an id of 90 CJK characters is 270 bytes)
STEM_BYTES = 200


def _file_name(key: str) -> str:
    """An article id as a safe file stem (ids from JSONL or WARC may hold '/' or ':')."""
    safe = re.sub(r"[^\w.-]+", "_", key).strip("._")
    raw = safe.encode("utf-8", "surrogatepass")
    if len(raw) > STEM_BYTES:
        digest = hashlib.sha1(raw).hexdigest()[:8]  # ids that share a long beginning stay apart
        safe = raw[:STEM_BYTES - 9].decode("utf-8", "ignore") + "_" + digest
    return safe.encode("utf-8", "replace").decode("utf-8") or "article"


#: characters never sent to a terminal as they are: C0/C1 controls (escape sequences that
#: move the cursor, retitle the window, hide text) and bidirectional overrides
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(s: str) -> str:
    """Text for a terminal: control characters shown as escapes (\\x1b), never obeyed."""
    return _CONTROL.sub(lambda m: _escape_char(ord(m.group())), s)


def _escape_char(c: int) -> str:
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def piece_texts(span) -> str:
    """A discontinuous span's own words, its pieces joined by an ellipsis."""
    if not span.pieces:
        return span.text
    return " … ".join(span.text[s - span.start:e - span.start] for s, e in span.pieces)


def byline(doc) -> list[str]:
    """The document's metadata lines: outlet, date and author; the URL; when it was fetched."""
    first = " · ".join(x for x in (doc.outlet, doc.published, f"by {doc.author}" if doc.author else None)
                       if x)
    out = [first] if first else []
    if doc.url:
        out.append(doc.url)
    if doc.fetched:
        out.append(f"fetched {doc.fetched}")
    out += [f"warning: {w}" for w in doc.warnings]
    return out


def render_text(rep: Report) -> str:
    """A readable listing: statements grouped by speaker, with the chain each came through."""
    doc = rep.document
    lines = [f"== {doc.title or doc.path or doc.id or 'article'}  "
             f"({len(rep.attributions)} attributions, {len(rep.entities)} entities, "
             f"{len(rep.embedded_posts)} embedded posts, {len(rep.figures)} figures)"]
    lines += byline(doc)
    groups: dict[str, list] = {}
    for a in rep.attributions:
        key = a.speaker.name if a.speaker else "(no named source)"
        groups.setdefault(key, []).append(a)
    ents = {e.id: e for e in rep.entities}
    for name, atts in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ent = ents.get(atts[0].speaker.entity) if atts[0].speaker else None
        extra = f" [{ent.type}]" if ent else ""
        if ent and ent.descriptors:
            extra += " — " + "; ".join(ent.descriptors[:3])
        lines.append("")
        lines.append(f"{name}{extra}")
        for a in atts:
            content = " ".join(piece_texts(a.content).split())
            if len(content) > 220:
                content = content[:217] + "..."
            cue = f" «{a.cue.text}»" if a.cue else ""
            src = f" source «{a.source.text}»" if a.source else ""
            lines.append(f"  [{a.kind}{cue}{src}, {a.confidence:.2f}] {content}")
            if a.via:
                lines.append("      via " + " <- ".join(f"{v.name} ({v.relation})" for v in a.via))
    if rep.embedded_posts:
        lines.append("")
        lines.append("Embedded posts")
        for p in rep.embedded_posts:
            lines.append(f"  {p.author or '?'} {p.handle or ''} {p.date or ''}: "
                         f"{' '.join(p.text.text.split())[:160]}")
    if rep.figures:
        lines.append("")
        lines.append("Figures")
        for f in rep.figures:
            lines.append(f"  {f.span.text!r} = {f.value}"
                         f"{' (' + f.qualifier + ')' if f.qualifier else ''}"
                         f"{' counts ' + f.counts if f.counts else ''}"
                         f"{' in ' + f.attribution if f.attribution else ''}")
    return "\n".join(lines)
