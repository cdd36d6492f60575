"""The monthly cost estimate of a set of resources, explained line by line.

Each resource type is priced by its registered pricer (see `purser.cost.pricers`). A
resource of a type without a pricer is listed under `unpriced` with the reason; a resource
whose pricer adds no lines (an IAM role, a subnet, a Kubernetes Service) is listed under
`free`. Usage-based components without usage keep their unit price and show no monthly
cost (never a made-up zero); `monthly_cost` sums the components whose cost is known. A
pricer that raises on a resource, or prices it at an infinite cost, costs that resource
only: it is listed under `unpriced` and under `errors`, and the rest is still priced.
A usage value that cannot be used (refused by the usage file, or a word where a pricer
needs a number) is under `errors` with its file, line and key; the resources it applied
to are priced without it. Usage-only resources a usage file declares
(`aws_data_transfer.<name>`) are priced beside the repository's.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass

from purser.config import Application, Config
from purser.cost.catalog import Catalog, load_catalog
from purser.cost.pricers import Pricer, load_builtin_pricers
from purser.cost.pricers.context import UNKNOWN, PricingContext, ResourceIndex, Unpriceable
from purser.cost.usage import (
    Quantity,
    Spread,
    UsageProblem,
    UsageSource,
    declared_resources,
    file_problems,
    locate,
    problems_for,
    resolve,
    resolve_texts,
    spread,
)
from purser.estimates import Estimate, ResourceCost, Unpriced
from purser.model import CostLine, Resource, SourceError
from purser.sources import home, owner

UNASSIGNED = "(unassigned)"  # totals key for resources without an application, env or team
ENV_TAG = "env"
TEAM_TAG = "team"

MAX_ERROR_CHARS = 300
MAX_NAMED = 3  # resources named in one usage error

FREE_TIER_NOTE = ("Free tiers are not deducted (nor does Infracost deduct them): they are "
                  "account-wide, and one repository cannot tell how much of them is left. "
                  "The exceptions, each named in the components it lowers: each standard "
                  "SNS topic's first 1M publishes and 100k HTTP/S, 1k email and 100 SMS "
                  "deliveries a month (as Infracost deducts them), and EventBridge "
                  "Scheduler's first 14M invocations and Cognito's first 10,000 monthly "
                  "active users, which AWS's price list writes as $0 tiers: these are "
                  "deducted per schedule and per user pool, so several of them in one "
                  "account are estimated low.")


@dataclass(frozen=True)
class _Owner:
    application: str | None
    environment: str | None
    team: str | None


class _Allocation:
    """Who a resource's cost belongs to (`purser.sources.owner`); application lookups are
    cached per home and written file."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._by_file: dict[tuple[str, str], Application | None] = {}

    def owner(self, resource: Resource) -> _Owner:
        key = (home(resource), resource.source.file)
        if key not in self._by_file:
            self._by_file[key] = owner(resource, self.config)
        application = self._by_file[key]
        environment = application.environment if application else resource.tags.get(ENV_TAG)
        return _Owner(application.name if application else None, environment,
                      resource.tags.get(TEAM_TAG))


def estimate(resources: list[Resource], config: Config, *, usage: UsageSource | None = None,
             catalog: Catalog | None = None) -> Estimate:
    """Price every resource for one month at on-demand list prices."""
    return _estimate(resources, config, usage, catalog)


