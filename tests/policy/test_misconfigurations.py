"""Misconfigurations any reviewer would block are caught, and correct code raises nothing
at high or critical (issue 15): one bad and one good case per rule of the breadth modules,
each in Terraform and, where the resource exists there, in CloudFormation."""

import json
from typing import Any

import pytest

from purser import kinds
from purser.config import Config
from purser.gate import run_check
from purser.model import Ref, Resource, Severity, SourceRef
from purser.policy.rule import RuleContext, Violation, rules
from purser.sources import load_repository

BREADTH_MODULES = ("access", "encryption", "exposure", "operations", "pod_security", "rbac",
                   "safeguards",
                   "cluster_network", "reliability", "workloads_aws")


def tf(address: str, attrs: dict[str, Any] | None = None, *,
       unknown: list[str] | None = None, depends_on: list[str] | None = None,
       tags: dict[str, str] | None = None) -> Resource:
    kind, name = address.split(".")[-2:]
    resource = Resource(address=address, type=kind, provider="aws", name=name,
                        format="terraform", region="us-east-1", attrs=attrs or {},
                        tags=tags or {},
                        unknown=unknown or [], depends_on=depends_on or [],
                        source=SourceRef(file="main.tf", line=1))
    return kinds.canonicalize(resource)


def cfn(kind: str, logical_id: str, properties: dict[str, Any],
        unknown: list[str] | None = None, tags: dict[str, str] | None = None) -> Resource:
    resource = Resource(address=f"cfn:template.yaml#{logical_id}", type=kind, provider="aws",
                        name=logical_id, format="cloudformation", attrs=properties,
                        tags=tags or {},
                        unknown=unknown or [], source=SourceRef(file="template.yaml", line=1))
    return kinds.canonicalize(resource)


def k8s(kind: str, name: str, body: dict[str, Any], *, group: str = "apps",
        namespace: str = "shop") -> Resource:
    api = "v1" if group == "core" else f"{group}/v1"
    manifest = {"apiVersion": api, "kind": kind,
                "metadata": {"name": name, "namespace": namespace}, **body}
    return Resource(address=f"k8s:{group}/{kind}/{namespace}/{name}", type=f"{group}/{kind}",
                    provider="kubernetes", name=name, format="kubernetes", attrs=manifest,
                    source=SourceRef(file="k8s.yaml", line=1))


def deployment(container: dict[str, Any] | None = None, *, replicas: int = 1,
               labels: dict[str, str] | None = None, **pod: Any) -> Resource:
    container = {"name": "app", "image": "shop/web:1.4.2", **(container or {})}
    return k8s("Deployment", "web", {"spec": {"replicas": replicas, "template": {
        "metadata": {"labels": labels or {"app": "web"}},
        "spec": {"containers": [container], **pod}}}})


def role(*rules_: dict[str, Any], cluster: bool = False) -> Resource:
    kind = "ClusterRole" if cluster else "Role"
    return k8s(kind, "r", {"rules": list(rules_)}, group="rbac.authorization.k8s.io")


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def anyone(action: Any, **extra: Any) -> dict[str, Any]:
    return allow(action, Principal="*", **extra)


def check(rule_id: str, resource: Resource, *others: Resource) -> list[Violation]:
    context = RuleContext([resource, *others], Config())
    outcomes = rules.get(rule_id)().check(resource, context)
    return [o if isinstance(o, Violation) else Violation(o) for o in outcomes]


def messages(rule_id: str, resource: Resource, *others: Resource) -> list[str]:
    return [v.message for v in check(rule_id, resource, *others)]


def serious(resource: Resource, *others: Resource) -> list[tuple[str, str]]:
    """(rule id, message) of every high or critical finding any rule raises on `resource`."""
    context = RuleContext([resource, *others], Config())
    found = []
    for rule_id, cls in rules.items():
        if resource.type not in cls.resource_types:
            continue
        for outcome in cls().check(resource, context):
            violation = outcome if isinstance(outcome, Violation) else Violation(outcome)
            if (violation.severity or cls.severity).at_least(Severity.high):
                found.append((rule_id, violation.message))
    return found


# ---------------------------------------------------------------- one bad, one good per rule

BOOT_WITH_KEY = "#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIA" + "Q3EGRKWOC5JT7ZPL\n"
BOOT_WITH_SSM = ("#!/bin/bash\nexport AWS_REGION=us-east-1\n"
                 "DB_PASSWORD=$(aws ssm get-parameter --name db)\n")
PERSONAL = {"data-classification": "personal"}
CONFIDENTIAL = {"data-classification": "confidential"}
SECRET_POLICY = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db"

