"""`purser rules`: list the built-in and installed rules, and the repository's YAML rules,
with their metadata."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from purser.cli.options import PathArgument, RepoOption, read_config, resolve_repo
from purser.policy.engine import load_packs
from purser.policy.rule import Rule, rules


def list_rules(
    path: PathArgument = None,
    repo: RepoOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List every rule: id, severity, category, pack, resource types, frameworks, the
    settings it declares (`policies.thresholds`), its equivalents in other tools and its
    source (built-in, or the YAML file and line in the repository's policy folder).

    Exit 2 when a YAML rule could not be read (each error says its file and line)."""
    from purser.policy import userrules

    load_packs()
    root, _ = resolve_repo(path, repo)
    folder = read_config(root).policies.rego
    declared, errors = userrules.read_rules(root / folder, root) if folder else ([], [])
    listed = [cls for _, cls in rules.items()] + [type(rule) for rule in declared]
    if as_json:
        typer.echo(json.dumps([_row(cls) for cls in listed], indent=2))
    else:
        table = Table("id", "severity", "category", "title", "frameworks", "source",
                      title=f"{len(listed)} rules")
        for cls in listed:
            table.add_row(cls.id, cls.severity.value, cls.category.value, cls.title,
                          ", ".join(cls.frameworks), cls.source)
        Console().print(table)
    for error in errors:
        where = f"{error.file}:{error.line}" if error.line else error.file
        typer.echo(f"error: {where}: {error.message}", err=True)
    if errors:
        raise typer.Exit(2)


def _row(cls: type[Rule]) -> dict[str, Any]:
    return {"id": cls.id, "title": cls.title, "severity": cls.severity.value,
            "category": cls.category.value, "pack": cls.pack,
            "resource_types": list(cls.resource_types), "frameworks": list(cls.frameworks),
            "remediation": cls.remediation,
            "settings": {name: {"default": setting.default, "type": setting.type.__name__,
                                "description": setting.description}
                         for name, setting in cls.settings.items()},
            "equivalents": {tool: list(ids) for tool, ids in cls.equivalents.items()},
            "source": cls.source}
