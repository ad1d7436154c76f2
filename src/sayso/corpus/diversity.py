"""Source diversity: who gets quoted, by gender, per outlet and per month.

A person's gender in the corpus comes only from the articles' own evidence: each
article's report gives its person entities ``female``, ``male`` or ``unknown``
(honorifics and the pronouns resolved to them, never the name). A corpus speaker
(name variants merged) is ``female`` when the articles that say are at least two to
one for it, ``male`` likewise, and ``unknown`` otherwise, which includes everyone no
article genders. Organisations and other non-persons have no gender and are left out
of the rollup.

The rollup counts statements (attributions credited to a person) and distinct
people, by gender, for each outlet or each month (of the article's own date;
articles without one fall under ``null``). ``women_share`` is the share of the
statements by people of known gender that are by women (the Gender Gap Tracker's
measure); ``unknown_share`` says how much of the total that leaves out.
"""
from __future__ import annotations

import sqlite3
from typing import Any

GENDERS = ("female", "male", "unknown")
BY = ("outlet", "month")


def refresh_genders(con: sqlite3.Connection) -> None:
    """Set ``speakers.gender`` from the genders their articles give (call inside a transaction)."""
    con.execute("UPDATE speakers SET gender = CASE WHEN type = 'PERSON' THEN 'unknown' END")
    con.execute("""
        UPDATE speakers SET gender = CASE WHEN g.f > 2 * g.m THEN 'female'
                                          WHEN g.m > 2 * g.f THEN 'male' ELSE 'unknown' END
        FROM (SELECT n.speaker_id AS sid, SUM(e.gender = 'female') AS f, SUM(e.gender = 'male') AS m
              FROM (SELECT DISTINCT article_id, speaker_eid, name_id FROM attributions
                    WHERE speaker_eid IS NOT NULL AND name_id IS NOT NULL) a
              JOIN entities e ON e.article_id = a.article_id AND e.eid = a.speaker_eid
              JOIN names n ON n.id = a.name_id
              GROUP BY n.speaker_id) AS g
        WHERE speakers.id = g.sid AND speakers.type = 'PERSON'""")


def rollup(con: sqlite3.Connection, by: str = "outlet", *, where: list[str] = (),
           args: list[Any] = ()) -> dict[str, Any]:
    """Statements and distinct people by gender for each outlet or month, and over all.

    ``where``/``args`` are extra conditions on ``speaker_days`` (alias ``sd``): the
    outlet and date filters the other queries take."""
    if by not in BY:
        raise ValueError(f"by must be one of {BY}")
    key = "sd.outlet" if by == "outlet" else "substr(sd.published, 1, 7)"
    cond = " AND ".join(["s.type = 'PERSON'", *where])
    rows = con.execute(
        f"SELECT {key} AS k, s.gender AS g, SUM(sd.quotes) AS q, COUNT(DISTINCT sd.speaker_id) AS p "
        f"FROM speaker_days sd JOIN speakers s ON s.id = sd.speaker_id WHERE {cond} "
        f"GROUP BY k, g", list(args)).fetchall()
    people = con.execute(
        f"SELECT s.gender AS g, COUNT(DISTINCT sd.speaker_id) FROM speaker_days sd "
        f"JOIN speakers s ON s.id = sd.speaker_id WHERE {cond} GROUP BY g", list(args)).fetchall()
    groups: dict[Any, dict[str, dict[str, int]]] = {}
    for k, g, q, p in rows:
        grp = groups.setdefault(k, {"statements": _zero(), "people": _zero()})
        g = g if g in GENDERS else "unknown"
        grp["statements"][g] += q
        grp["people"][g] += p
    total = {"statements": _zero(), "people": _zero()}
    for grp in groups.values():
        for g in GENDERS:
            total["statements"][g] += grp["statements"][g]
    for g, n in people:
        total["people"][g if g in GENDERS else "unknown"] += n
    items = [_shares({"key": k, **v}) for k, v in groups.items()]
    if by == "month":
        items.sort(key=lambda i: (i["key"] is None, i["key"] or ""))
    else:
        items.sort(key=lambda i: (-i["statements"]["total"], i["key"] or ""))
    return {"by": by, "items": items, "total": _shares({"key": None, **total})}


def _zero() -> dict[str, int]:
    return {g: 0 for g in GENDERS}


def _shares(item: dict[str, Any]) -> dict[str, Any]:
    for part in ("statements", "people"):
        item[part]["total"] = sum(item[part][g] for g in GENDERS)
    st = item["statements"]
    known = st["female"] + st["male"]
    item["women_share"] = round(st["female"] / known, 4) if known else None
    item["unknown_share"] = round(st["unknown"] / st["total"], 4) if st["total"] else None
    return item


def timeline(con: sqlite3.Connection, speaker_id: int) -> list[dict[str, Any]]:
    """One speaker's statements and articles per month (of the articles' own dates)."""
    rows = con.execute(
        "SELECT substr(published, 1, 7) AS m, SUM(quotes), SUM(articles) FROM speaker_days "
        "WHERE speaker_id = ? GROUP BY m ORDER BY m IS NULL, m", (speaker_id,)).fetchall()
    return [{"month": m, "statements": q, "articles": a} for m, q, a in rows]


def table(data: dict[str, Any]) -> str:
    """The rollup as a readable table."""
    head = f"{data['by']:<28} {'statements':>10} {'women':>6} {'men':>6} {'unknown':>7} " \
           f"{'women %':>8}  {'people':>6} {'women':>6} {'men':>6} {'unknown':>7}"
    lines = [head]
    for it in [*data["items"], {**data["total"], "key": "all"}]:
        st, pe = it["statements"], it["people"]
        share = f"{100 * it['women_share']:.1f}" if it["women_share"] is not None else "-"
        lines.append(f"{str(it['key'] if it['key'] is not None else '(no ' + data['by'] + ')')[:28]:<28} "
                     f"{st['total']:>10} {st['female']:>6} {st['male']:>6} {st['unknown']:>7} "
                     f"{share:>8}  {pe['total']:>6} {pe['female']:>6} {pe['male']:>6} {pe['unknown']:>7}")
    lines.append("women % = statements by women among statements by people whose gender the "
                 "articles give; people are counted once per row")
    return "\n".join(lines)


CSV_FIELDS = ("key", "statements_female", "statements_male", "statements_unknown", "statements_total",
              "people_female", "people_male", "people_unknown", "people_total", "women_share",
              "unknown_share")


def csv_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": it["key"], **{f"{part}_{g}": it[part][g] for part in ("statements", "people")
                                  for g in (*GENDERS, "total")},
             "women_share": it["women_share"], "unknown_share": it["unknown_share"]}
            for it in data["items"]]
