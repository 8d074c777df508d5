"""AWS Bedrock through the Converse API (boto3 `bedrock-runtime`), imported lazily."""

from __future__ import annotations

from typing import Any

from .config import LLMSettings
from .contract import LLMError


class BedrockLLM:
    name = "bedrock"

    def __init__(self, settings: LLMSettings, client: Any = None) -> None:
        if not settings.model:
            raise LLMError("the Bedrock backend needs a model id")
        self.model = settings.model
        self._settings = settings
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            timeout = self._settings.timeout_s
            config = Config(connect_timeout=timeout, read_timeout=timeout,
                            retries={"max_attempts": 2, "mode": "standard"})
            self._client = boto3.client("bedrock-runtime", region_name=self._settings.region,
                                        endpoint_url=self._settings.base_url, config=config)
        return self._client

    def request(self, system: str, prompt: str, max_tokens: int) -> dict[str, Any]:
        return {
            "modelId": self.model,
            "system": [{"text": system}],
            "messages": [{"role": "user", "content": [{"text": prompt}]}],
            "inferenceConfig": {"maxTokens": max_tokens, "temperature": 0.2},
        }

    def complete(self, system: str, prompt: str, max_tokens: int) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self.client.converse(**self.request(system, prompt, max_tokens))
        except (BotoCoreError, ClientError) as exc:
            raise LLMError(f"bedrock converse {self.model}: {exc}") from exc
        blocks = response.get("output", {}).get("message", {}).get("content", [])
        text = "".join(block.get("text", "") for block in blocks).strip()
        if not text:
            stop = response.get("stopReason")
            raise LLMError(f"bedrock converse {self.model} returned no text (stopReason {stop})")
        return text
