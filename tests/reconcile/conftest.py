"""One real moto server process for the whole test session (started once, not per
module), its environment exported to boto3, and a fresh account state for every test
(moto's reset endpoint)."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest

from purser import sandbox


@pytest.fixture(scope="session")
def emulator() -> Iterator[sandbox.Sandbox]:
    with sandbox.start() as running:
        yield running


@pytest.fixture
def aws(emulator: sandbox.Sandbox, monkeypatch: pytest.MonkeyPatch) -> sandbox.Sandbox:
    """The emulator, emptied, with AWS_* pointing at it for this test."""
    urllib.request.urlopen(urllib.request.Request(
        f"{emulator.endpoint}/moto-api/reset", method="POST"), timeout=30).read()
    for name, value in emulator.environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return emulator
