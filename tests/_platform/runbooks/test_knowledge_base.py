from __future__ import annotations

import hashlib
import math
import shutil
import threading
from collections.abc import Iterator, Sequence
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from functions._platform.runbooks import RunbookKnowledgeBase
from functions._platform.search import SearchBackend

from .conftest import FIXTURES, RUNBOOKS

ALL_IDS = {
    "database/PostgresReplicationLagHigh",
    "database/PostgresTooManyConnections",
    "kubernetes/KubePodCrashLooping",
    "kubernetes/KubeNodeDiskPressure",
    "network/CertificateExpiringSoon",
}


def test_ingest_indexes_every_supported_file(kb: RunbookKnowledgeBase) -> None:
    assert kb.count_runbooks() == len(ALL_IDS)
    assert {h.source["id"] for h in kb.backend.scan(kb.index)} == ALL_IDS


def test_ingesting_again_replaces_instead_of_duplicating(kb: RunbookKnowledgeBase) -> None:
    before = kb.backend.count(kb.index)
    kb.ingest_paths([RUNBOOKS / "kubernetes"])
    assert kb.backend.count(kb.index) == before


@pytest.mark.parametrize(
    ("query", "expected", "section"),
    [
        ("replica returns stale data, replay lag growing", "database/PostgresReplicationLagHigh", "Meaning"),
        (
            "new sessions refused, too many client connections",
            "database/PostgresTooManyConnections",
            "Meaning",
        ),
        ("container keeps restarting with back-off", "kubernetes/KubePodCrashLooping", "Meaning"),
        ("pods evicted because the node filesystem is full", "kubernetes/KubeNodeDiskPressure", None),
        ("TLS certificate expires soon", "network/CertificateExpiringSoon", None),
        ("KubePodCrashLooping", "kubernetes/KubePodCrashLooping", None),
    ],
)
def test_search_ranks_the_right_runbook_first(
    kb: RunbookKnowledgeBase, query: str, expected: str, section: str | None
) -> None:
    hits = kb.search(query, k=3)
    assert hits[0].id == expected
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.id for h in hits}) == len(hits)
    if section:
        assert hits[0].section == section
    assert Path(hits[0].path).parent.name == expected.split("/")[0]


def test_search_result_carries_title_and_path(kb: RunbookKnowledgeBase) -> None:
    hit = kb.search("replication lag", k=1)[0]
    assert hit.title == "Postgres replication lag high"
    assert hit.path.endswith("database/PostgresReplicationLagHigh.md")


def test_alert_templates_are_not_search_words(kb: RunbookKnowledgeBase) -> None:
    assert kb.search("{{ $labels.pod }} {{ $value | humanizePercentage }}") == []


def test_match_by_alertname_ignores_case(kb: RunbookKnowledgeBase) -> None:
    result = kb.match({"alertname": "kubepodcrashlooping"}, {})
    assert result.method == "alertname"
    assert result.runbooks[0].id == "kubernetes/KubePodCrashLooping"


def test_match_by_runbook_url_naming_a_known_runbook(kb: RunbookKnowledgeBase) -> None:
    url = "https://runbooks.example.org/runbooks/database/postgrestoomanyconnections"
    result = kb.match({"alertname": "SomethingElse"}, {"runbook_url": url})
    assert result.method == "runbook_url"
    assert result.runbooks[0].id == "database/PostgresTooManyConnections"


def test_match_falls_back_to_summary_and_description(kb: RunbookKnowledgeBase) -> None:
    annotations = {
        "summary": "Replica is lagging behind the primary",
        "description": "replay lag {{ $value }}",
    }
    result = kb.match({"alertname": "ReplicaBehind"}, annotations)
    assert result.method == "search"
    assert result.runbooks[0].id == "database/PostgresReplicationLagHigh"


def test_match_ingests_a_local_runbook_file_under_an_allowed_root(
    backend: SearchBackend, tmp_path: Path
) -> None:
    folder = tmp_path / "queues"
    folder.mkdir()
    (folder / "KafkaConsumerLag.md").write_text(
        "# KafkaConsumerLag\n\n## Meaning\n\nConsumers fall behind.\n"
    )
    kb = RunbookKnowledgeBase(backend, bundled_dir=None, local_roots=[tmp_path])
    result = kb.match({"alertname": "KafkaConsumerLag"}, {"runbook_url": str(folder / "KafkaConsumerLag.md")})
    assert result.method == "runbook_url_fetched"
    assert result.runbooks[0].id == "queues/KafkaConsumerLag"


def test_match_refuses_local_files_outside_allowed_roots(kb: RunbookKnowledgeBase, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "Secret.md"
    secret.parent.mkdir()
    secret.write_text("# Secret\n\n## Meaning\n\npassword=hunter2\n")
    result = kb.match({"alertname": "Secret"}, {"runbook_url": str(secret)})
    assert result.method in ("search", "none")
    assert all(h.id != "elsewhere/Secret" for h in result.runbooks)


@pytest.fixture
def runbook_site(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "runbooks", root / "runbooks")
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_match_fetches_and_ingests_a_reachable_runbook_url(backend: SearchBackend, runbook_site: str) -> None:
    kb = RunbookKnowledgeBase(backend, bundled_dir=None)
    url = f"{runbook_site}/runbooks/network/CertificateExpiringSoon.html"
    result = kb.match({"alertname": "CertificateExpiringSoon"}, {"runbook_url": url})
    assert result.method == "runbook_url_fetched"
    assert result.runbooks[0].id == "network/CertificateExpiringSoon"
    assert kb.match({"alertname": "CertificateExpiringSoon"}, {}).method == "alertname"


def test_unreachable_runbook_url_falls_back_to_search(kb: RunbookKnowledgeBase, runbook_site: str) -> None:
    url = f"{runbook_site}/runbooks/nowhere/NoSuchAlert.md"
    result = kb.match({"alertname": "NoSuchAlert"}, {"runbook_url": url, "summary": "certificate expires"})
    assert result.method == "search"
    assert result.runbooks[0].id == "network/CertificateExpiringSoon"


def test_bundled_runbooks_are_ingested_on_first_use_of_an_empty_index(backend: SearchBackend) -> None:
    kb = RunbookKnowledgeBase(backend, bundled_dir=RUNBOOKS)
    assert backend.count(kb.index) == 0
    assert kb.search("crash looping pod", k=1)[0].id == "kubernetes/KubePodCrashLooping"
    assert kb.count_runbooks() == len(ALL_IDS)


class HashingEmbedder:
    """Deterministic bag-of-words vectors: enough to exercise the semantic path without a model."""

    name = "hashing"

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            vector = [0.0] * 64
            for word in text.lower().split():
                vector[int(hashlib.sha1(word.encode()).hexdigest(), 16) % 64] += 1.0
            norm = math.sqrt(sum(x * x for x in vector)) or 1.0
            vectors.append([x / norm for x in vector])
        return vectors


def test_embeddings_are_stored_and_fused_with_lexical_ranking(backend: SearchBackend) -> None:
    kb = RunbookKnowledgeBase(backend, embedder=HashingEmbedder(), bundled_dir=None)
    kb.ingest_paths([RUNBOOKS])
    stored = [h.source.get("embedding") for h in backend.scan(kb.index)]
    assert stored and all(len(v) == 64 for v in stored)
    hits = kb.search("replica returns stale data", k=3)
    assert hits[0].id == "database/PostgresReplicationLagHigh"
    assert hits[0].score == pytest.approx(2 / 61, abs=1e-5)  # first in both rankings
