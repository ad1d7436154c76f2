"""The Dask engine on a real LocalCluster of two worker processes (one cluster for the module)."""
import json

import pytest
from typer.testing import CliRunner

from sayso.cli import app
from sayso.engine import iter_reports, run_articles
from sayso.engine.dask import DaskEngine
from sayso.engine.task import FailOn, get_reader, readers_loaded
from sayso.errors import SaysoError
from sayso.model import Article

pytestmark = pytest.mark.slow

STORIES = [
    '"We will rebuild the bridge," Mayor Ann Lee said on Tuesday. Work is due to start in March.',
    'Police said two people were taken to hospital after the crash on Route 9. '
    '"The road was icy," a spokesman said.',
    '"Prices will keep rising this winter," the energy minister, Raj Patel, warned on Monday.',
    'Fishermen in Port Ellis say the new quotas will cost jobs, according to their union.',
]


def stories(n: int) -> list[Article]:
    return [Article(text=STORIES[i % len(STORIES)] + f" (item {i})", id=f"item-{i:03d}")
            for i in range(n)]


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as c:
        yield c


@pytest.fixture(scope="module")
def engine(cluster):
    with DaskEngine(cluster.scheduler_address) as eng:
        assert eng.n_workers() == 2
        yield eng


def test_a_poisoned_article_is_reported_and_the_rest_completes(engine, tmp_path):
    arts = stories(12)
    arts[7] = Article(text="POISON " + arts[7].text, id=arts[7].id, path="feed/item-007.txt")
    outcomes = []
    stats = run_articles(arts, tmp_path / "out", engine=engine, model=None, partition_size=2,
                         article_fn=FailOn("POISON"), on_partition=outcomes.append)
    assert stats.written == 6 and not stats.partition_errors
    (fail,) = stats.summary["failures"]
    assert fail["id"] == "item-007" and fail["partition"] == "part-00003"
    assert "RuntimeError: poisoned article item-007" in fail["reason"]
    ids = sorted(a.id for a, _ in iter_reports(tmp_path / "out"))
    assert ids == [a.id for a in arts if a.id != "item-007"]
    # the work ran in the worker processes, each holding one Reader for all its partitions
    assert {o.worker.split(":")[1] for o in outcomes} - {str(__import__("os").getpid())}
    assert all(o.readers == 1 for o in outcomes)
    loaded = engine._client.run(readers_loaded)
    assert set(loaded.values()) <= {0, 1} and sum(loaded.values()) >= 1


def test_dask_local_and_extract_article_give_identical_attributions(engine, tmp_path):
    arts = stories(10)
    run_articles(arts, tmp_path / "dask", engine=engine, model=None, partition_size=3)
    run_articles(arts, tmp_path / "local", engine="local", model=None, partition_size=4)
    reader = get_reader(None)
    direct = {a.id: [x.to_dict() for x in reader.extract_article(a).attributions] for a in arts}

    def atts(d):
        return {a.id: [x.to_dict() for x in r.attributions] for a, r in iter_reports(d)}

    assert atts(tmp_path / "dask") == atts(tmp_path / "local") == direct
    assert any(direct.values())


def test_cli_run_on_an_existing_scheduler_resumes(cluster, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for a in stories(5):
        (folder / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
    args = ["run", str(folder), "--out", str(tmp_path / "out"), "--engine", "dask",
            "--scheduler", cluster.scheduler_address, "--no-model", "--partition-size", "2"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "3 written" in first.stderr
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0 and "3 already done, 0 written" in second.stderr
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["articles"] == 5


def test_cli_starts_its_own_local_cluster_spreads_a_small_input_and_stays_quiet(tmp_path):
    import subprocess
    import sys
    folder = tmp_path / "in"
    folder.mkdir()
    for i, story in enumerate(STORIES):
        (folder / f"s{i}.txt").write_text(story, encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "sayso.cli", "run", str(folder), "--out", str(tmp_path / "out"),
                          "--engine", "dask", "--workers", "2", "--no-model"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    # before: one partition of 50 for 84 articles, and distributed's INFO lines on the console
    assert "dask (LocalCluster), 2 worker(s): 4 partition(s)" in res.stderr, res.stderr
    assert "INFO" not in res.stderr and "distributed." not in res.stderr, res.stderr
    assert sorted(a.id for a, _ in iter_reports(tmp_path / "out")) == [f"s{i}" for i in range(len(STORIES))]


def test_an_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(SaysoError, match="cannot reach Dask scheduler tcp://127.0.0.1:1"):
        with DaskEngine("tcp://127.0.0.1:1", connect_timeout="1s"):
            pass
