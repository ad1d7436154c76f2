"""docs/engine.md's DuckDB query runs as written on a dataset `sayso run` wrote."""
import re
from pathlib import Path

import duckdb

from sayso.engine import run_articles
from sayso.model import Article

DOC = Path(__file__).resolve().parents[1] / "docs" / "engine.md"

STORIES = [
    '"We will rebuild the bridge," Mayor Ann Lee said on Tuesday.',
    '"The bridge will reopen in May," Mayor Ann Lee told reporters on Friday.',
    '"Traffic is already lighter," said Tom Hart, a taxi driver.',
]


def test_the_documented_duckdb_query_runs(tmp_path, monkeypatch):
    arts = [Article(text=t, id=f"d{i}", outlet=["Gazette", "Courier", "Gazette"][i])
            for i, t in enumerate(STORIES)]
    stats = run_articles(arts, tmp_path / "out", model=None, partition_size=2)
    assert stats.ok
    (sql,) = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    monkeypatch.chdir(tmp_path)  # the query names out/ relative to where it runs
    rows = duckdb.connect().execute(sql).fetchall()
    assert rows, "the query returns the speakers"
    top = rows[0]
    assert top[0] == "Ann Lee" and top[1:] == (2, 2, 2)
