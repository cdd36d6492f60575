"""Demo billing and telemetry for the example repository: what `purser demo-data` writes.

The bill is purser's own cost estimate of the repository as it stood each day (its usage
file, the price catalog), spread over the days with growth, weekly and monthly seasonality
and noise. Anomalies are real commits: the generator edits the demo repository, commits
the change dated the day before the anomaly, and from then on bills the estimate of that
revision, so a raised memory costs what the catalog says it costs while the invocations
stay flat. A traffic anomaly multiplies usage instead: cost and usage move together.

Written: `billing.csv` (FOCUS 1.2 columns, one row per resource, cost component and day;
monthly support, tax and credit rows with no resource), `metrics.csv` (timestamp,
resource_id, metric, value, unit; resource_id is the billing row's ResourceId) and
`anomalies.json` (the ground truth: dates, resources, causes, commits, expected impact).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

import numpy as np

from purser import kinds
from purser.config import Config, load_config
from purser.cost.estimate import estimate
from purser.cost.usage import LayeredUsage, UsageSource, parse_usage, read_usage_file
from purser.estimates import ResourceCost
from purser.git import Author, commit_work_tree, load_revision, open_repository
from purser.model import CostLine, Resource
from purser.reconcile.ownership import ownership_tags

ACCOUNT, PAYER = "111122223333", "999988887777"
AUTHOR = Author("shop developer", "dev@shop.example.com")
CLUSTER = "shop-prod"

FOCUS_COLUMNS = (  # FOCUS 1.2, in the specification's (alphabetical) order
    "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName",
    "BillingAccountType", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
    "CapacityReservationId", "CapacityReservationStatus", "ChargeCategory", "ChargeClass",
    "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
    "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName",
    "CommitmentDiscountQuantity", "CommitmentDiscountStatus", "CommitmentDiscountType",
    "CommitmentDiscountUnit", "ConsumedQuantity", "ConsumedUnit", "ContractedCost",
    "ContractedUnitPrice", "EffectiveCost", "InvoiceId", "InvoiceIssuerName", "ListCost",
    "ListUnitPrice", "PricingCategory", "PricingCurrency", "PricingCurrencyContractedUnitPrice",
    "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "PricingQuantity",
    "PricingUnit", "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId",
    "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "ServiceSubcategory",
    "SkuId", "SkuMeter", "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName",
    "SubAccountType", "Tags",
)


@dataclass(frozen=True)
class Change:
    """One text replacement in one repository file: what an anomaly's commit does."""

    file: str
    before: str
    after: str


@dataclass(frozen=True)
class Anomaly:
    """An injected anomaly. Its commit lands the afternoon before `start` (days before the
    end); a configuration anomaly is reverted by a second commit after `days` days
    (None: never), a traffic anomaly multiplies its application's usage for `days` days."""

    name: str
    start: int
    days: int | None
    resource: str  # the declared resource the commit changes and whose cost moves
    cause: str  # configuration | traffic
    change: Change
    message: str
    traffic: float = 1.0


ANOMALIES = (
    Anomaly("carts-write-capacity", 62, 7, "aws_dynamodb_table.carts", "configuration",
            Change("terraform/dynamodb.tf", "write_capacity = 20", "write_capacity = 400"),
            "carts: provision 400 WCU to stop write throttling"),
    Anomaly("orders-spring-sale", 45, 4, "cfn:shop-orders#OrdersFunction", "traffic",
            Change("sam/template.yaml", "ReservedConcurrentExecutions: 20",
                   "ReservedConcurrentExecutions: 200"),
            "orders: lift reserved concurrency to 200 for the spring sale", traffic=3.5),
    Anomaly("notify-provisioned-concurrency", 30, 9, "cfn:shop-notifications#NotifyFunction",
            "configuration",
            Change("notifications/template.yaml", "      ReservedConcurrentExecutions: 5\n",
                   "      ReservedConcurrentExecutions: 5\n      AutoPublishAlias: live\n"
                   "      ProvisionedConcurrencyConfig:\n"
                   "        ProvisionedConcurrentExecutions: 40\n"),
            "notifications: keep 40 warm instances so confirmations never cold-start"),
    Anomaly("checkout-memory", 12, None, 'aws_lambda_function.fn["checkout"]', "configuration",
            Change("terraform/lambda.tf", 'runtime = "python3.12", memory_size = 512',
                   'runtime = "python3.12", memory_size = 3008'),
            "payments: raise checkout memory to 3008 MB for faster cold starts"),
)


