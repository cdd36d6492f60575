"""Counting the write calls the emulator received (moto's request recorder)."""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from purser.sandbox import Sandbox

READ_PREFIXES = ("Get", "List", "Describe", "Head", "Lookup")


def _call(sandbox: Sandbox, path: str) -> bytes:
    request = urllib.request.Request(f"{sandbox.endpoint}/moto-api/recorder/{path}",
                                     method="POST" if path != "download-recording" else "GET")
    with urllib.request.urlopen(request, timeout=30) as response:
        return bytes(response.read())


@contextmanager
def write_calls(sandbox: Sandbox) -> Iterator[list[str]]:
    """The actions of every non-read request the emulator receives inside the block."""
    calls: list[str] = []
    _call(sandbox, "reset-recording")
    _call(sandbox, "start-recording")
    try:
        yield calls
    finally:
        _call(sandbox, "stop-recording")
        for line in _call(sandbox, "download-recording").decode().splitlines():
            request = json.loads(line)
            if "/moto-api/" not in str(request.get("url")):
                calls.extend(a for a in [_action(request)] if not _is_read(a))


def _action(request: dict[str, object]) -> str:
    body = str(request.get("body") or "")
    if request.get("body_encoded"):
        body = base64.b64decode(body).decode(errors="replace")
    headers = request.get("headers") or {}
    target = str(headers.get("X-Amz-Target", "")) if isinstance(headers, dict) else ""
    if target:
        return target.rsplit(".", 1)[-1]
    for part in body.split("&"):
        if part.startswith("Action="):
            return part[len("Action="):]
    path = urllib.parse.urlsplit(str(request.get("url"))).path
    return f"{request.get('method')} {path}"  # a REST call (Lambda, S3): its method and path


def _is_read(action: str) -> bool:
    return action.startswith(READ_PREFIXES) or action.startswith(("GET ", "HEAD "))
