"""Idempotent connection=local runs of the opensearch and alertmanager_receiver roles against real servers."""

from __future__ import annotations

import json
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from infra_ansible import run_playbook
from support.servers import alertmanager

ORIGINAL_ALERTMANAGER_CONFIG = {
    "global": {"resolve_timeout": "5m"},
    "route": {
        "receiver": "default",
        "group_by": ["alertname"],
        "group_wait": "1s",
        "group_interval": "1s",
        "routes": [{"receiver": "pager", "matchers": ['severity="critical"']}],
    },
    "receivers": [
        {"name": "default"},
        {"name": "pager", "webhook_configs": [{"url": "http://127.0.0.1:9/pager"}]},
    ],
    "inhibit_rules": [
        {
            "source_matchers": ['severity="critical"'],
            "target_matchers": ['severity="warning"'],
            "equal": ["alertname"],
        }
    ],
}


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def _send_json(url: str, body: object, method: str) -> None:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method,
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).close()


def test_opensearch_role_creates_templates_once(
    ansible_playbook: str, tmp_path: Path, opensearch_url: str
) -> None:
    extra = {"opensearch_url": opensearch_url}
    first = run_playbook(ansible_playbook, tmp_path, "playbooks/opensearch.yml", "opensearch_admin", extra)
    assert first.returncode == 0, first.output
    assert first.recap("changed") == 2, first.output
    second = run_playbook(ansible_playbook, tmp_path, "playbooks/opensearch.yml", "opensearch_admin", extra)
    assert second.returncode == 0, second.output
    assert second.recap("changed") == 0, second.output

    runbooks = _get_json(f"{opensearch_url}/_index_template/sreo-runbooks")["index_templates"][0][
        "index_template"
    ]
    assert runbooks["index_patterns"] == ["sreo-runbooks", "sreo-runbooks-*"]
    assert runbooks["template"]["mappings"]["properties"]["title"] == {
        "type": "text",
        "analyzer": "sreo_text",
    }
    logs = _get_json(f"{opensearch_url}/_index_template/sreo-logs")["index_templates"][0]["index_template"]
    assert logs["template"]["mappings"]["properties"]["@timestamp"]["type"] == "date"


def test_opensearch_role_repairs_a_drifted_template(
    ansible_playbook: str, tmp_path: Path, opensearch_url: str
) -> None:
    extra = {
        "opensearch_url": opensearch_url,
        "opensearch_runbook_index": {"name": "sreo-runbooks", "shards": 1, "replicas": 0},
    }
    assert (
        run_playbook(
            ansible_playbook, tmp_path, "playbooks/opensearch.yml", "opensearch_admin", extra
        ).returncode
        == 0
    )
    drifted = {
        "index_patterns": ["sreo-runbooks", "sreo-runbooks-*"],
        "template": {"mappings": {"properties": {}}},
    }
    _send_json(f"{opensearch_url}/_index_template/sreo-runbooks", drifted, "PUT")

    repaired = run_playbook(ansible_playbook, tmp_path, "playbooks/opensearch.yml", "opensearch_admin", extra)
    assert repaired.returncode == 0, repaired.output
    assert repaired.recap("changed") == 1, repaired.output
    template = _get_json(f"{opensearch_url}/_index_template/sreo-runbooks")["index_templates"][0][
        "index_template"
    ]
    assert "body" in template["template"]["mappings"]["properties"]
    assert template["template"]["settings"]["index"]["number_of_replicas"] == "0"


def _receiver_vars(config_path: Path, token: str, **more: object) -> dict[str, object]:
    return {
        "alertmanager_receiver_config_path": str(config_path),
        "alertmanager_receiver_triage_url": "http://127.0.0.1:8080/",
        "alertmanager_receiver_bearer_token": token,
        **more,
    }


