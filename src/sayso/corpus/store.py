"""Writing reports into the corpus tables, one batch per transaction.

A batch either lands whole or not at all, so a run killed at any moment leaves
only complete articles; the next run skips those (same URL or same text hash).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from typing import Any, Iterable

from sayso.corpus import match, schema
from sayso.corpus.speakers import is_named
from sayso.model import Article


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seen(con: sqlite3.Connection, art: Article) -> bool:
    """Whether the article is already stored (same URL, or same text)."""
    if art.url and con.execute("SELECT 1 FROM articles WHERE url = ? LIMIT 1", (art.url,)).fetchone():
        return True
    return con.execute("SELECT 1 FROM articles WHERE text_hash = ?",
                       (text_hash(art.text),)).fetchone() is not None


def write_batch(con: sqlite3.Connection, items: Iterable[tuple[Article, dict[str, Any]]],
                errors: Iterable[tuple[str | None, str | None, str]] = ()) -> list[str]:
    """Store (article, report dict) pairs and error rows in one transaction; return stored ids."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    stored: list[str] = []
    con.execute("BEGIN IMMEDIATE")
    try:
        for art, rep in items:
            if seen(con, art):
                continue
            stored.append(_write_one(con, art, rep, now))
        con.executemany("INSERT INTO errors(source, article_id, message, at) VALUES (?, ?, ?, ?)",
                        [(s, a, m, now) for s, a, m in errors])
        if stored:
            con.execute("INSERT INTO meta(key, value) VALUES ('speakers_dirty', '1') "
                        "ON CONFLICT(key) DO UPDATE SET value = '1'")
        con.execute("COMMIT")
    except BaseException:
        schema.rollback(con)
        raise
    return stored


def _unique_id(con: sqlite3.Connection, art: Article, h: str) -> str:
    base = art.id or h[:16]
    if con.execute("SELECT 1 FROM articles WHERE id = ?", (base,)).fetchone() is None:
        return base
    return f"{base}-{h[:8]}"


def _write_one(con: sqlite3.Connection, art: Article, rep: dict[str, Any], now: str) -> str:
    h = text_hash(art.text)
    aid = _unique_id(con, art, h)
    rep = {**rep, "document": {**rep.get("document", {}), "id": aid}}
    con.execute(
        "INSERT INTO articles(id, url, text_hash, title, outlet, published, author, path, chars, "
        "text, report, ingested_at, fetched) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (aid, art.url, h, art.title, art.outlet, art.published, art.author, art.path,
         len(art.text), art.text, json.dumps(rep, ensure_ascii=False, separators=(",", ":")), now,
         art.fetched or rep.get("document", {}).get("fetched")))
    ents = {e["id"]: e for e in rep.get("entities", [])}
    con.executemany("INSERT INTO entities(article_id, eid, name, type, descriptors, gender) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(aid, e["id"], e["name"], e["type"], json.dumps(e.get("descriptors", [])), e.get("gender"))
                     for e in ents.values()])
    con.executemany("INSERT INTO mentions(article_id, eid, start, end, text) VALUES (?, ?, ?, ?, ?)",
                    [(aid, e["id"], m["start"], m["end"], m.get("text", ""))
                     for e in ents.values() for m in e.get("mentions", [])])
    sigs = []
    for a in rep.get("attributions", []):
        sp = a.get("speaker") or None
        name_id = None
        if sp and sp.get("name"):
            etype = ents.get(sp.get("entity"), {}).get("type", "UNKNOWN") if sp.get("entity") else "UNKNOWN"
            if is_named(sp["name"], etype):
                name_id = _name_id(con, sp["name"], etype)
        content = a["content"]
        cur = con.execute(
            "INSERT INTO attributions(article_id, aid, kind, content, content_start, content_end, cue, "
            "source, speaker_eid, name_id, confidence, outlet, published) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (aid, a["id"], a["kind"], content.get("text", ""), content["start"], content["end"],
             (a.get("cue") or {}).get("text"), (a.get("source") or {}).get("text"),
             sp.get("entity") if sp else None, name_id, float(a.get("confidence", 0.5)),
             art.outlet, art.published))
        rowid = cur.lastrowid
        con.execute("INSERT INTO attributions_fts(rowid, content) VALUES (?, ?)",
                    (rowid, content.get("text", "")))
        con.executemany("INSERT INTO via(attribution_id, pos, entity, name, relation) VALUES (?, ?, ?, ?, ?)",
                        [(rowid, i, v.get("entity"), v["name"], v["relation"])
                         for i, v in enumerate(a.get("via", []))])
        norm = match.normalise(content.get("text", ""))
        if match.eligible(a["kind"], norm):
            sigs.append((rowid, norm, match.signature(norm)))
    con.executemany(
        "INSERT INTO posts(article_id, pid, platform, author, handle, date, text, start, end, attribution) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(aid, p["id"], p["platform"], p.get("author"), p.get("handle"), p.get("date"),
          p["text"].get("text", ""), p["span"]["start"], p["span"]["end"], p.get("attribution"))
         for p in rep.get("embedded_posts", [])])
    con.executemany(
        "INSERT INTO figures(article_id, fid, text, value, low, high, unit, qualifier, counts, "
        "attribution, start, end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(aid, f["id"], f["span"].get("text", ""), f.get("value"), f.get("low"), f.get("high"),
          f.get("unit"), f.get("qualifier"), f.get("counts"), f.get("attribution"),
          f["span"]["start"], f["span"]["end"]) for f in rep.get("figures", [])])
    match.add_quotes(con, sigs)
    return aid


