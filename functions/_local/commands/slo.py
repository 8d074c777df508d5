"""`sreo slo`: SLO specs to Prometheus recording and alerting rules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from functions._local.slo import GenerateOptions, SpecError, dump_documents, generate
from functions._local.slo.bundle import groups_of, load_rule_groups, prometheus_rule

app = typer.Typer(help="SLOs as code: generate Prometheus SLI recordings and burn-rate alerts from SLO specs.",
                  no_args_is_help=True)

EXIT_BAD_SPEC = 2


@app.callback()
def slo_group() -> None:
    """Keeps `generate` a sub-command rather than the app itself."""


def _parse_labels(pairs: list[str]) -> dict[str, str]:
    labels = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--label")
        labels[key.strip()] = value
    return labels


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_SPEC)


@app.command("generate")
def generate_command(
    spec: Annotated[Path, typer.Argument(help="SLO spec: Sloth prometheus/v1, PrometheusServiceLevel or OpenSLO.",
                                         exists=True, dir_okay=False, readable=True)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write rules here instead of stdout.")] = None,
    period: Annotated[str, typer.Option("--period", "--default-slo-period",
                                        help="SLO period for specs that do not set one.")] = "30d",
    no_alerts: Annotated[bool, typer.Option("--no-alerts", "--disable-alerts",
                                            help="Do not generate alert rules.")] = False,
    no_recordings: Annotated[bool, typer.Option("--no-recordings", "--disable-recordings",
                                                help="Do not generate recording rules.")] = False,
    label: Annotated[list[str] | None, typer.Option("--label", "--extra-labels",
                                                    help="KEY=VALUE added to every SLO; repeatable.")] = None,
    windows_path: Annotated[Path | None, typer.Option("--windows-path", "--slo-period-windows-path",
                                                      help="Directory of AlertWindows specs replacing the "
                                                           "bundled 30d/28d/7d catalog.")] = None,
    sli_plugins_path: Annotated[list[Path] | None, typer.Option("--sli-plugins-path", "-p",
                                                                help="Directory of SLI plugin files; "
                                                                     "repeatable.")] = None,
    prometheus_rule_name: Annotated[str | None, typer.Option("--prometheus-rule",
                                                             help="Emit one PrometheusRule with this name.")] = None,
    include_rules: Annotated[list[Path] | None, typer.Option("--include-rules",
                                                             help="Rule file whose groups are appended "
                                                                  "(with --prometheus-rule); repeatable.")] = None,
) -> None:
    """Generate Prometheus rule groups from an SLO spec."""
    try:
        options = GenerateOptions(default_period=period, extra_labels=_parse_labels(label or []),
                                  disable_alerts=no_alerts, disable_recordings=no_recordings,
                                  windows_path=windows_path, sli_plugin_paths=sli_plugins_path or [])
    except ValidationError as exc:
        _fail("; ".join(err["msg"] for err in exc.errors()))
    try:
        documents = generate(spec.read_text(), options)
    except SpecError as exc:
        _fail(f"{spec}: {exc}")
    if include_rules and not prometheus_rule_name:
        _fail("--include-rules needs --prometheus-rule")
    if prometheus_rule_name:
        try:
            extra = [g for path in include_rules or [] for g in load_rule_groups(path.read_text(), str(path))]
            documents = [prometheus_rule(prometheus_rule_name, groups_of(documents) + extra)]
        except (SpecError, OSError) as exc:
            _fail(str(exc))
    text = dump_documents(documents)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
        rules = sum(len(g["rules"]) for d in documents for g in (d.get("spec") or d)["groups"])
        typer.echo(f"wrote {rules} rules to {output}", err=True)
