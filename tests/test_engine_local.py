"""The local engine end to end: real files in, a Parquet dataset out, reruns resume."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sayso.cli import app
from sayso.engine import iter_reports, run, run_articles
from sayso.engine.task import FailOn, get_reader
from sayso.model import Article

STORIES = [
    '"We will rebuild the bridge," Mayor Ann Lee said on Tuesday. Work is due to start in March.',
    'Police said two people were taken to hospital after the crash on Route 9. '
    '"The road was icy," a spokesman said.',
    'The council approved $4.2 million for repairs, according to a statement. '
    '"This is long overdue," councillor Tom Hart told reporters.',
    '"Prices will keep rising this winter," the energy minister, Raj Patel, warned on Monday.',
    'Fishermen in Port Ellis say the new quotas will cost jobs. "We cannot survive this," '
    'said Mary Quinn, who runs a trawler.',
]


def stories(n: int, prefix: str = "story") -> list[Article]:
    return [Article(text=STORIES[i % len(STORIES)] + f" ({prefix} {i})", id=f"{prefix}-{i:03d}")
            for i in range(n)]


def write_folder(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for art in stories(n):
        (folder / f"{art.id}.txt").write_text(art.text, encoding="utf-8")
    return folder


def attributions(pairs) -> dict[str, list[dict]]:
    return {art.id: [a.to_dict() for a in rep.attributions] for art, rep in pairs}


def test_run_writes_every_article_and_matches_extract_article(tmp_path):
    src = write_folder(tmp_path / "in", 7)
    (src / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    stats = run([str(src)], tmp_path / "out", model=None, partition_size=3)
    assert (stats.partitions, stats.written, stats.skipped) == (3, 3, 0)
    summary = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert summary["articles"] == 7 and summary["complete"]
    (fail,) = summary["failures"]
    assert fail["stage"] == "read" and "broken.txt" in fail["reason"] and "binary" in fail["reason"]
    pairs = list(iter_reports(tmp_path / "out"))
    assert sorted(a.id for a, _ in pairs) == [f"story-{i:03d}" for i in range(7)]
    reader = get_reader(None)
    expected = {a.id: [x.to_dict() for x in reader.extract_article(a).attributions] for a, _ in pairs}
    assert attributions(pairs) == expected
    assert any(expected.values()), "the stories hold attributions once the rules run"


def test_rerun_skips_done_partitions_and_redoes_changed_or_missing_ones(tmp_path):
    src = write_folder(tmp_path / "in", 6)
    out = tmp_path / "out"
    first = run([str(src)], out, model=None, partition_size=2)
    assert (first.partitions, first.written) == (3, 3)
    again = run([str(src)], out, model=None, partition_size=2)
    assert (again.skipped, again.written) == (3, 0)
    os.unlink(out / "_manifest" / "part-00001.json")  # as if killed before its entry landed
    (src / "story-005.txt").write_text(STORIES[0] + " Updated.", encoding="utf-8")
    third = run([str(src)], out, model=None, partition_size=2)
    assert (third.skipped, third.written) == (1, 2)
    texts = {a.id: a.text for a, _ in iter_reports(out)}
    assert len(texts) == 6 and texts["story-005"].endswith("Updated.")


def test_fewer_inputs_remove_stale_partitions(tmp_path):
    src = write_folder(tmp_path / "in", 6)
    run([str(src)], tmp_path / "out", model=None, partition_size=2)
    for name in ("story-004.txt", "story-005.txt"):
        (src / name).unlink()
    stats = run([str(src)], tmp_path / "out", model=None, partition_size=2)
    assert stats.partitions == 2 and stats.summary["articles"] == 4
    assert len(list(iter_reports(tmp_path / "out"))) == 4


def test_a_poisoned_article_fails_alone(tmp_path):
    arts = stories(5)
    arts[2] = Article(text="POISON " + arts[2].text, id=arts[2].id)
    stats = run_articles(arts, tmp_path / "out", model=None, partition_size=5,
                         article_fn=FailOn("POISON"))
    (fail,) = stats.failures
    assert fail["id"] == "story-002" and fail["stage"] == "extract" and "poisoned" in fail["reason"]
    assert sorted(a.id for a, _ in iter_reports(tmp_path / "out")) == [
        "story-000", "story-001", "story-003", "story-004"]
    assert not stats.ok


def test_resuming_needs_the_same_partition_size_and_model(tmp_path):
    run_articles(stories(2), tmp_path / "out", model=None, partition_size=2)
    with pytest.raises(Exception, match="--partition-size 2"):
        run_articles(stories(2), tmp_path / "out", model=None, partition_size=3)
    with pytest.raises(Exception, match="model"):
        run_articles(stories(2), tmp_path / "out", model="default", partition_size=2)


KILL_SCRIPT = """
import sys, time
from sayso.engine import run_articles
from sayso.model import Article

