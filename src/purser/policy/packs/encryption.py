"""Security pack, encryption at rest and in transit for data stores, streams, search, ML,
keys and secrets (RDS/Aurora, EBS, S3, SQS, SNS and DynamoDB live in security.py).

Severity follows what is at risk: storage AWS leaves in plaintext unless told is high;
where AWS encrypts with its own key by default, a missing customer key is medium or low.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from purser import kinds
from purser.model import Category, Ref, Resource, Severity
from purser.policy import secrets
from purser.policy.declarative import AttributeRule, Expect
from purser.policy.rule import Rule, RuleContext, Violation, rule

ENCRYPTION_AT_REST = ("GDPR art. 32", "HIPAA 164.312(a)(2)(iv)", "PCI-DSS 3.5.1", "SOC 2 CC6.1")
IN_TRANSIT = ("GDPR art. 32", "HIPAA 164.312(e)(1)", "PCI-DSS 4.2.1", "SOC 2 CC6.7")
ON = Expect(equals=True)


class _SecurityRule(AttributeRule):
    category = Category.security
    pack = "security"


@rule
class NeptuneUnencrypted(_SecurityRule):
    id = "PUR-SEC-049"
    title = "Neptune cluster storage is not encrypted"
    severity = Severity.high
    resource_types = kinds.types("aws.neptune.cluster")
    frameworks = ("AWS-FSBP Neptune.1", *ENCRYPTION_AT_REST)
    remediation = "Set storage_encrypted = true (StorageEncrypted), ideally with kms_key_arn."
    equivalents = {"checkov": ("CKV_AWS_44",)}
    path, expect, default = "storage_encrypted", ON, False
    message = "graph storage is not encrypted (storage_encrypted is {value})"


@rule
class DocumentDbUnencrypted(_SecurityRule):
    id = "PUR-SEC-050"
    title = "DocumentDB cluster storage is not encrypted"
    severity = Severity.high
    resource_types = kinds.types("aws.docdb.cluster")
    frameworks = ("AWS-FSBP DocumentDB.1", *ENCRYPTION_AT_REST)
    remediation = "Set storage_encrypted = true (StorageEncrypted), ideally with kms_key_id."
    equivalents = {"checkov": ("CKV_AWS_74",)}
    path, expect, default = "storage_encrypted", ON, False
    message = "document storage is not encrypted (storage_encrypted is {value})"


@rule
class ElastiCacheAtRest(_SecurityRule):
    id = "PUR-SEC-051"
    title = "ElastiCache replication group is not encrypted at rest"
    severity = Severity.high
    resource_types = kinds.types("aws.elasticache.replication_group")
    frameworks = ("AWS-FSBP ElastiCache.4", *ENCRYPTION_AT_REST)
    remediation = "Set at_rest_encryption_enabled = true (AtRestEncryptionEnabled)."
    equivalents = {"checkov": ("CKV_AWS_29",)}
    path, expect, default = "at_rest_encryption_enabled", ON, False
    message = "cache snapshots and swap are not encrypted (at_rest_encryption_enabled is {value})"


@rule
class SearchAtRest(_SecurityRule):
    id = "PUR-SEC-052"
    title = "OpenSearch/Elasticsearch domain is not encrypted at rest"
    severity = Severity.high
    resource_types = kinds.types("aws.opensearch.domain")
    frameworks = ("AWS-FSBP ES.1", "AWS-FSBP Opensearch.1", *ENCRYPTION_AT_REST)
    remediation = "Add encrypt_at_rest { enabled = true } (EncryptionAtRestOptions.Enabled)."
    equivalents = {"checkov": ("CKV_AWS_5",)}
    path, expect, default = "encrypt_at_rest.enabled", ON, False
    message = "indexes are not encrypted at rest (encrypt_at_rest.enabled is {value})"
    # Left out, the outcome depends on how and when the domain is created: declare it.
    absent_severity = Severity.medium
    absent_message = ("encrypt_at_rest is not declared: the domain is encrypted only if "
                      "the creating tool's default says so")


@rule
class SearchNodeToNode(_SecurityRule):
    id = "PUR-SEC-053"
    title = "OpenSearch/Elasticsearch nodes talk to each other unencrypted"
    severity = Severity.medium
    resource_types = kinds.types("aws.opensearch.domain")
    frameworks = ("AWS-FSBP ES.3", "AWS-FSBP Opensearch.3", *IN_TRANSIT)
    remediation = ("Add node_to_node_encryption { enabled = true } "
                   "(NodeToNodeEncryptionOptions.Enabled).")
    equivalents = {"checkov": ("CKV_AWS_6",)}
    path, expect, default = "node_to_node_encryption.enabled", ON, False
    message = "traffic between nodes is plaintext (node_to_node_encryption.enabled is {value})"


@rule
class SearchHttpsNotEnforced(_SecurityRule):
    id = "PUR-SEC-054"
    title = "OpenSearch/Elasticsearch domain accepts plain HTTP"
    severity = Severity.high
    resource_types = kinds.types("aws.opensearch.domain")
    frameworks = ("AWS-FSBP ES.8", "AWS-FSBP Opensearch.8", *IN_TRANSIT)
    remediation = ("Set domain_endpoint_options { enforce_https = true, tls_security_policy = "
                   "\"Policy-Min-TLS-1-2-2019-07\" } (DomainEndpointOptions.EnforceHTTPS).")
    # Without HTTPS enforced this is the one finding; PUR-SEC-098 judges the TLS policy after.
    equivalents = {"checkov": ("CKV_AWS_83", "CKV_AWS_228")}
    path, expect, default = "domain_endpoint_options.enforce_https", ON, False
    message = "queries and credentials may travel over HTTP (enforce_https is {value})"
    absent_severity = Severity.medium
    absent_message = ("enforce_https is not declared: the API's default accepts plain HTTP "
                      "unless the creating tool turns HTTPS on")


@rule
class EfsUnencrypted(_SecurityRule):
    id = "PUR-SEC-055"
    title = "EFS file system is not encrypted"
    severity = Severity.high
    resource_types = kinds.types("aws.efs.file_system")
    frameworks = ("AWS-FSBP EFS.1", *ENCRYPTION_AT_REST)
    remediation = "Set encrypted = true (Encrypted), with kms_key_id for a customer key."
    equivalents = {"checkov": ("CKV_AWS_42",)}
    path, expect, default = "encrypted", ON, False
    message = "file system is not encrypted (encrypted is {value})"


@rule
class KinesisUnencrypted(_SecurityRule):
    id = "PUR-SEC-056"
    title = "Kinesis stream is not encrypted"
    severity = Severity.high
    resource_types = kinds.types("aws.kinesis.stream")
    frameworks = ("AWS-FSBP Kinesis.1", *ENCRYPTION_AT_REST)
    remediation = ("Set encryption_type = \"KMS\" with kms_key_id (alias/aws/kinesis or a "
                   "customer key); StreamEncryption in CloudFormation.")
    equivalents = {"checkov": ("CKV_AWS_43",)}
    path, expect, default = "encryption_type", Expect(equals="KMS"), "NONE"
    message = "records are stored unencrypted (encryption_type is {value})"


@rule
class SageMakerEndpointNoKey(_SecurityRule):
    id = "PUR-SEC-057"
    title = "SageMaker endpoint volumes are not encrypted with a KMS key"
    severity = Severity.medium
    resource_types = kinds.types("aws.sagemaker.endpoint_configuration")
    frameworks = ENCRYPTION_AT_REST
    remediation = "Set kms_key_arn (KmsKeyId) so the model's storage volumes use your key."
    equivalents = {"checkov": ("CKV_AWS_98",)}
    path, expect = "kms_key_arn", Expect(present=True)
    message = "endpoint storage volumes have no KMS key (kms_key_arn is {value})"


@rule
class SageMakerNotebookNoKey(_SecurityRule):
    id = "PUR-SEC-058"
    title = "SageMaker notebook volume is not encrypted with a KMS key"
    severity = Severity.medium
    resource_types = kinds.types("aws.sagemaker.notebook_instance")
    frameworks = ENCRYPTION_AT_REST
    remediation = "Set kms_key_id (KmsKeyId) on the notebook instance."
    equivalents = {"checkov": ("CKV_AWS_22",)}
    path, expect = "kms_key_id", Expect(present=True)
    message = "notebook storage has no KMS key (kms_key_id is {value})"


@rule
class KmsRotationOff(_SecurityRule):
    id = "PUR-SEC-059"
    title = "KMS key is not rotated"
    severity = Severity.medium
    resource_types = kinds.types("aws.kms.key")
    frameworks = ("CIS-AWS 3.8", "AWS-FSBP KMS.4", "PCI-DSS 3.7.4")
    remediation = "Set enable_key_rotation = true (EnableKeyRotation)."
    equivalents = {"checkov": ("CKV_AWS_7",)}
    path, expect, default = "enable_key_rotation", ON, False
    # Only symmetric encryption keys can rotate automatically.
    when = {"customer_master_key_spec": Expect(one_of=("SYMMETRIC_DEFAULT", None))}
    message = "key material never rotates (enable_key_rotation is {value})"


@rule
class FirehoseUnencrypted(Rule):
    id = "PUR-SEC-060"
    title = "Firehose delivery stream does not encrypt buffered records"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.firehose.delivery_stream")
    frameworks = ENCRYPTION_AT_REST
    remediation = ("Add server_side_encryption { enabled = true } "
                   "(DeliveryStreamEncryptionConfigurationInput).")
    equivalents = {"checkov": ("CKV_AWS_240",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        # A Kinesis stream source is encrypted by the stream; Firehose takes no key then.
        paths = ("server_side_encryption.enabled", "server_side_encryption.key_type",
                 "kinesis_source_configuration.kinesis_stream_arn")
        if any(resource.is_unknown(p) for p in paths) \
                or not resource.missing(paths[1]) or not resource.missing(paths[2]):
            return
        if str(resource.get(paths[0])).lower() != "true":
            yield "records buffered by the delivery stream are not encrypted"


@rule
class LambdaSecretsWithoutKey(Rule):
    id = "PUR-SEC-061"
    title = "Lambda environment holds secrets without a customer KMS key"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.lambda.function")
    frameworks = ENCRYPTION_AT_REST
    remediation = ("Move the secrets to Secrets Manager; until then set kms_key_arn "
                   "(KmsKeyArn) so reading the environment needs kms:Decrypt on your key.")
    equivalents = {"checkov": ("CKV_AWS_173",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        variables = resource.get("environment.variables")
        if not isinstance(variables, dict) or not resource.missing("kms_key_arn"):
            return
        named = sorted(name for name, value in variables.items()
                       if secrets.judge(name, value) is not None)
        if named:
            yield Violation(f"environment variables {', '.join(named)} look secret and the "
                            "environment uses the AWS-managed key",
                            evidence={"variables": named})


@rule
class SecretNotRotated(Rule):
    id = "PUR-SEC-062"
    title = "Secrets Manager secret has no rotation"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.secretsmanager.secret")
    frameworks = ("AWS-FSBP SecretsManager.1", "PCI-DSS 8.3.9", "SOC 2 CC6.1")
    remediation = ("Add an aws_secretsmanager_secret_rotation (RotationSchedule) with a "
                   "rotation function or a managed rotation.")
    equivalents = {"checkov": ("CKV2_AWS_57",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        name = resource.get("name")
        for rotation in context.of_kind("aws.secretsmanager.rotation"):
            secret = rotation.get("secret_id")
            if rotation.is_unknown("secret_id") \
                    or (isinstance(secret, Ref) and secret.address == resource.address) \
                    or (isinstance(name, str) and secret == name) \
                    or resource.address in rotation.depends_on:
                return
        yield "no rotation schedule: the secret stays the same until someone changes it"


@rule
class RedshiftUnencrypted(_SecurityRule):
    id = "PUR-SEC-093"
    title = "Redshift cluster is not encrypted"
    severity = Severity.high
    # Clusters created since January 2025 are encrypted unless told otherwise.
    absent_severity = Severity.medium
    resource_types = kinds.types("aws.redshift.cluster")
    frameworks = ("AWS-FSBP Redshift.10", *ENCRYPTION_AT_REST)
    remediation = "Set encrypted = true (Encrypted) with kms_key_id for a customer key."
    equivalents = {"checkov": ("CKV_AWS_64",)}
    path, expect = "encrypted", ON
    message = "warehouse storage is not encrypted (encrypted is {value})"
    absent_message = ("encrypted is not set: clusters created since January 2025 are "
                      "encrypted by default, older clusters are not")


@rule
class EcrWithoutKms(_SecurityRule):
    id = "PUR-SEC-094"
    title = "ECR repository is encrypted only with the AWS-owned key"
    severity = Severity.low
    resource_types = kinds.types("aws.ecr.repository")
    frameworks = ENCRYPTION_AT_REST
    remediation = ("Set encryption_configuration { encryption_type = \"KMS\" } "
                   "(EncryptionConfiguration.EncryptionType: KMS).")
    equivalents = {"checkov": ("CKV_AWS_136",)}
    path, expect, default = "encryption_configuration.encryption_type", \
        Expect(equals="KMS"), "AES256"
    message = "images are encrypted with the AWS-owned key (encryption_type is {value})"


@rule
class SecretWithoutCustomerKey(_SecurityRule):
    id = "PUR-SEC-095"
    title = "Secrets Manager secret uses the AWS-managed key"
    severity = Severity.low
    resource_types = kinds.types("aws.secretsmanager.secret")
    frameworks = ENCRYPTION_AT_REST
    remediation = ("Set kms_key_id (KmsKeyId) to a customer managed key, so who may read "
                   "the secret is also a matter of the key policy.")
    equivalents = {"checkov": ("CKV_AWS_149",)}
    path, expect = "kms_key_id", Expect(present=True)
    message = "the secret is encrypted with aws/secretsmanager, usable by any principal " \
              "allowed to read it"


@rule
class EksSecretsUnencrypted(Rule):
    id = "PUR-SEC-096"
    title = "EKS cluster does not encrypt Kubernetes Secrets with a KMS key"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.eks.cluster")
    frameworks = ("AWS-FSBP EKS.3", *ENCRYPTION_AT_REST)
    remediation = ("Add encryption_config { resources = [\"secrets\"] provider { key_arn = "
                   "<KMS key> } } (EncryptionConfig in CloudFormation).")
    equivalents = {"checkov": ("CKV_AWS_58",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.is_unknown("encryption_config"):
            return
        configs = resource.get("encryption_config")
        resources = [str(r) for c in configs if isinstance(c, dict)
                     for r in c.get("resources") or []] if isinstance(configs, list) else []
        if "secrets" not in resources:
            yield "Kubernetes Secrets are stored in etcd without envelope encryption"


@rule
class CacheWithoutAuthToken(Rule):
    id = "PUR-SEC-128"
    title = "Redis replication group encrypts traffic but asks no AUTH token"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.elasticache.replication_group")
    frameworks = ("AWS-FSBP ElastiCache.6", "SOC 2 CC6.1")
    remediation = ("Set auth_token (from a secret, never a literal) or use RBAC user groups "
                   "(user_group_ids).")
    equivalents = {"checkov": ("CKV_AWS_31",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if str(resource.get("transit_encryption_enabled")).lower() != "true" \
                or not resource.missing("auth_token") or not resource.missing("user_group_ids"):
            return
        yield "any client that reaches the port can run commands: no AUTH token or user group"


@rule
class RedshiftSslNotRequired(Rule):
    id = "PUR-SEC-166"
    title = "Redshift parameter group does not require SSL"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = ("aws_redshift_parameter_group", "AWS::Redshift::ClusterParameterGroup")
    frameworks = ("AWS-FSBP Redshift.2", *IN_TRANSIT)
    remediation = ("Add parameter { name = \"require_ssl\", value = \"true\" } "
                   "(Parameters: ParameterName require_ssl, ParameterValue \"true\").")
    equivalents = {"checkov": ("CKV_AWS_105",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.is_unknown("parameter") or resource.is_unknown("Parameters"):
            return
        found = resource.get("parameter") or resource.get("Parameters")
        value: object = "false"  # the engine's default
        for parameter in found if isinstance(found, list) else []:
            if isinstance(parameter, dict) and str(
                    parameter.get("name") or parameter.get("ParameterName")) == "require_ssl":
                value = parameter.get("value", parameter.get("ParameterValue"))
        if str(value).lower() != "true":
            yield f"require_ssl is {str(value).lower()}: clusters using this group accept " \
                  "unencrypted connections"


# The parameter that makes each engine refuse unencrypted connections, and the first
# version whose default parameter group turns it on (RDS user guide, "Requiring SSL/TLS
# for all connections" for MySQL and MariaDB; PostgreSQL 15's rds.force_ssl default).
FORCE_TLS = {"mysql": "require_secure_transport", "mariadb": "require_secure_transport",
             "postgres": "rds.force_ssl"}
FORCED_BY_DEFAULT_FROM = {"mysql": (9,), "mariadb": (11, 8), "postgres": (15,)}
DB_PARAMETER_GROUPS = ("aws_db_parameter_group", "AWS::RDS::DBParameterGroup")


@rule
class DatabaseAcceptsPlaintext(Rule):
    id = "PUR-SEC-168"
    title = "RDS instance accepts unencrypted connections"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.rds.instance")
    frameworks = IN_TRANSIT
    remediation = ("In the instance's DB parameter group set require_secure_transport = 1 "
                   "(MySQL, MariaDB) or rds.force_ssl = 1 (PostgreSQL before 15).")
    equivalents = {"checkov": ("CKV2_AWS_69",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        # An Aurora instance takes its cluster's parameter group.
        if not resource.missing("db_cluster_identifier") or resource.is_unknown("engine") \
                or resource.is_unknown("engine_version"):
            return
        named = resource.get("parameter_group_name") or resource.get("DBParameterGroupName")
        if resource.is_unknown("parameter_group_name") \
                or resource.is_unknown("DBParameterGroupName"):
            return
        if not named:
            family = f"{resource.get('engine') or ''}{resource.get('engine_version') or ''}"
            if _forces_tls(family, None) is False:
                yield f"the default parameter group of {family} leaves unencrypted " \
                      "connections allowed"
            return
        group = _parameter_group(named, context)
        if group is None or group.is_unknown("parameter") or group.is_unknown("Parameters"):
            return  # a group outside the repository, or not known: not judged
        family = str(group.get("family") or group.get("Family") or resource.get("engine") or "")
        if _forces_tls(family, _parameters(group)) is False:
            yield f"parameter group {group.name} does not force TLS " \
                  f"({FORCE_TLS[_engine(family)]} is not 1)"


def _engine(family: str) -> str:
    lowered = family.lower()
    return next((engine for engine in FORCE_TLS if lowered.startswith(engine)), "")


def _forces_tls(family: str, parameters: dict[str, object] | None) -> bool | None:
    """Whether a group of `family` (engine and version) with `parameters` (None: the
    default group) refuses plaintext; None when not known or not an engine judged here."""
    engine = _engine(family)
    if not engine:
        return None
    value = (parameters or {}).get(FORCE_TLS[engine])
    if value is not None:
        return str(value).lower() in ("1", "on", "true")
    # At most 2 numbers of 6 digits: a hostile family must not become a huge int.
    version = tuple(int(part[:6]) for part in re.findall(r"\d+", family[len(engine):200])[:2])
    return version >= FORCED_BY_DEFAULT_FROM[engine] if version else None


def _parameter_group(named: object, context: RuleContext) -> Resource | None:
    if isinstance(named, Ref):
        return context.find(named.address)
    return next((group for group in context.of_type(*DB_PARAMETER_GROUPS)
                 if group.get("name") == named or group.get("DBParameterGroupName") == named),
                None)


def _parameters(group: Resource) -> dict[str, object]:
    """Terraform lists {name, value} blocks; CloudFormation maps names to values."""
    found = group.get("parameter") or group.get("Parameters")
    if isinstance(found, dict):
        return {str(name): value for name, value in found.items()}
    return {str(p.get("name")): p.get("value") for p in found or []
            if isinstance(p, dict)} if isinstance(found, list) else {}
