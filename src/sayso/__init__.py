"""sayso: who said what, according to whom.

    >>> from sayso import extract
    >>> report = extract('"We will rebuild," the mayor said.')
    >>> report.attributions[0].kind
    'direct'
"""
from sayso.errors import (CorpusError, FormatError, InputError, ModelError, SaysoError,
                          SchemaError)
from sayso.model import (Article, Attribution, Document, EmbeddedPost, Entity, Figure, Report,
                         Span, SpeakerRef, Via)
from sayso.reader import Reader, extract
from sayso.version import __version__

__all__ = [
    "Article", "Attribution", "CorpusError", "Document", "EmbeddedPost", "Entity", "Figure",
    "FormatError", "InputError", "ModelError", "Reader", "Report", "SaysoError", "SchemaError",
    "Span", "SpeakerRef", "Via", "__version__", "extract",
]
