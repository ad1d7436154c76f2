"""Readers that turn files into Articles; the text is never altered after this point."""
from sayso.inputs.text import MAX_BYTES, decode_text, read_text_file

__all__ = ["MAX_BYTES", "decode_text", "read_text_file"]
