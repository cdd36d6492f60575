"""The LLM reader over a real HTTP connection to an OpenAI-compatible server on 127.0.0.1
that serves recorded replies: valid JSON, invalid JSON, JSON violating the schema."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from purser.generate.llm import MAX_ATTEMPTS, LlmError, LlmReader
from purser.generate.parse import Refused

VALID = {"name": "user-auth", "pattern": "http-api", "region": "eu-central-1",
         "budget_monthly_usd": 200, "compliance": ["gdpr"],
         "traffic": {"monthly_requests": 5000000}}
SECRET = "sk-test-never-printed-0123456789"


class Recorded(ThreadingHTTPServer):
    replies: list[Any]
    requests: list[dict[str, Any]]
    headers: list[dict[str, str]]


class Handler(BaseHTTPRequestHandler):
    server: Recorded

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.server.requests.append(json.loads(self.rfile.read(length)))
        self.server.headers.append(dict(self.headers))
        reply = self.server.replies.pop(0)
        if isinstance(reply, int):
            self.send_response(reply)
            self.send_header("Location", "http://example.com/elsewhere")
            self.end_headers()
            return
        content = reply if isinstance(reply, str) else json.dumps(reply)
        body = json.dumps({"id": "x", "object": "chat.completion", "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content},
             "finish_reason": "stop"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Recorded]:
    httpd = Recorded(("127.0.0.1", 0), Handler)
    httpd.replies, httpd.requests, httpd.headers = [], [], []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _reader(server: Recorded, monkeypatch: pytest.MonkeyPatch) -> LlmReader:
    monkeypatch.setenv("PURSER_LLM_API_KEY", SECRET)
    return LlmReader.from_environment(f"http://127.0.0.1:{server.server_port}/v1", "test-model")


def test_a_valid_reply_becomes_the_spec_with_the_key_sent_as_a_bearer_token(
        server: Recorded, monkeypatch: pytest.MonkeyPatch) -> None:
    server.replies = [f"```json\n{json.dumps(VALID)}\n```"]
    parsed = _reader(server, monkeypatch).read("an API for user auth in Frankfurt")
    assert parsed.spec.region == "eu-central-1" and parsed.spec.compliance == ["gdpr"]
    assert parsed.spec.traffic.monthly_requests == 5_000_000
    assert server.headers[0]["Authorization"] == f"Bearer {SECRET}"
    assert server.requests[0]["model"] == "test-model"
    assert "JSON Schema" in server.requests[0]["messages"][0]["content"]
    assert all(SECRET not in d.choice + d.reason for d in parsed.decisions)


def test_invalid_json_is_retried_with_the_problem_then_accepted(
        server: Recorded, monkeypatch: pytest.MonkeyPatch) -> None:
    server.replies = ["{not json", {**VALID, "region": "mars-1"}, VALID]
    parsed = _reader(server, monkeypatch).read("an API")
    assert parsed.spec.name == "user-auth"
    second, third = server.requests[1]["messages"], server.requests[2]["messages"]
    assert "not JSON" in second[-1]["content"]
    assert "unknown AWS region" in third[-1]["content"]


def test_replies_that_never_validate_are_refused_after_the_last_attempt(
        server: Recorded, monkeypatch: pytest.MonkeyPatch) -> None:
    server.replies = [{"name": "x", "pattern": "mainframe"}] * MAX_ATTEMPTS
    with pytest.raises(Refused, match=f"no valid spec in {MAX_ATTEMPTS} attempts"):
        _reader(server, monkeypatch).read("a mainframe")
    assert len(server.requests) == MAX_ATTEMPTS


def test_the_model_may_refuse_and_its_words_are_bounded(
        server: Recorded, monkeypatch: pytest.MonkeyPatch) -> None:
    server.replies = [{"refuse": "quantum " * 1000}]
    with pytest.raises(Refused) as refused:
        _reader(server, monkeypatch).read("quantum")
    assert len(str(refused.value)) < 400


def test_a_redirect_is_not_followed_so_the_key_goes_nowhere_else(
        server: Recorded, monkeypatch: pytest.MonkeyPatch) -> None:
    server.replies = [307]
    with pytest.raises(LlmError, match="redirect") as error:
        _reader(server, monkeypatch).read("an API")
    assert SECRET not in str(error.value)


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(LlmError, match="must not carry credentials"):
        LlmReader.from_environment("https://user:key@llm.example.com/v1", "m")
