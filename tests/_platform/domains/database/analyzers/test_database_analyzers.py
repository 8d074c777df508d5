"""The database analyzers together; each analyzer's own tests are in test_<module>.py beside this file."""

from __future__ import annotations

from support.paths import REPO_ROOT

from functions._platform.analyzers.registry import analyzers


def test_every_kind_is_documented():
    readme = (REPO_ROOT / "functions/_platform/domains/database/analyzers/README.md").read_text()
    for kind in [analyzer.kind for analyzer in analyzers("database")]:
        assert f"`{kind}`" in readme, kind