@dataclass(frozen=True)
class PriceChange:
    """A list price that changed on the first of the month `before_end` days before the end:
    components whose price reference matches `sku` cost `factor` times the catalog's price
    before that day (the catalog holds today's price)."""

    name: str
    sku: str
    factor: float
    before_end: int


PRICE_CHANGES = (  # DynamoDB on-demand requests were halved on 2024-11-01
    PriceChange("dynamodb-on-demand-price-cut", r"\.dynamodb\..*request_units$", 2.0, 80),
)

# Usage of the resources the example's usage file leaves out, so that every one is billed
# (provisioned tables ignore request units for cost; the metrics still count them).
DEMO_USAGE = b"""
version: 0.1
resource_usage:
  cfn:shop-notifications#NotifyFunction: {monthly_requests: 900000, request_duration_ms: 60}
  cfn:shop-notifications#NotifyLogs: {storage_gb: 1, monthly_data_ingested_gb: 0.5}
  cfn:shop-notifications#NotifyQueue: {monthly_requests: 2700000}
  cfn:shop-notifications#NotifyDeadLetters: {monthly_requests: 500}
  cfn:shop-notifications#SentTable:
    monthly_write_request_units: 900000
    monthly_read_request_units: 100000
    storage_gb: 2
    pitr_backup_storage_gb: 2
  aws_dynamodb_table.carts: {monthly_write_request_units: 6000000,
                             monthly_read_request_units: 30000000}
"""

# kind -> ServiceName, ServiceCategory, ServiceSubcategory, ResourceType
SERVICES = {
    "aws.lambda.function": ("AWS Lambda", "Compute", "Serverless Compute", "Function"),
    "aws.dynamodb.table": ("Amazon DynamoDB", "Databases", "NoSQL Databases", "Table"),
    "aws.sqs.queue": ("Amazon Simple Queue Service", "Integration", "Messaging", "Queue"),
    "aws.logs.log_group": ("Amazon CloudWatch", "Management and Governance", "Observability",
                           "Log Group"),
    "aws.apigatewayv2.api": ("Amazon API Gateway", "Integration", "API Management", "API"),
    "aws.s3.bucket": ("Amazon Simple Storage Service", "Storage", "Object Storage", "Bucket"),
    "aws.ec2.nat_gateway": ("Amazon Virtual Private Cloud", "Networking",
                            "Network Connectivity", "NAT Gateway"),
    "aws.ec2.eip": ("Amazon Virtual Private Cloud", "Networking", "Network Connectivity",
                    "Public IPv4 Address"),
    "aws.kms.key": ("AWS Key Management Service", "Security", "Other (Security)", "Key"),
}
KUBERNETES = ("Amazon Elastic Kubernetes Service", "Compute", "Containers", "Workload")
ID_PREFIX = {"aws.ec2.nat_gateway": "nat-", "aws.ec2.eip": "eipalloc-"}


@dataclass(frozen=True)
class Extra:
    """Spend on nothing declared in git: shared or forgotten, tagged or not."""

    service: tuple[str, str, str, str]
    resource_id: str
    component: str
    unit: str
    daily: float  # quantity on an average day
    price: float
    traffic: bool  # moves with the shop's traffic
    tags: dict[str, str]


