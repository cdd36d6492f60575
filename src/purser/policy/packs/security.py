"""Security pack: least privilege, public exposure, encryption at rest, hardened workloads.

Framework references: CIS-AWS numbers follow the CIS AWS Foundations Benchmark v1.4.0,
CIS-K8S numbers the CIS Kubernetes Benchmark v1.6.0, PCI-DSS numbers PCI DSS v4.0,
AWS-FSBP the AWS Foundational Security Best Practices control ids, K8S-PSS the
Kubernetes Pod Security Standards profile that forbids the setting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from purser import kinds
from purser.model import Category, Resource, Severity, dig
from purser.policy import functions, iam, secrets
from purser.policy.rule import Rule, RuleContext, Violation, rule
from purser.policy.workloads import WORKLOAD_TYPES, containers, manifest_list, pod_spec

ENCRYPTION_AT_REST = ("GDPR art. 32", "HIPAA 164.312(a)(2)(iv)", "PCI-DSS 3.5.1", "SOC 2 CC6.1")
LEAST_PRIVILEGE = ("PCI-DSS 7.2.1", "SOC 2 CC6.3", "HIPAA 164.312(a)(1)")

def _quoted(values: list[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _absent(resource: Resource, *paths: str) -> bool:
    """True when none of the attributes at `paths` is set and none is statically unknown."""
    return all(resource.missing(path) for path in paths)


def _true(value: Any) -> bool:
    """A boolean flag that is on; CloudFormation templates often spell it "true"."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


# ---------------------------------------------------------------------------- IAM

def _writes(action: str) -> bool:
    """True for an action pattern that can change or administer something."""
    verb = action.partition(":")[2].lower()
    return verb.startswith(("*", "put", "create", "delete", "update", "attach", "detach",
                            "modify", "set", "add", "remove", "write", "terminate", "replace",
                            "pass", "run", "tag", "untag", "upload", "restore"))


def _unscoped_writes(statement: iam.Statement) -> list[str]:
    """Write actions a statement allows on Resource "*" with no Condition scoping them,
    leaving out actions AWS grants only on "*" and Action "*" (PUR-SEC-001)."""
    if not statement.allows or "*" not in statement.resources \
            or statement.scoped_by_condition():
        return []
    # iam:PassRole reports as PUR-SEC-004, escalation actions as PUR-SEC-048.
    return [a for a in statement.actions
            if a != "*" and _writes(a) and statement.needs_resource_scope(a)
            and a.lower() not in SEPARATELY_REPORTED]


SEPARATELY_REPORTED = frozenset(a.lower() for a in ("iam:PassRole", *iam.ESCALATION_ACTIONS))


def _statement_evidence(path: str, statement: iam.Statement) -> dict[str, Any]:
    return {"policy": path, "sid": statement.sid, "actions": statement.actions,
            "resources": statement.resources}


