"""The corpus when things go wrong (audit findings 7, 10, 11): runs creating one database at
once, a full disk, read-only files and folders, an empty file, bad Parquet rows, odd ids."""
from __future__ import annotations

import contextlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest_corpus import articles, report_for
from sayso.cli import app
from sayso.corpus import Corpus, ingest_reports, schema
from sayso.engine import iter_reports
from sayso.engine.parquet import SCHEMAS
from sayso.errors import CorpusError, FormatError

runner = CliRunner()
SAYSO = [sys.executable, "-m", "sayso.cli"]


SPEAKERS = {"ledger-1": ("Vladimir Putin", '"We will not allow anyone to threaten our borders,"'),
            "post-1": ("Putin", '"We will not allow anyone to threaten our borders,"'),
            "wire-1": ("Putin", '"We won\'t allow anyone to threaten our borders,"'),
            "ledger-2": ("Volodymyr Zelensky", '"Ukraine will rebuild every town that was destroyed,"'),
            "post-2": ("Volodymyr Zelenskyy", '"Ukraine will rebuild every town that was destroyed,"'),
            "ledger-3": ("Ann Lee", '"We will rebuild the bridge,"'),
            "post-3": ("Tom Lee", '"The budget is balanced for the first time in a decade,"')}


def pairs():
    return [(a, report_for(a, *SPEAKERS[a.id])) for a in articles()]


def test_runs_creating_one_new_database_at_once_all_succeed(tmp_path: Path):
    # before: one time in three "table meta already exists", locked, or SchemaError
    for round_ in range(12):
        db = tmp_path / f"new-{round_}.db"
        errors: list[BaseException] = []
        start = threading.Barrier(4)

        def open_it() -> None:
            start.wait()
            try:
                schema.connect(db, create=True).close()
            except BaseException as exc:  # noqa: BLE001 - every failure is the finding
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
        assert con.execute("SELECT COUNT(*) FROM meta WHERE key = 'app_id'").fetchone()[0] == 1
        con.close()


def test_a_read_query_never_writes_into_an_empty_file(tmp_path: Path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(CorpusError, match="is an empty file, not a corpus yet"):
        Corpus.open(empty)
    res = runner.invoke(app, ["speakers", "--db", str(empty)])
    assert res.exit_code == 3 and "empty file" in res.stderr
    assert empty.stat().st_size == 0


def test_a_full_disk_during_ingest_names_the_cause(tmp_path: Path):
    db = tmp_path / "c.db"
    ingest_reports(db, pairs()[:1])
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(
        '{"id": "big%d", "text": "\\"We will rebuild,\\" Mayor Ann Lee said. %d %s"}\n' % (i, i, "x " * 5_000)
        for i in range(12)))
    room = max(p.stat().st_size for p in tmp_path.glob("c.db*")) + 30_000

    def small_disk() -> None:  # no file may grow past what it holds now and 30 KB: the disk is full
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))

    res = subprocess.run([*SAYSO, "ingest", str(feed), "--db", str(db), "--no-model", "--batch-size", "2"],
                         capture_output=True, text=True, timeout=180, preexec_fn=small_disk)
    assert res.returncode == 3, res.stderr
    assert "cannot be written" in res.stderr and "full" in res.stderr, res.stderr
    assert "cannot rollback" not in res.stderr and "Traceback" not in res.stderr
    with Corpus.open(db) as c:  # what was stored before is intact
        assert c.stats()["articles"] >= 1


