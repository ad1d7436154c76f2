"""Corpus-level speakers: one person across articles, name variants merged by explainable rules.

Rules, applied to the distinct speaker names of the corpus (each merge keeps its reason):

1. the same name once titles ("President", "Sen.", "Mr."), case, accents and a
   possessive are removed: "President Putin" and "Putin" are one *key*;
2. a full name whose first name and surname match another's, ignoring middle names
   and initials ("Donald J. Trump" ~ "Donald Trump");
3. a full name whose first name matches and whose surname is a spelling variant
   (normalised edit distance <= ``MAX_SPELLING``, or equal once doubled letters are
   collapsed): "Volodymyr Zelensky" ~ "Volodymyr Zelenskyy";
4. a surname alone joins the one full-name person with that surname (or a spelling
   variant of it); when several people share the surname it joins the one quoted
   most only if that one has at least ``DOMINANCE`` times the quotes of the next,
   and otherwise stays apart.

Two full names with different first names are never merged, whatever their surname.
A description ("the company", "Defense attorneys") is not a name (``is_named``): it is
never stored as a speaker, and a common noun is never taken for a surname.
Names of organisations and outlets merge by rule 1 only; a capitalised name of
unknown type is read as a person's name.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

MAX_SPELLING = 0.15
DOMINANCE = 3

TITLES = {
    "president", "vice", "prime", "minister", "pm", "mr", "mrs", "ms", "miss", "dr", "prof",
    "professor", "sen", "senator", "rep", "representative", "gov", "governor", "mayor",
    "secretary", "chancellor", "gen", "general", "col", "colonel", "lt", "capt", "captain",
    "sgt", "judge", "justice", "chief", "king", "queen", "prince", "princess", "pope", "rev",
    "reverend", "sir", "dame", "lord", "lady", "speaker", "leader", "foreign", "defense",
    "defence", "state", "attorney", "former", "deputy", "acting", "sheriff", "commissioner",
    "ambassador", "premier", "candidate", "nominee", "democratic", "republican", "gop", "us",
    "u.s", "then", "house", "majority", "minority", "adm", "admiral", "det", "officer", "coach",
    "ceo", "chairman", "chairwoman", "chair", "director", "spokesman", "spokeswoman",
}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md"}
_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['-][^\W\d_])*\.?")


@dataclass(frozen=True)
class Parsed:
    key: str  # the name without titles, case and accents: rule 1
    first: str | None  # None for a surname alone
    last: str


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold().replace("’", "'")


def parse(name: str) -> Parsed | None:
    """First name and surname of a person's name, titles removed; None when nothing is left."""
    toks = [t.rstrip(".").strip("'-") for t in _TOKEN.findall(fold(name))]
    toks = [t[:-2] if t.endswith("'s") else t for t in toks if t]
    while toks and toks[0] in TITLES:
        toks.pop(0)
    while toks and toks[-1] in SUFFIXES:
        toks.pop()
    toks = [t for t in toks if t]
    if not toks:
        return None
    if len(toks) == 1:
        return Parsed(toks[0], None, toks[0])
    return Parsed(" ".join(toks), toks[0], toks[-1])


def _common_nouns() -> frozenset[str]:
    from sayso.extract import lexicon
    return frozenset().union(*(lexicon.words(k) for k in (
        "person_nouns", "group_nouns", "org_nouns", "document_nouns", "outlet_nouns")))


def is_named(name: str, etype: str = "UNKNOWN") -> bool:
    """Does this speaker name name someone, or only describe them ("the company",
    "Defense attorneys", "statement")? Only names become corpus speakers: a description
    means someone else in every article and must never merge across articles."""
    if etype in ("DOCUMENT", "UNNAMED"):
        return False
    words = re.findall(r"[^\W\d_][\w'’.-]*", name)
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    if not words or not any(w[:1].isupper() for w in words):
        return False
    if etype in ("ORG", "OUTLET", "GPE", "GROUP"):
        return True
    # only the first word capitalised and the last a common noun: a description at a
    # sentence start ("Defense attorneys said"), not a name
    rest_lower = all(not w[:1].isupper() for w in words[1:])
    return not (rest_lower and fold(words[-1]).rstrip(".") in _common_nouns())


def simple_key(name: str) -> str:
    """Rule 1 for any speaker: case, accents, a leading "the" and spacing folded."""
    t = " ".join(re.findall(r"[^\W_]+", fold(name)))
    return t[4:] if t.startswith("the ") else t