_ARN = f"arn:aws:{{}}:us-east-1:{ACCOUNT}:{{}}"
EXTRAS = (
    Extra((*KUBERNETES[:3], "Cluster"), _ARN.format("eks", f"cluster/{CLUSTER}"),
          "EKS cluster hours", "Hours", 24, 0.10, False,
          {"team": "platform", "env": "prod", "cost-center": "cc-0001"}),
    Extra(("Amazon Elastic Compute Cloud", "Compute", "Virtual Machines", "Instance"),
          _ARN.format("ec2", "instance/i-0c0ffee5ca1ab1e42"), "t3.medium on-demand hours",
          "Hours", 24, 0.0416, False, {}),
    Extra(("AWS CloudTrail", "Management and Governance", "Observability", "Trail"),
          _ARN.format("cloudtrail", "trail/shop-audit"), "Data events recorded", "Events",
          400_000, 0.000001, True, {}),
    Extra(("Amazon Route 53", "Networking", "Network Routing", "Hosted Zone"),
          "arn:aws:route53:::hostedzone/Z0SHOPEXAMPLE42", "Standard queries", "Queries",
          1_500_000, 0.0000004, True, {"env": "prod"}),
)
SUPPORT_MONTHLY, SUPPORT_SHARE = 100.0, 0.10  # Business support: the larger of the two
TAX_RATE, CREDIT_MONTHLY = 0.06, 40.0

# Traffic by weekday (Monday first): a shop sells most at the weekend.
WEEKLY = np.array([0.94, 0.92, 0.95, 0.99, 1.06, 1.11, 1.03])
GROWTH_PER_MONTH = 0.04
PAYDAY = 0.10  # extra traffic on the first of the month, fading over the first week
NOISE, SHOCK = 0.04, 0.03  # per resource and day; per application and day
DAYS_PER_MONTH = 365 / 12
MIN_DAYS = 90

_UNIT = re.compile(r"^(1M|10k|1k) (.+)$")
_SCALE = {"1M": 1e6, "10k": 1e4, "1k": 1e3}
_REQUESTS = "Requests"


class DemoDataError(Exception):
    """The demo repository is not what the generator expects; shown to the user as is."""


@dataclass(frozen=True)
class Summary:
    billing: Path
    metrics: Path
    anomalies: Path
    start: date
    end: date
    billing_rows: int
    metric_rows: int
    total_usd: float
    commits: dict[str, str]  # anomaly name -> sha


@dataclass(frozen=True)
class _Revision:
    effective: date  # first day billed from this revision
    sha: str
    costs: dict[str, ResourceCost]
    resources: dict[str, Resource]


def generate(repo: Path, out: Path, *, seed: int = 13, days: int = 120,
             end: date | None = None, compress: bool = False) -> Summary:
    """Commit the anomalies to `repo` (a copy of examples/shop) and write the demo data of
    the `days` days up to `end` (default: yesterday) into `out`."""
    if days < MIN_DAYS:
        raise DemoDataError(f"--days must be at least {MIN_DAYS}: the first anomaly begins "
                            f"{ANOMALIES[0].start} days before the end, after some history")
    end = end or datetime.now(UTC).date() - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    config = load_config(repo)
    usage = _usage(repo, config)
    revisions, commits = _write_history(repo, config, usage, start, end)
    out.mkdir(parents=True, exist_ok=True)
    world = _World(seed, start, end, revisions, config, usage)
    billing = out / ("billing.csv.gz" if compress else "billing.csv")
    with _open(billing) as stream:
        billing_rows, total = _write_rows(stream, FOCUS_COLUMNS, world.billing())
    metrics = out / "metrics.csv"
    with _open(metrics) as stream:
        metric_rows, _ = _write_rows(stream, ("timestamp", "resource_id", "metric", "value",
                                              "unit"), world.metrics())
    truth = out / "anomalies.json"
    truth.write_text(json.dumps(world.ground_truth(commits), indent=2) + "\n",
                     encoding="utf-8")
    return Summary(billing, metrics, truth, start, end, billing_rows, metric_rows, total,
                   {name: sha for name, (sha, _) in commits.items()})


# ------------------------------------------------------------------------ the git history

