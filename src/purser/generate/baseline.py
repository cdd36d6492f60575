"""The sizing before any cost lever: from the intent where it speaks, else the
repository's habits, else purser's defaults; each choice is a decision with its source."""

from __future__ import annotations

import math

from purser.generate.blueprints.serverless import PROVISIONED_MIN_REQUESTS
from purser.generate.conventions import Conventions
from purser.generate.design import Sizing
from purser.generate.spec import Decision, IntentSpec

LAMBDA_PATTERNS = frozenset({"http-api", "queue-worker", "scheduled-job", "event-pipeline"})
CONTAINER_MEMORY_MIB = {"ai-inference": 2048, "k8s-service": 512}


def baseline(spec: IntentSpec, conventions: Conventions) -> tuple[Sizing, list[Decision]]:
    decisions: list[Decision] = []

    def say(choice: str, reason: str, source: str) -> None:
        decisions.append(Decision(choice=choice, reason=reason, source=source))  # type: ignore[arg-type]

    lambdas = spec.pattern in LAMBDA_PATTERNS
    architecture = conventions.architecture
    if lambdas:
        if spec.cost_optimized and architecture != "arm64":
            architecture = "arm64"
            say("Lambda on arm64 (Graviton)", "cost-optimized: arm64 is 20 % cheaper per "
                "GB-second", "intent")
        else:
            say(f"Lambda on {architecture}", conventions.says("architecture"),
                "convention" if "architecture" in conventions.learned else "assumed")
    if spec.pattern in CONTAINER_MEMORY_MIB:
        memory = CONTAINER_MEMORY_MIB[spec.pattern]
        say(f"container memory {memory} MiB", f"the {spec.pattern} blueprint's default",
            "assumed")
    else:
        memory = conventions.memory_mb
        if lambdas:
            say(f"Lambda memory {memory} MB", conventions.says("memory_mb"),
                "convention" if "memory_mb" in conventions.learned else "assumed")
    retention = conventions.log_retention_days
    if lambdas:
        say(f"log retention {retention} days", conventions.says("log_retention_days"),
            "convention" if "log_retention_days" in conventions.learned else "assumed")
    warm = _provisioned(spec, decisions)
    lifecycle = "archive-first" if spec.cost_optimized else "balanced"
    high = spec.availability == "high"
    min_scale = {"ai-inference": 1 if high else 0, "k8s-service": 3 if high else 2}.get(
        spec.pattern, 0)
    return Sizing(architecture=architecture, memory_mb=memory, provisioned_concurrency=warm,
                  log_retention_days=retention, lifecycle=lifecycle,
                  min_scale=min_scale), decisions


def _provisioned(spec: IntentSpec, decisions: list[Decision]) -> int:
    if "low-latency" not in spec.network or spec.pattern != "http-api":
        return 0
    requests = spec.traffic.monthly_requests or 0
    if requests < PROVISIONED_MIN_REQUESTS:
        decisions.append(Decision(
            choice="no provisioned concurrency", reason=f"lowest latency was asked, but at "
            f"{requests:,} requests a month warm instances cost more than the cold starts they "
            f"save (below {PROVISIONED_MIN_REQUESTS:,})", source="intent"))
        return 0
    average = requests / (730 * 3600) * (spec.traffic.request_duration_ms or 120) / 1000
    count = max(1, math.ceil(average * 2))
    decisions.append(Decision(choice=f"provisioned concurrency {count}",
                              reason="lowest latency: twice the average concurrency kept warm, "
                                     "no cold start on the request path", source="intent"))
    return count
