"""`sayso run` when things go wrong (audit findings 8, 9, 11) and how it sizes its work."""
from __future__ import annotations

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
from sayso.engine import iter_reports, manifest, run, run_articles
from sayso.errors import InputError
from sayso.model import Article

runner = CliRunner()
STORY = '"We will rebuild the bridge," Mayor Ann Lee said. ({})'


def arts(n: int, poison: int | None = None) -> list[Article]:
    return [Article(text=STORY.format(i) + (" POISON" if i == poison else ""), id=f"s{i:02d}")
            for i in range(n)]


def test_a_second_run_into_a_folder_in_use_is_refused(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(STORY.format(1))
    out = tmp_path / "out"
    with manifest.lock(out):  # another run holds it
        res = runner.invoke(app, ["run", str(src), "--out", str(out), "--no-model"])
    assert res.exit_code == 3 and "is in use by another `sayso run`" in res.stderr
    assert not (out / "articles").exists()  # nothing of the refused run landed there
    res = runner.invoke(app, ["run", str(src), "--out", str(out), "--no-model"])
    assert res.exit_code == 0, res.stderr  # the lock went with the run that held it


def test_a_lone_surrogate_line_fails_alone_in_a_run(tmp_path: Path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "bad", "text": "\\ud800 broken, he said."}\n'
                    + json.dumps({"id": "good", "text": STORY.format(1)}) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["run", str(feed), "--out", str(tmp_path / "out"), "--no-model"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code == 1, res.stderr
    summary = json.loads((tmp_path / "out" / "manifest.json").read_text())
    (fail,) = summary["failures"]  # before: a UnicodeEncodeError traceback, the good line lost too
    assert "feed.jsonl:1" in fail["source"] and "lone surrogate" in fail["reason"]
    assert [a.id for a, _ in iter_reports(tmp_path / "out")] == ["good"]


def test_out_naming_a_file_is_a_clear_error(tmp_path: Path):
    f = tmp_path / "out.txt"
    f.write_text("x")
    with pytest.raises(InputError, match="is a file, not a folder"):
        run_articles(arts(1), f, model=None)


def test_an_article_that_kills_its_worker_is_recorded_and_its_partition_completes(tmp_path: Path):
    from sayso.engine.task import KillOn
    out = tmp_path / "out"
    stats = run_articles(arts(12, poison=5), out, model=None, workers=2, partition_size=3,
                         article_fn=KillOn("POISON"))
    summary = json.loads((out / "manifest.json").read_text())
    assert summary["complete"] and summary["articles"] == 11 and not stats.partition_errors
    (fail,) = summary["failures"]
    assert fail["id"] == "s05" and "killed its worker process" in fail["reason"]
    assert sorted(a.id for a, _ in iter_reports(out)) == [f"s{i:02d}" for i in range(12) if i != 5]
    again = run_articles(arts(12, poison=5), out, model=None, workers=2, partition_size=3,
                         article_fn=KillOn("POISON"))
    assert again.skipped == 4 and again.written == 0  # a rerun does not meet the poison again


DASK_KILL = """
import json, sys
import dask
from sayso.engine import iter_reports, run_articles
from sayso.engine.dask import DaskEngine
from sayso.engine.task import KillOn
from sayso.model import Article
if __name__ == "__main__":
    arts = [Article(text='"We will rebuild the bridge," Mayor Ann Lee said. (%d)' % i + (" POISON" if i == 5 else ""),
                    id="s%02d" % i) for i in range(8)]
    # a lost worker's nanny closed at once (the LocalCluster does so 15 s after a loss when
    # the worker is dead again at that moment): the run must start workers again, not wait
    with dask.config.set({"distributed.deploy.lost-worker-timeout": "0s"}), DaskEngine(workers=2) as eng:
        stats = run_articles(arts, sys.argv[1], engine=eng, model=None, partition_size=2,
                             article_fn=KillOn("POISON"))
    print(json.dumps({"partition_errors": stats.partition_errors, "summary": stats.summary,
                      "ids": sorted(a.id for a, _ in iter_reports(sys.argv[1]))}))
"""


@pytest.mark.slow
def test_a_dask_worker_killed_by_an_article_costs_only_that_article(tmp_path: Path):
    # a real SIGKILL of the worker process (what the OOM killer does), in a child process
    # with a time limit: before, the run could wait forever once the cluster closed its nannies
    res = subprocess.run([sys.executable, "-c", DASK_KILL, str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=150)
    assert res.returncode == 0, res.stderr[-2000:]
    got = json.loads(res.stdout.strip().splitlines()[-1])
    assert not got["partition_errors"] and got["summary"]["complete"]
    assert got["summary"]["articles"] == 7
    (fail,) = got["summary"]["failures"]
    assert fail["id"] == "s05" and "killed its worker process" in fail["reason"]
    assert got["ids"] == [f"s{i:02d}" for i in range(8) if i != 5]


KILLED = """
import sys
from sayso.engine import run_articles
from sayso.model import Article
if __name__ == "__main__":
    arts = [Article(text=('"We will rebuild the bridge," Mayor Ann Lee said. ' * 40) + str(i), id=f"s{i}")
            for i in range(400)]
    run_articles(arts, sys.argv[1], model=None, workers=2, partition_size=2)
"""


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d.name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_killing_a_run_ends_its_worker_processes(tmp_path: Path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(out)])
    try:
        deadline = time.time() + 90
        while not list((out / "_manifest").glob("part-*.json")):  # workers loaded and working
            assert proc.poll() is None and time.time() < deadline
            time.sleep(0.1)
        workers = [c for c in _children(proc.pid) if "spawn_main" in
                   (Path("/proc") / str(c) / "cmdline").read_bytes().decode(errors="replace")]
        assert workers, "the run's worker processes"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.time() + 10
    while any(_alive(w) for w in workers) and time.time() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "orphaned workers still running"


def test_a_repeated_article_id_gets_its_own_key(tmp_path: Path):
    src = tmp_path / "in"
    for sub in ("a", "b"):  # two files named alike in two folders: one id, "story"
        (src / sub).mkdir(parents=True)
        (src / sub / "story.txt").write_text(STORY.format(sub))
    stats = run([str(src)], tmp_path / "out", model=None)
    assert stats.ok
    ids = [a.id for a, _ in iter_reports(tmp_path / "out")]
    assert len(ids) == 2 and ids[0] == "story" and ids[1].startswith("story-") and len(set(ids)) == 2


def test_partitions_are_sized_from_the_inputs_and_workers(tmp_path: Path):
    from sayso.engine.runner import auto_size
    src = tmp_path / "in"
    src.mkdir()
    for i in range(84):
        (src / f"a{i:02d}.txt").write_text(STORY.format(i))
    assert auto_size([str(src)], 2) == 11  # 84 articles on 2 workers: 8 partitions, none idle
    assert auto_size([str(src)], 1) == 21
    feed = tmp_path / "big.jsonl"
    with open(feed, "wb") as fh:
        fh.truncate(200_000_000)  # a sparse 200 MB feed: sized from its bytes, never read
    assert auto_size([str(feed)], 4) == 2000  # thousands per partition
    res = runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "out"), "--no-model"])
    assert res.exit_code == 0, res.stderr
    assert "4 partition(s)" in res.stderr  # the command's default is that size
    assert json.loads((tmp_path / "out" / "_dataset.json").read_text())["partition_size"] == 21


def test_an_article_over_the_timeout_is_recorded_and_the_run_goes_on(tmp_path: Path):
    long = Article(text="The minister said the plan was sound. " * 800, id="long")
    stats = run_articles([long, *arts(2)], tmp_path / "out", model=None, timeout=0.3)
    (fail,) = stats.failures
    assert fail["id"] == "long" and fail["error"] == "TimeLimitError" and "0.3 s time limit" in fail["reason"]
    assert stats.articles == 2 and stats.summary["complete"]


def test_worker_processes_watch_their_parent():
    code = ("import os, sys, time\nfrom sayso.engine.local import watch_parent\n"
            "watch_parent(int(sys.argv[1]), every=0.05)\ntime.sleep(30)\n")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a parent that no longer exists
    child = subprocess.Popen([sys.executable, "-c", code, str(gone.pid)])
    assert child.wait(timeout=20) == 70
    child = subprocess.Popen([sys.executable, "-c", code, str(os.getpid())])
    time.sleep(0.5)
    assert child.poll() is None  # its parent is alive: it keeps working
    child.kill()
    child.wait()
