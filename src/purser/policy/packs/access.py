"""Security pack, access: who may use a resource beyond its own account's identities.

Resource-based policies (queues, topics, keys, registries, secrets, search domains) open
to any principal, AWS-managed administrator policies attached to identities, and the
permission sets known to let a principal raise its own privileges. S3 bucket policies
and ACLs live with the other S3 rules (PUR-SEC-012, PUR-SEC-013).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from purser import kinds
from purser.model import Category, Resource, Severity
from purser.policy import iam, secrets
from purser.policy.declarative import AttributeRule, Expect
from purser.policy.rule import Rule, RuleContext, Violation, rule

LEAST_PRIVILEGE = ("PCI-DSS 7.2.1", "SOC 2 CC6.3", "HIPAA 164.312(a)(1)")

# Resource policies outside S3, whose rules already read bucket policies.
RESOURCE_POLICY_KINDS = tuple(k for k in iam.RESOURCE_POLICY_PATHS if not k.startswith("aws.s3."))


def _quoted(values: list[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


@rule
class ResourcePolicyOpenToAnyone(Rule):
    id = "PUR-SEC-046"
    title = "Resource policy lets any principal use the resource"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = kinds.types(*RESOURCE_POLICY_KINDS)
    frameworks = ("AWS-FSBP SQS.3", "AWS-FSBP SNS.4", "AWS-FSBP KMS.5", "AWS-FSBP ES.2",
                  "AWS-FSBP SecretsManager.5", "SOC 2 CC6.1", "PCI-DSS 7.2.1")
    remediation = ("Name the accounts, roles or services in Principal, or add a Condition "
                   "on the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, "
                   "aws:SourceVpce) that limits who can use the grant.")
    equivalents = {"checkov": ("CKV_AWS_168", "CKV_AWS_169", "CKV_AWS_33", "CKV_AWS_32",
                               "CKV_AWS_387")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for statement in iam.resource_statements(resource):
            if statement.allows and statement.anyone and not statement.restricts_caller():
                narrowed = " (its Condition does not narrow the caller)" \
                    if statement.condition else ""
                yield Violation(f'resource policy allows Principal "*" to '
                                f"{_quoted(statement.actions or statement.not_actions)}"
                                f"{narrowed}",
                                evidence={"sid": statement.sid, "actions": statement.actions,
                                          "condition": statement.condition})


# AWS managed policies that hand over the account (or the power to take it over).
ADMIN_POLICIES = {"AdministratorAccess": Severity.critical, "PowerUserAccess": Severity.high,
                  "IAMFullAccess": Severity.high}
MANAGED_POLICY_ATTRIBUTES = ("managed_policy_arns", "policy_arn", "managed_policy_arn")
AWS_MANAGED_POLICY = re.compile(r"^arn:aws[\w-]*:iam::aws:policy/(?:.*/)?([\w+=,.@-]+)$")


@rule
class AdminManagedPolicyAttached(Rule):
    id = "PUR-SEC-047"
    title = "AWS administrator policy attached to a role, user, group or permission set"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = kinds.types(
        "aws.iam.role", "aws.iam.user", "aws.iam.group", "aws.iam.role_policy_attachment",
        "aws.iam.user_policy", "aws.iam.group_policy_attachment", "aws.iam.policy_attachment",
        "aws.sso.permission_set", "aws.sso.managed_policy_attachment")
    frameworks = ("CIS-AWS 1.16", "AWS-FSBP IAM.1", *LEAST_PRIVILEGE)
    remediation = ("Attach a policy listing the actions the workload or team needs; keep "
                   "administrator access for a break-glass role that is separately audited.")
    equivalents = {"checkov": ("CKV_AWS_274",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for attribute in MANAGED_POLICY_ATTRIBUTES:
            for arn in iam.as_list(resource.get(attribute)):
                match = AWS_MANAGED_POLICY.match(str(arn))
                if match and match.group(1) in ADMIN_POLICIES:
                    yield Violation(f"attaches the AWS managed policy {match.group(1)}",
                                    severity=ADMIN_POLICIES[match.group(1)],
                                    evidence={"policy_arn": str(arn), "attribute": attribute})


# "*", "arn:aws:iam::123:role/*", "arn:aws:lambda:*:123:function:*": every resource of a type.
BROAD_RESOURCE = re.compile(r"^(\*|arn:[^:]+:[^:]+:[^:]*:[^:]*:(?:[\w-]+[/:])?\*)$")


def _broad(statement: iam.Statement) -> bool:
    return statement.allows and not statement.scoped_by_condition() \
        and any(BROAD_RESOURCE.match(r) for r in statement.resources)


def _named_grants(statement: iam.Statement, actions: tuple[str, ...]) -> list[str]:
    """The `actions` a statement grants by name or narrow pattern; "*" and "service:*"
    report as PUR-SEC-001 to 003."""
    if any(a == "*" or a.endswith(":*") for a in statement.actions):
        return []
    return [a for a in actions if statement.grants(a)]


@rule
class PrivilegeEscalation(Rule):
    id = "PUR-SEC-048"
    title = "IAM policy lets the principal escalate its own privileges"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = iam.PERMISSION_POLICY_TYPES
    frameworks = ("AWS-FSBP IAM.21", *LEAST_PRIVILEGE)
    remediation = ("Scope IAM write actions to the exact users, roles and policies they "
                   "manage (never to \"*\" or every resource of a type), and restrict "
                   "iam:PassRole to named roles with an iam:PassedToService condition.")
    equivalents = {"checkov": ("CKV_AWS_110", "CKV_AWS_286", "CKV_AWS_107", "CKV_AWS_287")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        escalating: list[str] = []
        pass_role = False
        launches: list[str] = []
        for _, statement in iam.permission_statements(resource):
            if statement.allows:
                launches += _named_grants(statement, iam.WITH_PASS_ROLE)
            if _broad(statement):
                escalating += _named_grants(statement, iam.ESCALATION_ACTIONS)
                pass_role = pass_role or statement.grants("iam:PassRole")
        if escalating:
            yield Violation(f"allows {', '.join(sorted(set(escalating)))} on every resource "
                            "of its type: the principal can grant itself more permissions",
                            evidence={"actions": sorted(set(escalating))})
        if pass_role and launches:
            yield Violation(f"allows iam:PassRole on any role together with "
                            f"{', '.join(sorted(set(launches)))}: the principal can run code "
                            "as a more privileged role", evidence={"actions": sorted(set(
                                ["iam:PassRole", *launches]))})


# Reads that hand over data or secrets, by the actions' names.
DATA_READS = ("s3:GetObject", "secretsmanager:GetSecretValue", "ssm:GetParameter",
              "ssm:GetParameters", "ssm:GetParametersByPath", "kms:Decrypt",
              "dynamodb:Scan", "rds-data:ExecuteStatement")


@rule
class DataReadOnAnyResource(Rule):
    id = "PUR-SEC-108"
    title = "IAM policy reads data or secrets on every resource"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = iam.PERMISSION_POLICY_TYPES
    frameworks = LEAST_PRIVILEGE
    remediation = ("Name the buckets, secrets, parameters and keys the principal reads "
                   "instead of Resource \"*\".")
    equivalents = {"checkov": ("CKV_AWS_108", "CKV_AWS_288")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for path, statement in iam.permission_statements(resource):
            if "*" not in statement.resources or not statement.allows \
                    or statement.scoped_by_condition():
                continue
            reads = _named_grants(statement, DATA_READS)
            if reads:
                yield Violation(f"allows {', '.join(reads)} on Resource \"*\": every "
                                "object, secret or parameter of the account can be read",
                                evidence={"policy": path, "actions": reads})


@rule
class AccessKeyInCode(Rule):
    id = "PUR-SEC-125"
    title = "Long-lived IAM access key created in code"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.iam.access_key")
    frameworks = ("CIS-AWS 1.14", "AWS-FSBP IAM.3", "SOC 2 CC6.1")
    remediation = ("Give workloads a role (instance profile, IRSA, OIDC for CI) instead of a "
                   "user key; a key made here lands in the state file in clear.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if str(resource.get("status") or "Active").lower() != "inactive":
            yield f"access key for user {resource.get('user')}: a long-lived secret whose " \
                  "value is stored in the deployment's state"


@rule
class ProviderCredentialsInCode(Rule):
    id = "PUR-SEC-163"
    title = "AWS credentials written in a Terraform provider block"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = ("terraform_provider",)
    frameworks = ("CIS-AWS 1.14", "SOC 2 CC6.1", "PCI-DSS 8.6.2")
    remediation = ("Remove access_key, secret_key and token from the provider; let it take "
                   "credentials from the environment, a profile or an assumed role.")
    equivalents = {"checkov": ("CKV_AWS_41",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        if resource.provider != "aws":
            return
        for name in ("access_key", "secret_key", "token"):
            found = secrets.judge(f"aws_{name}", resource.get(name))
            if found is not None:
                yield Violation(f"provider {resource.name} sets {name} to {found.why} "
                                f"({secrets.mask(str(resource.get(name)))})",
                                severity=found.severity, evidence={"attribute": name})


class _PasswordRule(AttributeRule):
    category = Category.security
    pack = "security"
    resource_types = kinds.types("aws.iam.password_policy")


@rule
class ShortPasswords(_PasswordRule):
    id = "PUR-SEC-126"
    title = "Account password policy allows passwords shorter than 14 characters"
    severity = Severity.medium
    frameworks = ("CIS-AWS 1.8", "AWS-FSBP IAM.7", "PCI-DSS 8.3.6")
    remediation = "Set minimum_password_length = 14 or more."
    equivalents = {"checkov": ("CKV_AWS_10",)}
    path, expect, default = "minimum_password_length", Expect(at_least=14), 6
    message = "console passwords may be {value} characters long"


@rule
class PasswordReuse(_PasswordRule):
    id = "PUR-SEC-127"
    title = "Account password policy lets users reuse old passwords"
    severity = Severity.low
    frameworks = ("CIS-AWS 1.9", "AWS-FSBP IAM.7", "PCI-DSS 8.3.7")
    remediation = "Set password_reuse_prevention = 24."
    equivalents = {"checkov": ("CKV_AWS_13",)}
    path, expect = "password_reuse_prevention", Expect(at_least=4)
    message = "password_reuse_prevention is {value}: an old password can come back"
