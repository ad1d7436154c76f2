"""The manifest: which partitions are done, which articles each holds, and what failed.

One small JSON entry per partition (``_manifest/part-00000.json``), written by the worker
after all of that partition's table files, so an entry that exists means the partition is
complete; ``manifest.json`` at the top sums them up at the end of each run. Entries are
separate files so workers never write the same file and a killed run keeps what it finished.
"""
from __future__ import annotations

import fcntl
import json
import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sayso.engine.parquet import TABLES, table_path
from sayso.errors import InputError
from sayso.version import __version__

FORMAT = "sayso-parquet"
FORMAT_VERSION = 1


def entry_path(out: str | Path, part: str) -> Path:
    return Path(out) / "_manifest" / f"{part}.json"


def write_json(path: Path, data: Any) -> None:
    """Write JSON under a temporary name and rename it into place (atomic on one filesystem)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def current_path(out: str | Path, part: str) -> Path:
    """Where a worker notes the article it is extracting: if its process dies, the run
    reads there which article killed it."""
    return Path(out) / "_manifest" / f".{part}.current"


def mark_current(path: Path, article_id: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article_id, encoding="utf-8")


def read_current(out: str | Path, part: str) -> str | None:
    try:
        return current_path(out, part).read_text(encoding="utf-8") or None
    except OSError:
        return None


def read_entry(out: str | Path, part: str) -> dict | None:
    try:
        return json.loads(entry_path(out, part).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_done(out: str | Path, part: str, fingerprint: str) -> bool:
    """Done = its entry exists for the same inputs and every table file is in place."""
    entry = read_entry(out, part)
    if not entry or entry.get("fingerprint") != fingerprint:
        return False
    return all(table_path(out, t, part).is_file() for t in TABLES)


@contextmanager
def lock(out: str | Path) -> Iterator[None]:
    """Hold the output folder for one run: a second run into it (another process) is
    refused at once instead of mixing its partitions with this one's. The lock is the
    folder's own (flock on it), so it leaves nothing behind and a killed run frees it."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("is in use by another `sayso run`; wait for it to end or choose "
                             "another --out", str(out)) from None
        yield
    finally:
        os.close(fd)


def recorded_size(out: str | Path) -> int | None:
    """The partition size an existing dataset in ``out`` was written with, if any."""
    try:
        info = json.loads((Path(out) / "_dataset.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    size = info.get("partition_size") if isinstance(info, dict) else None
    return size if isinstance(size, int) and size > 0 else None


def check_dataset(out: str | Path, partition_size: int, model: str | None) -> None:
    """Refuse to mix partitionings in one folder; record the settings for the next run."""
    out = Path(out)
    marker = out / "_dataset.json"
    if marker.is_file():
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
        except ValueError:
            info = {}
        if info.get("format") != FORMAT:
            raise InputError("has a _dataset.json that is not sayso's; choose another --out", str(out))
        if info.get("partition_size") != partition_size:
            raise InputError(
                f"was written with --partition-size {info.get('partition_size')}; rerun with that "
                f"size to resume, or choose a fresh --out", str(out))
        if info.get("model", model) != model:
            raise InputError(
                f"was written with model {info.get('model')!r}, not {model!r}; rerun with the same "
                f"model option to resume, or choose a fresh --out", str(out))
        return
    if out.exists() and any(out.iterdir()) and not (out / "articles").is_dir():
        raise InputError("exists and is not a sayso dataset; choose an empty or new --out", str(out))
    write_json(marker, {"format": FORMAT, "format_version": FORMAT_VERSION,
                        "partition_size": partition_size, "model": model,
                        "sayso_version": __version__})


def summarize(out: str | Path, parts: list[str], extra: dict[str, Any]) -> dict:
    """Write ``manifest.json``: totals and every failure over the given partitions."""
    done, failures, n_articles, missing = [], [], 0, []
    for part in parts:
        entry = read_entry(out, part)
        if entry is None:
            missing.append(part)
            continue
        done.append(part)
        n_articles += len(entry.get("articles", []))
        failures.extend({"partition": part, **f} for f in entry.get("failed", []))
    summary = {"format": FORMAT, "format_version": FORMAT_VERSION, "sayso_version": __version__,
               "partitions": len(parts), "complete": not missing, "missing": missing,
               "articles": n_articles, "failed": len(failures), "failures": failures, **extra}
    write_json(Path(out) / "manifest.json", summary)
    return summary


def remove_stale(out: str | Path, keep: set[str]) -> list[str]:
    """Delete partitions left by an earlier run over more input than this one."""
    out = Path(out)
    stale = sorted({p.stem for p in (out / "_manifest").glob("part-*.json")} |
                   {p.stem for t in TABLES for p in (out / t).glob("part-*.parquet")})
    removed = []
    for part in stale:
        if part in keep:
            continue
        entry_path(out, part).unlink(missing_ok=True)
        for t in TABLES:
            table_path(out, t, part).unlink(missing_ok=True)
        removed.append(part)
    return removed


def remove_temp(out: str | Path) -> int:
    """Delete temporary files a killed run left half-written (a run owns its folder)."""
    n = 0
    for folder in [Path(out) / t for t in TABLES] + [Path(out) / "_manifest"]:
        for tmp in [*folder.glob(".*.tmp"), *folder.glob(".*.current")]:
            tmp.unlink(missing_ok=True)
            n += 1
    return n
