"""The domain registry is the one list of evidence domains: the event contract's `Domain` literal, the finding
kinds' domains and the agent registry are checked copies of it, and every slice is complete."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from functions._platform.analyzers import kinds
from functions._platform.analyzers.registry import ANALYZERS
from functions._platform.config import Settings
from functions._platform.domains.registry import SLICES
from functions._platform.mcp.registry import SERVERS
from functions.agents.registry import AGENTS
from functions.triage import classify
from sreo_events import models, types


def test_the_event_contract_names_exactly_the_registered_domains_in_order() -> None:
    assert get_args(models.Domain) == tuple(SLICES)
    assert types.DOMAINS == tuple(SLICES)


def test_finding_kinds_belong_to_a_registered_domain_or_to_correlate() -> None:
    assert set(get_args(kinds.Domain)) == {*SLICES, "correlate"}


def test_every_slice_has_an_agent_and_every_agent_a_slice() -> None:
    assert list(AGENTS) == list(SLICES)


@pytest.mark.parametrize("domain", list(SLICES))
def test_each_agent_answers_for_its_domain_through_a_known_server(domain: str, tmp_path: Path) -> None:
    agent = AGENTS[domain](Settings(home=tmp_path))
    assert agent.domain == domain
    assert agent.server in SERVERS


def test_slices_are_keyed_by_their_own_name_and_servers_are_not_shadowed() -> None:
    assert all(name == domain.name for name, domain in SLICES.items())
    served = [domain.server.name for domain in SLICES.values() if domain.server]
    assert len(served) == len(set(served)) and "runbooks" not in served
    assert {name: SERVERS[name] for name in served} == {
        domain.server.name: domain.server.build for domain in SLICES.values() if domain.server}


def test_the_registries_read_the_slices() -> None:
    assert set(ANALYZERS) == {name for name, domain in SLICES.items() if domain.analyzers}
    assert all(ANALYZERS.values())
    assert set(classify.KEYWORDS) == {name for name, domain in SLICES.items() if domain.triage.keywords}
    assert classify.BASELINE_DOMAINS == ("logs", "metrics")
    assert classify.OPT_IN_DOMAINS == ("code", "traces")

