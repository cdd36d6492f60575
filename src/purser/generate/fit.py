"""Budget fitting: price the design at the stated traffic and, while it costs more than the
budget, turn the cost levers in order (arm64, memory, on-demand instead of provisioned,
log retention, lifecycle tiers, min-scale), each step priced again and its saving said.
If the last lever still leaves it over, stop and say by how much and where the money goes.
A fit is claimed only when everything that costs money was priced: a generated resource the
design gives usage to, or whose type has a price model, that the estimate could not price (and
a usage-priced component whose quantity is unknown) makes the fit unverified, never a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from purser.estimates import Estimate
from purser.generate.baseline import LAMBDA_PATTERNS
from purser.generate.design import K8S_MEMORY_FLOOR_MIB, MEMORY_FLOOR_MB, Sizing
from purser.generate.spec import IntentSpec

RETENTION_STEPS = (30, 14, 7)


@dataclass
class Priced:
    """One candidate: its sizing and what it costs (the rest rides along for the caller)."""

    sizing: Sizing
    estimate: Estimate
    payload: object = None
    unverified: list[str] = field(default_factory=list)  # what costs money but is not priced

    @property
    def total(self) -> float:
        return self.estimate.total_monthly_cost


@dataclass
class LeverStep:
    lever: str
    change: str
    before_usd: float
    after_usd: float

    @property
    def saved_usd(self) -> float:
        return self.before_usd - self.after_usd


@dataclass
class Fit:
    priced: Priced
    budget_usd: float | None
    steps: list[LeverStep] = field(default_factory=list)
    explanation: str = ""

    @property
    def unverified(self) -> list[str]:
        return self.priced.unverified

    @property
    def within_budget(self) -> bool:
        """What is priced stays within the budget (the unpriced parts aside)."""
        return self.budget_usd is None or self.priced.total <= self.budget_usd + 1e-9

    @property
    def fits(self) -> bool:
        """Within the budget with everything that costs money priced."""
        return self.budget_usd is None or (self.within_budget and not self.unverified)


def unverified_parts(estimate: Estimate, usage: dict[str, dict[str, Any]],
                     priced_types: Collection[str]) -> list[str]:
    """Each part of `estimate` that costs money but has no price, and why: an unpriced
    resource the design gives usage to (`usage`, by address) or whose type has a price model,
    and a usage-priced component whose quantity is unknown."""
    parts = []
    for unpriced in estimate.unpriced:
        given = usage.get(unpriced.address)
        if given is None and unpriced.type not in priced_types:
            continue  # no usage and no price model: a resource that costs nothing itself
        what = f" ({', '.join(_quantities(given))})" if given else ""
        parts.append(f"{unpriced.address}{what}: {unpriced.reason}")
    for resource in estimate.resources:
        parts += [f"{resource.address} {line.component}: usage unknown (no monthly "
                  f"{line.unit} to multiply the unit price by)"
                  for line in resource.components if line.monthly_cost is None]
    return parts


def _quantities(usage: dict[str, Any], within: str = "") -> list[str]:
    """The usage keys the design set (`standard.storage_gb`), the first eight."""
    names: list[str] = []
    for key, value in usage.items():
        name = f"{within}{key}"
        names += _quantities(value, name + ".") if isinstance(value, dict) else [name]
    return names[:8]


Lever = Callable[[Sizing, IntentSpec], tuple[Sizing, str] | None]


def _arm64(sizing: Sizing, spec: IntentSpec) -> tuple[Sizing, str] | None:
    if spec.pattern not in LAMBDA_PATTERNS or sizing.architecture == "arm64":
        return None
    return sizing.but(architecture="arm64"), "Lambda x86_64 → arm64 (Graviton)"


def _memory(sizing: Sizing, spec: IntentSpec) -> tuple[Sizing, str] | None:
    containers = spec.cloud == "kubernetes"
    if spec.pattern == "s3-backup" or spec.pattern == "static-site":
        return None
    floor = K8S_MEMORY_FLOOR_MIB if containers else MEMORY_FLOOR_MB
    if sizing.memory_mb <= floor:
        return None
    lower = max(floor, sizing.memory_mb // 2)
    what = "container memory request" if containers else "Lambda memory"
    unit = "MiB" if containers else "MB"
    return (sizing.but(memory_mb=lower),
            f"{what} {sizing.memory_mb} → {lower} {unit} (duration assumed unchanged: "
            "measure before merging)")


def _on_demand(sizing: Sizing, spec: IntentSpec) -> tuple[Sizing, str] | None:
    if sizing.provisioned_concurrency == 0:
        return None
    return (sizing.but(provisioned_concurrency=0),
            f"provisioned concurrency {sizing.provisioned_concurrency} → on demand "
            "(cold starts return)")


def _retention(sizing: Sizing, spec: IntentSpec) -> tuple[Sizing, str] | None:
    if spec.pattern not in LAMBDA_PATTERNS:
        return None
    shorter = [d for d in RETENTION_STEPS if d < sizing.log_retention_days]
    if not shorter:
        return None
    return (sizing.but(log_retention_days=shorter[0]),
            f"log retention {sizing.log_retention_days} → {shorter[0]} days")


def _lifecycle(sizing: Sizing, spec: IntentSpec) -> tuple[Sizing, str] | None:
    if spec.pattern != "s3-backup" or sizing.lifecycle == "archive-first":
        return None
    return (sizing.but(lifecycle="archive-first"),
            "lifecycle tiers: Deep Archive after 30 days (restores take up to 12 hours)")


def _min_scale(sizing: Sizing, spec: IntentSpec) -> tuple[Sizing, str] | None:
    high = spec.availability == "high"
    floors = {"ai-inference": 1 if high else 0, "k8s-service": 2 if high else 1}
    floor = floors.get(spec.pattern)
    if floor is None or sizing.min_scale <= floor:
        return None
    return (sizing.but(min_scale=sizing.min_scale - 1),
            f"minimum scale {sizing.min_scale} → {sizing.min_scale - 1}"
            + (" (the floor high availability allows)" if high and
               sizing.min_scale - 1 == floor else ""))


LEVERS: tuple[tuple[str, Lever], ...] = (
    ("arm64", _arm64), ("memory", _memory), ("on-demand", _on_demand),
    ("log retention", _retention), ("lifecycle tiers", _lifecycle), ("min-scale", _min_scale))


def fit(spec: IntentSpec, sizing: Sizing, price: Callable[[Sizing], Priced]) -> Fit:
    """Price `sizing`; with a budget, turn levers until it fits or none is left."""
    current = price(sizing)
    result = Fit(priced=current, budget_usd=spec.budget_monthly_usd)
    if spec.budget_monthly_usd is None:
        result.explanation = (f"no budget stated: ${current.total:,.2f} a month is reported, "
                              "not fitted" + _not_priced(current.unverified))
        return result
    budget = spec.budget_monthly_usd
    for name, lever in LEVERS:
        while result.priced.total > budget:
            turned = lever(result.priced.sizing, spec)
            if turned is None:
                break
            candidate = price(turned[0])
            result.steps.append(LeverStep(name, turned[1], result.priced.total, candidate.total))
            result.priced = candidate
    result.explanation = _explain(result, budget)
    return result


def _explain(result: Fit, budget: float) -> str:
    total = result.priced.total
    levers = f" after {len(result.steps)} lever step(s)" if result.steps else ""
    if result.fits:
        return f"${total:,.2f} a month fits the ${budget:,.2f} budget{levers}"
    if result.within_budget:
        return (f"budget fit unverified: the priced part, ${total:,.2f} a month, is within the "
                f"${budget:,.2f} budget{levers}, but {len(result.unverified)} part(s) that cost "
                "money are not priced" + _not_priced(result.unverified))
    over = total - budget
    top = sorted(result.priced.estimate.resources, key=lambda r: -r.monthly_cost)[:3]
    where = ", ".join(f"{r.address} ${r.monthly_cost:,.2f}" for r in top)
    return (f"${total:,.2f} a month is ${over:,.2f} ({over / budget:.0%}) over the "
            f"${budget:,.2f} budget with every lever turned; the largest costs: {where}. "
            "Raise the budget or lower the stated traffic or storage."
            + _not_priced(result.unverified))


def _not_priced(parts: list[str]) -> str:
    return "; not priced: " + "; ".join(parts) if parts else ""
