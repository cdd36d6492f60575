"""The `purser` command line: one Typer app, one module per command family."""

from __future__ import annotations

import io
import os
import sys

import typer

from purser import __version__
from purser.cli import check, demo, explain, init, rules, sandbox

app = typer.Typer(
    name="purser",
    help="FinOps GitOps control plane: gate, price and reconcile infrastructure from git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("check")(check.check)
app.command("rules")(rules.list_rules)
app.command("demo")(demo.demo)
app.command("init")(init.init)
app.command("explain")(explain.explain)
app.command("sandbox")(sandbox.sandbox)


def _mount_optional() -> None:
    """Command families written in their own modules mount themselves here."""
    from purser.cli import catalog, controller, cost, demodata, ingest, ledger, reconcile, spend

    app.add_typer(cost.app, name="cost")
    app.add_typer(catalog.app, name="catalog")
    app.add_typer(ledger.app, name="ledger")
    for name, command in reconcile.COMMANDS.items():
        app.command(name)(command)
    app.command("controller")(controller.controller)
    app.command("demo-data")(demodata.demo_data)
    app.add_typer(ingest.app, name="ingest")
    app.command("spend")(spend.spend)
    from purser.cli import forecast  # statsforecast itself is imported when the command runs

    app.command("forecast")(forecast.forecast)
    from purser.cli import anomalies  # pandas and duckdb are imported when the command runs

    app.command("anomalies")(anomalies.anomalies)
    from purser.cli import generate  # the generator's modules are imported when it runs

    app.command("generate")(generate.generate)


_mount_optional()


@app.command("version")
def version() -> None:
    """Print purser's version."""
    typer.echo(__version__)


def main() -> None:
    """Run the CLI and leave without tearing the heap down.

    After a large check the interpreter would spend up to half a second freeing millions
    of objects one by one; the process is ending, so flush the streams and exit at once.
    """
    for stream in (sys.stdout, sys.stderr):  # a stray surrogate must not kill the report
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        app()
        code = 0
    except SystemExit as done:
        code = _exit_code(done.code)
    except Exception as bug:  # fail closed, without dumping a traceback into a CI log
        if os.environ.get("PURSER_DEBUG"):
            raise
        print(f"purser: internal error (a bug; please report it, and set PURSER_DEBUG=1 "
              f"for the traceback): {type(bug).__name__}: {bug}", file=sys.stderr)
        code = 2
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
