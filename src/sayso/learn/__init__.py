"""Training-time code for the learned attribution model (not imported at run time
except ``features`` and ``decode``, which the shipped model shares with training)."""