def _write_history(repo: Path, config: Config, usage: UsageSource, start: date, end: date
                   ) -> tuple[list[_Revision], dict[str, tuple[str, str | None]]]:
    """Commit the base (unless the repository has one) and each anomaly's change and revert
    in date order; each revision's estimate, keyed by the first day it is billed."""
    base = _base_commit(repo, start)
    steps: list[tuple[date, Anomaly, bool]] = []
    for anomaly in ANOMALIES:
        first = end - timedelta(days=anomaly.start)
        steps.append((first, anomaly, True))
        if anomaly.cause == "configuration" and anomaly.days is not None:
            steps.append((first + timedelta(days=anomaly.days), anomaly, False))
    with tempfile.TemporaryDirectory(prefix="purser-demo-data-") as cache:
        revisions = [_revision(repo, config, usage, start, base, Path(cache))]
        commits: dict[str, tuple[str, str | None]] = {}
        for effective, anomaly, forward in sorted(steps, key=lambda s: s[0]):
            sha = _commit_change(repo, anomaly, forward, effective)
            revisions.append(_revision(repo, config, usage, effective, sha, Path(cache)))
            if forward:
                commits[anomaly.name] = (sha, None)
            else:
                commits[anomaly.name] = (commits[anomaly.name][0], sha)
    return revisions, commits


def _base_commit(repo: Path, start: date) -> str:
    if (repo / ".git").exists() and not open_repository(repo).head_is_unborn:
        return str(open_repository(repo).head.target)
    return commit_work_tree(repo, "shop: infrastructure as merged on main", AUTHOR,
                            at=_afternoon(start - timedelta(days=30)))


def _commit_change(repo: Path, anomaly: Anomaly, forward: bool, effective: date) -> str:
    change = anomaly.change
    old, new = (change.before, change.after) if forward else (change.after, change.before)
    path = repo / change.file
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if text.count(old) != 1:
        raise DemoDataError(f"{change.file}: expected {old.strip()!r} once; is {repo} a copy "
                            "of examples/shop?")
    path.write_text(text.replace(old, new), encoding="utf-8")
    message = anomaly.message if forward else f"Revert \"{anomaly.message}\""
    return commit_work_tree(repo, message, AUTHOR, at=_afternoon(effective - timedelta(days=1)))


def _afternoon(day: date) -> datetime:
    return datetime.combine(day, time(15, 30), UTC)


def _usage(repo: Path, config: Config) -> UsageSource:
    demo = parse_usage("demo usage", DEMO_USAGE)
    return LayeredUsage(read_usage_file(repo, config.cost.usage), demo) \
        if config.cost.usage else demo


def _revision(repo: Path, config: Config, usage: UsageSource, effective: date, sha: str,
              cache: Path) -> _Revision:
    loaded = load_revision(repo, sha, config, cache_dir=cache)
    priced = estimate(loaded.resources, config, usage=usage)
    return _Revision(effective, sha, {c.address: c for c in priced.resources},
                     {r.address: r for r in loaded.resources})


# ------------------------------------------------------------------------------ the data

