"""Traces as evidence: spans from Tempo, Jaeger or OTLP/JSON files, per-edge analysis, the `traces` MCP server."""
