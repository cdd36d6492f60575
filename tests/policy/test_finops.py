from typing import Any

import pytest

from purser import kinds
from purser.config import Config
from purser.model import Category, Ref, Resource, Severity, SourceRef
from purser.policy.packs import finops  # noqa: F401  (registers the pack)
from purser.policy.rule import RuleContext, Violation, rules

TAGS = {"team": "payments", "env": "prod", "cost-center": "cc-42"}


def tf(address: str, attrs: dict[str, Any] | None = None, *, tags: dict[str, str] | None = None,
       depends_on: list[str] | None = None, unknown: list[str] | None = None) -> Resource:
    kind, name = address.rsplit(".", 2)[-2:]
    resource = Resource(address=address, type=kind, provider="aws", name=name, format="terraform",
                        region="us-east-1", attrs=attrs or {}, tags=TAGS if tags is None else tags,
                        depends_on=depends_on or [], unknown=unknown or [],
                        source=SourceRef(file="main.tf", line=1))
    return kinds.canonicalize(resource)  # as the loader does


def cfn(logical_id: str, kind: str, properties: dict[str, Any],
        tags: dict[str, str] | None = None) -> Resource:
    resource = Resource(address=f"cfn:template.yaml#{logical_id}", type=kind, provider="aws",
                        name=logical_id, format="cloudformation", attrs=properties,
                        tags=TAGS if tags is None else tags,
                        source=SourceRef(file="template.yaml", line=1))
    return kinds.canonicalize(resource)  # as the loader does


def k8s(kind: str, name: str, manifest: dict[str, Any], *, group: str = "apps",
        labels: dict[str, str] | None = None,
        annotations: dict[str, str] | None = None) -> Resource:
    labels = TAGS if labels is None else labels
    manifest = {"metadata": {"name": name, "namespace": "shop", "labels": labels,
                             "annotations": annotations or {}}, **manifest}
    return Resource(address=f"k8s:{group}/{kind}/shop/{name}", type=f"{group}/{kind}",
                    provider="kubernetes", name=name, format="kubernetes", attrs=manifest,
                    tags=labels, annotations=annotations or {},
                    source=SourceRef(file="k8s.yaml", line=1))


def pod(*containers: dict[str, Any], annotations: dict[str, str] | None = None) -> dict[str, Any]:
    return {"spec": {"template": {"metadata": {"annotations": annotations or {}},
                                  "spec": {"containers": list(containers)}}}}


SIZED = {"requests": {"cpu": "100m", "memory": "128Mi"},
         "limits": {"cpu": "500m", "memory": "256Mi"}}


def check(rule_id: str, resource: Resource, *others: Resource,
          config: Config | None = None) -> list[Violation]:
    context = RuleContext([resource, *others], config or Config())
    outcomes = rules.get(rule_id)().check(resource, context)
    return [o if isinstance(o, Violation) else Violation(o) for o in outcomes]


def test_every_finops_rule_belongs_to_the_pack():
    ids = [i for i in rules if i.startswith("PUR-FIN-")]
    assert len(ids) >= 18
    for rule_id in ids:
        cls = rules.get(rule_id)
        assert cls.pack == "finops" and cls.category is Category.finops


def test_required_tags_lists_only_the_missing_keys():
    bucket = tf("aws_s3_bucket.logs", tags={"team": "x", "owner": "y"})
    [violation] = check("PUR-FIN-001", bucket)
    assert violation.evidence["missing"] == ["env", "cost-center"]


def test_required_tags_pass_when_present_and_follow_config():
    assert check("PUR-FIN-001", tf("aws_sqs_queue.q")) == []
    config = Config.model_validate({"defaults": {"required_tags": ["owner"]}})
    assert check("PUR-FIN-001", tf("aws_sqs_queue.q", tags={"owner": "me"}), config=config) == []


def test_required_tags_read_cloudformation_tags():
    assert check("PUR-FIN-001", cfn("Q", "AWS::SQS::Queue", {}, tags={"team": "t"}))
    assert check("PUR-FIN-001", cfn("Q", "AWS::SQS::Queue", {})) == []


def test_required_tags_skip_statically_unknown_tags():
    assert check("PUR-FIN-001", tf("aws_sqs_queue.q", tags={}, unknown=["tags"])) == []


def test_kubernetes_workload_needs_required_labels():
    bare = k8s("Deployment", "web", pod({"name": "web"}), labels={"app": "web"})
    [violation] = check("PUR-FIN-002", bare)
    assert violation.evidence["missing"] == ["team", "env", "cost-center"]
    assert check("PUR-FIN-002", k8s("Deployment", "web", pod({"name": "web"}))) == []