def _name_id(con: sqlite3.Connection, name: str, etype: str) -> int:
    row = con.execute("SELECT id, type FROM names WHERE name = ?", (name,)).fetchone()
    if row:
        if row[1] == "UNKNOWN" and etype != "UNKNOWN":
            con.execute("UPDATE names SET type = ? WHERE id = ?", (etype, row[0]))
        return row[0]
    cur = con.execute("INSERT INTO names(name, type) VALUES (?, ?)", (name, etype))
    return cur.lastrowid


def rebuild_speakers(con: sqlite3.Connection) -> None:
    """Cluster every speaker name into corpus-level speakers and refresh their counts."""
    from sayso.corpus.speakers import NameRow, cluster

    con.execute("BEGIN IMMEDIATE")
    try:
        rows = [NameRow(i, n, t, q) for i, n, t, q in con.execute(
            "SELECT n.id, n.name, n.type, (SELECT COUNT(*) FROM attributions a WHERE a.name_id = n.id) "
            "FROM names n")]
        clusters = cluster(rows)
        by_id = {r.id: r for r in rows}
        members: dict[int, list[int]] = {}
        for nid, (root, _) in clusters.items():
            members.setdefault(root, []).append(nid)
        con.execute("DELETE FROM speakers")
        updates = []
        for root, ids in members.items():
            best = max(ids, key=lambda i: (_fullness(by_id[i]), by_id[i].quotes, -i))
            types = [by_id[i].type for i in ids if by_id[i].type != "UNKNOWN"]
            stype = max(set(types), key=types.count) if types else "UNKNOWN"
            con.execute("INSERT INTO speakers(id, name, type) VALUES (?, ?, ?)",
                        (root, by_id[best].name, stype))
            updates += [(root, clusters[i][1] or None, i) for i in ids]
        con.executemany("UPDATE names SET speaker_id = ?, reason = ? WHERE id = ?", updates)
        con.execute("""
            UPDATE speakers SET quotes = s.q, articles = s.a, outlets = s.o FROM (
                SELECT n.speaker_id AS sid, COUNT(*) AS q, COUNT(DISTINCT a.article_id) AS a,
                       COUNT(DISTINCT a.outlet) AS o
                FROM attributions a JOIN names n ON n.id = a.name_id GROUP BY n.speaker_id) AS s
            WHERE speakers.id = s.sid""")
        con.execute("DELETE FROM speaker_days")
        con.execute("""
            INSERT INTO speaker_days(speaker_id, outlet, published, quotes, articles)
            SELECT n.speaker_id, a.outlet, a.published, COUNT(*), COUNT(DISTINCT a.article_id)
            FROM attributions a JOIN names n ON n.id = a.name_id
            GROUP BY n.speaker_id, a.outlet, a.published""")
        from sayso.corpus.diversity import refresh_genders
        refresh_genders(con)
        con.execute("INSERT INTO meta(key, value) VALUES ('speakers_dirty', '0') "
                    "ON CONFLICT(key) DO UPDATE SET value = '0'")
        con.execute("COMMIT")
    except BaseException:
        schema.rollback(con)
        raise


def _fullness(r) -> int:
    from sayso.corpus.speakers import parse

    p = parse(r.name)
    if p is None:
        return 0
    titled = p.key != " ".join(r.name.casefold().split())
    return (2 if p.first else 1) * 2 - (1 if titled else 0)
