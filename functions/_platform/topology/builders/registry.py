"""Every graph builder, by source. Adding a source means one new builder file and one line here."""

from __future__ import annotations

from functions._platform.domains.kubernetes.topology import KubernetesBuilder
from functions._platform.domains.traces.topology import SpansBuilder
from functions._platform.topology.builders.contract import GraphBuilder
from functions._platform.topology.builders.declared import DeclaredTopologyBuilder
from functions._platform.topology.builders.traces import TracesBuilder

BUILDERS: dict[str, GraphBuilder] = {
    builder.source: builder
    for builder in (KubernetesBuilder(), DeclaredTopologyBuilder(), TracesBuilder(), SpansBuilder())
}
