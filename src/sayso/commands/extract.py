"""`sayso extract`: one article or many, to readable text, JSON or JSONL."""
from __future__ import annotations

import enum
import re
import sys
from pathlib import Path
from typing import List, Optional

import typer

from sayso.errors import SaysoError
from sayso.inputs import iter_inputs
from sayso.inputs.text import MAX_BYTES
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
                                         "(encoder, the default; crf) or a trained model folder."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only: faster, less accurate."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", help="Refuse articles larger than this."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bar on stderr (default: when many files)."),
) -> None:
    """Find every attribution in the articles: who said what, according to whom."""
    from rich.console import Console

    from sayso.reader import Reader

    err = Console(stderr=True)
    arts, failures = [], []
    for item in iter_inputs(paths, max_bytes=max_bytes):
        (failures if isinstance(item, SaysoError) else arts).append(item)
    for f in failures:
        err.print(f"[red]error[/red] {escape(str(f))}", highlight=False)
    if not arts:
        if not failures:
            err.print("[red]error[/red] no articles found in the given paths")
        raise typer.Exit(1)
    reader = Reader(model=None if no_model else (model or "default"))
    show = progress if progress is not None else len(arts) > 10
    if output_dir:
        output_dir.mkdir(parents=True, exist_ok=True)
    n_ok = 0
    written: set[str] = set()
    results = reader.pipe(arts)
    with _progress(show, len(arts)) as advance:
        for art, rep in results:
            advance()
            if isinstance(rep, SaysoError):
                failures.append(rep)
                err.print(f"[red]error[/red] {escape(str(rep))}", highlight=False)
                continue
            n_ok += 1
            if output_dir:
                name = _file_name(art.id or (Path(art.path).stem if art.path else f"article{n_ok}"))
                while name in written:  # two inputs with one id never overwrite each other
                    name += "_"
                written.add(name)
                (output_dir / f"{name}.json").write_text(rep.to_json(), encoding="utf-8")
            elif fmt is Format.json:
                sys.stdout.write(rep.to_json() + "\n")
            elif fmt is Format.jsonl:
                sys.stdout.write(rep.to_json(indent=None) + "\n")
            else:
                sys.stdout.write(render_text(rep) + "\n")
    if len(arts) + len(failures) > 1 or failures:
        err.print(f"{n_ok} article(s) processed, {len(failures)} failed", highlight=False)
    if failures:
        raise typer.Exit(1)


def escape(s: str) -> str:
    from rich.markup import escape as esc
    return esc(s)


class _progress:
    def __init__(self, show: bool, total: int):
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


def _file_name(key: str) -> str:
    """An article id as a safe file stem (ids from JSONL or WARC may hold '/' or ':')."""
    safe = re.sub(r"[^\w.-]+", "_", key).strip("._")
    return safe[:120] or "article"


def piece_texts(span) -> str:
    """A discontinuous span's own words, its pieces joined by an ellipsis."""
    if not span.pieces:
        return span.text
    return " … ".join(span.text[s - span.start:e - span.start] for s, e in span.pieces)


def render_text(rep: Report) -> str:
    """A readable listing: statements grouped by speaker, with the chain each came through."""
    doc = rep.document
    lines = [f"== {doc.title or doc.path or doc.id or 'article'}  "
             f"({len(rep.attributions)} attributions, {len(rep.entities)} entities, "
             f"{len(rep.embedded_posts)} embedded posts, {len(rep.figures)} figures)"]
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
