"""Resource blocks → evaluated instances: count/for_each addresses, depends_on, provider."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from purser.identity import TerraformId
from purser.provenance import Origin, Span
from purser.sources.hcl import parse as ast
from purser.sources.hcl.body import evaluate_body
from purser.sources.hcl.evaluate import traversal_text
from purser.sources.hcl.limits import EvaluationError, current_budget
from purser.sources.hcl.module import ModuleInstance, Provider, expansion
from purser.sources.hcl.origins import InstanceOrigins, Recorder
from purser.sources.hcl.values import UNKNOWN


@dataclass
class EvaluatedResource:
    id: TerraformId  # built here, so that a remembered evaluation hands it out again
    type: str
    name: str
    file: str
    line: int
    end_line: int
    attrs: dict[str, Any]
    unknown: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    provider: Provider | None = None
    spans: Mapping[str, Span] = field(default_factory=dict)  # see purser.provenance
    origins: Mapping[str, Origin] = field(default_factory=dict)

    @property
    def address(self) -> str:
        """Terraform's, qualified by the root where the repository has several."""
        return self.id.address


def module_resources(instance: ModuleInstance) -> Iterator[EvaluatedResource]:
    """Every resource instance of a module instance and of the local modules it calls."""
    for file, block in instance.source.resources:
        yield from resource_instances(instance, file, block)
    for child in instance.all_children():
        yield from module_resources(child)


def resource_instances(instance: ModuleInstance, file: str,
                       block: ast.Block) -> list[EvaluatedResource]:
    """The instances of one resource block; a block whose evaluation fails (a count
    Terraform refuses, a bound tripped) is reported with its file and line and has none."""
    try:
        return list(_instances(instance, file, block))
    except EvaluationError as error:
        current_budget().report(error.at(file, block[3]))
        return []


def _instances(instance: ModuleInstance, file: str,
               block: ast.Block) -> Iterator[EvaluatedResource]:
    _, (resource_type, name), body, line, end_line = block
    base = f"{instance.prefix}{resource_type}.{name}"
    instance.tracker.start()
    keys = expansion(body, instance.scope)
    expansion_refs = instance.tracker.stop()
    unknown_meta: list[str] = []
    if keys is None:  # count/for_each unknown: one un-indexed instance, say so
        meta = "count" if "count" in body[0] else "for_each"
        keys = [(None, {"count" if meta == "count" else "each": UNKNOWN})]
        unknown_meta = [meta]
    explicit = _explicit_depends_on(body, instance.prefix)
    provider = instance.providers.get(_provider_key(body, resource_type))
    counted_by = body[0].get("count") or body[0].get("for_each")
    for key, names in keys:
        scope = instance.scope.bind(**names) if names else instance.scope
        if counted_by is not None and key is not None:
            scope.instance_origin = InstanceOrigins(file, counted_by, key, instance.scope,
                                                    instance.source.texts)
        unknown = list(unknown_meta)
        instance.tracker.start()
        recorder = Recorder(file)
        attrs = evaluate_body(body, scope, "", unknown, top=True, recorder=recorder)
        refs = instance.tracker.stop()
        depends = (refs | expansion_refs | explicit) - {base}
        identity = TerraformId(root=instance.root, folder=instance.root_directory,
                               module=instance.module, type=resource_type, name=name, key=key)
        yield EvaluatedResource(
            id=identity, type=resource_type, name=name, file=file, line=line,
            end_line=end_line, attrs=attrs, unknown=unknown, depends_on=sorted(depends),
            spans=recorder.spans(), origins=recorder.origins(),
            provider=provider)


def _explicit_depends_on(body: ast.Body, prefix: str) -> set[str]:
    found = body[0].get("depends_on")
    if found is None or found[0][0] != ast.TUPLE:
        return set()
    texts = (traversal_text(item) for item in found[0][1])
    return {prefix + text for text in texts if text}


def _provider_key(body: ast.Body, resource_type: str) -> str:
    chosen = body[0].get("provider")
    text = traversal_text(chosen[0]) if chosen else None
    return text or resource_type.split("_", 1)[0]
