"""Reliability pack: workloads run as several replicas so they survive a lost pod; without
probes traffic reaches pods that are not ready, and without a PodDisruptionBudget a node
drain can take every replica at once. Managed AWS stores are asked for the same: a second
zone, automatic failover, and stream retention that outlasts a consumer's outage."""

from __future__ import annotations

from collections.abc import Iterator

from purser import kinds
from purser.model import Category, Resource, Severity, number
from purser.policy.declarative import AttributeRule, Expect
from purser.policy.rule import Rule, RuleContext, Violation, rule
from purser.policy.workloads import container_name, containers, pod_template_metadata

REPLICATED = ("apps/Deployment", "apps/StatefulSet")
PDB = "policy/PodDisruptionBudget"


def replicas(resource: Resource) -> float:
    """The declared replica count (Kubernetes' default is 1)."""
    return number(resource.get("spec.replicas"), 1.0) or 1.0


class _ReliabilityRule(Rule):
    category = Category.reliability
    pack = "reliability"
    resource_types = REPLICATED
    frameworks = ("SOC 2 A1.1",)


class _ReliabilitySetting(AttributeRule):
    """A one-attribute reliability rule (a declaration, see policy/declarative.py)."""

    category = Category.reliability
    pack = "reliability"


@rule
class ProbesMissing(_ReliabilityRule):
    id = "PUR-REL-001"
    title = "Replicated workload without readiness or liveness probes"
    severity = Severity.medium
    remediation = ("Add a readinessProbe (and a livenessProbe) to each serving container so "
                   "rollouts and failures take unready pods out of the Service.")
    equivalents = {"checkov": ("CKV_K8S_8", "CKV_K8S_9")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        if replicas(resource) < 2 or resource.is_unknown("spec.replicas"):
            return
        for container in containers(resource, init=False):
            missing = [p for p in ("readinessProbe", "livenessProbe") if not container.get(p)]
            if missing:
                name = container_name(container)
                yield Violation(f"container {name} has no {' or '.join(missing)}",
                                severity=None if "readinessProbe" in missing else Severity.low,
                                evidence={"container": name, "missing": missing})


@rule
class DisruptionBudgetMissing(_ReliabilityRule):
    id = "PUR-REL-002"
    title = "Replicated workload without a PodDisruptionBudget"
    severity = Severity.low
    remediation = ("Add a PodDisruptionBudget selecting the pods with minAvailable (or "
                   "maxUnavailable: 1) so a node drain keeps some replicas serving.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if replicas(resource) < 2 or resource.is_unknown("spec.replicas"):
            return
        labels = pod_template_metadata(resource).get("labels") or {}
        namespace = resource.get("metadata.namespace") or "default"
        for budget in context.of_type(PDB):
            wanted = budget.get("spec.selector.matchLabels")
            if (budget.get("metadata.namespace") or "default") == namespace \
                    and isinstance(wanted, dict) and wanted \
                    and all(labels.get(k) == v for k, v in wanted.items()):
                return
        yield "no PodDisruptionBudget selects its pods: a node drain may evict every replica"


@rule
class DatabaseSingleZone(_ReliabilitySetting):
    id = "PUR-REL-003"
    title = "RDS instance runs in a single Availability Zone"
    severity = Severity.low
    resource_types = kinds.types("aws.rds.instance")
    frameworks = ("AWS-FSBP RDS.5", "SOC 2 A1.2")
    remediation = "Set multi_az = true (MultiAZ) for production databases."
    equivalents = {"checkov": ("CKV_AWS_157",)}
    path, expect, default = "multi_az", Expect(equals=True), False
    when = {"db_cluster_identifier": Expect(absent=True),
            "replicate_source_db": Expect(absent=True)}
    message = "losing one zone stops the database (multi_az is {value})"


@rule
class KinesisShortRetention(_ReliabilitySetting):
    id = "PUR-REL-004"
    title = "Kinesis data stream keeps records for less than 7 days"
    severity = Severity.low
    resource_types = kinds.types("aws.kinesis.stream")
    frameworks = ("AWS-FSBP Kinesis.3",)
    remediation = "Set retention_period = 168 hours or more (RetentionPeriodHours)."
    path, expect, default = "retention_period", Expect(at_least=168), 24
    message = "records are kept {value} hours: a consumer down over a weekend loses data"
    absent_message = "records are kept 24 hours, the AWS default: a consumer down over a " \
                     "weekend loses data"


@rule
class SearchWithoutZoneAwareness(_ReliabilitySetting):
    id = "PUR-REL-005"
    title = "OpenSearch domain keeps its data nodes in one Availability Zone"
    severity = Severity.low
    resource_types = kinds.types("aws.opensearch.domain")
    frameworks = ("AWS-FSBP Opensearch.6",)
    remediation = ("Set cluster_config { zone_awareness_enabled = true } "
                   "(ZoneAwarenessEnabled) with an even number of data nodes.")
    path, expect, default = "cluster_config.zone_awareness_enabled", Expect(equals=True), False
    message = "losing one Availability Zone takes the domain down " \
              "(zone_awareness_enabled is {value})"


@rule
class ReplicationGroupWithoutFailover(_ReliabilitySetting):
    id = "PUR-REL-006"
    title = "ElastiCache replication group does not fail over automatically"
    severity = Severity.low
    resource_types = kinds.types("aws.elasticache.replication_group")
    frameworks = ("AWS-FSBP ElastiCache.3",)
    remediation = ("Set automatic_failover_enabled = true (AutomaticFailoverEnabled) "
                   "with at least one replica.")
    path, expect, default = "automatic_failover_enabled", Expect(equals=True), False
    message = "a failed primary stops writes until someone promotes a replica " \
              "(automatic_failover_enabled is {value})"
