"""Security pack, Kubernetes network exposure: NodePort services and namespaces whose pods
accept traffic from every other pod because no NetworkPolicy denies it by default."""

from __future__ import annotations

from collections.abc import Iterator

from purser.model import Category, Resource, Severity
from purser.policy.rule import Rule, RuleContext, Violation, rule
from purser.policy.workloads import WORKLOAD_TYPES

NAMESPACE = "core/Namespace"
NETWORK_POLICY = "networking.k8s.io/NetworkPolicy"


@rule
class NodePortService(Rule):
    id = "PUR-SEC-090"
    title = "Service opens a port on every node"
    severity = Severity.low
    category = Category.security
    pack = "security"
    resource_types = ("core/Service",)
    frameworks = ("SOC 2 CC6.6",)
    remediation = ("Use a ClusterIP Service behind an Ingress or an internal load balancer; "
                   "a NodePort is reachable wherever the nodes are.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if resource.get("spec.type") == "NodePort":
            yield "NodePort service: reachable on a port of every node, review who can reach them"


def namespace_of(resource: Resource) -> str:
    return str(resource.get("metadata.namespace") or "default")


def denies_by_default(policy: Resource) -> bool:
    """True for a NetworkPolicy that selects every pod and restricts ingress."""
    selector = policy.get("spec.podSelector")
    types = policy.get("spec.policyTypes") or ["Ingress"]
    return selector in ({}, None) and "Ingress" in types and not policy.get("spec.ingress")


@rule
class NamespaceWithoutDefaultDeny(Rule):
    id = "PUR-SEC-091"
    title = "Namespace has no default-deny NetworkPolicy"
    severity = Severity.medium
    category = Category.security
    pack = "security"
    resource_types = (NAMESPACE, *WORKLOAD_TYPES)
    frameworks = ("CIS-K8S 5.3.2", "PCI-DSS 1.2.1", "SOC 2 CC6.6")
    remediation = ("Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] (and "
                   "Egress) in the namespace, then allow the flows each workload needs.")
    equivalents = {"checkov": ("CKV2_K8S_6",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        # Reported once per namespace: on its Namespace when the repository declares it,
        # else on each workload in it.
        if resource.type == NAMESPACE:
            namespace = resource.name
        else:
            namespace = namespace_of(resource)
            if any(ns.name == namespace for ns in context.of_type(NAMESPACE)):
                return
        if any(namespace_of(p) == namespace and denies_by_default(p)
               for p in context.of_type(NETWORK_POLICY)):
            return
        yield Violation(f"no default-deny NetworkPolicy in namespace {namespace}: every pod "
                        "accepts traffic from every other pod in the cluster",
                        evidence={"namespace": namespace})
