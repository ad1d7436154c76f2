"""Readers that turn files into Articles; the text is never altered after this point.

Formats: plain text, HTML (trafilatura), JSON Lines, WARC/WARC.gz. A broken
record yields an InputError/FormatError in place and reading goes on.
"""
from sayso.inputs.files import iter_inputs, read_any
from sayso.inputs.text import MAX_BYTES, decode_text, read_text_file

__all__ = ["MAX_BYTES", "decode_text", "iter_inputs", "read_any", "read_text_file"]
