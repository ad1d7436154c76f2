"""stage: being written."""
