"""Traces analyzers: per-edge latency and failure changes, split into own time and waiting."""
