"""What `--help` shows: examples under every command, and value names instead of type placeholders."""

from __future__ import annotations

import types
from typing import Any

EXAMPLES: dict[str, list[str]] = {
    "": ["sreo demo", "sreo serve --port 8080", "sreo incident list --status reported",
         "sreo incident show inc-20260101-1a2b3c4d"],
    "demo": ["sreo demo", "sreo demo --json | jq '.causes[0]'"],
    "serve": ["sreo serve", "SREO_API_TOKENS=s3cret sreo serve --host 0.0.0.0 --port 8080"],
    "scan": ["sreo scan --since 1h", "sreo scan --since 24h --json | jq '.threats[] | .kind'"],
    "incident": ["sreo incident report 'checkout returns 500s' --service checkout --wait",
                 "sreo incident list --since 24h"],
    "incident report": ["sreo incident report 'checkout returns 500s' --service checkout --wait",
                        "sreo incident report 'orders slow' --severity critical --json"],
    "incident list": ["sreo incident list", "sreo incident list --status reported --service checkout --since 7d",
                      "sreo incident list --json | jq -r '.items[].id'"],
    "incident show": ["sreo incident show inc-20260101-1a2b3c4d", "sreo incident show inc-20260101-1a2b3c4d --json",
                      "sreo incident show inc-20260101-1a2b3c4d --format html > report.html"],
    "incident approve": [("sreo incident approve inc-20260101-1a2b3c4d rollback-payments --comment 'bad release'"
                         "   # the token from SREO_RESPONDER_TOKEN")],
    "alerts": ["sreo alerts send alert.json --wait"],
    "alerts send": ["sreo alerts send alert.json", "sreo alerts send alert.json --wait --json"],
    "events": ["sreo events pending", "sreo events dead-letters"],
    "events pending": ["sreo events pending", "sreo events pending --json --url http://127.0.0.1:8080"],
    "events dead-letters": ["sreo events dead-letters", "sreo events dead-letters --json --limit 10"],
    "runbooks": ["sreo runbooks ingest runbooks/", "sreo runbooks search 'pod not ready'"],
    "runbooks ingest": ["sreo runbooks ingest runbooks/", "sreo runbooks ingest docs/ops/*.md --json"],
    "runbooks search": ["sreo runbooks search 'disk full'", "sreo runbooks search 'crashloop' --k 3 --json"],
    "runbooks match": ["sreo runbooks match alert.json", "sreo runbooks match alert.json --json"],
    "logs": ["sreo logs ingest /var/log/nginx/access.log --service web"],
    "logs templates": ["sreo logs templates app.log", "sreo logs templates app.log --json | jq '.templates[0]'"],
    "logs ingest": ["sreo logs ingest access.log --service web", "sreo logs ingest app.jsonl --format json"],
    "capacity": ["sreo capacity report"],
    "capacity report": ["sreo capacity report --since 7d", "sreo capacity report --service orders --json"],
    "slo": ["sreo slo generate slo.yaml -o rules.yaml"],
    "slo generate": ["sreo slo generate slo.yaml", "sreo slo generate slo.yaml -o rules.yaml"],
    "mcp": ["sreo mcp serve", "sreo mcp serve kubernetes --transport http"],
    "mcp serve": ["sreo mcp serve", "sreo mcp serve orchestrator --transport stdio"],
    "db": ["sreo db upgrade", "sreo db current"],
    "db upgrade": ["sreo db upgrade"], "db current": ["sreo db current"], "db heads": ["sreo db heads"],
    "topology": ["sreo topology show", "sreo topology refresh --topology-file topology.yaml"],
    "topology show": ["sreo topology show", "sreo topology show --json"],
    "topology refresh": ["sreo topology refresh", "sreo topology refresh --topology-file topology.yaml --json"],
    "notify": ["sreo notify test --severity critical"],
    "notify test": ["sreo notify test --severity critical --service checkout   # as a real page would be routed",
                    "sreo notify test -d oncall-slack --dry-run   # print the payload, send nothing"],
    "toil": ["sreo toil report --since 7d"],
    "toil report": ["sreo toil report", "sreo toil report --since 30d --json",
                    "sreo toil report --format html -o toil.html"],
}


def _no_type(self: Any, ctx: Any) -> None:
    return None


def _value_name(param: Any) -> str:
    return (param.name or "value").upper()


def _tidy_param(param: Any) -> None:
    if getattr(param, "param_type_name", "") == "argument":
        param.display_type_rich = types.MethodType(_no_type, param)  # the name says it: TEXT, FILE
        param.metavar = param.metavar or _value_name(param)
    elif getattr(param, "is_flag", False) or getattr(param, "count", False):
        param.display_type_rich = types.MethodType(_no_type, param)
    elif param.metavar is None:
        param.metavar = _value_name(param)


def _tidy_params(command: Any) -> None:
    original = command.get_params

    def get_params(ctx: Any) -> list[Any]:
        params = original(ctx)  # includes --help, which click makes only now
        for param in params:
            _tidy_param(param)
        return params

    command.get_params = get_params


def tidy(command: Any, path: str = "") -> Any:
    """Walk the click tree typer built: add the examples as an epilog, and show value names, not `<str>`."""
    examples = EXAMPLES.get(path)
    if examples:
        command.epilog = "[bold]Examples[/]\n\n" + "\n\n".join(f"  $ {line}" for line in examples)
    _tidy_params(command)
    for name, sub in (getattr(command, "commands", None) or {}).items():
        tidy(sub, f"{path} {name}".strip())
    return command
