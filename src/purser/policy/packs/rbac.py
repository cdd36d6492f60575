"""Security pack, Kubernetes RBAC: roles that grant everything, read every secret, or let
their holder raise its own rights, and bindings that hand rights to anonymous callers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from purser.model import Category, Resource, Severity
from purser.policy.rule import Rule, RuleContext, Violation, rule

RBAC = "rbac.authorization.k8s.io"
ROLE_TYPES = (f"{RBAC}/Role", f"{RBAC}/ClusterRole")
BINDING_TYPES = (f"{RBAC}/RoleBinding", f"{RBAC}/ClusterRoleBinding")
SECRET_READS = frozenset({"get", "list", "watch"})
ESCALATING_VERBS = frozenset({"escalate", "bind", "impersonate"})
ANONYMOUS = frozenset({"system:anonymous", "system:unauthenticated"})
# API groups whose resources run code, hold secrets or grant rights: "*" over them is full
# control. A wildcard confined to other groups (a metrics API, one operator's custom
# resources) is worth a review, not a block.
POWERFUL_GROUPS = frozenset({
    "*", "", "apps", "batch", "extensions", "policy", RBAC, "admissionregistration.k8s.io",
    "apiextensions.k8s.io", "certificates.k8s.io", "networking.k8s.io", "storage.k8s.io",
    "authentication.k8s.io", "authorization.k8s.io"})


def _rules(role: Resource) -> Iterator[tuple[int, list[str], list[str]]]:
    """(index, verbs, resources) of each rule of a Role or ClusterRole, in lower case."""
    found = role.get("rules")
    for index, entry in enumerate(found if isinstance(found, list) else []):
        if isinstance(entry, dict):
            yield index, _strings(entry.get("verbs")), _strings(entry.get("resources"))


def _groups(role: Resource, index: int) -> list[str]:
    """The apiGroups of rule `index`; none written means the core group ("")."""
    entry = role.get("rules")[index]
    groups = entry.get("apiGroups")
    return [str(g).lower() for g in groups] if isinstance(groups, list) and groups else [""]


def _strings(value: Any) -> list[str]:
    return [str(v).lower() for v in value] if isinstance(value, list) else []


def _cluster_wide(role: Resource) -> bool:
    return role.type.endswith("/ClusterRole")


class _RbacRule(Rule):
    category = Category.security
    pack = "security"
    resource_types = ROLE_TYPES


@rule
class RoleWildcard(_RbacRule):
    id = "PUR-SEC-086"
    title = "RBAC role grants every verb or every resource"
    severity = Severity.high
    frameworks = ("CIS-K8S 5.1.3", "SOC 2 CC6.3")
    remediation = "List the resources and verbs the subject needs instead of \"*\"."
    equivalents = {"checkov": ("CKV_K8S_49",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for index, verbs, resources in _rules(resource):
            wild = [what for what, values in (("verbs", verbs), ("resources", resources))
                    if "*" in values]
            if not wild:
                continue
            groups = _groups(resource, index)
            confined = not POWERFUL_GROUPS.intersection(groups)
            severity = (Severity.medium if confined
                        else Severity.critical if len(wild) == 2 and _cluster_wide(resource)
                        else None)
            scope = f" in API group(s) {', '.join(groups)} only" if confined else ""
            yield Violation(f"rule {index} grants \"*\" {' and '.join(wild)}{scope}",
                            severity=severity,
                            evidence={"rule": index, "api_groups": groups, "verbs": verbs,
                                      "resources": resources})


@rule
class RoleReadsSecrets(_RbacRule):
    id = "PUR-SEC-087"
    title = "RBAC role can read Secrets"
    severity = Severity.high
    frameworks = ("CIS-K8S 5.1.2", "SOC 2 CC6.1")
    remediation = ("Grant get on the named Secrets the workload needs (resourceNames); never "
                   "list or watch every Secret, least of all cluster-wide.")
    equivalents = {"checkov": ("CKV2_K8S_5",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for index, verbs, resources in _rules(resource):
            reads = sorted(SECRET_READS & set(verbs)) or (["*"] if "*" in verbs else [])
            if "secrets" in resources and reads and "*" not in resources:  # "*" is SEC-086
                where = "in every namespace" if _cluster_wide(resource) else "in its namespace"
                yield Violation(f"rule {index} lets the subject {', '.join(reads)} Secrets "
                                f"{where}",
                                severity=None if _cluster_wide(resource) else Severity.medium,
                                evidence={"rule": index, "verbs": reads})


@rule
class RoleEscalates(_RbacRule):
    id = "PUR-SEC-088"
    title = "RBAC role can escalate, bind or impersonate"
    severity = Severity.high
    frameworks = ("CIS-K8S 5.1.8", "SOC 2 CC6.3")
    remediation = ("Remove escalate, bind and impersonate; only cluster administrators "
                   "need them.")
    equivalents = {"checkov": ("CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_3")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for index, verbs, _ in _rules(resource):
            granted = sorted(ESCALATING_VERBS & set(verbs))
            if granted:
                yield Violation(f"rule {index} grants {', '.join(granted)}: the subject can "
                                "give itself rights it does not have",
                                evidence={"rule": index, "verbs": granted})


@rule
class BindingToAnonymous(Rule):
    id = "PUR-SEC-089"
    title = "RBAC binding grants rights to anonymous or unauthenticated users"
    severity = Severity.critical
    category = Category.security
    pack = "security"
    resource_types = BINDING_TYPES
    frameworks = ("CIS-K8S 5.1.1", "SOC 2 CC6.1")
    remediation = "Bind the role to named users, groups or service accounts."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        subjects = resource.get("subjects")
        for subject in subjects if isinstance(subjects, list) else []:
            name = subject.get("name") if isinstance(subject, dict) else None
            if name in ANONYMOUS:
                role = resource.get("roleRef.name")
                yield Violation(f"binds {role} to {name}: anyone who reaches the API server "
                                "holds it", evidence={"subject": name, "role": role})


# Subjects that hold cluster-admin by design: the control plane's own identities.
SYSTEM_SUBJECT = ("system:masters", "system:kube-controller-manager", "system:kube-scheduler")


@rule
class ClusterAdminBinding(Rule):
    id = "PUR-SEC-092"
    title = "RBAC binding grants cluster-admin"
    severity = Severity.high
    category = Category.security
    pack = "security"
    resource_types = BINDING_TYPES
    frameworks = ("CIS-K8S 5.1.1", "SOC 2 CC6.3")
    remediation = ("Bind a role with the verbs and resources the subject needs; keep "
                   "cluster-admin for break-glass access by people, through a reviewed group.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        if resource.get("roleRef.name") != "cluster-admin":
            return
        subjects = resource.get("subjects")
        for subject in subjects if isinstance(subjects, list) else []:
            if not isinstance(subject, dict) or subject.get("name") in ANONYMOUS \
                    or str(subject.get("name", "")).startswith(SYSTEM_SUBJECT):
                continue  # anonymous subjects report as PUR-SEC-089
            yield Violation(f"binds cluster-admin to {subject.get('kind')} "
                            f"{subject.get('name')}: full control of every namespace",
                            evidence={"subject": subject.get("name")})
