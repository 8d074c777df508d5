"""Log template mining with drain3, in memory; identical masked messages are mined once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from functions._platform.domains.logs.source.record import LogRecord
from functions._platform.domains.logs.source.templates import DRAIN_MASKS, mask_message


@dataclass
class TemplateStats:
    cluster_id: int
    baseline: int = 0
    incident: int = 0
    records: list[LogRecord] = field(default_factory=list)  # first incident records, for evidence

    def add(self, record: LogRecord, in_incident: bool, keep: int = 5) -> None:
        if in_incident:
            self.incident += 1
            if len(self.records) < keep:
                self.records.append(record)
        else:
            self.baseline += 1


class TemplateMiner:
    def __init__(self, similarity: float = 0.4, depth: int = 4):
        from drain3 import TemplateMiner as Drain3Miner
        from drain3.masking import MaskingInstruction
        from drain3.template_miner_config import TemplateMinerConfig

        config = TemplateMinerConfig()
        config.drain_sim_th = similarity
        config.drain_depth = depth
        config.masking_instructions = [MaskingInstruction(pattern, name) for pattern, name in DRAIN_MASKS]
        self._miner = Drain3Miner(config=config)
        self._cache: dict[str, int] = {}
        self.stats: dict[int, TemplateStats] = {}

    def cluster_of(self, message: str) -> int:
        key = mask_message(message)
        cluster_id = self._cache.get(key)
        if cluster_id is None:
            cluster_id = self._miner.add_log_message(message)["cluster_id"]
            self._cache[key] = cluster_id
        return cluster_id

    def feed(self, records: Iterable[LogRecord], in_incident: bool) -> None:
        for record in records:
            cluster_id = self.cluster_of(record.message)
            stats = self.stats.get(cluster_id)
            if stats is None:
                stats = self.stats[cluster_id] = TemplateStats(cluster_id)
            stats.add(record, in_incident)

    def template(self, cluster_id: int) -> str:
        for cluster in self._miner.drain.clusters:
            if cluster.cluster_id == cluster_id:
                return cluster.get_template()
        return ""

    def top(self, limit: int = 10) -> list[tuple[str, TemplateStats]]:
        ranked = sorted(self.stats.values(), key=lambda s: (-(s.incident + s.baseline), s.cluster_id))
        return [(self.template(s.cluster_id), s) for s in ranked[:limit]]