class _World:
    """The shop's days: which revision was live, how busy each application was."""

    def __init__(self, seed: int, start: date, end: date, revisions: list[_Revision],
                 config: Config, usage: UsageSource) -> None:
        self.seed, self.start, self.end = seed, start, end
        self.days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        self.revisions = revisions
        self.region = config.defaults.region
        self.owned = {a.name for a in config.applications if a.target.kind == "aws"}
        self.usage = usage
        self.traffic = self._traffic()
        self._noise: dict[str, np.ndarray] = {}
        self._demand: dict[str, np.ndarray] = {}
        self._identities: dict[int, dict[str, str]] = {}

    # -- the shape of demand
    def _traffic(self) -> np.ndarray:
        """Seasonality and growth shared by every application; 1.0 on the last day."""
        offsets = np.array([(day - self.end).days for day in self.days], dtype=float)
        weekday = WEEKLY[[day.weekday() for day in self.days]] / WEEKLY.mean()
        payday = 1 + PAYDAY * np.exp(-np.array([day.day - 1 for day in self.days]) / 3)
        growth = (1 + GROWTH_PER_MONTH) ** (offsets / DAYS_PER_MONTH)
        return growth * weekday * payday

    def noise(self, key: str) -> np.ndarray:
        """Multiplicative noise of one series, the same whatever else is generated."""
        if key not in self._noise:
            digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
            rng = np.random.default_rng([self.seed, digest])
            sigma = SHOCK if key.startswith("app:") else NOISE
            self._noise[key] = rng.lognormal(-sigma**2 / 2, sigma, len(self.days))
        return self._noise[key]

    def demand(self, cost: ResourceCost) -> np.ndarray:
        """How busy one resource is each day, relative to its monthly usage / 30.4."""
        if cost.address not in self._demand:
            self._demand[cost.address] = self._busy(cost)
        return self._demand[cost.address]

    def _busy(self, cost: ResourceCost) -> np.ndarray:
        spike = np.ones(len(self.days))
        for anomaly in ANOMALIES:
            if anomaly.cause == "traffic" and anomaly.days:
                owner = self._application(anomaly.resource)
                if owner == cost.application:
                    first = self.index(self.end - timedelta(days=anomaly.start))
                    spike[first:first + anomaly.days] *= anomaly.traffic
        shock = self.noise(f"app:{cost.application}")
        return self.traffic * shock * self.noise(cost.address) * spike

    def index(self, day: date) -> int:
        return (day - self.start).days

    def revision(self, index: int) -> _Revision:
        day = self.days[index]
        return [r for r in self.revisions if r.effective <= day][-1]

    def _application(self, address: str) -> str | None:
        cost = self.revisions[0].costs.get(address)
        return cost.application if cost else None

    # -- billing
    def billing(self) -> Iterator[dict[str, Any]]:
        usage_by_month: dict[tuple[date, str], float] = defaultdict(float)
        for row in self._usage_rows():
            usage_by_month[(_month(row["_day"]), row["ServiceName"])] += row["BilledCost"]
            yield row
        yield from self._monthly_rows(usage_by_month)

    def _usage_rows(self) -> Iterator[dict[str, Any]]:
        for index, day in enumerate(self.days):
            revision = self.revision(index)
            for address in sorted(revision.costs):
                cost = revision.costs[address]
                resource = revision.resources[address]
                demand = self.demand(cost)[index]
                for line in cost.components:
                    if line.monthly_quantity:
                        yield self._line_row(day, resource, cost, line, demand)
            for extra in EXTRAS:
                yield self._extra_row(day, extra, index)

    def _line_row(self, day: date, resource: Resource, cost: ResourceCost, line: CostLine,
                  demand: float) -> dict[str, Any]:
        unit, quantity, price = self._charge(day, line, demand)
        return _row(day, self._identity(resource, cost), line.component, unit, quantity, price,
                    line.price.sku)

    def _charge(self, day: date, line: CostLine, demand: float) -> tuple[str, float, float]:
        """A cost line's unit, quantity and unit price on one day."""
        daily = (line.monthly_quantity or 0.0) / DAYS_PER_MONTH
        if "month" in line.unit and line.usage_origin != "fixed":
            daily *= self._growth(day)  # storage follows growth, not the week
        elif line.usage_origin != "fixed":
            daily *= demand
        unit, scale = _base_unit(line.unit)
        price = line.unit_price / scale * _price_factor(line.price.sku, day, self.end)
        return unit, daily * scale, price

    def _identity(self, resource: Resource, cost: ResourceCost) -> dict[str, str]:
        """The columns naming a declared resource (cached: they are the same every day)."""
        if id(resource) not in self._identities:
            tags = {k: v for k, v in resource.tags.items() if isinstance(v, str)}
            if cost.application in self.owned:
                tags |= ownership_tags(cost.application or "", resource.address)
            self._identities[id(resource)] = _identity(
                SERVICES.get(resource.kind or "", KUBERNETES), self.resource_id(resource),
                _name(resource), tags, self.region)
        return self._identities[id(resource)]

    def _extra_row(self, day: date, extra: Extra, index: int) -> dict[str, Any]:
        quantity = extra.daily * (self.traffic[index] * self.noise(extra.resource_id)[index]
                                  if extra.traffic else 1.0)
        identity = _identity(extra.service, extra.resource_id,
                             extra.resource_id.rsplit("/", 1)[-1], extra.tags, self.region)
        return _row(day, identity, extra.component, extra.unit, quantity, extra.price,
                    f"extra.{extra.component}")

    def _growth(self, day: date) -> float:
        return float((1 + GROWTH_PER_MONTH) ** ((day - self.end).days / DAYS_PER_MONTH))

    def _monthly_rows(self, usage: dict[tuple[date, str], float]) -> Iterator[dict[str, Any]]:
        """Support, tax and credits: billed for the month, on no resource (unallocated)."""
        months = sorted({month for month, _ in usage})
        for month in months:
            services = {s: c for (m, s), c in usage.items() if m == month}
            spent = sum(services.values())
            period = _month_period(month, self.start, self.end)
            share = (period[1] - period[0]).days / _days_in(month)
            support = max(SUPPORT_MONTHLY * share, SUPPORT_SHARE * spent)
            yield _fee(period, "Purchase", "Recurring", "AWS Support (Business)", support,
                       "Business support plan")
            for service, cost in sorted(services.items()):
                yield _fee(period, "Tax", "Recurring", service, cost * TAX_RATE,
                           f"Sales tax on {service}")
                yield _fee(period, "Credit", "One-Time", service,
                           -CREDIT_MONTHLY * share * cost / spent, "Promotional credit")

    def resource_id(self, resource: Resource) -> str:
        """The resource's ARN as the bill names it (ids AWS assigns are made up, stable)."""
        kind = kinds.of_type(resource.type)
        if kind is None:  # a Kubernetes workload, as a cost allocation tool reports it
            _, rest = resource.address.split(":", 1)
            group_kind, namespace, name = rest.rsplit("/", 2)
            return (f"arn:aws:eks:{self.region}:{ACCOUNT}:cluster/{CLUSTER}/{namespace}/"
                    f"{group_kind.rsplit('/', 1)[-1].lower()}/{name}")
        values = {"partition": "aws", "region": resource.region or self.region,
                  "account": ACCOUNT}
        for field_name in re.findall(r"{(\w+)}", kind.arn):
            value = resource.get(field_name)
            values.setdefault(field_name, value if isinstance(value, str)
                              else ID_PREFIX.get(kind.name, "") + _token(resource.address))
        return kind.arn.format(**values)

    # -- metrics
    def metrics(self) -> Iterator[dict[str, Any]]:
        for index, day in enumerate(self.days):
            revision = self.revision(index)
            for address in sorted(revision.costs):
                cost, resource = revision.costs[address], revision.resources[address]
                if resource.kind in ("aws.lambda.function", "aws.dynamodb.table",
                                     "aws.apigatewayv2.api"):
                    yield from self._metric_rows(day, index, resource, cost)

    def _metric_rows(self, day: date, index: int, resource: Resource, cost: ResourceCost
                     ) -> Iterator[dict[str, Any]]:
        usage = self.usage.quantities(resource)
        count = sum(usage.get(key, 0.0) for key in (
            "monthly_requests", "monthly_read_request_units", "monthly_write_request_units"))
        count *= self.demand(cost)[index] / DAYS_PER_MONTH
        stamp, arn = _stamp(day), self.resource_id(resource)
        if resource.kind != "aws.lambda.function":
            yield _metric(stamp, arn, "request_count", count, "Count")
            return
        jitter = self.noise(f"latency:{resource.address}")[index]
        # Memory *used* is the code's: it does not follow a raised memory size.
        declared = self.revisions[0].resources.get(resource.address, resource)
        memory = float(declared.get("memory_size") or 128)
        yield _metric(stamp, arn, "invocations", count, "Count")
        yield _metric(stamp, arn, "duration", usage.get("request_duration_ms", 100) * jitter,
                      "Milliseconds")
        yield _metric(stamp, arn, "memory_used", memory * 0.45 * jitter, "Megabytes")
        yield _metric(stamp, arn, "errors", float(round(count * 0.002 * jitter)), "Count")

    # -- ground truth
    def ground_truth(self, commits: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(), "end": self.end.isoformat(), "seed": self.seed,
            "anomalies": [self._truth(a, *commits[a.name]) for a in ANOMALIES],
            "price_changes": [
                {"name": p.name, "date": _price_day(p, self.end).isoformat(), "sku": p.sku,
                 "factor_before": p.factor} for p in PRICE_CHANGES],
        }

    def _truth(self, anomaly: Anomaly, sha: str, revert: str | None) -> dict[str, Any]:
        first = self.end - timedelta(days=anomaly.start)
        last = first + timedelta(days=anomaly.days - 1) if anomaly.days else self.end
        before = self.revision(self.index(first) - 1).costs[anomaly.resource]
        after = self.revision(self.index(first)).costs[anomaly.resource]
        resource = self.revision(self.index(first)).resources[anomaly.resource]
        impact = [self._impact(anomaly, before, after, self.index(first) + n)
                  for n in range((last - first).days + 1)]
        return {
            "name": anomaly.name, "date": first.isoformat(), "end": last.isoformat(),
            "resource": anomaly.resource, "resource_id": self.resource_id(resource),
            "application": after.application, "team": after.team,
            "service": SERVICES.get(resource.kind, KUBERNETES)[0], "cause": anomaly.cause,
            "usage_moves": anomaly.cause == "traffic",
            "change": {"file": anomaly.change.file, "before": anomaly.change.before.strip(),
                       "after": anomaly.change.after.strip()},
            "commit": sha, "commit_message": anomaly.message, "revert_commit": revert,
            "daily_impact_usd": round(impact[0], 2), "impact_usd": round(sum(impact), 2),
        }

    def _impact(self, anomaly: Anomaly, before: ResourceCost, after: ResourceCost,
                index: int) -> float:
        """What the anomaly added that day: for traffic, the application's cost beyond its
        usual demand; for a configuration, the new revision's cost minus the old one's."""
        if anomaly.cause == "configuration":
            return self._cost_of(after, index) - self._cost_of(before, index)
        costs = [c for c in self.revision(index).costs.values()
                 if c.application == after.application]
        return sum(self._cost_of(c, index) - self._cost_of(c, index, 1 / anomaly.traffic)
                   for c in costs)

    def _cost_of(self, cost: ResourceCost, index: int, scale: float = 1.0) -> float:
        """One resource's billed cost on one day, its demand scaled by `scale`."""
        demand = self.demand(cost)[index] * scale
        charges = (self._charge(self.days[index], line, demand) for line in cost.components
                   if line.monthly_quantity)
        return sum(quantity * price for _, quantity, price in charges)


