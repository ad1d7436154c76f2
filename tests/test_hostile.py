"""Hostile articles stay bounded (audit findings 1 and 2): each runs in one child process
under a memory cap and its own time limit, so a regression fails here instead of taking
the machine down. The limits are generous for the fixed code (a few seconds each) and far
below what the code before the fix took (60 s to OOM-killed)."""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from hostile_cases import CASES

CAP_MB = 1800


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP_MB << 20, CAP_MB << 20))

    script = Path(__file__).with_name("hostile_cases.py")
    res = subprocess.run([sys.executable, str(script), *CASES], capture_output=True, text=True,
                         timeout=sum(limit for _, _, limit in CASES.values()) + 60, preexec_fn=cap)
    out = {}
    for line in res.stdout.splitlines():
        row = json.loads(line)
        out[row["case"]] = row
    if res.returncode:  # e.g. MemoryError under the cap: the cases not printed fail below
        for name in CASES:
            out.setdefault(name, {"error": f"the process ended ({res.stderr.strip()[-300:]})"})
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_article_is_read_in_bounded_time_and_memory(results, case):
    got = results[case]
    assert "error" not in got, got
    assert got["offsets_wrong"] == 0
    assert got["peak_mb"] < CAP_MB
