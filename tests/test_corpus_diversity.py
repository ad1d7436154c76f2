"""Source diversity: gender from the articles' own evidence, stored, rolled up per outlet and
month, and drawn as numbers the CLI prints; on a small corpus written for these tests."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sayso.corpus import Corpus, ingest_reports
from sayso.corpus import schema
from sayso.model import Article, Attribution, Entity, Report, Span, SpeakerRef

#: (id, outlet, published, [(speaker, type, gender, statement)]); each statement is its own sentence
STORIES = [
    ("l1", "Daily Ledger", "2024-03-04", [("Ann Lee", "PERSON", "female", "We will rebuild the bridge."),
                                          ("Ann Lee", "PERSON", "female", "The work starts in May."),
                                          ("Tom Okafor", "PERSON", "male", "The bakery lost half its trade.")]),
    ("p1", "Evening Post", "2024-03-20", [("Ann Lee", "PERSON", "unknown", "The budget is balanced."),
                                          ("Raj Patel", "PERSON", "unknown", "The city ignored warnings.")]),
    ("p2", "Evening Post", "2024-04-02", [("Tom Okafor", "PERSON", "male", "Trade is back."),
                                          ("City Council", "ORG", None, "The vote is on Monday.")]),
    ("w1", "Wire Service", "2024-04-03", [("Sam Reyes", "PERSON", "female", "Ferries resume on Friday.")]),
    ("w2", "Wire Service", "2024-04-09", [("Sam Reyes", "PERSON", "male", "The port is open.")]),
]


def story(sid: str, outlet: str, published: str, said: list) -> tuple[Article, Report]:
    text = " ".join(f"{name}: {words}" for name, _, _, words in said)
    art = Article(text=text, id=sid, outlet=outlet, published=published, url=f"https://x.example/{sid}")
    ents: dict[str, Entity] = {}
    atts = []
    pos = 0
    for i, (name, etype, gender, words) in enumerate(said, 1):
        s = text.index(f"{name}: {words}", pos)
        pos = s + len(name) + 2 + len(words)
        if name not in ents:
            ents[name] = Entity(f"e{len(ents) + 1}", name, etype,
                                mentions=(Span.of(text, s, s + len(name)),), gender=gender)
        e = ents[name]
        atts.append(Attribution(f"a{i}", "direct", Span.of(text, s + len(name) + 2, pos),
                                source=Span.of(text, s, s + len(name)), speaker=SpeakerRef(e.id, name),
                                confidence=0.9, origin="test"))
    return art, Report(document=art.document(), attributions=tuple(atts), entities=tuple(ents.values()))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    p = tmp_path / "c.db"
    assert ingest_reports(p, [story(*s) for s in STORIES]).added == len(STORIES)
    return p


def test_speakers_get_the_gender_their_articles_give(db: Path):
    with Corpus.open(db) as c:
        genders = {i["name"]: i["gender"] for i in c.top_speakers(limit=50)["items"]}
    # Ann Lee: female in one article, unknown in another -> female; articles that disagree -> unknown
    assert genders == {"Ann Lee": "female", "Tom Okafor": "male", "Raj Patel": "unknown",
                       "Sam Reyes": "unknown", "City Council": None}


def test_rollup_per_outlet(db: Path):
    with Corpus.open(db) as c:
        d = c.diversity(by="outlet")
    by = {i["key"]: i for i in d["items"]}
    assert set(by) == {"Daily Ledger", "Evening Post", "Wire Service"}  # persons only: no council row
    assert by["Daily Ledger"]["statements"] == {"female": 2, "male": 1, "unknown": 0, "total": 3}
    assert by["Daily Ledger"]["people"] == {"female": 1, "male": 1, "unknown": 0, "total": 2}
    assert by["Daily Ledger"]["women_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert by["Evening Post"]["statements"] == {"female": 1, "male": 1, "unknown": 1, "total": 3}
    assert by["Wire Service"]["women_share"] is None and by["Wire Service"]["unknown_share"] == 1.0
    # over all: Ann Lee and Tom Okafor are counted once as people, whatever the outlets
    assert d["total"]["statements"] == {"female": 3, "male": 2, "unknown": 3, "total": 8}
    assert d["total"]["people"] == {"female": 1, "male": 1, "unknown": 2, "total": 4}
    assert d["total"]["women_share"] == 0.6


def test_rollup_per_month_and_filters(db: Path):
    with Corpus.open(db) as c:
        months = c.diversity(by="month")
        assert [i["key"] for i in months["items"]] == ["2024-03", "2024-04"]
        march = months["items"][0]
        assert march["statements"] == {"female": 3, "male": 1, "unknown": 1, "total": 5}
        post = c.diversity(by="month", outlet="post")  # whole words, any case
        assert [i["statements"]["total"] for i in post["items"]] == [2, 1]
        april = c.diversity(by="outlet", since="2024-04")
        assert {i["key"] for i in april["items"]} == {"Evening Post", "Wire Service"}


def test_a_speaker_has_a_timeline(db: Path):
    with Corpus.open(db) as c:
        tom = c.speaker("Tom Okafor")
    assert tom["gender"] == "male"
    assert tom["timeline"] == [{"month": "2024-03", "statements": 1, "articles": 1},
                               {"month": "2024-04", "statements": 1, "articles": 1}]


def sayso(*args):
    exe = Path(sys.executable).with_name("sayso")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


def test_diversity_command_prints_table_json_and_csv(db: Path):
    res = sayso("diversity", "--db", str(db), "--by", "outlet")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    ledger = next(ln for ln in lines if ln.startswith("Daily Ledger"))
    assert ledger.split()[2:8] == ["3", "2", "1", "0", "66.7", "2"]
    js = json.loads(sayso("diversity", "--db", str(db), "--by", "month", "--format", "json").stdout)
    assert js["by"] == "month" and js["items"][1]["statements"] == {"female": 0, "male": 1, "unknown": 2, "total": 3}
    rows = list(csv.DictReader(io.StringIO(sayso("diversity", "--db", str(db), "--format", "csv").stdout)))
    post = next(r for r in rows if r["key"] == "Evening Post")
    assert (post["statements_female"], post["statements_total"], post["women_share"]) == ("1", "3", "0.5")
    bad = sayso("diversity", "--db", str(db), "--since", "20/11/2019")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_a_version_1_corpus_is_upgraded_with_genders(tmp_path: Path):
    """A corpus written before gender was stored gets it from the reports it kept."""
    p = tmp_path / "old.db"
    con = sqlite3.connect(p, isolation_level=None)
    for stmt in schema._statements(schema.MIGRATIONS[0]):
        con.execute(stmt)
    con.execute("INSERT INTO meta(key, value) VALUES ('app_id', ?)", (schema.APP_ID,))
    con.execute("PRAGMA user_version = 1")
    art, rep = story(*STORIES[0])
    con.execute("INSERT INTO articles(id, url, text_hash, title, outlet, published, author, path, chars, "
                "text, report, ingested_at) VALUES (?, ?, 'h', NULL, ?, ?, NULL, NULL, ?, ?, ?, 'now')",
                (art.id, art.url, art.outlet, art.published, len(art.text), art.text, rep.to_json()))
    con.execute("INSERT INTO entities(article_id, eid, name, type, descriptors) VALUES ('l1', 'e1', 'Ann Lee', "
                "'PERSON', '[]')")
    con.close()
    con = schema.connect(p)
    assert con.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert con.execute("SELECT gender FROM entities WHERE eid = 'e1'").fetchone()[0] == "female"
    con.close()


GENDER_TEXT = ('Mrs. Ann Lee, who chairs the harbor board, spoke on Tuesday. "We will rebuild the pier," '
               'Lee said.\n\nMr. Tom Okafor runs a bakery near the pier. "We lost half our trade," Okafor said.\n\n'
               'Maria Santos, the port director, arrived later. "The ferries will run again," she said.\n\n'
               '"Nobody warned us," Raj Patel said.')


def test_gender_from_honorifics_and_pronouns_and_unknown_without(reader):
    rep = reader.extract(GENDER_TEXT)
    by_name = {e.name: e.gender for e in rep.entities if e.type == "PERSON"}
    problems = []
    for name, want in (("Ann Lee", "female"), ("Tom Okafor", "male"), ("Maria Santos", "female"),
                       ("Raj Patel", "unknown")):
        got = next((g for n, g in by_name.items() if name in n), "missing")
        if got != want:
            problems.append(f"{name}: {got} (wanted {want})")
    assert not problems, f"{problems}; entities: {by_name}"
