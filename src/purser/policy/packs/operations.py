"""Security pack, operations: the records and safeguards an incident needs: image scans,
immutable tags, audit trails, flow and access logs, deletion protection and backups."""

from __future__ import annotations

from collections.abc import Iterator

from purser import kinds
from purser.model import Category, Ref, Resource, Severity
from purser.policy.declarative import AttributeRule, Expect
from purser.policy.packs.compliance import SENSITIVE_CLASSES, classification
from purser.policy.rule import Rule, RuleContext, Violation, rule

AUDIT = ("PCI-DSS 10.2.1", "HIPAA 164.312(b)", "SOC 2 CC7.2")
RECOVERY = ("SOC 2 A1.2", "HIPAA 164.308(a)(7)(ii)(A)")
DATABASES = ("aws.rds.instance", "aws.rds.cluster", "aws.neptune.cluster", "aws.docdb.cluster")
CLASSIC_LOAD_BALANCER = "AWS::ElasticLoadBalancing::LoadBalancer"
ON = Expect(equals=True)


class _SecurityRule(AttributeRule):
    category = Category.security
    pack = "security"


@rule
class EcrScanOnPush(_SecurityRule):
    id = "PUR-SEC-069"
    title = "ECR repository does not scan images on push"
    severity = Severity.low
    resource_types = kinds.types("aws.ecr.repository")
    frameworks = ("AWS-FSBP ECR.1", "SOC 2 CC7.1")
    remediation = ("Set image_scanning_configuration { scan_on_push = true } (or turn on "
                   "enhanced scanning for the registry).")
    equivalents = {"checkov": ("CKV_AWS_163",)}
    path, expect, default = "image_scanning_configuration.scan_on_push", ON, False
    message = "pushed images are not scanned for known vulnerabilities"


@rule
class EcrMutableTags(_SecurityRule):
    id = "PUR-SEC-070"
    title = "ECR repository lets a tag be pushed over"
    severity = Severity.low
    category = Category.supply_chain
    resource_types = kinds.types("aws.ecr.repository")
    frameworks = ("AWS-FSBP ECR.2", "SOC 2 CC8.1")
    remediation = "Set image_tag_mutability = \"IMMUTABLE\" (ImageTagMutability)."
    equivalents = {"checkov": ("CKV_AWS_51",)}
    path, expect, default = "image_tag_mutability", Expect(equals="IMMUTABLE"), "MUTABLE"
    message = "image_tag_mutability is {value}: a re-pushed tag changes what deploys"


@rule
class TrailSingleRegion(_SecurityRule):
    id = "PUR-SEC-071"
    title = "CloudTrail trail records one region only"
    severity = Severity.medium
    resource_types = kinds.types("aws.cloudtrail.trail")
    frameworks = ("CIS-AWS 3.1", "AWS-FSBP CloudTrail.1", *AUDIT)
    remediation = "Set is_multi_region_trail = true (IsMultiRegionTrail)."
    equivalents = {"checkov": ("CKV_AWS_67",)}
    path, expect, default = "is_multi_region_trail", ON, False
    message = "activity in other regions is not recorded (is_multi_region_trail is {value})"


@rule
class TrailWithoutValidation(_SecurityRule):
    id = "PUR-SEC-072"
    title = "CloudTrail log file validation is off"
    severity = Severity.medium
    resource_types = kinds.types("aws.cloudtrail.trail")
    frameworks = ("CIS-AWS 3.2", "AWS-FSBP CloudTrail.4", *AUDIT)
    remediation = "Set enable_log_file_validation = true (EnableLogFileValidation)."
    equivalents = {"checkov": ("CKV_AWS_36",)}
    path, expect, default = "enable_log_file_validation", ON, False
    message = "a changed or deleted log file would go unnoticed " \
              "(enable_log_file_validation is {value})"


@rule
class TrailWithoutKey(_SecurityRule):
    id = "PUR-SEC-073"
    title = "CloudTrail logs are not encrypted with a KMS key"
    severity = Severity.medium
    resource_types = kinds.types("aws.cloudtrail.trail")
    frameworks = ("CIS-AWS 3.7", "AWS-FSBP CloudTrail.2", *AUDIT)
    remediation = "Set kms_key_id (KMSKeyId) to a key whose policy lets CloudTrail use it."
    equivalents = {"checkov": ("CKV_AWS_35",)}
    path, expect = "kms_key_id", Expect(present=True)
    message = "trail logs use S3's default key, readable by anyone who can read the bucket"