def spelling_variant(a: str, b: str) -> bool:
    if a == b:
        return True
    if _collapse(a) == _collapse(b):
        return True
    if min(len(a), len(b)) < 5:
        return False
    return _levenshtein(a, b) / max(len(a), len(b)) <= MAX_SPELLING


def _collapse(s: str) -> str:
    return re.sub(r"(.)\1+", r"\1", s)


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@dataclass
class NameRow:
    id: int
    name: str
    type: str
    quotes: int


def cluster(rows: list[NameRow]) -> dict[int, tuple[int, str]]:
    """Map each name id to (cluster representative name id, reason it joined)."""
    parent = {r.id: r.id for r in rows}
    reason: dict[int, str] = {}
    by_id = {r.id: r for r in rows}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int, why: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
            reason.setdefault(b, why)

    persons: dict[int, Parsed] = {}
    by_key: dict[tuple[str, str], int] = {}
    for r in sorted(rows, key=lambda r: (-r.quotes, r.id)):
        if r.type in ("PERSON", "UNKNOWN", "OTHER"):
            p = parse(r.name)
            if p is not None and p.last in _common_nouns():
                p = None  # "attorneys" is nobody's surname
            if p is not None and (r.type == "PERSON" or p.first is not None or r.name[:1].isupper()):
                persons[r.id] = p
                key = ("P", p.key)
            else:
                key = ("O", simple_key(r.name))
        else:
            key = ("O", simple_key(r.name))
        if key in by_key:
            union(by_key[key], r.id, f"same name without titles, case or accents as "
                                     f"{by_id[by_key[key]].name!r}")
        else:
            by_key[key] = r.id
    # rules 2 and 3: full names with the same first name and a matching or variant surname
    full: dict[tuple[str, str], list[int]] = defaultdict(list)  # (first name, initial) -> ids
    for nid, p in persons.items():
        if p.first is not None and by_key.get(("P", p.key)) == nid:
            full[(p.first, p.last[:1])].append(nid)
    for ids in full.values():
        ids.sort(key=lambda i: (-by_id[i].quotes, i))
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                pa, pb = persons[a], persons[b]
                if find(a) == find(b):
                    continue
                if pa.last == pb.last:
                    union(a, b, f"same first name and surname as {by_id[a].name!r} "
                                f"(middle names and initials ignored)")
                elif abs(len(pa.last) - len(pb.last)) <= 2 and spelling_variant(pa.last, pb.last):
                    union(a, b, f"surname {pb.last!r} is a spelling variant of {pa.last!r} in "
                                f"{by_id[a].name!r}, same first name")
    # rule 4: a surname alone joins the person with that surname when that is unambiguous
    people: dict[int, list[int]] = defaultdict(list)  # cluster root -> full-name ids
    for nid, p in persons.items():
        if p.first is not None:
            people[find(nid)].append(nid)
    quotes_of = defaultdict(int)
    for r in rows:
        quotes_of[find(r.id)] += r.quotes
    surnames: dict[str, set[int]] = defaultdict(set)
    for root, ids in people.items():
        for nid in ids:
            surnames[persons[nid].last].add(root)
    for nid, p in persons.items():
        if p.first is not None or by_key.get(("P", p.key)) != nid:
            continue
        roots = set(surnames.get(p.last, ()))
        if not roots:
            roots = {rt for s, rts in surnames.items()
                     if s[:1] == p.last[:1] and spelling_variant(s, p.last) for rt in rts}
        roots = {find(r) for r in roots}
        if not roots:
            continue
        ranked = sorted(roots, key=lambda rt: (-quotes_of[rt], rt))
        top = ranked[0]
        top_name = by_id[people[top][0]].name if people.get(top) else by_id[top].name
        if len(ranked) == 1:
            union(top, nid, f"surname alone; {top_name!r} is the only person in the corpus "
                            f"with surname {p.last!r}")
        elif quotes_of[top] >= DOMINANCE * quotes_of[ranked[1]]:
            second = by_id[people[ranked[1]][0]].name if people.get(ranked[1]) else by_id[ranked[1]].name
            union(top, nid, f"surname alone; {top_name!r} has {quotes_of[top]} quotes against "
                            f"{quotes_of[ranked[1]]} for {second!r}, the next with that surname")
    return {r.id: (find(r.id), reason.get(r.id, "")) for r in rows}