@contextlib.contextmanager
def read_only(path: Path):
    """A file or folder this process cannot write (as root, whom modes do not stop: the
    immutable attribute)."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
            pytest.skip("running as root without chattr +i: cannot make a read-only file")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)])
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def test_a_read_only_database_file_is_a_clear_error_on_ingest(tmp_path: Path):
    db = tmp_path / "c.db"
    ingest_reports(db, pairs()[:2])
    story = tmp_path / "a.txt"
    story.write_text('"We will win," Mayor Ann Lee said.')
    with read_only(db):
        res = runner.invoke(app, ["ingest", str(story), "--db", str(db), "--no-model"])
    assert res.exit_code == 3 and "make the file and its folder writable" in res.stderr
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_a_corpus_in_a_read_only_folder_can_still_be_queried(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "c.db"
    ingest_reports(db, pairs())
    with read_only(folder):
        res = runner.invoke(app, ["speakers", "--db", str(db)])
        with Corpus.open(db) as c:
            assert c.stats()["articles"] == len(articles())
    assert res.exit_code == 0, res.stderr
    assert "Ann Lee" in res.stdout and "not a sayso corpus" not in res.stderr


def test_from_parquet_stores_the_good_rows_and_reports_the_bad(tmp_path: Path):
    ds = tmp_path / "ds"
    (ds / "articles").mkdir(parents=True)
    rows = []
    for n, (art, rep) in enumerate(pairs()):
        bad = {1: "not json", 2: "[]", 3: '{"attributions": 7}'}.get(n)
        rows.append({"id": art.id, "path": None, "url": art.url, "title": art.title, "outlet": art.outlet,
                     "published": art.published, "author": None, "chars": len(art.text), "text": art.text,
                     "report_json": bad if bad is not None else rep.to_json(indent=None)})
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS["articles"]), ds / "articles" / "part-00000.parquet")
    with pytest.raises(FormatError, match="report_json is not a sayso report"):
        list(iter_reports(ds))  # a plain reader still stops, and says where
    res = runner.invoke(app, ["ingest", "--from-parquet", str(ds), "--db", str(tmp_path / "c.db")])
    assert res.exit_code == 1, res.stderr  # some failed, the rest stored
    assert f"{len(rows) - 3} added, 0 already stored, 3 failed" in res.stderr
    assert "AttributeError" in res.stderr or "report_json is not a sayso report" in res.stderr


def test_ids_past_sqlites_integers_and_like_wildcards_find_nothing(tmp_path: Path):
    db = tmp_path / "c.db"
    ingest_reports(db, pairs())
    huge = "99999999999999999999999"
    for args in (["speaker", huge], ["spread", huge], ["quotes", "--speaker", huge]):
        res = runner.invoke(app, [*args, "--db", str(db)])
        assert res.exception is None or isinstance(res.exception, SystemExit), (args, res.exception)
        assert res.exit_code in (0, 1), (args, res.stderr)
    with Corpus.open(db) as c:
        assert c.speaker("%Lee%") is None and c.speaker("_nn Lee") is None
        assert c.speaker("Ann Lee")["name"] == "Ann Lee"
        assert c.quotes(speaker=huge)["total"] == 0 and c.spread(huge) is None


def test_an_article_over_the_timeout_is_stored_as_failed_and_the_rest_go_on(tmp_path: Path):
    from sayso.corpus import ingest_articles
    from sayso.model import Article
    arts = [Article(text="The minister said the plan was sound. " * 800, id="long"),
            Article(text='"We will rebuild the bridge," Mayor Ann Lee said.', id="short")]
    stats = ingest_articles(tmp_path / "c.db", arts, model=None, timeout=0.3)
    assert (stats.added, stats.failed) == (1, 1)
    assert "long" in stats.errors[0] and "time limit" in stats.errors[0]


def test_terminal_escapes_in_stored_text_are_shown_not_obeyed(tmp_path: Path):
    from sayso.model import Article
    art = Article(text='"We will \x1b[2J\x1b]0;pwned\x07rebuild," Mayor Ann Lee said.', id="esc", outlet="Wire")
    content = '"We will \x1b[2J\x1b]0;pwned\x07rebuild,"'
    db = tmp_path / "c.db"
    ingest_reports(db, [(art, report_for(art, "Ann Lee", content))])
    for args in (["quotes"], ["speaker", "Ann Lee"], ["show", "esc"]):
        res = runner.invoke(app, [*args, "--db", str(db)])
        assert res.exit_code == 0, (args, res.stderr)
        assert "\x1b" not in res.stdout and "\x07" not in res.stdout, args
        assert "\\x1b[2J" in res.stdout, args


def test_an_article_that_kills_its_ingest_worker_is_stored_as_failed_and_the_rest_go_on(tmp_path: Path):
    from sayso.corpus import ingest_articles
    from sayso.engine.task import KillOn
    from sayso.model import Article
    arts = [Article(text=f'"We will rebuild the bridge," Mayor Ann Lee said. ({i})' + (" POISON" if i == 5 else ""),
                    id=f"s{i:02d}") for i in range(12)]
    db = tmp_path / "c.db"
    # the worker SIGKILLs itself on the poison, as the OOM killer would: before, a
    # BrokenProcessPool traceback ended the run and the chunks in flight were lost
    stats = ingest_articles(db, arts, workers=2, model=None, batch_size=3, article_fn=KillOn("POISON"))
    assert (stats.added, stats.failed) == (11, 1), stats.errors
    assert "s05" in stats.errors[0] and "killed its worker process" in stats.errors[0]
    with Corpus.open(db) as c:
        assert c.stats()["articles"] == 11 and c.stats()["errors"] == 1
    con = sqlite3.connect(db)
    ids = {r[0] for r in con.execute("SELECT id FROM articles")}
    con.close()
    assert ids == {f"s{i:02d}" for i in range(12) if i != 5}


def test_a_lone_surrogate_line_fails_alone_in_ingest(tmp_path: Path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "bad", "text": "\\ud800 broken, he said."}\n'
                    '{"id": "good", "text": "\\"We will rebuild,\\" Mayor Ann Lee said."}\n', encoding="utf-8")
    db = tmp_path / "c.db"
    res = runner.invoke(app, ["ingest", str(feed), "--db", str(db), "--no-model", "--no-progress"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code == 1, res.stderr  # before: a UnicodeEncodeError traceback, the good line lost too
    assert "1 added, 0 already stored, 1 failed" in res.stderr
    con = sqlite3.connect(db)
    assert [r[0] for r in con.execute("SELECT id FROM articles")] == ["good"]
    (msg,) = [r[0] for r in con.execute("SELECT message FROM errors")]
    con.close()
    assert "feed.jsonl:1" in msg and "lone surrogate" in msg
