"""Extraction stages: each a plain function over one Context; pipeline.py orders them."""
