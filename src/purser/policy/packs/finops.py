"""FinOps pack: tagging for allocation, idle or oversized capacity, cheaper equivalents.

Every rule names the money it is about; the settings a rule declares are tuned under
`policies.thresholds` in purser.yaml. A `purser.dev/justification` tag (AWS) or annotation
(Kubernetes) records that a team chose the expensive setting on purpose and silences the
sizing rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from purser import kinds
from purser.identity import TerraformId
from purser.model import Category, Ref, Resource, Severity, number
from purser.policy import functions
from purser.policy.rule import Rule, RuleContext, Setting, Violation, rule
from purser.policy.workloads import (
    WORKLOAD_TYPES,
    container_name,
    containers,
    knative_autoscaling,
    pod_template_metadata,
)

JUSTIFICATION = "purser.dev/justification"
REQUIRES_X86 = "purser.dev/requires-x86"
EXPECTED_REQUESTS = "purser.dev/expected-monthly-requests"

# Terraform AWS types that take a `tags` argument (the common ones).
TAGGABLE_TERRAFORM: tuple[str, ...] = (
    "aws_lambda_function", "aws_dynamodb_table", "aws_s3_bucket", "aws_sqs_queue",
    "aws_sns_topic", "aws_cloudwatch_log_group", "aws_cloudwatch_metric_alarm",
    "aws_iam_role", "aws_iam_policy", "aws_apigatewayv2_api", "aws_apigatewayv2_stage",
    "aws_api_gateway_rest_api", "aws_api_gateway_stage", "aws_vpc", "aws_subnet",
    "aws_nat_gateway", "aws_internet_gateway", "aws_eip", "aws_route_table",
    "aws_security_group", "aws_vpc_endpoint", "aws_instance", "aws_ebs_volume",
    "aws_launch_template", "aws_db_instance", "aws_rds_cluster", "aws_elasticache_cluster",
    "aws_elasticache_replication_group", "aws_efs_file_system", "aws_kms_key",
    "aws_secretsmanager_secret", "aws_ecs_cluster", "aws_ecs_service",
    "aws_ecs_task_definition", "aws_eks_cluster", "aws_eks_node_group", "aws_lb",
    "aws_lb_target_group", "aws_ecr_repository", "aws_sfn_state_machine",
    "aws_cloudfront_distribution", "aws_kinesis_stream", "aws_route53_zone",
)

# CloudFormation types whose `Tags` property carries cost-allocation tags.
TAGGABLE_CLOUDFORMATION: tuple[str, ...] = (
    "AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::DynamoDB::Table",
    "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::Logs::LogGroup",
    "AWS::IAM::Role", "AWS::EC2::Instance", "AWS::EC2::Volume", "AWS::EC2::VPC",
    "AWS::EC2::Subnet", "AWS::EC2::NatGateway", "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster", "AWS::KMS::Key", "AWS::SecretsManager::Secret",
    "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine",
    "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api",
    "AWS::ECS::Service", "AWS::ECS::Cluster", "AWS::Kinesis::Stream",
)

HPA_TYPE = "autoscaling/HorizontalPodAutoscaler"
KNATIVE_SERVICE = "serving.knative.dev/Service"

# Managed runtimes that AWS publishes for arm64 (Graviton) as well as x86_64.
# Managed runtimes Lambda offers on arm64 (older versions of each family are x86_64 only).
ARM_READY_RUNTIME = re.compile(
    r"^(python3\.(8|9|\d\d)|nodejs(1[2-9]|[2-9]\d)\.x|java(8\.al2|1[1-9]|[2-9]\d)"
    r"|ruby(2\.7|[3-9]\.\d+)|dotnet(core3\.1|[6-9]|\d\d))$")
PREVIOUS_GENERATION = re.compile(
    r"^(db\.|cache\.)?(t1|t2|m1|m2|m3|m4|c1|c3|c4|r3|r4|i2|g2)\.")
LAMBDA_MAX_TIMEOUT_S = 900
LONG_RETENTION_DAYS = 365
HIGH_PROVISIONED_CAPACITY = 1000
HPA_MAX_REPLICAS = 50
UNSCALED_REPLICAS = 10


def _justified(resource: Resource) -> bool:
    return bool(resource.tags.get(JUSTIFICATION) or resource.annotations.get(JUSTIFICATION))


def _missing_tags(present: dict[str, str], required: list[str]) -> list[str]:
    return [key for key in required if not str(present.get(key, "")).strip()]


@rule
class RequiredTags(Rule):
    id = "PUR-FIN-001"
    title = "Cost-allocation tags missing"
    severity = Severity.medium
    frameworks = ("FinOps Framework: Allocation", "AWS-WA COST03-BP02")
    category = Category.finops
    pack = "finops"
    resource_types = TAGGABLE_TERRAFORM + TAGGABLE_CLOUDFORMATION
    remediation = ("Add the tags listed in purser.yaml defaults.required_tags (a provider "
                   "default_tags block or a shared locals map keeps them in one place).")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        if resource.is_unknown("tags"):
            return
        missing = _missing_tags(resource.tags, context.config.defaults.required_tags)
        if missing:
            yield Violation(f"missing required tags: {', '.join(missing)}; its spend cannot "
                            "be allocated to a team or cost center",
                            evidence={"missing": missing})


@rule
class RequiredLabels(Rule):
    id = "PUR-FIN-002"
    title = "Cost-allocation labels missing on a Kubernetes workload"
    severity = Severity.low
    frameworks = ("FinOps Framework: Allocation", "AWS-WA COST03-BP02")
    category = Category.finops
    pack = "finops"
    resource_types = WORKLOAD_TYPES
    remediation = ("Add the keys of purser.yaml defaults.required_tags as metadata.labels "
                   "so that cluster cost can be split per team.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        missing = _missing_tags(resource.tags, context.config.defaults.required_tags)
        if missing:
            yield Violation(f"missing required labels: {', '.join(missing)}",
                            evidence={"missing": missing})


@rule
class LogGroupNeverExpires(Rule):
    id = "PUR-FIN-003"
    title = "Log group keeps logs forever"
    severity = Severity.medium
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST04-BP05")
    category = Category.finops
    pack = "finops"
    resource_types = kinds.types("aws.logs.log_group")
    remediation = "Set retention_in_days (RetentionInDays), e.g. 30 for application logs."
    equivalents = {"checkov": ("CKV_AWS_66",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.is_unknown("retention_in_days"):
            return
        days = number(resource.get("retention_in_days"))
        if not days:
            yield ("no log retention: CloudWatch Logs storage is billed per GB-month and "
                   "grows for ever")


@rule
class LogRetentionLong(Rule):
    id = "PUR-FIN-004"
    title = "Log retention above a year without justification"
    severity = Severity.low
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST04-BP05")
    category = Category.finops
    pack = "finops"
    resource_types = kinds.types("aws.logs.log_group")
    remediation = (f"Lower the retention, or tag the log group with {JUSTIFICATION} naming "
                   "the obligation that needs it.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        days = number(resource.get("retention_in_days"))
        if days and days > LONG_RETENTION_DAYS and not _justified(resource):
            yield f"logs are kept {days:g} days (over {LONG_RETENTION_DAYS}) without a reason"


@rule
class LambdaMemoryOversized(Rule):
    id = "PUR-FIN-005"
    title = "Lambda memory above the threshold without justification"
    severity = Severity.medium
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST06")
    category = Category.finops
    pack = "finops"
    resource_types = kinds.types("aws.lambda.function")
    remediation = (f"Right-size memory_size from measured usage, or tag the function with "
                   f"{JUSTIFICATION}.")
    settings = {"lambda_memory_mb": Setting(1024, "memory (MB) above which a function "
                                                  "needs a justification")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        memory = number(resource.get("memory_size"))
        limit = self.setting("lambda_memory_mb", context)
        if memory and memory > limit and not _justified(resource):
            yield Violation(f"memory_size {memory:g} MB is above {limit} MB; Lambda bills "
                            "GB-seconds, so duration cost scales with it",
                            evidence={"memory_mb": memory, "threshold_mb": limit})


@rule
class LambdaNotArm(Rule):
    id = "PUR-FIN-006"
    title = "Lambda on x86_64 that could run on arm64"
    severity = Severity.low
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST06")
    category = Category.finops
    pack = "finops"
    resource_types = kinds.types("aws.lambda.function")
    remediation = (f"Set architectures = [\"arm64\"] (Graviton is about 20% cheaper per "
                   f"GB-second), or tag {REQUIRES_X86} when a native dependency needs x86.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.is_unknown("architectures"):
            return
        architectures = resource.get("architectures") or ["x86_64"]
        runtime = str(resource.get("runtime") or "")
        if (architectures == ["x86_64"] and ARM_READY_RUNTIME.match(runtime)
                and REQUIRES_X86 not in resource.tags
                # Lambda@Edge runs x86_64 only.
                and not functions.runs_at_edge(resource, context)):
            yield f"runs {runtime} on x86_64; the same runtime is available on arm64"


def _expected_requests(function: Resource) -> float | None:
    return number(function.tags.get(EXPECTED_REQUESTS))


def _provisioned_function(resource: Resource, context: RuleContext) -> Resource | None:
    """The function a provisioned-concurrency setting belongs to."""
    if resource.kind != "aws.lambda.provisioned_concurrency":
        return resource
    target = resource.get("function_name")
    addresses = [target.address] if isinstance(target, Ref) else []
    for address in addresses + resource.depends_on:
        found = context.find(address)
        if found is not None and found.kind == "aws.lambda.function":
            return found
    return None


@rule
class ProvisionedConcurrencyIdle(Rule):
    id = "PUR-FIN-007"
    title = "Provisioned concurrency on a low-traffic function"
    severity = Severity.high
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST09")
    category = Category.finops
    pack = "finops"
    resource_types = ("aws_lambda_provisioned_concurrency_config", "AWS::Serverless::Function")
    remediation = (f"Remove provisioned concurrency, or tag the function with "
                   f"{EXPECTED_REQUESTS} showing traffic that pays for warm instances.")
    settings = {"provisioned_concurrency_min_monthly_requests": Setting(
        1_000_000, "monthly requests below which provisioned concurrency is idle")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        if resource.kind == "aws.lambda.function" and not number(resource.get(
                "provisioned_concurrency_config.provisioned_concurrent_executions")):
            return  # a SAM function carries its provisioned concurrency itself, if any
        function = _provisioned_function(resource, context)
        requests = _expected_requests(function) if function else None
        floor = self.setting("provisioned_concurrency_min_monthly_requests", context)
        if requests is None:
            yield Violation("provisioned concurrency is billed every hour, and there is no "
                            f"evidence of traffic ({EXPECTED_REQUESTS} tag) to justify it",
                            severity=Severity.medium, evidence={"threshold": floor})
        elif requests < floor:
            yield Violation(f"provisioned concurrency for {requests:g} requests a month "
                            f"(below {floor}); warm instances cost more than cold starts",
                            evidence={"expected_monthly_requests": requests,
                                      "threshold": floor})


@rule
class LambdaMaxTimeout(Rule):
    id = "PUR-FIN-008"
    title = "Lambda timeout at the 900 s maximum"
    severity = Severity.low
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST06")
    category = Category.finops
    pack = "finops"
    resource_types = kinds.types("aws.lambda.function")
    remediation = "Set the timeout just above the observed p99 duration; a hung call bills 900 s."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        timeout = number(resource.get("timeout"))
        if timeout is not None and timeout >= LAMBDA_MAX_TIMEOUT_S:
            yield f"timeout is {timeout:g} s, the maximum; a stuck invocation bills all of it"


def _billing_provisioned(resource: Resource) -> bool:
    mode = resource.get("billing_mode")
    # Both Terraform and CloudFormation default to provisioned capacity.
    known = not resource.is_unknown("billing_mode")
    return known and str(mode or "PROVISIONED").upper() == "PROVISIONED"


def _table_name(resource: Resource) -> str:
    return str(resource.get("name") or "")


def _scales(target: Resource, table: Resource) -> bool:
    if table.address in target.depends_on:
        return True
    resource_id = target.get("resource_id")
    name = _table_name(table)
    text = str(resource_id) if resource_id is not None else ""
    return (bool(name) and f"table/{name}" in text) or table.address in text


@rule
class DynamoDbProvisionedWithoutAutoscaling(Rule):
    id = "PUR-FIN-009"
    title = "DynamoDB provisioned capacity without autoscaling"
    severity = Severity.medium
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST09")
    category = Category.finops
    pack = "finops"
    resource_types = kinds.types("aws.dynamodb.table")
    remediation = ("Use billing_mode = \"PAY_PER_REQUEST\", or add an "
                   "aws_appautoscaling_target and policy for the table.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if not _billing_provisioned(resource):
            return
        if not any(_scales(t, resource)
                   for t in context.of_kind("aws.appautoscaling.target")):
            yield ("provisioned capacity with no autoscaling target: capacity is paid for "
                   "at peak all day")


@rule
class DynamoDbCapacityHigh(Rule):
    id = "PUR-FIN-010"
    title = "DynamoDB provisioned capacity very high"
    severity = Severity.low
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST06")
    category = Category.finops
    pack = "finops"
    resource_types = kinds.types("aws.dynamodb.table")
    remediation = "Check consumed capacity; switch to on-demand or scale capacity with load."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        if not _billing_provisioned(resource):
            return
        units = {
            "read": number(resource.get("read_capacity")),
            "write": number(resource.get("write_capacity")),
        }
        high = {k: v for k, v in units.items() if v and v > HIGH_PROVISIONED_CAPACITY}
        if high:
            listed = ", ".join(f"{k} {v:g}" for k, v in high.items())
            yield Violation(f"provisioned {listed} capacity units (over "
                            f"{HIGH_PROVISIONED_CAPACITY}) are billed every hour",
                            evidence={"capacity_units": high})


def _module_of(resource: Resource) -> tuple[str, tuple[str, ...]]:
    """The Terraform module instance that declares `resource`: its root folder and the module
    calls leading to it (two roots calling one module are two instances)."""
    identity = resource.id
    if isinstance(identity, TerraformId):
        return identity.folder or identity.root, identity.module
    return resource.source.file, ()


def _ref_address(value: Any) -> str | None:
    return value.address if isinstance(value, Ref) else None


def _vpc_of_nat(nat: Resource, context: RuleContext) -> str | None:
    subnet_address = _ref_address(nat.get("subnet_id"))
    subnet = context.find(subnet_address) if subnet_address else None
    return _ref_address(subnet.get("vpc_id")) if subnet else None


def _gateway_services(nat: Resource, context: RuleContext) -> set[str]:
    vpc = _vpc_of_nat(nat, context)
    services: set[str] = set()
    for endpoint in context.of_kind("aws.ec2.vpc_endpoint"):
        endpoint_vpc = _ref_address(endpoint.get("vpc_id"))
        same_vpc = (endpoint_vpc == vpc if vpc and endpoint_vpc
                    else _module_of(endpoint) == _module_of(nat))
        kind = str(endpoint.get("vpc_endpoint_type") or "Gateway")
        service = str(endpoint.get("service_name") or "")
        if same_vpc and kind.lower() == "gateway":
            services.add(service.rsplit(".", 1)[-1])
    return services


@rule
class NatWithoutGatewayEndpoints(Rule):
    id = "PUR-FIN-011"
    title = "NAT gateway without S3 and DynamoDB gateway endpoints"
    severity = Severity.medium
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST08")
    category = Category.finops
    pack = "finops"
    resource_types = kinds.types("aws.ec2.nat_gateway")
    remediation = ("Add aws_vpc_endpoint resources of type Gateway for com.amazonaws.<region>.s3 "
                   "and .dynamodb; gateway endpoints are free.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        missing = [s for s in ("s3", "dynamodb") if s not in _gateway_services(resource, context)]
        if missing:
            yield Violation(f"no gateway endpoint for {', '.join(missing)} in this VPC: that "
                            "traffic goes through the NAT gateway, whose data processing is "
                            "billed per GB", evidence={"missing_endpoints": missing})


@rule
class S3WithoutLifecycle(Rule):
    id = "PUR-FIN-012"
    title = "S3 bucket without a lifecycle configuration"
    severity = Severity.low
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST04-BP05")
    category = Category.finops
    pack = "finops"
    resource_types = kinds.types("aws.s3.bucket")
    remediation = ("Add an aws_s3_bucket_lifecycle_configuration that expires or transitions "
                   "old objects (and aborts incomplete multipart uploads).")
    equivalents = {"checkov": ("CKV2_AWS_61",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if not resource.missing("lifecycle_rule"):
            return
        if any(context.referencing(resource, "aws_s3_bucket_lifecycle_configuration")):
            return
        yield "no lifecycle rules: every object is stored in Standard for ever"


# Where each kind names its volume type.
VOLUME_TYPE_PATHS: dict[str, tuple[str, ...]] = {
    "aws.ec2.volume": ("type",),
    "aws.ec2.instance": ("root_block_device.volume_type", "ebs_block_device.volume_type"),
    "aws.ec2.launch_template": ("block_device_mappings.ebs.volume_type",),
    "aws.rds.instance": ("storage_type",),
}


def _gp2_volumes(resource: Resource) -> list[str]:
    return [path for path in VOLUME_TYPE_PATHS.get(resource.kind, ())
            if str(resource.get(path) or "").lower() == "gp2"]


@rule
class Gp2Volume(Rule):
    id = "PUR-FIN-013"
    title = "gp2 storage where gp3 is cheaper"
    severity = Severity.low
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST06")
    category = Category.finops
    pack = "finops"
    resource_types = ("aws_ebs_volume", "aws_instance", "aws_launch_template",
                      "aws_db_instance", "AWS::EC2::Volume", "AWS::RDS::DBInstance")
    remediation = "Use gp3: about 20% cheaper per GB with a 3,000 IOPS baseline included."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        paths = _gp2_volumes(resource)
        if paths:
            yield Violation(f"gp2 storage ({', '.join(paths)}); gp3 costs less for the same "
                            "baseline", evidence={"paths": paths})


@rule
class PreviousGenerationInstance(Rule):
    id = "PUR-FIN-014"
    title = "Previous-generation instance type"
    severity = Severity.low
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST06")
    category = Category.finops
    pack = "finops"
    resource_types = ("aws_instance", "aws_launch_template", "aws_db_instance",
                      "aws_elasticache_cluster", "aws_elasticache_replication_group",
                      "AWS::EC2::Instance", "AWS::RDS::DBInstance")
    remediation = "Move to a current generation (t3/t4g, m6i/m7g, c6i/c7g, r6i/r7g)."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        for path in ("instance_type", "instance_class", "node_type"):
            value = resource.get(path)
            if isinstance(value, str) and PREVIOUS_GENERATION.match(value):
                yield (f"{path} {value} is a previous generation: current ones give more "
                       "performance per dollar")


@rule
class ContainerResourcesMissing(Rule):
    id = "PUR-FIN-015"
    title = "Container without CPU/memory requests or limits"
    severity = Severity.medium
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST06")
    category = Category.finops
    pack = "finops"
    resource_types = WORKLOAD_TYPES
    remediation = ("Set resources.requests (what the scheduler reserves and cost is allocated "
                   "on) and resources.limits for cpu and memory on every container.")
    equivalents = {"checkov": ("CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in containers(resource):
            resources = _mapping(container.get("resources"))
            missing = [f"{kind}.{unit}" for kind in ("requests", "limits")
                       for unit in ("cpu", "memory")
                       if not _mapping(resources.get(kind)).get(unit)]
            if missing:
                name = container_name(container)
                yield Violation(f"container {name} has no {', '.join(missing)}",
                                evidence={"container": name, "missing": missing})


@rule
class HpaBounds(Rule):
    id = "PUR-FIN-016"
    title = "HorizontalPodAutoscaler bounds without justification"
    severity = Severity.medium
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST09")
    category = Category.finops
    pack = "finops"
    resource_types = (HPA_TYPE,)
    remediation = (f"Set maxReplicas, keep minReplicas low, or record why with a "
                   f"{JUSTIFICATION} annotation.")
    settings = {"hpa_min_replicas": Setting(3, "minReplicas above which an autoscaler needs "
                                               "a justification")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        max_replicas = number(resource.get("spec.maxReplicas"))
        min_replicas = number(resource.get("spec.minReplicas")) or 1
        floor = self.setting("hpa_min_replicas", context)
        if max_replicas is None:
            yield Violation("no spec.maxReplicas: scaling is unbounded")
        elif max_replicas > HPA_MAX_REPLICAS and not _justified(resource):
            yield Violation(f"maxReplicas {max_replicas:g} is above {HPA_MAX_REPLICAS}",
                            severity=Severity.low)
        if min_replicas > floor and not _justified(resource):
            yield Violation(f"minReplicas {min_replicas:g} is above {floor}: those pods run "
                            "and are paid for even when idle",
                            evidence={"min_replicas": min_replicas, "threshold": floor})


@rule
class KnativeMinScale(Rule):
    id = "PUR-FIN-017"
    title = "Knative service kept warm without justification"
    severity = Severity.medium
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST09")
    category = Category.finops
    pack = "finops"
    resource_types = (KNATIVE_SERVICE,)
    remediation = (f"Let the service scale to zero (min-scale 0) or record why it must stay "
                   f"warm with a {JUSTIFICATION} annotation.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        template = pod_template_metadata(resource).get("annotations") or {}
        scale = number(knative_autoscaling(resource, "min-scale", "minScale"))
        if scale and scale > 0 and not (_justified(resource) or template.get(JUSTIFICATION)):
            yield Violation(f"min-scale {scale:g} keeps instances running with no traffic",
                            evidence={"min_scale": scale})


def _mapping(value: Any) -> dict[str, Any]:
    """A manifest block that should be a mapping; any other shape counts as not set."""
    return value if isinstance(value, dict) else {}


def _namespace(resource: Resource) -> str:
    return str(resource.get("metadata.namespace") or "default")


def _has_hpa(deployment: Resource, context: RuleContext) -> bool:
    for hpa in context.of_type(HPA_TYPE):
        target = hpa.get("spec.scaleTargetRef") or {}
        if (_namespace(hpa) == _namespace(deployment) and target.get("kind") == "Deployment"
                and target.get("name") == deployment.name):
            return True
    return False


@rule
class ManyReplicasWithoutHpa(Rule):
    id = "PUR-FIN-018"
    title = "Large fixed replica count without an autoscaler"
    severity = Severity.low
    frameworks = ("FinOps Framework: Workload Optimization", "AWS-WA COST09")
    category = Category.finops
    pack = "finops"
    resource_types = ("apps/Deployment",)
    remediation = "Add a HorizontalPodAutoscaler so that replicas follow load."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        replicas = number(resource.get("spec.replicas"))
        if replicas and replicas > UNSCALED_REPLICAS and not _has_hpa(resource, context):
            yield f"{replicas:g} fixed replicas and no HorizontalPodAutoscaler targets it"
