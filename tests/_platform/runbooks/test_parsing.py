from __future__ import annotations

from functions._platform.runbooks import parse_runbook
from functions._platform.runbooks.parsing import content_type_for

from .conftest import RUNBOOKS


def read(relative: str) -> str:
    return (RUNBOOKS / relative).read_text()


def test_markdown_with_front_matter_is_split_at_second_level_headings() -> None:
    runbook = parse_runbook(
        "database/PostgresReplicationLagHigh.md", read("database/PostgresReplicationLagHigh.md")
    )
    assert runbook.id == "database/PostgresReplicationLagHigh"
    assert runbook.title == "Postgres replication lag high"
    assert [s.heading for s in runbook.sections] == ["Meaning", "Impact", "Diagnosis", "Mitigation"]
    assert "pg_stat_replication" in runbook.sections[2].body


def test_front_matter_alert_overrides_the_file_name() -> None:
    runbook = parse_runbook(
        "database/PostgresConnectionsExhausted.md", read("database/PostgresConnectionsExhausted.md")
    )
    assert runbook.id == "database/PostgresTooManyConnections"
    assert runbook.alert == "PostgresTooManyConnections"


def test_plain_text_headings_end_with_a_colon() -> None:
    runbook = parse_runbook(
        "kubernetes/KubeNodeDiskPressure.txt", read("kubernetes/KubeNodeDiskPressure.txt")
    )
    assert [s.heading for s in runbook.sections] == ["Overview", "Meaning", "Impact", "Mitigation"]
    assert runbook.component == "kubernetes"


def test_html_headings_become_sections_and_scripts_are_dropped() -> None:
    runbook = parse_runbook(
        "network/CertificateExpiringSoon.html", read("network/CertificateExpiringSoon.html")
    )
    assert runbook.id == "network/CertificateExpiringSoon"
    assert [s.heading for s in runbook.sections] == ["Meaning", "Impact", "Mitigation"]
    assert "cert-manager" in runbook.sections[2].body
    assert "tracking" not in " ".join(s.body for s in runbook.sections)


def test_hash_lines_inside_code_fences_are_not_headings() -> None:
    text = (
        "# Alert\n\n## Diagnosis\n\n```sh\n# list pods\nkubectl get pods\n```\n\n## Mitigation\n\nRestart.\n"
    )
    runbook = parse_runbook("apps/SomeAlert.md", text)
    assert [s.heading for s in runbook.sections] == ["Diagnosis", "Mitigation"]
    assert "# list pods" in runbook.sections[0].body


def test_a_file_without_folder_or_headings_is_one_general_section() -> None:
    runbook = parse_runbook("DiskFull.txt", "Free some disk space on the host.")
    assert runbook.id == "general/DiskFull"
    assert runbook.title == "Disk Full"
    assert [s.heading for s in runbook.sections] == ["Overview"]


def test_declared_content_type_wins_over_the_suffix() -> None:
    assert content_type_for("x/Alert", "text/html; charset=utf-8") == "html"
    assert content_type_for("x/Alert.md", None) == "markdown"
    assert content_type_for("x/Alert.txt", None) == "text"
