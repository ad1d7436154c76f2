"""The corpus database: storage, idempotence, refusal of foreign files, queries, statement groups."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest_corpus import articles, report_for
from sayso.corpus import Corpus, ingest_reports
from sayso.corpus import schema
from sayso.errors import CorpusError, SchemaError
from sayso.model import Article


def _pairs():
    arts = {a.id: a for a in articles()}
    spec = {
        "ledger-1": ("Vladimir Putin", '"We will not allow anyone to threaten our borders,"'),
        "post-1": ("Putin", '"We will not allow anyone to threaten our borders,"'),
        "wire-1": ("Putin", '"We won\'t allow anyone to threaten our borders,"'),
        "ledger-2": ("Volodymyr Zelensky", '"Ukraine will rebuild every town that was destroyed,"'),
        "post-2": ("Volodymyr Zelenskyy", '"Ukraine will rebuild every town that was destroyed,"'),
        "ledger-3": ("Ann Lee", '"We will rebuild the bridge,"'),
        "post-3": ("Tom Lee", '"The budget is balanced for the first time in a decade,"'),
    }
    return [(arts[k], report_for(arts[k], *v)) for k, v in spec.items()]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    p = tmp_path / "c.db"
    stats = ingest_reports(p, _pairs())
    assert (stats.added, stats.skipped, stats.failed) == (7, 0, 0)
    return p


def test_tables_hold_every_part_of_the_report(db: Path):
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert con.execute("SELECT value FROM meta WHERE key='app_id'").fetchone()[0] == schema.APP_ID
    counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("articles", "attributions", "entities", "mentions", "via")}
    assert counts == {"articles": 7, "attributions": 7, "entities": 7, "mentions": 7, "via": 7}
    # offsets stay true: the stored content is the article text at the stored offsets
    for text, s, e, content in con.execute(
            "SELECT ar.text, a.content_start, a.content_end, a.content FROM attributions a "
            "JOIN articles ar ON ar.id = a.article_id"):
        assert text[s:e] == content


def test_reingest_is_idempotent_on_url_and_text(db: Path):
    stats = ingest_reports(db, _pairs())
    assert (stats.added, stats.skipped) == (0, 7)
    # same text under another URL, and same URL with other text, are both already stored
    a = articles()[0]
    again = [(Article(text=a.text, id="copy", url="https://elsewhere.example/x"), report_for(a, "Putin", "Putin")),
             (Article(text="Entirely new text of a story.", id="n", url=a.url),
              report_for(Article(text="Entirely new text of a story by Lee."), "Lee", "Lee"))]
    stats = ingest_reports(db, again)
    assert (stats.added, stats.skipped) == (0, 2)
    with Corpus.open(db) as c:
        assert c.stats()["articles"] == 7


def test_foreign_and_newer_files_are_refused_untouched(tmp_path: Path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x)")
    con.execute("INSERT INTO notes VALUES (1)")
    con.commit()
    con.close()
    before = other.read_bytes()
    with pytest.raises(SchemaError, match="not a sayso corpus"):
        Corpus.open(other)
    with pytest.raises(SchemaError):
        ingest_reports(other, _pairs())
    assert other.read_bytes() == before
    text = tmp_path / "notes.db"
    text.write_text("just some text, not SQLite at all" * 10)
    with pytest.raises(SchemaError, match="not a sayso corpus"):
        Corpus.open(text)
    with pytest.raises(CorpusError, match="no such corpus"):
        Corpus.open(tmp_path / "missing.db")


def test_newer_schema_is_refused(db: Path):
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(SchemaError, match="newer sayso"):
        Corpus.open(db)


def test_speakers_merge_variants_and_keep_namesakes_apart(db: Path):
    with Corpus.open(db) as c:
        top = c.top_speakers()
        names = {i["name"]: i for i in top["items"]}
        assert names["Vladimir Putin"]["quotes"] == 3 and names["Vladimir Putin"]["outlets"] == 3
        assert names["Volodymyr Zelensky"]["quotes"] == 2
        assert "Ann Lee" in names and "Tom Lee" in names  # same surname, different people
        assert top["total"] == 4
        sp = c.speaker("Putin")
        assert sp["name"] == "Vladimir Putin" and sorted(sp["variants"]) == ["Putin", "Vladimir Putin"]
        assert "surname alone" in sp["merge_reasons"][0]["reason"]
        assert sp["quotes"]["total"] == 3
        z = c.speaker("Zelenskyy")
        assert sorted(z["variants"]) == ["Volodymyr Zelensky", "Volodymyr Zelenskyy"]
        assert "spelling variant" in z["merge_reasons"][0]["reason"]
        assert c.speaker("Nobody Atall") is None
        daily = c.top_speakers(outlet="Daily Ledger")
        assert {i["name"] for i in daily["items"]} == {"Vladimir Putin", "Volodymyr Zelensky", "Ann Lee"}
        assert c.top_speakers(since="2024-04-02")["total"] == 3
        page = c.top_speakers(limit=1, offset=1)
        assert page["total"] == 4 and len(page["items"]) == 1


def test_quotes_filters_and_search(db: Path):
    with Corpus.open(db) as c:
        allq = c.quotes()
        assert allq["total"] == 7
        assert [q["published"] for q in allq["items"]] == sorted([q["published"] for q in allq["items"]],
                                                                 reverse=True)
        assert c.quotes(speaker="Vladimir Putin")["total"] == 3
        assert c.quotes(outlet="Evening Post")["total"] == 3
        assert c.quotes(since="2024-04-01")["total"] == 4
        found = c.quotes(search="borders")
        assert found["total"] == 3 and all("borders" in q["text"] for q in found["items"])
        assert c.quotes(search="rebuild", outlet="Daily Ledger")["total"] == 2
        item = found["items"][0]
        assert set(item) >= {"id", "article_id", "text", "kind", "speaker", "speaker_id", "outlet",
                             "published", "title", "cue", "source", "group_id"}
        assert isinstance(item["id"], str) and isinstance(item["article_id"], str)
        json.dumps(allq)  # plain JSON-able


def test_spread_groups_the_statement_and_marks_altered_wording(db: Path):
    with Corpus.open(db) as c:
        q = c.quotes(outlet="Daily Ledger", search="borders")["items"][0]
        sp = c.spread(q["id"])
        assert sp["group_id"] is not None
        outlets = sorted(m["outlet"] for m in sp["members"])
        assert outlets == ["Daily Ledger", "Evening Post", "Wire Service"]
        marks = {m["outlet"]: m["same_wording"] for m in sp["members"]}
        assert marks == {"Daily Ledger": True, "Evening Post": True, "Wire Service": False}
        # the bridge quote stands alone, and is not mixed up with the Zelensky "rebuild" quote
        bridge = c.quotes(search="bridge")["items"][0]
        assert [m["article_id"] for m in c.spread(bridge["id"])["members"]] == ["ledger-3"]
        assert c.spread("999999") is None and c.spread("nope") is None


def test_article_returns_metadata_text_and_report(db: Path):
    with Corpus.open(db) as c:
        got = c.article("ledger-3")
        assert got["article"]["outlet"] == "Daily Ledger"
        assert got["article"]["text"].startswith('"We will rebuild the bridge,"')
        assert got["report"]["attributions"][0]["speaker"]["name"] == "Ann Lee"
        assert c.article("missing") is None
