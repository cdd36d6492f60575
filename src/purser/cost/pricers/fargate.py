"""AWS Fargate: ECS services and EKS Fargate profiles, per vCPU-hour and GB-hour.

An ECS service runs on Fargate when its launch type says so, when its capacity provider
strategy (or, without one, its cluster's default strategy) names FARGATE or FARGATE_SPOT,
or when its cluster's only capacity providers are Fargate's: such a cluster has no other
capacity to place the tasks on. Anything else runs on EC2 capacity whose instances are
priced themselves, so the service adds nothing.

A task's size is its task definition's `cpu` and `memory` in every form AWS accepts: CPU
units (`1024`, `"1024"`) or vCPUs (`"1 vCPU"`, `"1vcpu"`, `".5 vCPU"`), MiB (`2048`,
`"2048"`) or GB (`"2 GB"`, `"0.5GB"`; AWS means 1,024 MiB). Any other value, a value
Fargate cannot run (above 16 vCPU or 120 GB) or a missing one is unknown: the line keeps
its unit price and has no cost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    DEFAULT,
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    ResourceIndex,
    Unpriceable,
)
from purser.cost.usage import Quantity
from purser.model import Ref, Resource, number

CPU_UNITS_PER_VCPU = 1024
MIB_PER_GB = 1024
MAX_TASK_VCPU = 16  # Fargate's largest task size
MAX_TASK_MEMORY_GB = 120
MAX_TASKS = 100_000  # far above ECS's quota of tasks per service: a larger count is a typo
FARGATE = "FARGATE"
FARGATE_SPOT = "FARGATE_SPOT"
# Terraform's aws_ecs_service defaults desired_count to 0; CloudFormation to 1.
DEFAULT_DESIRED_COUNT = {"cloudformation": 1.0}
# Infracost prices a Fargate profile as one pod of 1 vCPU and 1 GB running all month.
PROFILE_ASSUMED_VCPU = 1.0
PROFILE_ASSUMED_MEMORY_GB = 1.0

_SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]*)\s*$")


def task_vcpu(value: Any) -> float | None:
    """A task definition's `cpu` in vCPUs: `1024` / `"1024"` CPU units or `"1 vCPU"`."""
    return _size(value, word="vcpu", per_word=CPU_UNITS_PER_VCPU, largest=MAX_TASK_VCPU)


def task_memory_gb(value: Any) -> float | None:
    """A task definition's `memory` in GB: `2048` / `"2048"` MiB or `"2 GB"`."""
    return _size(value, word="gb", per_word=MIB_PER_GB, largest=MAX_TASK_MEMORY_GB)


