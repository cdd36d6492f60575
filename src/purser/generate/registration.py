"""The generated application made known to the repository: an entry in `purser.yaml`
(name, path, environment, target, the intent's budget) and the intent's traffic in the
usage file `purser check` reads first, so that a later check of the branch prices the
application at the stated traffic and holds it to its budget.

Both files are edited as text (`yamlblock`), keeping the team's comments and layout, and
each edit is read back (`load_config`, `parse_usage`) before it is used: an edit that
would not mean what was intended is refused, never written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from purser.config import CONFIG_FILE, Config, ConfigError, load_config
from purser.cost.usage import UsageError, parse_usage
from purser.generate import yamlblock
from purser.generate.overlay import Overlay
from purser.generate.spec import IntentSpec
from purser.safefile import Refused, decode
from purser.tree import Tree

USAGE_HEADER = "# Expected monthly usage, in Infracost's usage-file format.\nversion: 0.1\n"
NEW_CONFIG = ("# purser settings. Written by purser generate; `purser init` writes a commented\n"
              "# starter file. No cost tags are required, as before this file existed.\n"
              "defaults:\n  required_tags: []\n")


class RegistrationError(ValueError):
    """The repository's purser.yaml or usage file cannot take the entry: says which line."""


@dataclass(frozen=True)
class Registration:
    config_text: str  # the new purser.yaml
    config: Config  # it, parsed
    usage_file: str | None  # the usage file written to (repository-relative)
    usage_text: str | None  # its new text


def usage_file_for(config: Config, default: str) -> str:
    """The usage file whose entries win (`purser.gate.usage_for` layers `cost.usage` over
    each application's file, the first that knows a key wins), else `default`."""
    named = [n for n in [config.cost.usage, *(a.usage for a in config.applications)] if n]
    return named[0] if named else default


def register(tree: Tree, config: Config, spec: IntentSpec, *, path: str,
             usage: dict[str, dict[str, Any]], usage_file: str, kind: str,
             comment: str) -> Registration:
    """purser.yaml and the usage file with the application added; `RegistrationError` when
    either cannot be edited to read back as meant."""
    usage_text = _usage_text(tree, usage_file, usage) if usage else None
    entry: dict[str, Any] = {"name": spec.name, "path": path, "environment": spec.env,
                             "target": ({"kind": "aws", "region": spec.region} if kind == "aws"
                                        else {"kind": kind})}
    if spec.budget_monthly_usd is not None:
        budget = spec.budget_monthly_usd
        entry["budget"] = {"monthly_usd": int(budget) if budget.is_integer() else budget}
    if usage_text is not None:
        entry["usage"] = usage_file
    current = _read(tree, CONFIG_FILE)
    try:
        text = yamlblock.append(NEW_CONFIG if current is None else current, "applications",
                                [entry], comment, flow_leaves=True)
    except yamlblock.NotAppendable as exc:
        raise RegistrationError(f"{CONFIG_FILE}:{exc}") from None
    generated = {CONFIG_FILE: text.encode()}
    if usage_text is not None:
        generated[usage_file] = usage_text.encode()
    try:
        registered = load_config(Overlay(tree, generated))
    except ConfigError as exc:
        raise RegistrationError(f"{CONFIG_FILE} with {spec.name} added does not read back: "
                                f"{exc}") from None
    if registered.applications[-1].name != spec.name or (
            len(registered.applications) != len(config.applications) + 1):
        raise RegistrationError(f"{CONFIG_FILE}: the added application did not read back as "
                                "the last one of `applications`")
    return Registration(text, registered, usage_file if usage_text else None, usage_text)


def _usage_text(tree: Tree, name: str, usage: dict[str, dict[str, Any]]) -> str:
    current = _read(tree, name)
    try:
        before = parse_usage(name, current.encode()).by_address if current is not None else {}
    except UsageError as exc:
        raise RegistrationError(str(exc)) from None
    taken = sorted(set(usage) & set(before))
    if taken:
        raise RegistrationError(f"{name} already has usage for {', '.join(taken[:3])}")
    try:
        text = yamlblock.append(current if current is not None else USAGE_HEADER,
                                "resource_usage", usage)
    except yamlblock.NotAppendable as exc:
        raise RegistrationError(f"{name}:{exc}") from None
    try:
        after = parse_usage(name, text.encode()).by_address
        meant = parse_usage(name, yamlblock.append(USAGE_HEADER, "resource_usage", usage)
                            .encode()).by_address
    except UsageError as exc:
        raise RegistrationError(f"{name} with the new usage does not read back: {exc}") from None
    if any(after.get(address) != values for address, values in meant.items()) or \
            len(after) != len(before) + len(meant):
        raise RegistrationError(f"{name}: the added usage did not read back as written")
    return text


def _read(tree: Tree, name: str) -> str | None:
    if not tree.exists(name):
        return None
    try:
        return decode(tree.read(name))
    except (Refused, OSError) as exc:
        raise RegistrationError(f"{name}: {getattr(exc, 'reason', None) or exc}") from None
