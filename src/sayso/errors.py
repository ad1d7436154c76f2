"""Every error sayso raises, each saying how to fix the problem.

    SaysoError                 base of all
    ├── InputError             an article could not be read (empty, binary, wrong encoding, too big, missing)
    │   └── FormatError        a container (JSONL line, WARC record, HTML page) is malformed
    ├── TimeLimitError         an article took longer than the time limit (--timeout)
    ├── ModelError             the spaCy pipeline or a trained model could not be loaded
    └── CorpusError            the corpus database is not usable
        ├── SchemaError        the database is not a sayso database, or of a newer schema
        └── QueryError         a query's parameters are wrong (a bad date, a search with no words)
            └── AmbiguousSpeaker  a speaker name fits several people; ``candidates`` lists them

The library never exits the process; the CLI maps these to exit codes.
"""
from __future__ import annotations


class SaysoError(Exception):
    """Base of every error sayso raises."""


class InputError(SaysoError):
    """An article could not be read; ``source`` names the file or record."""

    def __init__(self, message: str, source: str | None = None):
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class FormatError(InputError):
    """A container format is malformed."""


class TimeLimitError(SaysoError):
    """One article's extraction ran past its time limit; the others go on."""


class ModelError(SaysoError):
    """A model could not be loaded."""


class CorpusError(SaysoError):
    """The corpus database cannot be used."""


class SchemaError(CorpusError):
    """The database is not a sayso database or was written by a newer sayso."""


class QueryError(CorpusError):
    """A corpus query cannot be run as asked; the message says what to change."""


class AmbiguousSpeaker(QueryError):
    """A speaker name fits several people: ``candidates`` is a list of {id, name, type, quotes}."""

    def __init__(self, key: str, candidates: list[dict]):
        self.key, self.candidates = key, candidates
        listed = "; ".join(f"#{c['id']} {c['name']} ({c['quotes']} statements)" for c in candidates[:10])
        super().__init__(f"{len(candidates)} speakers fit {key!r}: {listed}; pass a speaker id "
                         f"(e.g. {candidates[0]['id']}) or a fuller name")
