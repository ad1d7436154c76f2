"""Speaker merging rules, on name lists: variants merge with a reason, namesakes stay apart."""
from __future__ import annotations

from sayso.corpus.speakers import NameRow, cluster, parse


def _clusters(names: list[tuple[str, str, int]]) -> dict[str, tuple[str, str]]:
    rows = [NameRow(i, n, t, q) for i, (n, t, q) in enumerate(names)]
    res = cluster(rows)
    return {names[i][0]: (names[root][0], why) for i, (root, why) in res.items()}


def test_titles_surnames_middle_names_and_spellings_merge():
    got = _clusters([("Vladimir Putin", "PERSON", 10), ("President Putin", "PERSON", 3),
                     ("Putin", "PERSON", 5), ("Donald Trump", "PERSON", 20),
                     ("Donald J. Trump", "PERSON", 2), ("Volodymyr Zelensky", "PERSON", 4),
                     ("Volodymyr Zelenskyy", "PERSON", 1), ("Zelenskyy", "OTHER", 2),
                     ("the White House", "ORG", 3), ("White House", "ORG", 1)])
    assert {n for n, (r, _) in got.items() if r == "Vladimir Putin"} == {
        "Vladimir Putin", "President Putin", "Putin"}
    assert got["Donald J. Trump"][0] == "Donald Trump" and "middle names" in got["Donald J. Trump"][1]
    assert got["Volodymyr Zelenskyy"][0] == "Volodymyr Zelensky"
    assert "spelling variant" in got["Volodymyr Zelenskyy"][1]
    assert got["Zelenskyy"][0] == "Volodymyr Zelensky"
    assert got["White House"][0] == "the White House"
    assert all(why for n, (root, why) in got.items() if n != root)  # every merge says why


def test_different_people_sharing_a_surname_never_merge():
    got = _clusters([("Hillary Clinton", "PERSON", 30), ("Bill Clinton", "PERSON", 4),
                     ("Clinton", "PERSON", 9), ("Ann Lee", "PERSON", 2), ("Tom Lee", "PERSON", 2),
                     ("Lee", "PERSON", 1), ("John Smith", "PERSON", 1), ("Jane Smyth", "PERSON", 1)])
    assert got["Bill Clinton"][0] == "Bill Clinton" and got["Hillary Clinton"][0] == "Hillary Clinton"
    # a surname alone goes to the clearly dominant namesake, with the counts as the reason
    assert got["Clinton"][0] == "Hillary Clinton" and "30 quotes against 4" in got["Clinton"][1]
    # ... and stays apart when no namesake dominates
    assert got["Lee"][0] == "Lee"
    assert got["Ann Lee"][0] != got["Tom Lee"][0]
    assert got["Jane Smyth"][0] == "Jane Smyth"


def test_parse_strips_titles_suffixes_and_possessives():
    assert parse("Sen. Elizabeth Warren's").key == "elizabeth warren"
    assert parse("Martin Luther King Jr.").last == "king"
    assert parse("Président Émmanuel Macron").first == "emmanuel"
    assert parse("Mr.") is None


def test_descriptions_are_not_names_and_common_nouns_are_not_surnames():
    from sayso.corpus.speakers import is_named
    assert not is_named("company") and not is_named("the company") and not is_named("statement")
    assert not is_named("Defense attorneys") and not is_named("Prosecutors", "PERSON")
    assert is_named("Clinton campaign", "ORG") and is_named("the White House", "ORG")
    assert is_named("Ann Lee", "PERSON") and is_named("Zelenskyy")
    got = _clusters([("Attorney General Pam Bondi", "PERSON", 5), ("U.S. Attorney Jane Roe", "PERSON", 3),
                     ("attorneys", "PERSON", 2), ("Attorneys", "UNKNOWN", 1)])
    assert got["attorneys"][0] == "attorneys" and got["Attorneys"][0] != "U.S. Attorney Jane Roe"
