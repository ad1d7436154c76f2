"""The cue lexicon, kept as data: hand lists in lexicons/cues.json and word statistics
learned from PolNeAR train (bench/learn_lexicon.py) in lexicons/cues_learned.json."""
from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


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
