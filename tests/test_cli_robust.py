"""`sayso extract` under hostile conditions (audit findings 3, 4, 10, 11): long ids, a full
disk, planted symlinks, terminal escapes, a lone surrogate, an article over --timeout."""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from sayso.cli import app

GOOD = '"We will rebuild the bridge," Mayor Ann Lee said on Tuesday.\n'
SAYSO = [sys.executable, "-m", "sayso.cli"]


class _Result:
    def __init__(self, r):
        self.returncode = r.exit_code
        self.stdout, self.stderr = r.stdout.encode(), r.stderr.encode()


def sayso(*args, preexec_fn=None) -> "_Result | subprocess.CompletedProcess":
    """The command in this process (CliRunner), or in a child when it needs a limit set."""
    if preexec_fn is None:
        return _Result(CliRunner().invoke(app, list(args)))
    return subprocess.run([*SAYSO, *args], capture_output=True, timeout=180, preexec_fn=preexec_fn)


def test_an_id_of_90_cjk_characters_gets_a_file_name_the_disk_accepts(tmp_path: Path):
    feed = tmp_path / "feed.jsonl"
    long_id = "新闻" * 45  # 270 bytes in UTF-8: cut at 120 characters it was ENAMETOOLONG
    feed.write_text(json.dumps({"id": long_id, "text": GOOD}) + "\n" +
                    json.dumps({"id": long_id + "x", "text": GOOD + " Again."}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    res = sayso("extract", str(feed), "-o", str(out), "--no-model")
    assert res.returncode == 0, res.stderr.decode()
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and all(len(n.encode()) <= 255 for n in names)
    assert names[0] != names[1]  # ids sharing their first 200 bytes stay apart


def test_a_full_disk_leaves_no_empty_file_and_says_so(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    out = tmp_path / "out"

    def small_disk() -> None:  # files over 100 bytes cannot be written: a disk that is full
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    res = sayso("extract", str(f), "-o", str(out), "--no-model", preexec_fn=small_disk)
    err = res.stderr.decode()
    assert res.returncode == 3, err
    assert "cannot write" in err and "Traceback" not in err
    assert list(out.iterdir()) == []  # no 0-byte file, no temporary file


def test_a_symlink_planted_in_the_output_folder_is_not_followed(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "a.json").symlink_to(victim)
    res = sayso("extract", str(f), "-o", str(out), "--no-model")
    assert res.returncode == 0, res.stderr.decode()
    assert victim.read_text() == "precious"
    assert not (out / "a.json").is_symlink() and json.loads((out / "a.json").read_text())["attributions"]
    assert "replaced 1 file(s)" in res.stderr.decode()  # overwriting an earlier run is said


def test_terminal_escapes_in_an_article_are_shown_not_obeyed(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text('"We will \x1b]0;pwned\x07rebuild \x1b[2J the bridge," Mayor Ann Lee said.\n')
    res = sayso("extract", str(f), "--no-model")
    out = res.stdout.decode()
    assert res.returncode == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;pwned\\x07rebuild" in out


def test_a_lone_surrogate_line_fails_alone_and_the_others_are_written(tmp_path: Path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "bad", "text": "\\ud800 broken, he said."}\n'
                    + json.dumps({"id": "good", "text": GOOD}) + "\n", encoding="utf-8")
    res = sayso("extract", str(feed), "--format", "jsonl", "--no-model")
    err = res.stderr.decode()
    assert res.returncode == 1 and "Traceback" not in err and "feed.jsonl:1" in err
    (line,) = res.stdout.decode().splitlines()
    assert json.loads(line)["document"]["id"] == "good"


def test_an_article_over_the_timeout_fails_alone(tmp_path: Path):
    (tmp_path / "long.txt").write_text("The minister said the plan was sound. " * 800)  # 30 KB
    (tmp_path / "short.txt").write_text(GOOD)
    res = sayso("extract", str(tmp_path), "--no-model", "--timeout", "0.3", "--format", "jsonl")
    err = res.stderr.decode()
    assert res.returncode == 1, err
    assert "long.txt: " in err and "time limit" in err
    (line,) = res.stdout.decode().splitlines()
    assert json.loads(line)["document"]["id"] == "short"
    assert "1 article(s) processed, 1 failed" in err


def test_an_output_dir_that_is_a_file_is_a_usage_error(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text(GOOD)
    res = sayso("extract", str(f), "-o", str(f), "--no-model")
    assert res.returncode == 2 and "is a file, not a folder" in res.stderr.decode()
