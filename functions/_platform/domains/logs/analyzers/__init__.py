"""Log analyzers: each compares an incident window with a baseline window of normalised log records."""
