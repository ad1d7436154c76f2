"""`sayso run`: extract many articles, locally or on a Dask cluster, into a Parquet dataset."""
from __future__ import annotations

import enum
from pathlib import Path
from typing import List, Optional

import typer

from sayso.inputs.text import MAX_BYTES
from sayso.limits import DEFAULT_TIMEOUT


class EngineName(str, enum.Enum):
    local = "local"
    dask = "dask"


def register(app: typer.Typer) -> None:
    app.command("run")(run_cmd)


def run_cmd(
    paths: List[str] = typer.Argument(..., help="Inputs: files (.txt, .html, .jsonl, .warc[.gz]), "
                                      "folders, globs, or - for stdin."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder of the Parquet dataset (created; "
                             "rerunning into it resumes)."),
    engine: EngineName = typer.Option(EngineName.local, "--engine", help="local: processes on this "
                                      "machine; dask: a Dask cluster."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, "
                                            "tcp://HOST:8786 (default: start a LocalCluster)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Worker processes to start (default 1)."),
    partition_size: Optional[int] = typer.Option(None, "--partition-size", min=1,
                                                 help="Articles per partition (one Parquet file per "
                                                      "table); default: sized from the inputs and the "
                                                      "workers, or what --out was written with."),
    model: Optional[Path] = typer.Option(None, "--model", help="A shipped model by name (crf, "
                                         "the default; encoder) or a trained model folder."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only: faster, less accurate."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", help="Refuse articles larger than this."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0,
                                  help="Seconds one article may take; one over it is recorded as "
                                       "failed and the others go on (0: no limit)."),
    progress: bool = typer.Option(False, "--progress", help="A line per partition on stderr."),
) -> None:
    """Extract attributions from many articles into a Parquet dataset (restartable)."""
    from rich.console import Console
    from rich.markup import escape

    from sayso.engine import run
    from sayso.errors import SaysoError

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if scheduler and engine is not EngineName.dask:
        err.print("[red]error[/red] --scheduler needs --engine dask")
        raise typer.Exit(2)
    if scheduler and workers:
        err.print("[yellow]warning[/yellow] --workers is ignored with --scheduler: "
                  "the cluster's workers are set where it was started")
        workers = None
    if model and no_model:
        err.print("[red]error[/red] give --model PATH or --no-model, not both")
        raise typer.Exit(2)
    from sayso.learned import SHIPPED
    if model and str(model) not in SHIPPED and not model.is_dir():
        err.print(f"[red]error[/red] --model {escape(str(model))}: no such folder")
        raise typer.Exit(2)

    def report(result) -> None:
        if isinstance(result, dict):
            err.print(f"[red]error[/red] {result['partition']}: {escape(result['reason'])}")
        elif progress:
            err.print(f"{result.part}: {result.ok} written, {len(result.failures)} failed, "
                      f"{result.seconds:.1f} s on {result.worker}")

    chosen = None if no_model else (str(model) if model else "default")
    try:
        stats = run(paths, out, engine=engine.value, scheduler=scheduler, workers=workers,
                    model=chosen, partition_size=partition_size, max_bytes=max_bytes,
                    timeout=timeout or None, on_partition=report)
    except SaysoError as exc:
        err.print(f"[red]error[/red] {escape(str(exc))}")
        raise typer.Exit(3)
    summary = stats.summary
    for f in stats.failures[:50]:
        err.print(f"[red]error[/red] {escape(f.get('reason', ''))}")
    if len(stats.failures) > 50:
        err.print(f"... and {len(stats.failures) - 50} more failures, listed in {out}/manifest.json")
    err.print(f"{stats.engine}: {stats.partitions} partition(s), {stats.skipped} already done, "
              f"{stats.written} written, {len(stats.partition_errors)} failed; "
              f"{stats.articles} article(s) extracted in {stats.seconds:.1f} s; dataset holds "
              f"{summary['articles']} article(s), {summary['failed']} failed -> {out}")
    if stats.partitions == 0:
        err.print("[red]error[/red] no articles found in the given paths")
        raise typer.Exit(3)
    if summary["articles"] == 0 and (summary["failed"] or stats.partition_errors):
        raise typer.Exit(3)
    if not stats.ok:
        raise typer.Exit(1)
