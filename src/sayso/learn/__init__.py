"""Training and evaluation of the learned attribution models (PolNeAR train only).

Nothing here is imported at run time: what a shipped model needs to read an article
lives in ``sayso.learned``."""
