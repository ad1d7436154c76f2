"""Export the corpus: quotes (one row per attribution) as JSONL, CSV or Parquet; reports as JSONL."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Iterator

COLUMNS = ["quote_id", "article_id", "kind", "text", "speaker", "speaker_id", "speaker_name", "cue",
           "source", "outlet", "published", "title", "url", "group_id", "confidence"]


def quote_rows(corpus) -> Iterator[dict]:
    sql = """SELECT a.id, a.article_id, a.kind, a.content, s.name, n.speaker_id, n.name, a.cue, a.source,
                    a.outlet, a.published, ar.title, ar.url, a.group_id, a.confidence
             FROM attributions a LEFT JOIN names n ON n.id = a.name_id
             LEFT JOIN speakers s ON s.id = n.speaker_id JOIN articles ar ON ar.id = a.article_id
             ORDER BY a.id"""
    for r in corpus.con.execute(sql):
        d = dict(zip(COLUMNS, tuple(r)))
        d["quote_id"] = str(d["quote_id"])
        d["group_id"] = str(d["group_id"]) if d["group_id"] is not None else None
        yield d


def export(corpus, fmt: str, output: Path | None, *, what: str = "quotes") -> int:
    """Write the export; returns the number of rows."""
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq
        rows = list(quote_rows(corpus))
        table = pa.Table.from_pylist(rows, schema=pa.schema(
            [(c, pa.float64() if c == "confidence" else pa.int64() if c == "speaker_id" else pa.string())
             for c in COLUMNS]))
        pq.write_table(table, str(output))
        return len(rows)
    fh = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    n = 0
    try:
        if what == "reports":
            for (rep,) in corpus.con.execute("SELECT report FROM articles ORDER BY rowid"):
                fh.write(rep + "\n")
                n += 1
        elif fmt == "jsonl":
            for d in quote_rows(corpus):
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
                n += 1
        else:
            w = csv.DictWriter(fh, fieldnames=COLUMNS)
            w.writeheader()
            for d in quote_rows(corpus):
                w.writerow(d)
                n += 1
    finally:
        if output:
            fh.close()
    return n
