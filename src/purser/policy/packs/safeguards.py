"""Security pack, safeguards: AWS Foundational Security Best Practices and CIS controls
that one attribute decides (password strength, account-wide public access blocks, logging
and tracing, upgrades and snapshots, public addresses). Most only fire on a value written
out against the safe one: AWS's own default is the safe one."""

from __future__ import annotations

from purser import kinds
from purser.model import Category, Severity
from purser.policy.declarative import AttributeRule, Expect
from purser.policy.rule import rule

ON = Expect(equals=True)
NOT_OFF = Expect(not_equals=False)
PASSWORDS = ("AWS-FSBP IAM.7",)
AUDIT = ("SOC 2 CC7.2", "PCI-DSS 10.2.1")
RECOVERY = ("SOC 2 A1.2",)
PATCHING = ("SOC 2 CC7.1", "PCI-DSS 6.3.3")
PASSWORD_POLICY = kinds.types("aws.iam.password_policy")
ACCOUNT_BLOCK = kinds.types("aws.s3.account_public_access_block")


class _Safeguard(AttributeRule):
    category = Category.security
    pack = "security"


# ---------------------------------------------------------------- account password policy
@rule
class PasswordWithoutUppercase(_Safeguard):
    id = "PUR-SEC-129"
    title = "Account password policy does not require an uppercase letter"
    severity = Severity.low
    resource_types = PASSWORD_POLICY
    frameworks = PASSWORDS
    remediation = "Set require_uppercase_characters = true."
    equivalents = {"checkov": ("CKV_AWS_15",)}
    path, expect, default = "require_uppercase_characters", ON, False
    message = "passwords need no uppercase letter (require_uppercase_characters is {value})"


@rule
class PasswordWithoutLowercase(_Safeguard):
    id = "PUR-SEC-130"
    title = "Account password policy does not require a lowercase letter"
    severity = Severity.low
    resource_types = PASSWORD_POLICY
    frameworks = PASSWORDS
    remediation = "Set require_lowercase_characters = true."
    equivalents = {"checkov": ("CKV_AWS_11",)}
    path, expect, default = "require_lowercase_characters", ON, False
    message = "passwords need no lowercase letter (require_lowercase_characters is {value})"


@rule
class PasswordWithoutSymbol(_Safeguard):
    id = "PUR-SEC-131"
    title = "Account password policy does not require a symbol"
    severity = Severity.low
    resource_types = PASSWORD_POLICY
    frameworks = PASSWORDS
    remediation = "Set require_symbols = true."
    equivalents = {"checkov": ("CKV_AWS_14",)}
    path, expect, default = "require_symbols", ON, False
    message = "passwords need no symbol (require_symbols is {value})"


@rule
class PasswordWithoutNumber(_Safeguard):
    id = "PUR-SEC-132"
    title = "Account password policy does not require a number"
    severity = Severity.low
    resource_types = PASSWORD_POLICY
    frameworks = PASSWORDS
    remediation = "Set require_numbers = true."
    equivalents = {"checkov": ("CKV_AWS_12",)}
    path, expect, default = "require_numbers", ON, False
    message = "passwords need no digit (require_numbers is {value})"


@rule
class PasswordNeverExpires(_Safeguard):
    id = "PUR-SEC-133"
    title = "Account password policy lets passwords live longer than 90 days"
    severity = Severity.low
    resource_types = PASSWORD_POLICY
    frameworks = ("PCI-DSS 8.3.9",)
    remediation = "Set max_password_age = 90 or less (or rely on MFA and SSO instead)."
    equivalents = {"checkov": ("CKV_AWS_9",)}
    path, expect = "max_password_age", Expect(at_most=90)
    message = "max_password_age is {value}: a leaked password stays valid"


# ---------------------------------------------------------------- account-wide blocks
@rule
class AccountAllowsPublicAcls(_Safeguard):
    id = "PUR-SEC-134"
    title = "Account-wide S3 public access block lets new public ACLs be set"
    severity = Severity.medium
    resource_types = ACCOUNT_BLOCK
    frameworks = ("AWS-FSBP S3.1",)
    remediation = "Set block_public_acls = true."
    path, expect, default = "block_public_acls", ON, False
    message = "a bucket or object in the account can be made public by ACL " \
              "(block_public_acls is {value})"


