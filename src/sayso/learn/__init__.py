"""Training and evaluation of the learned attribution models (``train``, ``brat``,
``corpus``, ``evaluate``, ``antecedents``). Nothing imports this package at run time:
what a shipped model needs to run is in ``sayso.learned``."""
