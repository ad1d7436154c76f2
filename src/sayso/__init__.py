"""sayso: who said what, according to whom.

    >>> from sayso import extract
    >>> report = extract('"We will rebuild," the mayor said.')
    >>> report.attributions[0].kind
    'direct'
"""
import sys as _sys


def _thinc_without_torch() -> None:
    """Import thinc (spaCy's machine-learning library) without torch.

    thinc imports torch whenever it is installed (``thinc.compat``), and spaCy imports
    thinc: with torch installed for the encoder model, every sayso process would load it
    (2-3 s and ~230 MB more) though only the encoder uses it. So thinc is imported here,
    before anything of sayso imports spaCy, with torch hidden from it; sayso never runs a
    thinc model on torch, and the encoder imports torch itself when it is opened. Where
    spaCy or torch is already loaded (sayso imported after them) nothing changes.
    """
    if "thinc.compat" in _sys.modules or "torch" in _sys.modules:
        return
    _sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` -> ImportError
    try:
        import thinc.compat  # noqa: F401
    except ImportError:
        pass
    finally:
        if "torch" in _sys.modules and _sys.modules["torch"] is None:
            del _sys.modules["torch"]


_thinc_without_torch()

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
