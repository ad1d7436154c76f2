"""The Parquet dataset: rows flatten the report faithfully and iter_reports rebuilds it."""
import json

import duckdb
import pyarrow.parquet as pq
import pytest

from sayso.engine import manifest, parquet
from sayso.engine.parquet import iter_reports, report_rows, write_tables
from sayso.errors import FormatError, InputError
from sayso.model import (Article, Attribution, EmbeddedPost, Entity, Figure, Report, Span,
                         SpeakerRef, Via)

TEXT = ('"We will rebuild the bridge within 18 months," Mayor Ann Lee said on Tuesday, '
        'according to the Harbour Gazette.')


def _report(article: Article) -> Report:
    t = article.text
    content = Span.of(t, 1, t.index(',"'))
    source = Span.of(t, t.index("Mayor"), t.index(" said"))
    cue = Span.of(t, t.index("said"), t.index("said") + 4)
    att = Attribution("a1", "direct", content, cue, source, SpeakerRef("e1", "Ann Lee"),
                      (Via("e2", "Harbour Gazette", "reported"),), 0.91, "quotes")
    pieces = Attribution("a2", "mixed", Span.of_pieces(t, [(1, 8), (13, 20)]), origin="test")
    ents = (Entity("e1", "Ann Lee", "PERSON", ("Mayor",), (source,)),
            Entity("e2", "Harbour Gazette", "OUTLET", (), (Span.of(t, t.index("Harbour"), len(t) - 1),)))
    post = EmbeddedPost("p1", "twitter", "Ann Lee", "@annlee", "2024-03-05", Span.of(t, 0, 20),
                        Span.of(t, 1, 20), "a1")
    fig = Figure("f1", Span.of(t, t.index("18"), t.index("18") + 9), 18, "within", "months",
                 "a1", unit="month")
    return Report(article.document(), (att, pieces), ents, (post,), (fig,))


def _article(i: int) -> Article:
    return Article(text=TEXT, id=f"gazette-{i}", path=f"in/{i}.txt", title="Bridge plan",
                   outlet="Harbour Gazette", published="2024-03-05", url=f"https://example.org/{i}")


@pytest.fixture()
def dataset(tmp_path):
    for part, ids in (("part-00000", [0, 1]), ("part-00001", [2])):
        rows = {t: [] for t in parquet.TABLES}
        for i in ids:
            art = _article(i)
            for table, trs in report_rows(art, _report(art)).items():
                rows[table].extend(trs)
        assert write_tables(tmp_path, part, rows) > 0
    return tmp_path


def test_iter_reports_rebuilds_articles_and_reports_exactly(dataset):
    pairs = list(iter_reports(dataset))
    assert [a.id for a, _ in pairs] == ["gazette-0", "gazette-1", "gazette-2"]
    for art, rep in pairs:
        assert art == _article(int(art.id.split("-")[1]))
        assert rep == _report(art)
        assert all(art.text[s.start:s.end] == s.text for s in rep.spans())


def test_tables_are_flat_and_keyed_by_article_id(dataset):
    atts = pq.read_table(dataset / "attributions" / "part-00000.parquet").to_pylist()
    assert [(r["article_id"], r["id"]) for r in atts] == [
        ("gazette-0", "a1"), ("gazette-0", "a2"), ("gazette-1", "a1"), ("gazette-1", "a2")]
    first = atts[0]
    assert TEXT[first["content_start"]:first["content_end"]] == first["content_text"]
    assert first["speaker_name"] == "Ann Lee" and first["cue_text"] == "said"
    assert first["via"] == [{"entity": "e2", "name": "Harbour Gazette", "relation": "reported"}]
    assert atts[1]["content_pieces"] == [[1, 8], [13, 20]] and atts[1]["cue_start"] is None
    figs = pq.read_table(dataset / "figures" / "part-00001.parquet").to_pylist()
    assert figs[0]["value"] == 18.0 and figs[0]["unit"] == "month"
    arts = pq.read_table(dataset / "articles" / "part-00001.parquet").to_pylist()
    assert arts[0]["chars"] == len(TEXT) and json.loads(arts[0]["report_json"])["document"]["id"] == "gazette-2"


def test_duckdb_queries_the_dataset_directly(dataset):
    con = duckdb.connect()
    rows = con.execute(f"""
        SELECT a.speaker_name, count(*) AS quotes, count(DISTINCT a.article_id) AS articles
        FROM read_parquet('{dataset}/attributions/*.parquet') a
        JOIN read_parquet('{dataset}/articles/*.parquet') r ON r.id = a.article_id
        WHERE a.kind = 'direct' AND r.outlet = 'Harbour Gazette'
        GROUP BY 1 ORDER BY 2 DESC""").fetchall()
    assert rows == [("Ann Lee", 3, 3)]


def test_empty_partition_still_has_typed_tables(tmp_path):
    write_tables(tmp_path, "part-00000", {})
    for table in parquet.TABLES:
        t = pq.read_table(tmp_path / table / "part-00000.parquet")
        assert t.num_rows == 0 and t.schema.equals(parquet.SCHEMAS[table])
    assert list(iter_reports(tmp_path)) == []


def test_no_temporary_files_are_left(dataset):
    assert not [p for p in dataset.rglob(".*") if p.is_file()]


def test_iter_reports_names_the_folder_it_cannot_read(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        list(iter_reports(tmp_path / "missing"))
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(FormatError, match="not a sayso Parquet dataset"):
        list(iter_reports(tmp_path))
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "part-00000.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(FormatError, match="part-00000.parquet"):
        list(iter_reports(tmp_path))


def test_a_partition_counts_done_only_with_its_entry_and_every_table(dataset):
    assert not manifest.is_done(dataset, "part-00000", "fp0")  # tables but no entry
    manifest.write_json(manifest.entry_path(dataset, "part-00000"), {"fingerprint": "fp0"})
    assert manifest.is_done(dataset, "part-00000", "fp0")
    assert not manifest.is_done(dataset, "part-00000", "other inputs")
    (dataset / "figures" / "part-00000.parquet").unlink()
    assert not manifest.is_done(dataset, "part-00000", "fp0")
