"""Deterministic database analyzers over a diagnostics snapshot (and over log lines for connection errors)."""