@rule
class AccountHonoursPublicAcls(_Safeguard):
    id = "PUR-SEC-135"
    title = "Account-wide S3 public access block honours existing public ACLs"
    severity = Severity.medium
    resource_types = ACCOUNT_BLOCK
    frameworks = ("AWS-FSBP S3.1",)
    remediation = "Set ignore_public_acls = true."
    path, expect, default = "ignore_public_acls", ON, False
    message = "public ACLs already on buckets or objects still grant access " \
              "(ignore_public_acls is {value})"


@rule
class AccountAllowsPublicPolicies(_Safeguard):
    id = "PUR-SEC-136"
    title = "Account-wide S3 public access block lets public bucket policies be set"
    severity = Severity.medium
    resource_types = ACCOUNT_BLOCK
    frameworks = ("AWS-FSBP S3.1",)
    remediation = "Set block_public_policy = true."
    path, expect, default = "block_public_policy", ON, False
    message = "a bucket policy granting public access can be put in place " \
              "(block_public_policy is {value})"


@rule
class AccountHonoursPublicPolicies(_Safeguard):
    id = "PUR-SEC-137"
    title = "Account-wide S3 public access block leaves public bucket policies in force"
    severity = Severity.medium
    resource_types = ACCOUNT_BLOCK
    frameworks = ("AWS-FSBP S3.1",)
    remediation = "Set restrict_public_buckets = true."
    path, expect, default = "restrict_public_buckets", ON, False
    message = "buckets with a public policy still answer anyone " \
              "(restrict_public_buckets is {value})"


@rule
class EbsEncryptionByDefaultOff(_Safeguard):
    id = "PUR-SEC-138"
    title = "EBS encryption by default is turned off for the region"
    severity = Severity.low
    resource_types = kinds.types("aws.ec2.encryption_by_default")
    frameworks = ("CIS-AWS 2.2.1", "AWS-FSBP EC2.7")
    remediation = "Set enabled = true on aws_ebs_encryption_by_default."
    equivalents = {"checkov": ("CKV_AWS_106",)}
    path, expect, default = "enabled", ON, True
    message = "new volumes that do not ask for encryption are stored unencrypted"


# ---------------------------------------------------------------- databases and caches
@rule
class SnapshotsWithoutTags(_Safeguard):
    id = "PUR-SEC-139"
    title = "RDS snapshots do not carry the database's tags"
    severity = Severity.low
    resource_types = kinds.types("aws.rds.instance", "aws.rds.cluster")
    frameworks = ("AWS-FSBP RDS.16", "AWS-FSBP RDS.17")
    equivalents = {"checkov": ("CKV2_AWS_60", "CKV_AWS_313")}
    remediation = "Set copy_tags_to_snapshot = true (CopyTagsToSnapshot)."
    path, expect, default = "copy_tags_to_snapshot", ON, False
    message = "snapshots lose the owner and classification tags (copy_tags_to_snapshot is " \
              "{value})"


@rule
class RedshiftOutsideVpcRouting(_Safeguard):
    id = "PUR-SEC-140"
    title = "Redshift cluster does not route COPY and UNLOAD through the VPC"
    severity = Severity.low
    resource_types = kinds.types("aws.redshift.cluster")
    frameworks = ("AWS-FSBP Redshift.7",)
    remediation = "Set enhanced_vpc_routing = true (EnhancedVpcRouting)."
    equivalents = {"checkov": ("CKV_AWS_321",)}
    path, expect, default = "enhanced_vpc_routing", ON, False
    message = "data loads and unloads leave the VPC (enhanced_vpc_routing is {value})"


@rule
class RedshiftWithoutUpgrades(_Safeguard):
    id = "PUR-SEC-141"
    title = "Redshift cluster does not take major version upgrades"
    severity = Severity.low
    resource_types = kinds.types("aws.redshift.cluster")
    frameworks = ("AWS-FSBP Redshift.6", *PATCHING)
    equivalents = {"checkov": ("CKV_AWS_141",)}
    remediation = "Leave allow_version_upgrade at true (AllowVersionUpgrade)."
    path, expect, default = "allow_version_upgrade", NOT_OFF, True
    message = "engine fixes are not applied (allow_version_upgrade is {value})"


@rule
class RedshiftShortSnapshots(_Safeguard):
    id = "PUR-SEC-142"
    title = "Redshift cluster keeps automated snapshots for less than 7 days"
    severity = Severity.low
    resource_types = kinds.types("aws.redshift.cluster")
    frameworks = ("AWS-FSBP Redshift.3", *RECOVERY)
    remediation = "Set automated_snapshot_retention_period to 7 or more."
    path, expect, default = "automated_snapshot_retention_period", Expect(at_least=7), 1
    message = "automated snapshots are kept {value} days"


