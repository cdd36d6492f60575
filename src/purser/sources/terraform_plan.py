"""Terraform plan JSON (`terraform show -json plan.out`) → Resources.

The plan knows what static evaluation cannot: every value Terraform computed. Managed
resources of `planned_values` (root and child modules) become Resources with the same
address, type and attribute shapes as the HCL reader gives; attributes Terraform itself
reports as "known after apply" (`after_unknown`) are listed in `unknown`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from purser import safejson
from purser.model import Resource, SourceError, SourceRef
from purser.safefile import Refused, decode
from purser.sources import LoadContext, Loaded, RepoFile, formats
from purser.sources.terraform import PROVIDER_FAMILIES

_SNIFF_BYTES = 4096
_ADDRESS = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')


@formats.register("terraform_plan")
class TerraformPlanFormat:
    name: ClassVar[str] = "terraform_plan"
    priority: ClassVar[int] = 30  # before the templates and manifests that are JSON too
    extensions: ClassVar[frozenset[str]] = frozenset({".json"})
    file_names: ClassVar[frozenset[str]] = frozenset()

    def claims(self, file: RepoFile) -> bool:
        if file.suffix != ".json":
            return False
        head = file.data[:_SNIFF_BYTES]
        return b'"planned_values"' in head or b'"terraform_version"' in head

    def load(self, files: list[RepoFile], context: LoadContext) -> Loaded:
        loaded = Loaded()
        for file in files:
            loaded.extend(load_plan(file, context.config.defaults.region))
        return loaded


def load_plan(file: RepoFile, default_region: str) -> Loaded:
    try:
        text = decode(file.data)
        plan = safejson.loads(text)
    except Refused as error:
        return Loaded(errors=[SourceError(file=file.rel, line=error.line, message=error.reason)])
    except safejson.JsonError as error:
        return Loaded(errors=[SourceError(file=file.rel, line=error.line, message=error.message)])
    if not isinstance(plan, dict):
        return Loaded(errors=[SourceError(file=file.rel, line=1,
                                          message="not a Terraform plan: expected an object")])
    lines = _address_lines(text)
    unknowns = _after_unknown(plan)
    region = _region(plan) or default_region
    root = _dict(_dict(plan.get("planned_values")).get("root_module"))
    resources = [
        _resource(entry, file.rel, lines, unknowns, region)
        for entry in _managed(root)]
    return Loaded(resources=resources)


def _managed(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for entry in module.get("resources") or []:
        if isinstance(entry, dict) and entry.get("mode", "managed") == "managed" \
                and isinstance(entry.get("address"), str) and isinstance(entry.get("type"), str):
            yield entry
    for child in module.get("child_modules") or []:
        if isinstance(child, dict):
            yield from _managed(child)


def _resource(entry: dict[str, Any], file: str, lines: dict[str, int],
              unknowns: dict[str, list[str]], region: str) -> Resource:
    address, resource_type = entry["address"], entry["type"]
    values = _dict(entry.get("values"))
    prefix = resource_type.split("_", 1)[0]
    tags = values.get("tags_all") if isinstance(values.get("tags_all"), dict) else values.get(
        "tags")
    return Resource(
        address=address, type=resource_type, provider=PROVIDER_FAMILIES.get(prefix, prefix),
        name=str(entry.get("name", "")), format="terraform_plan", region=region,
        attrs=values, tags=_tag_texts(tags), unknown=unknowns.get(address, []),
        source=SourceRef(file=file, line=lines.get(address, 0)))


def _after_unknown(plan: dict[str, Any]) -> dict[str, list[str]]:
    """Address → dotted paths whose value Terraform will only know after apply."""
    found: dict[str, list[str]] = {}
    for change in plan.get("resource_changes") or []:
        if isinstance(change, dict) and isinstance(change.get("address"), str):
            after_unknown = _dict(change.get("change")).get("after_unknown")
            found[change["address"]] = sorted(set(_true_paths(after_unknown, "")))
    return found


def _true_paths(value: Any, path: str) -> Iterator[str]:
    """Paths marked `true`; list elements share their list's path (as HCL paths do)."""
    if value is True and path:
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _true_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _true_paths(item, path)


def _region(plan: dict[str, Any]) -> str | None:
    providers = _dict(_dict(plan.get("configuration")).get("provider_config"))
    region = _dict(_dict(_dict(providers.get("aws")).get("expressions")).get("region"))
    value = region.get("constant_value")
    return value if isinstance(value, str) else None


def _address_lines(text: str) -> dict[str, int]:
    """The line of the first `"address": "..."` of each address: one pass over the text."""
    lines: dict[str, int] = {}
    line, position = 1, 0
    for match in _ADDRESS.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        try:
            address = safejson.without_surrogates(json.loads(match.group(1)))
        except json.JSONDecodeError:
            continue
        lines.setdefault(address, line)
    return lines


def _tag_texts(tags: Any) -> dict[str, str]:
    if not isinstance(tags, dict):
        return {}
    return {str(k): v if isinstance(v, str) else json.dumps(v)
            for k, v in tags.items() if v is not None}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
