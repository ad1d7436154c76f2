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
