"""The cue lexicon, kept as data: hand lists in lexicons/cues.json and word statistics
learned from PolNeAR train (bench/learn_lexicon.py) in lexicons/cues_learned.json."""
from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


#: speech verbs that open a sentence before their speaker (`Said Ellis: "…"`); "Asked"
#: opens a question put to someone instead
INVERTING = frozenset("said says added adds wrote writes tweeted noted explained continued replied "
                      "recalled warned insisted declared concluded quipped".split())


@functools.lru_cache(maxsize=None)
def _load(name: str) -> dict[str, Any]:
    return json.loads(resources.files("sayso.lexicons").joinpath(name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def hand() -> dict[str, Any]:
    return _load("cues.json")


@functools.lru_cache(maxsize=None)
def learned() -> dict[str, float]:
    """word -> share of its occurrences in train that were part of a cue."""
    return {w: c / t for w, (c, t) in _load("cues_learned.json")["words"].items()}


@functools.lru_cache(maxsize=None)
def word_set(key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in hand()[key])


def cue_score(word: str) -> float:
    """How likely a word is a cue: 1.0 for the hand-kept speech verbs, else the learned share."""
    w = word.lower()
    if w in word_set("speech_verbs"):
        return max(0.9, learned().get(w, 0.0))
    return learned().get(w, 0.0)


#: a past tense lends its score to the present-tense form only when it is this often a cue
PAST_MIN = 0.5


def _past_forms(w: str) -> tuple[str, ...]:
    """The past-tense spellings a present-tense verb form ("shouts", "assures",
    "replies", "pushes") may have."""
    if w.endswith("ies"):
        return (w[:-3] + "ied",)
    if w.endswith("es"):
        return (w[:-1] + "d", w[:-2] + "ed")
    if w.endswith("s") and not w.endswith("ss"):
        return (w[:-1] + "ed",)
    return ()


def verb_cue_score(word: str, tag: str) -> float:
    """``cue_score`` of a word the tagger read as a verb. A present-tense form ("an officer
    shouts", "he assures", "comments Johnston") is scored as its past tense too, where the
    learned statistics have far more evidence (news reports speech in the past): the form
    itself may be unseen, or seen mostly as a noun ("comments"). Only a past tense that
    is a cue at least ``PAST_MIN`` of the time lends its score."""
    score = cue_score(word)
    if tag == "VBZ":
        for past in _past_forms(word.lower()):
            if cue_score(past) >= PAST_MIN:
                score = max(score, cue_score(past))
    return score
