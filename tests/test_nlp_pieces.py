"""Long texts are parsed in bounded pieces and joined exactly; Reader.pipe streams."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import assert_offsets
from sayso import nlp
from sayso.model import Article

LONG = 'word ' * 200 + '"quoted stuff," he said. '


def test_an_ordinary_article_is_parsed_whole():
    text = ("The minister said the plan was sound.\n\n" * 300)[:20_000]
    assert not nlp.needs_pieces(text)
    assert nlp.pieces(text) == [(0, len(text))]


def test_pieces_cover_the_text_and_cut_where_they_should():
    paras = "\n\n".join(f"Paragraph {i} says the plan was sound, she said." * 8 for i in range(200))
    one = LONG * 40  # 41,000 characters in one paragraph
    blob = "x" * 9_000  # no whitespace at all
    for text in (paras, one, blob, paras + "\n" + one + "\n" + blob):
        cuts = nlp.pieces(text)
        assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))
        assert all(e - s <= nlp.PIECE_CHARS for s, e in cuts)
    assert all(paras[e - 1] == "\n" for _, e in nlp.pieces(paras)[:-1])  # at paragraph breaks
    assert all(e - s <= nlp.PARA_CHARS for s, e in nlp.pieces(one))
    assert all(one[e - 2:e] == ". " for _, e in nlp.pieces(one)[:-1])  # after sentence ends
    assert [e - s for s, e in nlp.pieces(blob)] == [4000, 4000, 1000]  # failing those, a fixed size


def test_a_long_text_parses_in_pieces_with_exact_offsets(reader):
    text = LONG * 40 + "\n\n" + '"We will rebuild the bridge," Mayor Ann Lee said.\n'
    doc = reader.parse(text)
    assert doc.text == text and len(nlp.pieces(text)) > 5
    assert all(text[t.idx:t.idx + len(t.text)] == t.text for t in doc)
    assert all(0 <= t.head.i < len(doc) for t in doc)
    starts = {s for s, _ in nlp.pieces(text)}
    assert all(doc.char_span(s, s + 1, alignment_mode="expand")[0].is_sent_start for s in starts
               if not text[s].isspace())
    report = reader.extract(text)
    assert_offsets(text, report)
    assert any(a.speaker and a.speaker.name == "Ann Lee" for a in report.attributions)


PEAK = """
from sayso import nlp

def hwm():  # the process's peak resident memory so far, in MB
    return next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM")) // 1024

pipeline = nlp.load()
nlp.parse(pipeline, "Warm up, she said.")
base = hwm()
text = ('word ' * 200 + '"quoted stuff," he said. ') * 100
assert nlp.parse(pipeline, text).text == text
print(base, hwm())
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_a_long_paragraph_is_parsed_in_bounded_memory():
    # spaCy holds about 3 KB a character of one call: this 102 KB paragraph parsed whole
    # grew the process by 330 MB (a 1.2 MB one by 4 GB); in pieces, by about 10 MB
    res = subprocess.run([sys.executable, "-c", PEAK], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-1000:]
    base, peak = map(int, res.stdout.split())
    assert peak - base < 120, (base, peak)


def test_pipe_reads_its_input_a_bounded_batch_ahead(reader):
    pulled = 0

    def feed():
        nonlocal pulled
        for i in range(10_000):  # finite, so a regression that reads it all costs only a moment
            pulled += 1
            yield Article(text=f'"We will rebuild," Mayor Ann Lee said. ({i})', id=str(i))

    results = reader.pipe(feed())
    first = next(results)
    assert first[0].id == "0" and not isinstance(first[1], Exception)
    assert pulled <= reader.batch_size + 1  # a stream is read as it is used
    for _ in range(40):
        next(results)
    assert pulled <= 41 + reader.batch_size + 1


def test_pipe_keeps_order_with_bad_and_long_articles_between(reader):
    arts = [Article(text="Police said the road was closed.", id="a"), Article(text="  ", id="empty"),
            Article(text=LONG * 10, id="long"), Article(text='"Yes," he said.', id="b")]
    got = list(reader.pipe(arts))
    assert [a.id for a, _ in got] == ["a", "empty", "long", "b"]
    assert isinstance(got[1][1], Exception) and "is empty" in str(got[1][1])
    assert_offsets(arts[2].text, got[2][1])
