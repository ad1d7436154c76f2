"""Parse a PolNeAR compartment once with sayso's lean spaCy pipeline, optionally caching
the parses (a DocBin per compartment) so repeated training runs skip the ~90 s parse."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from spacy.tokens import Doc, DocBin

from sayso.learn.brat import GoldArticle, read_compartment

log = logging.getLogger(__name__)


def parse_articles(arts: list[GoldArticle], *, cache: Path | None = None,
                   n_process: int = 1) -> list[Doc]:
    """Docs for ``arts`` in order; reads/writes ``cache/<digest>.spacy`` when given."""
    from sayso import nlp as nlp_mod
    nlp = nlp_mod.load()
    digest = hashlib.sha1("\0".join(a.text for a in arts).encode()).hexdigest()[:16]
    path = Path(cache) / f"{digest}.spacy" if cache else None
    if path is not None and path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == [a.text for a in arts]:
            return docs
    docs = list(nlp.pipe((a.text for a in arts), batch_size=16, n_process=n_process))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(path)
    return docs


def load_compartment(folder: Path, *, cache: Path | None = None,
                     n_process: int = 1) -> tuple[list[GoldArticle], list[Doc]]:
    arts = list(read_compartment(Path(folder)))
    return arts, parse_articles(arts, cache=cache, n_process=n_process)
