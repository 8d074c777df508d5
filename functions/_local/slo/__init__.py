"""SLOs as code: Sloth-compatible SLO specs to Prometheus SLI recordings and multi-window burn-rate alerts."""

from .generator import GenerateOptions, generate
from .render import dump_documents
from .specs import SpecError

__all__ = ["GenerateOptions", "SpecError", "dump_documents", "generate"]
