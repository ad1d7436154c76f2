"""Offsets are sacred: over generated articles with random quote marks, pronouns and
paragraphs, every span in the report is text[start:end] and nothing crashes."""
import os

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import assert_offsets
from sayso import InputError

WORDS = ["the", "minister", "said", "she", "he", "they", "told", "reporters", "that", "according", "to",
         "Putin", "Vladimir", "Jane", "Roe", "accused", "of", "warned", "reportedly", "2,100", "more", "than",
         "killed", "ministry", "As", "CNN", "reported", ",", ".", ":", "—", "via", "translation", "pic.twitter.com/x1",
         "(@handle)", "March", "3,", "2024", "1.1", "million", "50-200", "900-day", "é", "ß", "😀", "\t"]
MARKS = ['"', "“", "”", "‘", "’", "'", "«", "»"]

token = st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS), st.sampled_from(["\n", "\n\n", "\r\n"]),
                  st.text(min_size=1, max_size=6))


@settings(max_examples=int(os.environ.get("SAYSO_PROPERTY_EXAMPLES", "80")), deadline=None,
          derandomize=os.environ.get("SAYSO_PROPERTY_RANDOM") != "1",
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(token, min_size=1, max_size=120))
def test_every_span_is_exact(reader, parts):
    text = " ".join(parts)
    try:
        report = reader.extract(text)
    except InputError as exc:
        # refused with a clear message only when there is no article to read
        assert not text.strip() or "binary" in str(exc)
        return
    assert_offsets(text, report)
    for a in report.attributions:
        assert a.kind in ("direct", "indirect", "mixed", "according_to", "reported")
        assert 0.0 <= a.confidence <= 1.0
    for p in report.embedded_posts:
        assert p.span.start <= p.text.start <= p.text.end <= p.span.end


SPACE_FREE = [w for w in WORDS if w != "\t"] + ["said.", "told", '"', "“", "”"]
#: a paragraph: words and marks, no line breaks, so a cut must fall inside it
paragraph = st.lists(st.one_of(st.sampled_from(SPACE_FREE), st.text(min_size=1, max_size=8)),
                     min_size=20, max_size=200)


@settings(max_examples=int(os.environ.get("SAYSO_PROPERTY_EXAMPLES", "80")) // 4, deadline=None,
          derandomize=os.environ.get("SAYSO_PROPERTY_RANDOM") != "1",
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraph, min_size=1, max_size=4), st.sampled_from(["\n", "\n\n", " ", "\r\n"]))
def test_every_span_is_exact_across_the_pieces_of_a_long_text(reader, paras, sep):
    """Long paragraphs parsed in pieces (the piece sizes shrunk so that every example is cut,
    at sentence ends, whitespace or a fixed size) and joined: offsets stay exact."""
    from unittest import mock

    from sayso import nlp
    text = sep.join(" ".join(p) for p in paras)
    with mock.patch.object(nlp, "PARA_CHARS", 80), mock.patch.object(nlp, "PIECE_CHARS", 200):
        assert nlp.needs_pieces(text) == (len(text) > 200 or any(len(x) > 80 for x in text.split("\n")))
        doc = reader.parse(text)
        assert doc.text == text
        try:
            report = reader.extract(text)
        except InputError as exc:
            assert not text.strip() or "binary" in str(exc)
            return
    for t in doc:
        assert text[t.idx:t.idx + len(t.text)] == t.text
    assert_offsets(text, report)
