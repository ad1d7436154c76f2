"""Corpus: read-side queries returning plain JSON-able dicts (for the CLI and the web app).

Every list query takes ``limit`` and ``offset`` and returns ``{"total", "items"}``.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from sayso.corpus import diversity, match, schema, store
from sayso.errors import AmbiguousSpeaker, QueryError

_QUOTE_COLS = """a.id, a.article_id, a.content, a.kind, a.cue, a.source, a.group_id,
    n.name AS speaker_name, n.speaker_id, s.name AS speaker, a.outlet, a.published, ar.title"""
_QUOTE_FROM = """attributions a LEFT JOIN names n ON n.id = a.name_id
    LEFT JOIN speakers s ON s.id = n.speaker_id JOIN articles ar ON ar.id = a.article_id"""


class Corpus:
    """An open corpus database; use ``Corpus.open(path)``."""

    def __init__(self, con: sqlite3.Connection, path: Path):
        self.con, self.path = con, path
        con.row_factory = sqlite3.Row

    @classmethod
    def open(cls, path: str | Path) -> "Corpus":
        """Open a corpus; SchemaError for a file that is not sayso's or is newer, CorpusError if missing."""
        p = Path(path)
        con = schema.connect(p)
        dirty = con.execute("SELECT value FROM meta WHERE key = 'speakers_dirty'").fetchone()
        if dirty and dirty[0] == "1":  # a run was cut short before speakers were merged
            try:
                store.rebuild_speakers(con)
            except sqlite3.OperationalError:  # read-only or busy: serve what is there
                pass
        return cls(con, p)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- speakers -------------------------------------------------------------
    def top_speakers(self, outlet: str | None = None, since: str | None = None,
                     limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Who is quoted most (optionally in one outlet, or since a date)."""
        if outlet is None and since is None:
            total = self.con.execute("SELECT COUNT(*) FROM speakers WHERE quotes > 0").fetchone()[0]
            rows = self.con.execute(
                "SELECT id, name, type, gender, quotes, articles, outlets FROM speakers WHERE quotes > 0 "
                "ORDER BY quotes DESC, id LIMIT ? OFFSET ?", (limit, offset)).fetchall()
            return {"total": total, "items": [dict(r) for r in rows]}
        where, args = _outlet_since(outlet, since, con=self.con)
        # an article has one outlet and one date, so summing per-day article counts is exact
        sql = f"""SELECT speaker_id AS id, SUM(quotes) AS quotes, SUM(articles) AS articles,
                  COUNT(DISTINCT outlet) AS outlets FROM speaker_days
                  WHERE {' AND '.join(where)} GROUP BY speaker_id"""
        total = self.con.execute(f"SELECT COUNT(*) FROM ({sql})", args).fetchone()[0]
        rows = self.con.execute(
            f"SELECT t.id, s.name, s.type, s.gender, t.quotes, t.articles, t.outlets FROM ({sql}) t "
            f"JOIN speakers s ON s.id = t.id ORDER BY t.quotes DESC, t.id LIMIT ? OFFSET ?",
            (*args, limit, offset)).fetchall()
        return {"total": total, "items": [dict(r) for r in rows]}

    def _speaker_id(self, key: str | int) -> int | None:
        """The one speaker a name or id means; AmbiguousSpeaker when it fits several people.

        An id (``12`` or ``#12``) is taken as it is. A full name that some speaker carries
        exactly is that speaker. A surname alone ("Trump") means every speaker of that
        surname (or a spelling of it): one, or a list of candidates to choose from.
        """
        k = str(key).strip()
        kid = k.lstrip("#")
        if _sql_int(kid) is not None and \
                self.con.execute("SELECT 1 FROM speakers WHERE id = ?", (int(kid),)).fetchone():
            return int(kid)
        exact = [r[0] for r in self.con.execute(
            "SELECT speaker_id FROM names WHERE name = ? COLLATE NOCASE AND speaker_id IS NOT NULL "
            "UNION SELECT id FROM speakers WHERE name = ? COLLATE NOCASE", (k, k))]
        if any(ch in k for ch in "%_*?"):
            return self._one(k, exact)  # a pattern, not a name: only the exact name above
        from sayso.corpus.speakers import parse, spelling_variant
        p = parse(k)
        if p is None or (p.first is not None and exact):
            return self._one(k, exact)
        rows = self.con.execute(
            "SELECT n.speaker_id, n.name FROM names n JOIN speakers s ON s.id = n.speaker_id "
            "WHERE n.name LIKE ? ESCAPE '\\' AND s.quotes > 0", (f"%{_like(p.last[:4])}%",)).fetchall()
        fits = list(exact)
        for r in rows:  # same surname (or a spelling of it), and the first name if one was given
            q = parse(r["name"])
            if q is not None and spelling_variant(q.last, p.last) and (p.first is None or q.first == p.first):
                fits.append(r["speaker_id"])
        return self._one(k, fits)

    def _one(self, key: str, ids: list[int]) -> int | None:
        ids = list(dict.fromkeys(ids))
        if len(ids) <= 1:
            return ids[0] if ids else None
        marks = ",".join("?" * len(ids))
        cands = [dict(r) for r in self.con.execute(
            f"SELECT id, name, type, quotes FROM speakers WHERE id IN ({marks}) ORDER BY quotes DESC, id",
            ids)]
        raise AmbiguousSpeaker(key, cands)

    def speaker(self, key: str | int, limit: int = 50, offset: int = 0) -> dict[str, Any] | None:
        """One corpus-level speaker: the name variants merged, why, and their quotes."""
        sid = self._speaker_id(key)
        if sid is None:
            return None
        sp = self.con.execute("SELECT id, name, type, gender, quotes, articles, outlets FROM speakers "
                              "WHERE id = ?", (sid,)).fetchone()
        names = self.con.execute(
            "SELECT n.name, n.reason, (SELECT COUNT(*) FROM attributions a WHERE a.name_id = n.id) AS q "
            "FROM names n WHERE n.speaker_id = ? ORDER BY q DESC, n.id", (sid,)).fetchall()
        out = dict(sp)
        out["variants"] = [r["name"] for r in names]
        out["merge_reasons"] = [{"name": r["name"], "quotes": r["q"], "reason": r["reason"]}
                                for r in names if r["reason"]]
        out["quotes"] = self.quotes(speaker=sid, limit=limit, offset=offset)
        out["timeline"] = diversity.timeline(self.con, sid)
        return out

    # -- source diversity ---------------------------------------------------------
    def diversity(self, by: str = "outlet", outlet: str | None = None,
                  since: str | None = None) -> dict[str, Any]:
        """Statements and distinct people by gender per outlet or per month (see corpus.diversity)."""
        if by not in diversity.BY:
            raise QueryError(f"--by {by!r}: group by one of {', '.join(diversity.BY)}")
        where, args = _outlet_since(outlet, since, "sd.", con=self.con)
        return diversity.rollup(self.con, by, where=where, args=args)

    # -- quotes ---------------------------------------------------------------
    def quotes(self, speaker: str | int | None = None, outlet: str | None = None,
               since: str | None = None, search: str | None = None,
               limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """Attributions, newest first, filtered by speaker, outlet, date and full text."""
        where, args = [], []
        if speaker is not None:
            sid = self._speaker_id(speaker)
            if sid is None:
                return {"total": 0, "items": []}
            where.append("a.name_id IN (SELECT id FROM names WHERE speaker_id = ?)")
            args.append(sid)
        more, more_args = _outlet_since(outlet, since, "a.", con=self.con)
        where += more
        args += more_args
        if search:
            where.append("a.id IN (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?)")
            args.append(_fts_query(search))
        cond = f"WHERE {' AND '.join(where)}" if where else ""
        total = self.con.execute(f"SELECT COUNT(*) FROM attributions a {cond}", args).fetchone()[0]
        rows = self.con.execute(
            f"SELECT {_QUOTE_COLS} FROM {_QUOTE_FROM} {cond} "
            f"ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
        return {"total": total, "items": [_quote(r) for r in rows]}

    def spread(self, quote_id: str | int) -> dict[str, Any] | None:
        """The same statement across articles: every member of the quote's group, wording marked."""
        qid = _int(quote_id)
        if qid is None:
            return None
        row = self.con.execute(f"SELECT {_QUOTE_COLS} FROM {_QUOTE_FROM} WHERE a.id = ?", (qid,)).fetchone()
        if row is None:
            return None
        gid = row["group_id"]
        if gid is None:
            members = [row]
        else:
            members = self.con.execute(
                f"SELECT {_QUOTE_COLS} FROM {_QUOTE_FROM} WHERE a.group_id = ? "
                f"ORDER BY a.published, a.id", (gid,)).fetchall()
        norms = {m["id"]: match.normalise(m["content"]) for m in members}
        common = Counter(norms.values()).most_common(1)[0][0]
        return {
            "quote": _quote(row), "group_id": str(gid) if gid is not None else None,
            "wording": common,
            "members": [{"quote_id": str(m["id"]), "article_id": m["article_id"], "outlet": m["outlet"],
                         "published": m["published"], "title": m["title"], "text": m["content"],
                         "speaker": m["speaker"] or m["speaker_name"], "speaker_id": m["speaker_id"],
                         "same_wording": norms[m["id"]] == common} for m in members],
        }

    # -- articles -------------------------------------------------------------
    def article(self, article_id: str) -> dict[str, Any] | None:
        row = self.con.execute("SELECT id, url, title, outlet, published, author, fetched, path, chars, "
                               "text, report, ingested_at FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        art = {k: row[k] for k in row.keys() if k != "report"}
        return {"article": art, "report": json.loads(row["report"])}

    def articles(self, outlet: str | None = None, since: str | None = None,
                 limit: int = 50, offset: int = 0) -> dict[str, Any]:
        where, args = _outlet_since(outlet, since, con=self.con)
        cond = f"WHERE {' AND '.join(where)}" if where else ""
        total = self.con.execute(f"SELECT COUNT(*) FROM articles {cond}", args).fetchone()[0]
        rows = self.con.execute(f"SELECT id, url, title, outlet, published, chars FROM articles {cond} "
                                f"ORDER BY published DESC, id LIMIT ? OFFSET ?",
                                (*args, limit, offset)).fetchall()
        return {"total": total, "items": [dict(r) for r in rows]}

    def errors(self, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        total = self.con.execute("SELECT COUNT(*) FROM errors").fetchone()[0]
        rows = self.con.execute("SELECT source, article_id, message, at FROM errors ORDER BY id DESC "
                                "LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return {"total": total, "items": [dict(r) for r in rows]}

    def stats(self) -> dict[str, int]:
        q = lambda sql: self.con.execute(sql).fetchone()[0]  # noqa: E731
        return {"articles": q("SELECT COUNT(*) FROM articles"),
                "attributions": q("SELECT COUNT(*) FROM attributions"),
                "speakers": q("SELECT COUNT(*) FROM speakers WHERE quotes > 0"),
                "errors": q("SELECT COUNT(*) FROM errors")}


def _quote(r: sqlite3.Row) -> dict[str, Any]:
    return {"id": str(r["id"]), "article_id": r["article_id"], "text": r["content"], "kind": r["kind"],
            "speaker": r["speaker"] or r["speaker_name"],
            "speaker_id": r["speaker_id"],
            "outlet": r["outlet"], "published": r["published"], "title": r["title"], "cue": r["cue"],
            "source": r["source"], "group_id": str(r["group_id"]) if r["group_id"] is not None else None}


def _int(v: str | int) -> int | None:
    return _sql_int(str(v).strip().lstrip("q"))


def _sql_int(k: str) -> int | None:
    """``k`` as a row id, or None when it is not one (SQLite integers stop at 2**63 - 1:
    a longer number is no id, not an OverflowError)."""
    if not k.isdigit() or not k.isascii():
        return None
    n = int(k)
    return n if n < 2 ** 63 else None


def _like(text: str) -> str:
    """Text matched literally inside a LIKE pattern (``%`` and ``_`` are not wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_query(text: str) -> str:
    """User text as an FTS5 query: each word must appear (a phrase when quoted)."""
    t = text.strip()
    if len(t) > 1 and t[0] == t[-1] == '"':
        return '"' + t[1:-1].replace('"', '""') + '"'
    words = [w for w in match.normalise(t).split() if w]
    if not words:
        raise QueryError(f"search text {text!r} holds no words")
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def check_date(value: str | None, name: str = "since") -> str | None:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) as given; QueryError for anything else."""
    if value is None:
        return None
    v = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", v)
    try:
        if m is None:
            raise ValueError
        date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise QueryError(f"--{name} {value!r} is not a date; write it as YYYY-MM-DD "
                         f"(or YYYY-MM, YYYY), e.g. 2019-11-20") from None
    return v


def outlet_words(name: str) -> list[str]:
    return re.findall(r"\w+", name.casefold())


def outlet_fits(query: str, outlet: str) -> bool:
    """Whether an outlet filter fits an outlet: case-insensitive, on whole words in order
    ("BBC" fits "BBC News", "the hill" fits "The Hill"), or the same letters ("TheHill")."""
    q, o = outlet_words(query), outlet_words(outlet or "")
    if not q:
        return False
    if "".join(q) == "".join(o):
        return True
    return any(o[i:i + len(q)] == q for i in range(len(o) - len(q) + 1))


def _outlet_since(outlet: str | None, since: str | None, prefix: str = "",
                  con: sqlite3.Connection | None = None) -> tuple[list[str], list[Any]]:
    """SQL conditions and arguments for the outlet and date filters every list query takes.

    The outlet filter becomes the list of stored outlet names it fits, so the query
    still uses the outlet indexes."""
    where: list[str] = []
    args: list[Any] = []
    if outlet is not None:
        names = _outlets_fitting(con, outlet) if con is not None else [outlet]
        if not names:
            where.append("0")
        else:
            where.append(f"{prefix}outlet IN ({','.join('?' * len(names))})")
            args += names
    if since is not None:
        where.append(f"{prefix}published >= ?")
        args.append(check_date(since))
    return where, args


def _outlets_fitting(con: sqlite3.Connection, query: str) -> list[str]:
    outlets = [r[0] for r in con.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")]
    if query in outlets:
        return [query]
    return [o for o in outlets if outlet_fits(query, o)]
