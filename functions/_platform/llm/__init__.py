"""Optional LLM layer: a narrative summary of a report and free-text routing. Nothing requires it."""

from ..redact import redact
from .config import LLMSettings, get_llm_settings
from .contract import LLM, LLMError
from .narrative import narrate, route
from .registry import BACKENDS, get_llm, reset_llm

__all__ = ["BACKENDS", "LLM", "LLMError", "LLMSettings", "get_llm", "get_llm_settings", "narrate", "redact",
           "reset_llm", "route"]