def _size(value: Any, *, word: str, per_word: int, largest: float) -> float | None:
    """A number without a unit counts the small unit (CPU units, MiB) and must be whole;
    a number followed by `word` (any case, space optional) counts the large one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        amount: float | None = value / per_word if float(value).is_integer() else None
    elif isinstance(value, str) and len(value) <= 32 and (match := _SIZE.match(value)):
        digits, unit = match.groups()
        if unit.lower() == word:
            amount = float(digits)
        elif not unit and digits.isdigit():
            amount = int(digits) / per_word
        else:
            amount = None
    else:
        amount = None
    return amount if amount is not None and 0 < amount <= largest else None


@dataclass(frozen=True)
class TaskSize:
    vcpu: float | None
    memory_gb: float | None
    architecture: str  # catalog attribute: x86_64 or arm64


def task_size(task: Resource) -> TaskSize:
    arch = str(task.get("runtime_platform.cpu_architecture") or "X86_64").upper()
    return TaskSize(task_vcpu(task.get("cpu")), task_memory_gb(task.get("memory")),
                    "arm64" if arch == "ARM64" else "x86_64")


def bill_fargate(ctx: PricingContext, size: TaskSize, tasks: Quantity, label: str, *,
                 spot: bool = False) -> None:
    """vCPU-hours and GB-hours of `tasks` tasks of `size` running all month.

    Fargate Spot has no fixed price (AWS sets it by spare capacity, up to 70% below
    on-demand): its lines show the on-demand price with an unknown quantity."""
    kind = "Fargate Spot" if spot else "Fargate"
    for meter, amount, unit in (("vcpu", size.vcpu, "vCPU"), ("memory", size.memory_gb, "GB")):
        shown = "unknown" if amount is None else f"{amount:g}"
        component = f"{kind} {'vCPU' if meter == 'vcpu' else 'memory'} " \
                    f"({label} × {shown} {unit}, {size.architecture})"
        if spot:
            component += "; spot price varies, on-demand shown"
        quantity = None if amount is None or spot else Quantity(
            tasks.value * amount * HOURS_PER_MONTH, tasks.origin)
        ctx.add(component, ctx.prices("fargate", meter=meter, architecture=size.architecture),
                quantity)


# -- ECS services ------------------------------------------------------------------------

@prices(*kinds.types("aws.ecs.service"))
def ecs_service(ctx: PricingContext) -> None:
    """Fargate tasks: desired count × the task definition's vCPU and memory × 730 h."""
    service = ctx.resource
    placement = _placement(ctx.index, service)
    if not placement:
        return
    task = _task_definition(ctx.index, service)
    if task is None:
        raise Unpriceable("the Fargate task definition is not in this repository")
    size = task_size(task)
    if str(task.get("runtime_platform.operating_system_family") or "LINUX").upper() != "LINUX":
        raise Unpriceable("no price model for Windows tasks on Fargate")
    default = DEFAULT_DESIRED_COUNT.get(service.format, 0.0)
    desired = number(service.get("desired_count"), default) or 0.0
    if not 0 <= desired <= MAX_TASKS:
        raise Unpriceable(f"desired_count {desired:g} is out of range")
    for provider, share in placement.items():
        tasks = desired * share
        bill_fargate(ctx, size, Quantity(tasks, FIXED), _tasks_label(tasks),
                     spot=provider == FARGATE_SPOT)


def _tasks_label(count: float) -> str:
    return f"{count:g} task{'' if count == 1 else 's'}"


def _placement(index: ResourceIndex, service: Resource) -> dict[str, float]:
    """The share of the service's tasks on FARGATE and on FARGATE_SPOT (empty: none)."""
    launch = str(service.get("launch_type") or "").upper()
    if launch:
        return {FARGATE: 1.0} if launch == FARGATE else {}
    strategy = _strategy(service.get("capacity_provider_strategy"))
    if not strategy:
        cluster = _cluster_capacity(index, service.get("cluster"))
        strategy = list(cluster.default_strategy)
        if not strategy and cluster.providers and cluster.providers <= {FARGATE, FARGATE_SPOT}:
            strategy = [(FARGATE if FARGATE in cluster.providers else FARGATE_SPOT, 1.0, 0.0)]
    return _fargate_shares(strategy)


def _strategy(value: Any) -> list[tuple[str, float, float]]:
    """A capacity provider strategy as (provider, weight, base) items."""
    items = value if isinstance(value, list) else []
    return [(str(item.get("capacity_provider") or "").upper(),
             number(item.get("weight"), 0.0) or 0.0, number(item.get("base"), 0.0) or 0.0)
            for item in items if isinstance(item, dict)]


def _fargate_shares(strategy: list[tuple[str, float, float]]) -> dict[str, float]:
    """Where tasks go, as shares of the desired count. A strategy's base is placed first;
    as the desired count is not known here, the shares follow the weights (all-zero
    weights: the provider with a base takes the tasks), which is what a service converges
    to when its desired count is well above the bases."""
    weights = {p: w for p, w, _ in strategy}
    total = sum(weights.values())
    if total <= 0:
        based = [p for p, _, base in strategy if base > 0] or [p for p, _, _ in strategy[:1]]
        weights, total = {p: 1.0 for p in based}, float(len(based))
    return {p: w / total for p, w in weights.items()
            if p in (FARGATE, FARGATE_SPOT) and w > 0 and total > 0}


@dataclass(frozen=True)
class _ClusterCapacity:
    providers: frozenset[str] = frozenset()
    default_strategy: tuple[tuple[str, float, float], ...] = ()


