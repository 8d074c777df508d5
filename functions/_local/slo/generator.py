"""From spec text to Prometheus rule documents: load, derive burn-rate alerts, run the plugin chain, group."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import plugins
from .model import SLO, RuleSet, SLOGroup, SLORules
from .plugins import PluginError, PluginRequest
from .promql import is_valid_label_name, merge_labels, parse_duration
from .sli_plugins import SLIPluginRegistry
from .specs import LoadOptions, SpecError, load_spec_text
from .windows import WindowCatalog, WindowCatalogError


class GenerateOptions(BaseModel):
    """Mirrors Sloth's CLI: default period, extra labels, disabling alerts or recordings, custom catalogs."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    default_period: str = "30d"
    extra_labels: dict[str, str] = Field(default_factory=dict)
    disable_alerts: bool = False
    disable_recordings: bool = False
    windows_path: Path | None = None
    sli_plugin_paths: list[Path] = Field(default_factory=list)

    @field_validator("default_period")
    @classmethod
    def _period(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("extra_labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [key for key in value if not is_valid_label_name(key)]
        if bad:
            raise ValueError(f"invalid label name(s): {', '.join(bad)}")
        return value


def plugin_chain(slo: SLO) -> list[plugins.SLOPlugin]:
    """User plugins by priority: negative ones before the defaults, the rest after."""
    ordered = sorted(slo.plugins, key=lambda ref: ref.priority)
    before = [plugins.create(ref.id, ref.config) for ref in ordered if ref.priority < 0]
    after = [plugins.create(ref.id, ref.config) for ref in ordered if ref.priority >= 0]
    defaults = [] if slo.override_default_plugins else [plugins.create(pid) for pid in plugins.DEFAULT_CHAIN]
    return [*before, *defaults, *after]


def generate_slo_rules(group: SLOGroup, slo: SLO, catalog: WindowCatalog) -> SLORules:
    request = PluginRequest(slo=slo, alerts=catalog.alerts_for(slo.period_seconds, slo.objective),
                            source=group.source)
    result = SLORules()
    for plugin in plugin_chain(slo):
        plugin.process(request, result)
    return result


def _group(name: str, ruleset: RuleSet) -> dict[str, Any] | None:
    if not ruleset.rules:
        return None
    group: dict[str, Any] = {"name": name}
    if ruleset.interval:
        group["interval"] = ruleset.interval
    group["rules"] = [rule.model_dump(exclude_none=True, exclude_defaults=True) | {"expr": rule.expr}
                      for rule in ruleset.rules]
    return group


def rule_groups(slo: SLO, rules: SLORules, options: GenerateOptions) -> list[dict[str, Any]]:
    wanted = []
    if not options.disable_recordings:
        wanted += [(f"sloth-slo-sli-recordings-{slo.id}", rules.sli),
                   (f"sloth-slo-meta-recordings-{slo.id}", rules.metadata)]
    if not options.disable_alerts:
        wanted.append((f"sloth-slo-alerts-{slo.id}", rules.alerts))
    return [g for g in (_group(name, ruleset) for name, ruleset in wanted) if g is not None]


def output_document(group: SLOGroup, groups: list[dict[str, Any]]) -> dict[str, Any]:
    if group.kubernetes_metadata is None:
        return {"groups": groups}
    meta = group.kubernetes_metadata
    metadata: dict[str, Any] = {
        "name": meta["name"],
        "labels": merge_labels(meta.get("labels"), {"app.kubernetes.io/component": "SLO",
                                                    "app.kubernetes.io/managed-by": "sloth"}),
    }
    if meta.get("namespace"):
        metadata["namespace"] = meta["namespace"]
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule", "metadata": metadata,
            "spec": {"groups": groups}}


def generate(spec_text: str, options: GenerateOptions | None = None) -> list[dict[str, Any]]:
    """One output document per input document. Raises SpecError with a readable message."""
    options = options or GenerateOptions()
    sli_registry = SLIPluginRegistry()
    try:
        for path in options.sli_plugin_paths:
            sli_registry.load_directory(path)
        catalog = WindowCatalog(options.windows_path)
    except (WindowCatalogError, ValueError) as exc:
        raise SpecError(str(exc)) from exc
    load_options = LoadOptions(default_period_seconds=parse_duration(options.default_period),
                               sli_plugins=sli_registry)
    documents = []
    for group in load_spec_text(spec_text, load_options):
        seen: set[str] = set()
        groups: list[dict[str, Any]] = []
        for slo in group.slos:
            if slo.id in seen:
                raise SpecError(f"SLO ID {slo.id!r} is repeated")
            seen.add(slo.id)
            slo = slo.model_copy(update={"labels": merge_labels(slo.labels, options.extra_labels)})
            try:
                rules = generate_slo_rules(group, slo, catalog)
            except (PluginError, WindowCatalogError, ValueError) as exc:
                raise SpecError(f"SLO {slo.id!r}: {exc}") from exc
            groups += rule_groups(slo, rules, options)
        documents.append(output_document(group, groups))
    return documents
