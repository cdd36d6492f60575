"""`purser rules`: list the built-in and installed rules with their metadata."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from purser.policy.engine import load_packs
from purser.policy.rule import rules


def list_rules(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List every rule: id, severity, category, pack, resource types, frameworks, the
    settings it declares (`policies.thresholds`) and its equivalents in other tools."""
    load_packs()
    rows = [{"id": cls.id, "title": cls.title, "severity": cls.severity.value,
             "category": cls.category.value, "pack": cls.pack,
             "resource_types": list(cls.resource_types), "frameworks": list(cls.frameworks),
             "remediation": cls.remediation,
             "settings": {name: {"default": setting.default, "type": setting.type.__name__,
                                 "description": setting.description}
                          for name, setting in cls.settings.items()},
             "equivalents": {tool: list(ids) for tool, ids in cls.equivalents.items()}}
            for _, cls in rules.items()]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table("id", "severity", "category", "title", "frameworks", title=f"{len(rows)} rules")
    for _, cls in rules.items():
        table.add_row(cls.id, cls.severity.value, cls.category.value, cls.title,
                      ", ".join(cls.frameworks))
    Console().print(table)
