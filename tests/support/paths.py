"""The repository's root, for tests that read its files: independent of how deep a test module sits."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
