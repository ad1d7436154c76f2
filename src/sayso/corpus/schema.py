"""The corpus file: SQLite in WAL mode, versioned, refusing files that are not ours.

``PRAGMA user_version`` holds the schema version; the ``meta`` table holds an
app id so that a foreign SQLite file is refused instead of altered. Upgrades are
the ``MIGRATIONS`` list: step *n* takes a version *n* file to *n + 1*; a file of
a newer version than this code knows is refused (SchemaError), never touched.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sayso.errors import CorpusError, SchemaError

APP_ID = "sayso-corpus"

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    url TEXT, text_hash TEXT NOT NULL, title TEXT, outlet TEXT, published TEXT,
    author TEXT, path TEXT, chars INTEGER NOT NULL,
    text TEXT NOT NULL, report TEXT NOT NULL, ingested_at TEXT NOT NULL
);
CREATE UNIQUE INDEX articles_hash ON articles(text_hash);
CREATE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet, published);

CREATE TABLE entities (
    article_id TEXT NOT NULL REFERENCES articles(id), eid TEXT NOT NULL,
    name TEXT NOT NULL, type TEXT NOT NULL, descriptors TEXT NOT NULL,
    PRIMARY KEY (article_id, eid)
) WITHOUT ROWID;

CREATE TABLE mentions (
    article_id TEXT NOT NULL, eid TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions(article_id, eid);

-- one row per distinct speaker name as written; speaker_id is the corpus-level person
CREATE TABLE names (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
    speaker_id INTEGER, reason TEXT
);
CREATE INDEX names_speaker ON names(speaker_id);

CREATE TABLE speakers (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL,
    quotes INTEGER NOT NULL DEFAULT 0, articles INTEGER NOT NULL DEFAULT 0,
    outlets INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX speakers_rank ON speakers(quotes DESC, id);
CREATE INDEX speakers_name ON speakers(name COLLATE NOCASE);

-- outlet and published are copied from the article so that filters need no join
CREATE TABLE attributions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id), aid TEXT NOT NULL,
    kind TEXT NOT NULL, content TEXT NOT NULL, content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL, cue TEXT, source TEXT, speaker_eid TEXT,
    name_id INTEGER REFERENCES names(id), confidence REAL NOT NULL,
    outlet TEXT, published TEXT, group_id INTEGER,
    UNIQUE (article_id, aid)
);
-- each index ends in the rowid, so "ORDER BY published DESC, id DESC" reads them in order
CREATE INDEX attributions_name ON attributions(name_id, published);
CREATE INDEX attributions_outlet ON attributions(outlet, published);
CREATE INDEX attributions_published ON attributions(published);
CREATE INDEX attributions_group ON attributions(group_id);

-- quotes per speaker, outlet and day: "who is quoted most" with filters reads this, not every quote
CREATE TABLE speaker_days (
    speaker_id INTEGER NOT NULL, outlet TEXT, published TEXT,
    quotes INTEGER NOT NULL, articles INTEGER NOT NULL
);
CREATE INDEX speaker_days_published ON speaker_days(published);
CREATE INDEX speaker_days_outlet ON speaker_days(outlet, published);

CREATE TABLE via (
    attribution_id INTEGER NOT NULL REFERENCES attributions(id), pos INTEGER NOT NULL,
    entity TEXT, name TEXT NOT NULL, relation TEXT NOT NULL,
    PRIMARY KEY (attribution_id, pos)
) WITHOUT ROWID;

CREATE TABLE posts (
    article_id TEXT NOT NULL, pid TEXT NOT NULL, platform TEXT NOT NULL, author TEXT,
    handle TEXT, date TEXT, text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    attribution TEXT, PRIMARY KEY (article_id, pid)
) WITHOUT ROWID;

CREATE TABLE figures (
    article_id TEXT NOT NULL, fid TEXT NOT NULL, text TEXT NOT NULL, value REAL,
    low REAL, high REAL, unit TEXT, qualifier TEXT, counts TEXT, attribution TEXT,
    start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY (article_id, fid)
) WITHOUT ROWID;

CREATE TABLE errors (
    id INTEGER PRIMARY KEY, source TEXT, article_id TEXT, message TEXT NOT NULL, at TEXT NOT NULL
);

-- near-duplicate quotes: MinHash signature per quote, LSH band keys to find candidates
CREATE TABLE quote_sigs (
    attribution_id INTEGER PRIMARY KEY, norm TEXT NOT NULL, norm_key INTEGER NOT NULL, sig BLOB
);
CREATE INDEX quote_sigs_norm ON quote_sigs(norm_key);
CREATE TABLE quote_bands (
    band INTEGER NOT NULL, key INTEGER NOT NULL, attribution_id INTEGER NOT NULL,
    PRIMARY KEY (band, key, attribution_id)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE attributions_fts USING fts5(
    content, content='attributions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
"""

