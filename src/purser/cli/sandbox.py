"""`purser sandbox`: run the AWS API emulator on 127.0.0.1 until interrupted."""

from __future__ import annotations

import contextlib
import shlex
import signal
import sys
from typing import Annotated

import typer

from purser.cli.options import fail


def sandbox(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: a free one).", min=0,
                                      max=65535)] = 0,
) -> None:
    """Start an AWS API emulator (moto) on 127.0.0.1 and print the environment to export."""
    from purser.sandbox import SandboxError, start

    # SIGTERM ends it like Ctrl-C, at any moment: leaving `start` or the `with` block below
    # stops the emulator, so no orphan is left listening.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        running = start(port)
    except SandboxError as exc:
        fail(str(exc))
    with running:
        typer.echo(f"AWS emulator on {running.endpoint}; in another shell:")
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in running.environment.items())
        typer.echo(f"  export {exports}")
        typer.echo("Ctrl-C stops it (everything in it is gone).")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            running.process.wait()