@rule
class IamWildcardAction(Rule):
    id = "PUR-SEC-001"
    title = "IAM policy allows every action"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = iam.PERMISSION_POLICY_TYPES
    frameworks = ("CIS-AWS 1.16", "AWS-FSBP IAM.1", *LEAST_PRIVILEGE)
    remediation = ("List the actions the principal needs instead of \"*\"; grant "
                   "administration through a reviewed, separately audited role.")
    # "*" grants every escalation, credential, data-read and IAM action those checks list.
    equivalents = {"checkov": ("CKV_AWS_1", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_286",
                               "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_290",
                               "CKV_AWS_355", "CKV2_AWS_40", "CKV_AWS_107", "CKV_AWS_108",
                               "CKV_AWS_109", "CKV_AWS_110", "CKV_AWS_111")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for path, statement in iam.permission_statements(resource):
            if statement.allows and "*" in statement.actions:
                yield Violation(f'IAM policy allows Action "*" on Resource '
                                f"{_quoted(statement.resources)}",
                                evidence=_statement_evidence(path, statement))


@rule
class IamServiceWildcard(Rule):
    id = "PUR-SEC-002"
    title = "IAM policy allows every action of a service"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = iam.PERMISSION_POLICY_TYPES
    frameworks = LEAST_PRIVILEGE
    remediation = "Replace \"service:*\" with the specific actions the workload calls."
    equivalents = {"checkov": ("CKV_AWS_63",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for path, statement in iam.permission_statements(resource):
            wildcards = [a for a in statement.actions if a.endswith(":*")]
            # A statement that writes on every resource reports once, as PUR-SEC-003.
            if statement.allows and wildcards and not _unscoped_writes(statement):
                yield Violation(f"IAM policy allows Action {_quoted(wildcards)} on Resource "
                                f"{_quoted(statement.resources)}",
                                evidence=_statement_evidence(path, statement))


@rule
class IamWriteOnAnyResource(Rule):
    id = "PUR-SEC-003"
    title = "IAM policy allows write or admin actions on every resource"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = iam.PERMISSION_POLICY_TYPES
    frameworks = LEAST_PRIVILEGE
    remediation = ("Scope write actions to the ARNs they act on (the table, bucket or "
                   "queue of this application) instead of Resource \"*\".")
    # A "service:*" statement on Resource "*" holds that service's escalation, credential
    # and data-read actions too; it reports once, here (PUR-SEC-048/108 name single ones).
    equivalents = {"checkov": ("CKV_AWS_111", "CKV_AWS_290", "CKV_AWS_355", "CKV_AWS_109",
                               "CKV_AWS_289", "CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288",
                               "CKV_AWS_107", "CKV_AWS_108", "CKV_AWS_110")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for path, statement in iam.permission_statements(resource):
            writes = _unscoped_writes(statement)
            if writes:
                only_logs = all(w.lower() in iam.LOG_WRITES for w in writes)
                yield Violation(f'IAM policy allows {_quoted(writes)} on Resource "*"'
                                + (" (log writes only: scope them to the function's log "
                                   "group)" if only_logs else ""),
                                severity=Severity.low if only_logs else None,
                                evidence=_statement_evidence(path, statement))


@rule
class IamPassRoleAnyResource(Rule):
    id = "PUR-SEC-004"
    title = "IAM policy allows iam:PassRole on every role"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = iam.PERMISSION_POLICY_TYPES
    frameworks = LEAST_PRIVILEGE
    remediation = ("Restrict iam:PassRole to the ARNs of the roles this principal hands "
                   "to services, ideally with an iam:PassedToService condition.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for path, statement in iam.permission_statements(resource):
            # Action "*" already reports as PUR-SEC-001.
            if statement.allows and "*" in statement.resources and "*" not in statement.actions \
                    and statement.grants("iam:PassRole") and not statement.scoped_by_condition():
                yield Violation('IAM policy allows iam:PassRole on Resource "*", so the '
                                "principal can hand any role to a service it controls",
                                evidence=_statement_evidence(path, statement))


@rule
class IamAllowNotAction(Rule):
    id = "PUR-SEC-005"
    title = "IAM policy allows everything except a list (NotAction with Allow)"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = iam.PERMISSION_POLICY_TYPES
    frameworks = LEAST_PRIVILEGE
    remediation = ("Use Action with the allowed actions; keep NotAction for Deny "
                   "statements, where it narrows instead of widens.")
    equivalents = {"checkov": ("CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289",
                               "CKV_AWS_290", "CKV_AWS_355")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for path, statement in iam.permission_statements(resource):
            if statement.allows and statement.not_actions:
                # On every resource it grants nearly all of AWS, IAM included.
                yield Violation(f"IAM policy allows every action except "
                                f"{_quoted(statement.not_actions)} on Resource "
                                f"{_quoted(statement.resources)}",
                                severity=Severity.high if "*" in statement.resources else None,
                                evidence={"policy": path, "not_actions": statement.not_actions})


@rule
class IamUserInlinePolicy(Rule):
    id = "PUR-SEC-006"
    title = "IAM user has a policy attached directly"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = ("aws_iam_user_policy", "aws_iam_user_policy_attachment", "AWS::IAM::User",
                      "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
    frameworks = ("CIS-AWS 1.15", "SOC 2 CC6.2")
    remediation = ("Attach the policy to a group (or a role the user assumes) and add "
                   "the user to the group.")
    equivalents = {"checkov": ("CKV_AWS_40",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.kind == "aws.iam.user":
            if not resource.missing("inline_policy"):
                yield "IAM user carries inline Policies instead of receiving them via a group"
        elif resource.type.startswith("AWS::IAM::"):  # a policy naming its users
            if not resource.missing("users"):
                yield "policy attached directly to IAM users (its Users list)"
        else:
            yield f"policy attached directly to IAM user {resource.get('user')}"


@rule
class IamTrustAnyPrincipal(Rule):
    id = "PUR-SEC-007"
    title = "IAM role can be assumed by any principal"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = tuple(iam.TRUST_POLICY_PATHS)
    frameworks = LEAST_PRIVILEGE
    equivalents = {"checkov": ("CKV_AWS_60",)}
    remediation = ("Name the accounts, services or federated identity providers that may "
                   "assume the role in the trust policy's Principal.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for statement in iam.trust_statements(resource):
            if statement.allows and statement.anyone:
                # A condition on the caller (external id, OIDC subject, organisation)
                # narrows it, still worth a look; one on MFA or time restricts nobody.
                narrowed = statement.restricts_caller() or any(
                    key.lower().endswith((":sub", ":aud", ":amr"))
                    for _, key, _ in statement.conditions())
                yield Violation('trust policy allows Principal "*" to assume the role'
                                + (" (narrowed only by a Condition)" if narrowed else ""),
                                severity=Severity.high if narrowed else None,
                                evidence={"sid": statement.sid, "actions": statement.actions,
                                          "condition": statement.condition})


# ---------------------------------------------------------------------------- Lambda

@rule
class LambdaSecretInEnvironment(Rule):
    id = "PUR-SEC-008"
    title = "Secret written in clear in a Lambda function's environment"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.lambda.function")
    frameworks = ("PCI-DSS 8.6.2", "SOC 2 CC6.1", "GDPR art. 32")
    remediation = ("Keep the secret in Secrets Manager or SSM Parameter Store; pass its "
                   "ARN in the environment and read it at start-up.")
    equivalents = {"checkov": ("CKV_AWS_45",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        variables = resource.get("environment.variables") or {}
        for name, value in variables.items() if isinstance(variables, dict) else ():
            found = secrets.judge(name, value)
            if found:
                yield Violation(f"environment variable {name} holds {found.why}",
                                severity=found.severity,
                                evidence={"variable": name, "value": secrets.mask(value)})


DEPRECATED_RUNTIMES = frozenset({
    "python2.7", "python3.6", "python3.7", "python3.8", "nodejs", "nodejs4.3", "nodejs6.10",
    "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "java8", "go1.x",
    "ruby2.5", "ruby2.7", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1",
    "dotnet5.0", "dotnet6", "provided",
})


@rule
class LambdaDeprecatedRuntime(Rule):
    id = "PUR-SEC-009"
    title = "Lambda function uses a deprecated runtime"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.lambda.function")
    frameworks = ("AWS-FSBP Lambda.2", "PCI-DSS 6.3.3", "SOC 2 CC7.1")
    remediation = ("Move to a supported runtime (e.g. python3.12, nodejs20.x, "
                   "provided.al2023); deprecated runtimes get no security patches.")
    equivalents = {"checkov": ("CKV_AWS_363",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        runtime = resource.get("runtime")
        if isinstance(runtime, str) and runtime in DEPRECATED_RUNTIMES:
            yield f'runtime "{runtime}" is deprecated and no longer receives security patches'


# Where a function URL keeps its authorization type: its own resource, or (SAM) the function.
URL_AUTHORIZATION = {"aws.lambda.url": "authorization_type",
                     "aws.lambda.function": "function_url_config.authorization_type"}


@rule
class LambdaUrlWithoutAuth(Rule):
    id = "PUR-SEC-010"
    title = "Lambda function URL is open without authentication"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = (*kinds.types("aws.lambda.url"), "AWS::Serverless::Function")
    frameworks = ("AWS-FSBP Lambda.1", "SOC 2 CC6.1", "HIPAA 164.312(d)")
    remediation = ("Set authorization_type = \"AWS_IAM\" and sign requests, or front the "
                   "function with an API Gateway route that has an authorizer.")
    equivalents = {"checkov": ("CKV_AWS_258",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.get(URL_AUTHORIZATION.get(resource.kind, "")) == "NONE":
            yield "function URL has authorization type NONE: anyone on the internet can invoke it"


@rule
class LambdaPermissionAnyPrincipal(Rule):
    id = "PUR-SEC-011"
    title = "Lambda permission lets any principal invoke the function"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.lambda.permission")
    frameworks = ("AWS-FSBP Lambda.1", "SOC 2 CC6.1")
    remediation = ("Name the invoking service or account as principal and set source_arn "
                   "(and source_account) to the resource allowed to call the function.")
    equivalents = {"checkov": ("CKV_AWS_301",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        principal, action = resource.get("principal"), resource.get("action")
        if not isinstance(principal, str) or not _absent(
                resource, "source_arn", "source_account", "principal_org_id"):
            return
        if principal == "*":
            yield Violation(f'lambda permission grants {action} to Principal "*" without a '
                            "source_arn, source_account or principal_org_id")
        elif principal.endswith(".amazonaws.com"):
            # Any account's S3 bucket, topic or API can then invoke it (confused deputy).
            yield Violation(f"lambda permission grants {action} to {principal} without a "
                            "source_arn or source_account: that service in any account "
                            "can invoke the function", severity=Severity.medium)


# ---------------------------------------------------------------------------- S3

# Canned ACLs by what they open, compared without case or hyphens (Terraform writes
# "public-read", CloudFormation "PublicRead").
PUBLIC_ACLS = {"publicread": "anyone on the internet can read objects",
               "publicreadwrite": "anyone on the internet can read and write objects",
               "authenticatedread": "any AWS account, not only this one, can read objects"}
PUBLIC_GROUPS = {"AllUsers": "anyone on the internet",
                 "AuthenticatedUsers": "any AWS account"}
PUBLIC_ACCESS_FLAGS = ("block_public_acls", "block_public_policy", "ignore_public_acls",
                       "restrict_public_buckets")


def _companions(bucket: Resource, context: RuleContext, kind: str) -> list[Resource]:
    """Resources of `kind` configuring `bucket`, by reference or by equal bucket name."""
    found = list(context.referencing(bucket, kind))
    name = bucket.get("bucket")
    if isinstance(name, str):
        found += [r for r in context.of_type(kind) if r.get("bucket") == name and r not in found]
    return found


@rule
class S3PublicAcl(Rule):
    id = "PUR-SEC-012"
    title = "S3 bucket ACL grants public access"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.s3.bucket", "aws.s3.bucket_acl")
    frameworks = ("AWS-FSBP S3.2", "GDPR art. 32", "SOC 2 CC6.1", "PCI-DSS 1.3.1")
    remediation = ("Remove the public canned ACL (use \"private\" or drop ACLs with object "
                   "ownership BucketOwnerEnforced); serve public content through CloudFront "
                   "with an origin access control.")
    equivalents = {"checkov": ("CKV_AWS_20", "CKV_AWS_57")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        yield from _public_acl(resource, "bucket ACL")
        if resource.kind == "aws.s3.bucket":  # the bucket an aws_s3_bucket_acl opens
            for acl in _companions(resource, context, "aws_s3_bucket_acl"):
                for found in _public_acl(acl, f"its ACL {acl.address}"):
                    found.evidence["set_by"] = acl.address
                    yield found


def _public_acl(holder: Resource, what: str) -> Iterator[Violation]:
    """A public canned ACL or a grant to a public group on `holder` (a bucket's own `acl`
    and `grant` blocks, or an aws_s3_bucket_acl with its access_control_policy)."""
    acl = holder.get("acl")
    opened = PUBLIC_ACLS.get(acl.replace("-", "").lower()) if isinstance(acl, str) else None
    if opened:
        yield Violation(f'{what} "{acl}": {opened}', evidence={"acl": acl})
    grants = holder.get("access_control_policy.grant") or holder.get("grant") or []
    for grant in grants if isinstance(grants, list) else []:
        uri = str(dig(grant, "grantee.uri") or dig(grant, "uri") or "")
        group = uri.rsplit("/", 1)[-1]
        if group in PUBLIC_GROUPS:
            permission = dig(grant, "permission") or dig(grant, "permissions")
            yield Violation(f"{what} grants {permission} to {group}: {PUBLIC_GROUPS[group]}",
                            evidence={"grantee": uri, "permission": permission})


@rule
class S3PolicyPublicPrincipal(Rule):
    id = "PUR-SEC-013"
    title = "S3 bucket policy allows any principal"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    # The bucket's own `policy` argument too, not only aws_s3_bucket_policy.
    resource_types = kinds.types("aws.s3.bucket_policy", "aws.s3.bucket")
    frameworks = ("AWS-FSBP S3.2", "GDPR art. 32", "SOC 2 CC6.1")
    equivalents = {"checkov": ("CKV_AWS_70",)}
    remediation = ("Name the principals (accounts, roles, CloudFront origin access "
                   "control) or add a Condition that limits who can use the grant.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for statement in iam.resource_statements(resource):
            # A condition on the caller (source VPC endpoint, org id) is the restriction.
            if statement.allows and statement.anyone and not statement.restricts_caller():
                yield Violation(f'bucket policy allows Principal "*" to '
                                f"{_quoted(statement.actions)} on "
                                f"{_quoted(statement.resources)}",
                                evidence={"sid": statement.sid, "actions": statement.actions})


@rule
class S3NoPublicAccessBlock(Rule):
    id = "PUR-SEC-014"
    title = "S3 bucket has no complete public access block"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.s3.bucket")
    frameworks = ("CIS-AWS 2.1.5", "AWS-FSBP S3.8", "SOC 2 CC6.1")
    remediation = ("Add an aws_s3_bucket_public_access_block for the bucket with all four "
                   "flags set to true (or PublicAccessBlockConfiguration in CloudFormation).")
    equivalents = {"checkov": ("CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56",
                               "CKV2_AWS_6")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        blocks = _public_access_blocks(resource, context)
        if any(block.is_unknown(prefix + flag) for block, prefix in blocks
               for flag in PUBLIC_ACCESS_FLAGS):
            return
        gaps = [[f for f in PUBLIC_ACCESS_FLAGS if not _true(block.get(prefix + f))]
                for block, prefix in blocks]
        if not blocks:
            # Since April 2023 S3 blocks public access on new buckets by default; an older
            # bucket, or a block turned off elsewhere, is not covered by the template.
            yield Violation("no public access block protects the bucket (new buckets get "
                            "one by default since April 2023, but the template does not "
                            "declare it)",
                            evidence={"flags_off": list(PUBLIC_ACCESS_FLAGS)})
        elif all(gaps):
            smallest = min(gaps, key=len)
            yield Violation(f"public access block leaves {', '.join(smallest)} off",
                            evidence={"flags_off": smallest})


def _public_access_blocks(bucket: Resource, context: RuleContext
                          ) -> list[tuple[Resource, str]]:
    """The resources holding the bucket's public access flags, each with the path the flags
    sit under: the bucket's own block (CloudFormation), its block resources, the account's."""
    own = [] if bucket.missing("public_access_block") else [(bucket, "public_access_block.")]
    others = _companions(bucket, context, "aws_s3_bucket_public_access_block") \
        + context.of_kind("aws.s3.account_public_access_block")
    return own + [(block, "") for block in others]


@rule
class S3Unencrypted(Rule):
    id = "PUR-SEC-015"
    title = "S3 bucket declares no server-side encryption"
    # Medium, not high: since January 2023 S3 applies SSE-S3 to new objects by default,
    # so the gap is control over keys and auditability rather than plaintext storage.
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.s3.bucket")
    frameworks = ("CIS-AWS 2.1.1", *ENCRYPTION_AT_REST)
    remediation = ("Add an aws_s3_bucket_server_side_encryption_configuration (SSE-KMS with "
                   "a customer managed key for sensitive data), or BucketEncryption in "
                   "CloudFormation.")
    equivalents = {"checkov": ("CKV_AWS_19", "CKV_AWS_145")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        kind = "aws_s3_bucket_server_side_encryption_configuration"
        if resource.missing("server_side_encryption_configuration") \
                and not _companions(resource, context, kind):
            yield "bucket has no server-side encryption configuration: S3's default SSE-S3 " \
                  "applies (since January 2023), with no key you control or audit"


@rule
class S3VersioningDisabled(Rule):
    id = "PUR-SEC-016"
    title = "S3 bucket versioning is not enabled"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.s3.bucket")
    frameworks = ("SOC 2 A1.2",)
    remediation = ("Add an aws_s3_bucket_versioning with status \"Enabled\" (or "
                   "VersioningConfiguration in CloudFormation) so overwritten or deleted "
                   "objects can be recovered; expire old versions with a lifecycle rule.")
    equivalents = {"checkov": ("CKV_AWS_21",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        # The bucket's own setting (CloudFormation) and aws_s3_bucket_versioning share a
        # name; Terraform's older inline `versioning` block has its own.
        status, inline = "versioning_configuration.status", "versioning.enabled"
        holders = [resource, *_companions(resource, context, "aws_s3_bucket_versioning")]
        if resource.is_unknown(inline) or any(
                h.is_unknown(status) or h.get(status) == "Enabled" for h in holders):
            return
        if not _true(resource.get(inline)):
            yield "bucket versioning is not enabled, so an overwrite or delete is final"


# ---------------------------------------------------------------------------- Lambda (operations)

@rule
class LambdaNoDeadLetter(Rule):
    id = "PUR-SEC-017"
    title = "Lambda function has no dead-letter queue or failure destination"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.lambda.function")
    remediation = ("Set dead_letter_config { target_arn = <SQS queue or SNS topic> } or an "
                   "aws_lambda_function_event_invoke_config with an on_failure destination, "
                   "so failed asynchronous events are kept instead of dropped.")
    equivalents = {"checkov": ("CKV_AWS_116",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        # Only events delivered asynchronously (S3, SNS, EventBridge...) are dropped after
        # their retries; an API Gateway or load balancer caller sees the error itself.
        if not functions.invoked_asynchronously(resource, context):
            return
        destinations = [c for c in functions.targeting(
            resource, context, "aws.lambda.event_invoke_config")
            if not c.missing("destination_config.on_failure")]
        if destinations:
            return
        if _absent(resource, "dead_letter_config.target_arn",
                   "event_invoke_config.destination_config.on_failure.destination",
                   # SAM creates the SQS queue or SNS topic when Destination is left out.
                   "event_invoke_config.destination_config.on_failure.type"):
            yield "failed asynchronous invocations are dropped: no dead-letter queue or " \
                  "on-failure destination"


@rule
class LambdaTracingInactive(Rule):
    id = "PUR-SEC-018"
    title = "Lambda function does not trace requests with X-Ray"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.lambda.function")
    frameworks = ("SOC 2 CC7.2",)
    remediation = "Set tracing_config { mode = \"Active\" } (Tracing: Active in SAM)."
    equivalents = {"checkov": ("CKV_AWS_50",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.is_unknown("tracing_config.mode"):
            return
        mode = resource.get("tracing_config.mode")
        if mode != "Active":
            yield f'X-Ray tracing mode is "{mode or "PassThrough"}", not "Active"'


@rule
class LambdaNoReservedConcurrency(Rule):
    id = "PUR-SEC-019"
    title = "Lambda function has no reserved concurrency"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.lambda.function")
    frameworks = ("SOC 2 A1.1",)
    remediation = ("Set reserved_concurrent_executions to the most the function should "
                   "ever run at once, so a flood of requests cannot starve the account's "
                   "other functions or run up cost.")
    equivalents = {"checkov": ("CKV_AWS_115",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        path = "reserved_concurrent_executions"
        if resource.get(path) in (None, -1, "-1") and not resource.is_unknown(path):
            yield "no reserved concurrency caps how many copies of the function can run"


# ---------------------------------------------------------------------------- encryption at rest

@rule
class DynamoDbNoCustomerKey(Rule):
    id = "PUR-SEC-020"
    title = "DynamoDB table is encrypted only with the AWS-owned key"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.dynamodb.table")
    frameworks = ENCRYPTION_AT_REST
    remediation = ("Set server_side_encryption { enabled = true } (with kms_key_arn for a "
                   "customer managed key), or SSESpecification.SSEEnabled in CloudFormation, "
                   "so key use is logged in CloudTrail and can be revoked.")
    equivalents = {"checkov": ("CKV_AWS_119",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        path = "server_side_encryption.enabled"
        if not resource.is_unknown(path) and not _true(resource.get(path)):
            yield "table uses the AWS-owned key: server-side encryption with a KMS key is " \
                  "not enabled"


@rule
class DynamoDbNoPointInTimeRecovery(Rule):
    id = "PUR-SEC-021"
    title = "DynamoDB table has no point-in-time recovery"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.dynamodb.table")
    frameworks = ("AWS-FSBP DynamoDB.2", "SOC 2 A1.2", "HIPAA 164.308(a)(7)(ii)(A)")
    remediation = ("Set point_in_time_recovery { enabled = true } (or "
                   "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true).")
    equivalents = {"checkov": ("CKV_AWS_28",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        path = "point_in_time_recovery.enabled"
        if not resource.is_unknown(path) and not _true(resource.get(path)):
            yield "point-in-time recovery is off: a bad write or delete cannot be rolled back"


@rule
class SqsUnencrypted(Rule):
    id = "PUR-SEC-022"
    title = "SQS queue is not encrypted at rest"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.sqs.queue")
    frameworks = ("AWS-FSBP SQS.1", *ENCRYPTION_AT_REST)
    remediation = ("Set sqs_managed_sse_enabled = true, or kms_master_key_id to a KMS key "
                   "(SqsManagedSseEnabled / KmsMasterKeyId in CloudFormation).")
    equivalents = {"checkov": ("CKV_AWS_27",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        managed = "sqs_managed_sse_enabled"
        if not resource.missing("kms_master_key_id") or resource.is_unknown(managed) \
                or _true(resource.get(managed)):
            return
        if resource.missing(managed):
            # New queues get SSE-SQS by default, but the template does not say so.
            yield Violation("queue declares neither SSE-SQS nor a KMS key and relies on the "
                            "account default", severity=Severity.medium)
        else:
            yield Violation("queue encryption is turned off (sqs_managed_sse_enabled = false, "
                            "no KMS key)")


@rule
class SnsUnencrypted(Rule):
    id = "PUR-SEC-023"
    title = "SNS topic is not encrypted with a KMS key"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.sns.topic")
    frameworks = ("AWS-FSBP SNS.1", *ENCRYPTION_AT_REST)
    remediation = "Set kms_master_key_id (KmsMasterKeyId) to a KMS key, e.g. alias/aws/sns."
    equivalents = {"checkov": ("CKV_AWS_26",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.missing("kms_master_key_id"):
            yield "topic has no kms_master_key_id: messages are stored unencrypted"


@rule
class LogGroupNoKmsKey(Rule):
    id = "PUR-SEC-024"
    title = "CloudWatch log group is not encrypted with a customer managed key"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.logs.log_group")
    frameworks = ENCRYPTION_AT_REST
    remediation = ("Set kms_key_id (KmsKeyId) to a KMS key whose policy lets the CloudWatch "
                   "Logs service principal use it.")
    equivalents = {"checkov": ("CKV_AWS_158",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.missing("kms_key_id"):
            yield "log group has no kms_key_id: logs use the service-owned key"


@rule
class RdsUnencrypted(Rule):
    id = "PUR-SEC-025"
    title = "RDS storage is not encrypted"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.rds.instance", "aws.rds.cluster")
    frameworks = ("CIS-AWS 2.3.1", "AWS-FSBP RDS.3", *ENCRYPTION_AT_REST)
    remediation = ("Set storage_encrypted = true (StorageEncrypted: true); an existing "
                   "database is encrypted by restoring an encrypted snapshot copy.")
    equivalents = {"checkov": ("CKV_AWS_16", "CKV_AWS_96")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        # A read replica inherits the source's encryption, an Aurora instance its cluster's.
        if not _absent(resource, "replicate_source_db", "db_cluster_identifier") \
                or str(resource.get("engine") or "").startswith("aurora") \
                or resource.is_unknown("storage_encrypted"):
            return
        if not _true(resource.get("storage_encrypted")):
            yield "database storage is not encrypted (storage_encrypted is not true)"


@rule
class RdsPubliclyAccessible(Rule):
    id = "PUR-SEC-026"
    title = "RDS instance is publicly accessible"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.rds.instance")
    frameworks = ("AWS-FSBP RDS.2", "PCI-DSS 1.3.1", "SOC 2 CC6.6")
    remediation = ("Set publicly_accessible = false and reach the database from inside the "
                   "VPC (or through a bastion or VPN).")
    equivalents = {"checkov": ("CKV_AWS_17",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if _true(resource.get("publicly_accessible")):
            yield "database has a public endpoint (publicly_accessible = true)"


@rule
class EbsUnencrypted(Rule):
    id = "PUR-SEC-027"
    title = "EBS volume is not encrypted"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.ec2.volume")
    frameworks = ("CIS-AWS 2.2.1", *ENCRYPTION_AT_REST)
    remediation = ("Set encrypted = true (Encrypted: true), or turn on "
                   "aws_ebs_encryption_by_default for the region.")
    equivalents = {"checkov": ("CKV_AWS_3", "CKV2_AWS_2")}  # the latter: attached volumes

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        by_default = any(_true(r.get("enabled"))
                         for r in context.of_kind("aws.ec2.encryption_by_default"))
        if by_default or resource.is_unknown("encrypted"):
            return
        if not _true(resource.get("encrypted")):
            yield "volume is not encrypted (encrypted is not true)"


# ---------------------------------------------------------------------------- security groups

WORLD = ("0.0.0.0/0", "::/0")
ADMIN_PORTS = {22: "SSH", 3389: "RDP"}
DATABASE_PORTS = {3306: "MySQL", 5432: "PostgreSQL", 1433: "SQL Server", 6379: "Redis",
                  27017: "MongoDB"}
SECURITY_GROUP_TYPES = kinds.types("aws.ec2.security_group", "aws.ec2.security_group_rule",
                                   "aws.ec2.security_group_ingress")


@dataclass
class Ingress:
    """One ingress permission: a port range (both ends inclusive) open to some CIDRs."""

    from_port: int
    to_port: int
    cidrs: list[str]
    where: str  # attribute path of the permission inside the resource

    @property
    def all_ports(self) -> bool:
        return self.from_port <= 0 and self.to_port >= 65535

    def exposes(self, port: int) -> bool:
        return self.from_port <= port <= self.to_port


def _ingress(resource: Resource) -> Iterator[Ingress]:
    """The ingress permissions of a security group or rule, whatever its kind."""
    attrs = resource.attrs
    if resource.kind == "aws.ec2.security_group":
        yield from _permissions(attrs.get("ingress"), "ingress", _GROUP_FIELDS)
    elif resource.kind == "aws.ec2.security_group_rule":
        if attrs.get("type") == "ingress":
            yield from _permissions([attrs], "", _GROUP_FIELDS)
    else:
        yield from _permissions([attrs], "", _INGRESS_RULE_FIELDS)


# (protocol, from port, to port, CIDR fields) of a group's ingress and of an ingress rule.
_GROUP_FIELDS = ("protocol", "from_port", "to_port", ("cidr_blocks", "ipv6_cidr_blocks"))
_INGRESS_RULE_FIELDS = ("ip_protocol", "from_port", "to_port", ("cidr_ipv4", "cidr_ipv6"))


def _permissions(blocks: Any, where: str, fields: tuple[str, str, str, tuple[str, str]]
                 ) -> Iterator[Ingress]:
    protocol_key, from_key, to_key, cidr_keys = fields
    for index, block in enumerate(blocks if isinstance(blocks, list) else []):
        if not isinstance(block, dict):
            continue
        cidrs = [str(c) for key in cidr_keys for c in iam.as_list(block.get(key))]
        path = f"{where}.{index}" if where else ""
        if str(block.get(protocol_key, "")).lower() in ("-1", "all"):
            yield Ingress(0, 65535, cidrs, path)
            continue
        try:
            yield Ingress(int(block[from_key]), int(block[to_key]), cidrs, path)
        except (KeyError, TypeError, ValueError):
            continue  # ports not statically known


def _exposed_ports(resource: Resource, ports: dict[int, str]) -> Iterator[Violation]:
    for ingress in _ingress(resource):
        world = [c for c in ingress.cidrs if c in WORLD]
        hits = [p for p in ports if ingress.exposes(p)]
        if world and hits and not ingress.all_ports:  # all ports reports as PUR-SEC-030
            named = ", ".join(f"{p} ({ports[p]})" for p in hits)
            yield Violation(f"ingress from {', '.join(world)} to port {named}",
                            evidence={"ports": hits, "cidrs": world, "rule": ingress.where})


@rule
class WorldOpenAdminPort(Rule):
    id = "PUR-SEC-028"
    title = "Security group opens an administration port to the internet"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = SECURITY_GROUP_TYPES
    frameworks = ("CIS-AWS 5.2", "CIS-AWS 5.3", "AWS-FSBP EC2.13", "PCI-DSS 1.3.1",
                  "SOC 2 CC6.6")
    remediation = ("Allow SSH/RDP only from a bastion or VPN range, or drop the rule and use "
                   "SSM Session Manager.")
    equivalents = {"checkov": ("CKV_AWS_24", "CKV_AWS_25")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        yield from _exposed_ports(resource, ADMIN_PORTS)


@rule
class WorldOpenDatabasePort(Rule):
    id = "PUR-SEC-029"
    title = "Security group opens a database port to the internet"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = SECURITY_GROUP_TYPES
    frameworks = ("AWS-FSBP EC2.19", "PCI-DSS 1.3.1", "SOC 2 CC6.6")
    remediation = ("Allow database ports only from the application's security group "
                   "(source_security_group_id / referenced_security_group_id).")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        yield from _exposed_ports(resource, DATABASE_PORTS)


@rule
class WorldOpenAllPorts(Rule):
    id = "PUR-SEC-030"
    title = "Security group opens every port to the internet"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = SECURITY_GROUP_TYPES
    frameworks = ("AWS-FSBP EC2.19", "PCI-DSS 1.3.1", "SOC 2 CC6.6")
    remediation = "Open only the ports the service listens on, to the sources that need them."
    # Every port includes SSH, RDP and HTTP: Checkov's checks of those are this one here.
    equivalents = {"checkov": ("CKV_AWS_277", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for ingress in _ingress(resource):
            world = [c for c in ingress.cidrs if c in WORLD]
            if world and ingress.all_ports:
                yield Violation(f"ingress from {', '.join(world)} on all ports",
                                evidence={"cidrs": world, "rule": ingress.where})


# ---------------------------------------------------------------------------- API Gateway

HEALTH_ROUTE = re.compile(r"^(GET|HEAD) /(health|healthz|livez|readyz|ping)$")


@rule
class ApiRouteWithoutAuth(Rule):
    id = "PUR-SEC-031"
    title = "API Gateway route has no authorization"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.apigatewayv2.route")
    frameworks = ("SOC 2 CC6.1", "HIPAA 164.312(d)", "PCI-DSS 7.2.1")
    remediation = ("Attach an authorizer (JWT, Lambda or AWS_IAM) to the route; only "
                   "health checks should be public.")
    equivalents = {"checkov": ("CKV_AWS_309",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        route = resource.get("route_key")
        if resource.is_unknown("authorization_type") or not isinstance(route, str) \
                or HEALTH_ROUTE.match(route) or route.startswith("OPTIONS "):
            return
        if resource.get("authorization_type") in (None, "NONE"):
            yield Violation(f'route "{route}" has authorization type NONE: anyone can call it',
                            evidence={"route": route})


@rule
class ApiMethodWithoutAuth(Rule):
    id = "PUR-SEC-032"
    title = "API Gateway REST method has no authorization"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.apigateway.method")
    frameworks = ("SOC 2 CC6.1", "HIPAA 164.312(d)", "PCI-DSS 7.2.1")
    remediation = ("Set authorization to AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an "
                   "authorizer_id.")
    equivalents = {"checkov": ("CKV_AWS_59",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        method = resource.get("http_method")
        if method == "OPTIONS" or resource.is_unknown("authorization"):
            return  # CORS preflight carries no credentials by design
        if resource.get("authorization") not in (None, "NONE"):
            return
        if resource.is_unknown("api_key_required") or _true(resource.get("api_key_required")):
            # An API key identifies a caller of a usage plan; it is not authorization.
            yield Violation(f"method {method} is protected only by an API key",
                            severity=Severity.low, evidence={"method": method})
        else:
            yield Violation(f"method {method} has authorization NONE: anyone can call it",
                            evidence={"method": method})


@rule
class ApiStageWithoutAccessLog(Rule):
    id = "PUR-SEC-033"
    title = "API Gateway stage writes no access log"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.apigatewayv2.stage", "aws.apigateway.stage")
    frameworks = ("PCI-DSS 10.2.1", "HIPAA 164.312(b)", "SOC 2 CC7.2")
    remediation = ("Add access_log_settings { destination_arn, format } pointing at a "
                   "CloudWatch log group.")
    equivalents = {"checkov": ("CKV_AWS_76", "CKV_AWS_95")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.missing("access_log_settings"):
            yield f"stage {kinds.identifier(resource)} has no access log settings"


# ---------------------------------------------------------------------------- Kubernetes

def _security_context(owner: dict[str, Any]) -> dict[str, Any]:
    context = owner.get("securityContext")
    return context if isinstance(context, dict) else {}


def _container_name(container: dict[str, Any]) -> str:
    """The container's name; Knative lets a single container go unnamed."""
    return str(container.get("name") or container.get("image") or "(unnamed)")


def _container_settings(resource: Resource) -> Iterator[tuple[str, dict[str, Any],
                                                              dict[str, Any]]]:
    """(container name, container securityContext, pod securityContext) per container."""
    pod = _security_context(pod_spec(resource))
    for container in containers(resource):
        yield _container_name(container), _security_context(container), pod


# `docker.io/{username}/app`, `{{ .Values.image }}`, `${IMAGE}`, `<registry>/app`.
TEMPLATED_IMAGE = re.compile(r"[{}$<>]")


def _image_parts(image: str) -> tuple[str | None, str | None]:
    """(tag, digest) of an image reference; a registry's :port is not a tag."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.rpartition(":")[2] if ":" in last else None
    return tag, digest or None


@rule
class PrivilegedContainer(Rule):
    id = "PUR-SEC-034"
    title = "Container runs privileged"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = ("CIS-K8S 5.2.1", "K8S-PSS baseline", "SOC 2 CC6.1")
    remediation = ("Remove securityContext.privileged; grant the one capability the "
                   "container needs instead.")
    equivalents = {"checkov": ("CKV_K8S_16",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for name, container, _ in _container_settings(resource):
            if container.get("privileged") is True:
                yield Violation(f"container {name} runs with privileged: true (full access "
                                "to the node)", evidence={"container": name})


@rule
class RootContainer(Rule):
    id = "PUR-SEC-035"
    title = "Container may run as root"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = ("CIS-K8S 5.2.6", "K8S-PSS restricted")
    remediation = ("Set securityContext.runAsNonRoot: true and a non-zero runAsUser (pod "
                   "or container level), and build the image with a non-root USER.")
    equivalents = {"checkov": ("CKV_K8S_6", "CKV_K8S_23")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for name, container, pod in _container_settings(resource):
            user = container.get("runAsUser", pod.get("runAsUser"))
            non_root = container.get("runAsNonRoot", pod.get("runAsNonRoot"))
            if user == 0:
                yield Violation(f"container {name} runs as root (runAsUser: 0)",
                                evidence={"container": name, "runAsUser": 0})
            elif user is None and non_root is not True:
                # Whether it does is up to the image: a restricted-profile gap, not a
                # demonstrated root (which runAsUser: 0 is), so worth a review, not a block.
                yield Violation(f"container {name} does not set runAsNonRoot: true, so it "
                                "runs as root when the image does", severity=Severity.medium,
                                evidence={"container": name})


@rule
class PrivilegeEscalationAllowed(Rule):
    id = "PUR-SEC-036"
    title = "Container allows privilege escalation"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = ("CIS-K8S 5.2.5", "K8S-PSS restricted")
    remediation = "Set securityContext.allowPrivilegeEscalation: false on every container."
    equivalents = {"checkov": ("CKV_K8S_20",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for name, container, _ in _container_settings(resource):
            if container.get("allowPrivilegeEscalation") is not False:
                yield Violation(f"container {name} does not set allowPrivilegeEscalation: "
                                "false", evidence={"container": name})


@rule
class WritableRootFilesystem(Rule):
    id = "PUR-SEC-037"
    title = "Container root filesystem is writable"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = ("SOC 2 CC6.8",)
    remediation = ("Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir "
                   "where the process must write (e.g. /tmp).")
    equivalents = {"checkov": ("CKV_K8S_22",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for name, container, _ in _container_settings(resource):
            if container.get("readOnlyRootFilesystem") is not True:
                yield Violation(f"container {name} can write to its root filesystem "
                                "(readOnlyRootFilesystem is not true)",
                                evidence={"container": name})


@rule
class MutableImageTag(Rule):
    id = "PUR-SEC-038"
    title = "Container image uses :latest or no tag"
    severity = Severity.medium
    category = Category.supply_chain
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = ("SOC 2 CC8.1",)
    remediation = "Reference a released version tag, better its digest (image@sha256:…)."
    equivalents = {"checkov": ("CKV_K8S_14", "CKV_K8S_43")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in containers(resource):
            image = _named_image(container, context)
            if image is None:
                continue
            tag, digest = _image_parts(image)
            if digest is None and tag in (None, "latest"):
                yield Violation(f'container {_container_name(container)} runs image "{image}" '
                                f"({'tag :latest' if tag else 'no tag'}): what runs changes "
                                "without a commit", evidence={"image": image})


def _named_image(container: dict[str, Any], context: RuleContext) -> str | None:
    """The image a container names, or None for a placeholder: a template's, or a bare name
    a build tool (Skaffold) replaces with the tag it pushed."""
    image = container.get("image")
    if not isinstance(image, str) or TEMPLATED_IMAGE.search(image) \
            or image in context.memo("built images", _built_images):
        return None
    return image


def _built_images(context: RuleContext) -> frozenset[str]:
    """Images the repository's Skaffold configs build: Skaffold replaces each bare name in
    the manifests with the tag (and digest) it just built and pushed."""
    names = set()
    for config in context.of_type("skaffold/Config"):
        for profile in [config.attrs, *manifest_list(config.get("profiles"))]:
            build = profile.get("build") if isinstance(profile, dict) else None
            artifacts = build.get("artifacts") if isinstance(build, dict) else None
            for artifact in manifest_list(artifacts):
                if isinstance(artifact, dict) and isinstance(artifact.get("image"), str):
                    names.add(artifact["image"])
    return frozenset(names)


@rule
class ImageNotPinnedByDigest(Rule):
    id = "PUR-SEC-039"
    title = "Container image is not pinned by digest"
    severity = Severity.low
    category = Category.supply_chain
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = ("SOC 2 CC8.1",)
    remediation = ("Append the digest the tag resolves to (image:1.2.3@sha256:…) so a "
                   "re-pushed tag cannot change what runs.")
    equivalents = {"checkov": ("CKV_K8S_43",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in containers(resource):
            image = _named_image(container, context)
            if image is None:
                continue
            tag, digest = _image_parts(image)
            if digest is None and tag not in (None, "latest"):  # those report as PUR-SEC-038
                yield Violation(f'container {_container_name(container)} image "{image}" is '
                                "pinned by tag, not by digest", evidence={"image": image})


@rule
class HostPathVolume(Rule):
    id = "PUR-SEC-040"
    title = "Pod mounts a hostPath volume"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = ("K8S-PSS baseline", "SOC 2 CC6.1")
    equivalents = {"checkov": ("CKV_K8S_27",)}  # the Docker socket is one such path
    remediation = ("Use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret volume; "
                   "node paths give the pod a way onto the node.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for volume in pod_spec(resource).get("volumes") or []:
            host_path = volume.get("hostPath") if isinstance(volume, dict) else None
            if isinstance(host_path, dict):
                yield Violation(f'volume {volume.get("name", "?")} mounts host path '
                                f'"{host_path.get("path", "?")}"',
                                evidence={"volume": volume.get("name"),
                                          "path": host_path.get("path")})


HOST_NAMESPACES = {"hostNetwork": "CIS-K8S 5.2.4", "hostPID": "CIS-K8S 5.2.2",
                   "hostIPC": "CIS-K8S 5.2.3"}


@rule
class HostNamespaces(Rule):
    id = "PUR-SEC-041"
    title = "Pod shares the node's network, process or IPC namespace"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = (*HOST_NAMESPACES.values(), "K8S-PSS baseline")
    remediation = "Remove hostNetwork, hostPID and hostIPC from the pod spec."
    equivalents = {"checkov": ("CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        spec = pod_spec(resource)
        for field in HOST_NAMESPACES:
            if spec.get(field) is True:
                yield Violation(f"pod sets {field}: true", evidence={"field": field})


DANGEROUS_CAPABILITIES = {"SYS_ADMIN", "NET_ADMIN", "ALL"}


@rule
class DangerousCapabilities(Rule):
    id = "PUR-SEC-042"
    title = "Container adds a dangerous Linux capability"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = ("CIS-K8S 5.2.8", "K8S-PSS baseline")
    remediation = ("Drop ALL capabilities and add back only narrow ones the process needs "
                   "(e.g. NET_BIND_SERVICE).")
    equivalents = {"checkov": ("CKV_K8S_39",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for name, container, _ in _container_settings(resource):
            added = dig(container, "capabilities.add") or []
            bad = [c for c in added if str(c).upper().removeprefix("CAP_")
                   in DANGEROUS_CAPABILITIES]
            if bad:
                yield Violation(f"container {name} adds capabilities {', '.join(bad)}",
                                evidence={"container": name, "capabilities": bad})


@rule
class ServiceAccountTokenMounted(Rule):
    id = "PUR-SEC-043"
    title = "Pod mounts a service account token it may not need"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = ("CIS-K8S 5.1.6",)
    remediation = ("Set automountServiceAccountToken: false on the pod (or its "
                   "ServiceAccount) unless it calls the Kubernetes API.")
    equivalents = {"checkov": ("CKV_K8S_38",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        spec = pod_spec(resource)
        if spec.get("automountServiceAccountToken") is False \
                or _service_account_opts_out(resource, spec, context):
            return
        account = spec.get("serviceAccountName") or "default"
        yield f"pod mounts the token of service account {account} " \
              "(automountServiceAccountToken is not false)"


def _service_account_opts_out(resource: Resource, spec: dict[str, Any],
                              context: RuleContext) -> bool:
    """True when the pod's ServiceAccount itself turns token automounting off."""
    namespace = resource.get("metadata.namespace") or "default"
    account = spec.get("serviceAccountName") or "default"
    return any(sa.name == account and (sa.get("metadata.namespace") or "default") == namespace
               and sa.get("automountServiceAccountToken") is False
               for sa in context.of_type("core/ServiceAccount"))


@rule
class ContainerSecretInEnvironment(Rule):
    id = "PUR-SEC-044"
    title = "Secret written in clear in a container's environment"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = WORKLOAD_TYPES
    frameworks = ("CIS-K8S 5.4.1", "PCI-DSS 8.6.2", "SOC 2 CC6.1")
    remediation = ("Put the value in a Secret (ideally synced from a secret manager) and "
                   "reference it with valueFrom.secretKeyRef or mount it as a file.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in containers(resource):
            for variable in container.get("env") or []:
                if not isinstance(variable, dict):
                    continue
                name, value = str(variable.get("name", "")), variable.get("value")
                found = secrets.judge(name, value)
                if found:
                    yield Violation(f'container {_container_name(container)} environment '
                                    f"variable {name} holds {found.why}",
                                    severity=found.severity,
                                    evidence={"variable": name,
                                              "value": secrets.mask(str(value))})


INTERNAL_LB_ANNOTATIONS = {
    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "networking.gke.io/load-balancer-type": "Internal",
    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
}
SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"


@rule
class OpenLoadBalancerService(Rule):
    id = "PUR-SEC-045"
    title = "LoadBalancer Service accepts traffic from any address"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = ("core/Service",)
    frameworks = ("SOC 2 CC6.6",)
    remediation = ("Set spec.loadBalancerSourceRanges to the client ranges, make the load "
                   "balancer internal, or expose the service through an Ingress.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        internal = any(str(resource.annotations.get(k, "")).lower() == v.lower()
                       for k, v in INTERNAL_LB_ANNOTATIONS.items())
        if resource.get("spec.type") != "LoadBalancer" or internal \
                or SOURCE_RANGES_ANNOTATION in resource.annotations:
            return
        if resource.missing("spec.loadBalancerSourceRanges"):
            yield "LoadBalancer service has no loadBalancerSourceRanges: open to 0.0.0.0/0"
