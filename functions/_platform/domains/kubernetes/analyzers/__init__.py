"""Deterministic Kubernetes analyzers (k8sgpt-style), shared by the kubernetes agent and scans."""
