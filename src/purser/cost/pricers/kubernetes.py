"""Kubernetes workloads: CPU, memory and GPU requests × replicas × 730 h at purser.yaml's
rates.

The rates are `cost.kubernetes.vcpu_hour_usd`, `gb_hour_usd` and `gpu_hour_usd`. The first
two defaults ($0.04048 per vCPU-hour, $0.004445 per GB-hour) are AWS Fargate's us-east-1
on-demand prices: what a pod-sized slice of on-demand capacity costs with no bin-packing
waste. To derive rates from your own nodes instead, split a node's hourly price over its
vCPUs and memory in the same 9.1 : 1 ratio — an m6i.large ($0.096/h, 2 vCPU, 8 GiB)
gives about $0.0334 per vCPU-hour and $0.00367 per GiB-hour — and set them in purser.yaml.

Replicas: `spec.replicas` (1 when absent); the usage key `expected_replicas` overrides it.
A workload scaled by a HorizontalPodAutoscaler (same namespace, scaleTargetRef naming it)
is priced at the expected replicas — `expected_replicas` from usage, else the midpoint of
min and max — and the ResourceCost carries the monthly cost at min and at max as well.
A Knative Service costs its min-scale pods plus the average busy pods its traffic needs:
monthly_requests / seconds per month × request_duration_ms / 1000 / container concurrency.
Jobs and CronJobs cost their pods for `monthly_run_hours` (usage) × parallelism.
GPUs: requests (or limits) of `nvidia.com/gpu`, `amd.com/gpu` and `gpu.intel.com/*` cost
`cost.kubernetes.gpu_hour_usd` per GPU-hour. Its default, $0.29296, is one GPU's share of
AWS's smallest NVIDIA node, a g4dn.xlarge (1 T4, 4 vCPU, 16 GiB, $0.526/h on-demand in
us-east-1): the node's price less its 4 vCPU and 16 GiB at the two rates above, so that a
pod's CPU, memory and GPU requests together cost what the node does. Set your own nodes'
share in purser.yaml.
Storage: a PersistentVolumeClaim, and each of a StatefulSet's volumeClaimTemplates × its
replicas, is priced as the EBS volume its storage class provisions, in the default region
(kubernetes_storage.py says how the class is found, and what is assumed without one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from purser.cost.catalog import Price
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    DEFAULT,
    FIXED,
    HOURS_PER_MONTH,
    SECONDS_PER_HOUR,
    PricingContext,
    ResourceIndex,
    Unpriceable,
)
from purser.cost.pricers.ebs import bill_volume, ebs_prices
from purser.cost.pricers.kubernetes_storage import claim_volume
from purser.cost.usage import Quantity
from purser.model import Resource, dig
from purser.policy.workloads import knative_autoscaling, pod_spec

KNATIVE_DEFAULT_CONCURRENCY = 100  # Knative's container-concurrency-target-default
MAX_GPU_KINDS = 8  # distinct GPU resource names priced per pod
RATES_SOURCE = "purser.yaml cost.kubernetes"

_QUANTITY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$")
_SUFFIX_FACTORS = {
    "": 1.0, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
    "Ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40, "Pi": 2.0**50, "Ei": 2.0**60,
}
GIB = 2.0**30


def parse_quantity(value: Any) -> float | None:
    """A Kubernetes quantity as a plain number: `500m` → 0.5, `512Mi` → 536870912, `1G` → 1e9."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        return None
    match = _QUANTITY.match(value.strip())
    if not match or match.group(2) not in _SUFFIX_FACTORS:
        return None
    return float(match.group(1)) * _SUFFIX_FACTORS[match.group(2)]


@dataclass(frozen=True)
class PodRequests:
    vcpu: float | None  # None: no container states a request (nor a limit to default to)
    memory_gib: float | None
    gpus: dict[str, float] = field(default_factory=dict)  # GPU resource name → count


def pod_requests(workload: Resource) -> PodRequests:
    """Effective pod requests: max(sum of containers, largest init container), per resource.

    A container without a request but with a limit gets the limit as its request, as the
    API server does.
    """
    spec = pod_spec(workload)
    containers = [c for c in spec.get("containers") or [] if isinstance(c, dict)]
    inits = [c for c in spec.get("initContainers") or [] if isinstance(c, dict)]

    def effective(resource_name: str, scale: float) -> float | None:
        main = [_request(c, resource_name) for c in containers]
        init = [_request(c, resource_name) for c in inits]
        if all(v is None for v in main + init):
            return None
        total = sum(v for v in main if v is not None)
        largest_init = max((v for v in init if v is not None), default=0.0)
        return max(total, largest_init) / scale

    gpu_names = sorted({name for c in containers + inits for name in _resource_names(c)
                        if is_gpu(name)})[:MAX_GPU_KINDS]
    gpus = {name: count for name in gpu_names if (count := effective(name, 1.0))}
    return PodRequests(effective("cpu", 1.0), effective("memory", GIB), gpus)


