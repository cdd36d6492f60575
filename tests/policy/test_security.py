import json
import re
from typing import Any

import pytest

from purser import kinds
from purser.config import Config
from purser.model import Category, Ref, Resource, Severity, SourceRef
from purser.policy.packs import security  # importing registers the pack
from purser.policy.rule import RuleContext, Violation, rules
from purser.policy.workloads import WORKLOAD_TYPES


def tf(address: str, attrs: dict[str, Any] | None = None, *, unknown: list[str] | None = None,
       depends_on: list[str] | None = None) -> Resource:
    kind, name = address.split(".")[-2:]
    resource = Resource(address=address, type=kind, provider="aws", name=name, format="terraform",
                        region="us-east-1", attrs=attrs or {}, unknown=unknown or [],
                        depends_on=depends_on or [], source=SourceRef(file="main.tf", line=1))
    return kinds.canonicalize(resource)  # as the loader does


def cfn(kind: str, logical_id: str, properties: dict[str, Any]) -> Resource:
    resource = Resource(address=f"cfn:sam/template.yaml#{logical_id}", type=kind, provider="aws",
                        name=logical_id, format="cloudformation", attrs=properties,
                        source=SourceRef(file="sam/template.yaml", line=1))
    return kinds.canonicalize(resource)  # as the loader does


def k8s(kind: str, name: str, spec: dict[str, Any], *, group: str = "apps",
        annotations: dict[str, str] | None = None) -> Resource:
    api = "v1" if group == "core" else f"{group}/v1"
    manifest = {"apiVersion": api, "kind": kind,
                "metadata": {"name": name, "namespace": "shop"}, "spec": spec}
    return Resource(address=f"k8s:{group}/{kind}/shop/{name}", type=f"{group}/{kind}",
                    provider="kubernetes", name=name, format="kubernetes", attrs=manifest,
                    annotations=annotations or {}, source=SourceRef(file="k8s.yaml", line=1))


def deployment(container: dict[str, Any], **pod: Any) -> Resource:
    container = {"name": "app", "image": "shop/web:1.4.2@sha256:" + "a" * 64, **container}
    return k8s("Deployment", "web", {"template": {"spec": {"containers": [container], **pod}}})


HARDENED = {"securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False,
                                "readOnlyRootFilesystem": True}}


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def check(rule_id: str, resource: Resource, *others: Resource) -> list[Violation]:
    context = RuleContext([resource, *others], Config())
    outcomes = rules.get(rule_id)().check(resource, context)
    return [o if isinstance(o, Violation) else Violation(o) for o in outcomes]


def messages(rule_id: str, resource: Resource, *others: Resource) -> list[str]:
    return [v.message for v in check(rule_id, resource, *others)]


SECURITY_IDS = [i for i in rules if i.startswith("PUR-SEC-")]


# ------------------------------------------------------------------------ metadata

def test_the_pack_has_at_least_32_rules_with_unique_well_formed_ids():
    assert len(SECURITY_IDS) >= 32
    assert all(re.fullmatch(r"PUR-SEC-\d{3}", i) for i in SECURITY_IDS)
    assert len({rules.get(i).id for i in SECURITY_IDS}) == len(SECURITY_IDS)
    assert all(rules.get(i).id == i for i in SECURITY_IDS)


# Rules about operations that no public framework section covers precisely.
WITHOUT_FRAMEWORK = {"PUR-SEC-017", "PUR-SEC-162"}


@pytest.mark.parametrize("rule_id", SECURITY_IDS)
def test_every_security_rule_carries_complete_metadata(rule_id: str):
    cls = rules.get(rule_id)
    assert cls.pack == "security"
    assert cls.category in (Category.security, Category.supply_chain)
    assert isinstance(cls.severity, Severity)
    assert cls.title and cls.remediation
    assert cls.resource_types and isinstance(cls.resource_types, tuple)
    assert bool(cls.frameworks) != (rule_id in WITHOUT_FRAMEWORK)
    assert all(isinstance(f, str) and " " in f for f in cls.frameworks)


def test_container_rules_cover_every_workload_kind_including_knative():
    container_rules = [i for i in SECURITY_IDS if "apps/Deployment" in rules.get(i).resource_types]
    assert len(container_rules) >= 10
    for rule_id in container_rules:
        assert set(WORKLOAD_TYPES) <= set(rules.get(rule_id).resource_types)
    assert "serving.knative.dev/Service" in WORKLOAD_TYPES


