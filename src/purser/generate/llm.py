"""The optional LLM reader: any server speaking the OpenAI-compatible chat API (OpenAI,
vLLM, Ollama, llama.cpp server) turns the intent into `IntentSpec` JSON. It never writes
code: its reply is validated against the spec's schema, sent back with the validation
errors when it does not fit, and refused after `MAX_ATTEMPTS`.

The reply is untrusted like the intent: read up to `MAX_RESPONSE_BYTES`, its content up to
`MAX_REPLY_CHARS`, quoted in messages only in part. The API key comes only from the
environment (`PURSER_LLM_API_KEY`, else `OPENAI_API_KEY`), is sent only to the URL given
(redirects are refused, so it never follows one elsewhere) and is never printed or stored.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from purser.generate.parse import MAX_INTENT_CHARS, Parsed, Refused
from purser.generate.spec import Decision, IntentSpec

KEY_VARIABLES = ("PURSER_LLM_API_KEY", "OPENAI_API_KEY")
MAX_ATTEMPTS = 3
MAX_RESPONSE_BYTES = 1_000_000
MAX_REPLY_CHARS = 20_000
TIMEOUT_S = 60.0
QUOTE_CHARS = 200

SYSTEM_PROMPT = """You turn a request for cloud infrastructure into JSON for purser.
Reply with one JSON object and nothing else. It must validate against this JSON Schema:
{schema}
Rules: set only the fields the request states or clearly implies; leave out every other
field (purser fills in documented defaults and says so). Never invent URLs, model names or
numbers. Monthly figures are per month (convert "per day" or "per second"). If the request
does not describe infrastructure you can express in this schema, reply
{{"refuse": "<what you could not understand>"}}."""


class LlmError(Exception):
    """The model could not be asked (configuration, network, HTTP error)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> None:
        raise LlmError(f"the LLM server answered with a redirect ({code}); purser does not "
                       "follow it, so that the API key goes only to the URL given")


@dataclass
class LlmReader:
    base_url: str
    model: str
    api_key: str | None = None  # from the environment only; never printed

    @classmethod
    def from_environment(cls, base_url: str, model: str) -> LlmReader:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LlmError(f"--llm-url {base_url!r}: expected an http(s) URL such as "
                           "http://127.0.0.1:8000/v1")
        if parts.username or parts.password:
            raise LlmError("--llm-url must not carry credentials; put the key in "
                           "$PURSER_LLM_API_KEY")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}", model):
            raise LlmError(f"--model {model[:80]!r}: not a model name")
        key = next((os.environ[name] for name in KEY_VARIABLES if os.environ.get(name)), None)
        return cls(base_url.rstrip("/"), model, key)

    def read(self, intent: str) -> Parsed:
        """The spec the model reads in `intent`; `Refused` when it cannot give a valid one."""
        if len(intent) > MAX_INTENT_CHARS:
            raise Refused(f"the intent is {len(intent)} characters; at most "
                          f"{MAX_INTENT_CHARS} are read")
        schema = json.dumps(IntentSpec.model_json_schema(), separators=(",", ":"))
        messages = [{"role": "system", "content": SYSTEM_PROMPT.format(schema=schema)},
                    {"role": "user", "content": intent}]
        problem = ""
        for _ in range(MAX_ATTEMPTS):
            reply = self._ask(messages)
            spec, problem = _validated(reply)
            if spec is not None:
                said = sorted(spec.model_fields_set - {"name", "pattern"})
                return Parsed(spec=spec, decisions=[
                    Decision(choice=f"pattern = {spec.pattern}, name = {spec.name}",
                             reason=f"read by the model {self.model}", source="intent"),
                    *(Decision(choice=f"{field} = {_shown(getattr(spec, field))}",
                               reason=f"read by the model {self.model}", source="intent")
                      for field in said)])
            messages += [{"role": "assistant", "content": reply},
                         {"role": "user", "content": "That reply is not valid: " + problem +
                          ". Reply with the corrected JSON object only."}]
        raise Refused(f"the model {self.model} gave no valid spec in {MAX_ATTEMPTS} attempts; "
                      f"last problem: {problem}")

    def _ask(self, messages: list[dict[str, str]]) -> str:
        body = json.dumps({"model": self.model, "messages": messages, "temperature": 0,
                           "response_format": {"type": "json_object"}}).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(f"{self.base_url}/chat/completions", data=body,
                                         headers=headers, method="POST")
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=TIMEOUT_S) as response:
                raw = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise LlmError(f"the LLM server answered HTTP {exc.code} {_quote(str(exc.reason))}"
                           ) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise LlmError(f"cannot reach the LLM server at {self.base_url}: "
                           f"{_quote(str(getattr(exc, 'reason', exc)))}") from None
        if len(raw) > MAX_RESPONSE_BYTES:
            raise LlmError(f"the LLM server's answer is above {MAX_RESPONSE_BYTES} bytes")
        return _content(raw)


def _content(raw: bytes) -> str:
    try:
        answer = json.loads(raw)
        content = answer["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LlmError("the LLM server's answer is not an OpenAI chat completion") from None
    if not isinstance(content, str):
        raise LlmError("the LLM server's answer has no text content")
    return content[:MAX_REPLY_CHARS]


def _validated(reply: str) -> tuple[IntentSpec | None, str]:
    """The spec in a reply, or None and what is wrong with it."""
    text = reply.strip()
    fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", text, flags=re.DOTALL)
    if fenced:
        text = fenced.group(1)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"not JSON ({exc.msg} at character {exc.pos})"
    if not isinstance(value, dict):
        return None, "not a JSON object"
    if set(value) == {"refuse"}:
        raise Refused(f"the model could not read the intent: {_quote(str(value['refuse']))}")
    try:
        return IntentSpec.model_validate(value), ""
    except ValidationError as invalid:
        return None, "; ".join(f"{'.'.join(map(str, e['loc'])) or 'spec'}: {_quote(e['msg'])}"
                               for e in invalid.errors()[:10])


def _shown(value: Any) -> str:
    return _quote(value if isinstance(value, str) else json.dumps(value, default=str))


def _quote(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + " …"