def is_gpu(resource_name: str) -> bool:
    """NVIDIA's, AMD's and Intel's device-plugin GPU resources."""
    return resource_name in ("nvidia.com/gpu", "amd.com/gpu") \
        or resource_name.startswith("gpu.intel.com/")


def _resource_names(container: dict[str, Any]) -> set[str]:
    resources = container.get("resources") or {}
    names: set[str] = set()
    for section in ("requests", "limits"):
        block = resources.get(section) if isinstance(resources, dict) else None
        if isinstance(block, dict):
            names.update(str(name)[:100] for name in block)
    return names


def _request(container: dict[str, Any], resource_name: str) -> float | None:
    resources = container.get("resources") or {}
    for section in ("requests", "limits"):
        block = resources.get(section) if isinstance(resources, dict) else None
        if isinstance(block, dict) and resource_name in block:
            return parse_quantity(block[resource_name])
    return None


@lru_cache(maxsize=8)
def _rate(meter: str, unit: str, usd: float) -> Price:
    return Price(key=f"kubernetes.{meter}", provider="kubernetes", service="kubernetes",
                 region="cluster", unit=unit, usd=usd,
                 source=f"{RATES_SOURCE}.{meter}_usd", date="purser.yaml")


def _bill_pods(ctx: PricingContext, requests: PodRequests, label: str,
               pods: Quantity | None) -> None:
    rates = ctx.config.cost.kubernetes
    for name, amount, price in (
        ("CPU requests", requests.vcpu, _rate("vcpu_hour", "vCPU-hours", rates.vcpu_hour_usd)),
        ("Memory requests", requests.memory_gib,
         _rate("gb_hour", "GB-hours", rates.gb_hour_usd)),
    ):
        if amount is None:
            ctx.add(f"{name} (none set; {label})", [price], None)
            continue
        size = f"{amount:g} vCPU" if name.startswith("CPU") else f"{amount:g} GiB"
        hours = None if pods is None else Quantity(
            pods.value * amount * HOURS_PER_MONTH, pods.origin)
        ctx.add(f"{name} ({size} × {label})", [price], hours)
    for gpu, count in requests.gpus.items():
        hours = None if pods is None else Quantity(
            pods.value * count * HOURS_PER_MONTH, pods.origin)
        ctx.add(f"GPU requests ({count:g} {gpu} × {label})",
                [_rate("gpu_hour", "GPU-hours", rates.gpu_hour_usd)], hours)


def _replica_label(count: float) -> str:
    return f"{count:g} replica{'' if count == 1 else 's'}"


def _hpa_table(index: ResourceIndex) -> dict[tuple[str, str, str], Resource]:
    table: dict[tuple[str, str, str], Resource] = {}
    for resource in index.by_address.values():
        if resource.type == "autoscaling/HorizontalPodAutoscaler":
            target = resource.get("spec.scaleTargetRef") or {}
            if isinstance(target, dict):
                key = (_namespace(resource), str(target.get("kind")), str(target.get("name")))
                table.setdefault(key, resource)
    return table


def _namespace(resource: Resource) -> str:
    return str(dig(resource.attrs, "metadata.namespace") or "default")


def _kind(resource: Resource) -> str:
    return resource.type.rsplit("/", 1)[-1]


@prices("apps/Deployment", "apps/StatefulSet", "apps/ReplicaSet", "core/ReplicationController",
        "apps/DaemonSet", "core/Pod")
def workload(ctx: PricingContext) -> None:
    requests = pod_requests(ctx.resource)
    replicas, label, bounds = _replicas(ctx)
    _bill_pods(ctx, requests, label, replicas)
    per_replica = _monthly_per_replica(ctx, requests)
    if ctx.resource.type == "apps/StatefulSet":
        per_replica += _bill_claim_templates(ctx, replicas, label)
    if bounds is not None:
        ctx.cost_range = (per_replica * bounds[0], per_replica * bounds[1])


def _replicas(ctx: PricingContext) -> tuple[Quantity | None, str, tuple[float, float] | None]:
    """How many pods run, their label, and an HPA's (min, max) when one scales the workload."""
    resource = ctx.resource
    expected = ctx.used("expected_replicas")
    hpa = ctx.index.memo("hpa-by-target", _hpa_table).get(
        (_namespace(resource), _kind(resource), resource.name))
    if hpa is not None:
        low = _number(hpa.get("spec.minReplicas"), 1.0)
        high = max(low, _number(hpa.get("spec.maxReplicas"), low))
        replicas = expected or Quantity((low + high) / 2, DEFAULT)
        label = f"expected {_replica_label(replicas.value)}; HPA {low:g}–{high:g}"
        return replicas, label, (low, high)
    if expected is not None:
        return expected, _replica_label(expected.value), None
    if resource.type == "apps/DaemonSet":
        # One pod per node: the node count is usage the manifest cannot tell.
        return None, "one pod per node", None
    count = 1.0 if resource.type == "core/Pod" else _number(resource.get("spec.replicas"), 1.0)
    return Quantity(count, FIXED), _replica_label(count), None


