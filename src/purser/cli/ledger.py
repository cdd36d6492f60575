"""`purser ledger`: read, verify and append to the hash-chained audit trail.

    purser ledger verify [--db URL] [--repo PATH] [--expect HASH] [--format text|json]
    purser ledger show [--app NAME] [--limit N] [--db URL] [--repo PATH] [--format text|json]
    purser ledger append --actor A --action A --subject S --outcome O [--explanation TEXT]
                         [--app NAME] [--revision REV] [--inputs-digest D] [--db URL]

`verify` exits 0 when the chain is intact, 1 when it names a tampered entry, 2 when the
database cannot be read. SQLAlchemy is imported inside the commands, so that the rest of
the CLI starts without it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from purser.cli.options import RepoOption, fail, resolve_repo

if TYPE_CHECKING:
    from pathlib import Path

    from purser.ledger import Entry
    from purser.store import Database

app = typer.Typer(
    help="The audit ledger: every decision purser takes, hash-chained so that a changed or "
         "removed entry is found.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    text = "text"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
DbOption = Annotated[str | None, typer.Option(
    "--db", metavar="URL", show_default=False,
    help="State database: sqlite:///PATH or postgresql+psycopg://USER@HOST/DB "
         "(default: $PURSER_DB, else .purser/state.db of the repository).")]
EXIT_TAMPERED = 1


@app.command("verify")
def verify_command(
    db: DbOption = None,
    repo: RepoOption = None,
    expect: Annotated[str | None, typer.Option(
        "--expect", metavar="HASH", show_default=False,
        help="A head hash recorded earlier: fail unless the chain still holds it.")] = None,
    output_format: FormatOption = Format.text,
) -> None:
    """Recompute the hash chain; name the first tampered entry (exit 1) or say it is intact."""
    from purser import ledger

    with _open(db, repo, create=False) as database:
        verdict = ledger.verify(database, expect_hash=expect)
    if output_format is Format.json:
        typer.echo(json.dumps({"intact": verdict.intact, **verdict.model_dump(mode="json")},
                              indent=2))
    elif verdict.problem is None:
        typer.echo(f"ledger intact: {verdict.entries} entries, head {verdict.head_hash}")
    else:
        typer.echo(f"ledger TAMPERED at entry {verdict.problem.entry_id} "
                   f"({verdict.problem.field}): {verdict.problem.message}")
        if verdict.entries:
            typer.echo(f"the {verdict.entries} entries before it verify; "
                       f"last good hash {verdict.head_hash}")
    if not verdict.intact:
        raise typer.Exit(EXIT_TAMPERED)


@app.command("show")
def show_command(
    application: Annotated[str | None, typer.Option(
        "--app", metavar="NAME", show_default=False,
        help="Only the entries of this application.")] = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, metavar="N", show_default=False,
        help="Only the newest N entries (default: all).")] = None,
    db: DbOption = None,
    repo: RepoOption = None,
    output_format: FormatOption = Format.text,
) -> None:
    """Print the ledger, oldest entry first."""
    from purser import ledger

    with _open(db, repo, create=False) as database:
        found = ledger.entries(database, application=application, limit=limit)
    if output_format is Format.json:
        typer.echo(json.dumps([_as_json(entry) for entry in found], indent=2))
        return
    for entry in found:
        typer.echo(_line(entry))


@app.command("append")
def append_command(
    actor: Annotated[str, typer.Option(help="Who acted (a person or a controller).")],
    action: Annotated[str, typer.Option(help="What was done, e.g. sync, gate, prune.")],
    subject: Annotated[str, typer.Option(help="What it was done to.")],
    outcome: Annotated[str, typer.Option(help="How it ended, e.g. succeeded, refused.")],
    explanation: Annotated[str, typer.Option(help="Why, in a sentence.")] = "",
    application: Annotated[str | None, typer.Option(
        "--app", metavar="NAME", show_default=False)] = None,
    revision: Annotated[str | None, typer.Option(metavar="REV", show_default=False)] = None,
    inputs_digest: Annotated[str | None, typer.Option(
        metavar="DIGEST", show_default=False, help="A digest of the inputs decided on.")] = None,
    db: DbOption = None,
    repo: RepoOption = None,
) -> None:
    """Record one entry at the head of the chain and print its id and hash."""
    from purser import ledger

    try:
        event = ledger.Event(actor=actor, action=action, subject=subject, outcome=outcome,
                             explanation=explanation, application=application,
                             revision=revision, inputs_digest=inputs_digest)
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = str(problem["loc"][0]) if problem["loc"] else "entry"
        option = "app" if field == "application" else field.replace("_", "-")
        fail(f"--{option}: {problem['msg']}")
    with _open(db, repo, create=True) as database:
        entry = ledger.append(database, event)
    typer.echo(f"{entry.id} {entry.hash}")


@contextmanager
def _open(db: str | None, repo: Path | None, *, create: bool) -> Iterator[Database]:
    """The state database, closed afterwards; what goes wrong with it is one error line."""
    from sqlalchemy.exc import DBAPIError

    from purser.store import StoreError, database_url, open_database

    root, _ = resolve_repo(None, repo)
    try:
        with open_database(database_url(root, db, create=create)) as database:
            yield database
    except StoreError as exc:
        fail(str(exc))
    except DBAPIError as exc:
        fail(f"state database: {str(exc.orig or exc).strip().splitlines()[0]}")


def _as_json(entry: Entry) -> dict[str, object]:
    fields = entry.model_dump(mode="json")
    return {"id": fields.pop("id"), "at": fields.pop("at"), **fields}


def _line(entry: Entry) -> str:
    where = f"{entry.application}/" if entry.application else ""
    revision = f"@{entry.revision[:12]}" if entry.revision else ""
    explanation = f": {entry.explanation}" if entry.explanation else ""
    return (f"{entry.id:>6}  {entry.at:%Y-%m-%d %H:%M:%S}Z  {entry.actor}  {entry.action}  "
            f"{where}{entry.subject}{revision}  {entry.outcome}{explanation}")