# --------------------------------------------------------------------------- row helpers

def _identity(service: tuple[str, str, str, str], resource_id: str, name: str,
              tags: dict[str, str], region: str) -> dict[str, str]:
    return {
        "ServiceName": service[0], "ServiceCategory": service[1],
        "ServiceSubcategory": service[2], "ResourceType": service[3],
        "ResourceId": resource_id, "ResourceName": name, "RegionId": region,
        "RegionName": "US East (N. Virginia)" if region == "us-east-1" else region,
        "Tags": json.dumps(tags, sort_keys=True),
    }


def _row(day: date, identity: dict[str, str], component: str, unit: str, quantity: float,
         price: float, sku: str) -> dict[str, Any]:
    cost = quantity * price
    sku_id = _token(sku, 16).upper()
    return {
        **_account(_month(day)), **identity, "_day": day,
        "ChargeCategory": "Usage", "ChargeFrequency": "Usage-Based",
        "ChargeDescription": f"${price:.10g} per {unit.rstrip('s')} - {component}",
        "ChargePeriodStart": _stamp(day), "ChargePeriodEnd": _stamp(day + timedelta(days=1)),
        "BilledCost": cost, "EffectiveCost": cost, "ListCost": cost, "ContractedCost": cost,
        "ListUnitPrice": price, "ContractedUnitPrice": price, "PricingCategory": "Standard",
        "PricingQuantity": quantity, "PricingUnit": unit, "ConsumedQuantity": quantity,
        "ConsumedUnit": unit, "SkuId": sku_id, "SkuMeter": component,
        "SkuPriceId": f"{sku_id}.{_token(repr(price), 10).upper()}",
    }


