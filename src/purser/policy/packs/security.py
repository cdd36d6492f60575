"""Security pack: least privilege, public exposure, encryption at rest, hardened workloads.

Framework references: CIS-AWS numbers follow the CIS AWS Foundations Benchmark v1.4.0,
CIS-K8S numbers the CIS Kubernetes Benchmark v1.6.0, PCI-DSS numbers PCI DSS v4.0,
AWS-FSBP the AWS Foundational Security Best Practices control ids, K8S-PSS the
Kubernetes Pod Security Standards profile that forbids the setting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from purser.model import Category, Resource, Severity
from purser.policy import iam
from purser.policy.rule import Rule, RuleContext, Violation, rule

ENCRYPTION_AT_REST = ("GDPR art. 32", "HIPAA 164.312(a)(2)(iv)", "PCI-DSS 3.5.1", "SOC 2 CC6.1")
LEAST_PRIVILEGE = ("PCI-DSS 7.2.1", "SOC 2 CC6.3", "HIPAA 164.312(a)(1)")

LAMBDA_TYPES = ("aws_lambda_function", "AWS::Lambda::Function", "AWS::Serverless::Function")

SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY",
                         re.IGNORECASE)
# Names that point at a secret rather than hold one (SECRET_ARN, TOKEN_URL, ...).
SECRET_POINTER = re.compile(r"_(ARN|NAME|ID|URL|URI|PATH|FILE|PARAM|PARAMETER|REF)$",
                            re.IGNORECASE)
AWS_ACCESS_KEY = re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")


def _quoted(values: list[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _first(resource: Resource, *paths: str) -> Any:
    """The value at the first of `paths` that is set (Terraform name, then CFN name)."""
    for path in paths:
        value = resource.get(path)
        if value is not None:
            return value
    return None


def _absent(resource: Resource, *paths: str) -> bool:
    """True when none of `paths` is set and none is statically unknown."""
    return all(resource.missing(path) for path in paths)


def _literal_secret(name: str, value: Any) -> str | None:
    """Why `value` looks like a secret written in clear, or None."""
    if not isinstance(value, str) or not value or "${" in value or value.startswith("{{resolve:"):
        return None
    if AWS_ACCESS_KEY.search(value):
        return "an AWS access key id"
    if SECRET_NAME.search(name) and not SECRET_POINTER.search(name) \
            and not value.startswith("arn:"):
        return "a literal value"
    return None


def _mask(value: str) -> str:
    return value[:4] + "…" if len(value) > 8 else "…"


# ---------------------------------------------------------------------------- IAM

def _writes(action: str) -> bool:
    """True for an action pattern that can change or administer something."""
    verb = action.partition(":")[2].lower()
    return verb.startswith(("*", "put", "create", "delete", "update", "attach", "detach",
                            "modify", "set", "add", "remove", "write", "terminate", "replace",
                            "pass", "run", "tag", "untag", "upload", "restore"))


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

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for path, statement in iam.permission_statements(resource):
            wildcards = [a for a in statement.actions if a.endswith(":*")]
            if statement.allows and wildcards:
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

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for path, statement in iam.permission_statements(resource):
            writes = [a for a in statement.actions if a != "*" and _writes(a)]
            if statement.allows and "*" in statement.resources and writes:
                yield Violation(f'IAM policy allows {_quoted(writes)} on Resource "*"',
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
            if statement.allows and "*" in statement.resources \
                    and statement.grants("iam:PassRole"):
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

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for path, statement in iam.permission_statements(resource):
            if statement.allows and statement.not_actions:
                yield Violation(f"IAM policy allows every action except "
                                f"{_quoted(statement.not_actions)} on Resource "
                                f"{_quoted(statement.resources)}",
                                evidence={"policy": path, "not_actions": statement.not_actions})


@rule
class IamUserInlinePolicy(Rule):
    id = "PUR-SEC-006"
    title = "IAM user has a policy attached directly"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = ("aws_iam_user_policy", "aws_iam_user_policy_attachment", "AWS::IAM::User")
    frameworks = ("CIS-AWS 1.15", "SOC 2 CC6.2")
    remediation = ("Attach the policy to a group (or a role the user assumes) and add "
                   "the user to the group.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.type == "AWS::IAM::User":
            if not resource.missing("Policies"):
                yield "IAM user carries inline Policies instead of receiving them via a group"
        else:
            yield f"policy attached directly to IAM user {_first(resource, 'user')}"


@rule
class IamTrustAnyPrincipal(Rule):
    id = "PUR-SEC-007"
    title = "IAM role can be assumed by any principal"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = tuple(iam.TRUST_POLICY_PATHS)
    frameworks = LEAST_PRIVILEGE
    remediation = ("Name the accounts, services or federated identity providers that may "
                   "assume the role in the trust policy's Principal.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for statement in iam.trust_statements(resource):
            if statement.allows and "*" in statement.principals:
                # A condition (external id, OIDC subject) narrows it; still worth a look.
                yield Violation('trust policy allows Principal "*" to assume the role'
                                + (" (narrowed only by a Condition)" if statement.condition
                                   else ""),
                                severity=Severity.high if statement.condition else None,
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
    resource_types = LAMBDA_TYPES
    frameworks = ("PCI-DSS 8.6.2", "SOC 2 CC6.1", "GDPR art. 32")
    remediation = ("Keep the secret in Secrets Manager or SSM Parameter Store; pass its "
                   "ARN in the environment and read it at start-up.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        variables = _first(resource, "environment.variables", "Environment.Variables") or {}
        for name, value in variables.items() if isinstance(variables, dict) else ():
            why = _literal_secret(name, value)
            if why:
                yield Violation(f"environment variable {name} holds {why}",
                                evidence={"variable": name, "value": _mask(value)})


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
    resource_types = LAMBDA_TYPES
    frameworks = ("AWS-FSBP Lambda.2", "PCI-DSS 6.3.3", "SOC 2 CC7.1")
    remediation = ("Move to a supported runtime (e.g. python3.12, nodejs20.x, "
                   "provided.al2023); deprecated runtimes get no security patches.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        runtime = _first(resource, "runtime", "Runtime")
        if runtime in DEPRECATED_RUNTIMES:
            yield f'runtime "{runtime}" is deprecated and no longer receives security patches'


@rule
class LambdaUrlWithoutAuth(Rule):
    id = "PUR-SEC-010"
    title = "Lambda function URL is open without authentication"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = ("aws_lambda_function_url", "AWS::Lambda::Url", "AWS::Serverless::Function")
    frameworks = ("AWS-FSBP Lambda.1", "SOC 2 CC6.1", "HIPAA 164.312(d)")
    remediation = ("Set authorization_type = \"AWS_IAM\" and sign requests, or front the "
                   "function with an API Gateway route that has an authorizer.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        auth = _first(resource, "authorization_type", "AuthType", "FunctionUrlConfig.AuthType")
        if auth == "NONE":
            yield "function URL has authorization type NONE: anyone on the internet can invoke it"


@rule
class LambdaPermissionAnyPrincipal(Rule):
    id = "PUR-SEC-011"
    title = "Lambda permission lets any principal invoke the function"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = ("aws_lambda_permission", "AWS::Lambda::Permission")
    frameworks = ("AWS-FSBP Lambda.1", "SOC 2 CC6.1")
    remediation = ("Name the invoking service or account as principal and set source_arn "
                   "(and source_account) to the resource allowed to call the function.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        principal = _first(resource, "principal", "Principal")
        if principal == "*" and _absent(resource, "source_arn", "SourceArn"):
            action = _first(resource, "action", "Action")
            yield f'lambda permission grants {action} to Principal "*" without a source_arn'


# ---------------------------------------------------------------------------- S3

PUBLIC_ACLS = {"public-read", "public-read-write", "PublicRead", "PublicReadWrite"}
PUBLIC_ACCESS_FLAGS = ("block_public_acls", "block_public_policy", "ignore_public_acls",
                       "restrict_public_buckets")
PUBLIC_ACCESS_FLAGS_CFN = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                           "RestrictPublicBuckets")


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
    resource_types = ("aws_s3_bucket", "aws_s3_bucket_acl", "AWS::S3::Bucket")
    frameworks = ("AWS-FSBP S3.2", "GDPR art. 32", "SOC 2 CC6.1", "PCI-DSS 1.3.1")
    remediation = ("Remove the public canned ACL (use \"private\" or drop ACLs with object "
                   "ownership BucketOwnerEnforced); serve public content through CloudFront "
                   "with an origin access control.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        acl = _first(resource, "acl", "AccessControl")
        if acl in PUBLIC_ACLS:
            yield f'bucket ACL "{acl}" lets anyone on the internet ' + (
                "read and write objects" if "Write" in acl or "write" in acl else "read objects")


@rule
class S3PolicyPublicPrincipal(Rule):
    id = "PUR-SEC-013"
    title = "S3 bucket policy allows any principal"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = ("aws_s3_bucket_policy", "AWS::S3::BucketPolicy")
    frameworks = ("AWS-FSBP S3.2", "GDPR art. 32", "SOC 2 CC6.1")
    remediation = ("Name the principals (accounts, roles, CloudFront origin access "
                   "control) or add a Condition that limits who can use the grant.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for statement in iam.statements(_first(resource, "policy", "PolicyDocument")):
            # A condition (source VPC endpoint, org id) usually is the restriction.
            if statement.allows and "*" in statement.principals and not statement.condition:
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
    resource_types = ("aws_s3_bucket", "AWS::S3::Bucket")
    frameworks = ("CIS-AWS 2.1.5", "AWS-FSBP S3.8", "SOC 2 CC6.1")
    remediation = ("Add an aws_s3_bucket_public_access_block for the bucket with all four "
                   "flags set to true (or PublicAccessBlockConfiguration in CloudFormation).")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        blocks, flags = _public_access_blocks(resource, context)
        if any(block.is_unknown(flag) for block in blocks for flag in flags):
            return
        gaps = [[f.rsplit(".", 1)[-1] for f in flags if block.get(f) is not True]
                for block in blocks]
        if not blocks:
            yield Violation("no public access block protects the bucket",
                            evidence={"flags_off": [f.rsplit(".", 1)[-1] for f in flags]})
        elif all(gaps):
            smallest = min(gaps, key=len)
            yield Violation(f"public access block leaves {', '.join(smallest)} off",
                            evidence={"flags_off": smallest})


def _public_access_blocks(bucket: Resource, context: RuleContext) -> tuple[list[Resource],
                                                                            list[str]]:
    """The resources holding the bucket's public access flags, and the flag paths."""
    if bucket.type == "AWS::S3::Bucket":
        flags = [f"PublicAccessBlockConfiguration.{f}" for f in PUBLIC_ACCESS_FLAGS_CFN]
        return ([] if bucket.missing("PublicAccessBlockConfiguration") else [bucket]), flags
    blocks = _companions(bucket, context, "aws_s3_bucket_public_access_block")
    return blocks + context.of_type("aws_s3_account_public_access_block"), list(
        PUBLIC_ACCESS_FLAGS)
