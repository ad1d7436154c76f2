"""Ingest end to end with real extraction: workers, errors, the CLI, and a SIGKILLed run resumed."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest_corpus import BRIDGE, articles, write_jsonl
from sayso.cli import app
from sayso.corpus import Corpus, ingest_articles
from sayso.errors import FormatError
from sayso.model import Article
from sayso.reader import Reader

SAYSO = [sys.executable, "-m", "sayso.cli"]


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(model=None)


def test_ingest_stores_reports_logs_failures_and_skips_on_rerun(tmp_path: Path, reader: Reader):
    db = tmp_path / "c.db"
    items = [*articles(), FormatError("is not valid JSON", "feed.jsonl:3"), Article(text="   ", id="blank")]
    stats = ingest_articles(db, items, reader=reader)
    assert (stats.added, stats.skipped, stats.failed) == (7, 0, 2)
    assert any("feed.jsonl:3" in e for e in stats.errors) and any("blank" in e for e in stats.errors)
    with Corpus.open(db) as c:
        assert c.stats()["articles"] == 7 and c.errors()["total"] == 2
        rep = c.article("ledger-3")["report"]
        assert rep["document"]["id"] == "ledger-3"
        assert any(a["content"]["text"].startswith('"We will rebuild the bridge,"') and
                   a["speaker"]["name"] == "Ann Lee" for a in rep["attributions"])
    again = ingest_articles(db, articles(), reader=reader)
    assert (again.added, again.skipped) == (0, 7)


@pytest.mark.slow
def test_two_workers_store_the_same_as_one(tmp_path: Path, reader: Reader):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    ingest_articles(one, articles(), reader=reader)
    stats = ingest_articles(two, articles(), workers=2, model=None, batch_size=2)
    assert stats.added == 7

    def content(p):
        con = sqlite3.connect(p)
        return sorted(con.execute("SELECT article_id, kind, content, content_start FROM attributions"))
    assert content(one) == content(two)


def test_cli_ingest_and_queries(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(folder / "feed.jsonl", articles()[:5])
    with (folder / "feed.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{broken\n")
    (folder / "bridge.html").write_text(
        f"<html><head><title>Bridge</title><meta property='og:site_name' content='Town Crier'></head>"
        f"<body><article><p>{BRIDGE}</p><p>The repairs are expected to take six weeks, the city "
        f"engineer told the council.</p></article></body></html>", encoding="utf-8")
    db = tmp_path / "c.db"
    run = CliRunner().invoke
    res = run(app, ["ingest", str(folder), "--db", str(db), "--no-model"])
    assert res.exit_code == 1, res.output  # one bad JSONL line: reported, the rest stored
    assert "feed.jsonl:6" in res.output and "6 added" in res.output
    res = run(app, ["speakers", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["total"] >= 2
    res = run(app, ["quotes", "--db", str(db), "--search", "borders", "--format", "json"])
    found = json.loads(res.stdout)
    assert found["total"] >= 2
    qid = found["items"][0]["id"]
    res = run(app, ["spread", qid, "--db", str(db)])
    assert res.exit_code == 0 and "Daily Ledger" in res.output
    res = run(app, ["show", "bridge", "--db", str(db), "--format", "json"])
    assert json.loads(res.stdout)["article"]["outlet"] == "Town Crier"
    res = run(app, ["show", "nope", "--db", str(db)])
    assert res.exit_code == 1
    res = run(app, ["export", "--db", str(db), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and {"quote_id", "speaker", "outlet", "text"} <= set(rows[0])
    out = tmp_path / "q.parquet"
    res = run(app, ["export", "--db", str(db), "--format", "parquet", "-o", str(out)])
    import pyarrow.parquet as pq
    assert res.exit_code == 0 and pq.read_table(out).num_rows == len(rows)
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    res = run(app, ["ingest", str(folder), "--db", str(foreign), "--no-model"])
    assert res.exit_code == 3 and "not a sayso corpus" in res.output
    res = run(app, ["speakers", "--db", str(tmp_path / "missing.db")])
    assert res.exit_code == 3


def _many(n: int) -> list[Article]:
    towns = ["Ashford", "Brookvale", "Carlow", "Dunmore", "Elmsworth", "Fairhaven"]
    return [Article(text=f'"We will reopen the {towns[i % 6]} library by spring {2000 + i}," '
                         f'Councillor Maria Santos said on Monday. The library in {towns[i % 6]} has '
                         f'been closed since a flood damaged {i + 3} rooms, officials said.',
                    id=f"n{i}", outlet=["Daily Ledger", "Evening Post"][i % 2],
                    published=f"2024-01-{1 + i % 28:02d}", url=f"https://news.example/n{i}")
            for i in range(n)]


def _articles_consistent(db: Path) -> set[str]:
    """Every stored article has all of its attributions (none half written); returns the ids."""
    con = sqlite3.connect(db)
    ids = set()
    for aid, rep in con.execute("SELECT id, report FROM articles"):
        n = con.execute("SELECT COUNT(*) FROM attributions WHERE article_id = ?", (aid,)).fetchone()[0]
        assert n == len(json.loads(rep)["attributions"])
        ids.add(aid)
    assert con.execute("SELECT COUNT(*) FROM attributions WHERE article_id NOT IN "
                       "(SELECT id FROM articles)").fetchone()[0] == 0
    con.close()
    return ids


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_equals_a_clean_run(tmp_path: Path):
    src = write_jsonl(tmp_path / "many.jsonl", _many(160))
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    args = ["ingest", str(src), "--no-model", "--batch-size", "4", "--no-progress"]
    subprocess.run([*SAYSO, *args, "--db", str(clean)], check=True, capture_output=True, timeout=300)
    proc = subprocess.Popen([*SAYSO, *args, "--db", str(killed)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if killed.exists():
            try:
                con = sqlite3.connect(f"file:{killed}?mode=ro", uri=True, timeout=1)
                stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                con.close()
            except sqlite3.Error:
                continue
            if stored >= 12:
                break
    assert proc.poll() is None, "the run ended before it could be killed; give it more articles"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _articles_consistent(killed)
    assert 12 <= len(partial) < 160
    res = subprocess.run([*SAYSO, *args, "--db", str(killed)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert f"{160 - len(partial)} added, {len(partial)} already stored" in res.stderr
    assert _articles_consistent(killed) == _articles_consistent(clean)

    def counts(p):
        con = sqlite3.connect(p)
        return [con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("articles", "attributions", "entities", "quote_sigs", "speakers")]
    assert counts(killed) == counts(clean)