def _monthly_per_replica(ctx: PricingContext, requests: PodRequests) -> float:
    rates = ctx.config.cost.kubernetes
    return HOURS_PER_MONTH * ((requests.vcpu or 0.0) * rates.vcpu_hour_usd
                              + (requests.memory_gib or 0.0) * rates.gb_hour_usd
                              + sum(requests.gpus.values()) * rates.gpu_hour_usd)


def claim_gib(claim_spec: Any) -> float | None:
    """A claim's `resources.requests.storage` in GiB (EBS's "GB" are GiB)."""
    if not isinstance(claim_spec, dict):
        return None
    storage = parse_quantity(dig(claim_spec, "resources.requests.storage"))
    return None if storage is None else storage / GIB


@prices("core/PersistentVolumeClaim")
def persistent_volume_claim(ctx: PricingContext) -> None:
    """The requested storage for the month as the EBS volume its storage class provisions,
    in the resource's region (purser.yaml's defaults.region for manifests)."""
    spec = ctx.resource.get("spec")
    size = claim_gib(spec)
    if size is None:
        raise Unpriceable("storage request (spec.resources.requests.storage) not known")
    volume = claim_volume(ctx, spec, size)
    bill_volume(ctx, volume.volume_type, Quantity(size, FIXED),
                component=f"Storage {size:g} GiB {volume.label}", iops=volume.iops,
                throughput=volume.throughput)


def _bill_claim_templates(ctx: PricingContext, replicas: Quantity | None, label: str) -> float:
    """One storage line per volumeClaimTemplate: its storage × the replicas, as the volume
    its storage class provisions. Returns one replica's storage cost, for an HPA's range."""
    per_replica = 0.0
    for template in ctx.resource.get("spec.volumeClaimTemplates") or []:
        if not isinstance(template, dict):
            continue
        name = dig(template, "metadata.name") or "unnamed"
        size = claim_gib(template.get("spec"))
        volume = claim_volume(ctx, template.get("spec"), size)
        storage = ebs_prices(ctx, "storage", volume.volume_type)
        if size is None:
            ctx.add(f"Volume claim {name} (storage request not set; {label}) {volume.label}",
                    storage, None)
            continue
        each = None if replicas is None else Quantity(size, FIXED)  # replicas unknown
        bill_volume(ctx, volume.volume_type, each,
                    component=f"Volume claim {name} ({size:g} GiB × {label}) {volume.label}",
                    iops=volume.iops, throughput=volume.throughput, copies=replicas)
        per_replica += size * storage[0].usd
    return per_replica


@prices("serving.knative.dev/Service")
def knative_service(ctx: PricingContext) -> None:
    resource = ctx.resource
    requests = pod_requests(resource)
    min_scale = _number(knative_autoscaling(resource, "min-scale", "minScale"), 0.0)
    max_scale = _number(knative_autoscaling(resource, "max-scale", "maxScale"), 0.0)
    concurrency = (_number(resource.get("spec.template.spec.containerConcurrency"), 0.0)
                   or _number(knative_autoscaling(resource, "target"), 0.0)
                   or KNATIVE_DEFAULT_CONCURRENCY)
    if min_scale > 0:
        _bill_pods(ctx, requests, f"min-scale {min_scale:g}", Quantity(min_scale, FIXED))
    busy = _busy_pods(ctx, concurrency)
    if busy is not None and max_scale > 0:
        busy = Quantity(min(busy.value, max(0.0, max_scale - min_scale)), busy.origin)
    _bill_pods(ctx, requests, f"average busy pods at concurrency {concurrency:g}", busy)


def _busy_pods(ctx: PricingContext, concurrency: float) -> Quantity | None:
    requests, duration = ctx.used("monthly_requests"), ctx.used("request_duration_ms")
    if requests is None or duration is None:
        return None
    per_second = requests.value / (HOURS_PER_MONTH * SECONDS_PER_HOUR)
    origin = " + ".join(dict.fromkeys((requests.origin, duration.origin)))
    return Quantity(per_second * duration.value / 1000 / concurrency, origin)


@prices("batch/Job", "batch/CronJob")
def batch(ctx: PricingContext) -> None:
    resource = ctx.resource
    path = "spec.jobTemplate.spec.parallelism" if resource.type == "batch/CronJob" \
        else "spec.parallelism"
    parallelism = _number(resource.get(path), 1.0)
    run_hours = ctx.used("monthly_run_hours")
    pods = None if run_hours is None else Quantity(
        run_hours.value * parallelism / HOURS_PER_MONTH, run_hours.origin)
    _bill_pods(ctx, pod_requests(resource), f"{parallelism:g} pod(s) while running", pods)


def _number(value: Any, default: float) -> float:
    parsed = parse_quantity(value)
    return default if parsed is None else parsed


__all__: list[str] = ["claim_gib", "parse_quantity", "pod_requests"]
