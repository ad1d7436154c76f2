"""The Parquet dataset `sayso run` writes, and `iter_reports` that reads it back.

Layout under the output folder, one file per partition in each table's folder::

    articles/part-00000.parquet      id, path, url, title, outlet, published, author, chars,
                                     text, report_json (the full Report, the source of truth)
    attributions/part-00000.parquet  article_id + one row per attribution, spans flattened
    entities/  posts/  figures/      article_id + one row per entity / embedded post / figure

Every table carries ``article_id`` so DuckDB or pandas can join them without sayso.
Files are written under a hidden temporary name and renamed into place, so a file that
exists is complete.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from sayso.errors import FormatError, InputError
from sayso.model import Article, Report, Span

_str, _int, _float = pa.string(), pa.int64(), pa.float64()
_span = pa.struct([("start", _int), ("end", _int), ("text", _str)])

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("id", _str), ("path", _str), ("url", _str), ("title", _str), ("outlet", _str),
        ("published", _str), ("author", _str), ("chars", _int), ("text", _str),
        ("report_json", _str)]),
    "attributions": pa.schema([
        ("article_id", _str), ("id", _str), ("kind", _str),
        ("content_start", _int), ("content_end", _int), ("content_text", _str),
        ("content_pieces", pa.list_(pa.list_(_int))),
        ("cue_start", _int), ("cue_end", _int), ("cue_text", _str),
        ("source_start", _int), ("source_end", _int), ("source_text", _str),
        ("speaker_entity", _str), ("speaker_name", _str),
        ("via", pa.list_(pa.struct([("entity", _str), ("name", _str), ("relation", _str)]))),
        ("confidence", _float), ("origin", _str)]),
    "entities": pa.schema([
        ("article_id", _str), ("id", _str), ("name", _str), ("type", _str),
        ("descriptors", pa.list_(_str)), ("mentions", pa.list_(_span))]),
    "posts": pa.schema([
        ("article_id", _str), ("id", _str), ("platform", _str), ("author", _str),
        ("handle", _str), ("date", _str), ("span_start", _int), ("span_end", _int),
        ("text_start", _int), ("text_end", _int), ("text", _str), ("attribution", _str)]),
    "figures": pa.schema([
        ("article_id", _str), ("id", _str), ("start", _int), ("end", _int), ("text", _str),
        ("value", _float), ("low", _float), ("high", _float), ("unit", _str),
        ("qualifier", _str), ("counts", _str), ("attribution", _str)]),
}
TABLES: tuple[str, ...] = tuple(SCHEMAS)


def report_rows(article: Article, report: Report) -> dict[str, list[dict[str, Any]]]:
    """One article's rows for every table."""
    aid = article.id
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    rows["articles"].append({
        "id": aid, "path": article.path, "url": article.url, "title": article.title,
        "outlet": article.outlet, "published": article.published, "author": article.author,
        "chars": len(article.text), "text": article.text,
        "report_json": report.to_json(indent=None)})
    for a in report.attributions:
        rows["attributions"].append({
            "article_id": aid, "id": a.id, "kind": a.kind,
            **_flat("content", a.content),
            "content_pieces": [list(p) for p in a.content.pieces] if a.content.pieces else None,
            **_flat("cue", a.cue), **_flat("source", a.source),
            "speaker_entity": a.speaker.entity if a.speaker else None,
            "speaker_name": a.speaker.name if a.speaker else None,
            "via": [v.to_dict() for v in a.via],
            "confidence": a.confidence, "origin": a.origin})
    for e in report.entities:
        rows["entities"].append({
            "article_id": aid, "id": e.id, "name": e.name, "type": e.type,
            "descriptors": list(e.descriptors),
            "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in e.mentions]})
    for p in report.embedded_posts:
        rows["posts"].append({
            "article_id": aid, "id": p.id, "platform": p.platform, "author": p.author,
            "handle": p.handle, "date": p.date, "span_start": p.span.start,
            "span_end": p.span.end, "text_start": p.text.start, "text_end": p.text.end,
            "text": p.text.text, "attribution": p.attribution})
    for f in report.figures:
        rows["figures"].append({
            "article_id": aid, "id": f.id, "start": f.span.start, "end": f.span.end,
            "text": f.span.text, "value": _num(f.value), "low": _num(f.low),
            "high": _num(f.high), "unit": f.unit, "qualifier": f.qualifier,
            "counts": f.counts, "attribution": f.attribution})
    return rows


def _flat(prefix: str, span: Span | None) -> dict[str, Any]:
    if span is None:
        return {f"{prefix}_start": None, f"{prefix}_end": None, f"{prefix}_text": None}
    return {f"{prefix}_start": span.start, f"{prefix}_end": span.end, f"{prefix}_text": span.text}


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


def table_path(out: str | Path, table: str, part: str) -> Path:
    return Path(out) / table / f"{part}.parquet"


def write_tables(out: str | Path, part: str, rows: dict[str, list[dict[str, Any]]]) -> int:
    """Write one partition's file in every table (atomically each); return the bytes written."""
    total = 0
    for table in TABLES:
        path = table_path(out, table, part)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            pq.write_table(pa.Table.from_pylist(rows.get(table, []), schema=SCHEMAS[table]),
                           tmp, compression="zstd")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        total += path.stat().st_size
    return total


def article_files(dataset: str | Path) -> list[Path]:
    """The articles table's files of a dataset, in partition order."""
    d = Path(dataset)
    if not d.is_dir():
        raise InputError("no such folder (write a dataset with `sayso run INPUTS --out DIR`)", str(d))
    folder = d / "articles"
    if not folder.is_dir():
        raise FormatError("is not a sayso Parquet dataset: it has no articles/ folder "
                          "(write one with `sayso run INPUTS --out DIR`)", str(d))
    return sorted(folder.glob("part-*.parquet"))


_ARTICLE_FIELDS = ("id", "path", "url", "title", "outlet", "published", "author", "text")


def iter_reports(dataset: str | Path, *, errors: bool = False
                 ) -> Iterator[tuple[Article, Report | FormatError]]:
    """Rebuild (Article, Report) pairs from a dataset written by `sayso run`, in partition order.

    Reads one record batch at a time, so a dataset larger than memory streams through.
    A row whose ``report_json`` is not a report raises FormatError; with ``errors`` it
    comes as (article, FormatError) in its place and reading goes on.
    """
    for path in article_files(dataset):
        try:
            pf = pq.ParquetFile(path)
            batches = pf.iter_batches(batch_size=256, columns=[*_ARTICLE_FIELDS, "report_json"])
            for batch in batches:
                for n, row in enumerate(batch.to_pylist()):
                    art = Article(**{k: row[k] for k in _ARTICLE_FIELDS})
                    try:
                        rep = Report.from_json(row["report_json"])
                    except (ValueError, TypeError, KeyError, AttributeError) as exc:
                        bad = FormatError(f"article {art.id!r}: report_json is not a sayso report "
                                          f"({type(exc).__name__}: {str(exc)[:200]})", str(path))
                        if not errors:
                            raise bad from None
                        yield art, bad
                        continue
                    yield art, rep
        except FormatError:
            raise
        except (pa.ArrowException, OSError, KeyError, ValueError) as exc:
            raise FormatError(f"cannot be read as a sayso articles table: {exc}", str(path)) from exc
