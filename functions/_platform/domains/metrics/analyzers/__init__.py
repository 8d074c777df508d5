"""Metrics analyzers: latency creep, error ratio spikes, resource saturation, container restarts, dependency edges,
metric changes and capacity forecasts; `sweep.py` runs them over services and the cluster."""
