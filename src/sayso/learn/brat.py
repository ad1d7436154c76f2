"""Read a PolNeAR-style compartment: ``text/NAME.txt`` + ``attributions/NAME_ANNOTATOR.ann``.

Only the first annotator listed in ``metadata.tsv`` is used (the one the scorer uses),
so training sees the same gold standard it is measured against.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sayso.errors import InputError

Range = tuple[int, int]


@dataclass
class GoldAttribution:
    content: list[Range]
    source: list[Range] = field(default_factory=list)
    cue: list[Range] = field(default_factory=list)


@dataclass
class GoldArticle:
    name: str
    text: str
    attributions: list[GoldAttribution]


def _spans(field_: str) -> list[Range]:
    out = []
    for part in field_.split(";"):
        s, e = part.split()
        out.append((int(s), int(e)))
    return out


def parse_ann(ann: str) -> list[GoldAttribution]:
    """Brat standoff -> attributions (E lines tie T spans; Discuss/Discard are ignored)."""
    spans: dict[str, list[Range]] = {}
    events: list[dict[str, list[str]]] = []
    for line in ann.splitlines():
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        if line.startswith("T"):
            label, _, rest = cols[1].partition(" ")
            try:
                spans[cols[0]] = _spans(rest)
            except ValueError:
                continue
        elif line.startswith("E"):
            roles: dict[str, list[str]] = {}
            for arg in cols[1].split():
                role, _, tid = arg.partition(":")
                roles.setdefault(role.rstrip("0123456789"), []).append(tid)
            events.append(roles)
    out = []
    for roles in events:
        def get(role: str) -> list[Range]:
            return sorted(r for t in roles.get(role, []) for r in spans.get(t, []))
        content = get("Content")
        if content:
            out.append(GoldAttribution(content=content, source=get("Source"), cue=get("Cue")))
    return out


def first_annotators(metadata: Path) -> dict[str, str]:
    if not metadata.exists():
        return {}
    lines = metadata.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    out = {}
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t")))
        if "filename" in row:
            out[row["filename"]] = row.get("annotators", "").split("|")[0]
    return out


def read_compartment(folder: Path, metadata: Path | None = None) -> Iterator[GoldArticle]:
    """Yield every annotated article of ``folder`` (e.g. polnear/train), sorted by name."""
    folder = Path(folder)
    if not (folder / "text").is_dir():
        raise InputError("not a PolNeAR compartment (no text/ folder)", str(folder))
    meta = first_annotators(metadata or folder.parent / "metadata.tsv")
    ann_dir = folder / "attributions"
    for tpath in sorted((folder / "text").glob("*.txt")):
        name = tpath.stem
        ann = meta.get(name)
        path = ann_dir / f"{name}_{ann}.ann" if ann else None
        if path is None or not path.exists():
            files = sorted(ann_dir.glob(f"{name}_*.ann"))
            path = files[0] if files else None
        if path is None:
            continue
        text = tpath.read_text(encoding="utf-8")
        yield GoldArticle(name, text, parse_ann(path.read_text(encoding="utf-8")))