@pytest.mark.parametrize("days", [None, 0])
def test_log_group_without_retention_never_expires(days):
    attrs = {} if days is None else {"retention_in_days": days}
    assert check("PUR-FIN-003", tf("aws_cloudwatch_log_group.api", attrs))


def test_log_group_with_retention_passes_and_cloudformation_is_read():
    assert check("PUR-FIN-003", tf("aws_cloudwatch_log_group.api", {"retention_in_days": 30})) == []
    assert check("PUR-FIN-003", cfn("L", "AWS::Logs::LogGroup", {})) != []
    assert check("PUR-FIN-003", cfn("L", "AWS::Logs::LogGroup", {"RetentionInDays": 14})) == []


def test_long_log_retention_needs_justification():
    long = tf("aws_cloudwatch_log_group.audit", {"retention_in_days": 3653})
    assert check("PUR-FIN-004", long)
    justified = tf("aws_cloudwatch_log_group.audit", {"retention_in_days": 3653},
                   tags={**TAGS, "purser.dev/justification": "SOX audit"})
    assert check("PUR-FIN-004", justified) == []
    assert check("PUR-FIN-004", tf("aws_cloudwatch_log_group.x", {"retention_in_days": 365})) == []


def test_lambda_memory_above_threshold_needs_justification():
    [violation] = check("PUR-FIN-005", tf("aws_lambda_function.f", {"memory_size": 3008}))
    assert violation.evidence == {"memory_mb": 3008, "threshold_mb": 1024}
    assert check("PUR-FIN-005", tf("aws_lambda_function.f", {"memory_size": 512})) == []
    justified = tf("aws_lambda_function.f", {"memory_size": 3008},
                   tags={**TAGS, "purser.dev/justification": "image processing"})
    assert check("PUR-FIN-005", justified) == []


def test_lambda_memory_threshold_comes_from_config():
    config = Config.model_validate({"policies": {"thresholds": {"lambda_memory_mb": 4096}}})
    assert check("PUR-FIN-005", tf("aws_lambda_function.f", {"memory_size": 3008}),
                 config=config) == []


def test_lambda_on_x86_with_a_portable_runtime_should_move_to_arm():
    assert check("PUR-FIN-006", tf("aws_lambda_function.f", {"runtime": "python3.12"}))
    assert check("PUR-FIN-006", tf("aws_lambda_function.f", {
        "runtime": "nodejs20.x", "architectures": ["x86_64"]}))
    assert check("PUR-FIN-006", cfn("F", "AWS::Serverless::Function", {"Runtime": "java21"}))


def test_lambda_on_arm_custom_runtime_or_pinned_x86_passes():
    assert check("PUR-FIN-006", tf("aws_lambda_function.f", {
        "runtime": "python3.12", "architectures": ["arm64"]})) == []
    assert check("PUR-FIN-006", tf("aws_lambda_function.f", {"runtime": "provided.al2023"})) == []
    pinned = tf("aws_lambda_function.f", {"runtime": "python3.12"},
                tags={**TAGS, "purser.dev/requires-x86": "numpy wheel"})
    assert check("PUR-FIN-006", pinned) == []


@pytest.mark.parametrize("runtime", ["nodejs10.x", "python3.7", "python2.7", "java8",
                                     "ruby2.5", "dotnetcore2.1", "go1.x"])
def test_lambda_runtime_version_without_an_arm_build_is_not_told_to_move(runtime: str):
    assert check("PUR-FIN-006", tf("aws_lambda_function.f", {"runtime": runtime})) == []


@pytest.mark.parametrize("runtime", ["nodejs12.x", "python3.8", "python3.13", "java8.al2",
                                     "java11", "ruby2.7", "ruby3.3", "dotnetcore3.1", "dotnet8"])
def test_lambda_runtime_version_with_an_arm_build_is_told_to_move(runtime: str):
    assert check("PUR-FIN-006", tf("aws_lambda_function.f", {"runtime": runtime}))


def test_provisioned_concurrency_on_low_traffic_function_is_high():
    function = tf("aws_lambda_function.f", {}, tags={
        **TAGS, "purser.dev/expected-monthly-requests": "20000"})
    config = tf("aws_lambda_provisioned_concurrency_config.f", {
        "function_name": Ref(address="aws_lambda_function.f", attribute="function_name")},
        depends_on=["aws_lambda_function.f"])
    [violation] = check("PUR-FIN-007", config, function)
    assert violation.severity is None  # the rule's own: high
    assert violation.evidence["expected_monthly_requests"] == 20000


def test_provisioned_concurrency_without_traffic_evidence_is_medium():
    function = tf("aws_lambda_function.f", {})
    config = tf("aws_lambda_provisioned_concurrency_config.f", {},
                depends_on=["aws_lambda_function.f"])
    [violation] = check("PUR-FIN-007", config, function)
    assert violation.severity is Severity.medium
    assert "no evidence" in violation.message