def _estimate(resources: list[Resource], config: Config, usage: UsageSource | None,
              catalog: Catalog | None) -> Estimate:
    catalog = catalog or load_catalog()
    registered = load_builtin_pricers()
    resources = resources + _declared(usage, resources)
    index = ResourceIndex(resources)
    allocation = _Allocation(config)
    costs: list[ResourceCost] = []
    unpriced: list[Unpriced] = []
    free: list[str] = []
    errors: list[SourceError] = []
    refused = _Refused(usage)
    for resource in resources:
        refused.note(resource)
        outcome = _price_one(resource, registered.get(resource.type), config, catalog, usage,
                             index)
        if isinstance(outcome, PricingContext) and outcome.misused:
            errors += _misused(usage, resource, outcome.misused)
        if isinstance(outcome, SourceError):
            errors.append(outcome)
            unpriced.append(Unpriced(address=resource.address, type=resource.type,
                                     reason=outcome.message))
        elif isinstance(outcome, Unpriced):
            unpriced.append(outcome)
        elif not outcome.lines:
            free.append(resource.address)
        else:
            costs.append(_resource_cost(resource, outcome, allocation.owner(resource)))
    total = sum(c.monthly_cost for c in costs)
    errors = refused.errors() + errors
    return Estimate(total_monthly_cost=total, resources=costs, unpriced=unpriced, free=free,
                    totals=_totals(costs), notes=_notes(costs, config),
                    catalog_versions=catalog.versions, errors=errors)


def _price_one(resource: Resource, pricer: Pricer | None, config: Config, catalog: Catalog,
               usage: UsageSource | None, index: ResourceIndex
               ) -> PricingContext | Unpriced | SourceError:
    if pricer is None:
        return Unpriced(address=resource.address, type=resource.type,
                        reason=f"no price model for {resource.type}")
    region = resource.region or config.defaults.region
    provider = "kubernetes" if resource.provider == "kubernetes" else resource.provider
    context = PricingContext(resource=resource, region=region, catalog=catalog,
                             usage=resolve(usage, resource), config=config, index=index,
                             provider=provider, texts=resolve_texts(usage, resource),
                             usage_source=usage)
    try:
        pricer(context)
        _observed_range(context, pricer, spread(usage, resource))
    except Unpriceable as exc:
        reason = exc.reason
        if provider != "kubernetes" and not catalog.has_region(provider, region):
            reason = f"no prices for region {region} in the catalog"
        return Unpriced(address=resource.address, type=resource.type, reason=reason)
    except Exception as exc:  # isolate the pricer: this resource fails, the others go on
        return _pricer_error(resource, f"{type(exc).__name__}: {exc}")
    if not _finite(context.lines):
        return _pricer_error(resource, "the monthly cost is not a finite number")
    return context


def _declared(usage: UsageSource | None, resources: list[Resource]) -> list[Resource]:
    """Usage-only resources (`aws_data_transfer.<name>`) the repository does not hold."""
    present = {r.address for r in resources}
    return [r for r in declared_resources(usage) if r.address not in present]


class _Refused:
    """The usage values that could not be used, each reported once with the resources
    that went without it (fail closed: an error, never a silent omission)."""

    def __init__(self, usage: UsageSource | None) -> None:
        self.usage = usage
        self.problems = file_problems(usage)
        self.affected: dict[UsageProblem, list[str]] = {p: [] for p in self.problems}

    def note(self, resource: Resource) -> None:
        if self.problems:
            for problem in problems_for(self.usage, resource):
                self.affected.setdefault(problem, []).append(resource.address)

    def errors(self) -> list[SourceError]:
        return [SourceError(file=p.file, line=p.line, message=f"{p.key or 'entry'}: "
                            f"{p.message}; not used{_for(addresses)}")
                for p, addresses in self.affected.items()]


def _for(addresses: list[str]) -> str:
    if not addresses:
        return ""
    shown = ", ".join(addresses[:MAX_NAMED])
    more = len(addresses) - MAX_NAMED
    return f" for {shown}" + (f" and {more} more" if more > 0 else "")


def _misused(usage: UsageSource | None, resource: Resource,
             misused: dict[str, str]) -> list[SourceError]:
    """A usage value of the wrong kind for its key: priced without it, reported where
    it was written."""
    errors = []
    for key, why in misused.items():
        file, line = locate(usage, resource, key) or (resource.source.file, 0)
        errors.append(SourceError(file=file, line=line, message=f"{key}: {why}; "
                                  f"{resource.address} is priced without it"))
    return errors