CASES = [
    # Resource policies open to anyone: queues, topics, keys, registries, secrets, search.
    ("PUR-SEC-046", tf("aws_sqs_queue_policy.q", {"policy": policy(anyone("sqs:SendMessage"))}),
     tf("aws_sqs_queue_policy.q", {"policy": policy(anyone(
         "sqs:SendMessage", Condition={"ArnEquals": {"aws:SourceArn": "arn:aws:sns:x:1:t"}}))}),
     'Principal "*" to "sqs:SendMessage"'),
    ("PUR-SEC-046", cfn("AWS::SNS::TopicPolicy", "P", {"PolicyDocument": {"Statement": [
        anyone("sns:Publish")]}}),
     cfn("AWS::SNS::TopicPolicy", "P", {"PolicyDocument": {"Statement": [
         allow("sns:Publish", Principal={"Service": "events.amazonaws.com"})]}}),
     '"sns:Publish"'),
    ("PUR-SEC-046", tf("aws_elasticsearch_domain.search", {
        "access_policies": policy(anyone("es:*"))}),
     tf("aws_elasticsearch_domain.search", {"access_policies": policy(allow(
         "es:*", Principal={"AWS": "arn:aws:iam::111122223333:role/search"}))}),
     '"es:*"'),
    ("PUR-SEC-046", cfn("AWS::OpenSearchService::Domain", "Search", {
        "AccessPolicies": {"Statement": [anyone("es:ESHttpGet")]}}),
     cfn("AWS::OpenSearchService::Domain", "Search", {
         "AccessPolicies": {"Statement": [anyone(
             "es:ESHttpGet", Condition={"IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}})]}}),
     '"es:ESHttpGet"'),
    ("PUR-SEC-046", cfn("AWS::KMS::Key", "Key", {"KeyPolicy": {"Statement": [
        anyone("kms:Decrypt")]}}),
     cfn("AWS::KMS::Key", "Key", {"KeyPolicy": {"Statement": [anyone(
         "kms:Decrypt", Condition={"StringEquals": {"kms:CallerAccount": "111122223333"}})]}}),
     '"kms:Decrypt"'),
    ("PUR-SEC-046", tf("aws_ecr_repository_policy.r", {"policy": policy(
        anyone(["ecr:BatchGetImage", "ecr:PutImage"]))}),
     tf("aws_ecr_repository_policy.r", {"policy": policy(allow(
         "ecr:BatchGetImage", Principal={"AWS": "arn:aws:iam::111122223333:root"}))}),
     '"ecr:PutImage"'),
    ("PUR-SEC-046", cfn("AWS::SecretsManager::ResourcePolicy", "P", {
        "SecretId": SECRET_POLICY, "ResourcePolicy": {"Statement": [
            anyone("secretsmanager:GetSecretValue")]}}),
     cfn("AWS::SecretsManager::ResourcePolicy", "P", {
         "SecretId": SECRET_POLICY, "ResourcePolicy": {"Statement": [
             {"Effect": "Deny", "Principal": "*", "Action": "secretsmanager:DeleteSecret",
              "Resource": "*"}]}}),
     '"secretsmanager:GetSecretValue"'),
    # AdministratorAccess and PowerUserAccess, however they are attached.
    ("PUR-SEC-047", tf("aws_iam_role_policy_attachment.a", {
        "role": "ci", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
     tf("aws_iam_role_policy_attachment.a", {
         "role": "ci", "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
     "AdministratorAccess"),
    ("PUR-SEC-047", cfn("AWS::IAM::Role", "Deployer", {
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/PowerUserAccess"]}),
     cfn("AWS::IAM::Role", "Deployer", {
         "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/"
                               "AWSLambdaBasicExecutionRole"]}),
     "PowerUserAccess"),
    ("PUR-SEC-047", tf("aws_ssoadmin_managed_policy_attachment.a", {
        "managed_policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
     tf("aws_ssoadmin_managed_policy_attachment.a", {
         "managed_policy_arn": "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"}),
     "AdministratorAccess"),
    ("PUR-SEC-047", cfn("AWS::SSO::PermissionSet", "Admins", {
        "Name": "admins", "ManagedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"]}),
     cfn("AWS::SSO::PermissionSet", "Admins", {
         "Name": "readers", "ManagedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}),
     "AdministratorAccess"),
    ("PUR-SEC-047", tf("aws_iam_policy_attachment.a", {
        "users": ["bob"], "policy_arn": "arn:aws:iam::aws:policy/IAMFullAccess"}),
     tf("aws_iam_policy_attachment.a", {
         "users": ["bob"], "policy_arn": "arn:aws:iam::111122223333:policy/IAMFullAccess"}),
     "IAMFullAccess"),
    # Privilege escalation without any "*" action.
    ("PUR-SEC-048", tf("aws_iam_policy.p", {"policy": policy(allow("iam:CreatePolicyVersion"))}),
     tf("aws_iam_policy.p", {"policy": policy(allow(
         "iam:CreatePolicyVersion", "arn:aws:iam::111122223333:policy/app-boundary"))}),
     "iam:CreatePolicyVersion on every resource"),
    ("PUR-SEC-048", cfn("AWS::IAM::ManagedPolicy", "P", {"PolicyDocument": {"Statement": [
        allow("iam:AttachUserPolicy", "arn:aws:iam::111122223333:user/*")]}}),
     cfn("AWS::IAM::ManagedPolicy", "P", {"PolicyDocument": {"Statement": [
         allow("iam:AttachUserPolicy", "arn:aws:iam::111122223333:user/ci-bot")]}}),
     "iam:AttachUserPolicy"),
    ("PUR-SEC-048", tf("aws_iam_role_policy.p", {"policy": policy(
        allow("iam:PassRole"), allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))}),
     tf("aws_iam_role_policy.p", {"policy": policy(
         allow("iam:PassRole", "arn:aws:iam::111122223333:role/app-fn"),
         allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))}),
     "iam:PassRole on any role together with lambda:CreateFunction"),
    ("PUR-SEC-108", tf("aws_iam_role_policy.p", {"policy": policy(allow(
        ["s3:GetObject", "secretsmanager:GetSecretValue"]))}),
     tf("aws_iam_role_policy.p", {"policy": policy(allow(
         "secretsmanager:GetSecretValue", SECRET_POLICY))}),
     "s3:GetObject, secretsmanager:GetSecretValue on Resource"),
    ("PUR-SEC-108", cfn("AWS::IAM::ManagedPolicy", "P", {"PolicyDocument": {"Statement": [
        allow("ssm:GetParameter")]}}),
     cfn("AWS::IAM::ManagedPolicy", "P", {"PolicyDocument": {"Statement": [
         allow("ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/app/*")]}}),
     "ssm:GetParameter"),
    # Encryption at rest and in transit.
    ("PUR-SEC-049", tf("aws_neptune_cluster.g", {"cluster_identifier": "g"}),
     tf("aws_neptune_cluster.g", {"storage_encrypted": True}),
     "storage_encrypted is not set, so the AWS default false applies"),
    ("PUR-SEC-049", cfn("AWS::Neptune::DBCluster", "G", {"StorageEncrypted": "false"}),
     cfn("AWS::Neptune::DBCluster", "G", {"StorageEncrypted": "true"}),
     "storage_encrypted is false"),
    ("PUR-SEC-050", tf("aws_docdb_cluster.d", {"storage_encrypted": False}),
     tf("aws_docdb_cluster.d", {"storage_encrypted": True}), "not encrypted"),
    ("PUR-SEC-050", cfn("AWS::DocDB::DBCluster", "D", {}),
     cfn("AWS::DocDB::DBCluster", "D", {"StorageEncrypted": True}), "not encrypted"),
    ("PUR-SEC-051", tf("aws_elasticache_replication_group.r", {"engine": "redis"}),
     tf("aws_elasticache_replication_group.r", {"at_rest_encryption_enabled": True}),
     "at_rest_encryption_enabled is not set, so the AWS default false applies"),
    ("PUR-SEC-051", cfn("AWS::ElastiCache::ReplicationGroup", "R", {
        "AtRestEncryptionEnabled": False}),
     cfn("AWS::ElastiCache::ReplicationGroup", "R", {"AtRestEncryptionEnabled": True}),
     "is false"),
    ("PUR-SEC-052", tf("aws_elasticsearch_domain.s", {"encrypt_at_rest": [{"enabled": False}]}),
     tf("aws_elasticsearch_domain.s", {"encrypt_at_rest": [{"enabled": True}]}),
     "not encrypted at rest"),
    ("PUR-SEC-052", cfn("AWS::OpenSearchService::Domain", "S", {}),
     cfn("AWS::OpenSearchService::Domain", "S", {"EncryptionAtRestOptions": {"Enabled": True}}),
     "encrypt_at_rest is not declared"),
    ("PUR-SEC-053", tf("aws_opensearch_domain.s", {}),
     tf("aws_opensearch_domain.s", {"node_to_node_encryption": [{"enabled": True}]}),
     "between nodes is plaintext"),
    ("PUR-SEC-053", cfn("AWS::Elasticsearch::Domain", "S", {}),
     cfn("AWS::Elasticsearch::Domain", "S", {"NodeToNodeEncryptionOptions": {"Enabled": True}}),
     "between nodes is plaintext"),
    ("PUR-SEC-054", tf("aws_opensearch_domain.s", {"domain_endpoint_options": [
        {"enforce_https": False}]}),
     tf("aws_opensearch_domain.s", {"domain_endpoint_options": [{"enforce_https": True}]}),
     "enforce_https is false"),
    ("PUR-SEC-054", cfn("AWS::OpenSearchService::Domain", "S", {}),
     cfn("AWS::OpenSearchService::Domain", "S", {"DomainEndpointOptions": {
         "EnforceHTTPS": True}}), "enforce_https is not declared"),
    ("PUR-SEC-055", tf("aws_efs_file_system.f", {}),
     tf("aws_efs_file_system.f", {"encrypted": True}), "not encrypted"),
    ("PUR-SEC-055", cfn("AWS::EFS::FileSystem", "F", {"Encrypted": False}),
     cfn("AWS::EFS::FileSystem", "F", {"Encrypted": True}), "not encrypted"),
    ("PUR-SEC-056", tf("aws_kinesis_stream.s", {"shard_count": 1}),
     tf("aws_kinesis_stream.s", {"encryption_type": "KMS", "kms_key_id": "alias/aws/kinesis"}),
     "encryption_type is not set, so the AWS default NONE applies"),
    ("PUR-SEC-056", cfn("AWS::Kinesis::Stream", "S", {}),
     cfn("AWS::Kinesis::Stream", "S", {"StreamEncryption": {"EncryptionType": "KMS",
                                                            "KeyId": "alias/aws/kinesis"}}),
     "stored unencrypted"),
    ("PUR-SEC-057", tf("aws_sagemaker_endpoint_configuration.e", {}),
     tf("aws_sagemaker_endpoint_configuration.e", {"kms_key_arn": "arn:aws:kms:x:1:key/k"}),
     "no KMS key"),
    ("PUR-SEC-057", cfn("AWS::SageMaker::EndpointConfig", "E", {}),
     cfn("AWS::SageMaker::EndpointConfig", "E", {"KmsKeyId": "arn:aws:kms:x:1:key/k"}),
     "no KMS key"),
    ("PUR-SEC-058", cfn("AWS::SageMaker::NotebookInstance", "N", {}),
     cfn("AWS::SageMaker::NotebookInstance", "N", {"KmsKeyId": "k"}), "no KMS key"),
    ("PUR-SEC-058", tf("aws_sagemaker_notebook_instance.n", {}),
     tf("aws_sagemaker_notebook_instance.n", {"kms_key_id": "k"}), "no KMS key"),
    ("PUR-SEC-059", tf("aws_kms_key.k", {}), tf("aws_kms_key.k", {"enable_key_rotation": True}),
     "never rotates"),
    ("PUR-SEC-059", cfn("AWS::KMS::Key", "K", {"EnableKeyRotation": False}),
     cfn("AWS::KMS::Key", "K", {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}),
     "never rotates"),
    ("PUR-SEC-060", tf("aws_kinesis_firehose_delivery_stream.f", {"destination": "s3"}),
     tf("aws_kinesis_firehose_delivery_stream.f", {"server_side_encryption": [
         {"enabled": True}]}), "not encrypted"),
    ("PUR-SEC-060", cfn("AWS::KinesisFirehose::DeliveryStream", "F", {}),
     cfn("AWS::KinesisFirehose::DeliveryStream", "F", {
         "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"}}),
     "not encrypted"),
    ("PUR-SEC-061", tf("aws_lambda_function.f", {"environment": [{"variables": {
        "DB_PASSWORD": "hunter2-prod"}}]}),
     tf("aws_lambda_function.f", {"kms_key_arn": "arn:aws:kms:x:1:key/k", "environment": [
         {"variables": {"DB_PASSWORD": "hunter2-prod"}}]}), "DB_PASSWORD look secret"),
    ("PUR-SEC-061", cfn("AWS::Lambda::Function", "F", {"Environment": {"Variables": {
        "TOKEN": "Zk3J9qLmP0xV7wR2tY5"}}}),
     cfn("AWS::Lambda::Function", "F", {"Environment": {"Variables": {"TABLE": "orders"}}}),
     "TOKEN look secret"),
    ("PUR-SEC-062", tf("aws_secretsmanager_secret.db", {"name": "db"}),
     tf("aws_secretsmanager_secret.db", {"name": "db"}), "no rotation schedule",
     [tf("aws_secretsmanager_secret_rotation.db", {"secret_id": Ref(
         address="aws_secretsmanager_secret.db", attribute="id")})]),
    ("PUR-SEC-062", cfn("AWS::SecretsManager::Secret", "Db", {"Name": "db"}),
     cfn("AWS::SecretsManager::Secret", "Db", {"Name": "db"}), "no rotation schedule",
     [cfn("AWS::SecretsManager::RotationSchedule", "Rotation", {"SecretId": Ref(
         address="cfn:template.yaml#Db"), "RotationRules": {"AutomaticallyAfterDays": 30}})]),
    # Exposure.
    ("PUR-SEC-063", tf("aws_eks_cluster.c", {"vpc_config": [{"subnet_ids": ["s"]}]}),
     tf("aws_eks_cluster.c", {"vpc_config": [{"endpoint_public_access": False}]}),
     "accepts 0.0.0.0/0"),
    ("PUR-SEC-063", cfn("AWS::EKS::Cluster", "C", {"ResourcesVpcConfig": {
        "EndpointPublicAccess": True, "PublicAccessCidrs": ["0.0.0.0/0"]}}),
     cfn("AWS::EKS::Cluster", "C", {"ResourcesVpcConfig": {
         "EndpointPublicAccess": True, "PublicAccessCidrs": ["203.0.113.0/24"]}}),
     "accepts 0.0.0.0/0"),
    ("PUR-SEC-064", tf("aws_elasticsearch_domain.s", {}),
     tf("aws_elasticsearch_domain.s", {"vpc_options": [{"subnet_ids": ["subnet-1"]}]}),
     "outside any VPC"),
    ("PUR-SEC-064", cfn("AWS::OpenSearchService::Domain", "S", {}),
     cfn("AWS::OpenSearchService::Domain", "S", {"VPCOptions": {"SubnetIds": ["s"]}}),
     "outside any VPC"),
    ("PUR-SEC-065", tf("aws_instance.web", {"metadata_options": [{"http_tokens": "optional"}]}),
     tf("aws_instance.web", {"metadata_options": [{"http_tokens": "required"}]}),
     'http_tokens is "optional"'),
    ("PUR-SEC-065", cfn("AWS::EC2::LaunchTemplate", "T", {"LaunchTemplateData": {
        "MetadataOptions": {"HttpTokens": "optional"}}}),
     cfn("AWS::EC2::LaunchTemplate", "T", {"LaunchTemplateData": {
         "MetadataOptions": {"HttpTokens": "required"}}}), "IMDSv1"),
    ("PUR-SEC-066", tf("aws_instance.web", {"user_data": BOOT_WITH_KEY}),
     tf("aws_instance.web", {"user_data": BOOT_WITH_SSM}),
     "an AWS access key id"),
    ("PUR-SEC-066", cfn("AWS::EC2::Instance", "Web", {"UserData": "DB_PASSWORD=hunter2-prod"}),
     cfn("AWS::EC2::Instance", "Web", {"UserData": "DB_PASSWORD_PARAM=/prod/db"}),
     "DB_PASSWORD to a literal value"),
    ("PUR-SEC-067", tf("aws_lb_listener.l", {"protocol": "HTTPS", "port": 443,
                                             "ssl_policy": "ELBSecurityPolicy-2016-08"}),
     tf("aws_lb_listener.l", {"protocol": "HTTPS", "port": 443,
                              "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
     "TLS 1.0 or 1.1"),
    ("PUR-SEC-067", cfn("AWS::ElasticLoadBalancingV2::Listener", "L", {
        "Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS-1-1-2017-01"}),
     cfn("AWS::ElasticLoadBalancingV2::Listener", "L", {
         "Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
     "TLS 1.0 or 1.1"),
    ("PUR-SEC-068", tf("aws_cloudfront_distribution.cdn", {"default_cache_behavior": [
        {"viewer_protocol_policy": "allow-all"}]}),
     tf("aws_cloudfront_distribution.cdn", {"default_cache_behavior": [
         {"viewer_protocol_policy": "redirect-to-https"}]}), "allow-all"),
    ("PUR-SEC-068", cfn("AWS::CloudFront::Distribution", "Cdn", {"DistributionConfig": {
        "DefaultCacheBehavior": {"ViewerProtocolPolicy": "https-only"},
        "CacheBehaviors": [{"ViewerProtocolPolicy": "allow-all"}]}}),
     cfn("AWS::CloudFront::Distribution", "Cdn", {"DistributionConfig": {
         "DefaultCacheBehavior": {"ViewerProtocolPolicy": "https-only"},
         "CacheBehaviors": [{"ViewerProtocolPolicy": "redirect-to-https"}]}}), "allow-all"),
    # Operations.
    ("PUR-SEC-069", tf("aws_ecr_repository.r", {}),
     tf("aws_ecr_repository.r", {"image_scanning_configuration": [{"scan_on_push": True}]}),
     "not scanned"),
    ("PUR-SEC-069", cfn("AWS::ECR::Repository", "R", {}),
     cfn("AWS::ECR::Repository", "R", {"ImageScanningConfiguration": {"ScanOnPush": True}}),
     "not scanned"),
    ("PUR-SEC-070", tf("aws_ecr_repository.r", {}),
     tf("aws_ecr_repository.r", {"image_tag_mutability": "IMMUTABLE"}),
     "is not set, so the AWS default MUTABLE applies"),
    ("PUR-SEC-070", cfn("AWS::ECR::Repository", "R", {"ImageTagMutability": "MUTABLE"}),
     cfn("AWS::ECR::Repository", "R", {"ImageTagMutability": "IMMUTABLE"}), "is MUTABLE"),
    ("PUR-SEC-071", tf("aws_cloudtrail.t", {}),
     tf("aws_cloudtrail.t", {"is_multi_region_trail": True}), "other regions"),
    ("PUR-SEC-071", cfn("AWS::CloudTrail::Trail", "T", {"IsMultiRegionTrail": False}),
     cfn("AWS::CloudTrail::Trail", "T", {"IsMultiRegionTrail": True}), "other regions"),
    ("PUR-SEC-072", tf("aws_cloudtrail.t", {}),
     tf("aws_cloudtrail.t", {"enable_log_file_validation": True}), "go unnoticed"),
    ("PUR-SEC-072", cfn("AWS::CloudTrail::Trail", "T", {}),
     cfn("AWS::CloudTrail::Trail", "T", {"EnableLogFileValidation": True}), "go unnoticed"),
    ("PUR-SEC-073", tf("aws_cloudtrail.t", {}),
     tf("aws_cloudtrail.t", {"kms_key_id": "arn:aws:kms:x:1:key/k"}), "default key"),
    ("PUR-SEC-073", cfn("AWS::CloudTrail::Trail", "T", {}),
     cfn("AWS::CloudTrail::Trail", "T", {"KMSKeyId": "alias/trail"}), "default key"),
    ("PUR-SEC-074", tf("aws_vpc.main", {"cidr_block": "10.0.0.0/16"}),
     tf("aws_vpc.main", {"cidr_block": "10.0.0.0/16"}), "no flow log",
     [tf("aws_flow_log.main", {"vpc_id": Ref(address="aws_vpc.main", attribute="id"),
                               "traffic_type": "ALL"})]),
    ("PUR-SEC-074", cfn("AWS::EC2::VPC", "Vpc", {"CidrBlock": "10.0.0.0/16"}),
     cfn("AWS::EC2::VPC", "Vpc", {"CidrBlock": "10.0.0.0/16"}), "no flow log",
     [cfn("AWS::EC2::FlowLog", "Flow", {"ResourceId": Ref(address="cfn:template.yaml#Vpc"),
                                        "ResourceType": "VPC", "TrafficType": "REJECT"})]),
    ("PUR-SEC-075", tf("aws_lb.web", {"load_balancer_type": "application"}),
     tf("aws_lb.web", {"access_logs": [{"bucket": "logs", "enabled": True}]}), "not logged"),
    ("PUR-SEC-076", tf("aws_s3_bucket.data", {"bucket": "data"}, tags=PERSONAL),
     tf("aws_s3_bucket.data", {"bucket": "data", "logging": [{"target_bucket": "logs"}]},
        tags=PERSONAL),
     "personal data: object reads and writes are not logged"),
    ("PUR-SEC-076", cfn("AWS::S3::Bucket", "Data", {}, tags=CONFIDENTIAL),
     cfn("AWS::S3::Bucket", "Data", {"LoggingConfiguration": {
         "DestinationBucketName": "logs"}}, tags=CONFIDENTIAL), "not logged"),
    ("PUR-SEC-077", tf("aws_db_instance.db", {"engine": "postgres"}),
     tf("aws_db_instance.db", {"deletion_protection": True}),
     "deletion_protection is not set, so the AWS default false applies"),
    ("PUR-SEC-077", cfn("AWS::RDS::DBCluster", "Db", {"DeletionProtection": False}),
     cfn("AWS::RDS::DBCluster", "Db", {"DeletionProtection": True}), "is false"),
    ("PUR-SEC-078", tf("aws_rds_cluster.db", {"backup_retention_period": 0}),
     tf("aws_rds_cluster.db", {"backup_retention_period": 14}),
     "backup_retention_period is 0 day(s)"),
    ("PUR-SEC-078", cfn("AWS::DocDB::DBCluster", "Db", {}),
     cfn("AWS::DocDB::DBCluster", "Db", {"BackupRetentionPeriod": 7}),
     "not set, so the AWS default 1 applies day(s)"),
    # More encryption, exposure and operations.
    ("PUR-SEC-093", tf("aws_redshift_cluster.w", {"encrypted": False}),
     tf("aws_redshift_cluster.w", {"encrypted": True}), "not encrypted (encrypted is false)"),
    ("PUR-SEC-093", cfn("AWS::Redshift::Cluster", "W", {"Encrypted": "false"}),
     cfn("AWS::Redshift::Cluster", "W", {"Encrypted": True}), "encrypted is false"),
    ("PUR-SEC-094", tf("aws_ecr_repository.r", {}), tf("aws_ecr_repository.r", {
        "encryption_configuration": [{"encryption_type": "KMS"}]}), "AWS-owned key"),
    ("PUR-SEC-094", cfn("AWS::ECR::Repository", "R", {}), cfn("AWS::ECR::Repository", "R", {
        "EncryptionConfiguration": {"EncryptionType": "KMS"}}), "AWS-owned key"),
    ("PUR-SEC-095", tf("aws_secretsmanager_secret.s", {"name": "s"}),
     tf("aws_secretsmanager_secret.s", {"name": "s", "kms_key_id": "alias/secrets"}),
     "aws/secretsmanager"),
    ("PUR-SEC-095", cfn("AWS::SecretsManager::Secret", "S", {}),
     cfn("AWS::SecretsManager::Secret", "S", {"KmsKeyId": "alias/secrets"}),
     "aws/secretsmanager"),
    ("PUR-SEC-096", tf("aws_eks_cluster.c", {"name": "c"}), tf("aws_eks_cluster.c", {
        "encryption_config": [{"resources": ["secrets"], "provider": [{"key_arn": "k"}]}]}),
     "without envelope encryption"),
    ("PUR-SEC-096", cfn("AWS::EKS::Cluster", "C", {}), cfn("AWS::EKS::Cluster", "C", {
        "EncryptionConfig": [{"Resources": ["secrets"], "Provider": {"KeyArn": "k"}}]}),
     "without envelope encryption"),
    ("PUR-SEC-097", tf("aws_redshift_cluster.w", {"publicly_accessible": True}),
     tf("aws_redshift_cluster.w", {}), "public endpoint"),
    ("PUR-SEC-097", cfn("AWS::Redshift::Cluster", "W", {"PubliclyAccessible": True}),
     cfn("AWS::Redshift::Cluster", "W", {"PubliclyAccessible": False}), "public endpoint"),
    ("PUR-SEC-098", tf("aws_opensearch_domain.s", {"domain_endpoint_options": [
        {"enforce_https": True}]}),
     tf("aws_opensearch_domain.s", {"domain_endpoint_options": [{
         "enforce_https": True, "tls_security_policy": "Policy-Min-TLS-1-2-2019-07"}]}),
     "TLS 1.0"),
    ("PUR-SEC-098", cfn("AWS::OpenSearchService::Domain", "S", {"DomainEndpointOptions": {
        "EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"}}),
     cfn("AWS::OpenSearchService::Domain", "S", {"DomainEndpointOptions": {
         "EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"}}),
     "TLS 1.0"),
    ("PUR-SEC-099", tf("aws_launch_configuration.l", {"associate_public_ip_address": True}),
     tf("aws_launch_configuration.l", {"associate_public_ip_address": False}),
     "public address"),
    ("PUR-SEC-099", cfn("AWS::AutoScaling::LaunchConfiguration", "L", {
        "AssociatePublicIpAddress": "true"}),
     cfn("AWS::AutoScaling::LaunchConfiguration", "L", {}), "public address"),
    ("PUR-SEC-100", tf("aws_subnet.public", {"map_public_ip_on_launch": True}),
     tf("aws_subnet.public", {"cidr_block": "10.0.1.0/24"}), "on the internet"),
    ("PUR-SEC-100", cfn("AWS::EC2::Subnet", "Public", {"MapPublicIpOnLaunch": True}),
     cfn("AWS::EC2::Subnet", "Public", {"MapPublicIpOnLaunch": False}), "on the internet"),
    ("PUR-SEC-101", tf("aws_sagemaker_notebook_instance.n", {}),
     tf("aws_sagemaker_notebook_instance.n", {"direct_internet_access": "Disabled"}),
     "straight to the internet"),
    ("PUR-SEC-101", cfn("AWS::SageMaker::NotebookInstance", "N", {
        "DirectInternetAccess": "Enabled"}),
     cfn("AWS::SageMaker::NotebookInstance", "N", {"DirectInternetAccess": "Disabled"}),
     "straight to the internet"),
    ("PUR-SEC-102", tf("aws_db_instance.db", {"engine": "postgres"}),
     tf("aws_db_instance.db", {"engine": "postgres",
                               "iam_database_authentication_enabled": True}),
     "only passwords"),
    ("PUR-SEC-102", cfn("AWS::RDS::DBCluster", "Db", {"Engine": "aurora-postgresql"}),
     cfn("AWS::RDS::DBCluster", "Db", {"Engine": "aurora-postgresql",
                                       "EnableIAMDatabaseAuthentication": True}),
     "only passwords"),
    ("PUR-SEC-103", tf("aws_eks_cluster.c", {"enabled_cluster_log_types": ["api"]}),
     tf("aws_eks_cluster.c", {"enabled_cluster_log_types": ["api", "audit"]}), "audit logs"),
    ("PUR-SEC-103", cfn("AWS::EKS::Cluster", "C", {}), cfn("AWS::EKS::Cluster", "C", {
        "Logging": {"ClusterLogging": {"EnabledTypes": [{"Type": "api"}, {"Type": "audit"}]}}}),
     "api and audit logs"),
    ("PUR-SEC-104", tf("aws_elasticache_replication_group.r", {"engine": "redis"}),
     tf("aws_elasticache_replication_group.r", {"snapshot_retention_limit": 7}),
     "snapshot_retention_limit is not set"),
    ("PUR-SEC-104", cfn("AWS::ElastiCache::ReplicationGroup", "R", {
        "SnapshotRetentionLimit": 0}),
     cfn("AWS::ElastiCache::ReplicationGroup", "R", {"SnapshotRetentionLimit": 5}),
     "snapshot_retention_limit is 0"),
    ("PUR-SEC-105", tf("aws_api_gateway_stage.s", {"stage_name": "prod"}),
     tf("aws_api_gateway_stage.s", {"xray_tracing_enabled": True}), "not traced"),
    ("PUR-SEC-105", cfn("AWS::ApiGateway::Stage", "S", {"TracingEnabled": False}),
     cfn("AWS::ApiGateway::Stage", "S", {"TracingEnabled": True}), "not traced"),
    ("PUR-SEC-106", tf("aws_cloudtrail.t", {}), tf("aws_cloudtrail.t", {
        "cloud_watch_logs_group_arn": "arn:aws:logs:us-east-1:1:log-group:trail:*"}),
     "CloudWatch Logs"),
    ("PUR-SEC-106", cfn("AWS::CloudTrail::Trail", "T", {}), cfn("AWS::CloudTrail::Trail", "T", {
        "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:1:log-group:trail:*"}),
     "CloudWatch Logs"),
    ("PUR-SEC-107", tf("aws_sagemaker_notebook_instance.n", {"root_access": "Enabled"}),
     tf("aws_sagemaker_notebook_instance.n", {"root_access": "Disabled"}), "as root"),
    ("PUR-SEC-107", cfn("AWS::SageMaker::NotebookInstance", "N", {}),
     cfn("AWS::SageMaker::NotebookInstance", "N", {"RootAccess": "Disabled"}), "as root"),
    # Containers and messaging on AWS.
    ("PUR-SEC-109", tf("aws_ecs_task_definition.t", {"container_definitions": json.dumps([
        {"name": "app", "image": "shop/app:1", "privileged": True}])}),
     tf("aws_ecs_task_definition.t", {"container_definitions": json.dumps([
         {"name": "app", "image": "shop/app:1"}])}), "container app runs privileged"),
    ("PUR-SEC-109", cfn("AWS::ECS::TaskDefinition", "T", {"ContainerDefinitions": [
        {"Name": "app", "Image": "shop/app:1", "Privileged": True}]}),
     cfn("AWS::ECS::TaskDefinition", "T", {"ContainerDefinitions": [
         {"Name": "app", "Image": "shop/app:1", "Privileged": False}]}),
     "container app runs privileged"),
    ("PUR-SEC-110", tf("aws_ecs_task_definition.t", {"container_definitions": json.dumps([
        {"name": "app", "environment": [{"name": "DB_PASSWORD", "value": "hunter2-prod"}]}])}),
     tf("aws_ecs_task_definition.t", {"container_definitions": json.dumps([
         {"name": "app", "environment": [{"name": "DB_HOST", "value": "db.internal"}]}])}),
     "DB_PASSWORD holds a literal value"),
    ("PUR-SEC-110", cfn("AWS::ECS::TaskDefinition", "T", {"ContainerDefinitions": [
        {"Name": "app", "Environment": [{"Name": "GH", "Value": "ghp_" + "a1B2" * 9}]}]}),
     cfn("AWS::ECS::TaskDefinition", "T", {"ContainerDefinitions": [
         {"Name": "app", "Secrets": [{"Name": "GH", "ValueFrom": SECRET_POLICY}]}]}),
     "a GitHub token"),
    ("PUR-SEC-111", tf("aws_ecs_task_definition.t", {"network_mode": "host"}),
     tf("aws_ecs_task_definition.t", {"network_mode": "awsvpc"}), "network_mode host"),
    ("PUR-SEC-111", cfn("AWS::ECS::TaskDefinition", "T", {"NetworkMode": "host"}),
     cfn("AWS::ECS::TaskDefinition", "T", {"NetworkMode": "awsvpc"}), "network_mode host"),
    ("PUR-SEC-112", tf("aws_sns_topic_subscription.s", {"protocol": "http"}),
     tf("aws_sns_topic_subscription.s", {"protocol": "https"}), "over HTTP"),
    ("PUR-SEC-112", cfn("AWS::SNS::Subscription", "S", {"Protocol": "HTTP"}),
     cfn("AWS::SNS::Subscription", "S", {"Protocol": "sqs"}), "over HTTP"),
    ("PUR-SEC-113", tf("aws_msk_cluster.k", {"encryption_info": [{"encryption_in_transit": [
        {"client_broker": "TLS_PLAINTEXT"}]}]}),
     tf("aws_msk_cluster.k", {"cluster_name": "k"}), "client_broker is TLS_PLAINTEXT"),
    ("PUR-SEC-113", cfn("AWS::MSK::Cluster", "K", {"EncryptionInfo": {"EncryptionInTransit": {
        "ClientBroker": "PLAINTEXT"}}}),
     cfn("AWS::MSK::Cluster", "K", {"EncryptionInfo": {"EncryptionInTransit": {
         "ClientBroker": "TLS"}}}), "client_broker is PLAINTEXT"),
    ("PUR-SEC-114", tf("aws_athena_workgroup.w", {"name": "w"}),
     tf("aws_athena_workgroup.w", {"configuration": [{"result_configuration": [{
         "encryption_configuration": [{"encryption_option": "SSE_KMS"}]}]}]}),
     "without encryption"),
    ("PUR-SEC-114", cfn("AWS::Athena::WorkGroup", "W", {"Name": "w"}),
     cfn("AWS::Athena::WorkGroup", "W", {"WorkGroupConfiguration": {"ResultConfiguration": {
         "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"}}}}), "without encryption"),
    ("PUR-SEC-115", tf("aws_db_instance.db", {"monitoring_interval": 0}),
     tf("aws_db_instance.db", {"monitoring_interval": 60}), "monitoring_interval is 0"),
    ("PUR-SEC-115", cfn("AWS::RDS::DBInstance", "Db", {}),
     cfn("AWS::RDS::DBInstance", "Db", {"MonitoringInterval": 30}), "not collected"),
    ("PUR-SEC-116", tf("aws_db_instance.db", {"auto_minor_version_upgrade": False}),
     tf("aws_db_instance.db", {}), "auto_minor_version_upgrade is false"),
    ("PUR-SEC-116", cfn("AWS::RDS::DBInstance", "Db", {"AutoMinorVersionUpgrade": "false"}),
     cfn("AWS::RDS::DBInstance", "Db", {"AutoMinorVersionUpgrade": True}), "manual upgrade"),
    ("PUR-SEC-117", tf("aws_rds_cluster.db", {"engine": "aurora-postgresql"}),
     tf("aws_rds_cluster.db", {"enabled_cloudwatch_logs_exports": ["postgresql"]}),
     "lost with it"),
    ("PUR-SEC-117", cfn("AWS::RDS::DBInstance", "Db", {"Engine": "mysql"}),
     cfn("AWS::RDS::DBInstance", "Db", {"EnableCloudwatchLogsExports": ["error"]}),
     "lost with it"),
    ("PUR-SEC-118", tf("aws_dynamodb_table.t", {"name": "t"}),
     tf("aws_dynamodb_table.t", {"deletion_protection_enabled": True}), "deletes the table"),
    ("PUR-SEC-118", cfn("AWS::DynamoDB::Table", "T", {"DeletionProtectionEnabled": False}),
     cfn("AWS::DynamoDB::Table", "T", {"DeletionProtectionEnabled": True}), "deletes the table"),
    ("PUR-SEC-119", tf("aws_cloudfront_distribution.cdn", {}),
     tf("aws_cloudfront_distribution.cdn", {"web_acl_id": "arn:aws:wafv2:x:1:global/w"}),
     "no WAF rule"),
    ("PUR-SEC-119", cfn("AWS::CloudFront::Distribution", "Cdn", {"DistributionConfig": {}}),
     cfn("AWS::CloudFront::Distribution", "Cdn", {"DistributionConfig": {
         "WebACLId": "arn:aws:wafv2:x:1:global/w"}}), "no WAF rule"),
    ("PUR-SEC-120", tf("aws_cloudfront_distribution.cdn", {}),
     tf("aws_cloudfront_distribution.cdn", {"logging_config": [{"bucket": "logs.s3"}]}),
     "not logged"),
    ("PUR-SEC-120", cfn("AWS::CloudFront::Distribution", "Cdn", {"DistributionConfig": {}}),
     cfn("AWS::CloudFront::Distribution", "Cdn", {"DistributionConfig": {"Logging": {
         "Bucket": "logs.s3"}}}), "not logged"),
    ("PUR-SEC-121", tf("aws_lb.web", {"load_balancer_type": "application"}),
     tf("aws_lb.web", {"drop_invalid_header_fields": True}), "malformed headers"),
    ("PUR-SEC-122", tf("aws_cloudfront_distribution.cdn", {"origin": [{
        "origin_id": "api", "custom_origin_config": [{"origin_protocol_policy": "http-only"}]}]}),
     tf("aws_cloudfront_distribution.cdn", {"origin": [{
         "origin_id": "api", "custom_origin_config": [
             {"origin_protocol_policy": "https-only"}]}]}), "origin api"),
    ("PUR-SEC-122", cfn("AWS::CloudFront::Distribution", "Cdn", {"DistributionConfig": {
        "Origins": [{"Id": "api", "CustomOriginConfig": {
            "OriginProtocolPolicy": "match-viewer"}}]}}),
     cfn("AWS::CloudFront::Distribution", "Cdn", {"DistributionConfig": {
         "Origins": [{"Id": "site", "S3OriginConfig": {}}]}}), "match-viewer"),
    ("PUR-SEC-123", k8s("Service", "web", {"spec": {"externalIPs": ["203.0.113.9"]}},
                        group="core"),
     k8s("Service", "web", {"spec": {"type": "ClusterIP"}}, group="core"), "203.0.113.9"),
    ("PUR-SEC-124", tf("aws_instance.web", {"root_block_device": [{"encrypted": False}]}),
     tf("aws_instance.web", {"root_block_device": [{"encrypted": True}],
                             "ebs_block_device": [{"encrypted": True}]}),
     "root_block_device"),
    ("PUR-SEC-124", cfn("AWS::EC2::LaunchTemplate", "T", {"LaunchTemplateData": {
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": False}}]}}),
     cfn("AWS::EC2::LaunchTemplate", "T", {"LaunchTemplateData": {
         "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True}}]}}),
     "block_device_mappings"),
    ("PUR-SEC-125", tf("aws_iam_access_key.ci", {"user": "ci"}),
     tf("aws_iam_access_key.ci", {"user": "ci", "status": "Inactive"}), "user ci"),
    ("PUR-SEC-125", cfn("AWS::IAM::AccessKey", "Ci", {"UserName": "ci"}),
     cfn("AWS::IAM::AccessKey", "Ci", {"UserName": "ci", "Status": "Inactive"}), "user ci"),
    ("PUR-SEC-163", tf("terraform_provider.aws", {"access_key": "AKIA" + "Q3EGRKWOC5JT7ZPL"}),
     tf("terraform_provider.aws", {"profile": "deploy"}), "an AWS access key id"),
    ("PUR-SEC-126", tf("aws_iam_account_password_policy.p", {"minimum_password_length": 8}),
     tf("aws_iam_account_password_policy.p", {"minimum_password_length": 16}),
     "may be 8 characters"),
    ("PUR-SEC-127", tf("aws_iam_account_password_policy.p", {}),
     tf("aws_iam_account_password_policy.p", {"password_reuse_prevention": 24}),
     "password_reuse_prevention is not set"),
    ("PUR-SEC-128", tf("aws_elasticache_replication_group.r", {
        "transit_encryption_enabled": True}),
     tf("aws_elasticache_replication_group.r", {"transit_encryption_enabled": True,
                                                "auth_token": Ref(address="var.token")}),
     "no AUTH token"),
    ("PUR-SEC-128", cfn("AWS::ElastiCache::ReplicationGroup", "R", {
        "TransitEncryptionEnabled": True}),
     cfn("AWS::ElastiCache::ReplicationGroup", "R", {"TransitEncryptionEnabled": True,
                                                     "UserGroupIds": ["app"]}), "no AUTH token"),
    ("PUR-REL-003", tf("aws_db_instance.db", {"engine": "postgres"}),
     tf("aws_db_instance.db", {"multi_az": True}), "multi_az is not set"),
    ("PUR-REL-003", cfn("AWS::RDS::DBInstance", "Db", {"MultiAZ": False}),
     cfn("AWS::RDS::DBInstance", "Db", {"MultiAZ": True}), "multi_az is false"),
    # Safeguards: AWS FSBP controls one attribute decides.
    ("PUR-SEC-129", tf("aws_iam_account_password_policy.p", {}),
     tf("aws_iam_account_password_policy.p", {"require_uppercase_characters": True}),
     "no uppercase letter"),
    ("PUR-SEC-130", tf("aws_iam_account_password_policy.p", {
        "require_lowercase_characters": False}),
     tf("aws_iam_account_password_policy.p", {"require_lowercase_characters": True}),
     "require_lowercase_characters is false"),
    ("PUR-SEC-131", tf("aws_iam_account_password_policy.p", {}),
     tf("aws_iam_account_password_policy.p", {"require_symbols": True}), "no symbol"),
    ("PUR-SEC-132", tf("aws_iam_account_password_policy.p", {}),
     tf("aws_iam_account_password_policy.p", {"require_numbers": True}), "no digit"),
    ("PUR-SEC-133", tf("aws_iam_account_password_policy.p", {"max_password_age": 365}),
     tf("aws_iam_account_password_policy.p", {"max_password_age": 90}),
     "max_password_age is 365"),
    ("PUR-SEC-134", tf("aws_s3_account_public_access_block.a", {"block_public_acls": False}),
     tf("aws_s3_account_public_access_block.a", {"block_public_acls": True}),
     "block_public_acls is false"),
    ("PUR-SEC-135", tf("aws_s3_account_public_access_block.a", {}),
     tf("aws_s3_account_public_access_block.a", {"ignore_public_acls": True}),
     "ignore_public_acls is not set"),
    ("PUR-SEC-136", tf("aws_s3_account_public_access_block.a", {"block_public_policy": False}),
     tf("aws_s3_account_public_access_block.a", {"block_public_policy": True}),
     "block_public_policy is false"),
    ("PUR-SEC-137", tf("aws_s3_account_public_access_block.a", {
        "restrict_public_buckets": False}),
     tf("aws_s3_account_public_access_block.a", {"restrict_public_buckets": True}),
     "restrict_public_buckets is false"),
    ("PUR-SEC-138", tf("aws_ebs_encryption_by_default.d", {"enabled": False}),
     tf("aws_ebs_encryption_by_default.d", {"enabled": True}), "stored unencrypted"),
    ("PUR-SEC-139", tf("aws_db_instance.db", {"engine": "postgres"}),
     tf("aws_db_instance.db", {"copy_tags_to_snapshot": True}), "copy_tags_to_snapshot is not"),
    ("PUR-SEC-139", cfn("AWS::RDS::DBCluster", "C", {"CopyTagsToSnapshot": False}),
     cfn("AWS::RDS::DBCluster", "C", {"CopyTagsToSnapshot": True}),
     "copy_tags_to_snapshot is false"),
    ("PUR-SEC-140", tf("aws_redshift_cluster.r", {}),
     tf("aws_redshift_cluster.r", {"enhanced_vpc_routing": True}), "leave the VPC"),
    ("PUR-SEC-140", cfn("AWS::Redshift::Cluster", "R", {"EnhancedVpcRouting": False}),
     cfn("AWS::Redshift::Cluster", "R", {"EnhancedVpcRouting": True}),
     "enhanced_vpc_routing is false"),
    ("PUR-SEC-141", tf("aws_redshift_cluster.r", {"allow_version_upgrade": False}),
     tf("aws_redshift_cluster.r", {}), "allow_version_upgrade is false"),
    ("PUR-SEC-141", cfn("AWS::Redshift::Cluster", "R", {"AllowVersionUpgrade": "false"}),
     cfn("AWS::Redshift::Cluster", "R", {"AllowVersionUpgrade": True}),
     "allow_version_upgrade is false"),
    ("PUR-SEC-142", tf("aws_redshift_cluster.r", {}),
     tf("aws_redshift_cluster.r", {"automated_snapshot_retention_period": 7}),
     "the AWS default 1 applies"),
    ("PUR-SEC-142", cfn("AWS::Redshift::Cluster", "R", {"AutomatedSnapshotRetentionPeriod": 3}),
     cfn("AWS::Redshift::Cluster", "R", {"AutomatedSnapshotRetentionPeriod": 35}),
     "kept 3 days"),
    ("PUR-SEC-143", tf("aws_elasticache_cluster.c", {"auto_minor_version_upgrade": False}),
     tf("aws_elasticache_cluster.c", {}), "auto_minor_version_upgrade is false"),
    ("PUR-SEC-143", cfn("AWS::ElastiCache::ReplicationGroup", "R", {
        "AutoMinorVersionUpgrade": False}),
     cfn("AWS::ElastiCache::ReplicationGroup", "R", {"AutoMinorVersionUpgrade": True}),
     "auto_minor_version_upgrade is false"),
    ("PUR-SEC-144", tf("aws_elasticache_cluster.c", {"engine": "redis"}),
     tf("aws_elasticache_cluster.c", {"engine": "memcached"}), "a lost node loses its data"),
    ("PUR-SEC-144", cfn("AWS::ElastiCache::CacheCluster", "C", {
        "Engine": "redis", "SnapshotRetentionLimit": 0}),
     cfn("AWS::ElastiCache::CacheCluster", "C", {"Engine": "redis",
                                                 "SnapshotRetentionLimit": 5}),
     "snapshot_retention_limit is 0"),
    ("PUR-SEC-145", tf("aws_msk_cluster.k", {"encryption_info": [{
        "encryption_in_transit": [{"in_cluster": False}]}]}),
     tf("aws_msk_cluster.k", {}), "in_cluster is false"),
    ("PUR-SEC-145", cfn("AWS::MSK::Cluster", "K", {"EncryptionInfo": {
        "EncryptionInTransit": {"InCluster": False}}}),
     cfn("AWS::MSK::Cluster", "K", {"EncryptionInfo": {
         "EncryptionInTransit": {"InCluster": True}}}), "in_cluster is false"),
    ("PUR-SEC-146", tf("aws_sfn_state_machine.s", {}),
     tf("aws_sfn_state_machine.s", {"logging_configuration": [{"level": "ERROR"}]}),
     "the AWS default OFF applies"),
    ("PUR-SEC-146", cfn("AWS::StepFunctions::StateMachine", "S", {
        "LoggingConfiguration": {"Level": "OFF"}}),
     cfn("AWS::StepFunctions::StateMachine", "S", {"LoggingConfiguration": {"Level": "ALL"}}),
     "logging level is OFF"),
    ("PUR-SEC-147", tf("aws_sfn_state_machine.s", {}),
     tf("aws_sfn_state_machine.s", {"tracing_configuration": [{"enabled": True}]}),
     "not traced"),
    ("PUR-SEC-147", cfn("AWS::Serverless::StateMachine", "S", {"Tracing": {"Enabled": False}}),
     cfn("AWS::Serverless::StateMachine", "S", {"Tracing": {"Enabled": True}}),
     "tracing is false"),
    ("PUR-SEC-148", tf("aws_cloudwatch_metric_alarm.a", {"actions_enabled": False}),
     tf("aws_cloudwatch_metric_alarm.a", {}), "notifies no one"),
    ("PUR-SEC-148", cfn("AWS::CloudWatch::Alarm", "A", {"ActionsEnabled": "false"}),
     cfn("AWS::CloudWatch::Alarm", "A", {"ActionsEnabled": True}), "notifies no one"),
    ("PUR-SEC-149", tf("aws_cloudtrail.t", {"include_global_service_events": False}),
     tf("aws_cloudtrail.t", {}), "IAM and STS calls"),
    ("PUR-SEC-149", cfn("AWS::CloudTrail::Trail", "T", {"IncludeGlobalServiceEvents": False}),
     cfn("AWS::CloudTrail::Trail", "T", {"IncludeGlobalServiceEvents": True}),
     "IAM and STS calls"),
    ("PUR-SEC-150", tf("aws_ecs_service.s", {"network_configuration": [{
        "assign_public_ip": True}]}),
     tf("aws_ecs_service.s", {"network_configuration": [{"assign_public_ip": False}]}),
     "assign_public_ip is true"),
    ("PUR-SEC-150", cfn("AWS::ECS::Service", "S", {"NetworkConfiguration": {
        "AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}}}),
     cfn("AWS::ECS::Service", "S", {"NetworkConfiguration": {
         "AwsvpcConfiguration": {"AssignPublicIp": "DISABLED"}}}), "assign_public_ip is"),
    ("PUR-SEC-151", tf("aws_eks_node_group.n", {"remote_access": [{"ec2_ssh_key": "ops"}]}),
     tf("aws_eks_node_group.n", {"remote_access": [{
         "ec2_ssh_key": "ops", "source_security_group_ids": ["sg-1"]}]}), "port 22"),
    ("PUR-SEC-151", cfn("AWS::EKS::Nodegroup", "N", {"RemoteAccess": {"Ec2SshKey": "ops"}}),
     cfn("AWS::EKS::Nodegroup", "N", {"RemoteAccess": {
         "Ec2SshKey": "ops", "SourceSecurityGroups": ["sg-1"]}}), "port 22"),
    ("PUR-SEC-152", tf("aws_secretsmanager_secret_rotation.r", {"rotation_rules": [{
        "automatically_after_days": 365}]}),
     tf("aws_secretsmanager_secret_rotation.r", {"rotation_rules": [{
         "schedule_expression": "rate(30 days)"}]}), "every 365 days"),
    ("PUR-SEC-152", cfn("AWS::SecretsManager::RotationSchedule", "R", {"RotationRules": {
        "AutomaticallyAfterDays": 180}}),
     cfn("AWS::SecretsManager::RotationSchedule", "R", {"RotationRules": {
         "AutomaticallyAfterDays": 30}}), "every 180 days"),
    ("PUR-SEC-153", tf("aws_sagemaker_notebook_instance.n", {}),
     tf("aws_sagemaker_notebook_instance.n", {"subnet_id": "subnet-1"}),
     "security groups do not govern"),
    ("PUR-SEC-153", cfn("AWS::SageMaker::NotebookInstance", "N", {}),
     cfn("AWS::SageMaker::NotebookInstance", "N", {"SubnetId": "subnet-1"}),
     "security groups do not govern"),
    ("PUR-SEC-154", tf("aws_opensearch_domain.d", {}),
     tf("aws_opensearch_domain.d", {"advanced_security_options": [{"enabled": True}]}),
     "fine-grained access control is not set"),
    ("PUR-SEC-154", cfn("AWS::Elasticsearch::Domain", "D", {
        "AdvancedSecurityOptions": {"Enabled": False}}),
     cfn("AWS::OpenSearchService::Domain", "D", {"AdvancedSecurityOptions": {"Enabled": True}}),
     "fine-grained access control is false"),
    ("PUR-SEC-155", tf("aws_lb.web", {}), tf("aws_lb.web", {"enable_deletion_protection": True}),
     "deletes the load balancer"),
    ("PUR-SEC-156", tf("aws_lb.web", {"desync_mitigation_mode": "monitor"}),
     tf("aws_lb.web", {}), "desync_mitigation_mode is monitor"),
    ("PUR-SEC-157", tf("aws_instance.web", {"associate_public_ip_address": True}),
     tf("aws_instance.web", {"associate_public_ip_address": False}), "addressable"),
    ("PUR-SEC-158", tf("aws_neptune_cluster.g", {"enabled_cloudwatch_logs_exports": [
        "slowquery"]}),
     tf("aws_neptune_cluster.g", {"enabled_cloudwatch_logs_exports": ["audit", "slowquery"]}),
     "log exports: slowquery"),
    ("PUR-SEC-158", cfn("AWS::Neptune::DBCluster", "G", {}),
     cfn("AWS::Neptune::DBCluster", "G", {"EnableCloudwatchLogsExports": ["audit"]}),
     "log exports: not set"),
    ("PUR-SEC-159", tf("aws_docdb_cluster.d", {}),
     tf("aws_docdb_cluster.d", {"enabled_cloudwatch_logs_exports": ["audit", "profiler"]}),
     "logins and schema changes"),
    ("PUR-SEC-159", cfn("AWS::DocDB::DBCluster", "D", {
        "EnableCloudwatchLogsExports": ["profiler"]}),
     cfn("AWS::DocDB::DBCluster", "D", {"EnableCloudwatchLogsExports": ["Audit"]}),
     "log exports: profiler"),
    ("PUR-SEC-160", tf("aws_neptune_cluster.g", {}),
     tf("aws_neptune_cluster.g", {"copy_tags_to_snapshot": True}), "snapshots lose"),
    ("PUR-SEC-160", cfn("AWS::Neptune::DBCluster", "G", {"CopyTagsToSnapshot": "false"}),
     cfn("AWS::Neptune::DBCluster", "G", {"CopyTagsToSnapshot": "true"}),
     "copy_tags_to_snapshot is false"),
    ("PUR-REL-004", tf("aws_kinesis_stream.s", {}),
     tf("aws_kinesis_stream.s", {"retention_period": 168}),
     "24 hours, the AWS default"),
    ("PUR-REL-004", cfn("AWS::Kinesis::Stream", "S", {"RetentionPeriodHours": 48}),
     cfn("AWS::Kinesis::Stream", "S", {"RetentionPeriodHours": 720}), "kept 48 hours"),
    ("PUR-SEC-161", tf("aws_ecs_cluster.c", {"setting": [{
        "name": "containerInsights", "value": "disabled"}]}),
     tf("aws_ecs_cluster.c", {"setting": [{"name": "containerInsights", "value": "enabled"}]}),
     "containerInsights is disabled"),
    ("PUR-SEC-161", cfn("AWS::ECS::Cluster", "C", {}),
     cfn("AWS::ECS::Cluster", "C", {"ClusterSettings": [
         {"Name": "containerInsights", "Value": "enhanced"}]}), "account's containerInsights"),
    ("PUR-REL-005", tf("aws_opensearch_domain.d", {"cluster_config": [{
        "instance_count": 2}]}),
     tf("aws_opensearch_domain.d", {"cluster_config": [{
         "instance_count": 2, "zone_awareness_enabled": True}]}), "one Availability Zone"),
    ("PUR-REL-005", cfn("AWS::Elasticsearch::Domain", "D", {"ElasticsearchClusterConfig": {
        "ZoneAwarenessEnabled": False}}),
     cfn("AWS::OpenSearchService::Domain", "D", {"ClusterConfig": {
         "ZoneAwarenessEnabled": True}}), "zone_awareness_enabled is false"),
    ("PUR-REL-006", tf("aws_elasticache_replication_group.r", {}),
     tf("aws_elasticache_replication_group.r", {"automatic_failover_enabled": True}),
     "promotes a replica"),
    ("PUR-REL-006", cfn("AWS::ElastiCache::ReplicationGroup", "R", {
        "AutomaticFailoverEnabled": False}),
     cfn("AWS::ElastiCache::ReplicationGroup", "R", {"AutomaticFailoverEnabled": True}),
     "automatic_failover_enabled is false"),
    ("PUR-SEC-162", tf("aws_athena_workgroup.w", {"configuration": [{
        "enforce_workgroup_configuration": False}]}),
     tf("aws_athena_workgroup.w", {"configuration": [{}]}),
     "enforce_workgroup_configuration is false"),
    ("PUR-SEC-162", cfn("AWS::Athena::WorkGroup", "W", {"WorkGroupConfiguration": {
        "EnforceWorkGroupConfiguration": "false"}}),
     cfn("AWS::Athena::WorkGroup", "W", {"WorkGroupConfiguration": {
         "EnforceWorkGroupConfiguration": True}}), "unencrypted or elsewhere"),
    # Kubernetes Pod Security Standards.
    ("PUR-SEC-079", deployment({"securityContext": {"capabilities": {"add": ["SYS_PTRACE"]}}}),
     deployment({"securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"]}}}),
     "adds SYS_PTRACE"),
    ("PUR-SEC-080", deployment({"securityContext": {"capabilities": {"drop": ["MKNOD"]}}}),
     deployment({"securityContext": {"capabilities": {"drop": ["ALL"]}}}), "NET_RAW"),
    ("PUR-SEC-081", deployment({"ports": [{"containerPort": 80, "hostPort": 80}]}),
     deployment({"ports": [{"containerPort": 80}]}), "host port(s) 80"),
    ("PUR-SEC-082", deployment(), deployment(securityContext={
        "seccompProfile": {"type": "RuntimeDefault"}}), "no seccomp profile"),
    ("PUR-SEC-083", deployment({"securityContext": {"appArmorProfile": {"type": "Unconfined"}}}),
     deployment({"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}}),
     "AppArmor unconfined"),
    ("PUR-SEC-084", deployment({"securityContext": {"procMount": "Unmasked"}}),
     deployment({"securityContext": {"procMount": "Default"}}), "procMount: Unmasked"),
    ("PUR-SEC-085", deployment(securityContext={"sysctls": [
        {"name": "kernel.msgmax", "value": "65536"}]}),
     deployment(securityContext={"sysctls": [{"name": "net.ipv4.tcp_syncookies",
                                              "value": "1"}]}), "sysctl kernel.msgmax"),
    # RBAC.
    ("PUR-SEC-086", role({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                         cluster=True),
     role({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}, cluster=True),
     'grants "*" verbs and resources'),
    ("PUR-SEC-087", role({"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]},
                         cluster=True),
     role({"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]}, cluster=True),
     "list Secrets in every namespace"),
    ("PUR-SEC-088", role({"apiGroups": [""], "resources": ["users"], "verbs": ["impersonate"]}),
     role({"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}), "impersonate"),
    ("PUR-SEC-089", k8s("ClusterRoleBinding", "b", {
        "roleRef": {"kind": "ClusterRole", "name": "view"},
        "subjects": [{"kind": "Group", "name": "system:unauthenticated"}]},
        group="rbac.authorization.k8s.io"),
     k8s("ClusterRoleBinding", "b", {"roleRef": {"kind": "ClusterRole", "name": "view"},
                                     "subjects": [{"kind": "Group", "name": "sre"}]},
         group="rbac.authorization.k8s.io"), "view to system:unauthenticated"),
    ("PUR-SEC-092", k8s("ClusterRoleBinding", "superadmin", {
        "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "ServiceAccount", "name": "superadmin",
                      "namespace": "kube-system"}]}, group="rbac.authorization.k8s.io"),
     k8s("ClusterRoleBinding", "superadmin", {
         "roleRef": {"kind": "ClusterRole", "name": "view"},
         "subjects": [{"kind": "ServiceAccount", "name": "superadmin",
                       "namespace": "kube-system"}]}, group="rbac.authorization.k8s.io"),
     "cluster-admin to ServiceAccount superadmin"),
    # Network exposure.
    ("PUR-SEC-090", k8s("Service", "web", {"spec": {"type": "NodePort"}}, group="core"),
     k8s("Service", "web", {"spec": {"type": "ClusterIP"}}, group="core"), "NodePort"),
    ("PUR-SEC-091", k8s("Namespace", "shop", {}, group="core", namespace=""),
     k8s("Namespace", "shop", {}, group="core", namespace=""), "namespace shop",
     [k8s("NetworkPolicy", "deny", {"spec": {"podSelector": {}, "policyTypes": ["Ingress"]}},
          group="networking.k8s.io")]),
    # Reliability of replicated workloads.
    ("PUR-REL-001", deployment(replicas=3),
     deployment({"readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
                 "livenessProbe": {"httpGet": {"path": "/live", "port": 8080}}}, replicas=3),
     "no readinessProbe or livenessProbe"),
    ("PUR-REL-002", deployment(replicas=3), deployment(replicas=3), "no PodDisruptionBudget",
     [k8s("PodDisruptionBudget", "web", {"spec": {"minAvailable": 2, "selector": {
         "matchLabels": {"app": "web"}}}}, group="policy")]),
    # Gaps the Checkov comparison on terragoat and sadcloud found (benchmarks/accuracy.py).
    ("PUR-SEC-075", tf("aws_elb.web", {"listener": [{"lb_port": 443, "lb_protocol": "https"}]}),
     tf("aws_elb.web", {"access_logs": [{"bucket": "logs"}]}), "not logged"),
    ("PUR-SEC-075", cfn("AWS::ElasticLoadBalancing::LoadBalancer", "Web", {
        "AccessLoggingPolicy": {"Enabled": False, "S3BucketName": "logs"}}),
     cfn("AWS::ElasticLoadBalancing::LoadBalancer", "Web", {
         "AccessLoggingPolicy": {"Enabled": True, "S3BucketName": "logs"}}), "not logged"),
    ("PUR-SEC-164", tf("aws_elasticsearch_domain.s", {"log_publishing_options": [{
        "cloudwatch_log_group_arn": "arn:aws:logs:us-east-1:1:log-group:es",
        "log_type": "INDEX_SLOW_LOGS", "enabled": False}]}),
     tf("aws_elasticsearch_domain.s", {"log_publishing_options": [{
         "cloudwatch_log_group_arn": "arn:aws:logs:us-east-1:1:log-group:es",
         "log_type": "ES_APPLICATION_LOGS"}]}), "no error, slow or audit log"),
    ("PUR-SEC-164", cfn("AWS::OpenSearchService::Domain", "S", {}),
     cfn("AWS::OpenSearchService::Domain", "S", {"LogPublishingOptions": {
         "AUDIT_LOGS": {"CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:1:log-group:es",
                        "Enabled": True}}}), "no error, slow or audit log"),
    ("PUR-SEC-165", tf("aws_elb.web", {"listener": [
        {"lb_port": 80, "lb_protocol": "http", "instance_port": 8000,
         "instance_protocol": "http"}]}),
     tf("aws_elb.web", {"listener": [
         {"lb_port": 443, "lb_protocol": "https", "instance_port": 8000,
          "instance_protocol": "http", "ssl_certificate_id": "arn:aws:acm:us-east-1:1:c"}]}),
     "listener on port 80 takes requests over HTTP"),
    ("PUR-SEC-165", cfn("AWS::ElasticLoadBalancing::LoadBalancer", "Web", {"Listeners": [
        {"LoadBalancerPort": "80", "InstancePort": "80", "Protocol": "HTTP"}]}),
     cfn("AWS::ElasticLoadBalancing::LoadBalancer", "Web", {"Listeners": [
         {"LoadBalancerPort": "443", "InstancePort": "80", "Protocol": "HTTPS",
          "SSLCertificateId": "arn:aws:acm:us-east-1:1:c"}]}), "port 80"),
    ("PUR-SEC-166", tf("aws_redshift_parameter_group.p", {"family": "redshift-1.0", "parameter": [
        {"name": "require_ssl", "value": False},
        {"name": "enable_user_activity_logging", "value": "true"}]}),
     tf("aws_redshift_parameter_group.p", {"family": "redshift-1.0", "parameter": [
         {"name": "require_ssl", "value": "true"}]}), "require_ssl is false"),
    ("PUR-SEC-166", cfn("AWS::Redshift::ClusterParameterGroup", "P", {
        "ParameterGroupFamily": "redshift-1.0"}),
     cfn("AWS::Redshift::ClusterParameterGroup", "P", {
         "ParameterGroupFamily": "redshift-1.0",
         "Parameters": [{"ParameterName": "require_ssl", "ParameterValue": "true"}]}),
     "accept unencrypted connections"),
    ("PUR-SEC-167", tf("aws_redshift_cluster.w", {"cluster_identifier": "w"}),
     tf("aws_redshift_cluster.w", {"cluster_identifier": "w"}), "no audit record",
     [tf("aws_redshift_logging.w", {"cluster_identifier": "w", "log_destination_type": "s3",
                                    "bucket_name": "audit"})]),
    ("PUR-SEC-167", cfn("AWS::Redshift::Cluster", "W", {"NodeType": "ra3.xlplus"}),
     cfn("AWS::Redshift::Cluster", "W", {"NodeType": "ra3.xlplus", "LoggingProperties": {
         "BucketName": "audit"}}), "no audit record"),
    ("PUR-SEC-168", tf("aws_db_instance.db", {"engine": "mysql", "engine_version": "8.0"}),
     tf("aws_db_instance.db", {"engine": "mysql", "engine_version": "8.0",
                               "parameter_group_name": Ref(address="aws_db_parameter_group.tls",
                                                           attribute="name")}),
     "the default parameter group of mysql8.0 leaves unencrypted connections allowed",
     [tf("aws_db_parameter_group.tls", {"family": "mysql8.0", "parameter": [
         {"name": "require_secure_transport", "value": "1"}]})]),
    ("PUR-SEC-168", cfn("AWS::RDS::DBInstance", "Db", {
        "Engine": "postgres", "EngineVersion": "14.9"}),
     cfn("AWS::RDS::DBInstance", "Db", {"Engine": "postgres", "EngineVersion": "14.9",
                                        "DBParameterGroupName": "forced"}),
     "the default parameter group of postgres14.9",
     [cfn("AWS::RDS::DBParameterGroup", "Forced", {
         "DBParameterGroupName": "forced", "Family": "postgres14",
         "Parameters": {"rds.force_ssl": "1"}})]),
]


def test_every_rule_of_the_breadth_modules_has_a_bad_and_a_good_case():
    declared = {i for i, cls in rules.items()
                if cls.__module__.rsplit(".", 1)[-1] in BREADTH_MODULES}
    assert declared and {case[0] for case in CASES} == declared


@pytest.mark.parametrize("case", CASES, ids=[f"{case[0]}-{case[1].type}" for case in CASES])
def test_rule_flags_the_bad_resource_and_passes_the_good_one(case: tuple[Any, ...]):
    """(rule id, bad, good, phrase of the finding[, what makes the good one good])."""
    rule_id, bad, good, phrase = case[:4]
    companions = case[4] if len(case) > 4 else []
    assert bad.type in rules.get(rule_id).resource_types
    found = messages(rule_id, bad)
    assert len(found) == 1 and phrase in found[0], found
    assert check(rule_id, good, *companions) == []


# ---------------------------------------------------------------- IAM: caught

def test_a_wildcard_account_principal_arn_condition_restricts_nothing():
    queue = tf("aws_sqs_queue.q", {"policy": policy(anyone("sqs:*", Condition={
        "StringLike": {"aws:PrincipalArn": "arn:aws:iam::*"}}))})
    [violation] = check("PUR-SEC-046", queue)
    assert "does not narrow the caller" in violation.message
    if_exists = tf("aws_sqs_queue.q", {"policy": policy(anyone("sqs:*", Condition={
        "ArnEqualsIfExists": {"aws:SourceArn": "arn:aws:sns:us-east-1:1:t"}}))})
    assert len(check("PUR-SEC-046", if_exists)) == 1


def test_the_inline_policy_of_a_bucket_is_read_like_a_bucket_policy():
    bucket = tf("aws_s3_bucket.b", {"bucket": "b", "policy": policy(anyone("s3:GetObject"))})
    assert len(check("PUR-SEC-013", bucket)) == 1
    vpce = tf("aws_s3_bucket.b", {"bucket": "b", "policy": policy(anyone(
        "s3:GetObject", Condition={"StringEquals": {"aws:SourceVpce": "vpce-1a2b"}}))})
    assert check("PUR-SEC-013", vpce) == []


def test_a_lambda_permission_for_a_service_without_a_source_is_a_confused_deputy():
    loose = tf("aws_lambda_permission.p", {"principal": "s3.amazonaws.com",
                                           "action": "lambda:InvokeFunction"})
    [violation] = check("PUR-SEC-011", loose)
    assert violation.severity is Severity.medium and "any account" in violation.message
    scoped = tf("aws_lambda_permission.p", {"principal": "s3.amazonaws.com",
                                            "action": "lambda:InvokeFunction",
                                            "source_account": "111122223333"})
    assert check("PUR-SEC-011", scoped) == []
    public = cfn("AWS::Lambda::Permission", "P", {"Principal": "*",
                                                  "Action": "lambda:InvokeFunction"})
    assert check("PUR-SEC-011", public)[0].severity is None  # the rule's high


def test_an_unknown_source_arn_is_neither_a_finding_nor_a_pass_of_the_principal():
    unknown = tf("aws_lambda_permission.p", {"principal": "*"}, unknown=["source_arn"])
    assert check("PUR-SEC-011", unknown) == []


def test_a_role_with_an_inline_admin_policy_and_an_admin_attachment_reports_both():
    role = tf("aws_iam_role.r", {
        "managed_policy_arns": ["arn:aws:iam::aws:policy/AdministratorAccess"],
        "inline_policy": [{"name": "all", "policy": policy(allow("*"))}]})
    assert len(check("PUR-SEC-047", role)) == 1
    assert len(check("PUR-SEC-001", role)) == 1


def test_a_permission_set_inline_policy_is_a_permission_policy():
    inline = tf("aws_ssoadmin_permission_set_inline_policy.p",
                {"inline_policy": policy(allow("*"))})
    assert len(check("PUR-SEC-001", inline)) == 1


# ---------------------------------------------------------------- S3 ACLs: caught

def test_authenticated_read_is_public_to_every_aws_account():
    [violation] = check("PUR-SEC-012", cfn("AWS::S3::Bucket", "B", {
        "AccessControl": "AuthenticatedRead"}))
    assert "any AWS account" in violation.message


def test_grants_to_all_users_in_an_access_control_policy_are_public():
    acl = tf("aws_s3_bucket_acl.a", {"bucket": "b", "access_control_policy": [{"grant": [
        {"permission": "READ", "grantee": [{
            "type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}]},
        {"permission": "FULL_CONTROL", "grantee": [{"type": "CanonicalUser", "id": "abc"}]}]}]})
    assert messages("PUR-SEC-012", acl) == [
        "bucket ACL grants READ to AllUsers: anyone on the internet"]
    legacy = tf("aws_s3_bucket.b", {"bucket": "b", "grant": [{
        "type": "Group", "permissions": ["READ"],
        "uri": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"}]})
    assert len(check("PUR-SEC-012", legacy)) == 1


def test_a_public_acl_resource_is_reported_on_itself_and_on_the_bucket_it_opens():
    bucket = tf("aws_s3_bucket.site", {"bucket": "site"})
    acl = tf("aws_s3_bucket_acl.site", {"bucket": "site", "acl": "public-read"},
             depends_on=["aws_s3_bucket.site"])
    assert len(check("PUR-SEC-012", acl, bucket)) == 1
    [on_bucket] = check("PUR-SEC-012", bucket, acl)
    assert on_bucket.evidence["set_by"] == "aws_s3_bucket_acl.site"
    assert "its ACL aws_s3_bucket_acl.site" in on_bucket.message


# ---------------------------------------------------------------- IAM: no false alarm

def test_a_statement_scoped_by_a_request_tag_condition_is_not_unrestricted():
    tagged = tf("aws_iam_policy.p", {"policy": policy(allow(
        ["ec2:TerminateInstances", "ec2:CreateTags"],
        Condition={"StringEquals": {"aws:ResourceTag/team": "shop"}}))})
    assert serious(tagged) == []


def test_actions_without_resource_level_permissions_are_not_a_resource_star_problem():
    tracing = tf("aws_iam_role_policy.p", {"policy": policy(
        allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]),
        allow(["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
               "ec2:DeleteNetworkInterface"]),
        allow("logs:DescribeLogGroups"), allow("cloudwatch:PutMetricData"))})
    assert serious(tracing) == []
    assert serious(tf("aws_iam_role_policy.p", {"policy": policy(allow("xray:*"))})) == []


def test_log_writes_on_every_log_group_are_low_and_log_delivery_is_not_reported():
    # aws-samples/serverless-patterns: 29 roles written like AWSLambdaBasicExecutionRole,
    # and 20 granting the vended log delivery actions AWS documents on Resource "*".
    basic = tf("aws_iam_role_policy.p", {"policy": policy(allow(
        ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]))})
    [finding] = check("PUR-SEC-003", basic)
    assert finding.severity is Severity.low and "log writes only" in finding.message
    delivery = tf("aws_iam_role_policy.p", {"policy": policy(allow(
        ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
         "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
         "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"]))})
    assert check("PUR-SEC-003", delivery) == []
    mixed = tf("aws_iam_role_policy.p", {"policy": policy(allow(
        ["logs:PutLogEvents", "s3:PutObject"]))})
    assert [v.severity for v in check("PUR-SEC-003", mixed)] == [None]  # the rule's high


def test_one_statement_yields_one_finding_not_both_wildcard_rules():
    wide = tf("aws_iam_policy.p", {"policy": policy(allow("dynamodb:*"))})
    found = [rule_id for rule_id in ("PUR-SEC-002", "PUR-SEC-003") if check(rule_id, wide)]
    assert found == ["PUR-SEC-003"]


def test_a_pass_role_limited_to_one_service_is_not_a_wildcard_pass_role():
    scoped = tf("aws_iam_policy.p", {"policy": policy(allow("iam:PassRole", Condition={
        "StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}))})
    assert serious(scoped) == []


def test_an_account_root_principal_and_a_service_principal_are_not_anyone():
    key = tf("aws_kms_key.k", {"policy": policy(
        allow("kms:*", Principal={"AWS": "arn:aws:iam::111122223333:root"}),
        allow(["kms:Encrypt", "kms:GenerateDataKey*"],
              Principal={"Service": "logs.us-east-1.amazonaws.com"}))})
    assert serious(key) == []


# ---------------------------------------------------------------- secrets: judged by value

def lambda_env(**variables: str) -> Resource:
    return tf("aws_lambda_function.f", {"environment": [{"variables": variables}]})


@pytest.mark.parametrize(("name", "value"), [
    ("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773"),
    ("GOOGLE_API_KEY", "GOOGLE_API_KEY_VAL"),
    ("DB_PASSWORD", "${DB_PASSWORD}"),
    ("DB_PASSWORD", "{{resolve:secretsmanager:prod/db:SecretString:password}}"),
    ("API_TOKEN", "changeme"),
    ("API_TOKEN", "<paste the token here>"),
    ("DB_SECRET", "arn:aws:secretsmanager:us-east-1:111122223333:secret:db"),
    ("DB_SECRET", "/aws/reference/secretsmanager/prod/db"),
    ("TOKEN_TTL", "3600"),
    ("BUILD_SHA", "3f786850e387550fdab836ed7e6dc881de23001b"),
    # aws-samples/serverless-test-samples: values for a local emulator, and AWS's own
    # documentation key, which has the format of a real one.
    ("AWS_SECRET_ACCESS_KEY", "DUMMYEXAMPLEKEY"),
    ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("ACCESS_KEY", "mock_access_key"),
])
def test_placeholders_references_and_settings_are_not_secrets(name: str, value: str):
    assert check("PUR-SEC-008", lambda_env(**{name: value})) == []


@pytest.mark.parametrize(("name", "value", "why"), [
    ("SETTINGS", "AKIA" + "Q3EGRKWOC5JT7ZPL", "an AWS access key id"),
    ("GH", "ghp_" + "Zk3J9qLmP0xV7wR2tY5uB8nC1dE4fG6hI0jK", "a GitHub token"),
    ("SLACK_HOOK_AUTH", "xoxb-" + "2194638502-8164850293-Zk3J9qLmP0xV", "a Slack token"),
    ("BILLING", "sk_live_" + "Zk3J9qLmP0xV7wR2tY5uB8nC", "a Stripe secret key"),
    ("TLS", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "a private key"),
    ("SESSION", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU", "a JSON web"),
    ("DB_PASSWORD", "hunter2-prod", "a literal value"),
])
def test_credential_formats_and_named_literals_are_critical_secrets(name: str, value: str,
                                                                     why: str):
    [violation] = check("PUR-SEC-008", lambda_env(**{name: value}))
    assert why in violation.message and violation.severity is Severity.critical
    assert value not in str(violation.evidence)


def test_an_unnamed_random_value_is_worth_a_look_but_not_a_block():
    [violation] = check("PUR-SEC-008", lambda_env(CONFIG="Zk3J9qLmP0xV7wR2tY5uB8nC1dE4fG6hI0jK"))
    assert violation.severity is Severity.medium


# ---------------------------------------------------------------- Lambda: no false alarm

def permission(principal: str, function: str = "aws_lambda_function.f") -> Resource:
    return tf(f"aws_lambda_permission.{principal.split('.')[0]}", {
        "principal": principal, "action": "lambda:InvokeFunction",
        "source_arn": "arn:aws:execute-api:us-east-1:1:abc/*",
        "function_name": Ref(address=function, attribute="function_name")})


def test_no_dead_letter_queue_matters_only_for_asynchronously_invoked_functions():
    function = tf("aws_lambda_function.f", {"function_name": "f", "runtime": "python3.12"})
    assert check("PUR-SEC-017", function, permission("apigateway.amazonaws.com")) == []
    assert check("PUR-SEC-017", function,
                 permission("elasticloadbalancing.amazonaws.com")) == []
    assert len(check("PUR-SEC-017", function, permission("s3.amazonaws.com"))) == 1
    assert len(check("PUR-SEC-017", function, permission("events.amazonaws.com"))) == 1
    api = cfn("AWS::Serverless::Function", "Fn", {"Events": {"Get": {"Type": "Api"}}})
    assert check("PUR-SEC-017", api) == []


def test_an_event_invoke_config_on_a_counted_function_is_seen(tmp_path):
    (tmp_path / "main.tf").write_text('''
resource "aws_lambda_function" "this" {
  count         = 1
  function_name = "f"
  runtime       = "python3.12"
  handler       = "h"
  filename      = "f.zip"
  role          = "arn:aws:iam::111122223333:role/f"
}
resource "aws_lambda_permission" "s3" {
  function_name = aws_lambda_function.this[0].arn
  principal     = "s3.amazonaws.com"
  action        = "lambda:InvokeFunction"
  source_arn    = "arn:aws:s3:::uploads"
}
resource "aws_lambda_function_event_invoke_config" "this" {
  count         = 1
  function_name = aws_lambda_function.this[0].function_name
  destination_config {
    on_failure { destination = "arn:aws:sqs:us-east-1:111122223333:dlq" }
  }
}
''')
    resources = load_repository(tmp_path, Config()).resources
    [function] = [r for r in resources if r.type == "aws_lambda_function"]
    assert check("PUR-SEC-017", function, *[r for r in resources if r is not function]) == []


def test_lambda_at_edge_is_not_told_to_move_to_arm64():
    role = tf("aws_iam_role.edge", {"assume_role_policy": policy({
        "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {
            "Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}})})
    edge = tf("aws_lambda_function.edge", {"runtime": "nodejs20.x", "function_name": "edge",
                                           "role": Ref(address="aws_iam_role.edge",
                                                       attribute="arn")})
    assert check("PUR-FIN-006", edge, role) == []
    regional = tf("aws_lambda_function.api", {"runtime": "nodejs20.x"})
    assert len(check("PUR-FIN-006", regional)) == 1
    distribution = tf("aws_cloudfront_distribution.cdn", {},
                      depends_on=["aws_lambda_function.api"])
    assert check("PUR-FIN-006", regional, distribution) == []


# ---------------------------------------------------------------- API, Aurora, images

def test_a_method_that_requires_an_api_key_is_not_open_to_anyone():
    keyed = cfn("AWS::ApiGateway::Method", "Get", {"HttpMethod": "GET",
                                                   "AuthorizationType": "NONE",
                                                   "ApiKeyRequired": True})
    [violation] = check("PUR-SEC-032", keyed)
    assert violation.severity is Severity.low and "API key" in violation.message
    assert serious(keyed) == []


def test_aurora_instances_inherit_their_clusters_encryption():
    instance = cfn("AWS::RDS::DBInstance", "Writer", {"Engine": "aurora-postgresql",
                                                      "DBClusterIdentifier": "shop",
                                                      "DBInstanceClass": "db.r6g.large"})
    assert check("PUR-SEC-025", instance) == []
    cluster = cfn("AWS::RDS::DBCluster", "Shop", {"Engine": "aurora-postgresql",
                                                  "StorageEncrypted": True})
    assert check("PUR-SEC-025", cluster) == []


@pytest.mark.parametrize("image", ["docker.io/{username}/web", "{{ .Values.image }}",
                                   "${REGISTRY}/web", "<registry>/web"])
def test_template_placeholders_are_not_mutable_image_tags(image: str):
    pod = Resource(address="k8s:core/Pod/shop/web", type="core/Pod", provider="kubernetes",
                   name="web", format="kubernetes", source=SourceRef(file="k8s.yaml", line=1),
                   attrs={"spec": {"containers": [{"name": "web", "image": image}]}})
    assert check("PUR-SEC-038", pod) == [] and check("PUR-SEC-039", pod) == []


SKAFFOLD = '''
apiVersion: skaffold/v4beta11
kind: Config
metadata: {name: app}
build:
  artifacts:
  - image: adservice
    context: src/adservice
profiles:
- name: debug
  build:
    artifacts:
    - image: loadgenerator
'''

POD = '''
apiVersion: v1
kind: Pod
metadata: {name: %s}
spec:
  containers:
  - name: main
    image: %s
'''


def test_images_a_skaffold_config_builds_are_not_mutable_tags(tmp_path):
    # GoogleCloudPlatform/microservices-demo: manifests name `adservice`, Skaffold tags it.
    (tmp_path / "skaffold.yaml").write_text(SKAFFOLD)
    (tmp_path / "k8s").mkdir()
    for name, image in [("ads", "adservice"), ("load", "loadgenerator"), ("web", "nginx")]:
        (tmp_path / "k8s" / f"{name}.yaml").write_text(POD % (name, image))
    report = run_check(tmp_path)
    flagged = {f.resource for f in report.findings if f.rule_id == "PUR-SEC-038"}
    assert flagged == {"k8s:core/Pod/default/web"}  # nginx with no tag is still mutable
    assert not any(r.type == "skaffold/Config" for r in report.resources)


# ---------------------------------------------------------------- unknown is not absent

def test_an_unknown_value_of_a_high_rule_is_reported_at_info_naming_the_attribute():
    domain = tf("aws_opensearch_domain.s", unknown=["encrypt_at_rest"])
    [violation] = check("PUR-SEC-052", domain)
    assert violation.severity is Severity.info
    assert "encrypt_at_rest.enabled is not known before deployment" in violation.message
    assert serious(domain, tf("aws_flow_log.f")) == [
        (i, m) for i, m in serious(domain) if i != "PUR-SEC-052"]


def test_an_unknown_value_of_a_lower_rule_is_left_alone():
    assert check("PUR-SEC-069", tf("aws_ecr_repository.r",
                                   unknown=["image_scanning_configuration"])) == []


def test_a_rule_whose_scope_is_unknown_does_not_guess():
    key = cfn("AWS::KMS::Key", "K", {}, unknown=["KeySpec"])
    assert check("PUR-SEC-059", key) == []


def test_an_expectation_takes_exactly_one_condition():
    from purser.policy.declarative import Expect
    with pytest.raises(ValueError, match="exactly one"):
        Expect(equals=True, present=True)
    with pytest.raises(ValueError, match="exactly one"):
        Expect()
    assert Expect(at_least=7).holds("14") and not Expect(at_least=7).holds(None)
    assert Expect(equals=True).holds("TRUE") and Expect(one_of=("KMS",)).holds("kms")


def test_contains_asks_a_list_for_one_item_without_case():
    from purser.policy.declarative import Expect
    audit = Expect(contains="audit")
    assert audit.holds(["error", "AUDIT"]) and audit.holds("audit")
    assert not audit.holds(["error", "auditing"]) and not audit.holds(None)
    assert not audit.holds([]) and not audit.holds({"audit": True})
    assert audit.describe() == "contains audit"


# ---------------------------------------------------------------- AWS defaults, said plainly

def test_an_instance_without_metadata_options_is_medium_and_says_the_default_decides():
    [violation] = check("PUR-SEC-065", tf("aws_instance.web", {"ami": "ami-1"}))
    assert violation.severity is Severity.medium and "account default" in violation.message
    disabled = tf("aws_instance.web", {"metadata_options": [{"http_endpoint": "disabled"}]})
    assert check("PUR-SEC-065", disabled) == []


def test_buckets_and_queues_relying_on_2023_defaults_are_not_high():
    assert serious(tf("aws_s3_bucket.b", {"bucket": "b"})) == []
    assert serious(cfn("AWS::S3::Bucket", "B", {})) == []
    assert serious(tf("aws_sqs_queue.q", {"name": "q"})) == []


def test_eks_endpoint_limited_to_known_ranges_or_unknown_is_not_reported():
    limited = tf("aws_eks_cluster.c", {"vpc_config": [{"public_access_cidrs": ["10.0.0.0/8"]}]})
    assert check("PUR-SEC-063", limited) == []
    unknown = tf("aws_eks_cluster.c", {"vpc_config": [{}]},
                 unknown=["vpc_config.public_access_cidrs"])
    assert check("PUR-SEC-063", unknown) == []


def test_a_log_bucket_receiving_other_buckets_logs_need_not_log_itself():
    logs = tf("aws_s3_bucket.logs", {"bucket": "logs"}, tags=PERSONAL)
    logging = tf("aws_s3_bucket_logging.data", {"bucket": "data", "target_bucket": Ref(
        address="aws_s3_bucket.logs", attribute="id")}, depends_on=["aws_s3_bucket.logs"])
    assert check("PUR-SEC-076", logs, logging) == []


def test_aurora_instances_and_replicas_take_protection_and_backups_from_elsewhere():
    writer = cfn("AWS::RDS::DBInstance", "W", {"DBClusterIdentifier": "shop",
                                               "Engine": "aurora-mysql"})
    replica = tf("aws_db_instance.r", {"replicate_source_db": "shop"})
    for resource in (writer, replica):
        assert check("PUR-SEC-077", resource) == [] and check("PUR-SEC-078", resource) == []


def test_a_firehose_reading_a_kinesis_stream_is_encrypted_by_the_stream():
    firehose = tf("aws_kinesis_firehose_delivery_stream.f", {"kinesis_source_configuration": [
        {"kinesis_stream_arn": "arn:aws:kinesis:us-east-1:1:stream/s"}]})
    assert check("PUR-SEC-060", firehose) == []


# ---------------------------------------------------------------- Kubernetes details

def test_unconfined_seccomp_is_a_baseline_violation_and_high():
    [violation] = check("PUR-SEC-082", deployment(securityContext={
        "seccompProfile": {"type": "Unconfined"}}))
    assert violation.severity is Severity.high


def test_apparmor_unconfined_by_annotation_is_caught():
    pod = deployment()
    pod = pod.model_copy(update={"annotations": {
        "container.apparmor.security.beta.kubernetes.io/app": "unconfined"}})
    assert len(check("PUR-SEC-083", pod)) == 1


def test_reading_secrets_in_one_namespace_is_medium_cluster_wide_is_high():
    rule_ = {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "watch"]}
    [namespaced] = check("PUR-SEC-087", role(rule_))
    assert namespaced.severity is Severity.medium
    [cluster] = check("PUR-SEC-087", role(rule_, cluster=True))
    assert cluster.severity is None  # the rule's high


def test_a_wildcard_confined_to_a_metrics_api_group_is_worth_a_review_not_a_block():
    # kubernetes/examples, AI/vllm-deployment/hpa/prometheus-adapter.yaml
    metrics = {"apiGroups": ["custom.metrics.k8s.io"], "resources": ["*"], "verbs": ["*"]}
    [confined] = check("PUR-SEC-086", role(metrics, cluster=True))
    assert confined.severity is Severity.medium
    assert "custom.metrics.k8s.io only" in confined.message
    core = {"apiGroups": [""], "resources": ["*"], "verbs": ["*"]}
    assert [v.severity for v in check("PUR-SEC-086", role(core, cluster=True))] == [
        Severity.critical]
    unwritten = {"resources": ["*"], "verbs": ["get"]}  # no apiGroups: the core group
    assert [v.severity for v in check("PUR-SEC-086", role(unwritten))] == [None]


def test_single_replica_workloads_need_no_probes_or_budget():
    single = deployment()
    assert check("PUR-REL-001", single) == [] and check("PUR-REL-002", single) == []


def test_workloads_report_their_namespace_only_when_it_is_not_declared():
    workload = deployment()
    assert messages("PUR-SEC-091", workload) == [
        "no default-deny NetworkPolicy in namespace shop: every pod accepts traffic from "
        "every other pod in the cluster"]
    declared = k8s("Namespace", "shop", {}, group="core", namespace="")
    assert check("PUR-SEC-091", workload, declared) == []


@pytest.mark.parametrize("container", [
    {"image": "vllm/vllm-openai:v0.6.3"},
    {"image": "ghcr.io/huggingface/text-generation-inference:2.4"},
    {"image": "nvcr.io/nvidia/tritonserver:24.08-py3"},
    {"image": "shop/ranker:1.0", "resources": {"limits": {"nvidia.com/gpu": 1}}},
])
def test_inference_workloads_are_recognised_by_what_they_run(container: dict[str, Any]):
    from purser.policy.packs.responsible_ai import is_ai_workload
    workload = deployment(container)
    assert is_ai_workload(workload)
    assert any("purser.dev/model-id" in m for m in messages("PUR-AI-001", workload))


def test_a_kserve_inference_service_gets_the_responsible_ai_rules():
    service = k8s("InferenceService", "ranker", {"spec": {"predictor": {"model": {
        "modelFormat": {"name": "sklearn"}, "storageUri": "s3://models/ranker"}}}},
        group="serving.kserve.io")
    assert len(check("PUR-AI-001", service)) == 1


def test_an_ordinary_web_service_is_not_an_ai_workload():
    from purser.policy.packs.responsible_ai import is_ai_workload
    assert not is_ai_workload(deployment({"image": "nginx:1.27"}))
    assert not is_ai_workload(deployment({"image": "shop/serving:1.0"}))


# ---------------------------------------------------------------- more caught cases

@pytest.mark.parametrize("ingress", [
    {"protocol": "-1", "from_port": -1, "to_port": -1, "cidr_blocks": ["0.0.0.0/0"]},
    {"protocol": "all", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]},
    {"protocol": -1, "from_port": 0, "to_port": 0, "ipv6_cidr_blocks": ["::/0"]},
])
def test_security_groups_open_on_every_protocol_are_all_ports(ingress: dict[str, Any]):
    group = tf("aws_security_group.wide", {"ingress": [ingress]})
    assert len(check("PUR-SEC-030", group)) == 1
    cfn_group = cfn("AWS::EC2::SecurityGroup", "Wide", {"SecurityGroupIngress": [
        {"IpProtocol": -1, "FromPort": -1, "ToPort": -1, "CidrIp": "0.0.0.0/0"}]})
    assert len(check("PUR-SEC-030", cfn_group)) == 1


def test_a_policy_document_data_source_is_judged_like_any_policy(tmp_path):
    (tmp_path / "main.tf").write_text('''
data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "queue" {
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_iam_policy" "admin" {
  policy = data.aws_iam_policy_document.admin.json
}
resource "aws_sqs_queue" "q" {
  name   = "q"
  policy = data.aws_iam_policy_document.queue.json
}
''')
    found = {(f.rule_id, f.resource) for f in run_check(tmp_path, Config()).findings}
    assert ("PUR-SEC-001", "aws_iam_policy.admin") in found
    assert ("PUR-SEC-046", "aws_sqs_queue.q") in found


def test_s3_findings_say_which_2023_default_applies():
    [encryption] = messages("PUR-SEC-015", tf("aws_s3_bucket.b", {"bucket": "b"}))
    assert "SSE-S3" in encryption and "2023" in encryption
    [block] = messages("PUR-SEC-014", tf("aws_s3_bucket.b", {"bucket": "b"}))
    assert "by default since April 2023" in block


def test_a_redshift_cluster_left_to_the_2025_default_is_medium_and_says_so():
    [violation] = check("PUR-SEC-093", tf("aws_redshift_cluster.w", {"node_type": "ra3.xlplus"}))
    assert violation.severity is Severity.medium
    assert "created since January 2025 are encrypted by default" in violation.message


def test_a_cloudformation_policy_naming_users_attaches_to_them_directly():
    direct = cfn("AWS::IAM::Policy", "P", {"PolicyName": "p", "Users": ["alice"],
                                          "PolicyDocument": {"Statement": []}})
    assert messages("PUR-SEC-006", direct) == [
        "policy attached directly to IAM users (its Users list)"]
    to_roles = cfn("AWS::IAM::Policy", "P", {"PolicyName": "p", "Roles": ["app"],
                                            "PolicyDocument": {"Statement": []}})
    assert check("PUR-SEC-006", to_roles) == []


def test_iam_database_authentication_is_asked_only_of_engines_that_have_it():
    assert check("PUR-SEC-102", tf("aws_db_instance.db", {"engine": "oracle-se2"})) == []
    assert len(check("PUR-SEC-102", tf("aws_rds_cluster.db", {"cluster_identifier": "db"}))) == 1


def test_a_trust_policy_for_anyone_with_only_an_mfa_condition_stays_critical():
    mfa = tf("aws_iam_role.r", {"assume_role_policy": policy({
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}})})
    [violation] = check("PUR-SEC-007", mfa)
    assert violation.severity is None  # the rule's critical
    external_id = tf("aws_iam_role.r", {"assume_role_policy": policy({
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": "shop-7f3a"}}})})
    assert check("PUR-SEC-007", external_id)[0].severity is Severity.high


def test_allow_with_not_action_on_every_resource_is_high():
    broad = tf("aws_iam_user_policy.p", {"policy": policy(
        {"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"})})
    assert check("PUR-SEC-005", broad)[0].severity is Severity.high
    scoped = tf("aws_iam_user_policy.p", {"policy": policy(
        {"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::b"})})
    assert check("PUR-SEC-005", scoped)[0].severity is None  # the rule's medium


def test_secrets_in_base64_user_data_of_a_cloudformation_template_are_found(tmp_path):
    (tmp_path / "template.yaml").write_text('''
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64: |
          #!/bin/bash
          export AWS_ACCESS_KEY_ID=AKIAQ3EGRKWOC5JT7ZPL
''')
    [web] = load_repository(tmp_path, Config()).resources
    [violation] = check("PUR-SEC-066", web)
    assert "an AWS access key id" in violation.message
    encoded = tf("aws_instance.web", {"user_data_base64": "IyEvYmluL2Jhc2gKZWNobyBoaQo="})
    assert check("PUR-SEC-066", encoded) == []


def test_search_domains_that_do_not_declare_encryption_are_medium_explicitly_off_high():
    silent = tf("aws_opensearch_domain.s", {"domain_name": "s"})
    assert [v.severity for v in check("PUR-SEC-052", silent)] == [Severity.medium]
    assert [v.severity for v in check("PUR-SEC-054", silent)] == [Severity.medium]
    off = tf("aws_opensearch_domain.s", {"encrypt_at_rest": [{"enabled": False}],
                                         "domain_endpoint_options": [{"enforce_https": False}]})
    assert [v.severity for v in check("PUR-SEC-052", off)] == [None]  # the rule's high
    assert [v.severity for v in check("PUR-SEC-054", off)] == [None]


def test_buckets_not_classified_sensitive_are_not_asked_for_access_logs():
    assert check("PUR-SEC-076", tf("aws_s3_bucket.site", {"bucket": "site"})) == []
    public = tf("aws_s3_bucket.site", {"bucket": "site"},
                tags={"data-classification": "public"})
    assert check("PUR-SEC-076", public) == []


PROVIDERS = '''
provider "aws" {
  region     = "us-east-1"
  access_key = "AKIAQ3EGRKWOC5JT7ZPL"
  secret_key = "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"
}

provider "aws" {
  alias      = "fixture"
  access_key = "mock_access_key"
  secret_key = "mock_secret_key"
}

provider "aws" {
  alias   = "profile"
  profile = "deploy"
}
'''


def test_credentials_written_in_a_provider_block_are_critical(tmp_path):
    (tmp_path / "main.tf").write_text(PROVIDERS + 'resource "aws_sqs_queue" "q" {}\n')
    loaded = load_repository(tmp_path, Config())
    assert [r.address for r in loaded.resources] == ["aws_sqs_queue.q"]  # never priced
    assert [s.address for s in loaded.settings] == [
        "provider.aws", "provider.aws.fixture", "provider.aws.profile"]
    default = loaded.settings[0]
    found = check("PUR-SEC-163", default)
    assert [v.evidence["attribute"] for v in found] == ["access_key", "secret_key"]
    assert "an AWS access key id" in found[0].message and "Zk3J9" not in str(found)
    # Infracost's fixtures' mock keys and a named profile hard-code nothing.
    assert check("PUR-SEC-163", loaded.settings[1]) == []
    assert check("PUR-SEC-163", loaded.settings[2]) == []


def test_the_gate_reports_provider_credentials_with_file_and_line(tmp_path):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(PROVIDERS)
    report = run_check(tmp_path)
    found = [f for f in report.findings if f.rule_id == "PUR-SEC-163"]
    assert {(f.resource, f.source.file, f.source.line) for f in found} == {
        ("infra//provider.aws", "infra/main.tf", 2)}
    assert report.cost is None or all(
        "provider" not in r.address for r in report.cost.resources)


def test_a_redshift_logging_resource_counts_only_for_its_own_cluster():
    cluster = tf("aws_redshift_cluster.w", {"cluster_identifier": "w"})
    other = tf("aws_redshift_logging.o", {"cluster_identifier": "other", "bucket_name": "a"})
    assert len(check("PUR-SEC-167", cluster, other)) == 1
    inline = tf("aws_redshift_cluster.w", {"cluster_identifier": "w",
                                           "logging": [{"enable": True, "bucket_name": "a"}]})
    assert check("PUR-SEC-167", inline) == []
    unknown = tf("aws_redshift_logging.l", {}, unknown=["cluster_identifier"])
    assert check("PUR-SEC-167", cluster, unknown) == []  # may be this cluster's


def test_unknown_log_options_and_parameters_are_not_judged():
    search = tf("aws_opensearch_domain.s", {}, unknown=["log_publishing_options"])
    assert check("PUR-SEC-164", search) == []
    group = tf("aws_redshift_parameter_group.p", {}, unknown=["parameter"])
    assert check("PUR-SEC-166", group) == []
    balancer = tf("aws_elb.web", {}, unknown=["listener"])
    assert check("PUR-SEC-165", balancer) == []


def test_a_database_is_judged_by_its_engine_versions_default_and_its_own_group():
    assert check("PUR-SEC-168", tf("aws_db_instance.db", {
        "engine": "postgres", "engine_version": "16.3"})) == []  # rds.force_ssl on since 15
    assert check("PUR-SEC-168", tf("aws_db_instance.db", {"engine": "mysql"})) == []  # unknown
    aurora = tf("aws_db_instance.db", {"engine": "mysql", "engine_version": "8.0",
                                       "db_cluster_identifier": "c"})
    assert check("PUR-SEC-168", aurora) == []
    elsewhere = tf("aws_db_instance.db", {"engine": "mysql", "engine_version": "8.0",
                                          "parameter_group_name": "shared-in-another-stack"})
    assert check("PUR-SEC-168", elsewhere) == []
    hostile = tf("aws_db_instance.db", {"engine": "mysql", "engine_version": "9" * 5000})
    assert check("PUR-SEC-168", hostile) == []  # read as a version after 9: forced
    own = tf("aws_db_instance.db", {"engine": "mysql", "engine_version": "8.0",
                                    "parameter_group_name": "tuned"})
    tuned = tf("aws_db_parameter_group.tuned", {"name": "tuned", "family": "mysql8.0",
                                                "parameter": [{"name": "max_connections",
                                                               "value": "200"}]})
    assert messages("PUR-SEC-168", own, tuned) == [
        "parameter group tuned does not force TLS (require_secure_transport is not 1)"]


def test_built_in_rules_name_the_frameworks_they_serve():
    # Two operational rules no public framework section covers precisely (test_security).
    assert len(dict(rules.items())) >= 200
    assert sorted(i for i, cls in rules.items() if not cls.frameworks) == [
        "PUR-SEC-017", "PUR-SEC-162"]
