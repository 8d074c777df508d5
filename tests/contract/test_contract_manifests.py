"""`kubectl kustomize kustomize/base`: the Triggers, Services and event producers fit together."""

from __future__ import annotations

import importlib
import subprocess

import yaml
from support.paths import REPO_ROOT
from support.servers import require_binary

from sreo_events.envelope import PING_REQUESTS

ROOT = REPO_ROOT
EXTERNAL_PRODUCERS = {"dev.sreo.alert.received.v1"}  # ingress adapters and any CloudEvent source


def _build() -> list[dict]:
    kubectl = require_binary("kubectl")
    out = subprocess.run([kubectl, "kustomize", str(ROOT / "kustomize" / "base")], capture_output=True, text=True,
                         check=True).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def _function_of(service: dict) -> str:
    env = {e["name"]: e.get("value") for e in service["spec"]["template"]["spec"]["containers"][0]["env"]}
    return env["FUNCTION_SOURCE"].split("/")[1]


def _routing() -> tuple[dict[str, str], dict[str, set[str]], set[str]]:
    docs = _build()
    services = {d["metadata"]["name"]: _function_of(d) for d in docs if d["kind"] == "Service"
                and d["apiVersion"].startswith("serving.knative.dev")}
    consumed: dict[str, set[str]] = {}
    for trigger in (d for d in docs if d["kind"] == "Trigger"):
        attributes = trigger["spec"]["filter"]["attributes"]
        event_type = PING_REQUESTS.get(attributes.get("sreorequest", ""), attributes["type"])
        consumed.setdefault(services[trigger["spec"]["subscriber"]["ref"]["name"]], set()).add(event_type)
    pinged = {PING_REQUESTS[d["spec"]["ceOverrides"]["extensions"]["sreorequest"]]
              for d in docs if d["kind"] == "PingSource"}
    return services, consumed, pinged


def _emits(function: str) -> set[str]:
    return set(importlib.import_module(f"functions.{function}.events").EMITS)


def test_every_trigger_subscriber_is_a_service_and_every_function_has_one() -> None:
    services, consumed, _ = _routing()
    deployable = {"triage", "agents", "correlate", "report"}
    assert deployable <= set(services.values())
    assert set(consumed) <= set(services.values())


def test_no_function_subscribes_to_a_type_it_emits() -> None:
    _, consumed, _ = _routing()
    loops = {function: sorted(types & _emits(function)) for function, types in consumed.items()}
    assert {f: t for f, t in loops.items() if t} == {}


def test_every_consumed_type_has_a_producer() -> None:
    services, consumed, pinged = _routing()
    produced = set().union(*(_emits(function) for function in set(services.values()))) | pinged
    orphans = {t for types in consumed.values() for t in types} - produced - EXTERNAL_PRODUCERS
    assert orphans == set()
