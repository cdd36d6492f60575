"""Security pack, the Kubernetes Pod Security Standards beyond the rules in security.py
(privileged, root, privilege escalation, hostPath, host namespaces, dangerous
capabilities): the rest of the baseline profile (capabilities outside its list, host ports,
seccomp and AppArmor turned off, /proc unmasked, unsafe sysctls) and the restricted
profile's drop of every capability and its seccomp profile.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from purser.model import Category, Resource, Severity, dig
from purser.policy.rule import Rule, RuleContext, Violation, rule
from purser.policy.workloads import (
    WORKLOAD_TYPES,
    container_name,
    containers,
    pod_spec,
    pod_template_metadata,
)

# The capabilities the baseline profile lets a container add.
BASELINE_CAPABILITIES = frozenset({
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"})
# Reported by PUR-SEC-042 already.
REPORTED_ELSEWHERE = frozenset({"SYS_ADMIN", "NET_ADMIN", "ALL"})
# The sysctls the baseline profile allows (namespaced and isolated from the node).
SAFE_SYSCTLS = frozenset({
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"})
APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"


def _context(owner: dict[str, Any]) -> dict[str, Any]:
    found = owner.get("securityContext")
    return found if isinstance(found, dict) else {}


def _capabilities(container: dict[str, Any], key: str) -> list[str]:
    listed = dig(_context(container), f"capabilities.{key}")
    return [str(c).upper().removeprefix("CAP_") for c in listed] \
        if isinstance(listed, list) else []


class _PodRule(Rule):
    category = Category.security
    pack = "security"
    resource_types = WORKLOAD_TYPES


@rule
class CapabilityOutsideBaseline(_PodRule):
    id = "PUR-SEC-079"
    title = "Container adds a capability the baseline profile forbids"
    severity = Severity.high
    frameworks = ("K8S-PSS baseline", "CIS-K8S 5.2.8")
    remediation = ("Drop the capability; the baseline profile allows only AUDIT_WRITE, "
                   "CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, "
                   "SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT.")
    # Checkov's CKV_K8S_25 fails on any added capability, the baseline's allowed ones too.
    equivalents = {"checkov": ("CKV_K8S_39", "CKV_K8S_25")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in containers(resource):
            added = [c for c in _capabilities(container, "add")
                     if c not in BASELINE_CAPABILITIES and c not in REPORTED_ELSEWHERE]
            if added:
                name = container_name(container)
                yield Violation(f"container {name} adds {', '.join(added)}",
                                evidence={"container": name, "capabilities": added})


@rule
class CapabilitiesNotDropped(_PodRule):
    id = "PUR-SEC-080"
    title = "Container keeps the default capabilities (NET_RAW among them)"
    severity = Severity.low
    frameworks = ("K8S-PSS restricted", "CIS-K8S 5.2.7")
    remediation = "Set securityContext.capabilities.drop: [ALL] and add back what is needed."
    equivalents = {"checkov": ("CKV_K8S_28", "CKV_K8S_37")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in containers(resource):
            dropped = _capabilities(container, "drop")
            if "ALL" not in dropped and "NET_RAW" not in dropped:
                name = container_name(container)
                yield Violation(f"container {name} does not drop ALL capabilities: NET_RAW "
                                "lets it forge packets on the pod network",
                                evidence={"container": name})


@rule
class HostPort(_PodRule):
    id = "PUR-SEC-081"
    title = "Container binds a port on the node"
    severity = Severity.medium
    frameworks = ("K8S-PSS baseline",)
    remediation = "Remove hostPort and expose the container through a Service."
    equivalents = {"checkov": ("CKV_K8S_26",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in containers(resource):
            ports = container.get("ports")
            bound = [p.get("hostPort") for p in ports if isinstance(p, dict)
                     and p.get("hostPort") not in (None, 0)] if isinstance(ports, list) else []
            if bound:
                name = container_name(container)
                yield Violation(f"container {name} binds host port(s) "
                                f"{', '.join(str(p) for p in bound)}",
                                evidence={"container": name, "host_ports": bound})


@rule
class SeccompProfile(_PodRule):
    id = "PUR-SEC-082"
    title = "Container runs without a seccomp profile"
    severity = Severity.low
    frameworks = ("K8S-PSS restricted", "K8S-PSS baseline", "CIS-K8S 5.7.2")
    remediation = ("Set securityContext.seccompProfile.type: RuntimeDefault on the pod (or "
                   "Localhost with a reviewed profile).")
    equivalents = {"checkov": ("CKV_K8S_31", "CKV_K8S_32")}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        pod = dig(_context(pod_spec(resource)), "seccompProfile.type")
        for container in containers(resource):
            profile = dig(_context(container), "seccompProfile.type") or pod
            name = container_name(container)
            if profile == "Unconfined":  # the baseline profile forbids it outright
                yield Violation(f"container {name} sets seccompProfile Unconfined",
                                severity=Severity.high, evidence={"container": name})
            elif profile is None:
                yield Violation(f"container {name} has no seccomp profile: every system "
                                "call is allowed", evidence={"container": name})


@rule
class AppArmorUnconfined(_PodRule):
    id = "PUR-SEC-083"
    title = "Container turns AppArmor off"
    severity = Severity.high
    frameworks = ("K8S-PSS baseline",)
    remediation = "Remove the Unconfined AppArmor profile (use RuntimeDefault or Localhost)."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        annotations = {**resource.annotations,
                       **(pod_template_metadata(resource).get("annotations") or {})}
        pod = dig(_context(pod_spec(resource)), "appArmorProfile.type")
        for container in containers(resource):
            name = container_name(container)
            profile = dig(_context(container), "appArmorProfile.type") or pod
            annotated = annotations.get(APPARMOR_ANNOTATION + name)
            if profile == "Unconfined" or annotated == "unconfined":
                yield Violation(f"container {name} runs with AppArmor unconfined",
                                evidence={"container": name})


@rule
class ProcMountUnmasked(_PodRule):
    id = "PUR-SEC-084"
    title = "Container unmasks /proc"
    severity = Severity.high
    frameworks = ("K8S-PSS baseline",)
    remediation = "Remove securityContext.procMount: Unmasked (Default masks kernel paths)."

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in containers(resource):
            if _context(container).get("procMount") == "Unmasked":
                name = container_name(container)
                yield Violation(f"container {name} sets procMount: Unmasked",
                                evidence={"container": name})


@rule
class UnsafeSysctl(_PodRule):
    id = "PUR-SEC-085"
    title = "Pod sets a sysctl the baseline profile forbids"
    severity = Severity.high
    frameworks = ("K8S-PSS baseline",)
    remediation = ("Keep to the safe, namespaced sysctls (net.ipv4.ip_local_port_range, "
                   "net.ipv4.tcp_syncookies, ...); node-wide tuning belongs on the node.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        sysctls = _context(pod_spec(resource)).get("sysctls")
        for entry in sysctls if isinstance(sysctls, list) else []:
            name = entry.get("name") if isinstance(entry, dict) else None
            if isinstance(name, str) and name not in SAFE_SYSCTLS:
                yield Violation(f"pod sets sysctl {name}, which reaches beyond the pod",
                                evidence={"sysctl": name})