@rule
class CacheWithoutMinorUpgrades(_Safeguard):
    id = "PUR-SEC-143"
    title = "ElastiCache does not take minor version upgrades"
    severity = Severity.low
    resource_types = kinds.types("aws.elasticache.cluster", "aws.elasticache.replication_group")
    frameworks = ("AWS-FSBP ElastiCache.2", *PATCHING)
    remediation = "Leave auto_minor_version_upgrade at true (AutoMinorVersionUpgrade)."
    path, expect, default = "auto_minor_version_upgrade", NOT_OFF, True
    message = "security patches are not applied (auto_minor_version_upgrade is {value})"


@rule
class RedisClusterWithoutSnapshots(_Safeguard):
    id = "PUR-SEC-144"
    title = "ElastiCache Redis cluster keeps no automatic snapshots"
    severity = Severity.low
    resource_types = kinds.types("aws.elasticache.cluster")
    frameworks = ("AWS-FSBP ElastiCache.1", *RECOVERY)
    remediation = "Set snapshot_retention_limit to 1 or more (SnapshotRetentionLimit)."
    path, expect, default = "snapshot_retention_limit", Expect(at_least=1), 0
    when = {"engine": Expect(matches="^redis")}
    message = "snapshot_retention_limit is {value}: a lost node loses its data"


@rule
class MskBrokersTalkInClear(_Safeguard):
    id = "PUR-SEC-145"
    title = "MSK brokers replicate to each other unencrypted"
    severity = Severity.medium
    resource_types = kinds.types("aws.msk.cluster")
    frameworks = ("AWS-FSBP MSK.1", "PCI-DSS 4.2.1")
    remediation = "Leave encryption_in_transit { in_cluster = true } (InCluster)."
    path = "encryption_info.encryption_in_transit.in_cluster"
    expect, default = NOT_OFF, True
    message = "records travel between brokers in clear (in_cluster is {value})"


# ---------------------------------------------------------------- logs, traces, alarms
@rule
class StateMachineWithoutLogs(_Safeguard):
    id = "PUR-SEC-146"
    title = "Step Functions state machine writes no execution log"
    severity = Severity.low
    resource_types = kinds.types("aws.sfn.state_machine")
    frameworks = ("AWS-FSBP StepFunctions.1", *AUDIT)
    remediation = "Set logging_configuration { level = \"ERROR\" } or ALL (LoggingConfiguration)."
    equivalents = {"checkov": ("CKV_AWS_285",)}
    path, expect, default = "logging_configuration.level", Expect(not_equals="OFF"), "OFF"
    message = "failed executions leave no log (logging level is {value})"


@rule
class StateMachineWithoutTracing(_Safeguard):
    id = "PUR-SEC-147"
    title = "Step Functions state machine does not trace executions"
    severity = Severity.low
    resource_types = kinds.types("aws.sfn.state_machine")
    frameworks = ("SOC 2 CC7.2",)
    remediation = "Set tracing_configuration { enabled = true } (TracingConfiguration)."
    equivalents = {"checkov": ("CKV_AWS_284",)}
    path, expect, default = "tracing_configuration.enabled", ON, False
    message = "executions are not traced with X-Ray (tracing is {value})"


@rule
class AlarmActionsOff(_Safeguard):
    id = "PUR-SEC-148"
    title = "CloudWatch alarm has its actions turned off"
    severity = Severity.low
    resource_types = kinds.types("aws.cloudwatch.alarm")
    frameworks = ("AWS-FSBP CloudWatch.17",)
    remediation = "Leave actions_enabled at true (ActionsEnabled)."
    path, expect, default = "actions_enabled", NOT_OFF, True
    message = "the alarm changes state but notifies no one (actions_enabled is {value})"


@rule
class TrailWithoutGlobalEvents(_Safeguard):
    id = "PUR-SEC-149"
    title = "CloudTrail trail leaves out global service events (IAM, STS)"
    severity = Severity.medium
    resource_types = kinds.types("aws.cloudtrail.trail")
    frameworks = AUDIT
    remediation = "Leave include_global_service_events at true (IncludeGlobalServiceEvents)."
    path, expect, default = "include_global_service_events", NOT_OFF, True
    message = "IAM and STS calls are not recorded (include_global_service_events is {value})"