def _fee(period: tuple[date, date], category: str, frequency: str, service: str,
         cost: float, description: str) -> dict[str, Any]:
    return {
        **_account(_month(period[0])), "_day": period[0],
        "ChargeCategory": category, "ChargeFrequency": frequency,
        "ChargeDescription": description, "ChargePeriodStart": _stamp(period[0]),
        "ChargePeriodEnd": _stamp(period[1]), "BilledCost": cost, "EffectiveCost": cost,
        "ListCost": cost if category != "Credit" else 0.0,
        "ContractedCost": cost if category != "Credit" else 0.0, "ServiceName": service,
        "ServiceCategory": "Management and Governance" if category == "Purchase" else "",
        "ServiceSubcategory": "Support" if category == "Purchase" else "", "Tags": "{}",
    }


def _account(month: date) -> dict[str, Any]:
    return {
        "BillingAccountId": PAYER, "BillingAccountName": "shop", "SubAccountId": ACCOUNT,
        "SubAccountName": "shop-prod", "BillingCurrency": "USD",
        "BillingPeriodStart": _stamp(month), "BillingPeriodEnd": _stamp(_next_month(month)),
        "InvoiceId": f"{month:%Y%m}{PAYER[-6:]}", "ProviderName": "AWS",
        "PublisherName": "Amazon Web Services, Inc.",
        "InvoiceIssuerName": "Amazon Web Services, Inc.",
    }


