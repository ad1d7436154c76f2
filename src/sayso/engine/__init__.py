"""Run extraction over many articles, locally or on a Dask cluster, into a Parquet dataset.

    >>> from sayso.engine import run
    >>> stats = run(["articles/"], "out/", engine="dask", workers=2)   # doctest: +SKIP
    >>> from sayso.engine import iter_reports
    >>> for article, report in iter_reports("out/"): ...                # doctest: +SKIP

The per-article work is ``Reader.extract_article``, so every engine gives the same
Report as ``sayso extract`` for the same article.
"""
from sayso.engine.parquet import TABLES, iter_reports
from sayso.engine.partition import DEFAULT_SIZE
from sayso.engine.runner import ENGINES, RunStats, make_engine, run, run_articles

__all__ = ["DEFAULT_SIZE", "ENGINES", "RunStats", "TABLES", "iter_reports", "make_engine", "run",
           "run_articles"]
