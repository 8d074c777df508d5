"""LLM settings, read from `SREO_LLM_*` environment variables. The default provider is `none`."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Provider = Literal["none", "bedrock", "vertex", "openai"]


class LLMSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SREO_LLM_", extra="ignore")

    provider: Provider = Field(default="none", description="none | bedrock | vertex | openai (compatible server).")
    model: str | None = Field(default=None, description="Bedrock model id, Vertex model or served model name.")
    region: str | None = Field(default=None, description="AWS region for Bedrock.")
    project: str | None = Field(default=None, description="Google Cloud project for Vertex AI.")
    location: str | None = Field(default=None, description="Vertex AI location, e.g. europe-west4 or global.")
    base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible base URL (e.g. http://localhost:11434/v1); for Bedrock and Vertex an "
                    "endpoint override (VPC endpoint, private gateway).",
    )
    api_key: SecretStr | None = Field(default=None, description="OpenAI-compatible bearer key; Vertex express key.")
    timeout_s: float = Field(default=30.0, gt=0, description="Per-request timeout in seconds.")
    max_tokens: int = Field(default=400, gt=0, description="Answer length cap for the narrative.")

    @model_validator(mode="after")
    def _needs_what_it_names(self) -> LLMSettings:
        if self.provider == "none":
            return self
        if not self.model:
            raise ValueError(f"SREO_LLM_MODEL is required when SREO_LLM_PROVIDER={self.provider}")
        if self.provider == "openai" and not self.base_url:
            raise ValueError("SREO_LLM_BASE_URL is required when SREO_LLM_PROVIDER=openai")
        return self

    @property
    def enabled(self) -> bool:
        return self.provider != "none"

    @property
    def api_key_value(self) -> str | None:
        return self.api_key.get_secret_value() if self.api_key else None


@lru_cache(maxsize=1)
def get_llm_settings() -> LLMSettings:
    return LLMSettings()