def _observed_range(context: PricingContext, pricer: Pricer, observed: Spread | None) -> None:
    """Price the resource again at the low and at the high end of every observed quantity:
    a cost range for usage that varies (a pricer's own range, an HPA's, is kept)."""
    if observed is None or context.cost_range is not None:
        return
    if not any(q.origin == observed.origin for q in context.usage.values()):
        return  # another source gave every quantity this resource is priced from
    ends = []
    for bound in (observed.low, observed.high):
        usage = {key: Quantity(bound.get(key, q.value), q.origin) if q.origin == observed.origin
                 else q for key, q in context.usage.items()}
        again = dataclasses.replace(context, usage=usage, lines=[])
        pricer(again)
        ends.append(sum(line.monthly_cost or 0.0 for line in again.lines))
    context.cost_range = (ends[0], ends[1])
    context.range_label = observed.label
    context.usage_note = f"usage from {observed.origin}, {observed.window}"


def _finite(lines: list[CostLine]) -> bool:
    """Whether every quantity, unit price and cost is finite: their sum is not once one of
    them is not (one loop: a generator per line cost a tenth of the estimate)."""
    total = 0.0
    for line in lines:
        total += line.unit_price
        if line.monthly_quantity is not None:
            total += line.monthly_quantity
        if line.monthly_cost is not None:
            total += line.monthly_cost
    return math.isfinite(total)


def _pricer_error(resource: Resource, problem: str) -> SourceError:
    if len(problem) > MAX_ERROR_CHARS:  # a message may quote a huge value
        problem = problem[:MAX_ERROR_CHARS] + " …"
    return SourceError(file=resource.source.file, line=resource.source.line,
                       message=f"pricer for {resource.type} failed on {resource.address}: "
                               f"{problem}")


def _resource_cost(resource: Resource, context: PricingContext, owner: _Owner) -> ResourceCost:
    lines = context.lines
    monthly = sum(line.monthly_cost for line in lines if line.monthly_cost is not None)
    low, high = context.cost_range if context.cost_range else (None, None)
    return ResourceCost(
        address=resource.address, type=resource.type, monthly_cost=monthly, components=lines,
        application=owner.application, environment=owner.environment, team=owner.team,
        usage_unknown=any(line.usage_origin == UNKNOWN for line in lines),
        monthly_cost_min=low, monthly_cost_max=high, range_label=context.range_label,
        usage_note=context.usage_note)


def _totals(costs: list[ResourceCost]) -> dict[str, dict[str, float]]:
    totals: dict[str, defaultdict[str, float]] = {
        "application": defaultdict(float), "environment": defaultdict(float),
        "team": defaultdict(float)}
    for cost in costs:
        totals["application"][cost.application or UNASSIGNED] += cost.monthly_cost
        totals["environment"][cost.environment or UNASSIGNED] += cost.monthly_cost
        totals["team"][cost.team or UNASSIGNED] += cost.monthly_cost
    return {group: dict(sorted(values.items())) for group, values in totals.items()}


def _notes(costs: list[ResourceCost], config: Config) -> list[str]:
    notes = [FREE_TIER_NOTE, "Prices are on-demand list prices, except a reservation a usage "
             "file names (its recurring fee and its upfront fee amortised over the term, "
             "where the catalog holds both); savings plans and negotiated discounts are not "
             "applied."]
    waiting = sum(1 for c in costs if c.usage_unknown)
    if waiting:
        notes.append(f"{waiting} resource(s) have usage-based components without usage: "
                     "their unit price is shown and their monthly cost is not counted. "
                     "Add them to a usage file (Infracost format) to include them.")
    if any(c.type.count("/") for c in costs):
        rates = config.cost.kubernetes
        notes.append(f"Kubernetes workloads are priced from their CPU and memory requests at "
                     f"${rates.vcpu_hour_usd} per vCPU-hour and ${rates.gb_hour_usd} per "
                     "GB-hour (purser.yaml cost.kubernetes).")
    return notes
