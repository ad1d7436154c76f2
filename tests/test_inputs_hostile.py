"""Hostile input files (audit findings 3, 5, 6 and the folder walk of 11): each is refused
with a clear error, fast and in bounded memory, and the good inputs beside it are read."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sayso.errors import FormatError, InputError
from sayso.inputs import iter_inputs
from sayso.model import Article

GOOD = '"We will rebuild the bridge," Mayor Ann Lee said.\n'


def read(*paths, **kw) -> list:
    return list(iter_inputs([str(p) for p in paths], **kw))


def test_a_lone_surrogate_fails_its_line_only(tmp_path: Path):
    f = tmp_path / "feed.jsonl"
    f.write_text('{"id": "a", "text": "Broken \\ud800 text, she said."}\n'
                 '{"id": "b", "text": "Police said the road was closed."}\n'
                 '{"id": "\\udfff", "text": "A good text with a bad id, he said."}\n', encoding="utf-8")
    first, second, third = read(f)
    assert isinstance(first, FormatError) and "feed.jsonl:1" in str(first)
    assert "lone surrogate" in str(first) and "\\ud800" in str(first)
    assert isinstance(second, Article) and second.id == "b"
    assert isinstance(third, FormatError) and '"id"' in str(third)


def capped(code: str, mb: int, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run python code in a child with an address-space cap."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=cap)


READ = ("import sys\nfrom sayso.inputs import iter_inputs\n"
        "for x in iter_inputs(sys.argv[1:]): print(type(x).__name__, str(x)[:300])\n")


def test_a_huge_sparse_file_is_refused_from_its_size_before_reading(tmp_path: Path):
    txt, page = tmp_path / "huge.txt", tmp_path / "huge.html"
    for f in (txt, page):
        with open(f, "wb") as fh:
            fh.truncate(1 << 30)  # 1 GB of holes: reading it whole took 1.2 GB
    t0 = time.monotonic()
    res = capped(READ.replace("sys.argv[1:]", repr([str(txt), str(page)])), mb=600)
    assert res.returncode == 0, res.stderr[-500:]
    lines = res.stdout.splitlines()
    assert len(lines) == 2 and all("1073.7 MB, over the 2.0 MB limit" in line for line in lines), lines
    assert time.monotonic() - t0 < 30


def test_a_jsonl_file_without_line_breaks_is_read_past_in_bounded_memory(tmp_path: Path):
    f = tmp_path / "feed.jsonl"
    with open(f, "wb") as fh:
        fh.truncate(700 << 20)  # a 700 MB "line" of NUL bytes (holes), then a good record: read
        # whole (a 1 GB one took 2.25 GB), it cannot pass the 600 MB cap; a bounded read gets past it
    with open(f, "ab") as fh:
        fh.write(b'\n{"id": "ok", "text": "Police said the road was closed."}\n')
    res = capped(READ.replace("sys.argv[1:]", repr([str(f)])), mb=600, timeout=120)
    assert res.returncode == 0, res.stderr[-500:]
    first, second = res.stdout.splitlines()
    assert first.startswith("InputError") and "feed.jsonl:1: record is over the 2.0 MB limit" in first
    assert second.startswith("Article")


def test_devices_and_fifos_are_refused_without_reading(tmp_path: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    # in a capped child with a time limit: before, a FIFO hung and /dev/zero ran until MemoryError
    res = capped(READ.replace("sys.argv[1:]", repr(["/dev/zero", str(fifo), str(good)])), mb=600,
                 timeout=30)
    assert res.returncode == 0, res.stderr[-500:]
    zero, pipe, ok = res.stdout.splitlines()
    assert "/dev/zero: is a device, not a regular file" in zero
    assert "is a FIFO (named pipe), not a regular file" in pipe
    assert ok.startswith("Article")


@pytest.mark.parametrize("gz", [False, True])
def test_a_warc_without_a_line_break_gets_a_short_error(tmp_path: Path, gz: bool):
    import gzip
    f = tmp_path / ("bad.warc.gz" if gz else "bad.warc")
    data = b"W" * 1_000_000
    f.write_bytes(gzip.compress(data) if gz else data)
    (err,) = read(f)
    assert isinstance(err, FormatError) and "is not a WARC archive" in str(err)
    assert len(str(err)) < 400  # the whole 1 MB line was in the message
    short = tmp_path / "short.warc"
    short.write_bytes(b"W" * 5000)  # under the peek: warcio's own error, quoted briefly
    (err,) = read(short)
    assert isinstance(err, FormatError) and len(str(err)) < 500


def test_folders_report_symlink_loops_and_follow_links_once(tmp_path: Path):
    root = tmp_path / "in"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "one.txt").write_text(GOOD)
    (root / "a" / "b" / "loop").symlink_to(root)            # back to a folder above
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "two.txt").write_text(GOOD)
    (root / "linked").symlink_to(tmp_path / "elsewhere")     # a real folder, followed
    (root / "again").symlink_to(root / "a")                  # read already: not twice
    got = read(root)
    arts = [x.path for x in got if isinstance(x, Article)]
    errs = [str(x) for x in got if isinstance(x, InputError)]
    assert arts == [str(root / "a" / "b" / "one.txt"), str(root / "linked" / "two.txt")]
    assert len(errs) == 1 and "loop: is a symlink loop" in errs[0]


def test_an_unreadable_folder_is_reported(tmp_path: Path, monkeypatch):
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "x.txt").write_text(GOOD)
    (root / "z.txt").write_text(GOOD)
    real = os.scandir

    def scandir(path):  # root reads any folder, so the refusal is simulated at the OS call
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    got = read(root)
    assert "locked: folder cannot be read: Permission denied" in str(got[0])
    assert isinstance(got[1], Article) and got[1].path.endswith("z.txt")
