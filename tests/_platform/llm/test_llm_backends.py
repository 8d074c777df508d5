"""Each backend speaks its real protocol to a local server (or botocore's Stubber); nothing secret leaves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, get_args

import boto3
import pytest
from botocore.serialize import create_serializer
from botocore.stub import ANY, Stubber
from google.oauth2.credentials import Credentials
from llm_support import (
    GENERATE_CONTENT,
    all_text,
    assert_nothing_leaked,
    chat_completion,
    generate_content,
    leaky_report,
)

from functions._platform.llm import BACKENDS, LLMError, LLMSettings, get_llm, narrate
from functions._platform.llm.bedrock import BedrockLLM
from functions._platform.llm.config import Provider
from functions._platform.llm.openai_compat import OpenAICompatibleLLM
from functions._platform.llm.vertex import VertexLLM

NARRATIVE = "Checkout is failing because the orders database ran out of connections."


def converse_reply(text: str) -> dict[str, Any]:
    return {"output": {"message": {"role": "assistant", "content": [{"text": text}]}},
            "stopReason": "end_turn",
            "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15}, "metrics": {"latencyMs": 12}}


class RecordingBedrock:
    """A real bedrock-runtime client under Stubber that keeps the parameters of every call.

    The Stubber answers at `before-call`, ahead of any other handler, so the wire body is rebuilt
    from the recorded parameters with botocore's own serializer for the operation.
    """

    def __init__(self) -> None:
        self.client = boto3.client("bedrock-runtime", region_name="eu-west-1")
        self.params: list[dict[str, Any]] = []
        self.client.meta.events.register("before-parameter-build.bedrock-runtime.Converse",
                                         lambda params, **_: self.params.append(params))
        self.stubber = Stubber(self.client)

    def wire_body(self, params: dict[str, Any]) -> str:
        model = self.client.meta.service_model
        serializer = create_serializer(model.resolved_protocol or model.protocol)
        body = serializer.serialize_to_request(params, model.operation_model("Converse"))["body"]
        return body.decode() if isinstance(body, bytes) else json.dumps(body)


@pytest.fixture
def bedrock() -> Iterator[RecordingBedrock]:
    recording = RecordingBedrock()
    with recording.stubber:
        yield recording


def test_openai_compatible_server_gets_a_redacted_chat_completion(serve) -> None:
    server = serve(chat_completion(NARRATIVE))
    settings = LLMSettings(provider="openai", model="llama3.1:8b", base_url=server.url + "/v1",
                           api_key="local-server-key")
    assert narrate(leaky_report(), settings) == NARRATIVE
    [request] = server.received
    body = request.json()
    assert (body["model"], body["stream"], body["max_tokens"]) == ("llama3.1:8b", False, settings.max_tokens)
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert request.headers["authorization"] == "Bearer local-server-key"
    assert_nothing_leaked(request.body.decode())
    assert_nothing_leaked(all_text(body))


def test_vertex_server_gets_a_redacted_generate_content_call(serve) -> None:
    server = serve(generate_content(NARRATIVE))
    settings = LLMSettings(provider="vertex", model="gemini-2.5-flash", project="sre-prod",
                           location="europe-west4", base_url=server.url + "/")
    llm = VertexLLM(settings, credentials=Credentials(token="offline-access-token"))
    assert narrate(leaky_report(), settings, llm=llm) == NARRATIVE
    [request] = server.received
    match = GENERATE_CONTENT.match(request.path)
    assert match and match.group("project") == "sre-prod" and match.group("location") == "europe-west4"
    assert match.group("model") == "gemini-2.5-flash"
    assert request.headers["authorization"] == "Bearer offline-access-token"
    body = request.json()
    assert body["generationConfig"]["maxOutputTokens"] == settings.max_tokens
    assert body["systemInstruction"]["parts"][0]["text"]
    assert_nothing_leaked(request.body.decode())
    assert_nothing_leaked(all_text(body))


def test_vertex_express_mode_through_the_registry(serve) -> None:
    server = serve(generate_content(NARRATIVE))
    settings = LLMSettings(provider="vertex", model="gemini-2.5-flash", api_key="vertex-express-key",
                           base_url=server.url + "/")
    assert narrate(leaky_report(), settings) == NARRATIVE
    [request] = server.received
    assert GENERATE_CONTENT.match(request.path)
    assert request.headers["x-goog-api-key"] == "vertex-express-key"
    assert_nothing_leaked(request.body.decode())
    assert_nothing_leaked(all_text(request.json()))


def test_bedrock_converse_gets_a_redacted_request(bedrock: RecordingBedrock) -> None:
    settings = LLMSettings(provider="bedrock", model="anthropic.claude-3-haiku-20240307-v1:0",
                           region="eu-west-1")
    bedrock.stubber.add_response("converse", converse_reply(NARRATIVE), expected_params={
        "modelId": "anthropic.claude-3-haiku-20240307-v1:0", "system": ANY, "messages": ANY,
        "inferenceConfig": {"maxTokens": settings.max_tokens, "temperature": 0.2}})
    assert narrate(leaky_report(), settings, llm=BedrockLLM(settings, client=bedrock.client)) == NARRATIVE
    bedrock.stubber.assert_no_pending_responses()
    [params] = bedrock.params
    assert params["messages"][0]["role"] == "user"
    assert_nothing_leaked(all_text(params))
    assert_nothing_leaked(bedrock.wire_body(params))


def test_backends_turn_failures_into_llm_errors(serve, bedrock: RecordingBedrock) -> None:
    broken = serve(lambda path, body: (503, {"error": {"message": "model is loading"}}))
    openai = OpenAICompatibleLLM(LLMSettings(provider="openai", model="m", base_url=broken.url + "/v1"))
    with pytest.raises(LLMError, match="503"):
        openai.complete("s", "p", 10)
    empty = serve(chat_completion("   "))
    with pytest.raises(LLMError, match="empty"):
        OpenAICompatibleLLM(LLMSettings(provider="openai", model="m", base_url=empty.url + "/v1")).complete(
            "s", "p", 10)
    bedrock.stubber.add_client_error("converse", service_error_code="ThrottlingException",
                                     http_status_code=429)
    settings = LLMSettings(provider="bedrock", model="m", region="eu-west-1")
    with pytest.raises(LLMError, match="ThrottlingException"):
        BedrockLLM(settings, client=bedrock.client).complete("s", "p", 10)
    vertex_down = serve(lambda path, body: (500, {"error": {"code": 500, "message": "boom",
                                                            "status": "INTERNAL"}}))
    vertex = VertexLLM(LLMSettings(provider="vertex", model="g", api_key="k", base_url=vertex_down.url + "/"))
    with pytest.raises(LLMError, match="500"):
        vertex.complete("s", "p", 10)


def test_the_registry_builds_each_provider_behind_redaction(serve) -> None:
    server = serve(chat_completion("ok"))
    llm = get_llm(LLMSettings(provider="openai", model="m", base_url=server.url + "/v1"))
    assert llm is not None and llm.name == "openai"
    llm.complete("system for ops@example.com", "from 10.1.2.3", 20)
    sent = server.received[0].body.decode()
    assert "ops@example.com" not in sent and "10.1.2.3" not in sent
    assert get_llm(LLMSettings(provider="bedrock", model="m", region="eu-west-1")).name == "bedrock"
    assert get_llm(LLMSettings(provider="vertex", model="g", api_key="k")).name == "vertex"
    assert get_llm(LLMSettings()) is None


def test_every_provider_but_none_has_a_backend() -> None:
    assert set(get_args(Provider)) - {"none"} == set(BACKENDS)
