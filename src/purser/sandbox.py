"""The AWS API emulator (moto's server) on loopback: the live target for demos and tests.

The reconciler's appliers talk to AWS through boto3 and honour `AWS_ENDPOINT_URL`, so the
same code runs against real AWS and against this emulator. The emulator is a separate
process on 127.0.0.1 only, with throwaway credentials; it holds nothing once stopped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
START_SECONDS = 30  # moto imports every service model on start: seconds, not milliseconds
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


class SandboxError(RuntimeError):
    """The emulator could not be started (not installed, port taken, no answer)."""


@dataclass
class Sandbox:
    """A running emulator; `stop()` (or leaving the `with` block) ends it."""

    port: int
    process: subprocess.Popen[bytes] = field(repr=False)
    # The emulator's log and request recording: a file, never a pipe nobody reads (a
    # full pipe would stall the emulator after a few thousand requests).
    folder: tempfile.TemporaryDirectory[str] = field(repr=False)

    @property
    def log(self) -> Path:
        return Path(self.folder.name, "emulator.log")

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def environment(self) -> dict[str, str]:
        """What a shell (or boto3) needs to talk to this emulator instead of AWS."""
        return {"AWS_ENDPOINT_URL": self.endpoint, **CREDENTIALS}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.folder.cleanup()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def start(port: int = 0, *, managed_policies: bool = True) -> Sandbox:
    """Start the emulator on `port` (0: a free one) and wait until it answers.

    `managed_policies`: load AWS's own managed policies (AWSLambdaBasicExecutionRole...),
    which real accounts have and templates attach. They cost the emulator about two seconds
    at start and at every reset, which a test suite that resets per test does without."""
    chosen = port or _free_port()
    if port and not _is_free(port):  # else the wait below would find the other server
        raise SandboxError(f"port {port} on {HOST} is already in use")
    folder = tempfile.TemporaryDirectory(prefix="purser-sandbox-")
    environment = {**os.environ,
                   "MOTO_RECORDER_FILEPATH": str(Path(folder.name, "recording.jsonl")),
                   "MOTO_IAM_LOAD_MANAGED_POLICIES": "true" if managed_policies else "false"}
    try:
        with open(Path(folder.name, "emulator.log"), "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(chosen)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=environment)
    except OSError as exc:
        folder.cleanup()
        raise SandboxError(f"cannot start the emulator: {exc.strerror}") from None
    sandbox = Sandbox(chosen, process, folder)
    try:
        _wait_until_ready(sandbox)
    except BaseException:  # not ready, or interrupted while waiting: leave no orphan
        sandbox.stop()
        raise
    return sandbox


def _wait_until_ready(sandbox: Sandbox) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if sandbox.process.poll() is not None:
            said = sandbox.log.read_text(errors="replace")
            last = said.strip().splitlines()[-1:] or ["no message"]
            raise SandboxError(f"the emulator exited at start: {last[0]} "
                               "(is moto[server] installed?)")
        try:
            with urllib.request.urlopen(f"{sandbox.endpoint}/moto-api/", timeout=1):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise SandboxError(f"the emulator did not answer on {sandbox.endpoint} within "
                       f"{START_SECONDS} s")


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port
