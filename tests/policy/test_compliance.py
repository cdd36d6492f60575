import json
from typing import Any

from purser import kinds
from purser.config import Config
from purser.model import Category, Resource, Severity, SourceRef
from purser.policy.packs import compliance  # noqa: F401  (registers the pack)
from purser.policy.rule import RuleContext, Violation, rules

RESIDENCY = Config.model_validate(
    {"residency": {"allowed_regions": {"personal": ["eu-west-1", "eu-central-1"]}}})

TLS_ONLY = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}


def tf(address: str, attrs: dict[str, Any] | None = None, *, tags: dict[str, str] | None = None,
       region: str = "us-east-1", depends_on: list[str] | None = None) -> Resource:
    kind, name = address.rsplit(".", 2)[-2:]
    resource = Resource(address=address, type=kind, provider="aws", name=name, format="terraform",
                        region=region, attrs=attrs or {}, tags=tags or {},
                        depends_on=depends_on or [], source=SourceRef(file="main.tf", line=1))
    return kinds.canonicalize(resource)  # as the loader does


def k8s(kind: str, name: str, manifest: dict[str, Any], *, group: str,
        labels: dict[str, str] | None = None) -> Resource:
    return Resource(address=f"k8s:{group}/{kind}/shop/{name}", type=f"{group}/{kind}",
                    provider="kubernetes", name=name, format="kubernetes", attrs=manifest,
                    tags=labels or {}, source=SourceRef(file="k8s.yaml", line=1))


def check(rule_id: str, resource: Resource, *others: Resource,
          config: Config | None = None) -> list[Violation]:
    context = RuleContext([resource, *others], config or Config())
    outcomes = rules.get(rule_id)().check(resource, context)
    return [o if isinstance(o, Violation) else Violation(o) for o in outcomes]


def test_every_compliance_rule_belongs_to_the_pack_and_cites_frameworks():
    ids = [i for i in rules if i.startswith("PUR-CMP-")]
    assert len(ids) >= 7
    for rule_id in ids:
        cls = rules.get(rule_id)
        assert cls.pack == "compliance" and cls.category is Category.compliance
        assert cls.frameworks


def test_personal_data_outside_allowed_regions_breaks_residency():
    table = tf("aws_dynamodb_table.customers", tags={"data-classification": "personal"})
    [violation] = check("PUR-CMP-001", table, config=RESIDENCY)
    assert violation.evidence["region"] == "us-east-1"
    assert "GDPR art. 44" in rules.get("PUR-CMP-001").frameworks


def test_residency_passes_in_an_allowed_region_or_for_unrestricted_classes():
    eu = tf("aws_dynamodb_table.customers", tags={"data-classification": "personal"},
            region="eu-west-1")
    assert check("PUR-CMP-001", eu, config=RESIDENCY) == []
    internal = tf("aws_dynamodb_table.stock", tags={"data-classification": "internal"})
    assert check("PUR-CMP-001", internal, config=RESIDENCY) == []


def test_residency_reads_the_configured_tag_name():
    config = Config.model_validate({"residency": {
        "tag": "dataclass", "allowed_regions": {"personal": ["eu-west-1"]}}})
    table = tf("aws_dynamodb_table.t", tags={"dataclass": "personal"})
    assert check("PUR-CMP-001", table, config=config)


def bucket_policy(document: Any) -> Resource:
    return tf("aws_s3_bucket_policy.data", {"policy": document},
              depends_on=["aws_s3_bucket.data"])


def test_sensitive_bucket_without_secure_transport_deny_is_medium():
    bucket = tf("aws_s3_bucket.data", tags={"data-classification": "personal"})
    [violation] = check("PUR-CMP-002", bucket)
    assert violation.severity is None  # the rule's own: medium
    allow_only = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}
    assert check("PUR-CMP-002", bucket, bucket_policy(json.dumps(allow_only)))


def test_unclassified_bucket_without_secure_transport_deny_is_low():
    [violation] = check("PUR-CMP-002", tf("aws_s3_bucket.data"))
    assert violation.severity is Severity.low


def test_secure_transport_deny_as_json_or_object_passes():
    bucket = tf("aws_s3_bucket.data", tags={"data-classification": "personal"})
    assert check("PUR-CMP-002", bucket, bucket_policy(json.dumps(TLS_ONLY))) == []
    assert check("PUR-CMP-002", bucket, bucket_policy(TLS_ONLY)) == []


def test_public_bucket_needs_no_secure_transport_policy():
    site = tf("aws_s3_bucket.site", tags={"data-classification": "public"})
    assert check("PUR-CMP-002", site) == []


def test_http_listener_without_redirect():
    forward = tf("aws_lb_listener.http", {"port": 80, "protocol": "HTTP",
                                          "default_action": [{"type": "forward"}]})
    assert check("PUR-CMP-003", forward)
    redirect = tf("aws_lb_listener.http", {"port": 80, "protocol": "HTTP",
                                           "default_action": [{"type": "redirect"}]})
    assert check("PUR-CMP-003", redirect) == []
    https = tf("aws_lb_listener.https", {"port": 443, "protocol": "HTTPS",
                                         "default_action": [{"type": "forward"}]})
    assert check("PUR-CMP-003", https) == []


def test_api_gateway_domain_with_tls_1_0():
    assert check("PUR-CMP-004", tf("aws_api_gateway_domain_name.api",
                                   {"security_policy": "TLS_1_0"}))
    assert check("PUR-CMP-004", tf("aws_api_gateway_domain_name.api",
                                   {"security_policy": "TLS_1_2"})) == []


def test_ingress_without_tls_names_its_hosts():
    plain = k8s("Ingress", "web", {"spec": {"rules": [{"host": "shop.example.com"}]}},
                group="networking.k8s.io")
    [violation] = check("PUR-CMP-005", plain)
    assert "shop.example.com" in violation.message
    tls = k8s("Ingress", "web", {"spec": {"tls": [{"hosts": ["shop.example.com"],
                                                    "secretName": "web-tls"}]}},
              group="networking.k8s.io")
    assert check("PUR-CMP-005", tls) == []


def test_elasticache_transit_encryption():
    assert check("PUR-CMP-006", tf("aws_elasticache_replication_group.sessions", {}))
    assert check("PUR-CMP-006", tf("aws_elasticache_replication_group.sessions",
                                   {"transit_encryption_enabled": True})) == []


def test_data_store_without_classification():
    assert check("PUR-CMP-007", tf("aws_sqs_queue.jobs", tags={"team": "x"}))
    assert check("PUR-CMP-007", tf("aws_sqs_queue.jobs",
                                   tags={"data-classification": "internal"})) == []


def test_stateful_set_classification_is_a_label():
    unlabelled = k8s("StatefulSet", "db", {}, group="apps")
    assert check("PUR-CMP-007", unlabelled)
    labelled = k8s("StatefulSet", "db", {}, group="apps",
                   labels={"data-classification": "confidential"})
    assert check("PUR-CMP-007", labelled) == []