def test_alertmanager_receiver_role_is_idempotent_and_keeps_the_rest(
    ansible_playbook: str, amtool: str, tmp_path: Path
) -> None:
    config_path = tmp_path / "alertmanager.yml"
    config_path.write_text(yaml.safe_dump(ORIGINAL_ALERTMANAGER_CONFIG, sort_keys=False))
    extra = _receiver_vars(config_path, "first-token")

    first = run_playbook(ansible_playbook, tmp_path, "playbooks/alertmanager.yml", "alertmanager", extra)
    assert first.returncode == 0, first.output
    assert first.recap("changed") == 1, first.output
    second = run_playbook(ansible_playbook, tmp_path, "playbooks/alertmanager.yml", "alertmanager", extra)
    assert second.returncode == 0, second.output
    assert second.recap("changed") == 0, second.output
    assert "first-token" not in first.output + second.output

    check = subprocess.run(
        [amtool, "check-config", str(config_path)], check=False, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr

    config = yaml.safe_load(config_path.read_text())
    triage = [r for r in config["receivers"] if r["name"] == "sreo-triage"]
    assert len(triage) == 1
    webhook = triage[0]["webhook_configs"][0]
    assert webhook["url"] == "http://127.0.0.1:8080/alerts/alertmanager"
    assert webhook["http_config"]["authorization"] == {"type": "Bearer", "credentials": "first-token"}
    assert config["route"]["routes"][0] == {"receiver": "sreo-triage", "continue": True}
    assert config["route"]["routes"][1:] == ORIGINAL_ALERTMANAGER_CONFIG["route"]["routes"]
    assert config["inhibit_rules"] == ORIGINAL_ALERTMANAGER_CONFIG["inhibit_rules"]
    assert config["global"] == ORIGINAL_ALERTMANAGER_CONFIG["global"]
    assert [r["name"] for r in config["receivers"]] == ["default", "pager", "sreo-triage"]

    rotated = run_playbook(
        ansible_playbook,
        tmp_path,
        "playbooks/alertmanager.yml",
        "alertmanager",
        _receiver_vars(config_path, "second"),
    )
    assert rotated.returncode == 0, rotated.output
    assert rotated.recap("changed") == 1, rotated.output
    config = yaml.safe_load(config_path.read_text())
    assert [r["name"] for r in config["receivers"]].count("sreo-triage") == 1
    assert [r["receiver"] for r in config["route"]["routes"]].count("sreo-triage") == 1


class _WebhookSink:
    """Records the webhook requests Alertmanager sends."""

    def __init__(self) -> None:
        self.requests: list[dict[str, object]] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                sink.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "body": json.loads(body),
                    }
                )
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _wait_until(predicate, timeout_s: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_alertmanager_reloads_and_delivers_to_triage_with_the_token(
    ansible_playbook: str, alertmanager_binary: str, tmp_path: Path
) -> None:
    config_path = tmp_path / "alertmanager.yml"
    config_path.write_text(yaml.safe_dump(ORIGINAL_ALERTMANAGER_CONFIG, sort_keys=False))
    sink = _WebhookSink()
    try:
        with alertmanager(alertmanager_binary, config_path, tmp_path) as base:
            extra = _receiver_vars(config_path, "delivery-token", alertmanager_receiver_reload_url=f"{base}/-/reload")
            extra["alertmanager_receiver_triage_url"] = sink.url
            applied = run_playbook(ansible_playbook, tmp_path, "playbooks/alertmanager.yml", "alertmanager", extra)
            assert applied.returncode == 0, applied.output
            assert "RUNNING HANDLER [alertmanager_receiver : Reload Alertmanager]" in applied.output

            status = _get_json(f"{base}/api/v2/status")
            assert "sreo-triage" in status["config"]["original"]

            alert = [{"labels": {"alertname": "DiskFull", "severity": "warning", "service": "db"}, "annotations": {}}]
            _send_json(f"{base}/api/v2/alerts", alert, "POST")
            assert _wait_until(lambda: bool(sink.requests)), "no webhook reached the triage sink"
            delivered = sink.requests[0]
            assert delivered["path"] == "/alerts/alertmanager"
            assert delivered["authorization"] == "Bearer delivery-token"
            assert delivered["body"]["alerts"][0]["labels"]["alertname"] == "DiskFull"
    finally:
        sink.close()