@rule
class VpcWithoutFlowLogs(Rule):
    id = "PUR-SEC-074"
    title = "VPC has no flow log"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.ec2.vpc")
    frameworks = ("CIS-AWS 3.9", "AWS-FSBP EC2.6", *AUDIT)
    remediation = ("Add an aws_flow_log (AWS::EC2::FlowLog) for the VPC to CloudWatch Logs "
                   "or S3; its records also show which traffic drives NAT and transfer cost.")
    equivalents = {"checkov": ("CKV2_AWS_11",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        for flow_log in context.of_kind("aws.ec2.flow_log"):
            vpc = flow_log.get("vpc_id")
            if flow_log.is_unknown("vpc_id") or resource.address in flow_log.depends_on \
                    or (isinstance(vpc, Ref) and vpc.address == resource.address):
                return
        yield "no flow log records the VPC's traffic"


@rule
class LoadBalancerWithoutAccessLogs(Rule):
    id = "PUR-SEC-075"
    title = "Load balancer writes no access logs"
    severity = Severity.low
    category = Category.security
    pack = "security"
    # ALB/NLB CloudFormation keeps them in attribute lists; a Classic one has its own block.
    resource_types = ("aws_lb", "aws_alb", "aws_elb", CLASSIC_LOAD_BALANCER)
    frameworks = ("AWS-FSBP ELB.5", *AUDIT)
    remediation = ("Add access_logs { bucket = <log bucket>, enabled = true } "
                   "(AccessLoggingPolicy on a Classic Load Balancer).")
    equivalents = {"checkov": ("CKV_AWS_91", "CKV_AWS_92")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.type == CLASSIC_LOAD_BALANCER:  # Enabled is required in the policy
            if resource.is_unknown("AccessLoggingPolicy"):
                return
            logged = resource.get("AccessLoggingPolicy.Enabled", False)
        else:
            if resource.is_unknown("access_logs") \
                    or str(resource.get("load_balancer_type") or "application") == "gateway":
                return
            # Terraform's enabled defaults to true once a bucket is named.
            logged = resource.get("access_logs.enabled", not resource.missing(
                "access_logs.bucket"))
        if str(logged).lower() != "true":
            yield "requests through the load balancer are not logged"


@rule
class BucketWithoutAccessLogs(Rule):
    id = "PUR-SEC-076"
    title = "Sensitive S3 bucket has no server access logging"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.s3.bucket")
    frameworks = ("CIS-AWS 3.6", "AWS-FSBP S3.9", *AUDIT)
    remediation = ("Add an aws_s3_bucket_logging (LoggingConfiguration) to a log bucket, so "
                   "every read of the personal or confidential data it holds is recorded.")
    equivalents = {"checkov": ("CKV_AWS_18",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        # Sensitive by its data-classification tag (purser.yaml residency.tag).
        data_class = classification(resource, context)
        if data_class not in SENSITIVE_CLASSES or not resource.missing("logging.target_bucket") \
                or _logging_resource(resource, context) or _is_log_target(resource, context):
            return
        yield Violation(f"{data_class} data: object reads and writes are not logged",
                        evidence={"classification": data_class})


def _logging_resource(bucket: Resource, context: RuleContext) -> bool:
    name = bucket.get("bucket")
    return any(bucket.address in r.depends_on or (isinstance(name, str) and r.get("bucket") == name)
               or r.is_unknown("bucket") for r in context.of_kind("aws.s3.bucket_logging"))


def _is_log_target(bucket: Resource, context: RuleContext) -> bool:
    """A bucket that receives access logs need not log itself: its ACL lets S3 log delivery
    write, or an aws_s3_bucket_logging sends logs to it."""
    return str(bucket.get("acl") or "").replace("-", "").lower() == "logdeliverywrite" \
        or any(isinstance(target, Ref) and target.address == bucket.address
               for target in (r.get("target_bucket")
                              for r in context.of_kind("aws.s3.bucket_logging")))


@rule
class DatabaseWithoutDeletionProtection(_SecurityRule):
    id = "PUR-SEC-077"
    title = "Database has no deletion protection"
    severity = Severity.low
    resource_types = kinds.types(*DATABASES)
    frameworks = ("AWS-FSBP RDS.7", "AWS-FSBP RDS.8", *RECOVERY)
    remediation = "Set deletion_protection = true (DeletionProtection)."
    equivalents = {"checkov": ("CKV_AWS_293", "CKV_AWS_139", "CKV2_AWS_58")}
    path, expect, default = "deletion_protection", ON, False
    # An Aurora instance is protected through its cluster, a replica through its source.
    when = {"db_cluster_identifier": Expect(absent=True),
            "replicate_source_db": Expect(absent=True)}
    message = "one apply or console click deletes the database (deletion_protection is {value})"


@rule
class DatabaseShortBackups(_SecurityRule):
    id = "PUR-SEC-078"
    title = "Database keeps automated backups for less than 7 days"
    severity = Severity.low
    resource_types = kinds.types(*DATABASES)
    frameworks = ("AWS-FSBP RDS.11", "AWS-FSBP DocumentDB.2", "AWS-FSBP Neptune.5", *RECOVERY)
    remediation = "Set backup_retention_period to at least 7 (BackupRetentionPeriod)."
    equivalents = {"checkov": ("CKV_AWS_133", "CKV_AWS_361")}
    path, expect, default = "backup_retention_period", Expect(at_least=7), 1
    when = {"db_cluster_identifier": Expect(absent=True),
            "replicate_source_db": Expect(absent=True)}
    message = "backup_retention_period is {value} day(s): a problem found a week later " \
              "cannot be rolled back"


@rule
class DatabaseWithoutIamAuth(_SecurityRule):
    id = "PUR-SEC-102"
    title = "Database does not accept IAM authentication"
    severity = Severity.low
    resource_types = kinds.types("aws.rds.instance", "aws.rds.cluster", "aws.neptune.cluster")
    frameworks = ("AWS-FSBP RDS.10", "AWS-FSBP RDS.12", "SOC 2 CC6.1")
    remediation = ("Set iam_database_authentication_enabled = true so applications connect "
                   "with short-lived IAM tokens instead of a stored password.")
    equivalents = {"checkov": ("CKV_AWS_161", "CKV_AWS_162", "CKV_AWS_359")}
    path, expect, default = "iam_database_authentication_enabled", ON, False
    when = {"db_cluster_identifier": Expect(absent=True),
            "replicate_source_db": Expect(absent=True),
            # Oracle, SQL Server and Db2 take no IAM authentication.
            "engine": Expect(not_one_of=(
                "oracle-ee", "oracle-ee-cdb", "oracle-se2", "oracle-se2-cdb", "sqlserver-ee",
                "sqlserver-se", "sqlserver-ex", "sqlserver-web", "custom-oracle-ee",
                "custom-sqlserver-ee", "db2-se", "db2-ae"))}
    message = "only passwords can open the database " \
              "(iam_database_authentication_enabled is {value})"


@rule
class EksWithoutControlPlaneLogs(Rule):
    id = "PUR-SEC-103"
    title = "EKS control plane does not log API and audit events"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.eks.cluster")
    frameworks = ("AWS-FSBP EKS.8", *AUDIT)
    remediation = ("Set enabled_cluster_log_types = [\"api\", \"audit\", \"authenticator\"] "
                   "(Logging.ClusterLogging.EnabledTypes).")
    equivalents = {"checkov": ("CKV_AWS_37",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.is_unknown("enabled_cluster_log_types"):
            return
        enabled = resource.get("enabled_cluster_log_types")
        names = {str(t.get("Type") if isinstance(t, dict) else t).lower()
                 for t in enabled} if isinstance(enabled, list) else set()
        missing = [t for t in ("api", "audit") if t not in names]
        if missing:
            yield f"control plane {' and '.join(missing)} logs are off: who did what to the " \
                  "cluster is not recorded"


@rule
class CacheWithoutSnapshots(_SecurityRule):
    id = "PUR-SEC-104"
    title = "ElastiCache replication group keeps no automatic snapshots"
    severity = Severity.low
    resource_types = kinds.types("aws.elasticache.replication_group")
    frameworks = ("AWS-FSBP ElastiCache.1", *RECOVERY)
    remediation = "Set snapshot_retention_limit to 1 or more (SnapshotRetentionLimit)."
    equivalents = {"checkov": ("CKV_AWS_134",)}
    path, expect, default = "snapshot_retention_limit", Expect(at_least=1), 0
    when = {"engine": Expect(not_equals="memcached")}  # memcached has no snapshots
    message = "a lost primary loses the data (snapshot_retention_limit is {value})"


@rule
class ApiStageWithoutTracing(_SecurityRule):
    id = "PUR-SEC-105"
    title = "API Gateway REST stage does not trace requests"
    severity = Severity.low
    resource_types = kinds.types("aws.apigateway.stage")
    frameworks = ("AWS-FSBP APIGateway.3", "SOC 2 CC7.2")
    remediation = "Set xray_tracing_enabled = true (TracingEnabled)."
    equivalents = {"checkov": ("CKV_AWS_73",)}
    path, expect, default = "xray_tracing_enabled", ON, False
    message = "requests are not traced with X-Ray (xray_tracing_enabled is {value})"


@rule
class TrailWithoutCloudWatch(_SecurityRule):
    id = "PUR-SEC-106"
    title = "CloudTrail trail does not deliver to CloudWatch Logs"
    severity = Severity.low
    resource_types = kinds.types("aws.cloudtrail.trail")
    frameworks = ("CIS-AWS 3.4", "AWS-FSBP CloudTrail.5", *AUDIT)
    remediation = ("Set cloud_watch_logs_group_arn and cloud_watch_logs_role_arn so metric "
                   "filters and alarms can watch the trail.")
    equivalents = {"checkov": ("CKV2_AWS_10",)}
    path, expect = "cloud_watch_logs_group_arn", Expect(present=True)
    message = "no alarm can fire on trail events: nothing is delivered to CloudWatch Logs"


@rule
class NotebookRootAccess(_SecurityRule):
    id = "PUR-SEC-107"
    title = "SageMaker notebook users have root access"
    severity = Severity.low
    resource_types = kinds.types("aws.sagemaker.notebook_instance")
    frameworks = ("AWS-FSBP SageMaker.3", "SOC 2 CC6.3")
    remediation = "Set root_access = \"Disabled\" (RootAccess)."
    equivalents = {"checkov": ("CKV_AWS_307",)}
    path, expect, default = "root_access", Expect(equals="Disabled"), "Enabled"
    message = "notebook users can change the instance as root (root_access is {value})"


@rule
class DatabaseWithoutMonitoring(_SecurityRule):
    id = "PUR-SEC-115"
    title = "RDS instance has no enhanced monitoring"
    severity = Severity.low
    resource_types = kinds.types("aws.rds.instance")
    frameworks = ("AWS-FSBP RDS.6", "SOC 2 CC7.2")
    remediation = "Set monitoring_interval (60 is enough) and monitoring_role_arn."
    equivalents = {"checkov": ("CKV_AWS_118",)}
    path, expect, default = "monitoring_interval", Expect(at_least=1), 0
    message = "operating-system metrics are not collected (monitoring_interval is {value})"


@rule
class DatabaseMinorUpgradesOff(_SecurityRule):
    id = "PUR-SEC-116"
    title = "RDS instance does not take minor version upgrades"
    severity = Severity.low
    resource_types = kinds.types("aws.rds.instance")
    frameworks = ("AWS-FSBP RDS.13", "PCI-DSS 6.3.3")
    remediation = "Leave auto_minor_version_upgrade at true (AutoMinorVersionUpgrade)."
    equivalents = {"checkov": ("CKV_AWS_226",)}
    path, expect, default = "auto_minor_version_upgrade", Expect(not_equals=False), True
    message = "security patches of the engine wait for a manual upgrade " \
              "(auto_minor_version_upgrade is {value})"


@rule
class DatabaseWithoutLogExports(_SecurityRule):
    id = "PUR-SEC-117"
    title = "Database exports no logs to CloudWatch"
    severity = Severity.low
    resource_types = kinds.types("aws.rds.instance", "aws.rds.cluster")
    frameworks = ("AWS-FSBP RDS.9", "AWS-FSBP RDS.34", *AUDIT)
    remediation = ("Set enabled_cloudwatch_logs_exports (e.g. [\"postgresql\"], "
                   "[\"audit\", \"error\"]) so connections and errors are kept.")
    equivalents = {"checkov": ("CKV_AWS_129", "CKV_AWS_324", "CKV_AWS_325")}
    path, expect = "enabled_cloudwatch_logs_exports", Expect(present=True)
    when = {"db_cluster_identifier": Expect(absent=True),
            "replicate_source_db": Expect(absent=True)}
    message = "database logs stay on the instance and are lost with it"


@rule
class TableWithoutDeletionProtection(_SecurityRule):
    id = "PUR-SEC-118"
    title = "DynamoDB table has no deletion protection"
    severity = Severity.low
    resource_types = kinds.types("aws.dynamodb.table")
    frameworks = RECOVERY
    remediation = "Set deletion_protection_enabled = true (DeletionProtectionEnabled)."
    path, expect, default = "deletion_protection_enabled", ON, False
    message = "one apply deletes the table and its data (deletion_protection_enabled is {value})"


@rule
class DistributionWithoutWaf(_SecurityRule):
    id = "PUR-SEC-119"
    title = "CloudFront distribution has no web application firewall"
    severity = Severity.low
    resource_types = kinds.types("aws.cloudfront.distribution")
    frameworks = ("AWS-FSBP CloudFront.6", "PCI-DSS 6.4.2")
    remediation = "Set web_acl_id (WebACLId) to an AWS WAF web ACL."
    equivalents = {"checkov": ("CKV_AWS_68",)}
    path, expect = "web_acl_id", Expect(present=True)
    message = "requests reach the origin with no WAF rule in front"


@rule
class DistributionWithoutLogs(_SecurityRule):
    id = "PUR-SEC-120"
    title = "CloudFront distribution writes no access logs"
    severity = Severity.low
    resource_types = kinds.types("aws.cloudfront.distribution")
    frameworks = ("AWS-FSBP CloudFront.5", *AUDIT)
    remediation = "Add logging_config { bucket = <log bucket domain> } (Logging.Bucket)."
    equivalents = {"checkov": ("CKV_AWS_86",)}
    path, expect = "logging_config.bucket", Expect(present=True)
    message = "viewer requests are not logged"


@rule
class LoadBalancerKeepsInvalidHeaders(Rule):
    id = "PUR-SEC-121"
    title = "Application load balancer passes invalid HTTP headers on"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = ("aws_lb", "aws_alb")  # CloudFormation keeps it in an attribute list
    frameworks = ("AWS-FSBP ELB.4",)
    remediation = "Set drop_invalid_header_fields = true."
    equivalents = {"checkov": ("CKV_AWS_131",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        kind = str(resource.get("load_balancer_type") or "application")
        if kind == "application" and not resource.is_unknown("drop_invalid_header_fields") \
                and str(resource.get("drop_invalid_header_fields")).lower() != "true":
            yield "malformed headers reach the targets (request smuggling)"


@rule
class SearchDomainWithoutLogs(Rule):
    id = "PUR-SEC-164"
    title = "OpenSearch/Elasticsearch domain publishes no logs"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.opensearch.domain")
    frameworks = ("AWS-FSBP ES.4", "AWS-FSBP Opensearch.4", *AUDIT)
    remediation = ("Add log_publishing_options { log_type = \"ES_APPLICATION_LOGS\", "
                   "cloudwatch_log_group_arn = ... } (LogPublishingOptions), and AUDIT_LOGS "
                   "once fine-grained access control is on.")
    equivalents = {"checkov": ("CKV_AWS_84",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.is_unknown("log_publishing_options") \
                or resource.is_unknown("LogPublishingOptions"):
            return
        if not any(str(enabled).lower() == "true" for enabled in _published_logs(resource)):
            yield "no error, slow or audit log reaches CloudWatch: failures and access " \
                  "to the domain leave no record"


def _published_logs(resource: Resource) -> Iterator[object]:
    """The `enabled` flag of each log the domain publishes: Terraform lists blocks (enabled
    unless told), CloudFormation maps each log type to its option."""
    blocks = resource.get("log_publishing_options")
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("cloudwatch_log_group_arn"):
            yield block.get("enabled", True)
    options = resource.get("LogPublishingOptions")
    for option in options.values() if isinstance(options, dict) else []:
        if isinstance(option, dict):
            yield option.get("Enabled", True)


@rule
class RedshiftWithoutAuditLog(Rule):
    id = "PUR-SEC-167"
    title = "Redshift cluster writes no audit log"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.redshift.cluster")
    frameworks = ("AWS-FSBP Redshift.4", *AUDIT)
    remediation = ("Add an aws_redshift_logging resource (or logging { enable = true } on "
                   "older providers; LoggingProperties in CloudFormation) sending connection "
                   "and user logs to S3 or CloudWatch.")
    equivalents = {"checkov": ("CKV_AWS_71",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        paths = ("logging", "LoggingProperties")
        if any(resource.is_unknown(p) for p in paths):
            return
        if str(resource.get("logging.enable")).lower() == "true" \
                or not resource.missing("LoggingProperties"):
            return
        if any(_logs_cluster(logging, resource) for logging in
               context.of_type("aws_redshift_logging")):
            return
        yield "connections and queries leave no audit record"


def _logs_cluster(logging: Resource, cluster: Resource) -> bool:
    """An aws_redshift_logging resource for `cluster`: by reference or by identifier (one
    whose identifier is not known may be this cluster's, so it counts)."""
    if cluster.address in logging.depends_on or logging.is_unknown("cluster_identifier"):
        return True
    return logging.get("cluster_identifier") == cluster.get("cluster_identifier")