# ---------------------------------------------------------------- exposure
@rule
class EcsServicePublicIp(_Safeguard):
    id = "PUR-SEC-150"
    title = "ECS service gives its tasks public IP addresses"
    severity = Severity.medium
    resource_types = kinds.types("aws.ecs.service")
    frameworks = ("AWS-FSBP ECS.2",)
    remediation = ("Set network_configuration { assign_public_ip = false } (AssignPublicIp: "
                   "DISABLED) and reach the internet through a NAT gateway or endpoints.")
    equivalents = {"checkov": ("CKV_AWS_333",)}
    path = "network_configuration.assign_public_ip"
    expect, default = Expect(not_one_of=(True, "ENABLED")), False
    message = "tasks are reachable from the internet (assign_public_ip is {value})"


@rule
class NodeGroupSshFromAnywhere(_Safeguard):
    id = "PUR-SEC-151"
    title = "EKS node group opens SSH without naming who may connect"
    severity = Severity.medium
    resource_types = kinds.types("aws.eks.node_group")
    frameworks = ("PCI-DSS 1.3.1",)
    remediation = ("Set remote_access.source_security_group_ids (RemoteAccess."
                   "SourceSecurityGroups), or drop the SSH key and use SSM Session Manager.")
    equivalents = {"checkov": ("CKV_AWS_100",)}
    path, expect = "remote_access.source_security_group_ids", Expect(present=True)
    when = {"remote_access.ec2_ssh_key": Expect(present=True)}
    message = "port 22 on the nodes is open to 0.0.0.0/0 (no source security group)"


@rule
class SecretRotatedRarely(_Safeguard):
    id = "PUR-SEC-152"
    title = "Secrets Manager rotation runs less often than every 90 days"
    severity = Severity.low
    resource_types = kinds.types("aws.secretsmanager.rotation")
    frameworks = ("AWS-FSBP SecretsManager.4",)
    remediation = "Set rotation_rules { automatically_after_days = 90 } or fewer."
    equivalents = {"checkov": ("CKV_AWS_304",)}
    path = "rotation_rules.automatically_after_days"
    expect = Expect(at_most=90)
    when = {path: Expect(present=True)}  # a schedule expression is judged elsewhere
    message = "the secret is rotated every {value} days"


@rule
class NotebookOutsideVpc(_Safeguard):
    id = "PUR-SEC-153"
    title = "SageMaker notebook instance is not in a VPC"
    severity = Severity.low
    resource_types = kinds.types("aws.sagemaker.notebook_instance")
    frameworks = ("AWS-FSBP SageMaker.2",)
    remediation = "Set subnet_id (SubnetId) and security_groups."
    path, expect = "subnet_id", Expect(present=True)
    message = "the notebook runs in a network its security groups do not govern"


@rule
class SearchWithoutFineGrainedAccess(_Safeguard):
    id = "PUR-SEC-154"
    title = "OpenSearch domain has no fine-grained access control"
    severity = Severity.low
    resource_types = kinds.types("aws.opensearch.domain")
    frameworks = ("AWS-FSBP Opensearch.7",)
    equivalents = {"checkov": ("CKV2_AWS_52",)}
    remediation = ("Set advanced_security_options { enabled = true } "
                   "(AdvancedSecurityOptions.Enabled).")
    path, expect, default = "advanced_security_options.enabled", ON, False
    message = "every caller the access policy lets in sees every index " \
              "(fine-grained access control is {value})"


@rule
class LoadBalancerWithoutDeletionProtection(_Safeguard):
    id = "PUR-SEC-155"
    title = "Load balancer has no deletion protection"
    severity = Severity.low
    resource_types = ("aws_lb", "aws_alb")  # CloudFormation keeps it in an attribute list
    frameworks = ("AWS-FSBP ELB.6",)
    remediation = "Set enable_deletion_protection = true."
    equivalents = {"checkov": ("CKV_AWS_150",)}
    path, expect, default = "enable_deletion_protection", ON, False
    message = "one apply deletes the load balancer and its DNS name " \
              "(enable_deletion_protection is {value})"


@rule
class LoadBalancerDesyncMonitorOnly(_Safeguard):
    id = "PUR-SEC-156"
    title = "Load balancer only monitors HTTP desync (request smuggling)"
    severity = Severity.medium
    resource_types = ("aws_lb", "aws_alb")
    frameworks = ("AWS-FSBP ELB.12",)
    remediation = "Set desync_mitigation_mode = \"defensive\" (the default) or \"strictest\"."
    equivalents = {"checkov": ("CKV_AWS_328",)}
    path = "desync_mitigation_mode"
    expect, default = Expect(one_of=("defensive", "strictest")), "defensive"
    message = "ambiguous requests are forwarded (desync_mitigation_mode is {value})"


