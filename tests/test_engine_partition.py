"""Partitions are deterministic, so a rerun can recognise the ones it already wrote."""
from dataclasses import replace

import pytest

from sayso.engine.partition import partitions
from sayso.errors import InputError
from sayso.model import Article


def _arts(n):
    return [Article(text=f'"We will open lane {i} next week," the harbour master said.', id=f"a{i}",
                    path=f"in/a{i}.txt") for i in range(n)]


def test_same_inputs_give_same_partitions():
    first = list(partitions(_arts(10), 4))
    again = list(partitions(_arts(10), 4))
    assert [len(p.articles) for p in first] == [4, 4, 2]
    assert [p.name for p in first] == ["part-00000", "part-00001", "part-00002"]
    assert [p.fingerprint for p in first] == [p.fingerprint for p in again]
    assert [a.id for p in first for a in p.articles] == [f"a{i}" for i in range(10)]


def test_a_changed_article_changes_only_its_partition_fingerprint():
    arts = _arts(10)
    changed = arts[:5] + [replace(arts[5], text=arts[5].text + " Ferries will run as usual.")] + arts[6:]
    a, b = list(partitions(arts, 4)), list(partitions(changed, 4))
    assert [x.fingerprint == y.fingerprint for x, y in zip(a, b)] == [True, False, True]


def test_read_errors_keep_their_place_and_are_recorded():
    items = _arts(3)
    items.insert(1, InputError("is not valid UTF-8 (byte 3)", "in/bad.txt"))
    (part,) = list(partitions(items, 10))
    assert [a.id for a in part.articles] == ["a0", "a1", "a2"]
    assert part.failures == ({"id": None, "source": "in/bad.txt", "stage": "read",
                              "error": "InputError", "reason": "in/bad.txt: is not valid UTF-8 (byte 3)"},)


def test_an_article_without_id_gets_one_from_its_text():
    (part,) = list(partitions([Article(text="Rain is expected, forecasters said.")], 5))
    (again,) = list(partitions([Article(text="Rain is expected, forecasters said.")], 5))
    assert part.articles[0].id and part.articles[0].id == again.articles[0].id


def test_partition_size_must_be_positive():
    with pytest.raises(ValueError):
        list(partitions(_arts(2), 0))
