"""Fixtures of the end-to-end scenario tests; the harness lives in e2e_harness (a name no other folder uses)."""

from e2e_harness import run_scenario  # noqa: F401  (function fixture: one pipeline run per scenario)