def test_provisioned_concurrency_with_enough_traffic_passes():
    function = tf("aws_lambda_function.f", {}, tags={
        **TAGS, "purser.dev/expected-monthly-requests": "50000000"})
    config = tf("aws_lambda_provisioned_concurrency_config.f", {},
                depends_on=["aws_lambda_function.f"])
    assert check("PUR-FIN-007", config, function) == []


def test_sam_provisioned_concurrency_is_read_from_the_function():
    sam = cfn("F", "AWS::Serverless::Function", {
        "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 5}})
    assert check("PUR-FIN-007", sam)
    assert check("PUR-FIN-007", cfn("F", "AWS::Serverless::Function", {})) == []


def test_lambda_timeout_at_maximum():
    assert check("PUR-FIN-008", tf("aws_lambda_function.f", {"timeout": 900}))
    assert check("PUR-FIN-008", tf("aws_lambda_function.f", {"timeout": 30})) == []


def test_provisioned_dynamodb_table_needs_autoscaling():
    table = tf("aws_dynamodb_table.orders", {"name": "orders", "billing_mode": "PROVISIONED"})
    assert check("PUR-FIN-009", table)
    target = tf("aws_appautoscaling_target.orders_read", {"resource_id": "table/orders"})
    assert check("PUR-FIN-009", table, target) == []


def test_dynamodb_defaults_to_provisioned_and_on_demand_passes():
    assert check("PUR-FIN-009", tf("aws_dynamodb_table.t", {"name": "t"}))
    assert check("PUR-FIN-009", tf("aws_dynamodb_table.t", {
        "name": "t", "billing_mode": "PAY_PER_REQUEST"})) == []


def test_autoscaling_target_found_through_dependency():
    table = tf("aws_dynamodb_table.t", {"billing_mode": "PROVISIONED"})
    target = tf("aws_appautoscaling_target.t",
                {"resource_id": "table/${aws_dynamodb_table.t.name}"},
                depends_on=["aws_dynamodb_table.t"])
    assert check("PUR-FIN-009", table, target) == []


def test_very_high_provisioned_capacity():
    high = tf("aws_dynamodb_table.t", {"read_capacity": 5000, "write_capacity": 50})
    [violation] = check("PUR-FIN-010", high)
    assert violation.evidence["capacity_units"] == {"read": 5000}
    assert check("PUR-FIN-010", tf("aws_dynamodb_table.t", {"read_capacity": 50})) == []


def network(*endpoint_services: str) -> list[Resource]:
    vpc = tf("module.net.aws_vpc.main", {})
    subnet = tf("module.net.aws_subnet.public[0]", {
        "vpc_id": Ref(address="module.net.aws_vpc.main", attribute="id")})
    nat = tf("module.net.aws_nat_gateway.main", {
        "subnet_id": Ref(address="module.net.aws_subnet.public[0]", attribute="id")})
    endpoints = [tf(f"module.net.aws_vpc_endpoint.{service}", {
        "vpc_id": Ref(address="module.net.aws_vpc.main", attribute="id"),
        "service_name": f"com.amazonaws.us-east-1.{service}"}) for service in endpoint_services]
    return [nat, vpc, subnet, *endpoints]


def test_nat_gateway_without_gateway_endpoints_mentions_per_gb_billing():
    [violation] = check("PUR-FIN-011", *network("s3"))
    assert violation.evidence["missing_endpoints"] == ["dynamodb"]
    assert "per GB" in violation.message


def test_nat_gateway_with_both_gateway_endpoints_passes():
    assert check("PUR-FIN-011", *network("s3", "dynamodb")) == []


def test_interface_endpoint_does_not_count_as_gateway():
    nat, *rest = network("dynamodb")
    interface = tf("module.net.aws_vpc_endpoint.s3", {
        "vpc_id": Ref(address="module.net.aws_vpc.main", attribute="id"),
        "service_name": "com.amazonaws.us-east-1.s3", "vpc_endpoint_type": "Interface"})
    assert check("PUR-FIN-011", nat, *rest, interface)


def test_bucket_without_lifecycle():
    bucket = tf("aws_s3_bucket.data", {"bucket": "data"})
    assert check("PUR-FIN-012", bucket)
    lifecycle = tf("aws_s3_bucket_lifecycle_configuration.data", {},
                   depends_on=["aws_s3_bucket.data"])
    assert check("PUR-FIN-012", bucket, lifecycle) == []
    inline = tf("aws_s3_bucket.data", {"lifecycle_rule": [{"enabled": True}]})
    assert check("PUR-FIN-012", inline) == []


def test_gp2_volume_flagged_and_gp3_passes():
    assert check("PUR-FIN-013", tf("aws_ebs_volume.v", {"type": "gp2"}))
    assert check("PUR-FIN-013", tf("aws_ebs_volume.v", {"type": "gp3"})) == []
    assert check("PUR-FIN-013", tf("aws_instance.i", {
        "root_block_device": [{"volume_type": "gp2"}]}))


def test_previous_generation_instance_types():
    assert check("PUR-FIN-014", tf("aws_instance.i", {"instance_type": "t2.micro"}))
    assert check("PUR-FIN-014", tf("aws_db_instance.d", {"instance_class": "db.m4.large"}))
    assert check("PUR-FIN-014", tf("aws_instance.i", {"instance_type": "t3.micro"})) == []
    assert check("PUR-FIN-014", tf("aws_instance.i", {"instance_type": "m6i.large"})) == []


def test_container_without_limits_names_what_is_missing():
    only_requests = {"requests": {"cpu": "100m", "memory": "128Mi"}}
    deployment = k8s("Deployment", "web", pod({"name": "web", "resources": only_requests},
                                              {"name": "sidecar", "resources": SIZED}))
    [violation] = check("PUR-FIN-015", deployment)
    assert violation.evidence == {"container": "web", "missing": ["limits.cpu", "limits.memory"]}


def test_sized_containers_pass_on_every_workload_kind():
    assert check("PUR-FIN-015", k8s("Deployment", "web",
                                    pod({"name": "web", "resources": SIZED}))) == []
    cron = k8s("CronJob", "nightly", {"spec": {"jobTemplate": {"spec": {"template": {
        "spec": {"containers": [{"name": "job"}]}}}}}}, group="batch")
    assert check("PUR-FIN-015", cron)


def hpa(spec: dict[str, Any], annotations: dict[str, str] | None = None) -> Resource:
    return k8s("HorizontalPodAutoscaler", "web", {"spec": spec}, group="autoscaling",
               annotations=annotations)


def test_hpa_min_replicas_above_threshold_needs_justification():
    [violation] = check("PUR-FIN-016", hpa({"minReplicas": 6, "maxReplicas": 12}))
    assert violation.evidence == {"min_replicas": 6, "threshold": 3}
    assert check("PUR-FIN-016", hpa({"minReplicas": 6, "maxReplicas": 12},
                                    {"purser.dev/justification": "peak sale"})) == []
    assert check("PUR-FIN-016", hpa({"minReplicas": 2, "maxReplicas": 12})) == []


def test_hpa_without_max_or_with_huge_max():
    assert check("PUR-FIN-016", hpa({"minReplicas": 1}))
    [huge] = check("PUR-FIN-016", hpa({"minReplicas": 1, "maxReplicas": 200}))
    assert huge.severity is Severity.low


def knative(annotations: dict[str, str]) -> Resource:
    return k8s("Service", "model", pod({"name": "model"}, annotations=annotations),
               group="serving.knative.dev")


def test_knative_min_scale_needs_justification():
    assert check("PUR-FIN-017", knative({"autoscaling.knative.dev/min-scale": "2"}))
    assert check("PUR-FIN-017", knative({"autoscaling.knative.dev/minScale": "1"}))
    assert check("PUR-FIN-017", knative({"autoscaling.knative.dev/min-scale": "0"})) == []
    assert check("PUR-FIN-017", knative({"autoscaling.knative.dev/min-scale": "2",
                                         "purser.dev/justification": "latency SLO"})) == []


def test_many_fixed_replicas_need_an_hpa():
    deployment = k8s("Deployment", "web", {"spec": {"replicas": 20}})
    assert check("PUR-FIN-018", deployment)
    scaler = hpa({"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 30})
    assert check("PUR-FIN-018", deployment, scaler) == []
    assert check("PUR-FIN-018", k8s("Deployment", "web", {"spec": {"replicas": 3}})) == []


def test_gateway_endpoints_of_the_same_module_in_another_root_do_not_count():
    def endpoint(root: str, service: str) -> Resource:
        return tf(f"{root}//module.net.aws_vpc_endpoint.{service}",
                  {"service_name": f"com.amazonaws.us-east-1.{service}"})

    nat = tf("apps/a//module.net.aws_nat_gateway.main", {})
    own = [endpoint("apps/a", "s3"), endpoint("apps/a", "dynamodb")]
    other = [endpoint("apps/b", "s3"), endpoint("apps/b", "dynamodb")]
    assert check("PUR-FIN-011", nat, *own) == []
    [violation] = check("PUR-FIN-011", nat, *other)
    assert sorted(violation.evidence["missing_endpoints"]) == ["dynamodb", "s3"]
