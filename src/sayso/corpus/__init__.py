"""The corpus: many articles' reports in one SQLite file, with speakers and statements
followed across articles.

    from sayso.corpus import Corpus, ingest_articles
    stats = ingest_articles("sayso.db", articles, workers=2)
    with Corpus.open("sayso.db") as c:
        c.top_speakers(limit=10)
"""
from sayso.corpus.ingest import IngestStats, ingest_articles, ingest_reports
from sayso.corpus.queries import Corpus

__all__ = ["Corpus", "IngestStats", "ingest_articles", "ingest_reports"]
