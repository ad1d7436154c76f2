"""Unnamed sources in a real corpus: "the company" in two articles is two different companies."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest_corpus import report_for
from sayso.corpus import Corpus, ingest_articles, ingest_reports
from sayso.model import Article
from sayso.reader import Reader

TEXTS = [
    ("acme", "Acme Corp cut 200 jobs on Monday. The company said demand had fallen. "
             "Prosecutors said the layoffs broke no law. A spokesman said talks would go on."),
    ("zenith", "Zenith Bank was fined on Friday. The company said it would appeal. "
               "Prosecutors said the fine was the largest this year. A spokesman said nothing more."),
]


def test_unnamed_sources_never_become_one_corpus_speaker(tmp_path: Path):
    db = tmp_path / "c.db"
    stats = ingest_articles(db, [Article(text=t, id=i, outlet="Wire") for i, t in TEXTS],
                            reader=Reader(model=None))
    assert stats.added == 2
    con = sqlite3.connect(db)
    # every statement was stored, the unnamed ones without a speaker
    sources = {s for (s,) in con.execute("SELECT source FROM attributions WHERE name_id IS NULL")}
    assert {"Prosecutors", "A spokesman"} <= sources
    with Corpus.open(db) as c:
        names = [s["name"].lower() for s in c.top_speakers(limit=50)["items"]]
    assert not {"company", "the company", "prosecutors", "spokesman", "a spokesman"} & set(names)
    # and no speaker gathers statements from both articles
    shared = con.execute("SELECT n.speaker_id FROM attributions a JOIN names n ON n.id = a.name_id "
                         "GROUP BY n.speaker_id HAVING COUNT(DISTINCT a.article_id) > 1").fetchall()
    assert shared == []


def test_reports_naming_a_description_as_speaker_store_it_unnamed(tmp_path: Path):
    """Reports made elsewhere (or by an older sayso) may carry "company" as a speaker name."""
    db = tmp_path / "c.db"
    arts = [Article(text=f"{t} The company said so.", id=i) for i, t in (("a", "One."), ("b", "Two."))]
    ingest_reports(db, [(a, report_for(a, "company", "said so", kind="indirect", etype="OTHER")) for a in arts])
    with Corpus.open(db) as c:
        assert c.top_speakers(limit=10)["items"] == []
