from __future__ import annotations

import pytest

from functions._platform.runbooks import RunbookKnowledgeBase
from functions._platform.runbooks.fielded import NameRarity, runbook_fields, section_words
from functions._platform.runbooks.ranking import title_coverage
from functions._platform.runbooks.text import alert_query_text, content_words, stems
from functions._platform.search import SearchBackend

from .conftest import FIXTURES

SIBLINGS = FIXTURES / "siblings"


@pytest.fixture
def siblings(backend: SearchBackend) -> RunbookKnowledgeBase:
    knowledge_base = RunbookKnowledgeBase(backend, bundled_dir=None, fetch_remote=False)
    knowledge_base.ingest_paths([SIBLINGS])
    return knowledge_base


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "Volume has only {{ $value }}% free space left on {{ $labels.instance }}.",
            "storage/VolumeSpaceLow",
        ),
        ("No new files can be created: the volume is out of inodes.", "storage/VolumeInodesLow"),
        ("Volume {{ $labels.device }} reports I/O errors for 5 minutes.", "storage/VolumeErrors"),
    ],
)
def test_siblings_are_told_apart_by_what_the_alert_says(
    siblings: RunbookKnowledgeBase, query: str, expected: str
) -> None:
    hits = siblings.search(query, k=3)
    assert hits[0].id == expected
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_sibling_named_in_a_body_lends_it_no_words() -> None:
    lead = {
        "ordinal": 0,
        "alert": "VolumeInodesLow",
        "title": "Volume Inodes Low",
        "heading": "Meaning",
        "text": "Like VolumeSpaceLow, but for inodes; VolumeInodesLow fires first.",
    }
    fields = runbook_fields([lead], other_alerts={"VolumeSpaceLow", "VolumeInodesLow"})
    assert fields["lead"][stems("space")[0]] == 0
    assert fields["lead"][stems("inodes")[0]] == 2  # its own name still reads as words
    assert fields["body"] == {}


def test_sections_indexed_without_raw_text_fall_back_to_the_body() -> None:
    source = {"heading": "Meaning", "body": "disk full Disk Full"}
    assert section_words(source, {"DiskFull"}) == "Meaning disk full Disk Full"


def test_a_word_in_many_alert_names_is_less_rare() -> None:
    rarity = NameRarity(["KubePodCrashLooping", "KubeNodeNotReady", "KubeJobFailed", "EtcdNoLeader"])
    assert rarity(stems("kube")[0]) < rarity(stems("etcd")[0])
    assert rarity("unseen") > rarity(stems("etcd")[0])


def test_title_coverage_ignores_function_words_and_weighs_rare_words() -> None:
    query = set(stems("an instance failed to send alerts"))
    assert title_coverage("Failed To Send Alerts", query) == 1.0
    weights = {stems("cluster")[0]: 3.0}
    plain = title_coverage("Cluster Failed Send", query)
    weighted = title_coverage("Cluster Failed Send", query, lambda s: weights.get(s, 1.0))
    assert weighted < plain


def test_alert_text_loses_quantities_and_keeps_negation() -> None:
    text = alert_query_text("Operator isn't ready for 15 minutes; {{ $value }} of 3% at 0.25")
    words = [w.lower() for w in content_words(text)]
    assert words == ["operator", "not", "ready"]


def test_search_with_only_function_words_finds_nothing(siblings: RunbookKnowledgeBase) -> None:
    assert siblings.search("it is on the", k=3) == []
    assert siblings.search("volume", k=0) == []
