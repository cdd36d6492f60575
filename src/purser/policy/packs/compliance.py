"""Compliance pack: data residency, encryption in transit, data classification.

The classification of a resource is the value of the tag (or Kubernetes label) named by
`residency.tag` in purser.yaml; `residency.allowed_regions` says where each class may live.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from purser import kinds
from purser.model import Category, Resource, Severity
from purser.policy import iam
from purser.policy.rule import Rule, RuleContext, Violation, rule

SENSITIVE_CLASSES = ("confidential", "personal", "restricted", "pii", "phi", "pci")
PUBLIC_CLASS = "public"

DATA_STORE_TYPES: tuple[str, ...] = (
    "aws_s3_bucket", "aws_dynamodb_table", "aws_db_instance", "aws_rds_cluster",
    "aws_sqs_queue", "aws_sns_topic", "aws_efs_file_system",
    "AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue",
    "apps/StatefulSet", "core/PersistentVolumeClaim",
)


def classification(resource: Resource, context: RuleContext) -> str | None:
    value = resource.tags.get(context.config.residency.tag)
    return value.strip().lower() if value and value.strip() else None


def _denies_insecure_transport(document: dict[str, Any]) -> bool:
    for statement in iam.statements(document):
        condition = statement.condition.get("Bool") or {}
        if statement.effect == "Deny" and isinstance(condition, dict) and \
                str(condition.get("aws:SecureTransport", "")).lower() == "false":
            return True
    return False


def _bucket_policies(bucket: Resource, context: RuleContext) -> Iterator[Any]:
    """Policy documents (or None when not statically known) attached to `bucket`."""
    for policy in context.referencing(bucket, *kinds.types("aws.s3.bucket_policy")):
        yield None if policy.is_unknown("policy") else iam.parse_document(policy.get("policy"))


@rule
class DataResidency(Rule):
    id = "PUR-CMP-001"
    title = "Data stored outside the regions allowed for its classification"
    severity = Severity.high
    category = Category.compliance
    pack = "compliance"
    resource_types = ("*",)
    frameworks = ("GDPR art. 44",)
    remediation = ("Deploy the resource in a region listed under residency.allowed_regions "
                   "for its classification, or correct the classification tag.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        data_class = classification(resource, context)
        allowed = context.config.residency.allowed_regions.get(data_class or "")
        if resource.region and allowed and resource.region not in allowed:
            yield Violation(f"{data_class} data in {resource.region}; allowed regions for "
                            f"{data_class}: {', '.join(allowed)}",
                            evidence={"classification": data_class,
                                      "region": resource.region, "allowed": allowed})


@rule
class S3InsecureTransport(Rule):
    id = "PUR-CMP-002"
    title = "S3 bucket accepts requests without TLS"
    severity = Severity.medium
    category = Category.compliance
    pack = "compliance"
    resource_types = kinds.types("aws.s3.bucket")
    frameworks = ("GDPR art. 32", "HIPAA 164.312(e)(1)", "PCI-DSS 4.2.1", "SOC 2 CC6.7")
    remediation = ("Attach a bucket policy with a Deny statement for all principals when "
                   "the condition Bool aws:SecureTransport is \"false\".")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        data_class = classification(resource, context)
        if data_class == PUBLIC_CLASS:
            return
        documents = list(_bucket_policies(resource, context))
        if None in documents or any(_denies_insecure_transport(d) for d in documents if d):
            return
        sensitive = data_class in SENSITIVE_CLASSES
        yield Violation("no bucket policy denies aws:SecureTransport = false, so objects can "
                        "be read and written over plain HTTP",
                        severity=None if sensitive else Severity.low,
                        evidence={"classification": data_class})


def _listener_redirects(resource: Resource) -> bool:
    actions = resource.get("default_action") or []
    return any(isinstance(a, dict) and str(a.get("type")).lower() == "redirect"
               for a in iam.as_list(actions))


@rule
class HttpListener(Rule):
    id = "PUR-CMP-003"
    title = "Load balancer listener serves plain HTTP"
    severity = Severity.medium
    category = Category.compliance
    pack = "compliance"
    resource_types = kinds.types("aws.elbv2.listener")
    frameworks = ("HIPAA 164.312(e)(1)", "PCI-DSS 4.2.1", "SOC 2 CC6.7")
    remediation = "Listen on HTTPS (443) with a certificate; make port 80 redirect to it."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        protocol = str(resource.get("protocol") or "").upper()
        port = resource.get("port")
        plain = protocol == "HTTP" or (not protocol and str(port) == "80")
        if plain and not _listener_redirects(resource):
            yield f"listener on HTTP port {port} forwards traffic without redirecting to HTTPS"


@rule
class ApiGatewayWeakTls(Rule):
    id = "PUR-CMP-004"
    title = "API Gateway custom domain allows TLS 1.0"
    severity = Severity.medium
    category = Category.compliance
    pack = "compliance"
    resource_types = kinds.types("aws.apigateway.domain_name")
    frameworks = ("PCI-DSS 4.2.1", "SOC 2 CC6.7")
    remediation = "Set security_policy = \"TLS_1_2\"."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        policy = str(resource.get("security_policy") or "")
        if policy.upper() == "TLS_1_0":
            yield "security_policy TLS_1_0 accepts TLS 1.0 and 1.1 clients"


@rule
class IngressWithoutTls(Rule):
    id = "PUR-CMP-005"
    title = "Ingress without TLS"
    severity = Severity.medium
    category = Category.compliance
    pack = "compliance"
    resource_types = ("networking.k8s.io/Ingress", "extensions/Ingress")
    frameworks = ("GDPR art. 32", "HIPAA 164.312(e)(1)", "PCI-DSS 4.2.1", "SOC 2 CC6.7")
    remediation = "Add spec.tls with the hosts and a certificate secret (e.g. from cert-manager)."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if not resource.get("spec.tls"):
            hosts = [str(r.get("host")) for r in resource.get("spec.rules") or []
                     if isinstance(r, dict) and r.get("host")]
            yield f"no spec.tls: {', '.join(hosts) or 'its hosts'} served over plain HTTP"


@rule
class ElastiCacheTransitEncryption(Rule):
    id = "PUR-CMP-006"
    title = "ElastiCache without encryption in transit"
    severity = Severity.medium
    category = Category.compliance
    pack = "compliance"
    resource_types = ("aws_elasticache_replication_group", "aws_elasticache_cluster",
                      "AWS::ElastiCache::ReplicationGroup")
    frameworks = ("GDPR art. 32", "HIPAA 164.312(e)(1)", "PCI-DSS 4.2.1")
    remediation = "Set transit_encryption_enabled = true (TransitEncryptionEnabled)."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.is_unknown("transit_encryption_enabled"):
            return
        value = resource.get("transit_encryption_enabled", False)
        if str(value).lower() != "true":
            yield "transit encryption is off: cache traffic, often session data, is plaintext"


@rule
class DataStoreUnclassified(Rule):
    id = "PUR-CMP-007"
    title = "Data store without a data classification"
    severity = Severity.medium
    category = Category.compliance
    pack = "compliance"
    resource_types = DATA_STORE_TYPES
    frameworks = ("GDPR art. 30", "SOC 2 C1.1")
    remediation = ("Tag (or label) the data store with its classification, e.g. "
                   "data-classification = internal | confidential | personal | public.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.is_unknown("tags"):
            return
        if classification(resource, context) is None:
            tag = context.config.residency.tag
            yield (f"no {tag} tag: residency and encryption rules cannot tell what data it "
                   "holds")