# version 2: each person's gender as their articles give it (entities.gender, from the report;
# speakers.gender, refreshed with the speakers), and a page's capture time apart from its date
_V2 = """
ALTER TABLE entities ADD COLUMN gender TEXT;
ALTER TABLE speakers ADD COLUMN gender TEXT;
ALTER TABLE articles ADD COLUMN fetched TEXT;
UPDATE entities SET gender = (
    SELECT json_extract(j.value, '$.gender') FROM articles ar, json_each(ar.report, '$.entities') j
    WHERE ar.id = entities.article_id AND json_extract(j.value, '$.id') = entities.eid);
UPDATE articles SET fetched = json_extract(report, '$.document.fetched');
INSERT INTO meta(key, value) VALUES ('speakers_dirty', '1') ON CONFLICT(key) DO UPDATE SET value = '1';
"""

#: step n upgrades a version-n file to n + 1; version 0 is an empty new file
MIGRATIONS: list[str] = [_V1, _V2]
VERSION = len(MIGRATIONS)


def connect(path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """Open (or create) a corpus file, check it is ours and bring its schema up to date.

    Without ``create`` nothing is ever written to a file that is not yet a corpus (an
    empty file stays empty). Creation is one transaction that re-reads the file under
    the write lock, so two runs creating one new database at once make it once.
    """
    p = Path(path)
    if not p.exists() and not create:
        raise CorpusError(f"{p}: no such corpus database (create one with `sayso ingest PATH --db {p}`)")
    if p.exists() and p.is_dir():
        raise CorpusError(f"{p}: is a folder, not a corpus database file")
    try:
        con = sqlite3.connect(str(p), timeout=30, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise CorpusError(f"{p}: cannot be opened: {exc} (is its folder missing or not writable?)") from None
    try:
        try:
            con.execute("PRAGMA schema_version").fetchone()  # fails on a file that is not SQLite
        except sqlite3.OperationalError as exc:
            # a folder that cannot be written holds no WAL index: read the file as it is
            con.close()
            con = _read_only(p, create, exc)
        except sqlite3.DatabaseError as exc:
            raise SchemaError(f"{p}: is not a sayso corpus database (not SQLite: {exc})") from None
        _check_and_migrate(con, p, create)
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute("PRAGMA cache_size = -65536")
        con.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        con.close()
        raise
    return con


def _read_only(p: Path, create: bool, why: Exception) -> sqlite3.Connection:
    """The corpus opened read-only and immutable (no WAL index, no locks): for a file in a
    folder this process cannot write. Ingest still needs a writable one."""
    if create:
        raise CorpusError(f"{p}: cannot be opened for writing: {why}; make the file and its "
                          f"folder writable") from None
    try:
        con = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro&immutable=1", uri=True, timeout=30,
                              isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA schema_version").fetchone()
        return con
    except sqlite3.OperationalError as exc:
        raise CorpusError(f"{p}: cannot be read: {exc}; check that the file and its folder can "
                          f"be read") from None
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"{p}: is not a sayso corpus database (not SQLite: {exc})") from None


def _state(con: sqlite3.Connection) -> tuple[int, set[str]]:
    version = con.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return version, tables


def _check(con: sqlite3.Connection, p: Path, version: int, tables: set[str], create: bool) -> None:
    if version == 0 and tables:
        raise SchemaError(f"{p}: is not a sayso corpus database (an SQLite file with other tables: "
                          f"{', '.join(sorted(tables)[:5])}); pass another --db")
    if version == 0 and not create:
        raise CorpusError(f"{p}: is an empty file, not a corpus yet (create one with "
                          f"`sayso ingest PATH --db {p}`)")
    if version > 0:
        app = None
        if "meta" in tables:
            row = con.execute("SELECT value FROM meta WHERE key = 'app_id'").fetchone()
            app = row[0] if row else None
        if app != APP_ID:
            raise SchemaError(f"{p}: is not a sayso corpus database (user_version {version} but no "
                              f"sayso app id); pass another --db")
        if version > VERSION:
            raise SchemaError(f"{p}: was written by a newer sayso (schema {version}, this one knows "
                              f"up to {VERSION}); upgrade sayso to read it")


def _check_and_migrate(con: sqlite3.Connection, p: Path, create: bool = True) -> None:
    con.execute("BEGIN")  # one snapshot: another run may be creating this file right now
    try:
        version, tables = _state(con)
    finally:
        con.execute("COMMIT")
    _check(con, p, version, tables, create)
    if version >= VERSION:
        _wal(con)
        return
    if not tables:
        _wal(con)  # before the first table: a new file's journal mode, set once
    con.execute("BEGIN IMMEDIATE")
    try:
        version, tables = _state(con)  # again, under the write lock: it may have been made meanwhile
        _check(con, p, version, tables, create)
        for step in range(version, VERSION):
            for stmt in _statements(MIGRATIONS[step]):
                con.execute(stmt)
        if version == 0:
            con.execute("INSERT INTO meta(key, value) VALUES ('app_id', ?)", (APP_ID,))
        con.execute(f"PRAGMA user_version = {VERSION}")
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise


def _wal(con: sqlite3.Connection) -> None:
    """WAL mode (readers never block the writer); a busy or read-only file keeps its mode."""
    try:
        con.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass


def rollback(con: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open: SQLite ends one itself on a full disk, and a
    second ROLLBACK would hide the real error behind "no transaction is active"."""
    if con.in_transaction:
        try:
            con.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements (executescript would commit the open transaction)."""
    out, buf = [], ""
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out