def _metric(stamp: str, arn: str, name: str, value: float, unit: str) -> dict[str, Any]:
    return {"timestamp": stamp, "resource_id": arn, "metric": name, "value": value,
            "unit": unit}


def _write_rows(stream: IO[str], columns: tuple[str, ...],
                rows: Iterator[dict[str, Any]]) -> tuple[int, float]:
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    count, total = 0, 0.0
    for row in rows:
        total += float(row.get("BilledCost", 0.0))
        writer.writerow({k: _text(v) for k, v in row.items()})
        count += 1
    return count, total


def _text(value: Any) -> Any:
    return f"{value:.10g}" if isinstance(value, float) else value


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":  # mtime 0: the same seed writes the same bytes
        return io.TextIOWrapper(gzip.GzipFile(path, "wb", mtime=0), encoding="utf-8",
                                newline="")
    return path.open("w", encoding="utf-8", newline="")


# ---------------------------------------------------------------------------- dates, ids

def _base_unit(unit: str) -> tuple[str, float]:
    """'1M requests' -> ('Requests', 1e6): FOCUS prices per unit, the catalog per block."""
    found = _UNIT.match(unit)
    if not found:
        return unit, 1.0
    return found.group(2).title(), _SCALE[found.group(1)]


def _price_factor(sku: str, day: date, end: date) -> float:
    factor = 1.0
    for change in PRICE_CHANGES:
        if re.search(change.sku, sku) and day < _price_day(change, end):
            factor *= change.factor
    return factor


def _price_day(change: PriceChange, end: date) -> date:
    return _month(end - timedelta(days=change.before_end))


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _days_in(month: date) -> int:
    return (_next_month(month) - month).days


def _month_period(month: date, start: date, end: date) -> tuple[date, date]:
    """The part of `month` inside the generated days (end exclusive)."""
    return max(month, start), min(_next_month(month), end + timedelta(days=1))


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _token(text: str, length: int = 17) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _name(resource: Resource) -> str:
    identifier = kinds.identifier(resource)
    return identifier if isinstance(identifier, str) else resource.address.rsplit("/", 1)[-1]
