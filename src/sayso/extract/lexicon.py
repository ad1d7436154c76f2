"""What kind of entity a word or a name denotes, read from data (lexicons/entities.json,
lexicons/gazetteer.json): the speaker stage types names and descriptors from these
instead of running NER, which would cost a third of the parse."""
from __future__ import annotations

import functools
import unicodedata

from sayso.extract import cues


@functools.lru_cache(maxsize=None)
def words(key: str) -> frozenset[str]:
    """A word list of entities.json, lower-cased."""
    return frozenset(w.lower() for w in cues._load("entities.json")[key])


@functools.lru_cache(maxsize=1)
def _gazetteer() -> dict:
    return cues._load("gazetteer.json")


@functools.lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """first name -> m / f / u (census: carried 4 times as often by one sex, else u)."""
    names = dict(_gazetteer()["first_names"])
    names.update({n: "f" for n in cues.hand()["female_names"]})
    return names


@functools.lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset(_gazetteer()["surnames"])


@functools.lru_cache(maxsize=1)
def places() -> frozenset[str]:
    return frozenset(_gazetteer()["places"]) | words("regions")


@functools.lru_cache(maxsize=1)
def outlets() -> frozenset[str]:
    return frozenset(o.lower() for o in cues.hand()["outlets"])


@functools.lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    """Title words that may stand before a name: "Sen.", "Finance Minister", "Dr."."""
    return frozenset(w for t in cues.hand()["titles"] for w in t.split())


def fold(s: str) -> str:
    """Lower-cased, accents and curly apostrophes folded: the key names are looked up by."""
    s = unicodedata.normalize("NFKD", s.replace("’", "'"))
    return "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