# ---------------------------------------------------------------- one bad, one good per rule

BUCKET = tf("aws_s3_bucket.data", {"bucket": "shop-data"})
LAMBDA_OK = {"runtime": "python3.12", "tracing_config": [{"mode": "Active"}],
             "dead_letter_config": [{"target_arn": Ref(address="aws_sqs_queue.dlq",
                                                       attribute="arn")}],
             "reserved_concurrent_executions": 10}

UPLOADS = {"Upload": {"Type": "S3", "Properties": {"Bucket": "uploads"}}}

CASES = [
    ("PUR-SEC-001", tf("aws_iam_policy.admin", {"policy": policy(allow("*"))}),
     tf("aws_iam_policy.read", {"policy": policy(allow("s3:GetObject"))}),
     'IAM policy allows Action "*" on Resource "*"'),
    ("PUR-SEC-002", tf("aws_iam_role_policy.p", {"policy": policy(allow("dynamodb:*", "arn:t"))}),
     tf("aws_iam_role_policy.p", {"policy": policy(allow("dynamodb:GetItem", "arn:t"))}),
     '"dynamodb:*"'),
    ("PUR-SEC-003", tf("aws_iam_user_policy.p", {"policy": policy(allow(["s3:PutObject"]))}),
     tf("aws_iam_user_policy.p", {"policy": policy(allow(["s3:GetObject"]))}),
     '"s3:PutObject" on Resource "*"'),
    ("PUR-SEC-004", tf("aws_iam_group_policy.p", {"policy": policy(allow("iam:PassRole"))}),
     tf("aws_iam_group_policy.p",
        {"policy": policy(allow("iam:PassRole", "arn:aws:iam::1:role/app"))}),
     "iam:PassRole"),
    ("PUR-SEC-005", tf("aws_iam_policy.p", {"policy": policy(
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})}),
     tf("aws_iam_policy.p", {"policy": policy(
         {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"})}),
     'every action except "iam:*"'),
    ("PUR-SEC-006", cfn("AWS::IAM::User", "Ops", {"Policies": [{"PolicyName": "p"}]}),
     cfn("AWS::IAM::User", "Ops", {"Groups": ["ops"]}), "inline Policies"),
    ("PUR-SEC-007", tf("aws_iam_role.r", {"assume_role_policy": policy(
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})}),
     tf("aws_iam_role.r", {"assume_role_policy": policy(
         {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
          "Action": "sts:AssumeRole"})}),
     'Principal "*"'),
    ("PUR-SEC-008", tf("aws_lambda_function.f", {"environment": [{"variables": {
        "DB_PASSWORD": "hunter2-prod"}}]}),
     tf("aws_lambda_function.f", {"environment": [{"variables": {
         "DB_PASSWORD_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:db"}}]}),
     "DB_PASSWORD holds a literal value"),
    ("PUR-SEC-009", cfn("AWS::Serverless::Function", "Fn", {"Runtime": "python3.8"}),
     cfn("AWS::Serverless::Function", "Fn", {"Runtime": "python3.12"}), '"python3.8"'),
    ("PUR-SEC-010", tf("aws_lambda_function_url.u", {"authorization_type": "NONE"}),
     tf("aws_lambda_function_url.u", {"authorization_type": "AWS_IAM"}), "authorization type NONE"),
    ("PUR-SEC-011", tf("aws_lambda_permission.p", {"principal": "*",
                                                   "action": "lambda:InvokeFunction"}),
     tf("aws_lambda_permission.p", {"principal": "*", "source_arn": "arn:aws:s3:::b"}),
     'lambda:InvokeFunction to Principal "*"'),
    ("PUR-SEC-012", tf("aws_s3_bucket_acl.a", {"acl": "public-read"}),
     tf("aws_s3_bucket_acl.a", {"acl": "private"}), '"public-read"'),
    ("PUR-SEC-013", tf("aws_s3_bucket_policy.p", {"policy": policy(
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": "${aws_s3_bucket.b.arn}/*"})}),
     tf("aws_s3_bucket_policy.p", {"policy": policy(
         {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
          "Condition": {"Bool": {"aws:SecureTransport": "false"}}})}),
     'Principal "*" to "s3:GetObject"'),
    ("PUR-SEC-014", cfn("AWS::S3::Bucket", "B", {}),
     cfn("AWS::S3::Bucket", "B", {"PublicAccessBlockConfiguration": {
         "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
         "RestrictPublicBuckets": True}}), "no public access block"),
    ("PUR-SEC-015", cfn("AWS::S3::Bucket", "B", {}),
     cfn("AWS::S3::Bucket", "B", {"BucketEncryption": {"ServerSideEncryptionConfiguration": [
         {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}),
     "no server-side encryption"),
    ("PUR-SEC-016", cfn("AWS::S3::Bucket", "B", {"VersioningConfiguration": {
        "Status": "Suspended"}}),
     cfn("AWS::S3::Bucket", "B", {"VersioningConfiguration": {"Status": "Enabled"}}),
     "versioning is not enabled"),
    ("PUR-SEC-017", cfn("AWS::Serverless::Function", "Fn", {"Events": UPLOADS}),
     cfn("AWS::Serverless::Function", "Fn", {"Events": UPLOADS, "DeadLetterQueue": {
         "Type": "SQS", "TargetArn": Ref(address="cfn:sam/template.yaml#Dlq", attribute="Arn")}}),
     "no dead-letter queue"),
    ("PUR-SEC-018", tf("aws_lambda_function.f", {"tracing_config": [{"mode": "PassThrough"}]}),
     tf("aws_lambda_function.f", LAMBDA_OK), '"PassThrough", not "Active"'),
    ("PUR-SEC-019", tf("aws_lambda_function.f", {"reserved_concurrent_executions": -1}),
     tf("aws_lambda_function.f", LAMBDA_OK), "no reserved concurrency"),
    ("PUR-SEC-020", cfn("AWS::DynamoDB::Table", "T", {}),
     cfn("AWS::DynamoDB::Table", "T", {"SSESpecification": {"SSEEnabled": True}}),
     "AWS-owned key"),
    ("PUR-SEC-021", tf("aws_dynamodb_table.t", {"point_in_time_recovery": [{"enabled": False}]}),
     tf("aws_dynamodb_table.t", {"point_in_time_recovery": [{"enabled": True}]}),
     "point-in-time recovery is off"),
    ("PUR-SEC-022", tf("aws_sqs_queue.q", {"sqs_managed_sse_enabled": False}),
     tf("aws_sqs_queue.q", {"kms_master_key_id": "alias/aws/sqs"}), "turned off"),
    ("PUR-SEC-023", cfn("AWS::SNS::Topic", "T", {}),
     cfn("AWS::SNS::Topic", "T", {"KmsMasterKeyId": "alias/aws/sns"}), "no kms_master_key_id"),
    ("PUR-SEC-024", tf("aws_cloudwatch_log_group.g", {"retention_in_days": 30}),
     tf("aws_cloudwatch_log_group.g", {"kms_key_id": Ref(address="aws_kms_key.logs",
                                                         attribute="arn")}),
     "no kms_key_id"),
    ("PUR-SEC-025", tf("aws_db_instance.db", {"storage_encrypted": False}),
     tf("aws_db_instance.db", {"storage_encrypted": True}), "not encrypted"),
    ("PUR-SEC-026", cfn("AWS::RDS::DBInstance", "Db", {"PubliclyAccessible": "true"}),
     cfn("AWS::RDS::DBInstance", "Db", {"PubliclyAccessible": False}), "public endpoint"),
    ("PUR-SEC-027", tf("aws_ebs_volume.v", {"size": 100}),
     tf("aws_ebs_volume.v", {"encrypted": True}), "volume is not encrypted"),
    ("PUR-SEC-028", tf("aws_security_group.ops", {"ingress": [
        {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}),
     tf("aws_security_group.ops", {"ingress": [
         {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}]}),
     "ingress from 0.0.0.0/0 to port 22 (SSH)"),
    ("PUR-SEC-029", tf("aws_vpc_security_group_ingress_rule.pg", {
        "from_port": 5432, "to_port": 5432, "ip_protocol": "tcp", "cidr_ipv6": "::/0"}),
     tf("aws_vpc_security_group_ingress_rule.pg", {
         "from_port": 443, "to_port": 443, "ip_protocol": "tcp", "cidr_ipv6": "::/0"}),
     "ingress from ::/0 to port 5432 (PostgreSQL)"),
    ("PUR-SEC-030", cfn("AWS::EC2::SecurityGroup", "Sg", {"SecurityGroupIngress": [
        {"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]}),
     cfn("AWS::EC2::SecurityGroup", "Sg", {"SecurityGroupIngress": [
         {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}]}),
     "ingress from 0.0.0.0/0 on all ports"),
    ("PUR-SEC-031", tf("aws_apigatewayv2_route.refunds", {"route_key": "POST /refunds",
                                                          "authorization_type": "NONE"}),
     tf("aws_apigatewayv2_route.refunds", {"route_key": "POST /refunds",
                                           "authorization_type": "JWT"}),
     'route "POST /refunds" has authorization type NONE'),
    ("PUR-SEC-032", tf("aws_api_gateway_method.m", {"http_method": "POST",
                                                    "authorization": "NONE"}),
     tf("aws_api_gateway_method.m", {"http_method": "POST", "authorization": "AWS_IAM"}),
     "method POST has authorization NONE"),
    ("PUR-SEC-033", tf("aws_apigatewayv2_stage.s", {"name": "$default"}),
     tf("aws_apigatewayv2_stage.s", {"name": "$default", "access_log_settings": [
         {"destination_arn": "arn:aws:logs:us-east-1:1:log-group:api", "format": "$context"}]}),
     "stage $default has no access log settings"),
    ("PUR-SEC-034", deployment({"securityContext": {"privileged": True}}),
     deployment(HARDENED), "container app runs with privileged: true"),
    ("PUR-SEC-035", deployment({"securityContext": {"runAsUser": 0}}),
     deployment({}, securityContext={"runAsNonRoot": True}), "runs as root (runAsUser: 0)"),
    ("PUR-SEC-036", deployment({}), deployment(HARDENED), "allowPrivilegeEscalation"),
    ("PUR-SEC-037", deployment({"securityContext": {"readOnlyRootFilesystem": False}}),
     deployment(HARDENED), "can write to its root filesystem"),
    ("PUR-SEC-038", deployment({"image": "nginx:latest"}),
     deployment({"image": "nginx:1.27.0"}), 'image "nginx:latest" (tag :latest)'),
    ("PUR-SEC-039", deployment({"image": "registry.local:5000/shop/web:2.1"}),
     deployment({"image": "registry.local:5000/shop/web@sha256:" + "b" * 64}),
     '"registry.local:5000/shop/web:2.1" is pinned by tag'),
    ("PUR-SEC-040", deployment({}, volumes=[{"name": "docker",
                                             "hostPath": {"path": "/var/run/docker.sock"}}]),
     deployment({}, volumes=[{"name": "tmp", "emptyDir": {}}]),
     'volume docker mounts host path "/var/run/docker.sock"'),
    ("PUR-SEC-041", deployment({}, hostNetwork=True), deployment({}, hostNetwork=False),
     "pod sets hostNetwork: true"),
    ("PUR-SEC-042", deployment({"securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}}),
     deployment({"securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"],
                                                      "drop": ["ALL"]}}}),
     "adds capabilities SYS_ADMIN"),
    ("PUR-SEC-043", deployment({}, serviceAccountName="web"),
     deployment({}, automountServiceAccountToken=False), "service account web"),
    ("PUR-SEC-044", deployment({"env": [{"name": "API_KEY", "value": "k-123456789"}]}),
     deployment({"env": [{"name": "API_KEY", "valueFrom": {
         "secretKeyRef": {"name": "web", "key": "api-key"}}}]}),
     "container app environment variable API_KEY holds a literal value"),
    ("PUR-SEC-045", k8s("Service", "web", {"type": "LoadBalancer"}, group="core"),
     k8s("Service", "web", {"type": "LoadBalancer",
                            "loadBalancerSourceRanges": ["203.0.113.0/24"]}, group="core"),
     "no loadBalancerSourceRanges"),
]


def test_every_rule_of_this_module_has_a_bad_and_a_good_case():
    # Rules of the pack's other modules have their cases beside their own tests.
    here = {i for i in SECURITY_IDS if rules.get(i).__module__ == security.__name__}
    assert {case[0] for case in CASES} == here


@pytest.mark.parametrize(("rule_id", "bad", "good", "phrase"), CASES,
                         ids=[case[0] for case in CASES])
def test_rule_flags_the_bad_resource_naming_the_value_and_passes_the_good_one(
        rule_id: str, bad: Resource, good: Resource, phrase: str):
    assert bad.type in rules.get(rule_id).resource_types
    assert good.type in rules.get(rule_id).resource_types
    found = messages(rule_id, bad)
    assert len(found) == 1 and phrase in found[0], found
    assert check(rule_id, good) == []


# ------------------------------------------------------------------------ IAM details

def test_iam_rules_read_role_inline_policies_and_cloudformation_policy_lists():
    role = tf("aws_iam_role.reports", {"inline_policy": [
        {"name": "ok", "policy": policy(allow("s3:GetObject", "arn:aws:s3:::b/*"))},
        {"name": "admin", "policy": {"Statement": allow("*")}}]})
    [violation] = check("PUR-SEC-001", role)
    assert violation.evidence["policy"] == "inline_policy.1.policy"
    cfn_role = cfn("AWS::IAM::Role", "Reports", {"Policies": [
        {"PolicyName": "admin", "PolicyDocument": {"Statement": [allow(["*"])]}}]})
    assert len(check("PUR-SEC-001", cfn_role)) == 1


def test_service_wildcard_on_every_resource_is_one_finding_the_unscoped_write():
    wide = tf("aws_iam_policy.p", {"policy": policy(allow("s3:*"))})
    assert messages("PUR-SEC-002", wide) == []
    assert messages("PUR-SEC-003", wide) == ['IAM policy allows "s3:*" on Resource "*"']
    scoped = tf("aws_iam_policy.p", {"policy": policy(allow("s3:*", "arn:aws:s3:::b/*"))})
    assert messages("PUR-SEC-002", scoped) == [
        'IAM policy allows Action "s3:*" on Resource "arn:aws:s3:::b/*"']


def test_pass_role_wildcards_count_but_bare_star_is_left_to_the_admin_rule():
    assert len(check("PUR-SEC-004", tf("aws_iam_policy.p",
                                       {"policy": policy(allow("iam:Pass*"))}))) == 1
    assert check("PUR-SEC-004", tf("aws_iam_policy.p", {"policy": policy(allow("*"))})) == []


def test_trust_policy_with_a_condition_is_high_rather_than_critical():
    role = tf("aws_iam_role.ci", {"assume_role_policy": policy(
        {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity",
         "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:x"}}})})
    [violation] = check("PUR-SEC-007", role)
    assert violation.severity is Severity.high and "Condition" in violation.message


def test_policy_that_is_not_statically_known_gives_no_finding():
    unknown = tf("aws_iam_policy.p", unknown=["policy"])
    referenced = tf("aws_iam_policy.p", {"policy": Ref(
        address="data.aws_iam_policy_document.p", attribute="json")})
    broken = tf("aws_iam_policy.p", {"policy": "{not json"})
    for resource in (unknown, referenced, broken):
        assert all(check(i, resource) == [] for i in ("PUR-SEC-001", "PUR-SEC-003"))


def test_user_policy_attachment_names_the_user():
    attachment = tf("aws_iam_user_policy_attachment.a", {"user": "alice",
                                                         "policy_arn": "arn:aws:iam::1:policy/p"})
    assert messages("PUR-SEC-006", attachment) == ["policy attached directly to IAM user alice"]


# ------------------------------------------------------------------------ secrets

def test_access_key_is_found_whatever_the_variable_name_and_never_printed():
    key = "AKIA" + "ABCDEFGHIJKLMNOP"
    fn = cfn("AWS::Lambda::Function", "Fn", {"Environment": {"Variables": {"UPSTREAM": key}}})
    [violation] = check("PUR-SEC-008", fn)
    assert "an AWS access key id" in violation.message
    assert key not in violation.message and key not in json.dumps(violation.evidence)


def test_secret_names_holding_references_or_pointers_are_not_secrets():
    fn = tf("aws_lambda_function.f", {"environment": [{"variables": {
        "API_TOKEN": Ref(address="aws_secretsmanager_secret.t", attribute="arn"),
        "DB_PASSWORD": "{{resolve:secretsmanager:db:SecretString:password}}",
        "SECRET_NAME": "shop/prod/stripe",
        "TOKEN_URL": "https://auth.example.com/token",
        "LOG_LEVEL": "info"}}]})
    assert check("PUR-SEC-008", fn) == []


def test_secret_names_holding_a_switch_value_are_not_secrets():
    workload = deployment({"env": [{"name": "MYSQL_ALLOW_EMPTY_PASSWORD", "value": "1"},
                                   {"name": "TOKEN_AUTH", "value": "false"}]})
    assert check("PUR-SEC-044", workload) == []
    fn = tf("aws_lambda_function.f", {"environment": [{"variables": {"USE_API_KEY": "true"}}]})
    assert check("PUR-SEC-008", fn) == []


def test_sam_on_failure_destination_of_a_type_sam_creates_counts_as_a_failure_destination():
    fn = cfn("AWS::Serverless::Function", "Fn", {"EventInvokeConfig": {
        "DestinationConfig": {"OnFailure": {"Type": "SQS"}}}})
    assert check("PUR-SEC-017", fn) == []


def test_unknown_environment_gives_no_secret_finding():
    assert check("PUR-SEC-008", tf("aws_lambda_function.f", unknown=["environment"])) == []


# ------------------------------------------------------------------------ S3 companions

def full_block(bucket: Any, **flags: bool) -> Resource:
    values = dict.fromkeys(security.PUBLIC_ACCESS_FLAGS, True) | flags
    return tf("aws_s3_bucket_public_access_block.b", {"bucket": bucket, **values},
              depends_on=[BUCKET.address] if isinstance(bucket, Ref) else [])


def test_public_access_block_matched_by_reference_or_bucket_name_protects_the_bucket():
    by_ref = full_block(Ref(address=BUCKET.address, attribute="id"))
    assert check("PUR-SEC-014", BUCKET, by_ref) == []
    assert check("PUR-SEC-014", BUCKET, full_block("shop-data")) == []
    [unprotected] = messages("PUR-SEC-014", BUCKET, full_block("other-bucket"))
    assert unprotected.startswith("no public access block protects the bucket")


def test_public_access_block_with_flags_off_names_them():
    partial = full_block(Ref(address=BUCKET.address, attribute="id"),
                         block_public_policy=False, restrict_public_buckets=False)
    assert messages("PUR-SEC-014", BUCKET, partial) == [
        "public access block leaves block_public_policy, restrict_public_buckets off"]


def test_account_level_public_access_block_protects_every_bucket():
    account = tf("aws_s3_account_public_access_block.all",
                 dict.fromkeys(security.PUBLIC_ACCESS_FLAGS, True))
    assert check("PUR-SEC-014", BUCKET, account) == []


def test_public_access_block_flags_unknown_statically_give_no_finding():
    block = tf("aws_s3_bucket_public_access_block.b", {"bucket": "shop-data"},
               unknown=list(security.PUBLIC_ACCESS_FLAGS))
    assert check("PUR-SEC-014", BUCKET, block) == []


def test_separate_encryption_and_versioning_resources_count_for_the_bucket():
    encryption = tf("aws_s3_bucket_server_side_encryption_configuration.data",
                    {"bucket": Ref(address=BUCKET.address, attribute="id")},
                    depends_on=[BUCKET.address])
    versioning = tf("aws_s3_bucket_versioning.data", {
        "bucket": "shop-data", "versioning_configuration": [{"status": "Enabled"}]})
    assert len(check("PUR-SEC-015", BUCKET)) == 1
    assert check("PUR-SEC-015", BUCKET, encryption) == []
    assert len(check("PUR-SEC-016", BUCKET)) == 1
    assert check("PUR-SEC-016", BUCKET, versioning) == []


def test_public_bucket_acl_on_the_bucket_itself_says_read_and_write():
    bucket = tf("aws_s3_bucket.site", {"acl": "public-read-write"})
    assert messages("PUR-SEC-012", bucket) == [
        'bucket ACL "public-read-write": anyone on the internet can read and write objects']


# ------------------------------------------------------------------------ data stores

def test_queue_relying_on_the_default_encryption_is_medium_not_high():
    [violation] = check("PUR-SEC-022", cfn("AWS::SQS::Queue", "Q", {}))
    assert violation.severity is Severity.medium
    assert check("PUR-SEC-022", cfn("AWS::SQS::Queue", "Q", {"SqsManagedSseEnabled": True})) == []


def test_read_replica_and_regional_ebs_default_are_not_reported_unencrypted():
    replica = tf("aws_db_instance.replica", {"replicate_source_db": "shop-db"})
    assert check("PUR-SEC-025", replica) == []
    by_default = tf("aws_ebs_encryption_by_default.on", {"enabled": True})
    assert check("PUR-SEC-027", tf("aws_ebs_volume.v", {}), by_default) == []


def test_unknown_flag_is_not_treated_as_off():
    table = tf("aws_dynamodb_table.t", unknown=["point_in_time_recovery"])
    assert check("PUR-SEC-021", table) == []
    assert check("PUR-SEC-025", tf("aws_db_instance.db", unknown=["storage_encrypted"])) == []


# ------------------------------------------------------------------------ security groups

def test_security_group_rule_port_range_covering_ssh_and_rdp_names_both():
    sg_rule = tf("aws_security_group_rule.r", {
        "type": "ingress", "from_port": 20, "to_port": 3400, "protocol": "tcp",
        "cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"]})
    assert messages("PUR-SEC-028", sg_rule) == [
        "ingress from 0.0.0.0/0 to port 22 (SSH), 3389 (RDP)"]


def test_egress_rules_are_not_ingress():
    egress = tf("aws_security_group_rule.r", {"type": "egress", "from_port": 0,
                                              "to_port": 0, "protocol": "-1",
                                              "cidr_blocks": ["0.0.0.0/0"]})
    assert check("PUR-SEC-030", egress) == []


def test_all_ports_open_reports_once_under_the_all_ports_rule():
    sg = tf("aws_security_group.wide", {"ingress": [
        {"from_port": 0, "to_port": 65535, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]})
    assert len(check("PUR-SEC-030", sg)) == 1
    assert check("PUR-SEC-028", sg) == [] and check("PUR-SEC-029", sg) == []


def test_ingress_with_ports_not_known_statically_gives_no_finding():
    sg = tf("aws_security_group.x", {"ingress": [
        {"protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]})
    assert check("PUR-SEC-028", sg) == []


# ------------------------------------------------------------------------ API Gateway

@pytest.mark.parametrize("route_key", ["GET /health", "GET /healthz", "OPTIONS /checkout"])
def test_public_health_and_preflight_routes_are_allowed(route_key: str):
    route = tf("aws_apigatewayv2_route.r", {"route_key": route_key, "authorization_type": "NONE"})
    assert check("PUR-SEC-031", route) == []


def test_route_without_authorization_type_is_open_and_evidence_names_it():
    route = cfn("AWS::ApiGatewayV2::Route", "Default", {"RouteKey": "$default"})
    [violation] = check("PUR-SEC-031", route)
    assert violation.evidence == {"route": "$default"}


# ------------------------------------------------------------------------ Kubernetes

def test_pod_level_run_as_non_root_covers_containers_and_container_level_overrides():
    assert check("PUR-SEC-035", deployment({}, securityContext={"runAsUser": 1000})) == []
    override = deployment({"securityContext": {"runAsUser": 0}},
                          securityContext={"runAsNonRoot": True})
    assert len(check("PUR-SEC-035", override)) == 1
    [unset] = check("PUR-SEC-035", deployment({}))
    assert "does not set runAsNonRoot" in unset.message
    # Unset is up to the image (kubernetes/examples: 129 containers): medium; root is high.
    assert unset.severity is Severity.medium
    assert check("PUR-SEC-035", override)[0].severity is None  # the rule's high


def test_container_rules_read_cronjobs_knative_services_and_init_containers():
    cron = k8s("CronJob", "sweep", {"jobTemplate": {"spec": {"template": {"spec": {
        "containers": [{"name": "sweep", "image": "busybox"}]}}}}}, group="batch")
    assert messages("PUR-SEC-038", cron) == [
        'container sweep runs image "busybox" (no tag): what runs changes without a commit']
    knative = k8s("Service", "recommender", {"template": {"spec": {"initContainers": [
        {"name": "warm", "image": "shop/warm:1", "securityContext": {"privileged": True}}]}}},
        group="serving.knative.dev")
    assert "container warm" in messages("PUR-SEC-034", knative)[0]


def test_service_account_that_disables_automount_covers_the_pod():
    account = Resource(address="k8s:core/ServiceAccount/shop/web", type="core/ServiceAccount",
                       provider="kubernetes", name="web", format="kubernetes",
                       attrs={"metadata": {"name": "web", "namespace": "shop"},
                              "automountServiceAccountToken": False},
                       source=SourceRef(file="k8s.yaml", line=1))
    pod = deployment({}, serviceAccountName="web")
    assert check("PUR-SEC-043", pod, account) == []


def test_internal_load_balancer_needs_no_source_ranges():
    service = k8s("Service", "api", {"type": "LoadBalancer"}, group="core", annotations={
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"})
    assert check("PUR-SEC-045", service) == []
    assert check("PUR-SEC-045", k8s("Service", "api", {"type": "ClusterIP"}, group="core")) == []