def _cluster_capacity(index: ResourceIndex, cluster_value: Any) -> _ClusterCapacity:
    key = _cluster_key(index, cluster_value)
    if key is None:
        return _ClusterCapacity()
    return index.memo("ecs-cluster-capacity", _capacity_table).get(key, _ClusterCapacity())


def _cluster_key(index: ResourceIndex, value: Any) -> str | None:
    """A cluster's address when the repository declares it, else its name."""
    if isinstance(value, Ref):
        return value.address
    if not isinstance(value, str) or not value:
        return None
    name = value.rsplit("/", 1)[-1]  # an ARN ends in cluster/NAME
    for cluster_type in kinds.types("aws.ecs.cluster"):
        found = index.find(cluster_type, "name", name)
        if found is not None:
            return found.address
    return name


def _capacity_table(index: ResourceIndex) -> dict[str, _ClusterCapacity]:
    """Each cluster's capacity providers and default strategy: written on the cluster
    (older Terraform providers, CloudFormation) or in a capacity-providers resource."""
    table: dict[str, _ClusterCapacity] = {}
    for resource in index.by_address.values():
        if resource.type in kinds.types("aws.ecs.cluster"):
            key: str | None = resource.address
        elif resource.type in kinds.types("aws.ecs.cluster_capacity_providers"):
            key = _cluster_key(index, resource.get("cluster_name"))
        else:
            continue
        providers = frozenset(str(p).upper() for p in _strings(resource.get("capacity_providers")))
        strategy = _strategy(resource.get("default_capacity_provider_strategy"))
        if key is not None and (providers or strategy):
            table[key] = _ClusterCapacity(providers, tuple(strategy))
    return table


def _strings(value: Any) -> Iterable[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _task_definition(index: ResourceIndex, service: Resource) -> Resource | None:
    """The service's task definition: referenced, named by family (`family`, `family:3`,
    an ARN), or, for a service deployed by task sets, its task set's."""
    value = service.get("task_definition")
    if value is None:
        task_set = index.memo("ecs-task-sets", _task_sets).get(service.address)
        value = task_set.get("task_definition") if task_set is not None else None
    found = index.referenced(value)
    if found is not None or not isinstance(value, str):
        return found
    family = value.rsplit("/", 1)[-1].split(":", 1)[0]
    for task_type in kinds.types("aws.ecs.task_definition"):
        found = index.find(task_type, "family", family)
        if found is not None:
            return found
    return None


def _task_sets(index: ResourceIndex) -> dict[str, Resource]:
    table: dict[str, Resource] = {}
    for resource in index.by_address.values():
        if resource.type in kinds.types("aws.ecs.task_set"):
            service = resource.get("service")
            if isinstance(service, Ref):
                table.setdefault(service.address, resource)
    return table


# -- EKS Fargate profiles ----------------------------------------------------------------

@prices(*kinds.types("aws.eks.fargate_profile"))
def eks_fargate_profile(ctx: PricingContext) -> None:
    """The pods the profile runs: usage `monthly_vcpu_hrs` and `monthly_gb_hrs`, else one
    pod of 1 vCPU and 1 GB all month (Infracost's assumption), marked as an assumption.

    Pods from manifests in this repository are priced as Kubernetes workloads as well; set
    the usage keys to what the profile's namespaces run beyond them."""
    for meter, key, assumed, unit in (
        ("vcpu", "monthly_vcpu_hrs", PROFILE_ASSUMED_VCPU, "vCPU"),
        ("memory", "monthly_gb_hrs", PROFILE_ASSUMED_MEMORY_GB, "GB"),
    ):
        used = ctx.used(key)
        name = "Fargate vCPU" if meter == "vcpu" else "Fargate memory"
        if used is None:
            component = f"{name} (assumed 1 pod × {assumed:g} {unit}; usage {key})"
            used = Quantity(assumed * HOURS_PER_MONTH, DEFAULT)
        else:
            component = f"{name} ({key} from usage)"
        ctx.add(component, ctx.prices("fargate", meter=meter, architecture="x86_64"), used)