def slow(reader, article):
    time.sleep(0.3)
    return reader.extract_article(article)

arts = [Article(text=f'"We will rebuild the bridge," Mayor Ann Lee said. ({i})', id=f"s{i:02d}")
        for i in range(40)]
run_articles(arts, sys.argv[1], model=None, partition_size=2, article_fn=slow)
"""


def test_a_killed_run_loses_only_the_partitions_in_flight(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(out)])
    try:
        deadline = time.time() + 60
        while len(list((out / "_manifest").glob("part-*.json"))) < 2:
            assert proc.poll() is None and time.time() < deadline, "the run ended before it was killed"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    kept = len(list((out / "_manifest").glob("part-*.json")))
    assert 2 <= kept < 20
    arts = [Article(text=f'"We will rebuild the bridge," Mayor Ann Lee said. ({i})', id=f"s{i:02d}")
            for i in range(40)]
    stats = run_articles(arts, out, model=None, partition_size=2)
    assert stats.skipped == kept and stats.written == 20 - kept and stats.ok
    ids = [a.id for a, _ in iter_reports(out)]
    assert ids == [f"s{i:02d}" for i in range(40)]
    assert not [p for p in out.rglob(".*.tmp")]


runner = CliRunner()


def test_cli_run_then_extract_give_the_same_attributions(tmp_path):
    src = write_folder(tmp_path / "in", 4)
    res = runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "out"), "--no-model",
                              "--partition-size", "3", "--progress"])
    assert res.exit_code == 0, res.output
    assert "2 partition(s)" in res.stderr and "part-00001: 1 written" in res.stderr
    ext = runner.invoke(app, ["extract", str(src), "--no-model", "-f", "jsonl"])
    assert ext.exit_code == 0, ext.output
    from_extract = {json.loads(line)["document"]["id"]: json.loads(line)["attributions"]
                    for line in ext.stdout.splitlines() if line.strip()}
    assert attributions(iter_reports(tmp_path / "out")) == from_extract


def test_cli_exit_codes(tmp_path):
    src = write_folder(tmp_path / "in", 2)
    (src / "empty.txt").write_text("   ")
    res = runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "a"), "--no-model"])
    assert res.exit_code == 1 and "empty.txt: is empty" in res.stderr
    res = runner.invoke(app, ["run", str(tmp_path / "nothing-here"), "--out", str(tmp_path / "b"),
                              "--no-model"])
    assert res.exit_code == 3 and "no such file or folder" in res.stderr
    res = runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "c"),
                              "--scheduler", "tcp://127.0.0.1:8786"])
    assert res.exit_code == 2 and "--engine dask" in res.stderr
    # the first run sized its partitions itself (3 files on 1 worker: 1 each); another size
    # cannot resume it, and no size given takes the recorded one
    res = runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "a"), "--no-model",
                              "--partition-size", "7"])
    assert res.exit_code == 3 and "--partition-size 1;" in res.stderr
    res = runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "a"), "--no-model"])
    assert res.exit_code == 1 and "3 already done" in res.stderr


def test_sayso_ingest_loads_the_dataset_into_a_corpus(tmp_path):
    from sayso.corpus import Corpus
    run_articles(stories(3), tmp_path / "out", model=None, partition_size=2)
    res = runner.invoke(app, ["ingest", "--from-parquet", str(tmp_path / "out"),
                              "--db", str(tmp_path / "corpus.db")])
    assert res.exit_code == 0, res.output
    corpus = Corpus.open(tmp_path / "corpus.db")
    try:
        stored = corpus.article("story-001")
        assert stored["article"]["text"] == stories(3)[1].text
        original = dict(iter_reports(tmp_path / "out"))
        expected = next(r for a, r in original.items() if a.id == "story-001")
        assert stored["report"]["attributions"] == expected.to_dict()["attributions"]
    finally:
        corpus.close()
