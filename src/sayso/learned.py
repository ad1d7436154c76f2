"""The trained attribution model: a placeholder until it is trained (see issue 3)."""
from __future__ import annotations

from pathlib import Path


def load(path: Path | None, *, required: bool = False):
    """Return the trained model at ``path`` (or the shipped one), or None when none ships."""
    if required:
        from sayso.errors import ModelError
        raise ModelError(f"no trained model at {path}")
    return None
