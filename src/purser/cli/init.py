"""`purser init`: inspect a repository and write a commented starter `purser.yaml`.

Everything written is read from the repository itself: one application per top-level
folder holding infrastructure, the region most resources use, the tag keys most taggable
resources already carry (never tags nobody uses), and the Helm charts and Kustomize
overlays found. The file is validated by the same loader `purser check` uses.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer

from purser.cli.options import fail
from purser.config import CONFIG_FILE, Config, ConfigError, load_config
from purser.model import Resource
from purser.sources import load_repository
from purser.sources.walk import SKIPPED_DIRS

#: A tag key becomes a required tag when at least this share of tagged resources has it.
TAG_SHARE = 0.5
MAX_REQUIRED_TAGS = 5
#: Tags written by tools rather than people (yor's git_* trace tags, AWS's own, and
#: domain-prefixed Kubernetes labels) say nothing about ownership.
_TOOL_TAG = re.compile(r"^(git_|yor_|aws:)|/")
_CHART_FILES = ("Chart.yaml",)
_KUSTOMIZE_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_NAME = re.compile(r"[^a-z0-9-]+")


@dataclass
class Survey:
    """What `init` learned about a repository."""

    applications: dict[str, int] = field(default_factory=dict)  # folder → resources
    region: str | None = None
    tags: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    overlays: list[str] = field(default_factory=list)
    project: str = "default"
    resources: int = 0
    errors: int = 0


def init(
    repo: Annotated[Path, typer.Argument(help="Repository to inspect.", file_okay=False)] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing purser.yaml.")
                     ] = False,
    stdout: Annotated[bool, typer.Option("--stdout", help="Print instead of writing.")] = False,
) -> None:
    """Inspect the repository and write a commented starter purser.yaml."""
    root = repo.resolve()
    if not root.is_dir():
        fail(f"{repo}: not a directory")
    target = root / CONFIG_FILE
    if not stdout and (target.exists() or target.is_symlink()) and not force:
        fail(f"{target} exists; use --force to replace it or --stdout to print a proposal")
    text = starter(survey(root))
    if stdout:
        typer.echo(text, nl=False)
        return
    target.unlink(missing_ok=True)  # a symlink is replaced, never written through
    target.write_text(text, encoding="utf-8")
    try:
        load_config(root)
    except ConfigError as exc:  # a bug in this module, not the user's: say so plainly
        fail(f"the starter file does not validate ({exc}); please report this")
    typer.echo(f"wrote {target}; review it, then run `purser check`")


def survey(root: Path) -> Survey:
    loaded = load_repository(root, Config())
    found = Survey(project=_name(root.name) or "default", resources=len(loaded.resources),
                   errors=len(loaded.errors))
    found.applications = dict(sorted(Counter(
        _top_folder(r.source.file) for r in loaded.resources).items()))
    regions = Counter(r.region for r in loaded.resources if r.region)
    found.region = regions.most_common(1)[0][0] if regions else None
    found.tags = _common_tags(loaded.resources)
    found.charts = _folders_with(root, _CHART_FILES)
    found.overlays = _folders_with(root, _KUSTOMIZE_FILES)
    return found


def _top_folder(file: str) -> str:
    parts = PurePosixPath(file).parts
    return parts[0] if len(parts) > 1 else "."


def _common_tags(resources: list[Resource]) -> list[str]:
    tagged = [r for r in resources if r.tags]
    keys = Counter(key for r in tagged for key in r.tags if not _TOOL_TAG.search(key))
    common = [k for k, n in keys.most_common(MAX_REQUIRED_TAGS) if n >= TAG_SHARE * len(tagged)]
    return sorted(common)


def _folders_with(root: Path, names: tuple[str, ...]) -> list[str]:
    """Repository-relative folders holding one of `names`; links are not followed and tool
    folders are not entered."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if d not in SKIPPED_DIRS]
        if any(name in files for name in names):
            found.append(Path(folder).relative_to(root).as_posix())
    return sorted(found)


def starter(found: Survey) -> str:
    """The commented purser.yaml for what `survey` found."""
    lines = ["# purser.yaml written by `purser init`: every value below was read from this",
             f"# repository ({found.resources} resources). Review it, then run `purser check`.",
             f"project: {found.project}", "defaults:"]
    if found.region:
        lines.append(f"  region: {found.region}  # the region most resources use")
    else:
        lines.append("  region: us-east-1  # no region found in the code; purser's default")
    if found.tags:
        lines.append(f"  required_tags: [{', '.join(found.tags)}]  # keys most tagged "
                     "resources already carry")
    else:
        lines += ["  required_tags: []  # no tag key is on most resources; allocation wants e.g.",
                  "  #                   [team, env, cost-center]"]
    lines += _applications(found)
    lines += ["policies:", "  packs: [security, finops, compliance, responsible-ai]",
              "  fail_on: high", "  waivers: []  # {rule, resource, reason, expires}"]
    lines += _rendered_notes(found)
    return "\n".join(lines) + "\n"


def _applications(found: Survey) -> list[str]:
    if not found.applications:
        return ["applications: []  # no infrastructure found yet"]
    lines = ["applications:"]
    for folder, count in found.applications.items():
        name = _name(folder if folder != "." else "root") or "app"
        lines += [f"  - name: {name}  # {count} resources", f"    path: {_quoted(folder)}",
                  "    environment: dev", "    # budget: {monthly_usd: 500}"]
    return lines


def _rendered_notes(found: Survey) -> list[str]:
    notes = [f"# Helm chart: {c}" for c in found.charts]
    notes += [f"# Kustomize overlay: {o}" for o in found.overlays]
    if notes:
        notes.insert(0, "# Found, to be rendered by helm / kustomize when installed:")
    return notes


def _name(text: str) -> str:
    return _NAME.sub("-", text.lower()).strip("-")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
