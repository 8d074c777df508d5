"""SRE Orchestrator functions."""
