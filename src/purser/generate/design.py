"""What a blueprint produces from a spec: Terraform blocks, Kubernetes objects, the
expected usage, and the decisions it took; and the knobs the budget fitting turns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from purser.generate.conventions import Conventions
from purser.generate.hcl import Block, Expr, Template, Value
from purser.generate.spec import Decision, IntentSpec

MEMORY_FLOOR_MB = 256
K8S_MEMORY_FLOOR_MIB = 256


@dataclass(frozen=True)
class Sizing:
    """The knobs cost levers turn, in the order they are tried."""

    architecture: str  # Lambda: x86_64 | arm64
    memory_mb: int  # Lambda memory, or a container's memory request (MiB)
    provisioned_concurrency: int  # Lambda warm instances; 0 = on demand only
    log_retention_days: int
    lifecycle: str  # S3 backups: "balanced" | "archive-first"
    min_scale: int  # Knative min-scale, or an autoscaler's minReplicas

    def but(self, **changes: Any) -> Sizing:
        return replace(self, **changes)


@dataclass
class Design:
    resources: list[Block] = field(default_factory=list)  # main.tf
    variables: list[Block] = field(default_factory=list)
    outputs: list[Block] = field(default_factory=list)
    manifests: list[dict[str, Any]] = field(default_factory=list)  # Kubernetes objects
    usage: dict[str, dict[str, Any]] = field(default_factory=dict)  # local address → usage
    decisions: list[Decision] = field(default_factory=list)

    def add(self, block: Block) -> Block:
        self.resources.append(block)
        return block

    def decide(self, choice: str, reason: str, source: str = "blueprint") -> None:
        self.decisions.append(Decision(choice=choice, reason=reason, source=source))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Context:
    """Everything a blueprint reads: the spec, the repository's conventions, the sizing."""

    spec: IntentSpec
    conventions: Conventions
    sizing: Sizing

    def name(self, component: str) -> Template:
        """A resource name after the repository's pattern: `${local.name}-<component>`."""
        return Template((Expr("local.name"), f"-{component}"))

    def tags(self, **extra: str) -> Expr | Value:
        """`local.tags`, merged with per-resource tags when given."""
        if not extra:
            return Expr("local.tags")
        return Expr("merge(local.tags, " + _object(extra) + ")")

    def classification(self) -> Expr | Value:
        return self.tags(**{"data-classification": self.spec.data_classification})

    @property
    def requests(self) -> int:
        return self.spec.traffic.monthly_requests or 0


def _object(values: dict[str, str]) -> str:
    from purser.generate.hcl import quote

    return "{ " + ", ".join(f'"{quote(k)}" = "{quote(v)}"' for k, v in values.items()) + " }"


def k8s_name(text: str) -> str:
    """A DNS-1123 label from a slug."""
    name = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")[:63].strip("-")
    return name or "app"
