"""`sayso extract` as a user runs it: a real subprocess over real files."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = '"We will rebuild the bridge," Mayor Ann Lee said on Tuesday.\n'


def sayso(*args, stdin: bytes | None = None, cwd=None):
    exe = Path(sys.executable).with_name("sayso")
    return subprocess.run([str(exe), *args], input=stdin, capture_output=True, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    d = tmp_path_factory.mktemp("batch")
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "second.txt").write_text("Police said the road was closed. " * 3, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "latin1.txt").write_bytes("Le ministre a déclaré: «Non».".encode("latin-1"))
    (d / "huge.txt").write_bytes(b"The minister said the plan was sound. " * 140_000)  # ~5.3 MB
    return d


def test_folder_to_output_dir_keeps_going_past_bad_files(batch, tmp_path):
    out = tmp_path / "out"
    res = sayso("extract", str(batch), str(batch / "missing.txt"), "--output-dir", str(out), "--no-model")
    err = res.stderr.decode()
    assert res.returncode == 1, err
    assert sorted(p.name for p in out.iterdir()) == ["good.json", "second.json"]
    for name, why in [("empty.txt", "empty"), ("binary.txt", "binary"), ("latin1.txt", "UTF-8"),
                      ("huge.txt", "MB"), ("missing.txt", "no such file")]:
        line = next(line for line in err.splitlines() if name in line)
        assert why in line, line
    assert "2 article(s) processed, 5 failed" in err
    rep = json.loads((out / "good.json").read_text())
    a = rep["attributions"][0]
    text = (batch / "good.txt").read_text()
    assert text[a["content"]["start"]:a["content"]["end"]] == a["content"]["text"]
    assert a["speaker"]["name"] == "Ann Lee"


def test_stdin_json_and_jsonl(tmp_path):
    res = sayso("extract", "-", "--format", "json", "--no-model", stdin=GOOD.encode())
    assert res.returncode == 0, res.stderr.decode()
    rep = json.loads(res.stdout)
    assert rep["attributions"][0]["kind"] == "direct"
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    g = tmp_path / "b.txt"
    g.write_text("According to the ministry, the road is closed.")
    res = sayso("extract", str(f), str(g), "--format", "jsonl", "--no-model")
    lines = res.stdout.decode().splitlines()
    assert res.returncode == 0 and len(lines) == 2
    assert all(json.loads(line)["attributions"] for line in lines)


def test_text_format_groups_by_speaker(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD + "Lee added that the work would take a year.\n")
    res = sayso("extract", str(f), "--no-model")
    out = res.stdout.decode()
    assert res.returncode == 0
    assert "Ann Lee" in out and "We will rebuild the bridge" in out and "the work would take a year" in out


def test_help_and_usage_errors():
    res = sayso("extract", "--help")
    assert res.returncode == 0 and b"--output-dir" in res.stdout
    assert sayso("extract").returncode == 2


def test_jsonl_records_get_one_file_each_and_a_bad_line_is_reported(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text('{"id": "wire/1", "text": "\\"We will win,\\" Mayor Ann Lee said."}\n'
                 'not json\n'
                 '{"id": "wire/2", "text": "Police said the road was closed."}\n')
    out = tmp_path / "out"
    res = sayso("extract", str(f), "--output-dir", str(out), "--no-model")
    assert res.returncode == 1
    assert "feed.jsonl:2" in res.stderr.decode()
    assert sorted(p.name for p in out.iterdir()) == ["wire_1.json", "wire_2.json"]