@rule
class InstancePublicIp(_Safeguard):
    id = "PUR-SEC-157"
    title = "EC2 instance gets a public IP address"
    severity = Severity.low
    resource_types = ("aws_instance",)  # CloudFormation sets it per network interface
    frameworks = ("AWS-FSBP EC2.9",)
    remediation = ("Set associate_public_ip_address = false and reach the instance through "
                   "a load balancer or SSM.")
    equivalents = {"checkov": ("CKV_AWS_88",)}
    path, expect = "associate_public_ip_address", Expect(not_equals=True)
    message = "the instance is addressable from the internet " \
              "(associate_public_ip_address is {value})"


# ---------------------------------------------------------------- audit logs and retention
@rule
class NeptuneWithoutAuditLogs(_Safeguard):
    id = "PUR-SEC-158"
    title = "Neptune cluster does not export its audit log to CloudWatch"
    severity = Severity.low
    resource_types = kinds.types("aws.neptune.cluster")
    frameworks = ("AWS-FSBP Neptune.2", *AUDIT)
    remediation = ("Set enabled_cloudwatch_logs_exports = [\"audit\"] "
                   "(EnableCloudwatchLogsExports) and neptune_enable_audit_log = 1 in the "
                   "cluster parameter group.")
    equivalents = {"checkov": ("CKV_AWS_101",)}
    path, expect = "enabled_cloudwatch_logs_exports", Expect(contains="audit")
    message = "queries against the graph leave no record outside the cluster " \
              "(log exports: {value})"


@rule
class DocumentDbWithoutAuditLogs(_Safeguard):
    id = "PUR-SEC-159"
    title = "DocumentDB cluster does not export its audit log to CloudWatch"
    severity = Severity.low
    resource_types = kinds.types("aws.docdb.cluster")
    frameworks = ("AWS-FSBP DocumentDB.4", *AUDIT)
    remediation = ("Set enabled_cloudwatch_logs_exports = [\"audit\"] "
                   "(EnableCloudwatchLogsExports) and audit_logs = enabled in the cluster "
                   "parameter group.")
    equivalents = {"checkov": ("CKV_AWS_85",)}
    path, expect = "enabled_cloudwatch_logs_exports", Expect(contains="audit")
    message = "logins and schema changes leave no record outside the cluster " \
              "(log exports: {value})"


@rule
class NeptuneSnapshotsWithoutTags(_Safeguard):
    id = "PUR-SEC-160"
    title = "Neptune snapshots do not carry the cluster's tags"
    severity = Severity.low
    resource_types = kinds.types("aws.neptune.cluster")
    frameworks = ("AWS-FSBP Neptune.8",)
    equivalents = {"checkov": ("CKV_AWS_362",)}
    remediation = "Set copy_tags_to_snapshot = true (CopyTagsToSnapshot)."
    path, expect, default = "copy_tags_to_snapshot", ON, False
    message = "snapshots lose the owner and classification tags (copy_tags_to_snapshot is " \
              "{value})"


@rule
class ClusterWithoutContainerInsights(_Safeguard):
    id = "PUR-SEC-161"
    title = "ECS cluster does not collect Container Insights"
    severity = Severity.low
    resource_types = kinds.types("aws.ecs.cluster")
    frameworks = ("AWS-FSBP ECS.12",)
    remediation = ("Add setting { name = \"containerInsights\", value = \"enabled\" } "
                   "(ClusterSettings), or \"enhanced\".")
    equivalents = {"checkov": ("CKV_AWS_65",)}
    # containerInsights is the only cluster setting there is, so the block holds one value.
    path, expect = "setting.value", Expect(one_of=("enabled", "enhanced"))
    message = "task and service metrics are not collected (containerInsights is {value})"
    absent_message = "task and service metrics are collected only if the account's " \
                     "containerInsights default is on (the cluster does not say)"


@rule
class WorkgroupNotEnforced(_Safeguard):
    id = "PUR-SEC-162"
    title = "Athena workgroup lets queries override its settings"
    severity = Severity.medium
    resource_types = kinds.types("aws.athena.workgroup")
    remediation = ("Leave configuration { enforce_workgroup_configuration = true } "
                   "(EnforceWorkGroupConfiguration).")
    equivalents = {"checkov": ("CKV_AWS_82",)}
    path, expect = "configuration.enforce_workgroup_configuration", NOT_OFF
    message = "a client can write query results unencrypted or elsewhere " \
              "(enforce_workgroup_configuration is {value})"
