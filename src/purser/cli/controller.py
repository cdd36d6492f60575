"""`purser controller`: keep the auto-synced applications at the branch head, in rounds.

    purser controller [PATH] [--db URL] [--interval 30] [--branch main] [--id NAME]
                      [--metrics-port N] [--webhook-port N] [--webhook-secret-env NAME]
                      [--once | --rounds N] [--lease-ttl SECONDS]

One line per action on stdout. SIGTERM or Ctrl-C ends it after the application at hand,
giving its leases back; a second one ends it at once (the journal covers a cut sync).
"""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from purser.cli.options import RepoOption, fail, resolve_repo

if TYPE_CHECKING:
    from purser.reconcile.controller import Controller, Event

RepoArgument = Annotated[Path | None, typer.Argument(
    metavar="PATH", show_default=False,
    help="The repository (default: --repo, else the current directory's).")]

def controller(
    path: RepoArgument = None,
    repo: RepoOption = None,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL", show_default=False,
        help="State database shared by the controllers (default: $PURSER_DB, else "
             ".purser/state.db of the repository).")] = None,
    interval: Annotated[float, typer.Option(min=0.05, help="Seconds between rounds.")] = 30.0,
    branch: Annotated[str, typer.Option(help="Revision whose head is tracked.")] = "HEAD",
    id: Annotated[str | None, typer.Option(
        "--id", metavar="NAME", show_default=False,
        help="This controller's name in leases and the ledger (default: host-pid).")] = None,
    metrics_port: Annotated[int | None, typer.Option(
        min=0, max=65535, show_default=False,
        help="Serve Prometheus metrics on 127.0.0.1:N/metrics.")] = None,
    webhook_port: Annotated[int | None, typer.Option(
        min=0, max=65535, show_default=False,
        help="Accept push webhooks on 127.0.0.1:N/hooks/push.")] = None,
    webhook_secret_env: Annotated[str | None, typer.Option(
        metavar="NAME", show_default=False,
        help="Environment variable holding the webhook's shared secret.")] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one round and stop.")] = False,
    rounds: Annotated[int | None, typer.Option(
        min=1, show_default=False, help="Run N rounds and stop.")] = None,
    lease_ttl: Annotated[float, typer.Option(
        min=1, help="Seconds a lease lasts unless renewed (a dead controller's work "
                    "passes to the others after this).")] = 120.0,
) -> None:
    """Sync applications with `sync.auto` whenever the branch moves; check and heal drift."""
    from purser.reconcile.controller import Controller
    from purser.store import StoreError, database_url

    root, _ = resolve_repo(path, repo)
    secret = _secret(webhook_secret_env)
    name = id or f"{socket.gethostname()}-{os.getpid()}"
    try:
        running = Controller(root, database_url(root, db), name, interval=interval,
                             lease_ttl=timedelta(seconds=lease_ttl), branch=branch,
                             log=_logger(name))
    except StoreError as exc:
        fail(str(exc))
    try:
        with _stopped_by_signals(running):
            _serve(running, metrics_port, webhook_port, secret, branch,
                   lambda: running.run(1 if once else rounds))
    finally:
        running.close()
        _say(name, "stopped; leases given back")


def _serve(running: Controller, metrics_port: int | None, webhook_port: int | None,
           secret: bytes | None, branch: str, work: Callable[[], object]) -> None:
    from purser.reconcile.webhook import Webhook

    webhook = None
    try:
        if metrics_port is not None:
            bound = running.metrics.serve(metrics_port)
            _say(running.id, f"metrics on http://127.0.0.1:{bound}/metrics")
        if webhook_port is not None:
            webhook = Webhook(running.wake, port=webhook_port, secret=secret,
                              branch=branch).start()
            _say(running.id, f"webhook on http://127.0.0.1:{webhook.port}/hooks/push")
    except OSError as exc:
        fail(f"cannot listen: {exc.strerror or exc}")
    try:
        work()
    finally:
        running.metrics.close()
        if webhook is not None:
            webhook.stop()


def _secret(variable: str | None) -> bytes | None:
    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        fail(f"--webhook-secret-env {variable}: that environment variable is not set")
    return value.encode()


@contextmanager
def _stopped_by_signals(running: Controller) -> Iterator[None]:
    """SIGTERM and Ctrl-C stop the controller after the step at hand (the handlers before
    are put back afterwards)."""
    def stop(signum: int, frame: FrameType | None) -> None:
        if running.stopping.is_set():
            raise KeyboardInterrupt  # asked twice: stop now
        _say(running.id, f"{signal.Signals(signum).name}: stopping after the current step")
        running.stop()

    before = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _logger(name: str) -> Callable[[Event], None]:
    return lambda event: _say(name, str(event))


def _say(name: str, line: str) -> None:
    print(f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}Z {name} {line}", flush=True)
